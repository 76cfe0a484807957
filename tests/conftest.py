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
RUS,Russia,643,365,Eurasia,Moscow,55.8,37.6,1,1,{SRC},
IND,India,356,750,South Asia,New Delhi,28.6,77.2,1,1,{SRC},
PRK,North Korea,408,731,Northeast Asia,Pyongyang,39.0,125.8,1,1,{SRC},
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

SERIES = f"""series_id,name,lead,format,first_year,last_year,domain,source,source_url,notes
rimpac,RIMPAC,USA,multilateral,1971,,maritime,{SRC},,
malabar,Malabar,IND,minilateral,1992,,maritime,{SRC},,
joint-sea,Joint Sea,CHN,bilateral,2012,,maritime,{SRC},,
foal-eagle,Foal Eagle,USA,bilateral,1961,2018,multi_domain,{SRC},,
"""

EXERCISES = (
    "exercise_id,series_id,name,year,start,start_precision,end,end_precision,location,lat,lon,"
    "participants_complete,origin,mme_id,mme_differences,cpx,air,land,sea,amphibious,cyber,"
    "warfighting,peacekeeping,humanitarian,release,source,source_url,notes\n"
) + f"""rimpac-2014,rimpac,,2014,2014-06-26,day,2014-08-01,day,Hawaii,,,0,curated,,,,,,,,,,,,,{SRC},,
rimpac-2018,rimpac,,2018,2018-06-27,day,2018-08-02,day,Hawaii,,,0,curated,,,,,,,,,,,,,{SRC},,
malabar-2020,malabar,,2020,2020-11-03,day,2020-11-20,day,Bay of Bengal,,,1,curated,,,,,,,,,,,,,{SRC},,
joint-sea-2019,joint-sea,,2019,2019-04-29,day,,,Qingdao,,,1,curated,,,,,,,,,,,,,{SRC},,
foal-eagle-2017,foal-eagle,,2017,2017-03-01,month,,,South Korea,,,0,curated,,,,,,,,,,,,,{SRC},,
mme-9-cope-north-85,,Cope North 85,1985,1985-02-01,month,,,Guam,13.4,144.8,1,mme,mme9,,0,1,0,0,0,0,1,0,0,MME v7,{SRC},,
"""

PARTICIPANTS = f"""exercise_id,iso3,role,source,notes
rimpac-2014,USA,host,{SRC},
rimpac-2014,JPN,participant,{SRC},
rimpac-2014,AUS,participant,{SRC},
rimpac-2014,CHN,participant,{SRC},
rimpac-2018,USA,host,{SRC},
rimpac-2018,JPN,participant,{SRC},
rimpac-2018,AUS,participant,{SRC},
rimpac-2018,KOR,participant,{SRC},
rimpac-2018,PHL,observer,{SRC},
malabar-2020,IND,host,{SRC},
malabar-2020,USA,participant,{SRC},
malabar-2020,JPN,participant,{SRC},
malabar-2020,AUS,participant,{SRC},
joint-sea-2019,CHN,host,{SRC},
joint-sea-2019,RUS,participant,{SRC},
foal-eagle-2017,KOR,host,{SRC},
foal-eagle-2017,USA,participant,{SRC},
mme-9-cope-north-85,USA,participant,{SRC},
mme-9-cope-north-85,JPN,participant,{SRC},
"""

