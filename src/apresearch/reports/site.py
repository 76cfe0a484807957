"""The report site: one record per rendered report, and ``index.html`` rebuilt from them.

Each finished report writes its own record (``_records/<stem>.json``, atomically), so
renders running at the same time into one folder never overwrite each other's entries. The
index (``index.html``) and the summary of records (``_reports.json``) are then rebuilt from
every record on disk under a file lock; a record whose report file has gone is left out.
The index page filters as one types (by notebook, country, parameter or title), sorts by any
column, and links a country's profile to the dyad reports it appears in; it runs offline
(inline script, nothing from a CDN).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import html
import json
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..files import atomic_write

__all__ = ["ReportResult", "RECORDS", "SUMMARY", "write_record", "read_records",
           "write_index"]

RECORDS = "_records"
SUMMARY = "_reports.json"
LOCK = ".render.lock"


@dataclass
class ReportResult:
    """Outcome of rendering one notebook with one set of parameters."""

    notebook: str
    parameters: dict
    status: str  # "ok" or "failed"
    stem: str = ""
    html: str | None = None
    ipynb: str | None = None
    title: str = ""
    error: str | None = None
    cell: int | None = None  # position of the failing code cell in the source notebook
    cell_source: str | None = None  # its first line
    seconds: float = 0.0
    hash: str | None = None
    rendered_at: str = field(
        default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))

    @property
    def where(self) -> str:
        """'code cell 3 (first line)' for a failure, '' otherwise."""
        if self.cell is None:
            return ""
        first = f" ({self.cell_source})" if self.cell_source else ""
        return f"code cell {self.cell}{first}"


@contextmanager
def _locked(out: Path):
    fd = os.open(out / LOCK, os.O_CREAT | os.O_RDWR, 0o666 & ~_umask())
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_record(out: Path, result: ReportResult) -> Path:
    """Write one report's record (atomically)."""
    folder = out / RECORDS
    folder.mkdir(exist_ok=True)
    return atomic_write(folder / f"{result.stem}.json",
                        json.dumps(asdict(result), indent=1, sort_keys=True))


def read_records(out: Path) -> dict[str, dict]:
    """Every report record in a folder whose report is still there, by stem."""
    found = {}
    for p in sorted((out / RECORDS).glob("*.json")):
        try:
            r = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError, UnicodeDecodeError):
            continue
        if r.get("html") and not (out / r["html"]).is_file():
            continue
        found[r.get("stem") or p.stem] = r
    return found


def _params_text(params: dict) -> str:
    return ", ".join(f"{k} = {json.dumps(v)}" for k, v in sorted(params.items())) or "defaults"


def _countries(params: dict) -> list[str]:
    out = []
    for k, v in params.items():
        if k in ("country", "country_a", "country_b", "user") and isinstance(v, str):
            out.append(v)
        elif k in ("countries", "remove_actors") and isinstance(v, list):
            out += [x for x in v if isinstance(x, str)]
    return out


def write_index(out: Path) -> Path:
    """Rebuild ``_reports.json`` and ``index.html`` from the records on disk (locked)."""
    out = Path(out)
    with _locked(out):
        records = read_records(out)
        atomic_write(out / SUMMARY, json.dumps(records, indent=1, sort_keys=True))
        page = _page(records)
        return atomic_write(out / "index.html", page)


