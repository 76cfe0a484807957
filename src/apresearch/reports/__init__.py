"""Rendering the collection's notebooks into an offline report site.

One-way layers: :mod:`.catalogue` (which notebooks exist, what each asks, report names) ->
:mod:`.site` (records and the index page) -> :mod:`.manifest` (a TOML list of reports
expanded into jobs) -> :mod:`.engine` (executing jobs in warm worker processes). The command
line (:mod:`apresearch.cli`) sits on top.
"""

from .catalogue import CATALOGUE, list_notebooks, notebook_parameters, resolve_notebook
from .engine import Interrupted, job_hash, render, render_batch, run_job
from .manifest import Job, jobs_from_manifest, load_manifest, make_job
from .site import ReportResult, write_index

__all__ = ["CATALOGUE", "Interrupted", "Job", "ReportResult", "job_hash",
           "jobs_from_manifest", "list_notebooks", "load_manifest", "make_job",
           "notebook_parameters", "render", "render_batch", "resolve_notebook", "run_job",
           "write_index"]
