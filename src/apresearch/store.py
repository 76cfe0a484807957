"""The store of a collection: the validated tables, each table's declared coverage and release, and
where they came from.

Every analysis function of the package takes its tables the same way: a keyword argument
``data``, which is

* omitted (``None``): the shipped collection (the ``data/`` folder, or ``$APRESEARCH_DATA``);
* a :class:`Collection`: e.g. ``apr.collection("my-data")``, or one built from frames with
  :meth:`Collection.from_frames`, or a scenario's (:func:`apresearch.scenarios.apply`);
* a folder path: shorthand for ``apr.collection(path)``.

Functions read nothing else: no file, no global, no second source of coverage.

**Coverage** is declared once per table, in ``datapackage.json`` (``"coverage": {"start":
..., "end": ...}``). Outside it, every count, score or index built from the table is NA;
inside it, a count with nothing recorded is 0. A folder without its own descriptor, and a
collection built from frames without an explicit ``coverage``, are governed by the shipped
descriptor, exactly as validation is.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pandas as pd

from . import data as _data
from .errors import ParameterError
from .usage import collecting, record

__all__ = ["Collection", "collection", "resolve", "clear_cache", "frames_sha256"]


class Collection(Mapping):
    """The collection's tables with their declared coverage and releases.

    ``c["agreements"]`` returns a copy of a table (safe to change); :meth:`view` returns the
    stored frame itself, for read-only use. ``c.coverage("incidents")`` gives the years the
    table sets out to cover; ``c.release("milex")`` its release; ``c.sha256`` a content hash
    of every table; ``c.origin`` the folder it was read from (or ``"frames"``).
    """

    def __init__(self, frames: Mapping[str, pd.DataFrame], *, descriptor: dict, origin: str,
                 sha256: str):
        self._frames = dict(frames)
        self._descriptor = descriptor
        self._resources = {r["name"]: r for r in descriptor.get("resources", [])}
        self.origin = origin
        self.sha256 = sha256
        self.cache: dict = {}
        """Derived structures memoised by analysis functions (keyed by their name; see
        :meth:`memo`); they depend only on the tables, so they are valid for the
        collection's lifetime."""
        self._used_by: dict = {}  # memo key -> the tables and methods its computation used

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame], *,
                    coverage: Mapping[str, tuple[int, int]] | None = None,
                    releases: Mapping[str, str] | None = None,
                    base: Collection | None = None) -> Collection:
        """A collection from in-memory frames (tests, a user's own tables, scenarios).

        ``coverage`` and ``releases`` override, per table, what the shipped descriptor (or
        ``base``'s, for a modified copy of a collection) declares. Frames are not validated:
        build them from validated tables, or write them to a folder and use
        :func:`collection`.
        """
        desc = _clone(base._descriptor if base is not None else _data.descriptor())
        res = {r["name"]: r for r in desc["resources"]}
        for name, span in (coverage or {}).items():
            start, end = _span(name, span)
            res.setdefault(name, {"name": name}).update(
                coverage={"start": start, "end": end})
        for name, release in (releases or {}).items():
            res.setdefault(name, {"name": name})["release"] = str(release)
        desc["resources"] = list(res.values())
        return cls(frames, descriptor=desc, origin="frames", sha256=frames_sha256(frames))

    def replace(self, **frames: pd.DataFrame) -> Collection:
        """A copy with some tables replaced (coverage and releases kept)."""
        new = {**self._frames, **frames}
        return Collection(new, descriptor=self._descriptor, origin=self.origin,
                          sha256=frames_sha256(new))

    # ------------------------------------------------------------------ mapping
    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.view(name).copy()

    def __contains__(self, name) -> bool:
        return name in self._frames

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __repr__(self) -> str:
        return (f"<Collection {self.origin!r}: {len(self)} tables, sha256 {self.sha256[:12]}>")

    def view(self, name: str) -> pd.DataFrame:
        """The stored table itself (do not modify it; use ``c[name]`` for a copy)."""
        try:
            frame = self._frames[name]
            record(f"table:{name}")
            return frame
        except KeyError:
            raise ParameterError(f"no table {name!r} in the collection; tables: "
                                 + ", ".join(self._frames)) from None

    # ------------------------------------------------------------------ metadata
    @property
    def descriptor(self) -> dict:
        """The data package descriptor that governs the collection (a copy)."""
        return _clone(self._descriptor)

    def coverage(self, name: str) -> tuple[int, int]:
        """First and last year the table sets out to cover (declared, not observed)."""
        res = self._resources.get(name)
        if res is None or "coverage" not in res:
            declared = sorted(n for n, r in self._resources.items() if "coverage" in r)
            raise ParameterError(f"table {name!r} declares no coverage; tables with one: "
                                 + ", ".join(declared))
        return int(res["coverage"]["start"]), int(res["coverage"]["end"])

    def covers(self, name: str, year: int) -> bool:
        """True if ``year`` lies within the table's declared coverage."""
        start, end = self.coverage(name)
        return start <= int(year) <= end

    def common_coverage(self, *names: str) -> tuple[int, int]:
        """The years every one of the tables covers (start > end if they do not overlap)."""
        spans = [self.coverage(n) for n in names]
        return max(s for s, _ in spans), min(e for _, e in spans)

    def release(self, name: str) -> str | None:
        """The table's release: what an imported table's ``release`` column records (its
        distinct values joined by '; '), else the descriptor's ``release`` property; None for
        curated tables."""
        df = self._frames.get(name)
        if df is not None and "release" in df.columns:
            values = sorted(set(df["release"].dropna().astype(str)))
            if values:
                return "; ".join(values)
        return self._resources.get(name, {}).get("release")

    def summary(self) -> pd.DataFrame:
        """Per table: rows, declared coverage (first and last year), release, and how many
        distinct sources its rows cite (curated tables)."""
        rows = []
        for name, df in self._frames.items():
            span = self._resources.get(name, {}).get("coverage", {})
            rows.append({"table": name, "rows": len(df), "first_year": span.get("start"),
                         "last_year": span.get("end"), "release": self.release(name),
                         "sources": int(df["source"].nunique()) if "source" in df else None})
        out = pd.DataFrame(rows)
        return out.astype({"first_year": "Int64", "last_year": "Int64", "sources": "Int64"})

    def memo(self, key: str, compute: Callable[[], object]) -> object:
        """``compute()`` once for this collection, kept in :attr:`cache` under ``key``.

        What the computation read (tables, methods) is recorded again on every later call,
        so a session's references list the tables behind a memoised result too."""
        if key not in self.cache:
            with collecting() as used:
                value = compute()
            self.cache[key] = value
            self._used_by[key] = tuple(used)
        else:
            record(*self._used_by.get(key, ()))
        return self.cache[key]

    def actor_attributes(self) -> dict[str, dict]:
        """Node attributes of every actor for graphs and maps: iso3 -> name, lat, lon,
        subregion, regional (sorted by iso3; cached)."""
        def attributes() -> dict[str, dict]:
            a = self.view("actors").sort_values("iso3")
            return {str(r.iso3): {"name": str(r.name), "lat": float(r.lat),
                                  "lon": float(r.lon), "subregion": str(r.subregion),
                                  "regional": bool(r.regional)}
                    for r in a.itertuples(index=False)}

        return self.memo("collection.actor_attributes", attributes)

    def releases(self) -> dict[str, str]:
        """Every table's release (tables without one are left out)."""
        out = {n: self.release(n) for n in self._frames}
        return {n: r for n, r in out.items() if r}


