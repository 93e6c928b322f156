"""Buddhist-Era dates in the Django admin.

Django formats a date with the locale's DATE_FORMAT, and no format character gives the
Buddhist-Era year. The admin's lists and read-only fields go through
``django.contrib.admin.utils.display_for_field`` / ``display_for_value``; ``install`` (called by
``ita_portal.apps.AdminConfig.ready``) points the two modules that use them at wrappers that show
dates as "7 ธ.ค. 2569" and date-times as "7 ธ.ค. 2569 10:32 น." (local time), and makes every
date field of an admin form the portal's Thai date field (typed "07/12/2569" or "7 ธ.ค. 2569").
Lists filter by date instead of a date hierarchy (``without_date_hierarchy``, once the admins
are registered). The history pages print their dates with the ``thai_datetime`` filter (templates/admin/,
templates/simple_history/).
"""

from datetime import date

from django.contrib.admin import helpers, options
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

from measures import thai
from measures.thai_fields import ThaiDateField, ThaiDateInput

_display_for_field = admin_utils.display_for_field
_display_for_value = admin_utils.display_for_value


def display_for_field(value, field, empty_value_display, avoid_link=False):
    if value is not None and isinstance(field, models.DateField | models.DateTimeField):
        return thai.format_datetime_short(value)
    return _display_for_field(value, field, empty_value_display, avoid_link)


def display_for_value(value, empty_value_display, boolean=False):
    if not boolean and isinstance(value, date):
        return thai.format_datetime_short(value)
    return _display_for_value(value, empty_value_display, boolean)


def without_date_hierarchy(site) -> None:
    """A date hierarchy (django-axes's lists have one) shows Christian-era years: a date filter instead."""
    for model_admin in site._registry.values():
        if model_admin.date_hierarchy:
            model_admin.list_filter = (*model_admin.list_filter, model_admin.date_hierarchy)
            model_admin.date_hierarchy = None


def install() -> None:
    admin_list.display_for_field = display_for_field
    admin_list.display_for_value = display_for_value
    helpers.display_for_field = display_for_field
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] = {"form_class": ThaiDateField, "widget": ThaiDateInput}
