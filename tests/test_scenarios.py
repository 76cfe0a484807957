"""Scenarios: the tables change as asked, the shipped ones never do, and bad specs are named."""

from __future__ import annotations

import pytest

import apresearch as apr
from apresearch import scenarios


def test_remove_actor(mini_tables):
    s = scenarios.apply(mini_tables, remove_actors=["USA"])
    assert "USA" not in set(s["actors"]["iso3"])
    g = apr.alliance_graph(2020, s["agreements"], s["agreement_members"], s["actors"])
    assert "USA" not in g and g.has_edge("JPN", "AUS")
    assert "USA" in set(mini_tables["actors"]["iso3"])  # the input is untouched
    assert (s["arms_transfers"]["supplier_iso3"] == "USA").sum() == 0
    assert (s["arms_transfers"]["supplier"] == "United States").sum() == 3  # deals stay


def test_remove_and_add_agreements(mini_tables):
    s = scenarios.apply(mini_tables, remove_agreements=["quad"], add_agreements=[
        {"agreement_id": "jpn-phl-pact", "kind": "defence_treaty", "members": ["JPN", "PHL"],
         "defense": 1}], year=2020)
    g = apr.alliance_graph(2020, s["agreements"], s["agreement_members"], s["actors"])
    assert g["JPN"]["PHL"]["defense"] is True
    assert g["USA"]["JPN"]["weight"] == pytest.approx(1.1)  # treaty + forum, no Quad
    before = apr.alliance_graph(2019, s["agreements"], s["agreement_members"], s["actors"])
    assert before["JPN"]["PHL"]["defense"] is False  # the forum only: the pact starts in 2020


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"remove_actors": ["SUN"]}, "unknown actor.*'SUN'; valid: AUS"),
        ({"remove_agreements": ["nato"]}, "unknown agreement.*'nato'; valid: "),
        ({"add_agreements": [{"agreement_id": "x", "members": ["JPN"]}]},
         "needs at least two different members"),
        ({"add_agreements": [{"agreement_id": "quad", "members": ["JPN", "PHL"]}]},
         "needs a new agreement_id"),
        ({"add_agreements": [{"agreement_id": "x", "kind": "pact", "members": ["JPN", "PHL"]}]},
         "kind='pact' of x is not valid"),
        ({"add_agreements": [{"agreement_id": "x", "members": ["JPN", "XXX"]}]},
         "unknown member.*'XXX'"),
    ],
)
def test_bad_specs(mini_tables, kwargs, message):
    with pytest.raises(apr.ParameterError, match=message):
        scenarios.apply(mini_tables, **kwargs)
