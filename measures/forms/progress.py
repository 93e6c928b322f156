"""Forms of a round's progress report: the report, one measure's result, its evidence."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .. import uploads
from ..models import ProgressEntry
from ..thai_fields import ThaiDateField
from .fields import BoundedIntegerField, RevisionMixin, ThaiTextLimits

__all__ = ["EntryForm", "EvidenceForm", "ReportForm"]


class ReportForm(RevisionMixin):
    introduction = forms.CharField(label=_("บทนำของรายงาน"), widget=forms.Textarea(attrs={"rows": 10}), required=False)


class EntryForm(RevisionMixin):
    status = forms.ChoiceField(label=_("สถานะ"), choices=ProgressEntry.Status.choices)
    percent = BoundedIntegerField(
        label=_("ความก้าวหน้า (ร้อยละ)"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
            "max_value": _("ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
            "invalid": _("กรุณากรอกร้อยละเป็นตัวเลข 0 ถึง 100"),
        },
    )
    summary = forms.CharField(label=_("สรุปผลการดำเนินงาน"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    outcome = forms.CharField(label=_("ผลลัพธ์/ความสำเร็จ"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    problems = forms.CharField(label=_("ปัญหาอุปสรรค"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    suggestions = forms.CharField(label=_("ข้อเสนอแนะ"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    completed_on = ThaiDateField(label=_("วันที่แล้วเสร็จ"), required=False)

    @classmethod
    def initial_for(cls, entry) -> dict:
        return {
            name: getattr(entry, name)
            for name in (
                "revision",
                "status",
                "percent",
                "summary",
                "outcome",
                "problems",
                "suggestions",
                "completed_on",
            )
        }

    def clean(self):
        data = super().clean()
        status, percent = data.get("status"), data.get("percent")
        if status == ProgressEntry.Status.NOT_STARTED and percent:
            self.add_error("percent", _("สถานะ ยังไม่ดำเนินการ ต้องมีความก้าวหน้าร้อยละ 0"))
        if data.get("completed_on") and status != ProgressEntry.Status.DONE:
            self.add_error("completed_on", _("ใส่วันที่แล้วเสร็จเมื่อสถานะเป็น ดำเนินการแล้วเสร็จ เท่านั้น"))
        return data


class EvidenceForm(ThaiTextLimits, forms.Form):
    title = forms.CharField(label=_("ชื่อหลักฐาน"), max_length=300)
    file = forms.FileField(
        label=_("ไฟล์"),
        required=False,
        error_messages={
            "empty": _("ไฟล์ว่างเปล่า (ขนาด 0 ไบต์) กรุณาเลือกไฟล์อีกครั้ง"),
            "invalid": _("ไม่ได้รับไฟล์ กรุณาเลือกไฟล์อีกครั้ง"),
            "missing": _("ไม่ได้รับไฟล์ กรุณาเลือกไฟล์อีกครั้ง"),
        },
    )
    url = forms.URLField(
        label=_("ลิงก์"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("กรุณากรอกลิงก์ที่ถูกต้อง เช่น https://…")},
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        extension = uploads.extension_of(upload.name)
        if extension not in settings.EVIDENCE_EXTENSIONS:
            raise forms.ValidationError(
                _("ไม่รับไฟล์ประเภทนี้ รับเฉพาะ %(types)s"),
                params={"types": ", ".join(settings.EVIDENCE_EXTENSIONS)},
            )
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("ไฟล์ใหญ่เกินไป ขนาดไม่เกิน %(size)s"),
                params={"size": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
            )
        # The name says what the file is; its first bytes say what it really is. A page that
        # can run script (HTML, SVG) or a program renamed to an accepted extension is refused.
        if not uploads.content_matches_extension(upload, extension):
            raise forms.ValidationError(
                _(
                    "เนื้อหาของไฟล์ไม่ใช่ไฟล์ .%(extension)s ตามนามสกุล ไฟล์อาจเสียหายหรือถูกเปลี่ยนนามสกุล "
                    "กรุณาบันทึกไฟล์จากโปรแกรมต้นฉบับแล้วแนบใหม่"
                ),
                params={"extension": extension},
                code="content",
            )
        upload.name = uploads.safe_filename(upload.name)
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not data.get("url"):
            raise forms.ValidationError(_("กรุณาแนบไฟล์หรือใส่ลิงก์อย่างน้อยหนึ่งอย่าง"))
        return data
