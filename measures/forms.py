"""Forms of the staff screens. They validate input and hand clean data to the services."""

import re
from pathlib import Path
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import thai, uploads
from .models import Finding, Framework, Indicator, Item, MeasuresDocument, ProgressEntry, Theme, Unit
from .services import MeasureData
from .thai_fields import ThaiDateField, ThaiDecimalField, ThaiIntegerField

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


# A free text longer than this is a paste gone wrong or an attack rather than part of a measure or a
# report (the longest text of the seed documents has about 1,500 characters): it is refused with a
# Thai message instead of being stored, printed and published.
TEXT_MAX_LENGTH = 10_000
TEXT_TOO_LONG = _("ข้อความยาวเกิน %(limit_value)s ตัวอักษร (มี %(show_value)s ตัวอักษร) กรุณาตัดให้สั้นลง")
CHOICE_NOT_FOUND = _("ไม่พบรายการที่เลือก กรุณาเลือกใหม่อีกครั้ง")


class ThaiTextLimits:
    """Every text field of the form gets a length limit, and its refusals a Thai message.

    Django has no Thai translation for "Ensure this value has at most … characters", and a
    model TextField becomes a form field without a limit that would take a megabyte.
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


# Theme and measure numbers: as in the spreadsheet import (measures.tabular), and far below what
# an integer column holds (a number past it was a server error).
MAX_NUMBER = 999


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


# --- Assessments -------------------------------------------------------------------------


class AssessmentForm(ThaiTextLimits, forms.Form):
    """The ten indicator scores (and the official totals as published) of one year."""

    official_total = score_field(_("คะแนนรวมที่ประกาศ"), required=False)
    official_rating = forms.CharField(label=_("ระดับผลการประเมินที่ประกาศ"), max_length=64, required=False)
    notes = forms.CharField(label=_("หมายเหตุ"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.tool_groups = []
        for tool in framework.tools.all():
            names = []
            for indicator in tool.indicators.all():
                name = f"indicator_{indicator.number}"
                self.fields[name] = score_field(f"{indicator.number}. {indicator.name}", required=True)
                names.append(name)
            part_names = []
            for part in tool.parts.all():
                name = f"part_{part.code}"
                self.fields[name] = score_field(part.name, required=False)
                part_names.append(name)
            tool_name = f"tool_{tool.code}"
            self.fields[tool_name] = score_field(_("คะแนน %(tool)s ที่ประกาศ") % {"tool": tool.code}, required=False)
            self.tool_groups.append(
                {
                    "tool": tool,
                    "indicators": [self[n] for n in names],
                    "parts": [self[n] for n in part_names],
                    "official": self[tool_name],
                }
            )
        labels = [rule.label for rule in framework.rating_rules.all()]
        self.fields["official_rating"].widget.attrs["list"] = "rating-labels"
        self.rating_labels = labels
        # Keep the general fields after the scores.
        for name in ("official_total", "official_rating", "notes"):
            self.fields[name] = self.fields.pop(name)

    def indicator_scores(self) -> dict:
        return {
            indicator: self.cleaned_data[f"indicator_{indicator.number}"]
            for tool in self.framework.tools.all()
            for indicator in tool.indicators.all()
        }

    def tool_scores(self) -> dict:
        return {tool: self.cleaned_data[f"tool_{tool.code}"] for tool in self.framework.tools.all()}

    def part_scores(self) -> dict:
        return {
            part: self.cleaned_data[f"part_{part.code}"]
            for tool in self.framework.tools.all()
            for part in tool.parts.all()
        }


class AssessmentYearForm(ThaiTextLimits, forms.Form):
    framework = forms.ModelChoiceField(
        label=_("ปีที่ประเมิน"),
        queryset=Framework.objects.all(),
        empty_label=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].label_from_instance = lambda f: f"ITA {f.year}"


# --- Documents ---------------------------------------------------------------------------


class DocumentCreateForm(ThaiTextLimits, forms.Form):
    fiscal_year = FiscalYearField()
    title = forms.CharField(
        label=_("ชื่อเอกสาร"),
        max_length=300,
        required=False,
        help_text=_("เว้นว่างได้ ระบบจะตั้งชื่อตามแบบมาตรฐาน"),
    )
    introduction = forms.CharField(label=_("บทนำ"), widget=forms.Textarea(attrs={"rows": 6}), required=False)


class DocumentForm(RevisionMixin):
    title = forms.CharField(label=_("ชื่อเอกสาร"), max_length=300)
    introduction = forms.CharField(label=_("บทนำ"), widget=forms.Textarea(attrs={"rows": 8}), required=False)


class DocumentCopyForm(ThaiTextLimits, forms.Form):
    fiscal_year = FiscalYearField(label=_("คัดลอกไปยังปีงบประมาณ (พ.ศ.)"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_fiscal_year(self):
        year = self.cleaned_data["fiscal_year"]
        if MeasuresDocument.objects.filter(organisation=self.organisation, fiscal_year=year).exists():
            raise forms.ValidationError(_("มีเอกสารมาตรการของปีงบประมาณนี้แล้ว"))
        return year


ITEM_CODE_RE = re.compile(r"[A-Za-z]+\s*\d+")


def parse_item_codes(text: str, framework: Framework | None) -> list[Item]:
    """'I13, i14 O๓๕' → the items of the framework; unknown codes are a Thai error."""
    text = thai.to_arabic_digits(text or "")
    codes = [re.sub(r"\s+", "", c).upper() for c in ITEM_CODE_RE.findall(text)]
    leftover = ITEM_CODE_RE.sub("", text)
    if re.search(r"[^\s,;/]", leftover):
        raise forms.ValidationError(_("กรอกรหัสข้อคำถามคั่นด้วยจุลภาค เช่น I13, E5, O35"))
    if not codes:
        return []
    if framework is None:
        raise forms.ValidationError(_("ยังไม่มีกรอบการประเมิน ITA ของปีที่วิเคราะห์ จึงอ้างอิงข้อคำถามไม่ได้"))
    found = {item.code.upper(): item for item in framework.items.select_related("indicator").filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise forms.ValidationError(
            _("ไม่พบข้อ %(codes)s ในกรอบการประเมิน ITA %(year)s"),
            params={"codes": ", ".join(missing), "year": framework.year},
        )
    return list(dict.fromkeys(found[c] for c in codes))


class FrameworkChoicesMixin:
    """Indicator checkboxes and item codes of the document's basis framework."""

    def setup_framework(self, document: MeasuresDocument) -> None:
        self.framework = document.basis_framework
        indicators = self.framework.indicators.all() if self.framework else []
        self.fields["indicators"].queryset = (
            self.framework.indicators.all() if self.framework else Indicator.objects.none()
        )
        self.fields["indicators"].label_from_instance = lambda i: f"{i.number}. {i.name}"
        if not indicators:
            self.fields["indicators"].help_text = _("ยังไม่มีกรอบการประเมิน ITA ของปีที่วิเคราะห์")

    def clean_item_codes(self):
        return parse_item_codes(self.cleaned_data.get("item_codes", ""), self.framework)


