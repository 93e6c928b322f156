"""Publications: the immutable versions of approved documents that the public site shows.

A publication is frozen when it is made: the data as approved, the document's HTML (the
standalone page and the body the public site embeds), the PDF rendered once and stored, and
the PDF's SHA-256. Nothing of it changes afterwards; a withdrawal only adds who, when and why.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.models import DocumentKind, MeasuresDocument, Organisation, ProgressReport, Submission


class PublicationQuerySet(models.QuerySet):
    """Bulk writes keep the model's promises: no delete, and an update may only record a withdrawal."""

    def live(self):
        return self.filter(withdrawn_at__isnull=True)

    def stamp(self) -> dict:
        """What changes whenever a list of these publications does: the newest id and date, and the
        latest withdrawal. Publications are only ever added (a higher id) or withdrawn once
        (withdrawn_at set to the time of the withdrawal, later than every earlier one). Each is one
        step down an index (the primary key, published_at, publications_withdrawn_at), where
        counting the live versions of the whole site read all 75,000 rows at national size."""
        return self.aggregate(newest=Max("pk"), published=Max("published_at"), withdrawn=Max("withdrawn_at"))

    def delete(self):
        raise ValueError("a publication is never deleted: withdraw it")

    def update(self, **kwargs):
        if set(kwargs) - {"withdrawn_at", "withdrawn_by", "withdrawn_by_id", "withdrawal_reason"}:
            raise ValueError("a publication is immutable: only its withdrawal may be recorded")
        if self.filter(withdrawn_at__isnull=False).exists():
            raise ValueError("a withdrawal, once recorded, is frozen too")
        return super().update(**kwargs)


