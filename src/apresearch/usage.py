"""What a session has used: the tables read and the methods applied, recorded as it goes so
that a notebook's references can be generated rather than written by hand
(:func:`apresearch.cite.references`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["record", "used", "reset", "collecting"]

_USED: dict[str, None] = {}  # insertion-ordered set
_FRAMES: list[dict[str, None]] = []  # what each open `collecting` block has seen


def record(*keys: str) -> None:
    """Note that something was used: ``table:<name>`` or ``method:<bibtex key>``."""
    for k in keys:
        _USED.setdefault(k, None)
        for frame in _FRAMES:
            frame.setdefault(k, None)


@contextmanager
def collecting() -> Iterator[dict[str, None]]:
    """What is recorded inside the block (also what was recorded before it, if used again):
    the keys, in first-use order. Blocks nest."""
    frame: dict[str, None] = {}
    _FRAMES.append(frame)
    try:
        yield frame
    finally:  # by identity: two blocks that saw the same keys are equal dicts
        del _FRAMES[next(i for i in reversed(range(len(_FRAMES))) if _FRAMES[i] is frame)]


def used() -> list[str]:
    """Everything recorded since the last :func:`reset`, in first-use order."""
    return list(_USED)


def reset() -> None:
    """Start recording afresh (the report renderer does this before each report)."""
    _USED.clear()
