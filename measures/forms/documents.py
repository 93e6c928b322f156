"""Forms of the measures document: the document, its findings, themes and measures, and the import file."""

import calendar
from pathlib import Path
from typing import ClassVar

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import numbering, thai
from ..models import Finding, Framework, Indicator, MeasuresDocument, PeriodPrecision, Theme, ToolLimitation, Unit
from ..parsing import MAX_NUMBER, parse_item_codes, period_precision, plain_date, split_steps, too_many_steps
from ..sections import tools_for_limitations
from ..services import MeasureData
from ..tabular import IMPORT_EXTENSIONS, IMPORT_MAX_BYTES
from ..thai_fields import ThaiDateField, ThaiDecimalField
from ..todo import missing_framework_text
from .fields import BoundedIntegerField, FiscalYearField, ModelChoicesField, RevisionMixin, ThaiTextLimits

__all__ = [
    "DocumentCopyForm",
    "DocumentCreateForm",
    "DocumentForm",
    "FindingForm",
    "FrameworkChoicesMixin",
    "LimitationForm",
    "MeasureForm",
    "MeasureImportForm",
    "RoundImportForm",
    "SpreadsheetImportForm",
    "ThemeForm",
]


def require_basis_framework(fiscal_year: int) -> int:
    """The measures of fiscal year N analyse the ITA N−1 result: refuse a year whose framework is missing."""
    if not Framework.objects.filter(year=fiscal_year - 1).exists():
        raise forms.ValidationError(missing_framework_text(fiscal_year - 1), code="no_framework")
    return fiscal_year