def _page(records: dict[str, dict]) -> str:
    # neighbours: a country's profile links to the dyads it appears in, and back
    profiles, dyads = {}, {}
    for stem, r in records.items():
        p = r.get("parameters", {})
        if "country" in p and r.get("html"):
            profiles.setdefault(p["country"], []).append(r["html"])
        if "country_a" in p and "country_b" in p and r.get("html"):
            for c in (p["country_a"], p["country_b"]):
                dyads.setdefault(c, []).append((stem, r["html"]))
    rows = []
    order = sorted(records, key=lambda k: (records[k]["notebook"], k))
    for key in order:
        r = records[key]
        params = r.get("parameters", {})
        countries = _countries(params)
        link = (f'<a href="{html.escape(r["html"])}">{html.escape(r["notebook"])}</a>'
                if r.get("html") else html.escape(r["notebook"]))
        if r["status"] == "ok":
            status = "ok"
        else:
            where = ""
            if r.get("cell") is not None:
                first = f" ({r['cell_source']})" if r.get("cell_source") else ""
                where = f" at code cell {r['cell']}{first}"
            status = f"failed{where}: {r.get('error')}"
        related = []
        for c in countries:
            for stem2, page in dyads.get(c, []):
                if stem2 != key:
                    related.append(f'<a href="{html.escape(page)}">{html.escape(stem2)}</a>')
            if "country_a" in params:
                for page in profiles.get(c, []):
                    related.append(f'<a href="{html.escape(page)}">profile {html.escape(c)}</a>')
        related = list(dict.fromkeys(related))  # a dyad shares both its countries' links
        search = " ".join([r["notebook"], r.get("title", ""), _params_text(params),
                           *countries]).lower()
        rows.append(
            f'<tr class="{html.escape(r["status"])}" data-search="{html.escape(search)}">'
            f"<td>{link}</td><td>{html.escape(r.get('title', ''))}</td>"
            f"<td>{html.escape(_params_text(params))}</td>"
            f"<td>{html.escape(' '.join(countries))}</td><td>{html.escape(status)}</td>"
            f"<td>{' '.join(related[:12])}</td>"
            f"<td data-sort=\"{r.get('seconds', 0)}\">{r.get('seconds', '')}</td>"
            f"<td>{html.escape(r.get('rendered_at', ''))}</td></tr>")
    n_ok = sum(r["status"] == "ok" for r in records.values())
    return _TEMPLATE.format(rows="\n".join(rows), n=len(records), ok=n_ok,
                            failed=len(records) - n_ok)


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>apresearch reports</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ padding: .35rem .6rem; text-align: left; border-bottom: 1px solid #ddd;
  vertical-align: top; font-size: .92rem; }}
th {{ cursor: pointer; background: #f2f2f2; position: sticky; top: 0; }}
th.sorted-asc::after {{ content: " \\25B2"; }} th.sorted-desc::after {{ content: " \\25BC"; }}
tr.failed td {{ color: #a00; }} tr.hidden {{ display: none; }}
#filter {{ font-size: 1rem; padding: .4rem .6rem; width: 24rem; max-width: 100%; }}
#count {{ margin-left: 1rem; color: #555; }}
</style></head><body>
<h1>apresearch reports</h1>
<p>Military diplomacy in the Asia-Pacific. Each report is a notebook executed with the
parameters shown ({n} reports: {ok} ok, {failed} failed). Data: the apresearch collection;
each report ends with its references.</p>
<p><label for="filter">Filter</label>
<input id="filter" type="search" placeholder="notebook, country (JPN), parameter, title"
autocomplete="off"><span id="count"></span></p>
<table id="reports"><thead><tr><th>report</th><th>title</th><th>parameters</th>
<th>countries</th><th>status</th><th>related</th><th>seconds</th><th>rendered</th></tr>
</thead><tbody>
{rows}
</tbody></table>
<script>
(function () {{
  var input = document.getElementById("filter");
  var body = document.querySelector("#reports tbody");
  var count = document.getElementById("count");
  function apply() {{
    var terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {{
      var text = row.getAttribute("data-search");
      var ok = terms.every(function (t) {{ return text.indexOf(t) !== -1; }});
      row.classList.toggle("hidden", !ok);
      if (ok) {{ shown += 1; }}
    }});
    count.textContent = shown + " of " + body.rows.length + " shown";
  }}
  input.addEventListener("input", apply);
  document.querySelectorAll("#reports th").forEach(function (th, col) {{
    th.addEventListener("click", function () {{
      var asc = !th.classList.contains("sorted-asc");
      document.querySelectorAll("#reports th").forEach(function (h) {{
        h.classList.remove("sorted-asc", "sorted-desc"); }});
      th.classList.add(asc ? "sorted-asc" : "sorted-desc");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {{
        var x = a.cells[col].getAttribute("data-sort") || a.cells[col].textContent;
        var y = b.cells[col].getAttribute("data-sort") || b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      }});
      rows.forEach(function (r) {{ body.appendChild(r); }});
    }});
  }});
  apply();
}})();
</script></body></html>
"""
