"""Shared fixtures: a tiny, hand-checkable data folder written fresh for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

import apresearch as apr

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"

SRC = '"Test fixture, hand-made, 2026-01-01"'

ACTORS = f"""iso3,name,iso_n3,cow_code,subregion,capital,lat,lon,regional,lowy_api,source,notes
USA,United States,840,2,North America,Washington,38.9,-77.0,1,1,{SRC},
JPN,Japan,392,740,Northeast Asia,Tokyo,35.7,139.7,1,1,{SRC},
KOR,South Korea,410,732,Northeast Asia,Seoul,37.6,127.0,1,1,{SRC},
AUS,Australia,036,900,Oceania,Canberra,-35.3,149.1,1,1,{SRC},
PHL,Philippines,608,840,Southeast Asia,Manila,14.6,121.0,1,1,{SRC},
CHN,China,156,710,Northeast Asia,Beijing,39.9,116.4,1,1,{SRC},
"""

AGREEMENTS = (
    "agreement_id,name,kind,signed,signed_precision,in_force,ended,"
    "defense,offense,neutrality,nonaggression,consultation,atop_id,source,source_url,notes\n"
) + f"""us-jpn,US-Japan,defence_treaty,1951-09-08,day,,,1,0,0,0,1,,{SRC},,
us-kor,US-ROK,defence_treaty,1953-10-01,day,,,1,0,0,0,0,,{SRC},,
us-aus,US-Australia,defence_treaty,1951-09-01,day,,,1,0,0,0,0,,{SRC},,
jpn-aus,Japan-Australia,security_agreement,2007-03-13,day,,,0,0,0,0,1,,{SRC},,
quad,Quad,minilateral,2017-11-12,day,,,0,0,0,0,0,,{SRC},,
forum,Forum,multilateral_forum,1994-07-25,day,,,0,0,0,0,0,,{SRC},,
us-phl,US-Philippines,defence_treaty,1951-08-30,day,,1960-06-30,1,0,0,0,0,,{SRC},,
chn-kor,China-Korea (fictional),defence_treaty,1961-07-11,day,,,1,0,0,0,0,,{SRC},,
"""

MEMBERS = f"""agreement_id,iso3,joined,joined_precision,left,left_precision,source,notes
us-jpn,USA,1951-09-08,day,,,{SRC},
us-jpn,JPN,1951-09-08,day,,,{SRC},
us-kor,USA,1953-10-01,day,,,{SRC},
us-kor,KOR,1953-10-01,day,,,{SRC},
us-aus,USA,1951-09-01,day,,,{SRC},
us-aus,AUS,1951-09-01,day,,,{SRC},
jpn-aus,JPN,2007-03-13,day,,,{SRC},
jpn-aus,AUS,2007-03-13,day,,,{SRC},
quad,USA,2017-11-12,day,,,{SRC},
quad,JPN,2017-11-12,day,,,{SRC},
quad,AUS,2017-11-12,day,,,{SRC},
forum,USA,1994-07-25,day,,,{SRC},
forum,JPN,1994-07-25,day,,,{SRC},
forum,KOR,1994-07-25,day,,,{SRC},
forum,AUS,1994-07-25,day,,,{SRC},
forum,PHL,1994-07-25,day,,,{SRC},
forum,CHN,1994-07-25,day,,,{SRC},
us-phl,USA,1951-08-30,day,,,{SRC},
us-phl,PHL,1951-08-30,day,,,{SRC},
chn-kor,CHN,1961-07-11,day,,,{SRC},
chn-kor,KOR,1961-07-11,day,1970-01-01,day,{SRC},
"""

FILES = {"actors.csv": ACTORS, "agreements.csv": AGREEMENTS, "agreement_members.csv": MEMBERS}


def write_folder(folder: Path, overrides: dict[str, str | bytes] | None = None) -> Path:
    """Write the fixture tables to ``folder``; ``overrides`` replaces a file's content."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {**FILES, **(overrides or {})}
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Each test starts with an empty in-memory cache and its own validation-stamp folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("APRESEARCH_DATA", raising=False)
    apr.clear_cache()
    yield
    apr.clear_cache()


@pytest.fixture
def mini(tmp_path) -> Path:
    """A valid tiny data folder (no datapackage.json: the shipped one applies)."""
    return write_folder(tmp_path / "data")


@pytest.fixture
def mini_tables(mini):
    return apr.load_all(mini)


def reference(*parts: str) -> Path:
    """A file of ../shared/reference, or skip the test with the reason."""
    path = REFERENCE.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"reference data not available: {path} (outside the project; optional)")
    return path


