"""Organisations, their units, the people who work in them and their roles."""

import operator
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# First path segments the site itself uses: an organisation with such a slug would be hidden
# behind them (its public page at /<slug>/ would never be reached).
RESERVED_SLUGS = frozenset(
    {
        "staff",
        "admin",
        "accounts",
        "static",
        "media",
        "inbox",
        "oversight",
        "api",
        "feed",
        "feeds",
        "sitemap",
        "robots",
        "favicon",
        "embed",
        "oit",
        "login",
        "logout",
        "platform",
        "profile",
        "invitations",
    }
)


def validate_slug_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” เป็นคำที่ระบบใช้ในที่อยู่เว็บ กรุณาเลือกชื่อย่ออื่น"), params={"slug": value})


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user) -> "OrganisationQuerySet":
        """Organisations in which the user holds any membership."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()

    def overseen_by(self, user) -> "OrganisationQuerySet":
        """Organisations the user oversees: one by one (an OVERSIGHT membership) or by area (OversightScope).

        The user's few memberships and areas are read here (two small queries) and become plain
        conditions on the id, the province and the district, which the indexes answer. As
        correlated EXISTS subqueries the condition was tested on every organisation of the
        country, in each of the oversight page's queries (60 ms each at 7,850 organisations).
        """
        if not user.is_authenticated:
            return self.none()
        ids = list(
            Membership.objects.active()
            .filter(user=user, role=Membership.Role.OVERSIGHT)
            .values_list("organisation_id", flat=True)
        )
        areas = [Q(pk__in=ids)] if ids else []
        for province, district in OversightScope.objects.active().filter(user=user).values_list("province", "district"):
            areas.append(Q(province=province, district=district) if district else Q(province=province))
        if not areas:
            return self.none()
        return self.filter(reduce(operator.or_, areas))


class Organisation(models.Model):
    """A local administrative organisation (อปท.): เทศบาล, อบต., อบจ. …"""

    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("องค์การบริหารส่วนจังหวัด")
        MUNICIPALITY_CITY = "municipality_city", _("เทศบาลนคร")
        MUNICIPALITY_TOWN = "municipality_town", _("เทศบาลเมือง")
        MUNICIPALITY_SUBDISTRICT = "municipality_subdistrict", _("เทศบาลตำบล")
        SUBDISTRICT = "subdistrict", _("องค์การบริหารส่วนตำบล")
        SPECIAL = "special", _("องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ")

    class Layout(models.TextChoices):
        """Column layouts of the printed documents (ITA-DOMAIN.md §4)."""

        THEMES_12M = "themes_12m", _("จัดกลุ่มตามด้าน (แบบ ทต.เขาหัวช้าง)")
        QUESTION_CODES = "question_codes", _("ตามประเด็นข้อคำถาม (แบบ ทต.ถาวร)")
        BO_PHLOI_2565 = "bo_phloi_2565", _("มาตรการ/แนวทาง และการติดตามผล (แบบ ทต.บ่อพลอย)")
        SAO_SIX_COLUMNS = "sao_six_columns", _("หกคอลัมน์พร้อมข้อเสนอแนะ (แบบ อบต.)")

    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    code = models.CharField(
        _("รหัสหน่วยงาน"), max_length=16, blank=True, help_text=_("รหัสองค์กรปกครองส่วนท้องถิ่น (ถ้ามี) เช่น 6930201")
    )
    kind = models.CharField(_("ประเภท"), max_length=32, choices=Kind.choices)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=100, db_index=True)
    slug = models.SlugField(
        _("ชื่อย่อในที่อยู่เว็บ"),
        max_length=80,
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_("ใช้ในที่อยู่เว็บถาวร เป็นตัวอักษรภาษาอังกฤษ ตัวเลข และขีด เช่น khao-hua-chang"),
    )
    website = models.URLField(_("เว็บไซต์หลัก"), blank=True)
    logo = models.ImageField(_("ตราสัญลักษณ์"), upload_to="logos/", blank=True)
    thai_digits = models.BooleanField(_("ใช้เลขไทยในเอกสาร"), default=True)
    report_layout = models.CharField(
        _("รูปแบบตารางในเอกสาร"), max_length=32, choices=Layout.choices, default=Layout.THEMES_12M
    )
    all_units_text = models.CharField(
        _("คำที่ใช้เรียกทุกส่วนราชการ"),
        max_length=100,
        default="ทุกกอง/สำนัก",
        help_text=_("พิมพ์ในช่องผู้รับผิดชอบของมาตรการที่ทุกส่วนราชการรับผิดชอบ เช่น ทุกกอง/สำนัก หรือ ทุกส่วนราชการ"),
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    # Any change of the organisation's own details: the public organisation page's cache key.
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        ordering = ["province", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="organisation_unique_code",
                violation_error_message=_("มีหน่วยงานที่ใช้รหัสนี้แล้ว"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # The column layout a new organisation of each kind starts with: an อบต.'s documents have the
    # six columns with ข้อเสนอแนะ (ITA-DOMAIN.md §4); the others the layout of the seeds' เทศบาล.
    DEFAULT_LAYOUTS = {Kind.SUBDISTRICT: Layout.SAO_SIX_COLUMNS}

    @classmethod
    def default_layout(cls, kind: str) -> str:
        return cls.DEFAULT_LAYOUTS.get(kind, cls.Layout.THEMES_12M)

    @property
    def place(self) -> str:
        """'อำเภอตะโหมด จังหวัดพัทลุง' as printed under the name."""
        parts = []
        if self.district:
            parts.append(f"อำเภอ{self.district}")
        if self.province:
            parts.append(f"จังหวัด{self.province}")
        return " ".join(parts)


class FormerSlug(models.Model):
    """An address (slug) an organisation had before: its old public and staff URLs answer with a
    permanent redirect to the new address, and no other organisation may take it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="former_slugs", verbose_name=_("หน่วยงาน")
    )
    slug = models.SlugField(_("ชื่อย่อเดิม"), max_length=80, unique=True)
    replaced_at = models.DateTimeField(_("เปลี่ยนเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("ที่อยู่เว็บเดิมของหน่วยงาน")
        verbose_name_plural = _("ที่อยู่เว็บเดิมของหน่วยงาน")

    def __str__(self) -> str:
        return f"{self.slug} → {self.organisation.slug}"


class Unit(models.Model):
    """A part of an organisation: สำนัก, กอง, ฝ่าย or งาน, nested."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("สำนัก")
        DIVISION = "division", _("กอง")
        SUBDIVISION = "subdivision", _("ฝ่าย")
        SECTION = "section", _("งาน")
        OTHER = "other", _("อื่น ๆ")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("หน่วยงาน")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("สังกัด"),
    )
    name = models.CharField(_("ชื่อส่วนราชการ"), max_length=200)
    kind = models.CharField(_("ประเภท"), max_length=16, choices=Kind.choices, default=Kind.DIVISION)
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    # A unit no longer in use: offered for no new measure or person; what it was given keeps it.
    is_active = models.BooleanField(_("ใช้งานอยู่"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ส่วนราชการ")
        verbose_name_plural = _("ส่วนราชการ")
        ordering = ["organisation", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unit_unique_name_per_organisation",
                violation_error_message=_("มีส่วนราชการชื่อนี้ในหน่วยงานแล้ว"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user's role in one organisation (and, for unit contributors, one unit)."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("เจ้าหน้าที่ผู้จัดทำ")
        CONTRIBUTOR = "contributor", _("ผู้รับผิดชอบในกอง/สำนัก")
        APPROVER = "approver", _("ผู้บริหาร/ผู้อนุมัติ")
        ORG_ADMIN = "org_admin", _("ผู้ดูแลหน่วยงาน")
        OVERSIGHT = "oversight", _("ผู้กำกับดูแล")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("ผู้ใช้"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("หน่วยงาน")
    )
    role = models.CharField(_("บทบาท"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("กอง/สำนัก"),
    )
    position = models.CharField(_("ตำแหน่ง"), max_length=200, blank=True)
    is_active = models.BooleanField(_("ใช้งานอยู่"), default=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("สิทธิ์ของผู้ใช้")
        verbose_name_plural = _("สิทธิ์ของผู้ใช้")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role", "unit"],
                condition=Q(unit__isnull=False),
                name="membership_unique_with_unit",
                violation_error_message=_("ผู้ใช้นี้มีบทบาทนี้ในหน่วยงานแล้ว"),
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(unit__isnull=True),
                name="membership_unique_without_unit",
                violation_error_message=_("ผู้ใช้นี้มีบทบาทนี้ในหน่วยงานแล้ว"),
            ),
            models.CheckConstraint(
                condition=~Q(role="contributor") | Q(unit__isnull=False),
                name="membership_contributor_has_unit",
                violation_error_message=_("ผู้รับผิดชอบในกอง/สำนักต้องระบุกอง/สำนัก"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class Signatory(models.Model):
    """A person who signs the organisation's documents (name, position, acting-for text)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("หน่วยงาน")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatories",
        verbose_name=_("ผู้ใช้"),
    )
    name = models.CharField(_("ชื่อ-สกุล"), max_length=200)
    position = models.CharField(_("ตำแหน่ง"), max_length=200)
    acting_for = models.CharField(
        _("ปฏิบัติราชการแทน"), max_length=200, blank=True, help_text=_("เช่น ปฏิบัติราชการแทน นายกเทศมนตรี")
    )
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ผู้ลงนาม")
        verbose_name_plural = _("ผู้ลงนาม")
        ordering = ["organisation", "order"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class Profile(models.Model):
    """How a person is named in print: the title before the name (นาย, นาง, นางสาว, a rank), the
    position and the acting text of memos and sign-off blocks. The name itself is the user's
    first and last name. Each person edits his own."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("ผู้ใช้")
    )
    title = models.CharField(
        _("คำนำหน้าชื่อ"), max_length=100, blank=True, help_text=_("เช่น นาย นาง นางสาว ว่าที่ร้อยตรี จ.ส.อ.")
    )
    position = models.CharField(_("ตำแหน่ง"), max_length=200, blank=True, help_text=_("เช่น ปลัดเทศบาล นิติกรปฏิบัติการ"))
    acting_for = models.CharField(
        _("การปฏิบัติราชการแทน"),
        max_length=200,
        blank=True,
        help_text=_("ถ้ามี เช่น รักษาราชการแทนปลัดเทศบาล หรือ ปฏิบัติราชการแทนนายกเทศมนตรี"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ข้อมูลผู้ใช้สำหรับเอกสาร")
        verbose_name_plural = _("ข้อมูลผู้ใช้สำหรับเอกสาร")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """ "นางสาวสมใจ ใจดี": the title is written against the name, as Thai documents print it."""
        name = " ".join(part for part in (self.user.first_name.strip(), self.user.last_name.strip()) if part)
        return (self.title.strip() + name) if name else self.user.get_username()


class OversightScopeQuerySet(models.QuerySet):
    def active(self) -> "OversightScopeQuerySet":
        return self.filter(is_active=True)


AREA_PREFIXES = ("จังหวัด", "จ.", "อำเภอ", "อ.")


def _area_name(value: str) -> str:
    """ "จังหวัดพัทลุง" → "พัทลุง": organisations store the bare name (Organisation.place adds the word)."""
    value = " ".join(value.split())
    for prefix in AREA_PREFIXES:
        if value.startswith(prefix) and len(value) > len(prefix):
            return value[len(prefix) :].strip()
    return value


class OversightScope(models.Model):
    """An oversight user's area (ท้องถิ่นจังหวัด/อำเภอ): every organisation of a province, or of one district.

    One row covers the whole area, organisations added to it later included; an OVERSIGHT
    membership covers a single organisation. Either way the user sees only the state of each
    document on the oversight dashboard, and the published versions on the public site.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oversight_scopes",
        verbose_name=_("ผู้ใช้"),
    )
    province = models.CharField(_("จังหวัด"), max_length=100, help_text=_("ชื่อจังหวัดตามที่บันทึกในหน่วยงาน เช่น พัทลุง"))
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True, help_text=_("เว้นว่างเพื่อกำกับดูแลทุกหน่วยงานในจังหวัด"))
    is_active = models.BooleanField(_("ใช้งานอยู่"), default=True)

    history = HistoricalRecords()
    objects = OversightScopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("ขอบเขตการกำกับดูแล")
        verbose_name_plural = _("ขอบเขตการกำกับดูแล")
        ordering = ["user", "province", "district"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "province", "district"],
                name="oversight_scope_unique",
                violation_error_message=_("ผู้ใช้นี้มีขอบเขตการกำกับดูแลนี้แล้ว"),
            ),
            models.CheckConstraint(
                condition=~Q(province=""),
                name="oversight_scope_has_province",
                violation_error_message=_("กรุณาระบุจังหวัด"),
            ),
        ]

    def __str__(self) -> str:
        area = f"อำเภอ{self.district} จังหวัด{self.province}" if self.district else f"จังหวัด{self.province}"
        return f"{self.user} — {area}"

    def clean(self) -> None:
        self.province = _area_name(self.province)
        self.district = _area_name(self.district)
