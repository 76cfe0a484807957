"""What-if scenarios: remove actors or agreements, or add hypothetical agreements, and get
new tables that every analysis function accepts.

The shipped data are never changed: :func:`apply` returns modified copies. A removed actor
leaves the actors table and every membership, exercise participation and engagement it
appears in; its arms transfers lose its code (the deals stay, with the counterpart's). A
hypothetical agreement is added with its members, in force from ``signed`` (default: 1 January
of the scenario year) with no end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from .alliances import KINDS, OBLIGATIONS
from .params import ParameterError

__all__ = ["apply"]


def _check_ids(values: Iterable[str], valid: Sequence[str], what: str) -> list[str]:
    values = list(values)
    unknown = [v for v in values if v not in set(valid)]
    if unknown:
        shown = ", ".join(sorted(valid)[:40]) + (" ..." if len(valid) > 40 else "")
        raise ParameterError(f"unknown {what} {', '.join(map(repr, unknown))}; valid: {shown}")
    return values


def _new_agreement(spec: dict, actors: set[str], existing: set[str], year: int) -> tuple:
    if not isinstance(spec, dict):
        raise ParameterError(f"each added agreement must be a dict, got {spec!r}")
    aid = spec.get("agreement_id")
    if not aid or aid in existing:
        raise ParameterError(f"added agreement needs a new agreement_id; got {aid!r}")
    kind = spec.get("kind", "security_agreement")
    if kind not in KINDS:
        raise ParameterError(f"kind={kind!r} of {aid} is not valid; valid: {', '.join(KINDS)}")
    members = list(spec.get("members", []))
    if len(set(members)) < 2:
        raise ParameterError(f"added agreement {aid} needs at least two different members")
    _check_ids(members, sorted(actors), f"member(s) of {aid}")
    signed = pd.Timestamp(spec.get("signed", f"{year}-01-01"))
    row = {"agreement_id": aid, "name": spec.get("name", aid), "kind": kind, "signed": signed,
           "signed_precision": "day", "in_force": pd.NaT, "ended": pd.NaT,
           **{o: int(spec.get(o, 0)) for o in OBLIGATIONS}, "atop_id": pd.NA,
           "source": "scenario (hypothetical)", "source_url": pd.NA, "notes": "hypothetical"}
    mem = [{"agreement_id": aid, "iso3": m, "joined": signed, "joined_precision": "day",
            "left": pd.NaT, "left_precision": pd.NA, "source": "scenario (hypothetical)",
            "notes": pd.NA} for m in members]
    return row, mem


def apply(tables: dict, *, remove_actors: Iterable[str] = (),
          remove_agreements: Iterable[str] = (), add_agreements: Iterable[dict] = (),
          year: int = 2025) -> dict:
    """Copies of ``tables`` with the scenario applied (see the module doc)."""
    t = {k: v.copy() for k, v in tables.items()}
    actors = sorted(t["actors"]["iso3"].astype(str))
    gone = set(_check_ids(remove_actors, actors, "actor(s) to remove"))
    dropped = set(_check_ids(remove_agreements, sorted(t["agreements"]["agreement_id"]),
                             "agreement(s) to remove"))
    if gone:
        t["actors"] = t["actors"][~t["actors"]["iso3"].isin(gone)]
        t["agreement_members"] = t["agreement_members"][
            ~t["agreement_members"]["iso3"].isin(gone)]
        if "exercise_participants" in t:
            t["exercise_participants"] = t["exercise_participants"][
                ~t["exercise_participants"]["iso3"].isin(gone)]
        if "engagements" in t:
            e = t["engagements"]
            t["engagements"] = e[~e["actor_a"].isin(gone) & ~e["actor_b"].isin(gone)]
        if "arms_transfers" in t:
            a = t["arms_transfers"]
            for col in ("supplier_iso3", "recipient_iso3"):
                a.loc[a[col].isin(gone), col] = pd.NA
            t["arms_transfers"] = a
    if dropped:
        t["agreements"] = t["agreements"][~t["agreements"]["agreement_id"].isin(dropped)]
        t["agreement_members"] = t["agreement_members"][
            ~t["agreement_members"]["agreement_id"].isin(dropped)]
    rows, members = [], []
    existing = set(t["agreements"]["agreement_id"])
    for spec in add_agreements:
        row, mem = _new_agreement(spec, set(actors) - gone, existing, year)
        existing.add(row["agreement_id"])
        rows.append(row)
        members += mem
    if rows:
        new = pd.DataFrame(rows).astype({c: t["agreements"][c].dtype for c in rows[0]
                                         if c in t["agreements"]})
        t["agreements"] = pd.concat([t["agreements"], new], ignore_index=True)
        newm = pd.DataFrame(members).astype({c: t["agreement_members"][c].dtype
                                             for c in members[0]})
        t["agreement_members"] = pd.concat([t["agreement_members"], newm], ignore_index=True)
    return t
