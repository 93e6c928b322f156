"""Spreadsheets of the measures: export (XLSX or CSV), the import template, and the import.

The columns of a measures spreadsheet are declared once, in ``MEASURE_COLUMNS``: the export of
a document writes them, the template offers them and the import reads them, so a file exported
from one document imports into another unchanged. Dates are written in the Buddhist Era
("01/10/2565"); the import also reads months ("ต.ค. 2565"), Thai digits and real Excel dates.

The import is all rows or none. Every row is read and checked first; any problem, each named
by its row and column in Thai, refuses the whole file and nothing is written. Otherwise the
themes and measures are created in one transaction through ``measures.services`` (so the audit
trail records them). An import appends to the document: a theme number already in the
document is reused (its title must match when the file gives one), and a measure number
already used in the same theme is an error naming the row.

A progress round has its own workbook (``rounds``): a unit's entries to fill in and send back,
imported the same way (every row checked, all or none) after a preview of what would change.
"""

from .cells import ImportProblem, ImportRefused
from .columns import MEASURE_COLUMNS
from .export import (
    FORMATS,
    csv_text,
    document_export_response,
    export_response,
    report_export_response,
    template_bytes,
    unit_names,
    xlsx_bytes,
)
from .imports import IMPORT_EXTENSIONS, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, ImportResult, import_measures
from .rounds import (
    ROUND_COLUMNS,
    PendingImport,
    RoundImport,
    apply_round_import,
    read_round_import,
    round_entries,
    round_workbook,
)

__all__ = [
    "FORMATS",
    "IMPORT_EXTENSIONS",
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_ROWS",
    "MEASURE_COLUMNS",
    "ROUND_COLUMNS",
    "ImportProblem",
    "ImportRefused",
    "ImportResult",
    "PendingImport",
    "RoundImport",
    "apply_round_import",
    "csv_text",
    "document_export_response",
    "export_response",
    "import_measures",
    "read_round_import",
    "report_export_response",
    "round_entries",
    "round_workbook",
    "template_bytes",
    "unit_names",
    "xlsx_bytes",
]
