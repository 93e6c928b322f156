"""The domain of the portal, one module per concern."""

from .approvals import ApprovalPosition, Decision, Memo, Submission
from .assessments import Assessment, IndicatorScore, ItemResult, StatedTotal, ToolPartScore, ToolScore
from .documents import (
    DocumentKind,
    DocumentStatus,
    Finding,
    Measure,
    MeasuresDocument,
    MeasureStep,
    PeriodPrecision,
    Theme,
    ToolLimitation,
)
from .frameworks import Framework, Indicator, Item, RatingRule, Tool, ToolPart
from .mail import OutgoingEmail
from .organisations import FormerSlug, Membership, Organisation, OversightScope, Profile, Signatory, Unit
from .progress import Evidence, ProgressEntry, ProgressReport

__all__ = [
    "ApprovalPosition",
    "Decision",
    "Memo",
    "Submission",
    "Assessment",
    "DocumentKind",
    "DocumentStatus",
    "Evidence",
    "Finding",
    "FormerSlug",
    "Framework",
    "Indicator",
    "IndicatorScore",
    "Item",
    "ItemResult",
    "Measure",
    "MeasureStep",
    "MeasuresDocument",
    "Membership",
    "Organisation",
    "OutgoingEmail",
    "OversightScope",
    "ProgressEntry",
    "ProgressReport",
    "Profile",
    "RatingRule",
    "Signatory",
    "StatedTotal",
    "PeriodPrecision",
    "Theme",
    "ToolLimitation",
    "Tool",
    "ToolPart",
    "ToolPartScore",
    "ToolScore",
    "Unit",
]
