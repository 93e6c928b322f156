"""Field types and base classes shared by the staff forms: Thai messages, limits, revisions."""

import functools
from typing import ClassVar

from django import forms
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from .. import thai
from ..parsing import TEXT_MAX_LENGTH
from ..thai_fields import ThaiDecimalField, ThaiIntegerField

__all__ = [
    "CHOICE_NOT_FOUND",
    "SCORE_ERRORS",
    "TEXT_MAX_LENGTH",
    "TEXT_TOO_LONG",
    "BoundedIntegerField",
    "FiscalYearField",
    "ModelChoicesField",
    "RevisionMixin",
    "ThaiTextLimits",
    "score_field",
    "validate_be_year",
]

SCORE_ERRORS = {
    "invalid": _("กรุณากรอกคะแนนเป็นตัวเลข เช่น 85.59 หรือ ๘๕.๕๙"),
    "min_value": _("คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
    "max_value": _("คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
    "max_decimal_places": _("คะแนนมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    "max_digits": _("คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
    "required": _("กรุณากรอกคะแนน"),
}


def score_field(label, *, required: bool) -> ThaiDecimalField:
    return ThaiDecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages=SCORE_ERRORS,
    )


TEXT_TOO_LONG = _("ข้อความยาวเกิน %(limit_value)s ตัวอักษร (มี %(show_value)s ตัวอักษร) กรุณาตัดให้สั้นลง")
CHOICE_NOT_FOUND = _("ไม่พบรายการที่เลือก กรุณาเลือกใหม่อีกครั้ง")


# Characters a Thai editor or a copy from a web page leaves in a text that nobody sees: zero-width
# spaces (Thai word breaks), joiners, the byte-order mark, the word joiner.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
NUL_REFUSED = _("ข้อความมีอักขระพิเศษที่ระบบไม่รับ (อักขระว่าง) กรุณาพิมพ์ใหม่")


def without_invisible(value):
    """The text without its invisible characters: "กองช่าง\u200b" is กองช่าง, and a name made only of
    them is empty (so the required check refuses it)."""
    return value.translate(INVISIBLE) if isinstance(value, str) else value


class ThaiTextLimits:
    """Every text field of the form gets a length limit, and its refusals a Thai message; its
    invisible characters are dropped.

    Django has no Thai translation for "Ensure this value has at most … characters" nor for "Null
    characters are not allowed.", and a model TextField becomes a form field without a limit
    that would take a megabyte.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            if field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
                field.widget.attrs.update(field.widget_attrs(field.widget))
            field.error_messages.setdefault("max_length", TEXT_TOO_LONG)
            field.validators = [
                ProhibitNullCharactersValidator(message=NUL_REFUSED)
                if isinstance(v, ProhibitNullCharactersValidator)
                else v
                for v in field.validators
            ]
            field.to_python = functools.partial(_to_python_visible, field.to_python)


def _to_python_visible(to_python, value):
    return to_python(without_invisible(value))


class ModelChoicesField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id (check boxes); a tampered id is refused in Thai, never queried.

    Django's message for an id that is not a number has no Thai translation, and an id too large
    for the database column (``units=999…9``) made the query itself fail: a server error.
    """

    default_error_messages: ClassVar[dict] = {"invalid_pk_value": CHOICE_NOT_FOUND}
    _MAX_ID = 2**63 - 1

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk).strip())
            except ValueError:
                number = 1  # not a number: the parent class refuses it with invalid_pk_value
            if not 0 <= number <= self._MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class BoundedIntegerField(ThaiIntegerField):
    """A whole number typed in Thai or Arabic digits, refused unread when it has absurdly many digits.

    Turning a number of a million digits into an int takes minutes of CPU: one request could
    hold a worker that long. No integer of this portal has more than a handful of digits.
    """

    max_characters = 30

    def to_python(self, value):
        if isinstance(value, str) and len(value.strip()) > self.max_characters:
            if self.max_value is not None:
                raise forms.ValidationError(
                    self.error_messages["max_value"], code="max_value", params={"limit_value": self.max_value}
                )
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class RevisionMixin(ThaiTextLimits, forms.Form):
    """Carries the row's revision so that a stale form cannot overwrite newer data."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


def validate_be_year(value: int) -> None:
    if 1900 <= value <= 2200:
        raise forms.ValidationError(
            _("ปี %(year)s เป็นปีคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น %(be)s"),
            params={"year": value, "be": value + thai.BE_OFFSET},
            code="christian_era",
        )
    if not 2500 <= value <= 2700:
        raise forms.ValidationError(_("กรุณากรอกปีงบประมาณเป็นปีพุทธศักราช เช่น 2567"), code="range")


class FiscalYearField(BoundedIntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("ปีงบประมาณ (พ.ศ.)"))
        kwargs.setdefault("validators", [validate_be_year])
        kwargs.setdefault("error_messages", {"invalid": _("กรุณากรอกปีงบประมาณเป็นตัวเลข เช่น 2567")})
        super().__init__(**kwargs)
