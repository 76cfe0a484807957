"""Citing and provenance: the bibliography parses and covers every imported table's release,
keys by keyword, table and function, references() from what a session used, the `cite`
command, and versions() / methods_text()."""

from __future__ import annotations

import importlib
import json
import re

import pandas as pd
import pytest
from conftest import REPO, write_folder

import apresearch as apr
from apresearch import cite, provenance, usage
from apresearch.cli import main as cli
from apresearch.errors import ParameterError

bibtexparser = pytest.importorskip("bibtexparser")


def parse(text: str) -> dict[str, dict[str, str]]:
    """BibTeX text -> {key: {field: value}} with bibtexparser (version 2, or 1)."""
    if hasattr(bibtexparser, "parse_string"):  # bibtexparser 2
        lib = bibtexparser.parse_string(text)
        assert not lib.failed_blocks, [b.error for b in lib.failed_blocks]
        return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type}
                for e in lib.entries}
    db = bibtexparser.loads(text)  # pragma: no cover - bibtexparser 1
    return {e["ID"]: e for e in db.entries}


@pytest.fixture(scope="module")
def shipped_releases() -> dict[str, str]:
    """Each shipped table with a release column -> its distinct releases (read directly)."""
    desc = json.loads((REPO / "data" / "datapackage.json").read_text())
    out = {}
    for res in desc["resources"]:
        if any(f["name"] == "release" for f in res["schema"]["fields"]):
            values = pd.read_csv(REPO / "data" / res["path"], usecols=["release"],
                                 dtype=str)["release"].dropna()
            if len(values):
                out[res["name"]] = "; ".join(sorted(set(values)))
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = write_folder(tmp_path_factory.mktemp("cite") / "data")
    return apr.Collection.from_frames(apr.data.validate(folder))


# ------------------------------------------------------------------ the bibliography
def test_the_bib_parses_and_entries_agree():
    parsed = parse(cite.bibliography())
    entries = cite.entries()
    assert list(parsed) == list(entries)  # the same keys, in file order
    assert len(entries) == cite.bibliography().count("\n@")  # every entry found
    for key, text in entries.items():
        assert text.startswith("@") and text.endswith("}") and f"{{{key}," in text
        assert parse(text)[key]["title"]  # each entry stands alone and has a title
    assert parsed["apresearch"]["ENTRYTYPE"] == "software"
    assert parsed["apresearch"]["version"] == apr.__version__


def test_every_key_in_the_maps_is_in_the_bib():
    known = cite.entries()
    for mapping in (cite.BY_TABLE, cite.BY_KEYWORD, cite.BY_FUNCTION):
        for name, keys in mapping.items():
            assert keys and all(k in known for k in keys), name


def test_every_table_maps_to_entries():
    desc = json.loads((REPO / "data" / "datapackage.json").read_text())
    assert sorted(cite.BY_TABLE) == sorted(r["name"] for r in desc["resources"])


def test_every_function_in_the_map_exists():
    for name in cite.BY_FUNCTION:
        module, func = name.rsplit(".", 1)
        fn = getattr(importlib.import_module(f"apresearch.{module}"), func)
        assert cite.keys_for(fn) == list(cite.BY_FUNCTION[name])


def test_every_imported_release_is_cited(shipped_releases):
    """Each shipped table with a release maps to entries, and the entries record that release
    (a version number or date of it appears in them), so a new release is noticed here."""
    assert {"milex", "capabilities", "arms_transfers", "atop_dyads", "exercises",
            "state_system", "us_deployments", "us_bases"} <= set(shipped_releases)
    known = cite.entries()
    for table, releases in shipped_releases.items():
        keys = cite.keys_for(table)
        assert keys == list(cite.BY_TABLE[table])
        text = " ".join(known[k] for k in keys).replace("--", "-")
        for release in releases.split("; "):
            tokens = re.findall(r"\d+(?:[.-]\d+)*", release)
            assert tokens and any(t in text for t in tokens), (table, release)


# ------------------------------------------------------------------ keys_for and cite
def test_keys_for_keywords_tables_and_keys():
    assert cite.keys_for("atop") == ["leeds2002atop", "atop51"]
    assert cite.keys_for("ATOP") == ["leeds2002atop", "atop51"]  # keywords ignore case
    assert cite.keys_for("milex") == ["sipri_milex"]
    assert cite.keys_for("capabilities") == ["singer1972nmc", "cow_nmc70"]  # a table
    assert cite.keys_for("hage2011") == ["hage2011"]  # a bibliography key
    # first-seen order, each key once
    assert cite.keys_for("similarity", "kappa", "s", "atop") == [
        "signorino1999", "hage2011", "leeds2002atop", "atop51"]
    assert cite.keys_for() == []


