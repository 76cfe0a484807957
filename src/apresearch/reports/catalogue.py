"""The catalogue of notebooks: where they are, what each asks, what to read before and after,
and how a name on the command line resolves to one of them.

:data:`CATALOGUE` is the one list the README's notebook table, each notebook's
"Prerequisites" line and "What's next" section are tested against, so none of them can drift.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError

__all__ = ["Entry", "CATALOGUE", "notebooks_dir", "list_notebooks", "resolve_notebook",
           "notebook_parameters", "report_stem", "entry"]


@dataclass(frozen=True)
class Entry:
    """One notebook of the collection."""

    stem: str
    question: str
    prerequisites: tuple[str, ...] = ()
    next: tuple[str, ...] = ()


CATALOGUE: tuple[Entry, ...] = (
    Entry("00-overview", "What is in the collection, how far back does each table go, and "
          "where do its facts come from?", (), ("01-actors", "02-alliances")),
    Entry("01-actors", "Who are the actors, and which agreements does each bring in a given "
          "year?", ("00-overview",), ("02-alliances",)),
    Entry("02-alliances", "How did the US hub-and-spoke system of 1951 become the latticework "
          "of 2025, and where do China and Russia sit? Network maps, centrality over time, a "
          "latticework measure, communities.", ("01-actors",), ("03-exercises",)),
    Entry("03-exercises", "Who trains with whom since 1980? How fast have minilateral formats "
          "grown, who are the US's, China's and Russia's exercise partners per decade, and "
          "which states train with both the US and China?", ("02-alliances",),
          ("04-defence-diplomacy",)),
    Entry("04-defence-diplomacy", "Dialogues, visits, calls, port calls, hotlines, CBMs and "
          "suspensions since 1990; the US-China case study, with the open/suspended timeline "
          "of their military channels against incidents and Taiwan arms sales.",
          ("02-alliances", "03-exercises"), ("05-tensions",)),
    Entry("05-tensions", "Where and how intensely do tensions flare since 1990, in which "
          "escalation episodes, between which states, and do dialogue and confidence-building "
          "coincide with calmer periods?", ("04-defence-diplomacy",), ("06-capabilities",)),
    Entry("06-capabilities", "How much do the region's states spend, how heavy is the burden, "
          "how has the China-US balance shifted (SIPRI and COW), do rivals' budgets move "
          "together, and who supplies whom?", ("05-tensions",), ("07-country-profile",)),
    Entry("07-country-profile", "One actor, everything: agreements in force, exercise "
          "partners, engagements, incidents, spending, foreign presence, its Defence Networks "
          "index and its power gap.", ("02-alliances", "06-capabilities"),
          ("08-dyad", "09-scenarios")),
    Entry("08-dyad", "One pair: shared agreements, training together, channel status, "
          "incidents, alliance-portfolio similarity over time (S, kappa and pi side by side), "
          "and whether their budgets race.", ("02-alliances", "06-capabilities"),
          ("09-scenarios",)),
    Entry("09-scenarios", "What if an actor or agreement were gone, or a new pact signed? The "
          "network, its communities and the index, recorded vs scenario.",
          ("02-alliances", "07-country-profile"), ("10-presence",)),
    Entry("10-presence", "Who is stationed where: foreign bases, access sites and rotational "
          "forces in a year and since 1950, US personnel in the region by host, and which "
          "hosts have both alliance ties and presence.", ("02-alliances",),
          ("07-country-profile",)),
)


def entry(stem: str) -> Entry:
    """The catalogue entry of a notebook stem."""
    for e in CATALOGUE:
        if e.stem == stem:
            return e
    raise RenderError(f"no catalogue entry for {stem!r}; catalogue: "
                      + ", ".join(e.stem for e in CATALOGUE))


def notebooks_dir() -> Path:
    """The collection's ``notebooks/`` folder (of the source checkout)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "notebooks"
        if candidate.is_dir() and any(candidate.glob("[0-9][0-9]-*.ipynb")):
            return candidate
    raise RenderError("no notebooks/ folder found next to the apresearch package")


def list_notebooks(folder: Path | None = None) -> list[Path]:
    """The notebooks of a folder, ``NN-topic.ipynb``, in reading order."""
    folder = folder or notebooks_dir()
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def resolve_notebook(name: str | os.PathLike, folder: Path | None = None) -> Path:
    """A notebook by path, by stem (``02-alliances``) or by a prefix of its stem (``02``).

    A prefix that matches several notebooks is refused with the list, so that a variant
    beside the original (``02-alliances-my-variant``) is never rendered by mistake.
    """
    p = Path(name)
    if p.suffix == ".ipynb":
        if p.is_file():
            return p.resolve()
        raise RenderError(f"notebook file {p} does not exist")
    available = list_notebooks(folder)
    text = str(name)
    exact = [nb for nb in available if text in (nb.stem, nb.name)]
    if exact:
        return exact[0].resolve()
    matches = [nb for nb in available if nb.stem.startswith(text)]
    if len(matches) == 1:
        return matches[0].resolve()
    if len(matches) > 1:
        raise RenderError(f"notebook {text!r} matches several: "
                          + ", ".join(nb.stem for nb in matches) + "; give the full name")
    raise RenderError(f"unknown notebook {text!r}; available: "
                      + ", ".join(nb.stem for nb in available))


def notebook_parameters(path: Path) -> dict:
    """Parameter names and defaults of a notebook's ``parameters`` cell."""
    import ast

    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise RenderError(f"{path}: not a readable notebook ({type(exc).__name__})") from None
    cells = [c for c in nb.cells if c.cell_type == "code"
             and "parameters" in c.metadata.get("tags", [])]
    if not cells:
        return {}
    out = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            try:
                out[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                out[node.targets[0].id] = None
    return out


_SAFE = re.compile(r"[^A-Za-z0-9._]+")
MAX_STEM = 80


def _slug(value) -> tuple[str, bool]:
    """A file-name-safe form of a value, and whether it is exact: nothing cut or replaced but
    spaces (so no other value has the same slug). A text that reads as another JSON value
    ("5", "true") or holds the separator "_" is not exact: 5 and "5", or {"a": "b_c"} and
    {"a": "b", "c": ...}, would otherwise share a name."""
    text = value if isinstance(value, str) else json.dumps(value)
    slug = _SAFE.sub("-", text).strip("-")[:40] or "x"
    exact = slug == text.replace(" ", "-") and "-" not in text and "_" not in text
    if exact and isinstance(value, str):
        try:
            json.loads(text)
            exact = False
        except ValueError:
            pass
    return slug, exact


def report_stem(path: Path, parameters: dict) -> str:
    """Output name: the notebook's stem, then each parameter as name-value; where a value
    had to be shortened or changed to fit a file name, a short hash of all the parameters
    is added, so distinct parameters never share a file."""
    if not parameters:
        return path.stem
    parts, exact = [], True
    for k, v in sorted(parameters.items()):
        slug, ok = _slug(v)
        parts.append(f"{k}-{slug}")
        exact &= ok
    stem = path.stem + "__" + "_".join(parts)
    if not exact or len(stem) > MAX_STEM:
        digest = hashlib.sha1(json.dumps(parameters, sort_keys=True).encode()).hexdigest()[:8]
        stem = stem[:MAX_STEM] + "_h" + digest
    return stem