ENGAGEMENTS = (
    "engagement_id,date,date_precision,end_date,kind,participants,initiator,forum_id,level,"
    "channel,location,summary,source,source_url,notes\n"
) + f"""2010-01-30-suspension,2010-01-30,day,,suspension,CHN;USA,CHN,,ministerial,mil-mil,,s,{SRC},,
2011-01-09-resumption,2011-01-09,day,,resumption,USA;CHN,,,ministerial,mil-mil,,r,{SRC},,
2014-11-12-mous,2014-11-12,day,,cbm,USA;CHN,,,leaders,,,c,{SRC},,
2018-03-05-port-call,2018-03-05,day,2018-03-09,port_call,USA;PHL,USA,,naval,,Manila,p,{SRC},,
2019-06-02-forum,2019-06-02,day,,dialogue,CHN,,forum,ministerial,,,d,{SRC},,
2020-07-01-meeting,2020-07-01,month,,dialogue,USA;JPN;AUS,,,ministerial,trilateral,,t,{SRC},,
2022-08-05-suspension,2022-08-05,day,,suspension,CHN;USA,CHN,,ministerial,mil-mil,,s,{SRC},,
2023-11-15-resumption,2023-11-15,day,,resumption,CHN;USA,,,leaders,mil-mil,,r,{SRC},,
2024-01-01-visit,2024-01-01,month,,visit,JPN;PHL,JPN,,ministerial,,,v,{SRC},,
"""

INCIDENTS = (
    "incident_id,date,date_precision,end_date,theatre,kind,initiator,target,severity,"
    "fatalities,lat,lon,location,coord_precision,summary,source,source_url,notes\n"
) + f"""\
k1,2010-03-26,day,,Korean Peninsula,sinking_shelling,PRK,KOR,5,46,37.9,124.6,B,approximate,s,{SRC},,
k2,2010-11-23,day,,Korean Peninsula,sinking_shelling,PRK,KOR,5,4,37.7,125.7,Y,approximate,s,{SRC},,
s1,2012-04-10,day,2012-06-15,South China Sea,standoff,CHN,PHL,3,,15.2,117.8,S,approximate,s,{SRC},,
s2,2012-05-01,day,,South China Sea,water_cannon,CHN,PHL,3,0,,,,,s,{SRC},,
s3,2012-07-10,day,,South China Sea,unsafe_intercept,CHN,PHL,2,,,,,,s,{SRC},,
s4,2014-05-02,day,,South China Sea,collision,CHN,PHL,3,,,,,,s,{SRC},,
k3,2016-01-06,day,,Korean Peninsula,nuclear_test,PRK,,4,,41.3,129.1,P,exact,s,{SRC},,
k4,2017-08-29,day,,Korean Peninsula,missile_test,PRK,JPN,4,,,,,,s,{SRC},,
"""

MILESTONES = (
    "milestone_id,date,date_precision,theatre,kind,parties,summary,source,source_url,notes\n"
) + f"""2016-07-12-award,2016-07-12,day,South China Sea,ruling,PHL;CHN,a,{SRC},,
"""

RIVALRIES = (
    "rivalry_id,name,iso3_a,iso3_b,start_year,end_year,end_rule,types,td_id,tss_id,source,notes\n"
) + f"""cu2,China-US 2,CHN,USA,1996,,ongoing,positional,190,211,{SRC},
nk-sk,NK-SK,KOR,PRK,1948,,ongoing,positional,113,114,{SRC},
cr2,China-Russia 2,CHN,RUS,1958,1989,td,ideological,126,128,{SRC},
"""

MILEX_HEADER = ("iso3,year,constant_usd_m,current_usd_m,share_gdp_pct,per_capita_usd,"
                "share_govt_pct,estimate,uncertain,missing,sipri_markers,sipri_footnotes,"
                "release,base_year,notes\n")
_MILEX = {  # constant 2022 US$ m; current equals constant except in 2020
    "CHN": [100, 110, 121, None, 146.41], "USA": [200, 200, 220, 242, 242],
    "IND": [50, 55, 60.5, 66.55, 73.205],
}
_CURRENT_2020 = {"CHN": 110, "USA": 200, "IND": 55}
MILEX = MILEX_HEADER + "".join(
    f"{iso3},{2018 + i},{'' if v is None else v},"
    f"{_CURRENT_2020[iso3] if 2018 + i == 2020 else ('' if v is None else v)},1.5,,,0,0,"
    f"{'unavailable' if v is None else ''},,,Test,2022,\n"
    for iso3, values in _MILEX.items() for i, v in enumerate(values)
)

