"""Load and validate the collection's tables.

Every table is described in ``datapackage.json`` (a Frictionless Data Package): its fields,
types, enums, primary and foreign keys. :func:`load` and :func:`load_all` check a data folder
against that descriptor in three steps and raise :class:`DataValidationError` listing every
problem found, each with its file, line, column, value and the rule broken:

1. files: present, UTF-8, not empty, header equal to the described fields;
2. rows: types, enums, patterns, bounds, required values, primary and foreign keys
   (validated by the ``frictionless`` library, not by hand);
3. cross-table rules that Frictionless cannot state: date and year order (``joined >=
   signed``, ``left >= joined``, ``end >= start``, an exercise's year within its series'
   span), no date after today, and the rules in :data:`TABLE_RULES` (an exercise's year is
   its start's year; every exercise has at least two states taking part; an engagement's
   participants are distinct actors, and a resumption follows a suspension).

The data folder is, in order: the ``data_dir`` argument, the ``APRESEARCH_DATA`` environment
variable, or the ``data/`` folder of the source checkout. A folder without its own
``datapackage.json`` is checked against the shipped one.

Tables are cached in memory by content. Full validation takes about a second (Frictionless
starts slowly), so once a folder's exact bytes have passed every check, an empty stamp file
named by their SHA-256 and the day is written to ``$XDG_CACHE_HOME/apresearch/validated``
(default ``~/.cache``); a later process loading the same bytes that day skips step 2 (step 3,
the date rules, always runs). Changing any byte, the descriptor or the package version
invalidates it. Nothing in the data folder is ever written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ._version import __version__
from .errors import DataValidationError, ParameterError

__all__ = [
    "DataValidationError",
    "Problem",
    "data_dir",
    "descriptor",
    "load",
    "load_all",
    "load_folder",
    "table_names",
    "validate",
    "clear_cache",
    "summary",
    "read_table",
]

ENV_VAR = "APRESEARCH_DATA"
DESCRIPTOR = "datapackage.json"

# Rules Frictionless cannot express. (table, earlier column, later column): later >= earlier.
DATE_ORDER: dict[str, list[tuple[str, str]]] = {
    "agreements": [("signed", "in_force"), ("signed", "ended")],
    "agreement_members": [("joined", "left")],
    "exercise_series": [("first_year", "last_year")],
    "exercises": [("start", "end")],
    "engagements": [("date", "end_date")],
    "incidents": [("date", "end_date")],
    "rivalries": [("start_year", "end_year")],
    "state_system": [("start", "end")],
    "arms_transfers": [("first_delivery", "last_delivery")],
}
# (key column, referenced table, referenced column, own column, ">=" or "<="): own value
# compared with the value of the referenced row (NA on either side passes).
REF_ORDER: dict[str, list[tuple[str, str, str, str, str]]] = {
    "agreement_members": [("agreement_id", "agreements", "signed", "joined", ">=")],
    "exercises": [("series_id", "exercise_series", "first_year", "year", ">="),
                  ("series_id", "exercise_series", "last_year", "year", "<=")],
}

@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file: where it is, what it holds and the rule it breaks."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        value = "" if self.value is None else f" value {self.value!r}:"
        return f"{where}:{value} {self.message} [{self.rule}]"


# --------------------------------------------------------------------------- locating data
def _default_dir() -> Path | None:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "data" / DESCRIPTOR
        if candidate.is_file():
            return candidate.parent
    return None


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder in use: ``path``, else ``$APRESEARCH_DATA``, else the shipped ``data/``."""
    if path is None:
        path = os.environ.get(ENV_VAR) or None
    if path is None:
        found = _default_dir()
        if found is None:
            raise ParameterError(
                "no data folder found: pass a folder, or set the environment variable "
                f"{ENV_VAR} to a folder of CSV files (see data/README.md)"
            )
        return found
    folder = Path(path).expanduser().resolve()
    if not folder.is_dir():
        raise ParameterError(f"data folder {folder} does not exist or is not a folder")
    return folder


def _shipped_descriptor_path() -> Path:
    found = _default_dir()
    if found is None:  # pragma: no cover - only without the source checkout
        raise ParameterError(f"the shipped {DESCRIPTOR} was not found")
    return found / DESCRIPTOR


