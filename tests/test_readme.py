"""The README's Python examples run as written against the shipped collection."""
import re
from pathlib import Path

import pandas as pd
import pytest

import apresearch as apr

README = Path(__file__).resolve().parents[1] / "README.md"
DATA = Path(__file__).resolve().parents[1] / "data"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_the_examples():
    blocks = python_blocks()
    assert any("apr.collection()" in b for b in blocks)
    assert any("apr.cite.cite" in b for b in blocks)


@pytest.mark.parametrize("marker", ["apr.collection()", "apr.cite.cite"])
def test_readme_example_runs(marker, tmp_path, monkeypatch, capsys):
    block = next(b for b in python_blocks() if marker in b)
    # the examples name a folder of the reader's own CSV files: use a copy of the shipped one
    mine = tmp_path / "my-data"
    mine.mkdir()
    for f in DATA.glob("*.csv"):
        (mine / f.name).write_bytes(f.read_bytes())
    monkeypatch.chdir(tmp_path)
    df = pd.read_csv(DATA / "incidents.csv")
    # blocks after the first assume its `import apresearch as apr`
    exec(compile(block, str(README), "exec"), {"df": df, "apr": apr})  # noqa: S102 - the README's own code