class Publication(models.Model):
    Kind = DocumentKind  # the one list of document kinds, in the domain

    FROZEN = (
        "organisation_id",
        "fiscal_year",
        "kind",
        "version",
        "document_id",
        "report_id",
        "edition",
        "submission_id",
        "title",
        "data",
        "html",
        "body_html",
        "pdf",
        "sha256",
        "pdf_size",
        "memo_html",
        "memo_pdf",
        "published_by_id",
        "published_at",
    )
    WITHDRAWAL = ("withdrawn_at", "withdrawn_by_id", "withdrawal_reason")  # frozen too, once recorded

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="publications")
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    kind = models.CharField(_("เอกสาร"), max_length=16, choices=Kind.choices)
    version = models.PositiveIntegerField(_("ฉบับเผยแพร่ที่"))
    document = models.ForeignKey(
        MeasuresDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="publications"
    )
    report = models.ForeignKey(
        ProgressReport, on_delete=models.PROTECT, null=True, blank=True, related_name="publications"
    )
    edition = models.PositiveIntegerField(_("ฉบับปรับปรุงที่"))
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(_("ชื่อเอกสาร"), max_length=300)
    data = models.JSONField(_("ข้อมูลที่อนุมัติ"))
    html = models.TextField(_("HTML ของเอกสาร"))
    body_html = models.TextField(_("เนื้อหาเอกสารสำหรับหน้าเว็บ"))
    pdf = models.FileField(_("ไฟล์ PDF"), upload_to="publications/%Y/")
    sha256 = models.CharField(_("SHA-256 ของไฟล์ PDF"), max_length=64)
    pdf_size = models.PositiveIntegerField(_("ขนาดไฟล์ PDF (ไบต์)"))
    # The signed memo, when the officer publishes it with the document (as on OIT pages).
    memo_html = models.TextField(_("HTML ของบันทึกข้อความ"), blank=True)
    memo_pdf = models.FileField(_("ไฟล์ PDF ของบันทึกข้อความ"), upload_to="publications/%Y/", blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ผู้เผยแพร่")
    )
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"))
    withdrawn_at = models.DateTimeField(_("ถอนการเผยแพร่เมื่อ"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผู้ถอนการเผยแพร่"),
    )
    withdrawal_reason = models.TextField(_("เหตุผลที่ถอนการเผยแพร่"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("เอกสารที่เผยแพร่")
        verbose_name_plural = _("เอกสารที่เผยแพร่")
        ordering = ["organisation", "-fiscal_year", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "kind", "version"], name="publication_unique_version"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "fiscal_year", "kind"]),
            models.Index(fields=["published_at"]),
            # The site feed's ETag: the latest withdrawal, one step down this index (reports.public.feeds).
            models.Index(
                fields=["withdrawn_at"], condition=Q(withdrawn_at__isnull=False), name="publications_withdrawn_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (ฉบับเผยแพร่ที่ {self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            stored = type(self).objects.filter(pk=self.pk).values(*self.FROZEN, *self.WITHDRAWAL).first()
            if stored is not None:
                frozen = self.FROZEN + (self.WITHDRAWAL if stored["withdrawn_at"] is not None else ())
                current = {name: getattr(self, name) for name in frozen}
                current["pdf"] = self.pdf.name
                current["memo_pdf"] = self.memo_pdf.name
                if any(stored[name] != current[name] for name in frozen):
                    raise ValueError("a publication is immutable: only its withdrawal may be recorded")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("a publication is never deleted: withdraw it")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class OitEntry(models.Model):
    """A free entry of an organisation's OIT evidence index: an item the portal does not cover.

    The index of a fiscal year lists the items the portal's own publications answer (the
    measures and the implementation report, with codes from that year's framework) and, with
    these rows, the links the organisation adds for its other OIT items. One link per item and
    year, as ITAS takes one URL per item.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="oit_entries", verbose_name=_("หน่วยงาน")
    )
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    item_code = models.CharField(_("ข้อ"), max_length=16)
    title = models.CharField(_("ชื่อรายการ"), max_length=300)
    url = models.URLField(_("ที่อยู่เว็บ (URL)"), max_length=1000, validators=[URLValidator(schemes=["http", "https"])])
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ผู้เพิ่ม")
    )
    created_at = models.DateTimeField(_("เพิ่มเมื่อ"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("รายการหลักฐาน OIT")
        verbose_name_plural = _("รายการหลักฐาน OIT")
        ordering = ["organisation", "fiscal_year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "item_code"],
                name="oitentry_unique_code_per_year",
                violation_error_message=_("ข้อนี้มีที่อยู่เว็บในปีนี้แล้ว ลบรายการเดิมก่อนหากต้องการเปลี่ยน"),
            ),
            models.CheckConstraint(
                condition=Q(url__istartswith="http://") | Q(url__istartswith="https://"),
                name="oitentry_url_is_http",
                violation_error_message=_("ที่อยู่เว็บต้องขึ้นต้นด้วย http:// หรือ https://"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code} {self.title}"


class PublicFragment(models.Model):
    """A part of a public page made from published data once and kept here (reports.public.fragments):
    a document's reading view, an organisation's score card and charts. Derived data: any row may be
    deleted and is made again on the next visit; the key says what it was made from."""

    key = models.CharField(max_length=200, primary_key=True)
    family = models.CharField(max_length=100, db_index=True)  # its kind and subject: one current key each
    html = models.TextField()
    made_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ส่วนของหน้าสาธารณะที่เก็บไว้")
        verbose_name_plural = _("ส่วนของหน้าสาธารณะที่เก็บไว้")

    def __str__(self) -> str:
        return self.key


class PublicPage(models.Model):
    """A public page as it was last rendered (reports.public.caching): the second level under the
    cache, shared by every worker and server and kept across restarts, so that a page no worker
    holds (the long tail, a restart) is one indexed query instead of a render. Derived data: any
    row may be deleted; a row that is not current (its etag or generation) is never served."""

    key = models.CharField(max_length=64, primary_key=True)  # the page's address (and the release)
    etag = models.CharField(max_length=64)  # what it shows: the address and its data's state
    generation = models.CharField(max_length=32, blank=True)  # the site's, when checked (per-process caches)
    status = models.PositiveSmallIntegerField()
    headers = models.JSONField()
    body = models.BinaryField()  # zlib-compressed
    modified = models.FloatField()  # the Last-Modified it is served with (a timestamp)
    has_nonce = models.BooleanField(default=False)
    expires = models.FloatField(db_index=True)  # a timestamp

    class Meta:
        verbose_name = _("หน้าสาธารณะที่เก็บไว้")
        verbose_name_plural = _("หน้าสาธารณะที่เก็บไว้")

    def __str__(self) -> str:
        return self.key
