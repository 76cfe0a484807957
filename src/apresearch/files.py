"""Writing files safely: whole or not at all, never over what a user wrote by accident, and
with the permissions the user's umask asks for.

:func:`atomic_write` writes to a temporary file in the target's folder and renames it over
the target, so a reader sees the old file or the new one, never half of one. Temporary files
from :mod:`tempfile` are created with mode 0600; the file is given ``0666 & ~umask`` (as
``open()`` would) before the rename.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "umask_mode"]


def umask_mode(base: int = 0o666) -> int:
    """The mode a new file gets under the current umask (``base & ~umask``)."""
    mask = os.umask(0)
    os.umask(mask)
    return base & ~mask


def atomic_write(path: str | os.PathLike, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text or bytes) to ``path`` atomically, honouring the umask."""
    path = Path(path)
    raw = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp, umask_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