CAPABILITIES = (
    "iso3,year,milex_thousands_usd,milper_thousands,irst_thousand_tons,pec_thousand_coal_tons,"
    "tpop_thousands,upop_thousands,cinc,release\n"
    "CHN,2018,,,,,,,0.2,Test\nCHN,2019,,,,,,,0.21,Test\n"
    "USA,2018,,,,,,,0.15,Test\nUSA,2019,,,,,,,0.14,Test\n"
)

ARMS = (
    "deal_id,supplier,recipient,supplier_iso3,recipient_iso3,order_year,order_year_uncertain,"
    "number_ordered,number_ordered_uncertain,designation,weapon_category,number_delivered,"
    "number_delivered_uncertain,delivery_years,first_delivery,last_delivery,status,comments,"
    "tiv_per_unit_m,tiv_order_m,tiv_delivered_m\n"
    "000000000001,Soviet Union,India,RUS,IND,1987,0,3,0,A,fighter aircraft,3,0,"
    "1988; 1989; 1990,1988,1990,New,,10,30,30\n"
    "000000000002,Russia,India,RUS,IND,2009,0,2,0,B,ship,2,0,2010; 2011,2010,2011,New,,10,20,20\n"
    "000000000003,South Korea,India,KOR,IND,2010,0,1,0,C,self-propelled gun,1,0,2011,2011,2011,"
    "New,,10,10,10\n"
    "000000000004,United States,Japan,USA,JPN,2010,0,2,0,D,fighter aircraft,2,0,2011; 2012,"
    "2011,2012,New,,20,40,40\n"
    "000000000005,Israel,India,,IND,2010,1,5,1,E,SAM,5,0,2011,2011,2011,New,,1,5,5\n"
    "000000000006,China,Philippines,CHN,PHL,2011,0,1,0,F,patrol craft,1,0,2012,2012,2012,New,,"
    "2,2,2\n"
    "000000000007,United States,Saudi Arabia,USA,,2010,0,10,0,G,fighter aircraft,10,0,2011,"
    "2011,2011,New,,10,100,100\n"
    "000000000008,United States,Australia,USA,AUS,2023,0,4,0,H,helicopter,,0,,,,New,,5,20,\n"
)
ARMS = "\n".join(line + (",release" if i == 0 else ",Test") if line else line
                 for i, line in enumerate(ARMS.split("\n")))

STATE_SYSTEM = "system,iso3,code,name,start,end,release\n" + "".join(
    f"cow,{iso3},{code},{iso3},{start},{end},Test\n" for iso3, code, start, end in [
        ("USA", 2, "1816-01-01", ""), ("JPN", 740, "1860-01-01", "1945-09-02"),
        ("JPN", 740, "1952-04-28", ""), ("KOR", 732, "1949-01-01", ""),
        ("AUS", 900, "1920-01-10", ""), ("PHL", 840, "1946-07-04", ""),
        ("CHN", 710, "1860-01-01", ""), ("RUS", 365, "1816-01-01", ""),
        ("IND", 750, "1947-08-15", ""), ("PRK", 731, "1948-09-09", "")]) + "".join(
    f"gw,{iso3},{code},{iso3},{start},,Test\n" for iso3, code, start in [
        ("USA", 2, "1816-01-01"), ("JPN", 740, "1816-01-01"), ("KOR", 732, "1948-08-15"),
        ("AUS", 900, "1901-01-01"), ("PHL", 840, "1946-07-04"), ("CHN", 710, "1816-01-01"),
        ("RUS", 365, "1816-01-01"), ("IND", 750, "1947-08-15"), ("PRK", 731, "1948-09-09")])

ATOP = ("year,iso3_a,iso3_b,defense,offense,neutrality,nonaggression,consultation,release\n"
        "1960,JPN,USA,1,0,0,0,1,Test\n1960,KOR,USA,1,0,0,0,0,Test\n"
        "2010,JPN,USA,1,0,0,0,1,Test\n2010,AUS,USA,1,0,0,0,0,Test\n"
        "2010,CHN,PRK,1,0,0,0,0,Test\n")

