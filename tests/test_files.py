"""Atomic writes honour the umask and leave nothing behind on error; the error family."""

from __future__ import annotations

import os
import stat

import pytest

from apresearch import errors
from apresearch.files import atomic_write, umask_mode


@pytest.fixture
def umask():
    """Set the process umask for a test and restore it afterwards."""
    old = os.umask(0o022)
    os.umask(old)

    def set_(mask: int) -> None:
        os.umask(mask)

    yield set_
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600),
                                                (0o002, 0o664), (0o000, 0o666)])
def test_atomic_write_honours_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    assert umask_mode() == expected
    out = atomic_write(tmp_path / "t.csv", "a,b\n")
    assert out == tmp_path / "t.csv"
    assert mode(out) == expected  # not mkstemp's 0600
    assert os.umask(mask) == mask  # the umask itself is left as it was


def test_umask_mode_of_another_base(umask):
    umask(0o027)
    assert umask_mode(0o777) == 0o750
    assert umask_mode(0o666) == 0o640


def test_atomic_write_text_and_bytes(tmp_path):
    p = atomic_write(tmp_path / "a.txt", "Côte d’Ivoire\n")
    assert p.read_bytes() == "Côte d’Ivoire\n".encode()
    atomic_write(p, "Côte\n", encoding="latin-1")
    assert p.read_bytes() == b"C\xf4te\n"
    atomic_write(p, b"\x00\x01")
    assert p.read_bytes() == b"\x00\x01"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt"]  # no temporary file left


def test_atomic_write_replaces_and_resets_the_mode(tmp_path, umask):
    umask(0o022)
    p = tmp_path / "t.csv"
    p.write_text("old")
    p.chmod(0o600)
    atomic_write(p, "new")
    assert p.read_text() == "new" and mode(p) == 0o644


def test_atomic_write_leaves_no_temp_file_on_error(tmp_path, monkeypatch):
    p = tmp_path / "t.csv"
    p.write_text("old")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(p, "new")
    monkeypatch.undo()
    assert p.read_text() == "old"  # the old file or the new one, never half
    assert sorted(x.name for x in tmp_path.iterdir()) == ["t.csv"]


def test_atomic_write_leaves_no_temp_file_on_interrupt(tmp_path, monkeypatch):
    def interrupt(*a):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "chmod", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "t.csv", "new")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_bad_encoding_writes_nothing(tmp_path):
    with pytest.raises(UnicodeEncodeError):
        atomic_write(tmp_path / "t.txt", "d’I", encoding="latin-1")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_into_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic_write(tmp_path / "nowhere" / "t.txt", "x")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ the error family
@pytest.mark.parametrize("cls", [errors.DataValidationError, errors.ParameterError,
                                 errors.ImportFormatError, errors.RenderError])
def test_every_error_is_an_apresearch_error_and_a_value_error(cls):
    assert issubclass(cls, errors.ApresearchError) and issubclass(cls, ValueError)


def test_data_validation_error_lists_its_problems():
    one = errors.DataValidationError(["a.csv: bad"], "/data")
    assert str(one) == "1 problem in data folder /data:\n  - a.csv: bad"
    assert one.problems == ["a.csv: bad"] and one.folder == "/data"
    two = errors.DataValidationError(iter(["x", "y"]), os.path.join("d"))
    assert str(two) == "2 problems in data folder d:\n  - x\n  - y"
    assert two.problems == ["x", "y"]
    none = errors.DataValidationError([], "d")
    assert str(none) == "0 problems in data folder d:"
