"""One coverage rule everywhere, on the shipped collection and on the hand-made fixture:
outside a table's declared coverage every count, score or index built from it is NA; inside
it a count with nothing recorded is 0, and the panels, the tension index, similarity, the
index and the profiles give the same answer for the same state or dyad and year. And the
shipped collection's own integrity checks: recurring exercise series have no unexplained
gap, and every channel the US-China case study tracks has a dated first meeting."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REPO

import apresearch as apr


@pytest.fixture(scope="module")
def shipped():
    return apr.collection(REPO / "data")


def _covered(c, table, year):
    first, last = c.coverage(table)
    return first <= year <= last


def _check(c, years, state, other):
    lo, hi = sorted((state, other))
    for year in years:
        inc_in = _covered(c, "incidents", year)
        ag_in = _covered(c, "agreements", year)
        # the tension index of a theatre
        t = apr.tensions.intensity(year, year, data=c)
        assert t["count"].isna().all() == (not inc_in), year
        # the panels (every actor, so that membership does not hide the year)
        d = apr.dyad_years(year, year, system="all", data=c)
        row = d[(d["iso3_a"] == lo) & (d["iso3_b"] == hi)].iloc[0]
        assert pd.isna(row["incidents"]) == (not inc_in), year
        assert pd.isna(row["defense"]) == (not ag_in), year
        assert pd.isna(row["shared_exercises"]) == (not _covered(c, "exercises", year)), year
        assert pd.isna(row["engagements"]) == (not _covered(c, "engagements", year)), year
        # the same count, three ways: dyad panel, tension matrix, profile
        if inc_in:
            between = apr.profiles.incidents_between(lo, hi, year, year, data=c)
            assert row["incidents"] == len(between), year
        s = apr.state_years(year, year, system="all", data=c).set_index("iso3").loc[state]
        p = apr.profiles.country_year(state, year, data=c)
        for col in ("incidents_initiated", "incidents_targeted", "exercise_editions",
                    "engagements"):
            assert pd.isna(s[col]) == pd.isna(p[col]), (year, col)
            if not pd.isna(s[col]):
                assert int(s[col]) == int(p[col]), (year, col)
        # similarity: NA outside the agreements' coverage
        sim = apr.similarity.similarity([year], system="all", data=c)
        pair = sim[(sim["iso3_a"] == lo) & (sim["iso3_b"] == hi)]
        assert pair["s"].isna().all() == (not ag_in), year
        # the index: NA where a table it uses is not covered
        idx = apr.index.defence_networks([year], actors="all", data=c)
        mine = idx[idx["iso3"] == state]
        need = ("agreements", "exercises", "engagements", "arms_transfers")
        assert mine["index"].isna().all() == (not all(_covered(c, t, year) for t in need)), year


def test_one_coverage_rule_on_the_fixture(coll):
    # incidents and engagements 1990-2025, agreements 1950-2025, exercises 1980-2025
    _check(coll, [1940, 1975, 1989, 1990, 2010, 2012, 2025, 2030], "CHN", "PHL")


def test_one_coverage_rule_on_the_shipped_data(shipped):
    _check(shipped, [1940, 1985, 1989, 1990, 2000, 2016, 2025, 2030], "CHN", "PHL")


def test_zero_is_zero_inside_coverage(coll):
    """China-Philippines had no recorded incident in 2000: 0, not NA, in every view."""
    d = apr.dyad_years(2000, 2000, system="all", data=coll)
    row = d[(d["iso3_a"] == "CHN") & (d["iso3_b"] == "PHL")].iloc[0]
    assert row["incidents"] == 0
    t = apr.tensions.intensity(2000, 2000, theatre="South China Sea", data=coll)
    assert t["count"].tolist() == [0]


def test_recurring_series_have_no_unexplained_gap(shipped):
    ex = shipped.view("exercises")
    gaps = shipped.view("exercise_gaps")
    listed = set(zip(gaps["series_id"], gaps["year"].astype(int), strict=True))
    missing = []
    for sid, grp in ex[ex["series_id"].notna()].groupby("series_id"):
        years = sorted(set(grp["year"].astype(int)))
        if not any(b - a == 1 for a, b in zip(years, years[1:], strict=False)):
            continue  # not an annual series
        missing += [(sid, y) for y in range(years[0], years[-1] + 1)
                    if y not in years and (sid, y) not in listed]
    assert missing == [], f"gaps without a reason in exercise_gaps.csv: {missing}"
    not_found = gaps["reason"].str.startswith("not found").sum()
    print(f"\n{len(gaps)} listed gap years, {not_found} of them 'not found'")


CASE_STUDY_CHANNELS = ("Defense Consultative Talks", "Defense Policy Coordination Talks",
                       "US-China Military Maritime Consultative Agreement talks",
                       "US-China Defense Telephone Link (DTL)", "military-to-military exchanges")


def test_case_study_channels_have_a_dated_first_meeting(shipped):
    e = apr.diplomacy.dyad_events("USA", "CHN", data=shipped)
    for channel in CASE_STUDY_CHANNELS:
        rows = e[e["channel"] == channel]
        assert len(rows), channel
        # its first recorded event is dated (to the year at least), and the channel has
        # events dated to the day
        first = rows.sort_values("date").iloc[0]
        assert pd.notna(first["date"]), channel
        assert (rows["date_precision"] == "day").any(), channel


def test_engagement_dates_within_coverage(shipped):
    e = shipped.view("engagements")
    first, last = shipped.coverage("engagements")
    early = e[e["date"].dt.year < first]
    assert set(early["kind"]) <= {"suspension"}, "only a suspension may precede the coverage"
    assert (e["date"].dt.year <= last).all()