def test_keys_for_functions():
    from apresearch import similarity

    assert cite.keys_for(similarity.similarity) == ["signorino1999", "hage2011"]
    assert cite.keys_for(apr.state_years) == ["peacesciencer"]
    assert cite.keys_for(apr.alliance_graph) == ["apresearch"]  # not in the map: the collection

    def mine():
        pass

    assert cite.keys_for(mine) == ["apresearch"]


def test_keys_for_unknown_word():
    with pytest.raises(ParameterError) as info:
        cite.keys_for("atop", "treaties")
    msg = str(info.value)
    valid = sorted({*cite.BY_KEYWORD, *cite.BY_TABLE})
    assert msg == ("nothing to cite for 'treaties'; give a keyword, a table or a function; "
                   f"valid words: {', '.join(valid)}")
    with pytest.raises(ParameterError, match="nothing to cite for 5"):
        cite.keys_for(5)
    with pytest.raises(ParameterError, match="nothing to cite for 'Milex_'"):
        cite.keys_for("Milex_")


def test_cite_text():
    known = cite.entries()
    assert cite.cite("atop") == known["leeds2002atop"] + "\n\n" + known["atop51"] + "\n"
    every = cite.cite()
    keys = list(dict.fromkeys(["apresearch", *(k for t in cite.BY_TABLE.values() for k in t)]))
    assert every == "\n\n".join(known[k] for k in keys) + "\n"
    assert list(parse(every)) == keys  # each once, the collection first
    assert "signorino1999" not in parse(every)  # methods only when asked for
    with pytest.raises(ParameterError):
        cite.cite("nothing-here")


# ------------------------------------------------------------------ references
def test_references_of_an_empty_session(small):
    usage.reset()
    text = cite.references(data=small)
    assert isinstance(text, cite.Markdown) and text._repr_markdown_() == str(text)
    assert text == "- " + cite._short(cite.entries()["apresearch"])
    assert "\n" not in text


def test_references_of_what_was_used(small):
    usage.reset()
    small.view("milex")
    small.view("agreements")
    small.view("us_bases")
    usage.record("method:signorino1999")
    text = cite.references(data=small)
    lines = text.split("\n")
    known = cite.entries()
    refs = [ln for ln in lines if ln.startswith("- ")]
    # the collection's table order (agreements before milex), whatever the order of use
    keys = ["apresearch", "leeds2002atop", "sipri_milex", "vine_bases", "signorino1999"]
    assert refs == [f"- {cite._short(known[k])}" for k in keys]
    assert "Releases used: `milex`: Test; `us_bases`: Test." in lines
    assert ("Curated tables used (each row cites its own source in its `source` column): "
            "`agreements`.") in lines
    assert text.index("Releases used") > text.index(refs[-1])
    usage.reset()
    usage.record("method:signorino1999")
    for name in ("us_bases", "agreements", "milex"):
        small.view(name)
    assert cite.references(data=small) == text


def test_references_extra_and_unknown_tables(small):
    usage.reset()
    usage.record("table:scratch")  # a table the map does not know: no entry, no error
    text = cite.references(extra=("gml",), data=small)
    assert text.split("\n") == [f"- {cite._short(cite.entries()['gibler2016mid'])}"]
    usage.reset()
    assert cite.references(extra=("hage2011",), data=small) == (
        f"- {cite._short(cite.entries()['hage2011'])}")


def test_references_uses_the_collection_releases():
    c = apr.Collection.from_frames({"milex": pd.DataFrame({"release": ["A", "B"]})})
    usage.reset()
    c.view("milex")
    assert "Releases used: `milex`: A; B." in cite.references(data=c)


def test_short_reference_lines():
    known = cite.entries()
    assert cite._short(known["hage2011"]) == (
        "Häge, Frank M. 2011. Choice or Circumstance? Adjusting Measures of Foreign Policy "
        "Similarity for Chance Agreement. Political Analysis 19(3).")
    assert cite._short(known["leeds2002atop"]).startswith(
        "Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and Long, "
        "Andrew G. 2002. Alliance Treaty Obligations and Provisions, 1815--1944. "
        "International Interactions 28.")
    assert cite._short(known["mme7"]) == (
        "Multinational Military Exercises (MME) Dataset. Version 7, Harvard Dataverse. "
        "doi:10.7910/DVN/KHFODX. https://doi.org/10.7910/DVN/KHFODX.")
    assert cite._short(known["sipri_milex"]) == (
        "Stockholm International Peace Research Institute. 2024. SIPRI Military Expenditure "
        "Database. SIPRI Milex 2024 (April 2024) release, data 1949--2023, constant (2022) "
        "US$. https://www.sipri.org/databases/milex.")
    assert cite._short(known["singer1972nmc"]).endswith(". Peace, War, and Numbers.")
    assert cite._short(known["vine_bases"]) == (
        "Vine, David. Lists of U.S. Military Bases Abroad, 1776--2020. American University "
        "Digital Research Archive. As compiled in troopdata's basedata (about 2018).")
    assert cite._field(known["mme7"], "author") is None


