"""No page's number of queries grows with what it shows: measures, units, themes, rounds or years.

Every staff and public page (GET) is asked of two organisations built alike through the
services, and must cost big-town no more queries than it costs small-town:

- small-town: 5 measures, 2 units, one theme, one year published with both rounds, one year
  waiting for sign-off, a chain of 2, a document returned once;
- big-town: 200 measures in the document whose pages are compared (20 in its other
  documents), 10 units, 6 themes, two years published with their rounds, a round and a year
  waiting, a chain of 4, a document returned once and published twice, a measure edited 5
  times, evidence on 20 entries, 5 OIT links, and its officer, approver and overseer in 3 more
  organisations.

Both also have, with as many measures as the compared document (5 and 200), an approved year
not yet published (its 6-month round a draft, its 12-month round approved) and a draft year:
the submit check pages and the publish confirmations are asked of them.

Pages that list the whole site (home, site feed, sitemaps, robots.txt) and the change list of
every model in the Django admin are counted with small-town alone, then again once big-town
exists.

WeasyPrint is replaced by a stub that returns a one-line PDF, at publishing and in the staff
PDF views: it runs no query, and rendering 200 measures several times would make this module
take minutes (its speed is measured by bench/render.py). The views around it run in full.
"""

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from measures import selectors, services, workflow
from measures.models import Framework, Membership
from measures.services import MeasureData
from measures.thai import fiscal_year_bounds
from reports import oit, publishing, rendering
from reports.models import Publication
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
YEAR = 2566  # published, with both rounds, in both organisations
PENDING_YEAR = 2567  # submitted, waiting at step 1, in both
APPROVED_YEAR = 2568  # approved, not published; its 6-month round a draft, its 12-month round approved
DRAFT_YEAR = 2569  # a draft
FAKE_PDF = b"%PDF-1.4\n% query bounds stub\n"


@dataclass(frozen=True)
class Size:
    measures: int  # in the YEAR document, whose pages are compared
    other_measures: int  # in the other documents (the other years, the pending one)
    units: int
    themes: int
    years: tuple[int, ...]  # published years (with both rounds)
    chain: int  # steps of the approval chain
    pending_round: tuple[int, int] | None = None  # (year, round) submitted but not yet approved
    returned: bool = False  # the YEAR document was returned once before its approval
    versions: int = 1  # published versions of the YEAR document
    edits: int = 0  # updates of its first measure before it was submitted
    evidence: int = 1  # entries with a link, per round
    oit_entries: int = 1
    others: int = 0  # other organisations of the same officer, approver and overseer (each a pending draft)


SMALL = Size(measures=5, other_measures=5, units=2, themes=1, years=(YEAR,), chain=2, returned=True)
BIG = Size(
    measures=200,
    other_measures=20,
    units=10,
    themes=6,
    years=(YEAR - 1, YEAR),
    chain=4,
    pending_round=(YEAR - 1, 12),
    returned=True,
    versions=2,
    edits=5,
    evidence=20,
    oit_entries=5,
    others=3,
)
CHAIN_TITLES = ["หัวหน้าสำนักปลัด", "ปลัดเทศบาล", "รองนายกเทศมนตรี", "นายกเทศมนตรี"]
OIT_CODES = ["O1", "O2", "O3", "O4", "O5"]


@dataclass
class Org:
    organisation: object
    users: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)
    document: object = None  # the YEAR document
    measure: object = None  # its first measure (of the contributor's unit)
    theme: object = None
    finding: object = None
    submission: object = None  # the latest approved submission of the YEAR document
    pending: object = None  # the submission of the PENDING_YEAR document
    evidence: object = None  # a file of the YEAR 6-month round
    publication: object = None  # the latest version of the YEAR document
    assessment_year: int = YEAR - 1

    @property
    def slug(self) -> str:
        return self.organisation.slug


