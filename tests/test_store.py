"""The store: Collection (construction, mapping, coverage, releases, summary, actor
attributes), collection() caching by content, resolve() and clear_cache()."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ACTORS, FILES, write_folder

import apresearch as apr
from apresearch import store, usage
from apresearch.errors import ParameterError


def frames():
    return {"actors": pd.DataFrame({"iso3": ["USA", "JPN"], "name": ["United States", "Japan"],
                                    "lat": [38.9, 35.7], "lon": [-77.0, 139.7],
                                    "subregion": ["North America", "Northeast Asia"],
                                    "regional": [True, False]}),
            "milex": pd.DataFrame({"iso3": ["USA", "USA"], "year": [2020, 2021],
                                   "release": ["R2", "R1"]}),
            "incidents": pd.DataFrame({"incident_id": ["a"], "source": ["s"]})}


# ------------------------------------------------------------------ from_frames
def test_from_frames_uses_the_shipped_descriptor():
    c = apr.Collection.from_frames(frames())
    assert c.origin == "frames"
    assert c.coverage("incidents") == (1990, 2025)  # as the shipped datapackage.json says
    assert c.coverage("milex") == (1990, 2023)
    assert c.sha256 == store.frames_sha256(frames())
    assert len(c) == 3 and list(c) == ["actors", "milex", "incidents"]
    assert "milex" in c and "agreements" not in c
    assert repr(c) == f"<Collection 'frames': 3 tables, sha256 {c.sha256[:12]}>"


def test_from_frames_overrides_coverage_and_releases():
    c = apr.Collection.from_frames(frames(), coverage={"incidents": (2000, 2001),
                                                       "custom": [1, 2]},
                                   releases={"incidents": "My release", "custom": 7})
    assert c.coverage("incidents") == (2000, 2001)
    assert c.coverage("custom") == (1, 2)  # a table the descriptor does not know
    assert c.coverage("milex") == (1990, 2023)  # the others keep the descriptor's
    assert c.release("incidents") == "My release"  # no release column: the descriptor's
    assert c.release("custom") == "7"
    # the shipped descriptor itself is not changed
    assert apr.Collection.from_frames(frames()).coverage("incidents") == (1990, 2025)
    assert apr.data.descriptor() == apr.Collection.from_frames({}).descriptor


def test_from_frames_with_a_base_keeps_its_overrides():
    base = apr.Collection.from_frames(frames(), coverage={"incidents": (2000, 2001)})
    c = apr.Collection.from_frames({"incidents": frames()["incidents"]}, base=base,
                                   coverage={"milex": (2000, 2010)})
    assert c.coverage("incidents") == (2000, 2001) and c.coverage("milex") == (2000, 2010)
    assert base.coverage("milex") == (1990, 2023)  # the base is not changed


@pytest.mark.parametrize(("span", "message"), [
    ((2001, 2000), "coverage of 'incidents': start 2001 is after end 2000"),
    ((2000,), "coverage of 'incidents' must be (start, end) years, got (2000,)"),
    ((2000, 2001, 2002), "coverage of 'incidents' must be (start, end) years, got "
                         "(2000, 2001, 2002)"),
    (("a", "b"), "coverage of 'incidents' must be (start, end) years, got ('a', 'b')"),
    (2000, "coverage of 'incidents' must be (start, end) years, got 2000"),
])
def test_from_frames_coverage_errors(span, message):
    with pytest.raises(ParameterError, match=f"^{_esc(message)}$"):
        apr.Collection.from_frames(frames(), coverage={"incidents": span})


def test_a_one_year_coverage_is_valid():
    c = apr.Collection.from_frames(frames(), coverage={"incidents": ("2000", 2000.0)})
    assert c.coverage("incidents") == (2000, 2000)


def _esc(text):
    import re

    return re.escape(text)


# ------------------------------------------------------------------ mapping and views
def test_getitem_is_a_copy_and_view_is_the_stored_frame():
    fr = frames()
    c = apr.Collection.from_frames(fr)
    copy = c["milex"]
    copy.loc[0, "year"] = 1900
    assert c.view("milex").loc[0, "year"] == 2020
    assert c["milex"] is not c["milex"]
    assert c.view("milex") is c.view("milex") is fr["milex"]


def test_view_records_usage():
    c = apr.Collection.from_frames(frames())
    usage.reset()
    c.view("milex")
    c["incidents"]
    c.view("milex")
    assert usage.used() == ["table:milex", "table:incidents"]


def test_unknown_table():
    c = apr.Collection.from_frames(frames())
    with pytest.raises(ParameterError, match=r"^no table 'treaties' in the collection; "
                                             r"tables: actors, milex, incidents$"):
        c["treaties"]
    with pytest.raises(ParameterError, match="no table 'x'"):
        c.view("x")
    assert usage.used() == []  # a failed look-up is not a use


def test_replace_keeps_coverage_and_releases():
    c = apr.Collection.from_frames(frames(), coverage={"incidents": (2000, 2001)},
                                   releases={"incidents": "R"})
    new_inc = pd.DataFrame({"incident_id": ["a", "b"]})
    r = c.replace(incidents=new_inc)
    assert r is not c and r.view("incidents") is new_inc
    assert c.view("incidents")["incident_id"].tolist() == ["a"]  # the original is unchanged
    assert r.coverage("incidents") == (2000, 2001) and r.release("incidents") == "R"
    assert r.origin == c.origin and r.sha256 != c.sha256
    assert r.sha256 == store.frames_sha256({**frames(), "incidents": new_inc})
    assert set(r) == set(c)


def test_descriptor_is_a_copy():
    c = apr.Collection.from_frames(frames(), coverage={"incidents": (2000, 2001)})
    d = c.descriptor
    d["resources"].clear()
    assert c.coverage("incidents") == (2000, 2001) and c.descriptor["resources"]


def test_cache_is_per_collection():
    a, b = apr.Collection.from_frames(frames()), apr.Collection.from_frames(frames())
    a.cache["x"] = 1
    assert b.cache == {} and a.cache == {"x": 1}


# ------------------------------------------------------------------ coverage
def test_coverage_errors():
    c = apr.Collection.from_frames(frames())
    with pytest.raises(ParameterError) as info:
        c.coverage("actors")  # described, but declares no coverage
    msg = str(info.value)
    assert msg.startswith("table 'actors' declares no coverage; tables with one: ")
    listed = msg.split(": ", 1)[1].split(", ")
    assert listed == sorted(listed) and "incidents" in listed and "actors" not in listed
    with pytest.raises(ParameterError, match="table 'treaties' declares no coverage"):
        c.coverage("treaties")


def test_covers_is_inclusive():
    c = apr.Collection.from_frames(frames(), coverage={"incidents": (2000, 2002)})
    assert [c.covers("incidents", y) for y in (1999, 2000, 2001, 2002, 2003)] == [
        False, True, True, True, False]
    assert c.covers("incidents", "2000")


def test_common_coverage():
    c = apr.Collection.from_frames(frames(), coverage={"a": (1990, 2010), "b": (2000, 2020),
                                                       "c": (2015, 2030)})
    assert c.common_coverage("a", "b") == (2000, 2010)
    assert c.common_coverage("b", "c") == (2015, 2020)
    assert c.common_coverage("a", "c") == (2015, 2010)  # start > end: no overlap
    assert c.common_coverage("a") == (1990, 2010)
    with pytest.raises(ParameterError, match="'actors' declares no coverage"):
        c.common_coverage("a", "actors")


# ------------------------------------------------------------------ releases
def test_release_from_the_release_column_overrides_the_descriptor():
    fr = frames()
    fr["milex"].loc[2] = ["USA", 2022, None]
    fr["milex"].loc[3] = ["USA", 2023, "R1"]
    c = apr.Collection.from_frames(fr, releases={"milex": "Descriptor"})
    assert c.release("milex") == "R1; R2"  # distinct values, sorted, NA left out


def test_release_falls_back_to_the_descriptor():
    fr = frames()
    fr["milex"]["release"] = None  # a release column without a value
    c = apr.Collection.from_frames(fr, releases={"milex": "Descriptor"})
    assert c.release("milex") == "Descriptor"
    assert c.release("actors") is None  # curated, nothing declared
    assert c.release("treaties") is None  # unknown table: no release, no error
    assert apr.Collection.from_frames(fr).release("milex") is None


def test_releases_leaves_out_tables_without_one():
    c = apr.Collection.from_frames(frames(), releases={"incidents": "I"})
    assert c.releases() == {"milex": "R1; R2", "incidents": "I"}


def test_release_of_numbers_is_text():
    fr = {"t": pd.DataFrame({"release": [2024, 2023, 2024]})}
    assert apr.Collection.from_frames(fr).release("t") == "2023; 2024"


# ------------------------------------------------------------------ summary
def test_summary_of_frames():
    c = apr.Collection.from_frames(frames(), coverage={"incidents": (2000, 2001)},
                                   releases={"incidents": "I"})
    s = c.summary()
    assert list(s.columns) == ["table", "rows", "first_year", "last_year", "release", "sources"]
    assert s["table"].tolist() == ["actors", "milex", "incidents"]
    assert s["rows"].tolist() == [2, 2, 1]
    assert str(s["first_year"].dtype) == "Int64" and str(s["sources"].dtype) == "Int64"
    row = s.set_index("table")
    assert (row.loc["incidents", "first_year"], row.loc["incidents", "last_year"]) == (2000, 2001)
    assert (row.loc["milex", "first_year"], row.loc["milex", "last_year"]) == (1990, 2023)
    assert pd.isna(row.loc["actors", "first_year"]) and pd.isna(row.loc["actors", "sources"])
    assert row.loc["incidents", "release"] == "I" and row.loc["milex", "release"] == "R1; R2"
    assert row.loc["incidents", "sources"] == 1


def test_summary_of_the_fixture(coll):
    s = coll.summary().set_index("table")
    assert list(s.index) == [n.removesuffix(".csv") for n in FILES]
    assert s.loc["actors", "rows"] == len(ACTORS.strip().splitlines()) - 1
    assert s.loc["exercises", "release"] == "MME v7"  # from its one MME row
    assert s.loc["exercise_gaps", "sources"] == 0  # a source column without a value
    assert s.loc["capabilities", "first_year"] == 1946


# ------------------------------------------------------------------ actor attributes
def test_actor_attributes_sorted_and_typed():
    c = apr.Collection.from_frames(frames())
    attrs = c.actor_attributes()
    assert list(attrs) == ["JPN", "USA"]  # sorted by iso3
    assert attrs["JPN"] == {"name": "Japan", "lat": 35.7, "lon": 139.7,
                            "subregion": "Northeast Asia", "regional": False}
    assert attrs["USA"]["regional"] is True and type(attrs["USA"]["lat"]) is float
    assert c.actor_attributes() is attrs  # cached on the collection
    assert c.cache["collection.actor_attributes"] is attrs


def test_actor_attributes_of_the_fixture(coll):
    attrs = coll.actor_attributes()
    assert len(attrs) == 9
    assert attrs["AUS"] == {"name": "Australia", "lat": -35.3, "lon": 149.1,
                            "subregion": "Oceania", "regional": True}


# ------------------------------------------------------------------ collection() and resolve()
def test_collection_is_cached_by_content(mini):
    a = apr.collection(mini)
    assert apr.collection(mini) is a and apr.collection(str(mini)) is a
    assert a.origin == str(mini.resolve())
    assert a.sha256 == apr.data.load_folder(mini)[2]
    assert a.coverage("incidents") == (1990, 2025)
    (mini / "actors.csv").write_text(ACTORS.replace("CHN,China", "CHN,PRC"), encoding="utf-8")
    b = apr.collection(mini)
    assert b is not a and b.sha256 != a.sha256
    assert b.view("actors").set_index("iso3").loc["CHN", "name"] == "PRC"
    assert a.view("actors").set_index("iso3").loc["CHN", "name"] == "China"


def test_the_same_bytes_elsewhere_are_another_collection(tmp_path):
    a = apr.collection(write_folder(tmp_path / "a"))
    b = apr.collection(write_folder(tmp_path / "b"))
    assert a is not b and a.sha256 == b.sha256


def test_clear_cache_forgets_collections(mini):
    a = apr.collection(mini)
    apr.clear_cache()
    assert store._COLLECTIONS == {} and apr.data._CACHE == {}
    b = apr.collection(mini)
    assert b is not a and b.sha256 == a.sha256


def test_collection_default_folder(mini, monkeypatch):
    monkeypatch.setenv("APRESEARCH_DATA", str(mini))
    assert apr.collection() is apr.collection(mini)
    assert store.resolve(None) is apr.collection(mini)


def test_collection_of_a_missing_folder(tmp_path):
    with pytest.raises(ParameterError, match="does not exist or is not a folder"):
        apr.collection(tmp_path / "nowhere")


def test_collection_of_an_invalid_folder(tmp_path):
    folder = write_folder(tmp_path / "d", {"agreements.csv": ""})
    with pytest.raises(apr.DataValidationError, match="agreements.csv: file is empty"):
        apr.collection(folder)
    assert store._COLLECTIONS == {}


def test_resolve(mini, coll):
    assert store.resolve(coll) is coll
    assert store.resolve(mini) is coll and store.resolve(str(mini)) is coll
    fr = apr.Collection.from_frames(frames())
    assert store.resolve(fr) is fr


@pytest.mark.parametrize(("value", "name"), [(5, "int"), ({"actors": None}, "dict"),
                                             (["data"], "list"), (b"data", "bytes")])
def test_resolve_errors(value, name):
    with pytest.raises(ParameterError, match=f"^data={name} is not valid; give a Collection "
                                             r"\(apr.collection\(...\)\), a data folder path, "
                                             "or nothing for the shipped collection$"):
        store.resolve(value)


def test_frames_sha256_depends_on_names_columns_and_values():
    base = store.frames_sha256({"t": pd.DataFrame({"a": [1, 2]})})
    assert store.frames_sha256({"t": pd.DataFrame({"a": [1, 2]})}) == base
    assert store.frames_sha256({"u": pd.DataFrame({"a": [1, 2]})}) != base
    assert store.frames_sha256({"t": pd.DataFrame({"b": [1, 2]})}) != base
    assert store.frames_sha256({"t": pd.DataFrame({"a": [1, 3]})}) != base
    assert store.frames_sha256({"t": pd.DataFrame({"a": [1, 2]}, index=[5, 6])}) == base
    two = {"t": pd.DataFrame({"a": [1]}), "u": pd.DataFrame({"a": [2]})}
    assert store.frames_sha256(two) == store.frames_sha256(dict(reversed(two.items())))


def test_memo_computes_once_and_records_what_it_used_on_every_call():
    from apresearch import usage

    c = apr.Collection.from_frames({"actors": pd.DataFrame({"iso3": ["AAA"]}),
                                    "milex": pd.DataFrame({"release": ["A"]})})
    calls = []

    def compute():
        calls.append(1)
        c.view("milex")
        usage.record("method:hage2011")
        return 42

    usage.reset()
    c.view("actors")  # used before: recorded inside the block too, if used again there
    assert c.memo("k", compute) == 42
    assert usage.used() == ["table:actors", "table:milex", "method:hage2011"]
    usage.reset()
    assert c.memo("k", compute) == 42 and calls == [1]  # not computed again ...
    assert usage.used() == ["table:milex", "method:hage2011"]  # ... but its inputs recorded
    # a memo computed inside another records into both
    usage.reset()
    assert c.memo("outer", lambda: c.memo("k", compute) + 1) == 43
    usage.reset()
    assert c.memo("outer", lambda: 0) == 43
    assert usage.used() == ["table:milex", "method:hage2011"]
    usage.reset()
