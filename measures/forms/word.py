"""The Word file of the Word import (measures.tabular.docx_*): its type and size checked before it is read."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..tabular.docx_read import WORD_MAX_BYTES
from .documents import SpreadsheetImportForm


class WordImportForm(SpreadsheetImportForm):
    """A .docx to import (a measures document or a report), up to WORD_MAX_BYTES."""

    EXTENSIONS = ("docx",)
    MAX_BYTES = WORD_MAX_BYTES
    WRONG_TYPE = _("รับเฉพาะไฟล์ Word (.docx) ถ้าเป็นไฟล์ .doc ให้เปิดใน Word แล้วบันทึกเป็น .docx ก่อน")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label = _("ไฟล์ Word (.docx)")
        field.help_text = _("เอกสารมาตรการหรือรายงานผลที่จัดทำด้วย Word ขนาดไม่เกิน 10 MB")
        field.widget = forms.FileInput(attrs={"accept": ".docx"})

    def check_type(self, extension: str) -> None:
        if extension in ("docm", "dotm"):
            raise forms.ValidationError(
                _("ไม่รับไฟล์ Word ที่มีมาโคร (.docm) กรุณาเปิดใน Word แล้วบันทึกเป็น “เอกสาร Word (*.docx)”"), code="macro"
            )
        super().check_type(extension)
