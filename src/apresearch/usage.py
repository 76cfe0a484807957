"""What a session has used: the tables read and the methods applied, recorded as it goes so
that a notebook's references can be generated rather than written by hand
(:func:`apresearch.cite.references`)."""

from __future__ import annotations

__all__ = ["record", "used", "reset"]

_USED: dict[str, None] = {}  # insertion-ordered set


def record(*keys: str) -> None:
    """Note that something was used: ``table:<name>`` or ``method:<bibtex key>``."""
    for k in keys:
        _USED.setdefault(k, None)


def used() -> list[str]:
    """Everything recorded since the last :func:`reset`, in first-use order."""
    return list(_USED)


def reset() -> None:
    """Start recording afresh (the report renderer does this before each report)."""
    _USED.clear()
