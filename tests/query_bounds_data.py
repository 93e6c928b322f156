"""The two organisations of the query-bound tests (tests/test_query_bounds.py), built alike through the services.

small-town and big-town: what each holds is told in tests/test_query_bounds.py and by SMALL and BIG below.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from measures import sections, services, workflow
from measures.models import Framework, Membership
from measures.services import MeasureData
from measures.thai import fiscal_year_bounds
from reports import oit, publishing
from reports.models import Publication
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

Role = Membership.Role
YEAR = 2566  # published, with both rounds, in both organisations
PENDING_YEAR = 2567  # submitted, waiting at step 1, in both
APPROVED_YEAR = 2568  # approved, not published; its 6-month round a draft, its 12-month round approved
DRAFT_YEAR = 2569  # a draft


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
    limitation: object = None  # the YEAR document's limitations of its first tool
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
    for tool in sections.tools_for_limitations(document):
        sections.limitation_save(document=document, by=by, tool=tool, text=f"ข้อจำกัดของเครื่องมือ {tool.code}")
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
    world.limitation = document.limitations.first()
    world.publication = Publication.objects.filter(document=document).order_by("-version").first()
    for role in ("officer", "approver", "contributor", "oversight"):
        client = world.clients[role] = Client()
        client.force_login(users[role])
    world.clients["anonymous"] = Client()
    return world