GAPS = "series_id,year,reason,source\nrimpac,2016,not found,\n"

PRESENCE = (
    "presence_id,host,user,kind,name,lat,lon,coord_precision,established,established_precision,"
    "use_start,use_start_precision,end,end_precision,source,source_url,notes\n"
    f"us-phl-site,PHL,USA,access_site,Site A,15.0,120.5,approximate,2016-01-01,year,,,,,{SRC},,\n"
)
DEPLOY_COLS = ["troops_ad", "army_ad", "navy_ad", "air_force_ad", "marine_corps_ad",
               "coast_guard_ad", "space_force_ad", "army_national_guard", "air_national_guard",
               "army_reserve", "navy_reserve", "marine_corps_reserve", "air_force_reserve",
               "coast_guard_reserve", "total_selected_reserve", "army_civilian",
               "navy_civilian", "marine_corps_civilian", "air_force_civilian", "dod_civilian",
               "total_civilian"]
DEPLOYMENTS = ("iso3,year," + ",".join(DEPLOY_COLS) + ",release\n" + "".join(
    f"{iso3},{year},{troops}," + ",".join([""] * (len(DEPLOY_COLS) - 1)) + ",Test\n"
    for iso3, year, troops in [("JPN", 2020, 55000), ("KOR", 2020, 26000), ("PHL", 2020, 150),
                               ("AUS", 2020, 90), ("JPN", 2010, 35000)]))
BASES = ("site_id,host,name,kind,lat,lon,base,lilypad,fundedsite,release\n"
         "us-jpn-yokosuka,JPN,Yokosuka,base,35.28,139.67,1,0,0,Test\n"
         "us-kor-osan,KOR,Osan,base,37.09,127.03,1,0,0,Test\n")

FILES = {"actors.csv": ACTORS, "agreements.csv": AGREEMENTS, "agreement_members.csv": MEMBERS,
         "exercise_series.csv": SERIES, "exercises.csv": EXERCISES,
         "exercise_participants.csv": PARTICIPANTS, "exercise_gaps.csv": GAPS,
         "engagements.csv": ENGAGEMENTS, "incidents.csv": INCIDENTS,
         "milestones.csv": MILESTONES, "rivalries.csv": RIVALRIES, "milex.csv": MILEX,
         "capabilities.csv": CAPABILITIES, "arms_transfers.csv": ARMS,
         "state_system.csv": STATE_SYSTEM, "atop_dyads.csv": ATOP, "presence.csv": PRESENCE,
         "us_deployments.csv": DEPLOYMENTS, "us_bases.csv": BASES}


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


@pytest.fixture(scope="module")
def c(tmp_path_factory):
    """The fixture folder as a Collection, loaded once per test module (read-only use)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        mp.delenv("APRESEARCH_DATA", raising=False)
        return apr.collection(write_folder(tmp_path_factory.mktemp("data")))


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Each test starts with an empty in-memory cache and its own validation-stamp folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("APRESEARCH_DATA", raising=False)
    apr.clear_cache()
    from apresearch import usage

    usage.reset()
    yield
    apr.clear_cache()


@pytest.fixture
def mini(tmp_path) -> Path:
    """A valid tiny data folder (no datapackage.json: the shipped one applies)."""
    return write_folder(tmp_path / "data")


@pytest.fixture
def mini_tables(mini):
    return apr.load_all(mini)


@pytest.fixture
def coll(mini):
    """The tiny folder as a Collection (the shipped descriptor's coverage applies)."""
    return apr.collection(mini)


def make_notebook(path: Path, cells: list[str], params: str = "x = 1") -> Path:
    """A small notebook: an H1, a tagged parameters cell, then the given code cells."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A test notebook"), p,
                *[nbformat.v4.new_code_cell(c) for c in cells]]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def reference(*parts: str) -> Path:
    """A file of ../shared/reference, or skip the test with the reason."""
    path = REFERENCE.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"reference data not available: {path} (outside the project; optional)")
    return path


