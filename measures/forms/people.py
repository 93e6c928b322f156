"""Forms of the organisation's people and units, one's own profile, and the invitation's first password."""

from typing import ClassVar

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import people
from ..models import Membership, Organisation, Profile, Unit
from ..parsing import MAX_NUMBER
from .fields import CHOICE_NOT_FOUND, BoundedIntegerField, ThaiTextLimits

__all__ = [
    "InvitationForm",
    "InviteForm",
    "MembershipForm",
    "ProfileForm",
    "UnitForm",
    "TITLE_SUGGESTIONS",
    "roles_an_administrator_grants",
]

Role = Membership.Role

# Offered in a list under the title field; any other title (a rank, ดร.) may be typed.
TITLE_SUGGESTIONS = ["นาย", "นาง", "นางสาว", "ว่าที่ร้อยตรี", "ว่าที่ร้อยตรีหญิง", "ดร.", "จ.ส.อ.", "ส.อ."]
NAME_MAX_LENGTH = 150


def roles_an_administrator_grants() -> list[tuple[str, str]]:
    """The roles an organisation gives its own people; oversight is given by the platform."""
    return [(value, label) for value, label in Role.choices if value != Role.OVERSIGHT]


class UnitChoiceField(forms.ModelChoiceField):
    """One unit chosen by id; a tampered id (not a number, too large) is refused in Thai, never queried."""

    default_error_messages: ClassVar[dict] = {"invalid_choice": CHOICE_NOT_FOUND}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or len(text) > 18:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(text)


def unit_label(unit: Unit) -> str:
    return f"{unit.name} (ปิดการใช้งาน)" if not unit.is_active else unit.name


def units_offered(organisation: Organisation, keep: Unit | None = None):
    """The organisation's active units, and `keep` (a unit already chosen) even if deactivated since."""
    condition = Q(is_active=True)
    if keep is not None:
        condition |= Q(pk=keep.pk)
    return Unit.objects.filter(condition, organisation=organisation).order_by("order", "name")


class RoleUnitMixin:
    """The role and unit fields: a contributor needs a unit (a Thai message on the unit field)."""

    def setup_role_unit(self, organisation: Organisation, keep: Unit | None = None) -> None:
        self.fields["role"].choices = roles_an_administrator_grants()
        self.fields["unit"].queryset = units_offered(organisation, keep)
        self.fields["unit"].label_from_instance = unit_label

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.CONTRIBUTOR and not data.get("unit") and "unit" not in self.errors:
            self.add_error("unit", _("ผู้รับผิดชอบในกอง/สำนักต้องระบุกอง/สำนัก"))
        return data


ROLE_HELP = _(
    "เจ้าหน้าที่ผู้จัดทำ: จัดทำเอกสารและรายงาน · ผู้รับผิดชอบในกอง/สำนัก: รายงานผลเฉพาะมาตรการของกองตน · "
    "ผู้บริหาร/ผู้อนุมัติ: พิจารณาเอกสารตามลำดับการพิจารณา · ผู้ดูแลหน่วยงาน: ตั้งค่าหน่วยงาน ส่วนราชการ และบุคลากร"
)


