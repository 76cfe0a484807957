"""Set-up files agree with each other, and the public API is what the README promises."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml
from conftest import REPO
from packaging.requirements import Requirement

import apresearch as apr


def _pyproject_requirements() -> dict[str, str]:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in ("lab", "test", "cluster"):
        reqs += meta["optional-dependencies"][extra]
    return {Requirement(r).name.lower(): str(Requirement(r).specifier) for r in reqs}


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):  # the pip: section installs the package itself
            assert dep["pip"] == ["-e ."], "environment.yml must install the package editable"
            continue
        m = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", dep)
        name, spec = m.group(1).lower(), m.group(2).replace(" ", "")
        if name not in {"python", "pip"}:
            out[name] = spec
    return out


def test_environment_matches_pyproject():
    py, conda = _pyproject_requirements(), _conda_requirements()
    assert sorted(set(py) ^ set(conda)) == [], "named in only one of pyproject / environment.yml"
    differing = {n: (py[n], conda[n]) for n in py if py[n] != conda[n]}
    assert differing == {}, f"lower bounds differ (pyproject, environment.yml): {differing}"


def test_public_api_resolves():
    for name in apr.__all__:
        assert getattr(apr, name) is not None, name
    assert apr.__version__ == tomllib.loads((REPO / "pyproject.toml").read_text())[
        "project"]["version"]


def test_import_is_light():
    """`import apresearch` must not pull in pandas, networkx or matplotlib."""
    code = ("import sys, apresearch; "
            "print(sorted(m for m in ('pandas', 'networkx', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_console_script(mini):
    out = subprocess.run([sys.executable, "-m", "apresearch.cli", "validate", str(mini)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "valid (" in out.stdout and "tables)" in out.stdout
