"""Set-up files agree with each other, the public API is what the README promises, and the
package's imports run one way."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib

import yaml
from conftest import REPO
from packaging.requirements import Requirement

import apresearch as apr

SRC = REPO / "src" / "apresearch"


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


def test_versions_agree():
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert apr.__version__ == version
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert str(cff["version"]) == version
    bib = apr.cite.entries()["apresearch"]
    assert f"version = {{{version}}}" in bib
    title = cff["title"].replace("—", "---")
    assert f"title = {{{title}}}" in bib


def test_public_api_resolves():
    for name in apr.__all__:
        assert getattr(apr, name) is not None, name


def test_import_is_light():
    """`import apresearch` must not pull in pandas, networkx or matplotlib."""
    code = ("import sys, apresearch; "
            "print(sorted(m for m in ('pandas', 'networkx', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_layers():
    """import-linter's layers contracts (pyproject.toml) hold: no circle, no upward import."""
    out = subprocess.run([sys.executable, "-m", "importlinter.cli"], cwd=REPO,
                         capture_output=True, text=True)
    if "No module named" in out.stderr:  # older import-linter: the console script
        out = subprocess.run([str(REPO / ".venv" / "bin" / "lint-imports")], cwd=REPO,
                             capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "broken" not in out.stdout.split("Contracts:")[-1] or " 0 broken" in out.stdout


def _imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, 0, []


def test_nothing_imports_the_package_face():
    """No module imports ``apresearch/__init__`` (e.g. ``from . import __version__``)."""
    bad = []
    for path in SRC.rglob("*.py"):
        if path.name == "__init__.py" and path.parent == SRC:
            continue
        depth = len(path.relative_to(SRC).parts) - 1
        for module, level, names in _imports(path):
            if level and level == depth + 1 and not module:
                face = [n for n in names if not (SRC / f"{n}.py").exists()
                        and not (SRC / n).is_dir()]
                if face:
                    bad.append(f"{path.relative_to(REPO)} imports {face} from the package face")
            if level == 0 and (module == "apresearch" or module.startswith("apresearch ")):
                bad.append(f"{path.relative_to(REPO)} imports apresearch")
    assert bad == [], "\n".join(bad)


def test_no_private_name_crosses_modules():
    """A name starting with '_' is used only in the module that defines it."""
    bad = []
    for path in SRC.rglob("*.py"):
        for module, level, names in _imports(path):
            if level or module.startswith("apresearch"):
                for n in names:
                    if n.startswith("_") and n != "__version__":
                        bad.append(f"{path.relative_to(REPO)}: from {'.' * level}{module} "
                                   f"import {n}")
                if module.split(".")[-1].startswith("_") and module.split(".")[-1] != "_version":
                    bad.append(f"{path.relative_to(REPO)}: imports private module {module}")
        text = path.read_text()
        for m in re.finditer(r"\b(?:c|coll|data|self\.c)\._(frames|resources|descriptor)\b",
                             text):
            if path.name != "store.py":
                bad.append(f"{path.relative_to(REPO)}: uses Collection.{m.group(0)}")
    assert bad == [], "\n".join(bad)


def test_console_script(mini):
    out = subprocess.run([sys.executable, "-m", "apresearch.cli", "validate", str(mini)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "valid (" in out.stdout and "tables)" in out.stdout


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    readme = (REPO / "README.md").read_text()
    assert "make test" in ci and "make test" in readme and "make report" in readme
    make = (REPO / "Makefile").read_text()
    assert "lint-imports" in make.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "--allow-root" in make
