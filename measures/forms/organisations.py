"""Forms of the organisations' own details: creation by the platform (one or a CSV file), the
settings page of an organisation's administrator, and the change of its address.

They type the input (Thai messages); what the details must be is checked once, in the domain
(measures.organisations.rules), whose refusals the views put back on these fields.
"""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .. import organisations
from ..models import Organisation
from ..services import ServiceError
from ..uploads import extension_of
from .fields import ThaiTextLimits

__all__ = [
    "AddressForm",
    "OrganisationCreateForm",
    "OrganisationImportForm",
    "SettingsForm",
]

Org = Organisation
NAME_MAX = Org._meta.get_field("name").max_length
AREA_MAX = Org._meta.get_field("province").max_length
SLUG_HELP = _(
    "ส่วนหนึ่งของที่อยู่เว็บถาวรของหน่วยงาน (เช่น /ban-na/) ตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข และขีด (-) "
    "ไม่เกิน 80 ตัวอักษร ใช้คำที่ระบบสงวนไว้หรือชื่อย่อที่หน่วยงานอื่นใช้หรือเคยใช้ไม่ได้"
)
KIND_CHOICES = [("", _("— เลือกประเภท —")), *Org.Kind.choices]
REQUIRED = {
    "name": _("กรุณากรอกชื่อหน่วยงาน"),
    "kind": _("กรุณาเลือกประเภทหน่วยงาน"),
    "province": _("กรุณากรอกจังหวัด"),
    "slug": _("กรุณากรอกชื่อย่อในที่อยู่เว็บ"),
    "admin_email": _("กรุณากรอกอีเมลของผู้ดูแลหน่วยงาน"),
    "all_units_text": _("กรุณากรอกคำที่ใช้เรียกทุกส่วนราชการ เช่น ทุกกอง/สำนัก"),
}
CHOICE = _("กรุณาเลือกจากรายการ")


def _required(form: forms.Form) -> None:
    for name, message in REQUIRED.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField):
            field.error_messages["invalid_choice"] = CHOICE