def _member(username: str, organisation, role, unit=None):
    user = UserFactory(username=username, email=f"{username}@example.org")
    MembershipFactory(user=user, organisation=organisation, role=role, unit=unit)
    return user


def _approve(submission, approvers) -> None:
    for approver in approvers:
        submission.refresh_from_db()
        workflow.decide(submission=submission, by=approver, approve=True, comment="เห็นชอบ")


def _measure_data(n: int, *, size: Size, themes: list, units: list, items: list, year: int, title: str = ""):
    start, end = fiscal_year_bounds(year)
    return MeasureData(
        title=title or f"มาตรการที่ {n + 1} เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง",
        number=n // size.themes + 1,
        theme=themes[n % size.themes],
        steps=["จัดทำแผน", "เผยแพร่บนเว็บไซต์"],
        issue="การเปิดเผยข้อมูล",
        units=list(dict.fromkeys([units[n % len(units)], units[(n + 1) % len(units)]])),
        items=[items[n % len(items)]] if items else [],
        period_start=start,
        period_end=end,
        monitoring="รายงานผลทุกไตรมาส",
        owner="หัวหน้าสำนักปลัด",
    )


def _fill(document, *, size: Size, units: list, by, measures: int | None = None) -> None:
    """Findings, themes and measures (steps, two units, an item) through the services.

    As many measures as `measures`, else as the size gives the document of its year."""
    framework = document.basis_framework
    items = list(framework.items.select_related("indicator")[:20]) if framework else []
    indicators = list(framework.indicators.all()[:2]) if framework else []
    services.finding_save(
        document=document, by=by, kind="urgent", text="ตัวชี้วัดที่ต้องแก้ไขโดยเร่งด่วน", indicators=indicators, items=items[:2]
    )
    services.finding_save(document=document, by=by, kind="improve", text="ประเด็นที่ต้องพัฒนา")
    themes = [
        services.theme_save(document=document, by=by, number=n, title=f"ด้านที่ {n}") for n in range(1, size.themes + 1)
    ]
    fields = {"size": size, "themes": themes, "units": units, "items": items, "year": document.fiscal_year}
    first = None
    if measures is None:
        measures = size.measures if document.fiscal_year == YEAR else size.other_measures
    for n in range(measures):
        measure = services.measure_create(document=document, by=by, data=_measure_data(n, **fields))
        first = first or measure
    for edit in range(size.edits):  # a longer history
        services.measure_update(
            measure=first,
            by=by,
            revision=None,
            data=_measure_data(0, **fields, title=f"มาตรการที่ 1 ปรับปรุงครั้งที่ {edit + 1}"),
        )


def _round(document, round_months: int, *, size: Size, by, chain, evidence_file: bool, pending: bool):
    report = services.report_start(document=document, round_months=round_months, by=by)
    entries = list(report.entries.select_related("measure").order_by("measure__pk"))
    for entry in entries[:3]:
        services.entry_update(
            entry=entry,
            by=by,
            revision=None,
            status="done",
            percent=100,
            summary="ดำเนินการแล้วเสร็จ",
            outcome="ประชาชนเข้าถึงข้อมูล",
        )
    for entry in entries[: size.evidence]:
        services.evidence_add(entry=entry, by=by, title="ลิงก์ประกาศ", url="https://example.org/notice")
    evidence = None
    if evidence_file:
        evidence = services.evidence_add(
            entry=entries[0], by=by, title="ภาพกิจกรรม", file=SimpleUploadedFile("photo.pdf", b"%PDF-1.4 evidence")
        )
    submission = workflow.submit(target=report, by=by)
    if not pending:
        _approve(submission, chain)
        report.refresh_from_db()
        publishing.publish(target=report, by=by)
    return evidence


