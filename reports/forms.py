"""Forms of the reports app's staff screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .oit import URL_ERROR, url_validator


class HttpURLField(forms.URLField):
    """A web address with http or https only (the default also takes ftp), checked once."""

    default_validators = [url_validator]


class OitEntryForm(forms.Form):
    """A free entry of the OIT evidence index: an item code, its title and the page that answers it."""

    item_code = forms.CharField(
        label=_("ข้อ"),
        max_length=16,
        help_text=_("รหัสข้อของ OIT ในปีนี้ เช่น O1 หรือ O27"),
        error_messages={"required": _("กรุณากรอกรหัสข้อ เช่น O1"), "max_length": _("รหัสข้อยาวเกินไป")},
    )
    title = forms.CharField(
        label=_("ชื่อรายการ"),
        max_length=300,
        required=False,
        help_text=_("เว้นว่างได้ถ้าข้อนี้มีในกรอบการประเมินของปี ระบบจะใช้ชื่อข้อตามกรอบ"),
        error_messages={"max_length": _("ชื่อรายการยาวเกิน 300 ตัวอักษร")},
    )
    url = HttpURLField(
        label=_("ที่อยู่เว็บ (URL)"),
        max_length=1000,
        assume_scheme="https",
        help_text=_("หน้าบนเว็บไซต์หลักของหน่วยงานที่เผยแพร่ข้อมูลของข้อนี้"),
        error_messages={
            "required": _("กรุณากรอกที่อยู่เว็บ"),
            "invalid": URL_ERROR,
            "max_length": _("ที่อยู่เว็บยาวเกิน 1,000 ตัวอักษร"),
        },
    )
