"""Parameter checks: every function, its return value and its exact message."""

from __future__ import annotations

import re

import numpy as np
import pytest

import apresearch as apr
from apresearch import params as p
from apresearch.errors import ApresearchError, ParameterError


def raises(fn, *args, message, **kwargs):
    """The ParameterError ``fn`` raises has exactly ``message``."""
    with pytest.raises(ParameterError, match=f"^{re.escape(message)}$"):
        fn(*args, **kwargs)


def test_parameter_error_is_an_apresearch_error_and_a_value_error():
    assert issubclass(ParameterError, ApresearchError) and issubclass(ParameterError, ValueError)
    assert p.ParameterError is ParameterError and apr.ParameterError is ParameterError


# ------------------------------------------------------------------ check_year
@pytest.mark.parametrize("year", [1990, 2000, 2025, np.int64(2000), np.int32(1990)])
def test_check_year_accepts_whole_years_in_range(year):
    got = p.check_year(year, 1990, 2025)
    assert got == int(year) and type(got) is int


@pytest.mark.parametrize("year", [2000.0, "2000", True, None, 1999.5])
def test_check_year_refuses_what_is_not_a_whole_year(year):
    raises(p.check_year, year, 1990, 2025,
           message=f"year={year!r} is not a whole year; valid years are 1990-2025.")


@pytest.mark.parametrize("year", [1989, 2026])
def test_check_year_refuses_years_outside_coverage(year):
    raises(p.check_year, year, 1990, 2025,
           message=f"year={year} is outside the data's coverage; valid years are 1990-2025.")


def test_check_year_names_the_parameter():
    raises(p.check_year, 1800, 1990, 2025, name="start",
           message="start=1800 is outside the data's coverage; valid years are 1990-2025.")
    raises(p.check_year, "x", 1990, 2025, name="end",
           message="end='x' is not a whole year; valid years are 1990-2025.")


# ------------------------------------------------------------------ check_years
def test_check_years_returns_the_pair():
    assert p.check_years(1990, 1990, 1990, 2025) == (1990, 1990)  # start == end is fine
    assert p.check_years(np.int64(1995), 2025, 1990, 2025) == (1995, 2025)


def test_check_years_messages():
    raises(p.check_years, 2000, 1995, 1990, 2025,
           message="start=2000 is after end=1995; give start <= end.")
    raises(p.check_years, 1980, 1995, 1990, 2025,
           message="start=1980 is outside the data's coverage; valid years are 1990-2025.")
    raises(p.check_years, 1995, 2030, 1990, 2025,
           message="end=2030 is outside the data's coverage; valid years are 1990-2025.")


# ------------------------------------------------------------------ check_int
@pytest.mark.parametrize("value", [1, 3, 5, np.int64(4)])
def test_check_int_accepts(value):
    got = p.check_int(value, 1, 5, name="window")
    assert got == int(value) and type(got) is int


@pytest.mark.parametrize("value", [0, 6, 2.0, True, "3", None])
def test_check_int_refuses(value):
    raises(p.check_int, value, 1, 5, name="window",
           message=f"window={value!r} is not valid; give a whole number 1-5.")


# ------------------------------------------------------------------ check_members / kinds
def test_check_members_returns_a_list():
    assert p.check_members(("a", "b"), ["a", "b", "c"], name="kinds") == ["a", "b"]
    assert p.check_members("b", ["a", "b"], name="kinds") == ["b"]  # one string is one item
    assert p.check_members(iter(["c"]), ["a", "b", "c"], name="kinds") == ["c"]
    assert p.check_members([], ["a"], name="kinds", allow_empty=True) == []


def test_check_members_unknown_items_are_listed_in_order():
    raises(p.check_members, ["x", "a", "y"], ["a", "b"], name="kinds",
           message="kinds has unknown value(s) 'x', 'y'; valid: a, b.")


def test_check_members_empty():
    raises(p.check_members, [], ["a", "b"], name="kinds",
           message="kinds is empty; give at least one of: a, b.")


def test_check_members_not_a_list():
    raises(p.check_members, 5, ["a", "b"], name="kinds",
           message="kinds=5 must be a list; valid items: a, b.")


def test_check_members_shows_at_most_shown_valid_items():
    valid = [f"v{i}" for i in range(5)]
    raises(p.check_members, ["z"], valid, name="k", shown=3,
           message="k has unknown value(s) 'z'; valid: v0, v1, v2 ....")
    raises(p.check_members, ["z"], valid, name="k", shown=5,
           message="k has unknown value(s) 'z'; valid: v0, v1, v2, v3, v4.")
    many = [f"w{i:02d}" for i in range(61)]  # the default shows 60
    with pytest.raises(ParameterError) as info:
        p.check_members(["z"], many, name="k")
    assert "w59 ...." in str(info.value) and "w60" not in str(info.value)


def test_check_kinds():
    assert p.check_kinds(["visit"], ("visit", "call")) == ["visit"]
    raises(p.check_kinds, ["meal"], ("visit", "call"),
           message="kinds has unknown value(s) 'meal'; valid: visit, call.")
    raises(p.check_kinds, ["meal"], ("visit",), name="kind",
           message="kind has unknown value(s) 'meal'; valid: visit.")
    raises(p.check_kinds, [], ("visit",), message="kinds is empty; give at least one of: visit.")


# ------------------------------------------------------------------ check_country / pair
def test_check_country():
    assert p.check_country("JPN", ["USA", "JPN"]) == "JPN"
    raises(p.check_country, "XXX", ["USA", "JPN"],
           message="country='XXX' is not an actor code; valid ISO3 codes: JPN, USA.")
    raises(p.check_country, "jpn", ["USA", "JPN"], name="host",
           message="host='jpn' is not an actor code (did you mean 'JPN'?); valid ISO3 codes: "
                   "JPN, USA.")
    raises(p.check_country, 392, ["JPN"],
           message="country=392 is not an actor code; valid ISO3 codes: JPN.")
    raises(p.check_country, None, ["JPN"],
           message="country=None is not an actor code; valid ISO3 codes: JPN.")


def test_check_pair():
    assert p.check_pair("USA", "JPN", {"USA", "JPN"}) == ("USA", "JPN")
    raises(p.check_pair, "USA", "USA", ["USA", "JPN"],
           message="country_a and country_b are both 'USA'; give two different states.")
    raises(p.check_pair, "XXX", "USA", ["USA", "JPN"],
           message="country_a='XXX' is not an actor code; valid ISO3 codes: JPN, USA.")
    raises(p.check_pair, "USA", "usa", ["USA", "JPN"],
           message="country_b='usa' is not an actor code (did you mean 'USA'?); valid ISO3 "
                   "codes: JPN, USA.")


# ------------------------------------------------------------------ check_choice
def test_check_choice():
    assert p.check_choice("csv", ("csv", "dta"), name="format") == "csv"
    raises(p.check_choice, "xls", ("csv", "dta"), name="format",
           message="format='xls' is not valid; valid: 'csv', 'dta'.")
    raises(p.check_choice, None, ["a"], name="how", message="how=None is not valid; valid: 'a'.")