def _signed_off(document, *, size: Size, by, chain):
    """Submitted, returned once (if the size says so), approved and published (`versions` times)."""
    if size.returned:
        submission = workflow.submit(target=document, by=by)
        workflow.decide(submission=submission, by=chain[0], approve=False, comment="กรุณาแก้ไขขั้นตอน")
    for version in range(size.versions):
        if version:
            workflow.reopen(target=document, by=by)
        submission = workflow.submit(target=document, by=by)
        _approve(submission, chain)
        document.refresh_from_db()
        publishing.publish(target=document, by=by, with_memo=True)
    return submission


def _other_organisation(world, n: int) -> None:
    """Another organisation of the same officer, approver and overseer, with a draft waiting for sign-off."""
    users = world.users
    other = OrganisationFactory(name=f"เทศบาลตำบลอื่นที่ {n}", slug=f"{world.slug}-other-{n}")
    for role, user in (
        (Role.OFFICER, users["officer"]),
        (Role.APPROVER, users["approver"]),
        (Role.OVERSIGHT, users["oversight"]),
    ):
        MembershipFactory(user=user, organisation=other, role=role)
    workflow.chain_save(
        organisation=other,
        by=users["officer"],
        rows=[{"title": CHAIN_TITLES[0], "acting_for": "", "approvers": [users["approver"]]}],
    )
    document = services.document_create(organisation=other, fiscal_year=PENDING_YEAR, by=users["officer"])
    services.measure_create(
        document=document, by=users["officer"], data=MeasureData(title="มาตรการเดียว", number=1, all_units=True)
    )
    workflow.submit(target=document, by=users["officer"])


def build_organisation(slug: str, size: Size) -> Org:
    organisation = OrganisationFactory(name=f"เทศบาลตำบล{slug}", slug=slug)
    units = [UnitFactory(organisation=organisation, name=f"กองที่ {n}", order=n) for n in range(1, size.units + 1)]
    world = Org(organisation=organisation)
    users = world.users
    officer = users["officer"] = _member(f"{slug}-officer", organisation, Role.OFFICER)
    MembershipFactory(user=officer, organisation=organisation, role=Role.ORG_ADMIN)
    chain = [_member(f"{slug}-approver-{n}", organisation, Role.APPROVER) for n in range(size.chain)]
    users["approver"] = chain[0]
    users["contributor"] = _member(f"{slug}-contributor", organisation, Role.CONTRIBUTOR, units[0])
    users["oversight"] = _member(f"{slug}-oversight", organisation, Role.OVERSIGHT)
    titles = CHAIN_TITLES[:1] + CHAIN_TITLES[-(size.chain - 1) :] if size.chain > 1 else CHAIN_TITLES[:1]
    workflow.chain_save(
        organisation=organisation,
        by=officer,
        rows=[
            {"title": title, "acting_for": "", "approvers": [user]} for title, user in zip(titles, chain, strict=True)
        ],
    )
    for year in (*size.years, PENDING_YEAR):
        framework = Framework.objects.filter(year=year - 1).first()
        if framework is not None:
            services.assessment_save(
                organisation=organisation,
                framework=framework,
                by=officer,
                indicator_scores={i: Decimal("80.5") + i.number for i in framework.indicators.all()},
            )
    for year in size.years:
        document = services.document_create(organisation=organisation, fiscal_year=year, by=officer)
        _fill(document, size=size, units=units, by=officer)
        submission = _signed_off(document, size=size, by=officer, chain=chain)
        for round_months in (6, 12):
            evidence = _round(
                document,
                round_months,
                size=size,
                by=officer,
                chain=chain,
                evidence_file=(year, round_months) == (YEAR, 6),
                pending=(year, round_months) == size.pending_round,
            )
            world.evidence = evidence or world.evidence
        if year == YEAR:
            world.document, world.submission = document, submission
    pending = services.document_create(organisation=organisation, fiscal_year=PENDING_YEAR, by=officer)
    _fill(pending, size=size, units=units, by=officer)
    world.pending = workflow.submit(target=pending, by=officer)
    # To be published: the document and its 12-month report approved, its 6-month round a draft.
    approved = services.document_create(organisation=organisation, fiscal_year=APPROVED_YEAR, by=officer)
    _fill(approved, size=size, units=units, by=officer, measures=size.measures)
    _approve(workflow.submit(target=approved, by=officer), chain)
    services.report_start(document=approved, round_months=6, by=officer)
    _approve(
        workflow.submit(target=services.report_start(document=approved, round_months=12, by=officer), by=officer), chain
    )
    draft = services.document_create(organisation=organisation, fiscal_year=DRAFT_YEAR, by=officer)
    _fill(draft, size=size, units=units, by=officer, measures=size.measures)
    for code in OIT_CODES[: size.oit_entries]:
        oit.entry_add(
            organisation=organisation,
            fiscal_year=YEAR,
            by=officer,
            item_code=code,
            title=f"ข้อ {code}",
            url=f"https://example.org/{code}",
        )
    for n in range(size.others):
        _other_organisation(world, n)
    document = world.document
    world.measure = document.measures.order_by("theme__number", "number").first()
    world.theme = document.themes.order_by("number").first()
    world.finding = document.findings.order_by("order").first()
    world.publication = Publication.objects.filter(document=document).order_by("-version").first()
    for role in ("officer", "approver", "contributor", "oversight"):
        client = world.clients[role] = Client()
        client.force_login(users[role])
    world.clients["anonymous"] = Client()
    return world