class DocumentCreateForm(ThaiTextLimits, forms.Form):
    fiscal_year = FiscalYearField()
    title = forms.CharField(
        label=_("ชื่อเอกสาร"),
        max_length=300,
        required=False,
        help_text=_("เว้นว่างได้ ระบบจะตั้งชื่อตามแบบมาตรฐาน"),
    )
    introduction = forms.CharField(label=_("บทนำ"), widget=forms.Textarea(attrs={"rows": 6}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only what the portal can take: years whose ITA N−1 framework exists.
        years = sorted(year + 1 for year in Framework.objects.values_list("year", flat=True))
        if years:
            shown = (
                f"{years[0]}–{years[-1]}"
                if years == list(range(years[0], years[-1] + 1))
                else ", ".join(map(str, years))
            )
            self.fields["fiscal_year"].help_text = _("สร้างได้เฉพาะปีที่มีเกณฑ์ ITA ของปีก่อนหน้าแล้ว: พ.ศ. %(years)s") % {
                "years": shown
            }
        current = thai.fiscal_year_of(timezone.localdate())
        if current in years:
            self.fields["fiscal_year"].initial = current

    def clean_fiscal_year(self):
        return require_basis_framework(self.cleaned_data["fiscal_year"])


class DocumentForm(RevisionMixin):
    title = forms.CharField(label=_("ชื่อเอกสาร"), max_length=300)
    introduction = forms.CharField(
        label=_("บทนำ"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("พิมพ์ใต้ชื่อเอกสาร เว้นว่างได้"),
    )
    analysis_introduction = forms.CharField(
        label=_("บทนำของผลการวิเคราะห์"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("พิมพ์ใต้หัวข้อ “ผลการวิเคราะห์” ก่อนผลการวิเคราะห์แต่ละข้อ เว้นว่างได้ ถ้าว่างจะไม่พิมพ์"),
    )
    measures_introduction = forms.CharField(
        label=_("บทนำของมาตรการ"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("พิมพ์ใต้หัวข้อมาตรการ ก่อนตารางมาตรการ เว้นว่างได้ ถ้าว่างจะไม่พิมพ์"),
    )

    @classmethod
    def initial_for(cls, document: MeasuresDocument) -> dict:
        return {
            "revision": document.revision,
            "title": document.title,
            "introduction": document.introduction,
            "analysis_introduction": document.analysis_introduction,
            "measures_introduction": document.measures_introduction,
        }


class DocumentCopyForm(ThaiTextLimits, forms.Form):
    fiscal_year = FiscalYearField(label=_("คัดลอกไปยังปีงบประมาณ (พ.ศ.)"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_fiscal_year(self):
        year = self.cleaned_data["fiscal_year"]
        if MeasuresDocument.objects.filter(organisation=self.organisation, fiscal_year=year).exists():
            raise forms.ValidationError(_("มีเอกสารมาตรการของปีงบประมาณนี้แล้ว"))
        return require_basis_framework(year)


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
        labels = {"issue_area": _("หัวข้อ (ประเด็น)")}
        help_texts = {
            "issue_area": _(
                "หัวข้อที่พิมพ์เหนือผลการวิเคราะห์ข้อนี้ในเอกสาร พิมพ์ตามที่ต้องการพร้อมเลขลำดับของคุณเอง "
                "เช่น “ประเด็นที่ 1 การเปิดเผยข้อมูล” ถ้าเว้นว่าง จะพิมพ์ตัวชี้วัดที่เลือกไว้ "
                "เช่น “ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล” ถ้าไม่ได้เลือกตัวชี้วัดด้วย จะพิมพ์ประเภทของผลการวิเคราะห์ "
                "ชื่อเครื่องมือ (IIT EIT OIT) พิมพ์ในวงเล็บต่อท้ายหัวข้อ"
            )
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, document: MeasuresDocument, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_framework(document)
        self.fields["tool"].queryset = (
            self.framework.tools.all() if self.framework else self.fields["tool"].queryset.none()
        )
        self.fields["tool"].label_from_instance = lambda t: f"{t.code} {t.name}"
        self.fields["tool"].required = False
        if self.instance.kind != Finding.Kind.LIMITATION:
            # The limitations of a tool have their own section now (LimitationForm); a finding
            # saved as a limitation before keeps its kind.
            kind = self.fields["kind"]
            kind.choices = [c for c in kind.choices if c[0] != Finding.Kind.LIMITATION]
            kind.help_text = _("ข้อจำกัดของเครื่องมือ IIT EIT OIT ให้บันทึกในส่วน “ข้อจำกัดของการประเมิน” ของเอกสาร")
        if self.instance.pk:
            self.initial["item_codes"] = ", ".join(i.code for i in self.instance.items.all())


class LimitationForm(ThaiTextLimits, forms.ModelForm):
    """The limitations of one tool of the document's basis framework (one per tool)."""

    class Meta:
        model = ToolLimitation
        fields = ["tool", "text"]
        labels = {"text": _("ข้อจำกัด")}
        help_texts = {
            "tool": _("หนึ่งเครื่องมือมีข้อจำกัดได้หนึ่งรายการ"),
            "text": _("พิมพ์ในเอกสารใต้หัวข้อ “ข้อจำกัดของเครื่องมือ …” ในส่วนข้อจำกัดของการประเมิน"),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "tool": {"required": _("กรุณาเลือกเครื่องมือ"), "invalid_choice": _("กรุณาเลือกเครื่องมือของปีที่วิเคราะห์")},
            "text": {"required": _("กรุณากรอกข้อจำกัด")},
        }

    def __init__(self, *args, document: MeasuresDocument, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        tool = self.fields["tool"]
        tool.queryset = tools_for_limitations(document)
        tool.label_from_instance = lambda t: f"{t.code} {t.name}"
        tool.empty_label = _("— เลือกเครื่องมือ —")
        if not document.basis_framework_id:
            tool.help_text = _("ยังไม่มีกรอบการประเมิน ITA ของปีที่วิเคราะห์")

    def clean_tool(self):
        tool = self.cleaned_data["tool"]
        clash = ToolLimitation.objects.filter(document=self.document, tool=tool).exclude(pk=self.instance.pk)
        if tool is not None and clash.exists():
            raise forms.ValidationError(
                _("มีข้อจำกัดของเครื่องมือ %(tool)s ในเอกสารนี้แล้ว กรุณาแก้ไขรายการเดิม"), params={"tool": tool.code}
            )
        return tool

    def validate_unique(self):
        """One per tool is checked in clean_tool and again by the service; the document is not a field."""


class ThemeForm(ThaiTextLimits, forms.ModelForm):
    number = BoundedIntegerField(label=_("ลำดับด้าน"), min_value=1, max_value=MAX_NUMBER)

    class Meta:
        model = Theme
        fields = ["number", "title"]


class MeasureNumberField(BoundedIntegerField):
    """A measure's number as the document writes it ("2", "2)", "(๒)", "๒."): the integer orders
    the measure, the typed form is printed (MeasureForm.clean keeps it as ``number_text``)."""

    default_error_messages: ClassVar[dict[str, str]] = {"invalid": numbering.NUMBER_ERROR}

    def to_python(self, value):
        if isinstance(value, str) and (typed := numbering.parse_number_text(value)):
            value = typed[0]
        return super().to_python(value)


def shown_period(measure) -> dict:
    """The period as the form shows it back: a month typed without a day as that month
    ("ต.ค. 2564"), unless the stored day says it was typed otherwise."""
    start, end = measure.period_start, measure.period_end
    if measure.period_precision == PeriodPrecision.MONTH:
        if start and start.day == 1:
            start = thai.MonthDate(start.year, start.month, start.day)
        if end and end.day == calendar.monthrange(end.year, end.month)[1]:
            end = thai.MonthDate(end.year, end.month, end.day)
    return {"period_start": start, "period_end": end}


class MeasureForm(FrameworkChoicesMixin, RevisionMixin):
    theme = forms.ModelChoiceField(
        label=_("ด้าน"), queryset=Theme.objects.none(), required=False, empty_label=_("— ไม่จัดกลุ่ม —")
    )
    number = MeasureNumberField(
        label=_("ลำดับ"),
        min_value=1,
        max_value=MAX_NUMBER,
        required=False,
        help_text=_("เว้นว่างได้ ระบบจะใส่ลำดับถัดไปให้ พิมพ์ตามแบบของเอกสารได้ เช่น 2 หรือ 2) หรือ (๒)"),
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
        help_text=_(
            "บรรทัดละหนึ่งขั้นตอน พิมพ์เลขข้อหรือเครื่องหมาย เช่น 1) (๑) ก. - ได้ตามแบบของเอกสาร "
            "ถ้าไม่พิมพ์ ระบบจะใส่เลขลำดับให้ บรรทัดนำที่ลงท้ายด้วย “ดังนี้” จะไม่มีเลขลำดับ"
        ),
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
    period_start = ThaiDateField(label=_("ระยะเวลาดำเนินการ: เริ่ม"), required=False, months="start")
    period_end = ThaiDateField(label=_("ระยะเวลาดำเนินการ: สิ้นสุด"), required=False, months="end")
    whole_year = forms.BooleanField(label=_("ตลอดปีงบประมาณ"), required=False)
    monitoring = forms.CharField(
        label=_("การติดตามและรายงานผล"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    target = forms.CharField(
        label=_("เป้าหมาย/ตัวชี้วัดความสำเร็จ"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    budget = ThaiDecimalField(label=_("งบประมาณ (บาท)"), min_value=0, max_digits=14, decimal_places=2, required=False)
    deadline = ThaiDateField(label=_("กำหนดแล้วเสร็จ"), required=False, months="end")

    def __init__(self, *args, document: MeasuresDocument, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.setup_framework(document)
        self.fields["theme"].queryset = document.themes.all()
        # Active units, and those the measure already names even if deactivated since (kept on edit, not lost).
        units = Unit.objects.filter(organisation=document.organisation)
        chosen = [getattr(unit, "pk", unit) for unit in self.initial.get("units", ())]
        self.fields["units"].queryset = units.filter(is_active=True) | units.filter(pk__in=chosen)

    @classmethod
    def initial_for(cls, measure) -> dict:
        return {
            "revision": measure.revision,
            "theme": measure.theme_id,
            "number": measure.number_text or measure.number,
            "title": measure.title,
            "issue": measure.issue,
            "indicators": list(measure.indicators.all()),
            "item_codes": ", ".join(i.code for i in measure.items.all()),
            "steps": "\n".join(s.text for s in measure.steps.all()),
            "units": list(measure.units.all()),
            "all_units": measure.all_units,
            "owner": measure.owner,
            **shown_period(measure),
            "whole_year": measure.whole_year,
            "monitoring": measure.monitoring,
            "target": measure.target,
            "budget": measure.budget,
            "deadline": measure.deadline,
        }

    def clean_steps(self):
        steps = self.cleaned_data.get("steps", "")
        if too_many := too_many_steps(split_steps(steps)):
            raise forms.ValidationError(too_many)
        return steps

    def clean(self):
        data = super().clean()
        if "units" not in self.errors and not data.get("units") and not data.get("all_units"):
            self.add_error("units", _("กรุณาเลือกหน่วยงานผู้รับผิดชอบอย่างน้อยหนึ่งหน่วย หรือเลือก ทุกกอง/สำนัก"))
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
        # Stored as plain dates, printed as precisely as they were typed (a month, or days).
        data["period_precision"] = period_precision(start, end)
        for name in ("period_start", "period_end", "deadline"):
            if name in data:
                data[name] = plain_date(data[name])
        typed = numbering.parse_number_text(self["number"].data) if data.get("number") else None
        data["number_text"] = typed[1] if typed else ""
        return data

    def measure_data(self, number: int) -> MeasureData:
        d = self.cleaned_data
        return MeasureData(
            title=d["title"].strip(),
            number=number,
            number_text=d.get("number_text", "") if d.get("number") == number else "",
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
            period_precision=d.get("period_precision", PeriodPrecision.MONTH),
            whole_year=d["whole_year"],
            monitoring=d["monitoring"],
            target=d["target"],
            budget=d["budget"],
            deadline=d["deadline"],
        )


# --- Import of measures from a spreadsheet ---------------------------------------------


class SpreadsheetImportForm(forms.Form):
    """A spreadsheet to import: its type and size checked here, its rows by measures.tabular.
    A subclass names the file field's label, help and the extensions it takes."""

    EXTENSIONS: tuple[str, ...] = IMPORT_EXTENSIONS
    MAX_BYTES = IMPORT_MAX_BYTES
    WRONG_TYPE = _("รับเฉพาะไฟล์ Excel (.xlsx) หรือ CSV (.csv) ถ้าเป็นไฟล์ .xls ให้บันทึกเป็น .xlsx ก่อน")

    file = forms.FileField(
        error_messages={
            "required": _("กรุณาเลือกไฟล์ที่จะนำเข้า"),
            "empty": _("ไฟล์ว่างเปล่า"),
            "invalid": _("ไม่ได้รับไฟล์ กรุณาเลือกไฟล์อีกครั้ง"),
            "missing": _("ไม่ได้รับไฟล์ กรุณาเลือกไฟล์อีกครั้ง"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.check_type(Path(upload.name).suffix.lower().lstrip("."))
        if upload.size > self.MAX_BYTES:  # refused from its size, before a byte of it is read
            raise forms.ValidationError(
                _("ไฟล์ใหญ่เกินไป ขนาดไม่เกิน %(size)s"), params={"size": filesizeformat(self.MAX_BYTES)}, code="size"
            )
        return upload

    def check_type(self, extension: str) -> None:
        if extension not in self.EXTENSIONS:
            raise forms.ValidationError(self.WRONG_TYPE, code="type")


class MeasureImportForm(SpreadsheetImportForm):
    """The measures of a document from a spreadsheet (.xlsx or .csv)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label = _("ไฟล์มาตรการ (.xlsx หรือ .csv)")
        field.help_text = _("ขนาดไม่เกิน 2 MB แถวแรกเป็นชื่อคอลัมน์ตามแม่แบบ")
        field.widget = forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"})


class RoundImportForm(SpreadsheetImportForm):
    """A round's results from the workbook exported on the round's page (.xlsx only)."""

    EXTENSIONS = ("xlsx",)
    WRONG_TYPE = _("รับเฉพาะไฟล์ Excel (.xlsx) ที่ส่งออกจากหน้ารอบการรายงาน ถ้าเป็นไฟล์ .xls ให้บันทึกเป็น .xlsx ก่อน")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label = _("ไฟล์ผลการดำเนินการ (.xlsx)")
        field.help_text = _("ไฟล์ Excel ที่ส่งออกจากหน้ารอบการรายงาน ขนาดไม่เกิน 2 MB")
        field.widget = forms.FileInput(attrs={"accept": ".xlsx"})
