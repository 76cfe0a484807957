"""What a result was computed with: package versions and the data release."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata

from . import __version__
from . import data as _data

__all__ = ["versions", "data_release"]

_PACKAGES = ("pandas", "numpy", "networkx", "matplotlib", "frictionless", "papermill")


def data_release(path=None) -> dict[str, str]:
    """Version of the data package and a short content hash of its tables."""
    folder = _data.data_dir(path)
    desc = _data.descriptor(folder)
    h = hashlib.sha256()
    for res in desc["resources"]:
        p = folder / res["path"]
        if p.is_file():
            h.update(p.read_bytes())
    return {"data_folder": str(folder), "data_version": str(desc.get("version", "unknown")),
            "data_sha256": h.hexdigest()[:12]}


def versions(path=None, *, show: bool = True) -> dict[str, str]:
    """Versions of Python, apresearch and its main dependencies, and the data release."""
    out = {"python": platform.python_version(), "apresearch": __version__}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    out.update(data_release(path))
    if show:
        width = max(map(len, out))
        for key, value in out.items():
            print(f"{key:<{width}}  {value}")
    return out