# --- The pages --------------------------------------------------------------------------------
# key → (who asks, the URL's arguments). Keys are URL names; "#…" tells variants apart.


def _document(w: Org) -> list:
    return [w.slug, YEAR]


def _round_args(w: Org, months: int = 6) -> list:
    return [w.slug, YEAR, months]


def _public(kind: str, *, version: bool = False):
    return lambda w: [w.slug, YEAR, kind, *([1] if version else [])]


PAGES = {
    # Staff: measures
    "measures:dashboard": ("officer", lambda w: []),
    "measures:inbox": ("approver", lambda w: []),
    "measures:oversight": ("oversight", lambda w: []),
    "measures:organisation": ("officer", lambda w: [w.slug]),
    "measures:organisation#approver": ("approver", lambda w: [w.slug]),
    "measures:assessment_new": ("officer", lambda w: [w.slug]),
    "measures:assessment_detail": ("officer", lambda w: [w.slug, w.assessment_year]),
    "measures:assessment_edit": ("officer", lambda w: [w.slug, w.assessment_year]),
    "measures:document_new": ("officer", lambda w: [w.slug]),
    "measures:document_detail": ("officer", _document),
    "measures:document_detail#contributor": ("contributor", _document),
    "measures:document_detail#pending": ("approver", lambda w: [w.slug, PENDING_YEAR]),
    "measures:document_edit": ("officer", lambda w: [w.slug, PENDING_YEAR]),
    "measures:document_copy": ("officer", _document),
    "measures:document_export#xlsx": ("officer", lambda w: [*_document(w), "xlsx"]),
    "measures:document_export#csv": ("officer", lambda w: [*_document(w), "csv"]),
    "measures:document_import": ("officer", _document),
    "measures:document_import_template": ("officer", _document),
    "measures:finding_new": ("officer", _document),
    "measures:finding_edit": ("officer", lambda w: [*_document(w), w.finding.pk]),
    "measures:theme_new": ("officer", _document),
    "measures:theme_edit": ("officer", lambda w: [*_document(w), w.theme.pk]),
    "measures:measure_new": ("officer", _document),
    "measures:measure_detail": ("officer", lambda w: [*_document(w), w.measure.pk]),
    "measures:measure_detail#contributor": ("contributor", lambda w: [*_document(w), w.measure.pk]),
    "measures:measure_edit": ("officer", lambda w: [*_document(w), w.measure.pk]),
    "measures:measure_history": ("officer", lambda w: [*_document(w), w.measure.pk]),
    "measures:round_detail": ("officer", _round_args),
    "measures:round_detail#12": ("officer", lambda w: _round_args(w, 12)),
    "measures:round_detail#contributor": ("contributor", _round_args),
    "measures:round_edit": ("officer", _round_args),
    "measures:round_export#xlsx": ("officer", lambda w: [*_round_args(w), "xlsx"]),
    "measures:round_export#csv": ("officer", lambda w: [*_round_args(w), "csv"]),
    "measures:entry_edit": ("officer", lambda w: [*_round_args(w), w.measure.pk]),
    "measures:entry_edit#contributor": ("contributor", lambda w: [*_round_args(w), w.measure.pk]),
    "measures:chain_edit": ("officer", lambda w: [w.slug]),
    "measures:review": ("approver", lambda w: [w.slug, w.submission.pk]),
    "measures:review#pending": ("approver", lambda w: [w.slug, w.pending.pk]),
    "measures:memo": ("approver", lambda w: [w.slug, w.submission.pk]),
    "measures:document_memo": ("officer", _document),
    "measures:round_memo": ("officer", _round_args),
    "measures:document_editions": ("officer", _document),
    "measures:round_editions": ("officer", _round_args),
    # The check page before a submission, and the confirmations before publishing and withdrawing.
    "measures:document_submit": ("officer", lambda w: [w.slug, DRAFT_YEAR]),
    "measures:round_submit": ("officer", lambda w: [w.slug, APPROVED_YEAR, 6]),
    "reports:document_publish": ("officer", lambda w: [w.slug, APPROVED_YEAR]),
    "reports:report_publish": ("officer", lambda w: [w.slug, APPROVED_YEAR, 12]),
    "reports:publication_withdraw": ("officer", lambda w: [w.slug, w.publication.pk]),
    "measures:evidence_download": ("officer", lambda w: [w.slug, w.evidence.pk]),
    # Staff: printed documents and the OIT index
    "reports:document_print": ("officer", _document),
    "reports:document_pdf": ("officer", _document),
    "reports:report_print": ("officer", _round_args),
    "reports:report_pdf": ("officer", lambda w: _round_args(w, 12)),
    "reports:memo_print": ("approver", lambda w: [w.slug, w.submission.pk]),
    "reports:memo_pdf": ("approver", lambda w: [w.slug, w.submission.pk]),
    "reports:oit_edit": ("officer", _document),
    # Public
    "reports:organisation": ("anonymous", lambda w: [w.slug]),
    "reports:publication_latest#measures": ("anonymous", _public("measures")),
    "reports:publication_latest#report-6": ("anonymous", _public("report-6")),
    "reports:publication_latest#report-12": ("anonymous", _public("report-12")),
    "reports:publication_version": ("anonymous", _public("measures", version=True)),
    "reports:publication_latest_pdf": ("anonymous", _public("measures")),
    "reports:publication_pdf": ("anonymous", _public("report-12", version=True)),
    "reports:publication_html": ("anonymous", _public("measures", version=True)),
    "reports:publication_memo_pdf": ("anonymous", _public("measures", version=True)),
    "reports:publication_json": ("anonymous", _public("measures", version=True)),
    "reports:publication_csv": ("anonymous", _public("report-6", version=True)),
    "reports:publication_latest_json": ("anonymous", _public("report-12")),
    "reports:publication_latest_csv": ("anonymous", _public("measures")),
    "reports:oit": ("anonymous", _document),
    "reports:scores_json": ("anonymous", lambda w: [w.slug]),
    "reports:scores_csv": ("anonymous", lambda w: [w.slug]),
    "reports:organisation_feed": ("anonymous", lambda w: [w.slug]),
    "reports:embed": ("anonymous", lambda w: [w.slug]),
}
# Pages of the whole site: counted with small-town alone, then with both organisations.
SITE_PAGES = {
    "reports:home": [],
    "reports:home#search": [],  # with ?q=
    "reports:site_feed": [],
    "reports:robots": [],
    "reports:sitemap": [],
    "reports:sitemap_section#organisations": ["organisations"],
    "reports:sitemap_section#documents": ["documents"],
    "reports:sitemap_section#versions": ["versions"],
    "reports:sitemap_section#oit": ["oit"],
}
QUERY_STRINGS = {"reports:home#search": "?q=เทศบาล"}


