"""Checks for notebook and function parameters: a bad value stops with a message that names
it and lists what is valid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .errors import ParameterError

__all__ = [
    "ParameterError", "check_year", "check_years", "check_int", "check_kinds", "check_country",
    "check_choice", "check_pair", "check_members",
]


def _is_int(value) -> bool:
    try:
        import numpy as np

        ints: tuple[type, ...] = (int, np.integer)
    except ImportError:  # pragma: no cover
        ints = (int,)
    return isinstance(value, ints) and not isinstance(value, bool)


def check_year(year, first: int, last: int, *, name: str = "year") -> int:
    """Return ``year`` as int if it is an integer within [first, last], else raise."""
    if not _is_int(year):
        raise ParameterError(
            f"{name}={year!r} is not a whole year; valid years are {first}-{last}."
        )
    if not first <= int(year) <= last:
        raise ParameterError(
            f"{name}={year} is outside the data's coverage; valid years are {first}-{last}."
        )
    return int(year)


def check_years(start, end, first: int, last: int) -> tuple[int, int]:
    """Check a start/end pair of years: both in coverage and start <= end."""
    start = check_year(start, first, last, name="start")
    end = check_year(end, first, last, name="end")
    if start > end:
        raise ParameterError(f"start={start} is after end={end}; give start <= end.")
    return start, end


def check_members(values, valid: Iterable[str], *, name: str, allow_empty: bool = False,
                  shown: int = 60) -> list[str]:
    """Return ``values`` as a list if every item is one of ``valid``, else raise naming the
    unknown items and (up to ``shown`` of) the valid ones. A single string is one item."""
    valid = list(valid)
    listed = ", ".join(map(str, valid[:shown])) + (" ..." if len(valid) > shown else "")
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, Iterable):
        raise ParameterError(f"{name}={values!r} must be a list; valid items: {listed}.")
    values = list(values)
    known = set(valid)
    unknown = [v for v in values if v not in known]
    if unknown:
        raise ParameterError(
            f"{name} has unknown value(s) {', '.join(map(repr, unknown))}; valid: {listed}."
        )
    if not values and not allow_empty:
        raise ParameterError(f"{name} is empty; give at least one of: {listed}.")
    return values


def check_kinds(kinds, valid: Sequence[str], *, name: str = "kinds") -> list[str]:
    """Return ``kinds`` as a list if every item is one of ``valid``, else raise."""
    return check_members(kinds, valid, name=name)


def check_country(iso3, valid: Iterable[str], *, name: str = "country") -> str:
    """Return ``iso3`` if it is one of the valid actor codes, else raise listing them."""
    valid = sorted(valid)
    if not isinstance(iso3, str) or iso3 not in valid:
        hint = ""
        if isinstance(iso3, str) and iso3.upper() in valid:
            hint = f" (did you mean {iso3.upper()!r}?)"
        raise ParameterError(
            f"{name}={iso3!r} is not an actor code{hint}; valid ISO3 codes: {', '.join(valid)}."
        )
    return iso3


def check_int(value, first: int, last: int, *, name: str) -> int:
    """Return ``value`` as int if it is a whole number within [first, last], else raise."""
    if not _is_int(value) or not first <= int(value) <= last:
        raise ParameterError(f"{name}={value!r} is not valid; give a whole number {first}-{last}.")
    return int(value)


def check_choice(value, valid: Sequence[str], *, name: str) -> str:
    """Return ``value`` if it is one of ``valid``, else raise listing them."""
    if value not in valid:
        raise ParameterError(
            f"{name}={value!r} is not valid; valid: {', '.join(map(repr, valid))}."
        )
    return value


def check_pair(a, b, valid: Iterable[str]) -> tuple[str, str]:
    """Two different actor codes, each valid; else raise listing the valid codes."""
    a = check_country(a, valid, name="country_a")
    b = check_country(b, valid, name="country_b")
    if a == b:
        raise ParameterError(f"country_a and country_b are both {a!r}; give two different "
                             "states.")
    return a, b
