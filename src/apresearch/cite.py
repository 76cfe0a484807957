"""Citing what you used, as peacesciencer's ``ps_cite()`` does: BibTeX entries for the
collection, every imported dataset (with the release the collection holds) and the method
papers behind its measures, chosen by keyword, by table or by function.

>>> import apresearch as apr
>>> print(apr.cite.cite("atop", "similarity"))     # keywords
>>> apr.cite.cite("milex")                          # a table's sources
>>> apr.cite.cite(apr.similarity.similarity)        # a function's
>>> apr.cite.references()                           # what this session used, as Markdown

The bibliography is one file in the package, ``_resources/references.bib``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from .errors import ParameterError
from .usage import used

__all__ = ["BY_TABLE", "BY_KEYWORD", "BY_FUNCTION", "bibliography", "entries", "cite",
           "keys_for", "references"]

# every table -> the entries a user of it cites
BY_TABLE: dict[str, tuple[str, ...]] = {
    "actors": ("apresearch", "cow_states2016", "peacesciencer", "lowy_api2024"),
    "agreements": ("apresearch", "leeds2002atop"),
    "agreement_members": ("apresearch", "leeds2002atop"),
    "exercise_series": ("apresearch",),
    "exercises": ("apresearch", "mme7"),
    "exercise_participants": ("apresearch", "mme7"),
    "exercise_gaps": ("apresearch",),
    "engagements": ("apresearch",),
    "incidents": ("apresearch", "gibler2018narratives"),
    "milestones": ("apresearch",),
    "rivalries": ("thompson2011rivalries", "peacesciencer"),
    "milex": ("sipri_milex",),
    "capabilities": ("singer1972nmc", "cow_nmc70"),
    "arms_transfers": ("sipri_transfers",),
    "state_system": ("cow_states2016", "gleditsch1999"),
    "atop_dyads": ("leeds2002atop", "atop51"),
    "presence": ("apresearch",),
    "us_deployments": ("allen2022troops", "dmdc"),
    "us_bases": ("vine_bases",),
}
BY_KEYWORD: dict[str, tuple[str, ...]] = {
    "apresearch": ("apresearch",), "collection": ("apresearch",),
    "sipri": ("sipri_milex", "sipri_transfers"), "milex": ("sipri_milex",),
    "transfers": ("sipri_transfers",), "atop": ("leeds2002atop", "atop51"),
    "cow": ("cow_states2016", "singer1972nmc", "cow_nmc70"), "nmc": ("singer1972nmc", "cow_nmc70"),
    "gw": ("gleditsch1999",), "gleditsch-ward": ("gleditsch1999",), "mme": ("mme7",),
    "gml": ("gibler2016mid",), "mid": ("gibler2016mid",),
    "narratives": ("gibler2018narratives",),
    "dmdc": ("allen2022troops", "dmdc"), "troopdata": ("allen2022troops", "dmdc"),
    "vine": ("vine_bases",), "bases": ("vine_bases",), "natural-earth": ("natural_earth",),
    "basemap": ("natural_earth",), "similarity": ("signorino1999", "hage2011"),
    "s": ("signorino1999",), "kappa": ("hage2011",), "pi": ("hage2011",),
    "index": ("lowy_api2024",), "power-gap": ("lowy_api2024",), "lowy": ("lowy_api2024",),
    "rivalries": ("thompson2011rivalries",), "peacesciencer": ("peacesciencer",),
}
# "module.function" -> method entries (the tables a function reads are added from usage)
BY_FUNCTION: dict[str, tuple[str, ...]] = {
    "similarity.similarity": ("signorino1999", "hage2011"),
    "similarity.pair_scores": ("signorino1999", "hage2011"),
    "index.defence_networks": ("lowy_api2024",),
    "index.power_gap": ("lowy_api2024",),
    "index.sensitivity": ("lowy_api2024",),
    "panels.dyad_years": ("peacesciencer",),
    "panels.state_years": ("peacesciencer",),
    "plot.basemap": ("natural_earth",),
}


@lru_cache(maxsize=1)
def bibliography() -> str:
    """The package's BibTeX file, as text."""
    return resources.files("apresearch").joinpath("_resources/references.bib").read_text(
        encoding="utf-8")


