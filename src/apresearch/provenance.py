"""What a result was computed with: package versions, the data release, and each table's
release and content hash, in a form a methods section can quote."""

from __future__ import annotations

import functools
import hashlib
import platform
from importlib import metadata

import pandas as pd

from ._version import __version__
from .store import resolve

__all__ = ["versions", "data_release", "table_hashes", "methods_text"]

_PACKAGES = ("pandas", "numpy", "networkx", "matplotlib", "frictionless", "papermill")


def table_hashes(*, data=None) -> pd.DataFrame:
    """Per table: rows, release (imported tables) and a short content hash of its values
    (computed once per collection: its tables never change)."""
    c = resolve(data)
    if "table_hashes" not in c.cache:
        c.cache["table_hashes"] = _table_hashes(c)
    return c.cache["table_hashes"].copy()


def _table_hashes(c) -> pd.DataFrame:
    rows = []
    for name in c:
        df = c.view(name)
        h = hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
        h.update("\x1f".join(map(str, df.columns)).encode())
        rows.append({"table": name, "rows": len(df), "release": c.release(name),
                     "sha256": h.hexdigest()[:12]})
    return pd.DataFrame(rows, columns=["table", "rows", "release", "sha256"])


def data_release(*, data=None) -> dict[str, str]:
    """Where the data came from, the data package's version and a short content hash of the
    whole collection."""
    c = resolve(data)
    return {"data_folder": c.origin, "data_version": str(c.descriptor.get("version", "unknown")),
            "data_sha256": c.sha256[:12]}


@functools.cache
def _package_version(name: str) -> str:
    """An installed distribution's version (read once per process: reading the metadata
    walks the site-packages folder)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions(*, data=None, show: bool = True) -> dict[str, str]:
    """Versions of Python, apresearch and its main dependencies, the data release, and each
    table's release and hash (``table.<name>`` keys); printed unless ``show=False``."""
    out = {"python": platform.python_version(), "apresearch": __version__}
    out.update({name: _package_version(name) for name in _PACKAGES})
    out.update(data_release(data=data))
    for r in table_hashes(data=data).itertuples(index=False):
        release = f"{r.release}; " if pd.notna(r.release) and r.release else ""  # NA: curated
        out[f"table.{r.table}"] = f"{release}{r.rows} rows; sha256 {r.sha256}"
    if show:
        width = max(map(len, out))
        for key, value in out.items():
            print(f"{key:<{width}}  {value}")
    return out


def methods_text(*, data=None) -> str:
    """One paragraph for a methods section: the collection's version and hash, and the
    release of every imported table used."""
    c = resolve(data)
    rel = data_release(data=c)
    releases = "; ".join(f"{n}: {r}" for n, r in sorted(c.releases().items()))
    return (f"Data: apresearch {__version__} (data package {rel['data_version']}, content "
            f"hash {rel['data_sha256']}). Imported tables: {releases}.")
