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


def evidence_max_files() -> int:
    """How many files one save may attach (each becomes one evidence)."""
    return settings.EVIDENCE_MAX_FILES


def evidence_max_total_bytes() -> int:
    """How many bytes the files of one save may weigh together."""
    return settings.EVIDENCE_MAX_TOTAL_BYTES


def named(message: str, upload) -> str:
    """A refusal of one file, with the name the browser sent so that she knows which one."""
    name = str(getattr(upload, "name", "") or "")
    name = name if len(name) <= 100 else name[:99] + "…"
    return _("%(message)s (ไฟล์ “%(name)s”)") % {"message": message, "name": name}


class MultipleFileInput(forms.FileInput):
    """``<input type=file multiple>``: every chosen file is sent under the one name."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (Django's "Uploading multiple files"): a list, possibly empty.

    The count and the total size are checked first, before any file is read; then each file
    alone (an empty one is refused), every refusal naming its file.
    """

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if len(files) > evidence_max_files():
            raise forms.ValidationError(
                _("เลือกไฟล์มา %(count)s ไฟล์ แนบได้ครั้งละไม่เกิน %(max)s ไฟล์ กรุณาเลือกไม่เกิน %(max)s ไฟล์ แล้วแนบที่เหลือในครั้งถัดไป"),
                params={"count": len(files), "max": evidence_max_files()},
                code="too_many",
            )
        total = sum(getattr(upload, "size", 0) or 0 for upload in files)
        if total > evidence_max_total_bytes():
            raise forms.ValidationError(
                _("ไฟล์ที่เลือกรวมกัน %(total)s ใหญ่เกินไป แนบได้ครั้งละรวมกันไม่เกิน %(max)s กรุณาแบ่งแนบหลายครั้ง"),
                params={"total": filesizeformat(total), "max": filesizeformat(evidence_max_total_bytes())},
                code="too_large",
            )
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
            except forms.ValidationError as error:
                errors.extend(named(message, upload) for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def check_evidence_file(upload):
    """One file's type, size and content, refused with the reason in Thai; its name made safe."""
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


class EvidenceForm(ThaiTextLimits, forms.Form):
    """Files (several at once, each one evidence) and a link (one more), under one optional title:
    without it, each file is named after itself and the link after its address."""

    title = forms.CharField(label=_("ชื่อหลักฐาน"), max_length=300, required=False)
    file = MultipleFileField(
        label=_("ไฟล์ (เลือกได้หลายไฟล์)"),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "ครั้งละไม่เกิน %(count)s ไฟล์ ไฟล์ละไม่เกิน %(size)s รวมกันไม่เกิน %(total)s รับไฟล์ %(types)s"
        ) % {
            "count": evidence_max_files(),
            "size": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            "total": filesizeformat(evidence_max_total_bytes()),
            "types": ", ".join(settings.EVIDENCE_EXTENSIONS),
        }

    def clean_file(self):
        files, errors = [], []
        for upload in self.cleaned_data.get("file") or []:
            try:
                files.append(check_evidence_file(upload))
            except forms.ValidationError as error:
                errors.extend(named(message, upload) for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not data.get("url"):
            raise forms.ValidationError(_("กรุณาแนบไฟล์หรือใส่ลิงก์อย่างน้อยหนึ่งอย่าง"))
        return data

    def items(self) -> list[dict]:
        """What to save, one evidence each: every file, then the link (the form is valid)."""
        title, url = self.cleaned_data["title"], self.cleaned_data["url"]
        found = [{"title": (title or upload.name)[:300], "file": upload} for upload in self.cleaned_data["file"]]
        if url:
            found.append({"title": (title or url)[:300], "url": url})
        return found