class FindingForm(ThaiTextLimits, FrameworkChoicesMixin, forms.ModelForm):
    indicators = ModelChoicesField(label=_("ตัวชี้วัด"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    item_codes = forms.CharField(
        label=_("ข้อคำถาม"), required=False, help_text=_("รหัสข้อคำถามคั่นด้วยจุลภาค เช่น I13, E5, O35")
    )

    class Meta:
        model = Finding
        fields = ["kind", "tool", "indicators", "item_codes", "issue_area", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, document: MeasuresDocument, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_framework(document)
        tools = self.framework.tools.all() if self.framework else []
        self.fields["tool"].queryset = (
            self.framework.tools.all() if self.framework else self.fields["tool"].queryset.none()
        )
        self.fields["tool"].label_from_instance = lambda t: f"{t.code} {t.name}"
        self.fields["tool"].required = False
        del tools
        if self.instance.pk:
            self.initial["item_codes"] = ", ".join(i.code for i in self.instance.items.all())


class ThemeForm(ThaiTextLimits, forms.ModelForm):
    number = BoundedIntegerField(label=_("ลำดับด้าน"), min_value=1, max_value=MAX_NUMBER)

    class Meta:
        model = Theme
        fields = ["number", "title"]


STEP_NUMBER_RE = re.compile(r"^\s*(?:[-–•*]|\(?[0-9๐-๙]+[.)]|[0-9๐-๙]+\s)\s*")


def split_steps(text: str) -> list[str]:
    """One step per line; a leading '1.', '๑)', '-' typed by the user is dropped."""
    steps = []
    for line in (text or "").splitlines():
        line = STEP_NUMBER_RE.sub("", line, count=1).strip()
        if line:
            steps.append(line)
    return steps


class MeasureForm(FrameworkChoicesMixin, RevisionMixin):
    theme = forms.ModelChoiceField(
        label=_("ด้าน"), queryset=Theme.objects.none(), required=False, empty_label=_("— ไม่จัดกลุ่ม —")
    )
    number = BoundedIntegerField(
        label=_("ลำดับ"),
        min_value=1,
        max_value=MAX_NUMBER,
        required=False,
        help_text=_("เว้นว่างได้ ระบบจะใส่ลำดับถัดไปให้"),
    )
    title = forms.CharField(label=_("มาตรการ/แนวทาง"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    issue = forms.CharField(
        label=_("ประเด็นที่ต้องปรับปรุงแก้ไข/พัฒนา"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    indicators = ModelChoicesField(
        label=_("ตัวชี้วัดที่เกี่ยวข้อง"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    item_codes = forms.CharField(
        label=_("ข้อคำถามที่เกี่ยวข้อง"), required=False, help_text=_("รหัสข้อคำถามคั่นด้วยจุลภาค เช่น I13, E5, O35")
    )
    steps = forms.CharField(
        label=_("ขั้นตอน/วิธีการปฏิบัติ"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("บรรทัดละหนึ่งขั้นตอน ระบบจะใส่เลขลำดับให้เอง"),
        required=False,
    )
    units = ModelChoicesField(
        label=_("หน่วยงานผู้รับผิดชอบ"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_units = forms.BooleanField(label=_("ทุกกอง/สำนัก"), required=False)
    owner = forms.CharField(label=_("ผู้รับผิดชอบ (บุคคล/ตำแหน่ง)"), max_length=300, required=False)
    period_start = ThaiDateField(label=_("ระยะเวลาดำเนินการ: เริ่ม"), required=False)
    period_end = ThaiDateField(label=_("ระยะเวลาดำเนินการ: สิ้นสุด"), required=False)
    whole_year = forms.BooleanField(label=_("ตลอดปีงบประมาณ"), required=False)
    monitoring = forms.CharField(
        label=_("การติดตามและรายงานผล"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    target = forms.CharField(
        label=_("เป้าหมาย/ตัวชี้วัดความสำเร็จ"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    budget = ThaiDecimalField(label=_("งบประมาณ (บาท)"), min_value=0, max_digits=14, decimal_places=2, required=False)
    deadline = ThaiDateField(label=_("กำหนดแล้วเสร็จ"), required=False)

    def __init__(self, *args, document: MeasuresDocument, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.setup_framework(document)
        self.fields["theme"].queryset = document.themes.all()
        self.fields["units"].queryset = Unit.objects.filter(organisation=document.organisation)

    @classmethod
    def initial_for(cls, measure) -> dict:
        return {
            "revision": measure.revision,
            "theme": measure.theme_id,
            "number": measure.number,
            "title": measure.title,
            "issue": measure.issue,
            "indicators": list(measure.indicators.all()),
            "item_codes": ", ".join(i.code for i in measure.items.all()),
            "steps": "\n".join(s.text for s in measure.steps.all()),
            "units": list(measure.units.all()),
            "all_units": measure.all_units,
            "owner": measure.owner,
            "period_start": measure.period_start,
            "period_end": measure.period_end,
            "whole_year": measure.whole_year,
            "monitoring": measure.monitoring,
            "target": measure.target,
            "budget": measure.budget,
            "deadline": measure.deadline,
        }

    def clean(self):
        data = super().clean()
        if "units" not in self.errors and not data.get("units") and not data.get("all_units"):
            self.add_error("units", _("กรุณาเลือกหน่วยงานผู้รับผิดชอบอย่างน้อยหนึ่งหน่วย หรือเลือก ทุกกอง/สำนัก"))
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
        return data

    def measure_data(self, number: int) -> MeasureData:
        d = self.cleaned_data
        return MeasureData(
            title=d["title"].strip(),
            number=number,
            theme=d["theme"],
            issue=d["issue"],
            steps=split_steps(d["steps"]),
            units=list(d["units"]),
            all_units=d["all_units"],
            indicators=list(d["indicators"]),
            items=d["item_codes"],
            owner=d["owner"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            whole_year=d["whole_year"],
            monitoring=d["monitoring"],
            target=d["target"],
            budget=d["budget"],
            deadline=d["deadline"],
        )


# --- Import of measures from a spreadsheet ---------------------------------------------

IMPORT_EXTENSIONS = ("xlsx", "csv")
IMPORT_MAX_BYTES = 2 * 1024 * 1024


class MeasureImportForm(forms.Form):
    """The file to import; its type and size are checked here, its rows by measures.tabular."""

    file = forms.FileField(
        label=_("ไฟล์มาตรการ (.xlsx หรือ .csv)"),
        help_text=_("ขนาดไม่เกิน 2 MB แถวแรกเป็นชื่อคอลัมน์ตามแม่แบบ"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={
            "required": _("กรุณาเลือกไฟล์ที่จะนำเข้า"),
            "empty": _("ไฟล์ว่างเปล่า"),
            "invalid": _("ไม่ได้รับไฟล์ กรุณาเลือกไฟล์อีกครั้ง"),
            "missing": _("ไม่ได้รับไฟล์ กรุณาเลือกไฟล์อีกครั้ง"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = Path(upload.name).suffix.lower().lstrip(".")
        if extension not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(
                _("รับเฉพาะไฟล์ Excel (.xlsx) หรือ CSV (.csv) ถ้าเป็นไฟล์ .xls ให้บันทึกเป็น .xlsx ก่อน"), code="type"
            )
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("ไฟล์ใหญ่เกินไป ขนาดไม่เกิน %(size)s"), params={"size": filesizeformat(IMPORT_MAX_BYTES)}, code="size"
            )
        return upload


# --- Progress ----------------------------------------------------------------------------


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


# --- Sign-off ----------------------------------------------------------------------------


class ChainRowForm(ThaiTextLimits, forms.Form):
    title = forms.CharField(label=_("ตำแหน่ง"), max_length=200)
    acting_for = forms.CharField(label=_("ปฏิบัติราชการแทน/รักษาราชการแทน"), max_length=200, required=False)
    approvers = ModelChoicesField(
        label=_("ผู้มีสิทธิ์พิจารณา"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, approvers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approvers"].queryset = approvers
        self.fields["approvers"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


ChainFormSet = forms.formset_factory(ChainRowForm, extra=1, can_delete=True, can_order=True)


class DecisionForm(ThaiTextLimits, forms.Form):
    comment = forms.CharField(
        label=_("ความเห็น/ข้อเสนอแนะ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("ไม่บังคับเมื่อเห็นชอบ แต่ต้องระบุเมื่อส่งกลับให้แก้ไข"),
    )


class MemoForm(RevisionMixin, forms.ModelForm):
    date = ThaiDateField(label=_("วันที่"), required=False)

    class Meta:
        from .models import Memo

        model = Memo
        fields = [
            "department",
            "number",
            "date",
            "subject",
            "to",
            "attachments",
            "background",
            "facts",
            "proposal",
            "closing",
            "author_name",
            "author_position",
        ]
        widgets = {
            "background": forms.Textarea(attrs={"rows": 4}),
            "facts": forms.Textarea(attrs={"rows": 4}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
        }
