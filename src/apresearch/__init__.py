"""apresearch: curated, sourced data on military diplomacy in the Asia-Pacific, and helpers
that turn it into networks, metrics and figures.

The public API is re-exported here and imported lazily, so ``import apresearch`` stays fast
and pandas, networkx and matplotlib load only when first used.

>>> import apresearch as apr
>>> actors = apr.load("actors")
>>> g = apr.alliance_graph(1960)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    # data
    "DataValidationError": "data",
    "Problem": "data",
    "data_dir": "data",
    "descriptor": "data",
    "load": "data",
    "load_all": "data",
    "table_names": "data",
    "validate": "data",
    "clear_cache": "data",
    # parameters
    "ParameterError": "params",
    "check_year": "params",
    "check_kinds": "params",
    "check_country": "params",
    "check_years": "params",
    "check_pair": "params",
    # panels
    "dyad_years": "panels",
    "state_years": "panels",
    # alliances
    "KINDS": "alliances",
    "OBLIGATIONS": "alliances",
    "OBLIGATION_WEIGHTS": "alliances",
    "memberships_in_force": "alliances",
    "alliance_ties": "alliances",
    "alliance_graph": "alliances",
    "actor_metrics": "alliances",
    "communities": "alliances",
    "latticework": "alliances",
    "atop_defense_dyads": "alliances",
    # rendering (the module is apresearch.render; its main function is re-exported here
    # under a name that does not shadow the module)
    "render_reports": "render",
    "RenderError": "render",
    # provenance
    "versions": "provenance",
}
_MODULES = ("data", "params", "alliances", "exercises", "diplomacy", "tensions",
            "capabilities", "importers", "panels", "similarity", "index", "scenarios", "plot",
            "render", "provenance")

__all__ = ["__version__", *_API, *_MODULES]


_ALIASES = {"render_reports": "render"}


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
        data,
        diplomacy,
        exercises,
        importers,
        index,
        panels,
        params,
        plot,
        provenance,
        render,
        scenarios,
        similarity,
        tensions,
    )
    from .alliances import (  # noqa: F401
        KINDS,
        OBLIGATION_WEIGHTS,
        OBLIGATIONS,
        actor_metrics,
        alliance_graph,
        alliance_ties,
        atop_defense_dyads,
        communities,
        latticework,
        memberships_in_force,
    )
    from .data import (  # noqa: F401
        DataValidationError,
        Problem,
        clear_cache,
        data_dir,
        descriptor,
        load,
        load_all,
        table_names,
        validate,
    )
    from .panels import dyad_years, state_years  # noqa: F401
    from .params import (  # noqa: F401
        ParameterError,
        check_country,
        check_kinds,
        check_pair,
        check_year,
        check_years,
    )
    from .provenance import versions  # noqa: F401
    from .render import RenderError  # noqa: F401
    from .render import render as render_reports  # noqa: F401