class DetailsFields(ThaiTextLimits, forms.Form):
    """The details both the creation and the settings ask for."""

    name = forms.CharField(label=_("ชื่อหน่วยงาน"), max_length=NAME_MAX, help_text=_("เช่น องค์การบริหารส่วนตำบลบ้านนา"))
    kind = forms.ChoiceField(label=_("ประเภท"), choices=KIND_CHOICES)
    code = forms.CharField(
        label=_("รหัสหน่วยงาน"), max_length=16, required=False, help_text=_("รหัสองค์กรปกครองส่วนท้องถิ่น (ถ้ามี) เช่น 6930201")
    )
    district = forms.CharField(label=_("อำเภอ"), max_length=AREA_MAX, required=False, help_text=_("เช่น ตะโหมด"))
    province = forms.CharField(label=_("จังหวัด"), max_length=AREA_MAX, help_text=_("เช่น พัทลุง"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self)

    def add_refusal(self, refusal: organisations.DetailsRefused) -> None:
        """The domain's refusals, each on its field (or above the form)."""
        for name, message in refusal.problems.items():
            self.add_error(name if name in self.fields else None, message)


class AdministratorFields(ThaiTextLimits, forms.Form):
    """The organisation's administrator to invite: on a new organisation, or on one that has none
    (made from a CSV without e-mail, or whose administrator left)."""

    admin_email = forms.EmailField(
        label=_("อีเมลของผู้ดูแลหน่วยงาน"),
        max_length=254,
        help_text=_("ระบบส่งคำเชิญทางอีเมลนี้ พร้อมลิงก์สำหรับตั้งรหัสผ่าน"),
        error_messages={"invalid": _("อีเมลไม่ถูกต้อง เช่น somchai@example.go.th")},
    )
    admin_first_name = forms.CharField(label=_("ชื่อผู้ดูแล"), max_length=150, required=False)
    admin_last_name = forms.CharField(label=_("นามสกุลผู้ดูแล"), max_length=150, required=False)

    def administrator(self) -> organisations.FirstAdministrator:
        data = self.cleaned_data
        return organisations.FirstAdministrator(data["admin_email"], data["admin_first_name"], data["admin_last_name"])


class OrganisationCreateForm(DetailsFields, AdministratorFields):
    slug = forms.CharField(label=_("ชื่อย่อในที่อยู่เว็บ"), max_length=80, help_text=SLUG_HELP)

    field_order = ["name", "kind", "code", "district", "province", "slug"]

    def details(self) -> organisations.Details:
        data = self.cleaned_data
        return organisations.details(
            name=data["name"],
            kind=data["kind"],
            province=data["province"],
            district=data["district"],
            code=data["code"],
            slug=data["slug"],
        )


class OrganisationImportForm(forms.Form):
    file = forms.FileField(
        label=_("ไฟล์รายชื่อหน่วยงาน (.csv)"),
        help_text=_("ขนาดไม่เกิน %(size)s ไม่เกิน %(rows)s แถว แถวแรกเป็นชื่อคอลัมน์ตามแม่แบบ")
        % {"size": filesizeformat(organisations.CSV_MAX_BYTES), "rows": f"{organisations.CSV_MAX_ROWS:,}"},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": _("กรุณาเลือกไฟล์ที่จะนำเข้า"),
            "empty": _("ไฟล์ว่างเปล่า"),
            "invalid": _("ไม่ได้รับไฟล์ กรุณาเลือกไฟล์อีกครั้ง"),
            "missing": _("ไม่ได้รับไฟล์ กรุณาเลือกไฟล์อีกครั้ง"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if extension_of(upload.name) != "csv":
            raise forms.ValidationError(_("รับเฉพาะไฟล์ CSV (.csv) ถ้าเป็นไฟล์ Excel ให้บันทึกเป็น CSV UTF-8 ก่อน"), code="type")
        if upload.size > organisations.CSV_MAX_BYTES:
            raise forms.ValidationError(
                _("ไฟล์ใหญ่เกินไป ขนาดไม่เกิน %(size)s"),
                params={"size": filesizeformat(organisations.CSV_MAX_BYTES)},
                code="size",
            )
        return upload


DIGIT_CHOICES = [("thai", _("เลขไทย (๑ ๒ ๓)")), ("arabic", _("เลขอารบิก (1 2 3)"))]


class SettingsForm(DetailsFields):
    """The settings page; the emblem is checked here, stored by the service."""

    website = forms.URLField(
        label=_("เว็บไซต์หลัก"),
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text=_("เว็บไซต์ที่หน่วยงานเผยแพร่ข้อมูลตาม OIT เช่น https://www.ban-na.go.th"),
        error_messages={"invalid": _("ที่อยู่เว็บไซต์ไม่ถูกต้อง เช่น https://www.ban-na.go.th")},
    )
    logo = forms.FileField(
        label=_("ตราสัญลักษณ์"),
        required=False,
        help_text=_("รูป .png หรือ .jpg ขนาดไม่เกิน %(size)s พิมพ์บนปกเอกสารและบนบันทึกข้อความ")
        % {"size": filesizeformat(organisations.LOGO_MAX_BYTES)},
        widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg,image/png,image/jpeg"}),
        error_messages={"empty": _("ไฟล์ตราสัญลักษณ์ว่างเปล่า"), "invalid": _("ไม่ได้รับไฟล์ กรุณาเลือกไฟล์อีกครั้ง")},
    )
    remove_logo = forms.BooleanField(label=_("ลบตราสัญลักษณ์ (เอกสารที่อนุมัติแล้วยังคงพิมพ์ตราเดิม)"), required=False)
    digits = forms.ChoiceField(label=_("ตัวเลขในเอกสาร"), choices=DIGIT_CHOICES, widget=forms.RadioSelect)
    report_layout = forms.ChoiceField(
        label=_("รูปแบบตารางในเอกสาร"), choices=Org.Layout.choices, widget=forms.RadioSelect
    )
    all_units_text = forms.CharField(
        label=_("คำที่ใช้เรียกทุกส่วนราชการ"),
        max_length=100,
        help_text=_("พิมพ์ในช่องผู้รับผิดชอบของมาตรการที่ทุกส่วนราชการรับผิดชอบ เช่น ทุกกอง/สำนัก หรือ ทุกส่วนราชการ"),
    )
    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["name", "kind", "code", "district", "province", "website", "logo", "remove_logo", "digits"]

    def __init__(self, *args, organisation: Organisation, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": organisation.name,
                "kind": organisation.kind,
                "code": organisation.code,
                "district": organisation.district,
                "province": organisation.province,
                "website": organisation.website,
                "digits": "thai" if organisation.thai_digits else "arabic",
                "report_layout": organisation.report_layout,
                "all_units_text": organisation.all_units_text,
                "revision": organisations.revision_of(organisation),
            },
        )
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if not organisation.logo:
            del self.fields["remove_logo"]
        default = Org.Layout(Org.default_layout(organisation.kind)).label
        self.fields["report_layout"].help_text = _(
            "รูปแบบเริ่มต้นของ%(kind)s คือ “%(layout)s” การเปลี่ยนประเภทหน่วยงานไม่เปลี่ยนรูปแบบที่เลือกไว้"
        ) % {"kind": organisation.get_kind_display(), "layout": default}

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if upload:
            try:
                organisations.check_logo(upload)
            except ServiceError as error:
                raise forms.ValidationError(error.message, code="logo") from error
        return upload

    def settings(self) -> organisations.Settings:
        data = self.cleaned_data
        return organisations.Settings(
            name=data["name"],
            kind=data["kind"],
            province=data["province"],
            district=data["district"],
            code=data["code"],
            website=data["website"],
            thai_digits=data["digits"] == "thai",
            report_layout=data["report_layout"],
            all_units_text=data["all_units_text"],
        )


class AddressForm(ThaiTextLimits, forms.Form):
    slug = forms.CharField(label=_("ชื่อย่อใหม่ในที่อยู่เว็บ"), max_length=80, help_text=SLUG_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self)

    def add_refusal(self, refusal: organisations.DetailsRefused) -> None:
        for name, message in refusal.problems.items():
            self.add_error(name if name in self.fields else None, message)
