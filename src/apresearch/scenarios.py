"""What-if scenarios: remove actors or agreements, or add hypothetical agreements, and get
a new collection that every analysis function accepts (``data=``).

The collection given is never changed: :func:`apply` returns a modified copy. A removed actor
leaves the actors table and every membership, exercise participation and engagement it
appears in (an engagement left with one state and no forum goes too); its arms transfers
lose its code (the deals stay, with the counterpart's). A
hypothetical agreement is added with its members, in force from ``signed`` (default: 1 January
of the scenario year) with no end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from .alliances import AGREEMENT_KINDS, OBLIGATIONS
from .params import ParameterError, check_members
from .store import Collection, resolve

__all__ = ["apply"]


def _check_ids(values: Iterable[str], valid: Sequence[str], what: str) -> list[str]:
    return check_members(values, sorted(valid), name=what, allow_empty=True, shown=40)


def _new_agreement(spec: dict, actors: set[str], existing: set[str], year: int) -> tuple:
    if not isinstance(spec, dict):
        raise ParameterError(f"each added agreement must be a dict, got {spec!r}")
    aid = spec.get("agreement_id")
    if not aid or aid in existing:
        raise ParameterError(f"added agreement needs a new agreement_id; got {aid!r}")
    kind = spec.get("kind", "security_agreement")
    if kind not in AGREEMENT_KINDS:
        raise ParameterError(f"kind={kind!r} of {aid} is not valid; valid: "
                             + ", ".join(AGREEMENT_KINDS))
    members = list(spec.get("members", []))
    if len(set(members)) < 2:
        raise ParameterError(f"added agreement {aid} needs at least two different members")
    _check_ids(members, sorted(actors), f"members of {aid}")
    signed = pd.Timestamp(spec.get("signed", f"{year}-01-01"))
    row = {"agreement_id": aid, "name": spec.get("name", aid), "kind": kind, "signed": signed,
           "signed_precision": "day", "in_force": pd.NaT, "ended": pd.NaT,
           **{o: int(spec.get(o, 0)) for o in OBLIGATIONS}, "atop_id": pd.NA,
           "source": "scenario (hypothetical)", "source_url": pd.NA, "notes": "hypothetical"}
    mem = [{"agreement_id": aid, "iso3": m, "joined": signed, "joined_precision": "day",
            "left": pd.NaT, "left_precision": pd.NA, "source": "scenario (hypothetical)",
            "notes": pd.NA} for m in members]
    return row, mem


def apply(*, remove_actors: Iterable[str] = (), remove_agreements: Iterable[str] = (),
          add_agreements: Iterable[dict] = (), year: int = 2025, data=None) -> Collection:
    """A copy of the collection with the scenario applied (see the module doc)."""
    base = resolve(data)
    t = {k: base[k] for k in base}
    actors = sorted(t["actors"]["iso3"].astype(str))
    gone = set(_check_ids(remove_actors, actors, "remove_actors"))
    dropped = set(_check_ids(remove_agreements, sorted(t["agreements"]["agreement_id"]),
                             "remove_agreements"))
    if gone:
        t["actors"] = t["actors"][~t["actors"]["iso3"].isin(gone)]
        t["agreement_members"] = t["agreement_members"][
            ~t["agreement_members"]["iso3"].isin(gone)]
        if "exercise_participants" in t:
            t["exercise_participants"] = t["exercise_participants"][
                ~t["exercise_participants"]["iso3"].isin(gone)]
        if "engagements" in t:
            e = t["engagements"]
            left = e["participants"].astype(str).str.split(";").apply(
                lambda cs: ";".join(x for x in cs if x not in gone))
            e = e.assign(participants=left)
            e.loc[e["initiator"].isin(gone), "initiator"] = pd.NA
            n = left.str.split(";").apply(lambda cs: len([x for x in cs if x]))
            t["engagements"] = e[(n >= 2) | ((n == 1) & e["forum_id"].notna())]
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
    return base.replace(**t)