def entries() -> dict[str, str]:
    """Every BibTeX entry of the bibliography by key (the entry's text)."""
    text = bibliography()
    out = {}
    for m in re.finditer(r"@\w+\{([^,\s]+),", text):
        start, depth, i = m.start(), 0, m.end() - 1
        for i in range(text.index("{", m.start()), len(text)):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                break
        out[m.group(1)] = text[start:i + 1]
    return out


def keys_for(*what: str | Callable) -> list[str]:
    """Bibliography keys for keywords, table names and functions (in first-seen order)."""
    known = entries()
    out: dict[str, None] = {}
    for w in what:
        if callable(w):
            name = f"{w.__module__.split('.', 1)[-1]}.{w.__name__}"
            keys = BY_FUNCTION.get(name, ("apresearch",))
        elif isinstance(w, str) and w.lower() in BY_KEYWORD:
            keys = BY_KEYWORD[w.lower()]
        elif isinstance(w, str) and w in BY_TABLE:
            keys = BY_TABLE[w]
        elif isinstance(w, str) and w in known:
            keys = (w,)
        else:
            valid = sorted({*BY_KEYWORD, *BY_TABLE})
            raise ParameterError(f"nothing to cite for {w!r}; give a keyword, a table or a "
                                 f"function; valid words: {', '.join(valid)}")
        for k in keys:
            out.setdefault(k, None)
    return list(out)


def cite(*what: str | Callable) -> str:
    """BibTeX for keywords, tables or functions; with nothing given, the collection and
    every dataset it imports."""
    if not what:
        keys = list(dict.fromkeys(["apresearch", *(k for t in BY_TABLE.values() for k in t)]))
    else:
        keys = keys_for(*what)
    known = entries()
    return "\n\n".join(known[k] for k in keys) + "\n"


def _field(entry: str, name: str) -> str | None:
    m = re.search(rf"\b{name}\s*=\s*\{{(.*?)\}},?\s*\n", entry, flags=re.S)
    if not m:
        return None
    return re.sub(r"[{}]", "", m.group(1)).replace("\\\"a", "ä").replace("\\$", "$").strip()


def _short(entry: str) -> str:
    """One reference line: authors, year, title, where, release note."""
    parts = [_field(entry, "author"), _field(entry, "year"), _field(entry, "title")]
    where = _field(entry, "journal") or _field(entry, "booktitle") or _field(
        entry, "publisher")
    vol = _field(entry, "volume")
    if where and vol:
        where += f" {vol}" + (f"({_field(entry, 'number')})" if _field(entry, "number") else "")
    for extra in (where, _field(entry, "note"), _field(entry, "doi") and
                  f"doi:{_field(entry, 'doi')}", _field(entry, "url")):
        if extra:
            parts.append(extra)
    # an author list ending in an initial ("Long, Andrew G.") gets one full stop, not two
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


class Markdown(str):
    """Text that a notebook shows as Markdown."""

    def _repr_markdown_(self) -> str:
        return str(self)


def references(*, extra: tuple[str | Callable, ...] = (), data=None) -> Markdown:
    """The references of what this session used (tables read, methods applied, and
    ``extra``), as a Markdown list with each imported table's release — for a notebook's
    "Sources" section. Curated tables also cite their row-level sources."""
    from .store import resolve  # noqa: PLC0415 - only to read the releases

    c = resolve(data)
    # one order whatever the order of use (which a process's caches change): the
    # collection's table order, then methods by key
    seen = [k.split(":", 1)[1] for k in used() if k.startswith("table:")]
    tables = [t for t in c if t in seen] + sorted(t for t in seen if t not in c)
    methods = sorted(k.split(":", 1)[1] for k in used() if k.startswith("method:"))
    keys = keys_for(*[t for t in tables if t in BY_TABLE], *methods, *extra) if (
        tables or methods or extra) else ["apresearch"]
    known = entries()
    lines = [f"- {_short(known[k])}" for k in keys]
    rel = [f"`{t}`: {c.release(t)}" for t in tables if t in c and c.release(t)]
    cur = [f"`{t}`" for t in tables if t in c and not c.release(t)]
    text = "\n".join(lines)
    if rel:
        text += "\n\nReleases used: " + "; ".join(rel) + "."
    if cur:
        text += ("\n\nCurated tables used (each row cites its own source in its `source` "
                 "column): " + ", ".join(cur) + ".")
    return Markdown(text)
