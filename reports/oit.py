"""The OIT evidence index of an organisation and fiscal year, and its free entries.

An organisation submits one URL per OIT item in NACC's ITAS. The documents of fiscal year N —
the measures for N and their 6- and 12-month reports — are the evidence of ITA N, the
assessment run in fiscal year N (its OIT window is January–June of N; ITA-DOMAIN.md §4: "Oct–Feb
draft, approve and publish the measures for N → Jan–Jun N the ITA N survey and OIT window").
The measures *analyse* ITA N−1 (their basis framework) but are *assessed* in ITA N, so the
item codes come from the framework of year N (Framework.measures_item_code / report_item_code;
O42 and O43 from ITA 2563 to 2567). Codes are reused with new meanings across years: the index
never guesses a code from another year's framework.

The report item shows the 12-month report once it is published (it covers the whole year)
and the 6-month report until then; the other round, if published, is listed with it.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures import thai
from measures.models import Framework, Item, Organisation
from measures.services import ServiceError, stamp

from .models import OitEntry, Publication

CODE_PATTERN = re.compile(r"[A-Z]{1,4}[0-9]{1,3}(?:[.\-][0-9]{1,3})?")
URL_ERROR = gettext_lazy(
    "ที่อยู่เว็บไม่ถูกต้อง กรุณากรอกที่อยู่เต็มที่ขึ้นต้นด้วย http:// หรือ https:// เช่น https://www.example.go.th/ita/o1"
)
url_validator = URLValidator(schemes=["http", "https"], message=URL_ERROR)
REPORT_KINDS = (Publication.Kind.REPORT_12, Publication.Kind.REPORT_6)  # preferred first


@dataclass
class Link:
    """A published document on its permanent, unversioned URL (`absolutise` fills in `url`)."""

    kind: str
    label: str
    path: str
    version: int
    url: str = ""


@dataclass
class Row:
    code: str
    title: str
    path: str | None  # None: nothing published (ยังไม่เผยแพร่)
    source: str  # "portal" (a publication of this portal) or "entry" (added by the organisation)
    document: str = ""  # which of the portal's documents answers the item
    others: list[Link] = field(default_factory=list)
    entry: OitEntry | None = None
    sort: tuple = ()
    url: str | None = None  # the absolute URL, once `absolutise` ran

    @property
    def is_external(self) -> bool:
        return self.source == "entry"


@dataclass
class OitIndex:
    organisation: Organisation
    fiscal_year: int
    framework: Framework | None
    rows: list[Row]

    @property
    def covered_codes(self) -> list[str]:
        """The codes the portal's own publications answer, in the index's order."""
        return [r.code for r in self.rows if r.source == "portal" and r.code]


def _newest_live(organisation: Organisation, fiscal_year: int) -> dict[str, Publication]:
    """The newest version of each document, if that version is live (else its URL shows a notice)."""
    newest: dict[str, Publication] = {}
    for p in (
        Publication.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .only("kind", "version", "withdrawn_at")
        .order_by("kind", "-version")
    ):
        newest.setdefault(p.kind, p)
    return {kind: p for kind, p in newest.items() if not p.is_withdrawn}


def _link(organisation: Organisation, publication: Publication) -> Link:
    path = reverse("reports:publication_latest", args=[organisation.slug, publication.fiscal_year, publication.kind])
    return Link(publication.kind, Publication.Kind(publication.kind).label, path, publication.version)


def framework_for(fiscal_year: int) -> Framework | None:
    """The framework of the assessment the year's documents are evidence for: ITA of the same year."""
    return Framework.objects.filter(year=fiscal_year).first()