class InviteForm(RoleUnitMixin, ThaiTextLimits, forms.Form):
    email = forms.EmailField(
        label=_("อีเมล"),
        max_length=254,
        # A text input: the portal's stylesheet styles text inputs; the keyboard still shows "@".
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("กรุณากรอกอีเมล"), "invalid": _("อีเมลไม่ถูกต้อง เช่น somchai@example.go.th")},
        help_text=_("ระบบส่งลิงก์ตั้งรหัสผ่านไปที่อีเมลนี้ ถ้ามีบัญชีอยู่แล้วจะเพิ่มบทบาทให้บัญชีเดิม"),
    )
    first_name = forms.CharField(label=_("ชื่อ"), max_length=NAME_MAX_LENGTH, required=False)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=NAME_MAX_LENGTH, required=False)
    role = forms.ChoiceField(
        label=_("บทบาท"),
        choices=(),
        help_text=ROLE_HELP,
        error_messages={"required": _("กรุณาเลือกบทบาท"), "invalid_choice": CHOICE_NOT_FOUND},
    )
    unit = UnitChoiceField(
        label=_("กอง/สำนัก"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— ไม่ระบุ —"),
        help_text=_("ต้องระบุสำหรับผู้รับผิดชอบในกอง/สำนัก"),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_role_unit(organisation)


class MembershipForm(RoleUnitMixin, ThaiTextLimits, forms.Form):
    role = forms.ChoiceField(
        label=_("บทบาท"),
        choices=(),
        help_text=ROLE_HELP,
        error_messages={"required": _("กรุณาเลือกบทบาท"), "invalid_choice": CHOICE_NOT_FOUND},
    )
    unit = UnitChoiceField(
        label=_("กอง/สำนัก"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— ไม่ระบุ —"),
        help_text=_("ต้องระบุสำหรับผู้รับผิดชอบในกอง/สำนัก"),
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        kwargs.setdefault("initial", {"role": membership.role, "unit": membership.unit_id})
        super().__init__(*args, **kwargs)
        self.setup_role_unit(membership.organisation, keep=membership.unit)


class ProfileFields(ThaiTextLimits, forms.Form):
    """A person's names as documents print them."""

    title = forms.CharField(
        label=_("คำนำหน้าชื่อ"),
        max_length=100,
        required=False,
        help_text=_("เช่น นาย นาง นางสาว ว่าที่ร้อยตรี หรือยศ"),
        widget=forms.TextInput(attrs={"list": "title-suggestions", "autocomplete": "honorific-prefix"}),
    )
    first_name = forms.CharField(
        label=_("ชื่อ"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("กรุณากรอกชื่อ")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("นามสกุล"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("กรุณากรอกนามสกุล")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    position = forms.CharField(
        label=_("ตำแหน่ง"),
        max_length=200,
        required=False,
        help_text=_("ตามที่พิมพ์ใต้ลายมือชื่อ เช่น ปลัดเทศบาล นิติกรปฏิบัติการ รองปลัดองค์การบริหารส่วนตำบล"),
    )
    acting_for = forms.CharField(
        label=_("การปฏิบัติราชการแทน (ถ้ามี)"),
        max_length=200,
        required=False,
        help_text=_("พิมพ์ใต้ตำแหน่งในช่องลงนาม เช่น ปฏิบัติราชการแทนปลัดเทศบาล หรือ รักษาราชการแทนนายกเทศมนตรี"),
    )


class ProfileForm(ProfileFields):
    @classmethod
    def initial_for(cls, user) -> dict:
        profile = Profile.objects.filter(user=user).first()
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "title": profile.title if profile else "",
            "position": profile.position if profile else "",
            "acting_for": profile.acting_for if profile else "",
        }


class InvitationForm(SetPasswordForm):
    """The invited person's first password, and the names the documents print if not known yet."""

    NAME_FIELDS = ("title", "first_name", "last_name", "position")

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        # No user: the link is not valid (the page says so, without the form), nobody is known.
        profile = Profile.objects.filter(user=user).first() if user is not None else None
        known = {
            "title": profile.title if profile else "",
            "first_name": user.first_name if user is not None else "",
            "last_name": user.last_name if user is not None else "",
            "position": profile.position if profile else "",
        }
        names = ProfileFields()
        asked = {}
        for name in self.NAME_FIELDS:
            if not known[name].strip():
                asked[name] = names.fields[name]
        self.known = known
        self.fields = {**asked, **self.fields}
        self.asked = list(asked)

    def save(self, commit=True):
        """The password (Django's), then the names typed here, through the profile service."""
        user = super().save(commit=commit)
        if commit and self.asked:
            names = {name: self.cleaned_data.get(name, self.known[name]) for name in self.NAME_FIELDS}
            profile = people.profile_of(user)
            people.profile_save(user=user, by=user, acting_for=profile.acting_for if profile else "", **names)
        return user


class UnitForm(ThaiTextLimits, forms.Form):
    name = forms.CharField(
        label=_("ชื่อส่วนราชการ"),
        max_length=200,
        error_messages={"required": _("กรุณากรอกชื่อส่วนราชการ")},
        help_text=_("เช่น กองคลัง งานพัสดุ ฝ่ายบริหารงานทั่วไป"),
    )
    kind = forms.ChoiceField(
        label=_("ประเภท"),
        choices=Unit.Kind.choices,
        initial=Unit.Kind.DIVISION,
        error_messages={"invalid_choice": CHOICE_NOT_FOUND, "required": _("กรุณาเลือกประเภท")},
    )
    parent = UnitChoiceField(
        label=_("สังกัด"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— ไม่สังกัดส่วนราชการใด (ระดับบนสุด) —"),
    )
    order = BoundedIntegerField(
        label=_("ลำดับ"),
        min_value=0,
        max_value=MAX_NUMBER,
        required=False,
        help_text=_("เว้นว่างได้ ระบบจะต่อท้ายให้"),
        error_messages={"invalid": _("กรุณากรอกลำดับเป็นตัวเลข")},
    )

    def __init__(self, *args, organisation: Organisation, unit: Unit | None = None, **kwargs):
        if unit is not None:
            kwargs.setdefault(
                "initial", {"name": unit.name, "kind": unit.kind, "parent": unit.parent_id, "order": unit.order}
            )
        super().__init__(*args, **kwargs)
        parents = units_offered(organisation, keep=unit.parent if unit is not None else None)
        if unit is not None:
            parents = parents.exclude(pk=unit.pk)  # its descendants are refused by the service, with a reason
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = unit_label