def admin_changelists() -> list[str]:
    """The change list of every model registered in the admin (a page of up to 100 rows)."""
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
    )


# Requests that only change data (POST), or show one object to confirm a delete: no page with rows to show.
NOT_PAGES = {
    "measures:finding_delete",
    "measures:theme_delete",
    "measures:measure_delete",
    "measures:round_start",
    "measures:evidence_add",
    "measures:evidence_delete",
    "measures:decide",
    "measures:document_reopen",
    "measures:round_reopen",
    "reports:oit_delete",
}


def url(key: str, args: list) -> str:
    return reverse(key.partition("#")[0], args=args) + QUERY_STRINGS.get(key, "")


def queries(client: Client, address: str) -> list[str]:
    """The SQL of one GET of the page, rendered anew (the public page cache emptied first)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code in (200, 410), (address, response.status_code, body[:300])
    return [q["sql"] for q in captured.captured_queries]


@dataclass
class Worlds:
    small: Org
    big: Org
    site_alone: dict  # site page key → queries with small-town alone
    admin_alone: dict  # admin change list → queries with small-town alone
    admin: object = None  # the platform administrator (a superuser)
    media_root: object = None


def _fake_pdf(html: str) -> bytes:
    return FAKE_PDF


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both organisations, built once; the transaction stays open for the module and is rolled back after."""
    media = tmp_path_factory.mktemp("bounds-media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
        mock.patch.object(publishing, "render_pdf", _fake_pdf),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            small = build_organisation("small-town", SMALL)
            anonymous = Client()
            site_alone = {key: queries(anonymous, url(key, args)) for key, args in SITE_PAGES.items()}
            superuser = UserFactory(username="platform-admin", is_staff=True, is_superuser=True)
            platform = Client()
            platform.force_login(superuser)
            admin_alone = {key: queries(platform, reverse(key)) for key in admin_changelists()}
            big = build_organisation("big-town", BIG)
            built = Worlds(
                small=small, big=big, site_alone=site_alone, admin_alone=admin_alone, admin=superuser, media_root=media
            )
            built.cookies = {
                (w.slug, role): copy.deepcopy(c.cookies) for w in (small, big) for role, c in w.clients.items()
            }
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _bounds_setup(_test_settings, settings, worlds, monkeypatch):
    """The worlds' files stay where they were written; the staff PDF views get the stub renderer."""
    settings.MEDIA_ROOT = worlds.media_root
    monkeypatch.setattr(rendering, "render_pdf", _fake_pdf)


def _client(worlds: Worlds, world: Org, role: str) -> Client:
    client = Client()
    client.cookies = copy.deepcopy(worlds.cookies[(world.slug, role)])
    return client


def _explain(small: list[str], big: list[str]) -> str:
    lines = [f"small-town {len(small)} queries, big-town {len(big)}:"]
    lines += [f"  big: {sql[:200]}" for sql in big if sql not in small]
    return "\n".join(lines)


@pytest.mark.parametrize("key", PAGES)
def test_a_page_costs_the_big_organisation_no_more_queries_than_the_small_one(key, worlds):
    role, args = PAGES[key]
    small = queries(_client(worlds, worlds.small, role), url(key, args(worlds.small)))
    big = queries(_client(worlds, worlds.big, role), url(key, args(worlds.big)))
    assert len(big) <= len(small), _explain(small, big)


@pytest.mark.parametrize("key", SITE_PAGES)
def test_a_site_wide_page_costs_no_more_queries_with_another_big_organisation(key, worlds):
    alone = worlds.site_alone[key]
    both = queries(Client(), url(key, SITE_PAGES[key]))
    assert len(both) <= len(alone), _explain(alone, both)


@pytest.mark.parametrize("key", admin_changelists())
def test_an_admin_change_list_costs_no_more_queries_with_another_big_organisation(key, worlds):
    """A page of 100 measures, steps or progress entries must not cost a query per row (list_select_related)."""
    platform = Client()
    platform.force_login(worlds.admin)
    alone = worlds.admin_alone[key]
    both = queries(platform, reverse(key))
    assert len(both) <= len(alone), _explain(alone, both)


PUBLIC_CACHED = ["reports:organisation", "reports:publication_latest#measures", "reports:publication_version"]


@pytest.mark.parametrize("key", PUBLIC_CACHED)
def test_a_public_page_served_again_costs_the_big_organisation_no_more_queries(key, worlds):
    _role, args = PAGES[key]
    counts = []
    for world in (worlds.small, worlds.big):
        address = url(key, args(world))
        queries(Client(), address)  # renders it (and keeps it, where the page is cached)
        with CaptureQueriesContext(connection) as again:
            assert Client().get(address).status_code == 200
        counts.append(len(again))
    assert counts[1] <= counts[0]


def _named_patterns(patterns, prefix="", namespace=None):
    """The names of the portal's URL patterns; the admin and the accounts pages (forms, no rows) left out."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "accounts/")):
            continue
        if isinstance(entry, URLResolver):
            yield from _named_patterns(entry.url_patterns, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_page_of_the_portal_has_its_bound_checked():
    """A new URL needs a row in PAGES or SITE_PAGES (or NOT_PAGES when it only changes data)."""
    checked = {key.partition("#")[0] for key in [*PAGES, *SITE_PAGES]} | NOT_PAGES
    assert sorted(set(_named_patterns(get_resolver().url_patterns)) - checked) == []


def test_the_bounded_history_reads_the_changes_simple_history_reads(organisation, finance, works, officer):
    """selectors.measure_history replaces diff_against (six queries a record) with the same changes."""
    document = services.document_create(organisation=organisation, fiscal_year=2566, by=officer)
    measure = services.measure_create(
        document=document, by=officer, data=MeasureData(title="ประกาศผลการจัดซื้อ", number=1, units=[finance])
    )
    for title, units in (("ประกาศผลการจัดซื้อทุกเดือน", [finance, works]), ("ประกาศผลการจัดซื้อทุกเดือน", [works])):
        services.measure_update(
            measure=measure, by=officer, revision=None, data=MeasureData(title=title, number=1, units=units)
        )
    records = list(measure.history.order_by("-history_date", "-history_id"))
    expected = [
        [(c.field, c.old, c.new) for c in newer.diff_against(older).changes]
        for newer, older in zip(records, records[1:], strict=False)
    ] + [[]]
    changes = [[(c.field, c.old, c.new) for c in row["changes"]] for row in selectors.measure_history(measure)]
    assert changes == expected
    assert {field for row in changes for field, _old, _new in row} >= {"title", "units"}


def test_the_big_organisation_is_big():
    """The comparison means something only if big-town shows far more than small-town."""
    from measures.models import Measure, ProgressReport, Unit

    def count(model, **filters):
        return model.objects.filter(**filters).count()

    for year in (YEAR, APPROVED_YEAR, DRAFT_YEAR):
        assert count(Measure, document__organisation__slug="big-town", document__fiscal_year=year) == BIG.measures
    assert count(Unit, organisation__slug="big-town") == BIG.units
    assert count(ProgressReport, document__organisation__slug="big-town") > count(
        ProgressReport, document__organisation__slug="small-town"
    )