# ------------------------------------------------------------------ the cite command
def test_cli_cite(capsys):
    assert cli(["cite", "atop", "similarity"]) == 0
    assert capsys.readouterr().out == cite.cite("atop", "similarity")
    assert cli(["cite"]) == 0
    assert capsys.readouterr().out == cite.cite()
    assert cli(["cite", "milex"]) == 0
    assert list(parse(capsys.readouterr().out)) == ["sipri_milex"]


def test_cli_cite_unknown_word(capsys):
    assert cli(["cite", "atop", "treaties"]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith("error: nothing to cite for 'treaties'; give a keyword")
    assert out.err.count("\n") == 1  # one line, no traceback


# ------------------------------------------------------------------ provenance
def test_versions(small, capsys):
    v = provenance.versions(data=small, show=False)
    assert capsys.readouterr().out == ""
    assert v["apresearch"] == apr.__version__
    assert {"python", "pandas", "numpy", "networkx", "matplotlib", "frictionless",
            "papermill"} <= set(v)
    assert v["data_folder"] == "frames" and v["data_sha256"] == small.sha256[:12]
    assert v["data_version"] == str(apr.data.descriptor()["version"])
    tables = {k.removeprefix("table."): val for k, val in v.items() if k.startswith("table.")}
    assert list(tables) == list(small)
    hashes = provenance.table_hashes(data=small).set_index("table")
    assert tables["milex"] == f"Test; 15 rows; sha256 {hashes.loc['milex', 'sha256']}"
    assert tables["actors"] == f"9 rows; sha256 {hashes.loc['actors', 'sha256']}"


def test_versions_printed(small, capsys):
    v = provenance.versions(data=small)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(v)
    width = max(map(len, v))
    assert lines[0] == f"{'python':<{width}}  {v['python']}"
    assert all(line[width:width + 2] == "  " for line in lines)


def test_versions_of_a_missing_package(small, monkeypatch):
    from importlib import metadata

    real = metadata.version

    def version(name):
        if name == "papermill":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(provenance.metadata, "version", version)
    provenance._package_version.cache_clear()  # versions are read once per process
    try:
        assert provenance.versions(data=small, show=False)["papermill"] == "not installed"
    finally:
        provenance._package_version.cache_clear()


def test_table_hashes(small):
    h = provenance.table_hashes(data=small)
    assert list(h.columns) == ["table", "rows", "release", "sha256"]
    assert h["table"].tolist() == list(small)
    row = h.set_index("table")
    assert row.loc["milex", "rows"] == 15 and row.loc["milex", "release"] == "Test"
    assert pd.isna(row.loc["actors", "release"])
    assert h["sha256"].str.fullmatch("[0-9a-f]{12}").all()
    milex = small["milex"]
    milex.loc[0, "constant_usd_m"] = 101.0
    changed = provenance.table_hashes(data=small.replace(milex=milex)).set_index("table")
    assert changed.loc["milex", "sha256"] != row.loc["milex", "sha256"]
    assert changed.loc["actors", "sha256"] == row.loc["actors", "sha256"]
    renamed = provenance.table_hashes(data=small.replace(
        milex=small["milex"].rename(columns={"notes": "note"}))).set_index("table")
    assert renamed.loc["milex", "sha256"] != row.loc["milex", "sha256"]  # columns count too


def test_data_release_of_a_folder(small):
    c = apr.Collection(dict(small), descriptor={"version": "9.9", "resources": []},
                       origin="/some/folder", sha256="0123456789abcdef" * 4)
    assert provenance.data_release(data=c) == {
        "data_folder": "/some/folder", "data_version": "9.9", "data_sha256": "0123456789ab"}
    no_version = apr.Collection.from_frames({})
    no_version._descriptor.pop("version")
    assert provenance.data_release(data=no_version)["data_version"] == "unknown"


def test_methods_text(small):
    rel = provenance.data_release(data=small)
    assert provenance.methods_text(data=small) == (
        f"Data: apresearch {apr.__version__} (data package {rel['data_version']}, content hash "
        f"{rel['data_sha256']}). Imported tables: arms_transfers: Test; atop_dyads: Test; "
        "capabilities: Test; exercises: MME v7; milex: Test; state_system: Test; "
        "us_bases: Test; us_deployments: Test.")
