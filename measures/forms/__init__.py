"""Forms of the staff screens. They validate input and hand clean data to the services.

One module per screen area; every public name is importable from ``measures.forms`` as well.
The parsers they share with the spreadsheet import live in the domain (measures.parsing).
"""

from ..parsing import MAX_NUMBER, TEXT_MAX_LENGTH, parse_item_codes, split_steps
from ..tabular import IMPORT_EXTENSIONS, IMPORT_MAX_BYTES
from .assessments import AssessmentForm, AssessmentYearForm, StatedTotalForm, StatedTotalFormSet
from .documents import (
    DocumentCopyForm,
    DocumentCreateForm,
    DocumentForm,
    FindingForm,
    FrameworkChoicesMixin,
    MeasureForm,
    MeasureImportForm,
    RoundImportForm,
    SpreadsheetImportForm,
    ThemeForm,
)
from .fields import (
    CHOICE_NOT_FOUND,
    SCORE_ERRORS,
    TEXT_TOO_LONG,
    BoundedIntegerField,
    FiscalYearField,
    ModelChoicesField,
    RevisionMixin,
    ThaiTextLimits,
    score_field,
    validate_be_year,
)
from .grid import GRID_PREFIX, GridFormSet, GridRowForm, GridUnitFilter, grid_formset
from .progress import EntryForm, EvidenceForm, ReportForm
from .signoff import ChainFormSet, ChainRowForm, DecisionForm, MemoForm
from .word import WordImportForm

__all__ = [
    "WordImportForm",
    "CHOICE_NOT_FOUND",
    "GRID_PREFIX",
    "IMPORT_EXTENSIONS",
    "IMPORT_MAX_BYTES",
    "MAX_NUMBER",
    "SCORE_ERRORS",
    "TEXT_MAX_LENGTH",
    "TEXT_TOO_LONG",
    "AssessmentForm",
    "AssessmentYearForm",
    "BoundedIntegerField",
    "ChainFormSet",
    "ChainRowForm",
    "DecisionForm",
    "DocumentCopyForm",
    "DocumentCreateForm",
    "DocumentForm",
    "EntryForm",
    "EvidenceForm",
    "FindingForm",
    "FiscalYearField",
    "FrameworkChoicesMixin",
    "GridFormSet",
    "GridRowForm",
    "GridUnitFilter",
    "MeasureForm",
    "MeasureImportForm",
    "MemoForm",
    "ModelChoicesField",
    "ReportForm",
    "RoundImportForm",
    "SpreadsheetImportForm",
    "RevisionMixin",
    "StatedTotalForm",
    "StatedTotalFormSet",
    "ThaiTextLimits",
    "ThemeForm",
    "score_field",
    "split_steps",
    "grid_formset",
    "parse_item_codes",
    "validate_be_year",
]
