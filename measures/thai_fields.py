"""Django form fields that read dates and numbers the way Thai users type them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError

from measures.thai import (
    MonthDate,
    ThaiInputError,
    format_date_numeric,
    format_month_input,
    parse_date,
    parse_date_or_month,
    parse_decimal,
)

__all__ = [
    "ThaiDateField",
    "ThaiDateInput",
    "ThaiDecimalField",
    "ThaiIntegerField",
    "ThaiIntegerInput",
    "ThaiNumberInput",
]


class ThaiDateInput(forms.TextInput):
    """A text input showing dates as "25/03/2565".

    No ``inputmode="numeric"``: users may also type Thai month names.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"placeholder": "วว/ดด/ปปปป", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, MonthDate):
            return format_month_input(value)  # a month typed without a day shows back as one: "ต.ค. 2564"
        if isinstance(value, date):
            return format_date_numeric(_as_date(value))
        return super().format_value(value)


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


class ThaiDateField(forms.Field):
    """A date typed as "25/03/2565", "๒๕ มี.ค. ๒๕๖๕" and the like (see ``parse_date``).

    ``months="start"`` or ``"end"``: a month typed without a day ("ต.ค. 2564", "10/2564") is also
    read, as its first or its last day, a ``MonthDate`` (see ``parse_date_or_month``), so that the
    form knows how precisely the date was typed.
    """

    widget = ThaiDateInput

    def __init__(self, *, months: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.months = months
        if months:
            self.widget.attrs["placeholder"] = "วว/ดด/ปปปป หรือ ต.ค. 2566"

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return _as_date(value)
        try:
            if self.months:
                return parse_date_or_month(str(value), end=self.months == "end")
            return parse_date(str(value))
        except ThaiInputError as exc:
            raise ValidationError(exc.message, code="invalid") from exc


class ThaiNumberInput(forms.TextInput):
    """A text input for numbers; a NumberInput would reject Thai digits in the browser."""

    input_mode = "decimal"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": self.input_mode, **(attrs or {})})


class ThaiIntegerInput(ThaiNumberInput):
    """A text input for whole numbers."""

    input_mode = "numeric"


_NUMBER_ERROR_MESSAGES = {
    "invalid": "กรุณากรอกตัวเลข",
    "max_value": "ต้องไม่เกิน %(limit_value)s",
    "min_value": "ต้องไม่น้อยกว่า %(limit_value)s",
}


class ThaiDecimalField(forms.DecimalField):
    """A DecimalField that also accepts Thai digits and thousands commas."""

    widget = ThaiNumberInput
    default_error_messages: ClassVar[dict[str, str]] = {
        **_NUMBER_ERROR_MESSAGES,
        "max_digits": "กรุณากรอกตัวเลขไม่เกิน %(max)s หลัก",
        "max_decimal_places": "กรุณากรอกทศนิยมไม่เกิน %(max)s ตำแหน่ง",
        "max_whole_digits": "กรุณากรอกตัวเลขหน้าจุดทศนิยมไม่เกิน %(max)s หลัก",
    }

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return parse_decimal(value)
            except ThaiInputError as exc:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return super().to_python(value)


class ThaiIntegerField(forms.IntegerField):
    """An IntegerField that also accepts Thai digits and thousands commas ("๑,๐๐๐")."""

    widget = ThaiIntegerInput
    default_error_messages: ClassVar[dict[str, str]] = {
        **_NUMBER_ERROR_MESSAGES,
        "invalid": "กรุณากรอกจำนวนเต็ม",
    }

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                number = parse_decimal(value)
            except ThaiInputError as exc:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
            if number != number.to_integral_value():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return int(number)
        return super().to_python(value)