def _clone(d: dict) -> dict:
    import copy

    return copy.deepcopy(d)


def _span(name: str, span) -> tuple[int, int]:
    try:
        start, end = (int(x) for x in span)
    except (TypeError, ValueError):
        raise ParameterError(f"coverage of {name!r} must be (start, end) years, got {span!r}"
                             ) from None
    if start > end:
        raise ParameterError(f"coverage of {name!r}: start {start} is after end {end}")
    return start, end


def frames_sha256(frames: Mapping[str, pd.DataFrame]) -> str:
    """A content hash of in-memory tables (names, columns and values)."""
    h = hashlib.sha256()
    for name in sorted(frames):
        df = frames[name]
        h.update(name.encode())
        h.update("\x1f".join(map(str, df.columns)).encode())
        try:
            hashed = pd.util.hash_pandas_object(df, index=False)
        except TypeError:  # unhashable cells (lists): hash their text
            hashed = pd.util.hash_pandas_object(df.astype(str), index=False)
        h.update(hashed.to_numpy().tobytes())
    return h.hexdigest()


_COLLECTIONS: dict[tuple[str, str], Collection] = {}


def collection(path: str | os.PathLike | None = None) -> Collection:
    """The collection of a data folder (default: the shipped one), validated and cached.

    The same folder with the same bytes gives the same object, so derived structures that
    analysis functions memoise on it are reused across calls and notebooks.
    """
    folder = _data.data_dir(path)
    frames, desc, sig = _data.load_folder(folder)
    key = (str(folder), sig)
    found = _COLLECTIONS.get(key)
    if found is None:
        found = _COLLECTIONS[key] = Collection(frames, descriptor=desc, origin=str(folder),
                                               sha256=sig)
    return found


def resolve(data: Collection | str | os.PathLike | None) -> Collection:
    """The collection an analysis function works on: see the module doc."""
    if data is None:
        return collection()
    if isinstance(data, Collection):
        return data
    if isinstance(data, (str, os.PathLike)):
        return collection(Path(data))
    raise ParameterError(f"data={type(data).__name__} is not valid; give a Collection "
                         "(apr.collection(...)), a data folder path, or nothing for the "
                         "shipped collection")


def clear_cache() -> None:
    """Forget the tables and collections loaded in this process (the next load re-reads and
    re-validates)."""
    _COLLECTIONS.clear()
    _data.clear_cache()