def descriptor(path: str | os.PathLike | None = None) -> dict:
    """The data package descriptor (``datapackage.json``) that governs a data folder."""
    folder = data_dir(path)
    own = folder / DESCRIPTOR
    src = own if own.is_file() else _shipped_descriptor_path()
    try:
        return json.loads(src.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataValidationError(
            [Problem(str(src), None, None, None, "descriptor", f"not valid JSON: {exc}")], folder
        ) from None


def table_names(path: str | os.PathLike | None = None) -> list[str]:
    """Names of the tables the descriptor describes, in its order."""
    return [r["name"] for r in descriptor(path)["resources"]]


# --------------------------------------------------------------------------- validation
def _file_problems(folder: Path, res: dict) -> list[Problem]:
    """Step 1: file present, UTF-8, not empty, header equal to the described fields."""
    path = folder / res["path"]
    name = res["path"]
    expected = [f["name"] for f in res["schema"]["fields"]]
    if not path.is_file():
        return [Problem(name, None, None, None, "file", f"file is missing from {folder}")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [
            Problem(
                name, line, None, repr(raw[exc.start : exc.start + 1])[2:-1], "encoding",
                "file is not UTF-8; save it as UTF-8",
            )
        ]
    if not text.strip():
        return [Problem(name, None, None, None, "empty", "file is empty; it needs a header row")]
    header = next(csv.reader([text.lstrip("\ufeff").splitlines()[0]]))
    out = []
    for col in expected:
        if col not in header:
            out.append(Problem(name, 1, col, None, "missing-column",
                               f"column is missing; expected columns: {', '.join(expected)}"))
    for col in header:
        if col not in expected:
            out.append(Problem(name, 1, col, None, "unknown-column",
                               f"column is not described in {DESCRIPTOR}; "
                               f"expected columns: {', '.join(expected)}"))
    dupes = {c for c in header if header.count(c) > 1}
    for col in sorted(dupes):
        out.append(Problem(name, 1, col, None, "duplicate-column", "column appears twice"))
    if not out and header != expected:
        out.append(Problem(name, 1, None, None, "column-order",
                           f"columns are not in the described order; expected: "
                           f"{', '.join(expected)}"))
    return out


def _row_problems(folder: Path, desc: dict) -> list[Problem]:
    """Step 2: Frictionless validates types, constraints and keys of every row."""
    from frictionless import Package  # imported here: slow, and only needed to validate

    pkg_desc = json.loads(json.dumps(desc))
    for res in pkg_desc["resources"]:
        res["path"] = str(folder / res["path"])
    with _trusted():
        report = Package(pkg_desc, basepath=str(folder)).validate()
    by_name = {r["name"]: r for r in desc["resources"]}
    out = []
    for task in report.tasks:
        res = by_name.get(task.name, {})
        fname = res.get("path", task.name)
        pk = res.get("schema", {}).get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else pk
        for err in task.errors:
            column = getattr(err, "field_name", None)
            value = getattr(err, "cell", None)
            line = getattr(err, "row_number", None)
            rule = err.type
            message = err.note or err.title
            if err.type == "foreign-key":
                column = ", ".join(err.field_names)
                value = ", ".join(map(str, err.field_cells))
                ref = ", ".join(err.reference_field_names)
                message = f"not found in table '{err.reference_name}' column '{ref}'"
            elif err.type == "primary-key":
                column = ", ".join(pk)
                value = ", ".join(str(err.cells[_field_index(res, c)]) for c in pk)
                message = f"duplicate key; {err.note}"
            elif err.type == "type-error":
                ftype = _field(res, column).get("type", "?")
                fmt = " (YYYY-MM-DD)" if ftype == "date" else ""
                message = f"not a valid {ftype}{fmt}"
            elif err.type == "constraint-error":
                constraints = _field(res, column).get("constraints", {})
                if "enum" in constraints and "enum" in (err.note or ""):
                    message = "not an allowed value; valid: " + ", ".join(
                        map(str, constraints["enum"])
                    )
            out.append(Problem(fname, line, column, None if value is None else str(value),
                               rule, message))
    return out


class _trusted:
    """Let Frictionless read absolute paths (the data folder may be anywhere)."""

    def __enter__(self):
        from frictionless import system

        self._ctx = system.use_context(trusted=True)
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


def _field(res: dict, name: str | None) -> dict:
    for f in res.get("schema", {}).get("fields", []):
        if f["name"] == name:
            return f
    return {}


def _field_index(res: dict, name: str) -> int:
    names = [f["name"] for f in res["schema"]["fields"]]
    return names.index(name)


def _show(value) -> str | None:
    if value is None or value is pd.NaT or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None  # a missing value is shown as missing, not as '<NA>' or 'nan'
    return value.date().isoformat() if isinstance(value, pd.Timestamp) else str(value)


def _rule_problems(frames: dict[str, pd.DataFrame], desc: dict, today: dt.date) -> list[Problem]:
    """Step 3: order of dates and years within and across tables, no date in the future,
    and the table-specific rules in :data:`TABLE_RULES`."""
    paths = {r["name"]: r["path"] for r in desc["resources"]}
    frames = {**frames, "__coverage__": {r["name"]: (int(r["coverage"]["start"]),
                                                    int(r["coverage"]["end"]))
                                         for r in desc["resources"] if "coverage" in r}}
    out: list[Problem] = []
    limit = pd.Timestamp(today)
    for res in desc["resources"]:
        name = res["name"]
        df = frames.get(name)
        if df is None:
            continue
        for f in res["schema"]["fields"]:
            if f.get("type") != "date" or f["name"] not in df:
                continue
            for i in df.index[(df[f["name"]] > limit).fillna(False)]:
                out.append(Problem(paths[name], int(i) + 2, f["name"], _show(df.at[i, f["name"]]),
                                   "future-date", f"date is after today ({today.isoformat()})"))
        for early, late in DATE_ORDER.get(name, []):
            if early not in df or late not in df:
                continue
            for i in df.index[(df[late] < df[early]).fillna(False)]:
                out.append(Problem(paths[name], int(i) + 2, late, _show(df.at[i, late]),
                                   "date-order", f"'{late}' is before '{early}' "
                                   f"({_show(df.at[i, early])})"))
        for key, ref_table, ref_col, own_col, op in REF_ORDER.get(name, []):
            ref = frames.get(ref_table)
            if ref is None or own_col not in df or key not in df:
                continue
            merged = df[[key, own_col]].join(ref.set_index(key)[ref_col], on=key)
            if op == ">=":
                bad, word = merged[own_col] < merged[ref_col], "before"
            else:
                bad, word = merged[own_col] > merged[ref_col], "after"
            for i in merged.index[bad.fillna(False)]:
                out.append(Problem(paths[name], int(i) + 2, own_col, _show(merged.at[i, own_col]),
                                   "date-order", f"'{own_col}' is {word} {ref_table}.{ref_col} "
                                   f"({_show(merged.at[i, ref_col])}) of {key} {df.at[i, key]!r}"))
        for rule in TABLE_RULES.get(name, []):
            out += rule(frames, paths)
    return out


def _exercise_year_matches_start(frames, paths) -> list[Problem]:
    """An edition's year is the year of its start (where the start is known)."""
    df = frames["exercises"]
    bad = (df["start"].dt.year != df["year"]).fillna(False)
    return [Problem(paths["exercises"], int(i) + 2, "year", _show(df.at[i, "year"]),
                    "year-mismatch", f"'year' differs from the year of 'start' "
                    f"({_show(df.at[i, 'start'])})") for i in df.index[bad]]


def _exercise_has_partners(frames, paths) -> list[Problem]:
    """Every curated edition has at least two states taking part (hosts and participants;
    observers do not count): the host is recorded with role 'host', so an exercise is never
    the host alone. An imported MME exercise needs one (MME sometimes identifies only one of
    the states; its notes say so)."""
    ex, parts = frames["exercises"], frames.get("exercise_participants")
    if parts is None:
        return []
    active = parts[parts["role"] != "observer"].groupby("exercise_id")["iso3"].nunique()
    n = ex["exercise_id"].map(active).fillna(0).astype(int)
    need = (ex["origin"] == "mme").map({True: 1, False: 2}) if "origin" in ex else 2
    return [Problem(paths["exercises"], int(i) + 2, "exercise_id", _show(ex.at[i, "exercise_id"]),
                    "too-few-participants", f"{n[i]} state(s) take part in "
                    "exercise_participants.csv (host and participants); at least "
                    f"{need if isinstance(need, int) else need[i]} needed")
            for i in ex.index[n < need]]


def _coverage_of(frames, name: str) -> tuple[int, int] | None:
    spans = frames.get("__coverage__", {})
    return spans.get(name)


def _engagement_rules(frames, paths) -> list[Problem]:
    """Participants are distinct actors, two or more unless the event is a state's appearance
    at a forum; the initiator is one of them and is given for visits, port calls and
    suspensions; suspensions and resumptions name their channel, and a resumption follows a
    suspension of the same channel between the same states."""
    df, f = frames["engagements"], paths["engagements"]
    actors = set(frames["actors"]["iso3"].astype(str)) if "actors" in frames else None
    out = []
    parts = df["participants"].fillna("").astype(str).str.split(";")
    for i in df.index:
        codes = [c for c in parts[i] if c]
        line = int(i) + 2
        if actors is not None:
            for code in codes:
                if code not in actors:
                    out.append(Problem(f, line, "participants", code, "foreign-key",
                                       "not found in table 'actors' column 'iso3'"))
        if len(codes) != len(set(codes)):
            out.append(Problem(f, line, "participants", df.at[i, "participants"], "repeated",
                               "a state is listed twice"))
        if len(set(codes)) < 2 and pd.isna(df.at[i, "forum_id"]):
            out.append(Problem(f, line, "participants", df.at[i, "participants"],
                               "no-counterpart", "give two or more states, or forum_id for "
                               "one state's appearance at a forum"))
        init = df.at[i, "initiator"]
        if pd.notna(init) and init not in codes:
            out.append(Problem(f, line, "initiator", init, "initiator",
                               "the initiator must be one of the participants"))
        kind = df.at[i, "kind"]
        if pd.isna(init) and kind in ("visit", "port_call", "suspension"):
            out.append(Problem(f, line, "initiator", None, "initiator",
                               f"a {kind} needs its initiator (the visitor, the navy's state, "
                               "the suspending state)"))
        if kind in ("suspension", "resumption") and pd.isna(df.at[i, "channel"]):
            out.append(Problem(f, line, "channel", None, "channel",
                               f"a {kind} names the channel it concerns"))
    cov = _coverage_of(frames, "engagements")
    if cov is not None:
        years = df["date"].dt.year
        early = (years < cov[0]) & (df["kind"] != "suspension")
        for i in df.index[(early | (years > cov[1])).fillna(False)]:
            out.append(Problem(f, int(i) + 2, "date", _show(df.at[i, "date"]), "coverage",
                               f"outside the table's coverage {cov[0]}-{cov[1]} (only a "
                               "suspension still in force when the coverage starts may be "
                               "earlier)"))
    sus = df[df["kind"] == "suspension"]
    keys = {}
    for i in sus.index:
        k = (frozenset(c for c in parts[i] if c), sus.at[i, "channel"])
        keys.setdefault(k, []).append(sus.at[i, "date"])
    for i in df.index[df["kind"] == "resumption"]:
        k = (frozenset(c for c in parts[i] if c), df.at[i, "channel"])
        if not any(d <= df.at[i, "date"] for d in keys.get(k, [])):
            out.append(Problem(f, int(i) + 2, "channel", _show(df.at[i, "channel"]),
                               "resumption-without-suspension",
                               "no earlier suspension of this channel between these states"))
    return out


def _code_list_rule(table: str, column: str):
    """Each ';'-separated code of ``column`` is an actor."""
    def rule(frames, paths) -> list[Problem]:
        df, actors = frames[table], frames.get("actors")
        if actors is None:
            return []
        known = set(actors["iso3"].astype(str))
        out = []
        for i, v in df[column].dropna().items():
            for code in str(v).split(";"):
                if code and code not in known:
                    out.append(Problem(paths[table], int(i) + 2, column, code, "foreign-key",
                                       "not found in table 'actors' column 'iso3'"))
        return out
    return rule


def _incident_rules(frames, paths) -> list[Problem]:
    """Severity 5 if and only if someone died; both coordinates or neither, with their
    precision; initiator and target differ."""
    df, f = frames["incidents"], paths["incidents"]
    out = []
    died = (df["fatalities"] >= 1).fillna(False)
    for i in df.index[died & (df["severity"] != 5)]:
        out.append(Problem(f, int(i) + 2, "severity", _show(df.at[i, "severity"]),
                           "severity-rubric", f"{df.at[i, 'fatalities']} fatalities: "
                           "severity must be 5 (deaths)"))
    for i in df.index[(df["severity"] == 5).fillna(False) & ~died]:
        out.append(Problem(f, int(i) + 2, "fatalities", _show(df.at[i, "fatalities"]),
                           "severity-rubric", "severity 5 means deaths: give fatalities >= 1"))
    for i in df.index[df["lat"].isna() != df["lon"].isna()]:
        out.append(Problem(f, int(i) + 2, "lat", None, "coordinates",
                           "give both lat and lon, or neither"))
    for i in df.index[df["lat"].notna() != df["coord_precision"].notna()]:
        out.append(Problem(f, int(i) + 2, "coord_precision", None, "coordinates",
                           "coord_precision is required with coordinates, and only with them"))
    for i in df.index[(df["initiator"] == df["target"]).fillna(False)]:
        out.append(Problem(f, int(i) + 2, "target", _show(df.at[i, "target"]), "self-tie",
                           "target is the same state as initiator"))
    return out


def _rivalry_rules(frames, paths) -> list[Problem]:
    """A dyad is written once, iso3_a < iso3_b; 'ongoing' if and only if no end year."""
    df, f = frames["rivalries"], paths["rivalries"]
    out = []
    for i in df.index[(df["iso3_a"] >= df["iso3_b"]).fillna(False)]:
        out.append(Problem(f, int(i) + 2, "iso3_b", _show(df.at[i, "iso3_b"]), "dyad-order",
                           "write each pair once, with iso3_a before iso3_b alphabetically"))
    bad = (df["end_rule"] == "ongoing") != df["end_year"].isna()
    for i in df.index[bad.fillna(False)]:
        out.append(Problem(f, int(i) + 2, "end_rule", _show(df.at[i, "end_rule"]), "end-rule",
                           "end_rule is 'ongoing' exactly when end_year is empty"))
    return out


def _transfer_has_actor(frames, paths) -> list[Problem]:
    """A deal is in the table because an actor supplies or receives it."""
    df = frames["arms_transfers"]
    bad = df["supplier_iso3"].isna() & df["recipient_iso3"].isna()
    return [Problem(paths["arms_transfers"], int(i) + 2, "supplier_iso3", None, "no-actor",
                    "neither supplier_iso3 nor recipient_iso3 is given: the table keeps deals "
                    "with an actor on one side") for i in df.index[bad]]


def _gap_has_source(frames, paths) -> list[Problem]:
    """A gap year that says why no edition was held (cancelled, biennial, renamed) cites the
    page that says so; only 'not found' stands without one."""
    df = frames["exercise_gaps"]
    bad = ~df["reason"].str.contains("not found", regex=False) & df["source"].isna()
    return [Problem(paths["exercise_gaps"], int(i) + 2, "source", None, "gap-source",
                    "a gap year whose reason is not 'not found' needs the source that says so")
            for i in df.index[bad.fillna(False)]]


TABLE_RULES = {
    "exercises": [_exercise_year_matches_start, _exercise_has_partners],
    "exercise_gaps": [_gap_has_source],
    "engagements": [_engagement_rules],
    "incidents": [_incident_rules],
    "milestones": [_code_list_rule("milestones", "parties")],
    "rivalries": [_rivalry_rules],
    "arms_transfers": [_transfer_has_actor],
}


# --------------------------------------------------------------------------- reading
_PANDAS_TYPES = {"integer": "Int64", "year": "Int64", "number": "float64"}  # else "string"


def _read_table(folder: Path, res: dict) -> pd.DataFrame:
    """Read one described CSV into typed columns (call after validation: the parser types
    numbers itself, the dates and booleans are converted after)."""
    fields = res["schema"]["fields"]
    dtypes = {f["name"]: _PANDAS_TYPES.get(f.get("type", "string"), "string") for f in fields}
    df = pd.read_csv(
        folder / res["path"], dtype=dtypes, keep_default_na=False, na_values=[""],
        encoding="utf-8",
    )
    for f in fields:
        col, ftype = f["name"], f.get("type", "string")
        if ftype == "date":
            df[col] = pd.to_datetime(df[col], format="%Y-%m-%d")
        elif ftype == "boolean":
            true = list(f.get("trueValues", ["true", "True", "TRUE", "1"]))
            df[col] = df[col].isin(true).astype("boolean").mask(df[col].isna())
    return df


# signature memo: (folder, version, every file's stat) -> the folder's content signature
_SIGNATURES: dict[tuple, str] = {}
_SETTLED_NS = 2_000_000_000  # a file last written this long before hashing cannot change
#                              unseen: any later write moves its mtime (or size, or inode)


def _stat_key(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), st.st_mtime_ns, st.st_size, st.st_ino)


def _signature(folder: Path, desc_path: Path, desc: dict) -> str:
    """Content hash of the descriptor and every table (validation stamp key).

    Remembered per process while no file's status changes, as git trusts its index: only
    for files last written at least two seconds before they were hashed (a write in the
    same clock tick as the hashing could leave the status as it was)."""
    paths = [desc_path] + [folder / res["path"] for res in desc["resources"]]
    key = (str(folder), __version__, tuple(_stat_key(p) for p in paths))
    if key in _SIGNATURES:
        return _SIGNATURES[key]
    hashed_at = time.time_ns()
    sig = _content_signature(folder, desc_path, desc)
    newest = max((k[1] for k in key[2] if k[1] is not None), default=0)
    if newest < hashed_at - _SETTLED_NS:
        _SIGNATURES[key] = sig
    return sig


def _content_signature(folder: Path, desc_path: Path, desc: dict) -> str:
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(desc_path.read_bytes())
    for res in desc["resources"]:
        p = folder / res["path"]
        h.update(res["path"].encode())
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    return h.hexdigest()


def _stamp_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "apresearch" / "validated"


_CACHE: dict[tuple[str, str, str], dict[str, pd.DataFrame]] = {}


def clear_cache() -> None:
    """Forget tables loaded in this process (the next load re-reads and re-validates)."""
    _CACHE.clear()


def validate(
    path: str | os.PathLike | None = None, *, today: dt.date | None = None
) -> dict[str, pd.DataFrame]:
    """Validate a data folder fully and return its typed tables; raise DataValidationError."""
    folder = data_dir(path)
    desc = descriptor(folder)
    problems: list[Problem] = []
    for res in desc["resources"]:
        problems += _file_problems(folder, res)
    if problems:  # rows can't be checked against a header that doesn't match
        raise DataValidationError(problems, folder)
    problems += _row_problems(folder, desc)
    if problems:
        raise DataValidationError(problems, folder)
    frames = {res["name"]: _read_table(folder, res) for res in desc["resources"]}
    problems += _rule_problems(frames, desc, today or dt.date.today())
    if problems:
        raise DataValidationError(problems, folder)
    return frames


def load_folder(path: str | os.PathLike | None = None
                ) -> tuple[dict[str, pd.DataFrame], dict, str]:
    """Every table of a folder, validated and cached by content: (frames, descriptor,
    content hash). The frames are the cached objects themselves: do not modify them."""
    folder = data_dir(path)
    own = folder / DESCRIPTOR
    desc_path = own if own.is_file() else _shipped_descriptor_path()
    desc = descriptor(folder)
    sig = _signature(folder, desc_path, desc)
    today = dt.date.today()
    key = (str(folder), sig, today.isoformat())
    if key not in _CACHE:
        stamp = _stamp_dir() / f"{sig}-{today.isoformat()}"
        if stamp.is_file():
            # Same bytes already passed every check today (the stamp's name says so: the
            # content hash and the date the future-date rule used): read without re-checking.
            frames = {res["name"]: _read_table(folder, res) for res in desc["resources"]}
        else:
            frames = validate(folder, today=today)
            _write_stamp(stamp)
        _CACHE[key] = frames
    return _CACHE[key], desc, sig


def load_all(path: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """Every table of a data folder as typed DataFrames (copies), validated, cached by
    content."""
    frames, _, _ = load_folder(path)
    return {name: df.copy() for name, df in frames.items()}


def _write_stamp(stamp: Path) -> None:
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=stamp.parent)
        os.close(fd)
        os.replace(tmp, stamp)
    except OSError:  # a read-only home only costs speed
        pass


def load(name: str, path: str | os.PathLike | None = None) -> pd.DataFrame:
    """One table as a typed DataFrame (the whole folder is validated, then cached)."""
    frames, _, _ = load_folder(path)
    if name not in frames:
        raise ParameterError(f"no table {name!r}; tables: {', '.join(frames)}")
    return frames[name].copy()


def read_table(name: str, path: str | os.PathLike | None = None) -> pd.DataFrame:
    """One table read and typed on its own, its file and header checked but not the rest of
    the folder (for importers, which run while the table they build is still missing)."""
    folder = data_dir(path)
    desc = descriptor(folder)
    res = next((r for r in desc["resources"] if r["name"] == name), None)
    if res is None:
        raise ParameterError(f"no table {name!r}; tables: {', '.join(table_names(folder))}")
    problems = _file_problems(folder, res)
    if problems:
        raise DataValidationError(problems, folder)
    return _read_table(folder, res)


def summary(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows, columns and date coverage of each table (for `apresearch validate` and 00-overview)."""
    rows = []
    for name, df in frames.items():
        dates = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
        lo = min((df[c].min() for c in dates if df[c].notna().any()), default=pd.NaT)
        hi = max((df[c].max() for c in dates if df[c].notna().any()), default=pd.NaT)
        rows.append({"table": name, "rows": len(df), "columns": df.shape[1],
                     "first_date": lo, "last_date": hi})
    return pd.DataFrame(rows)

