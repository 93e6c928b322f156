"""Organisations run themselves: their creation by the platform (one by one or from a CSV file),
their settings and emblem, and their address, whose former values keep redirecting.

- `rules`: what the details must be (one set of Thai refusals for forms, services and import);
- `setup`: the services (create_organisation, update_settings, change_slug);
- `logos`: the emblem, checked, stored as a clean PNG, printed inline;
- `csv_import`: organisations in bulk from a CSV, all rows or none.
"""

from .csv_import import CSV_MAX_BYTES, CSV_MAX_ROWS, ImportResult, import_organisations, template_csv
from .logos import LOGO_MAX_BYTES, check_logo, logo_data_uri
from .rules import Details, parse_kind
from .setup import (
    DetailsRefused,
    FirstAdministrator,
    Settings,
    change_slug,
    check_details,
    create_organisation,
    details,
    revision_of,
    update_settings,
)

__all__ = [
    "CSV_MAX_BYTES",
    "CSV_MAX_ROWS",
    "LOGO_MAX_BYTES",
    "Details",
    "DetailsRefused",
    "FirstAdministrator",
    "ImportResult",
    "Settings",
    "change_slug",
    "check_details",
    "check_logo",
    "create_organisation",
    "details",
    "import_organisations",
    "logo_data_uri",
    "parse_kind",
    "revision_of",
    "template_csv",
    "update_settings",
]