def build_index(organisation: Organisation, fiscal_year: int) -> OitIndex:
    """The items of the year with their URLs, in the framework's order; four queries."""
    framework = framework_for(fiscal_year)
    live = _newest_live(organisation, fiscal_year)
    entries = list(OitEntry.objects.filter(organisation=organisation, fiscal_year=fiscal_year).order_by("order", "pk"))
    measures_code = framework.measures_item_code if framework else ""
    report_code = framework.report_item_code if framework else ""
    codes = {measures_code, report_code, *(e.item_code for e in entries)} - {""}
    items = {}
    if framework is not None and codes:
        items = {
            i.code: i for i in Item.objects.filter(framework=framework, code__in=codes).only("code", "title", "order")
        }

    def sort_key(code: str, tiebreak: int) -> tuple:
        item = items.get(code)
        return (0, item.order, tiebreak) if item else (1, tiebreak, code)

    rows: list[Row] = []
    if framework is None or measures_code:
        measures = live.get(Publication.Kind.MEASURES)
        rows.append(
            Row(
                code=measures_code,
                title=items[measures_code].title if measures_code in items else Publication.Kind.MEASURES.label,
                path=_link(organisation, measures).path if measures else None,
                source="portal",
                document=Publication.Kind.MEASURES.label,
                sort=sort_key(measures_code, -2),
            )
        )
    if framework is None or report_code:
        reports = [_link(organisation, live[k]) for k in REPORT_KINDS if k in live]
        rows.append(
            Row(
                code=report_code,
                title=items[report_code].title
                if report_code in items
                else _("การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส"),
                path=reports[0].path if reports else None,
                source="portal",
                document=reports[0].label if reports else _("รายงานผลการดำเนินการตามมาตรการ"),
                others=reports[1:],
                sort=sort_key(report_code, -1),
            )
        )
    for n, entry in enumerate(entries):
        rows.append(
            Row(
                code=entry.item_code,
                title=entry.title,
                path=entry.url,
                source="entry",
                entry=entry,
                sort=sort_key(entry.item_code, n),
            )
        )
    rows.sort(key=lambda r: r.sort)
    return OitIndex(organisation=organisation, fiscal_year=fiscal_year, framework=framework, rows=rows)


def absolutise(index: OitIndex, absolute) -> OitIndex:
    """Give every row and link its absolute URL; `absolute` is request.build_absolute_uri."""
    for row in index.rows:
        if row.path:
            row.url = row.path if row.is_external else absolute(row.path)
        for link in row.others:
            link.url = absolute(link.path)
    return index


def index_text(index: OitIndex) -> str:
    """The list to copy into ITAS: one line per item, "code URL" (items without a URL left out)."""
    return "\n".join(f"{row.code or '-'} {row.url}" for row in index.rows if row.url)


def year_has_index(organisation: Organisation, fiscal_year: int) -> bool:
    """A public index exists for years with a framework, a publication or a free entry."""
    return (
        Framework.objects.filter(year=fiscal_year).exists()
        or Publication.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists()
        or OitEntry.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists()
    )


# --- Free entries (writes) -----------------------------------------------------------------


def normalise_code(code: str) -> str:
    return thai.to_arabic_digits(code).strip().upper().replace(" ", "")


@transaction.atomic
def entry_add(*, organisation: Organisation, fiscal_year: int, by, item_code: str, title: str, url: str) -> OitEntry:
    """Add the link of an OIT item the portal does not publish itself; refused for a code already listed."""
    code = normalise_code(item_code)
    if not CODE_PATTERN.fullmatch(code):
        raise ServiceError(_("รหัสข้อไม่ถูกต้อง กรุณากรอกเช่น O1 หรือ O27"))
    index = build_index(organisation, fiscal_year)
    if code in index.covered_codes:
        raise ServiceError(_("ข้อ %(code)s ระบบแสดงที่อยู่ของเอกสารที่เผยแพร่จากระบบนี้ให้แล้ว ไม่ต้องเพิ่มเอง") % {"code": code})
    if any(r.code == code for r in index.rows):
        raise ServiceError(_("ข้อ %(code)s มีที่อยู่เว็บในปีนี้แล้ว ลบรายการเดิมก่อนหากต้องการเปลี่ยน") % {"code": code})
    url = url.strip()
    try:
        url_validator(url)
    except ValidationError as error:
        raise ServiceError(str(URL_ERROR)) from error
    title = title.strip()
    if len(title) > 300:
        raise ServiceError(_("ชื่อรายการยาวเกิน 300 ตัวอักษร"))
    if not title:
        item = Item.objects.filter(framework=index.framework, code=code).first() if index.framework else None
        if item is None:
            raise ServiceError(_("กรุณากรอกชื่อรายการ (ไม่พบข้อ %(code)s ในกรอบการประเมินของปีนี้)") % {"code": code})
        title = item.title[:300]
    last = max((r.entry.order for r in index.rows if r.entry), default=0)
    entry = OitEntry(
        organisation=organisation,
        fiscal_year=fiscal_year,
        item_code=code,
        title=title,
        url=url,
        order=last + 1,
        created_by=by,
    )
    stamp(entry, by)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:  # the same code added a moment earlier by someone else
        raise ServiceError(_("ข้อ %(code)s มีที่อยู่เว็บในปีนี้แล้ว ลบรายการเดิมก่อนหากต้องการเปลี่ยน") % {"code": code}) from error
    return entry


@transaction.atomic
def entry_delete(*, entry: OitEntry, by) -> None:
    stamp(entry, by)
    entry.delete()
