"""Importers for the publishers' own files: SIPRI's Military Expenditure workbook and Arms
Transfers register, COW's National Material Capabilities and State System Membership,
Gleditsch and Ward's state list, ATOP's dyad-years, the Multinational Military Exercises
dataset, and US deployments and bases.

They read the formats as the publishers distribute them, so that a user can refresh a table
from a newer release (``apresearch import sipri-milex WORKBOOK.xlsx``). Each importer:

* checks that the file is what it expects and fails with an :class:`ImportFormatError` that
  names the file, the sheet, line or column, and what was expected;
* lists the country names or codes it cannot map, in ``result.unmapped`` (never dropped
  silently);
* writes through :func:`write_tables`, which validates the new table against the data
  contract in a staged copy of the folder before anything is replaced, then writes each file
  atomically, honouring the umask, with spreadsheet formula prefixes neutralised.
"""

from .atop import read_atop_dyads
from .common import (
    FORMULA_PREFIXES,
    ImportFormatError,
    ImportResult,
    neutralise,
    to_csv,
    write_tables,
)
from .cow import COW_ISO3, GW_ISO3, read_cow_nmc, read_cow_states, read_gw_states
from .sipri import (
    SIPRI_NAMES,
    TRANSFER_NAMES,
    milex_table,
    read_sipri_milex,
    read_sipri_transfers,
)
from .troopdata import read_bases, read_troopdata

__all__ = [
    "COW_ISO3", "FORMULA_PREFIXES", "read_atop_dyads", "GW_ISO3", "ImportFormatError",
    "ImportResult",
    "SIPRI_NAMES", "TRANSFER_NAMES", "milex_table", "neutralise", "read_cow_nmc",
    "read_cow_states", "read_gw_states", "read_sipri_milex", "read_sipri_transfers",
    "to_csv", "write_tables", "read_bases", "read_troopdata",
]
