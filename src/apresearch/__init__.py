"""apresearch: curated, sourced data on military diplomacy in the Asia-Pacific, and helpers
that turn it into networks, panels, similarity scores, indices and figures.

The public API is re-exported here and imported lazily, so ``import apresearch`` stays fast
and pandas, networkx and matplotlib load only when first used. Every analysis function takes
its tables one way: ``data=`` a :class:`Collection` (default: the shipped one).

>>> import apresearch as apr
>>> c = apr.collection()                  # the shipped collection (validated, cached)
>>> g = apr.alliance_graph(1960)          # on the shipped collection
>>> mine = apr.collection("my-data")      # a folder of your own tables
>>> apr.alliance_graph(1960, data=mine)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ._version import __version__

# public name -> module that defines it
_API = {
    # errors
    "ApresearchError": "errors",
    "DataValidationError": "errors",
    "ParameterError": "errors",
    "ImportFormatError": "errors",
    "RenderError": "errors",
    # data and the collection
    "Problem": "data",
    "data_dir": "data",
    "descriptor": "data",
    "load": "data",
    "load_all": "data",
    "table_names": "data",
    "validate": "data",
    "Collection": "store",
    "collection": "store",
    "clear_cache": "store",
    # parameters
    "check_year": "params",
    "check_years": "params",
    "check_kinds": "params",
    "check_members": "params",
    "check_country": "params",
    "check_pair": "params",
    "check_choice": "params",
    "check_int": "params",
    # alliances
    "AGREEMENT_KINDS": "alliances",
    "OBLIGATIONS": "alliances",
    "OBLIGATION_WEIGHTS": "alliances",
    "memberships_in_force": "alliances",
    "alliance_ties": "alliances",
    "alliance_graph": "alliances",
    "alliance_graphs": "alliances",
    "actor_metrics": "alliances",
    "communities": "alliances",
    "latticework": "alliances",
    "defence_dyads": "alliances",
    # panels
    "dyad_years": "panels",
    "state_years": "panels",
    # rendering (apresearch.reports.render, under a name that says what it renders)
    "render_reports": "reports",
    # provenance
    "versions": "provenance",
}
_ALIASES = {"render_reports": "render"}
_MODULES = ("errors", "data", "store", "params", "alliances", "exercises", "diplomacy",
            "tensions", "capabilities", "transfers", "importers", "systems", "panels",
            "similarity", "index", "scenarios", "profiles", "presence", "plot", "explore",
            "provenance", "cite", "export", "reports")

__all__ = ["__version__", *_API, *_MODULES]


def __getattr__(name: str):
    if name in _API:
        module = importlib.import_module(f".{_API[name]}", __name__)
        value = getattr(module, _ALIASES.get(name, name))
        globals()[name] = value
        return value
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'apresearch' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from . import (  # noqa: F401
        alliances,
        capabilities,
        cite,
        data,
        diplomacy,
        errors,
        exercises,
        explore,
        export,
        importers,
        index,
        panels,
        params,
        plot,
        presence,
        profiles,
        provenance,
        reports,
        scenarios,
        similarity,
        store,
        systems,
        tensions,
        transfers,
    )
