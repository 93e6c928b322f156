"""The world of the URL permission matrix (tests/test_url_matrix.py), built once per module.

One organisation (test-town) with two units and a three-step approval chain, in which every
state a URL can meet exists at once:

- 2564: the measures approved but not published;
- 2565: the measures published as version 1 and, after a new edition, version 2 (with its signed
  memo), and now a third edition in draft with a new measure; the 6-month report published with
  its memo and then withdrawn;
  the 12-month report approved but not published; an ITA 2565 assessment and a free OIT entry;
- 2566: the measures submitted and waiting at step 2 of the chain (step 1 approved);
- 2567: the measures still a draft, with a theme, an empty theme, a finding, the limitations of
  one tool, a measure of each unit plus a spare one that may be deleted, a 6-month round and an
  evidence file.

Another organisation (other-town) has a 2567 draft with a 6-month round, so that its officer
can try test-town's object ids under his own organisation's URLs.

Markers in the texts tell who may read what: DRAFT_MARKER is in the unpublished measures and
findings, TITLE_MARKER in the unpublished documents' titles, UNIT_MARKER in the titles of the
measures of กองคลัง (which the contributor of กองช่าง must never read).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from measures import sections, services, workflow
from measures.models import Finding, Framework, Membership
from measures.services import MeasureData
from reports import oit, publishing
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

Role = Membership.Role

DRAFT_MARKER = "เนื้อหาร่าง-MATRIX-DRAFT"
TITLE_MARKER = "ชื่อเอกสารร่าง-MATRIX-TITLE"
UNIT_MARKER = "เฉพาะกองคลัง-MATRIX-UNIT"
PASSWORD = "pass-for-tests-1"  # every user's, as tests.factories.UserFactory sets it

# Column order of the matrix. "approver" is on the chain but not at the step the pending
# document waits at (she approved step 1 and holds step 3); "current_approver" holds step 2.
ROLES = (
    "anonymous",
    "contributor",  # unit contributor of กองคลัง: the measures under test are hers
    "other_unit",  # unit contributor of กองช่าง: the measures under test are not hers
    "outsider",  # officer of another organisation
    "officer",
    "approver",
    "current_approver",
    "org_admin",
    "oversight",  # an OVERSIGHT membership of test-town
    "platform_admin",  # superuser and staff, member of no organisation
)


@dataclass
class World:
    organisation: object
    other: object
    users: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)
    approved: object = None  # the 2564 measures document, approved, not published
    published: object = None  # the 2565 measures document: 2 versions published, edition 3 a draft
    v1: object = None
    v2: object = None
    withdrawn: object = None  # the 2565 6-month report's only version
    approved_report: object = None  # the 2565 12-month report, approved, not published
    pending: object = None  # the 2566 measures document, waiting at step 2
    submission: object = None
    draft: object = None  # the 2567 measures document
    theme: object = None
    empty_theme: object = None
    finding: object = None
    limitation: object = None  # the 2567 draft's limitations of IIT (EIT has none)
    deleted_finding: object = None  # the history id of a finding deleted from the 2567 draft (its trash)
    finance_measure: object = None
    works_measure: object = None
    spare_measure: object = None
    report: object = None  # the 2567 6-month round
    evidence: object = None
    oit_entry: object = None
    media_root: object = None  # where the published PDFs and the evidence file were written
    cookies: dict = field(default_factory=dict)  # each client's cookies once logged in


def _member(username, organisation, role, unit=None):
    user = UserFactory(username=username, email=f"{username}@example.org")
    MembershipFactory(user=user, organisation=organisation, role=role, unit=unit)
    return user


def _approve_through(submission, approvers) -> None:
    for approver in approvers:
        submission.refresh_from_db()
        workflow.decide(submission=submission, by=approver, approve=True)


def build_world() -> World:
    """Everything the matrix needs; call inside a transaction that the caller rolls back."""
    org = OrganisationFactory(name="เทศบาลตำบลทดสอบ", slug="test-town")
    other = OrganisationFactory(name="เทศบาลตำบลอื่น", slug="other-town")
    finance = UnitFactory(organisation=org, name="กองคลัง")
    works = UnitFactory(organisation=org, name="กองช่าง")
    world = World(organisation=org, other=other)
    users = world.users
    users["contributor"] = _member("contributor", org, Role.CONTRIBUTOR, finance)
    users["other_unit"] = _member("other-unit", org, Role.CONTRIBUTOR, works)
    users["outsider"] = _member("outsider", other, Role.OFFICER)
    officer = users["officer"] = _member("officer", org, Role.OFFICER)
    approver = users["approver"] = _member("approver", org, Role.APPROVER)
    current = users["current_approver"] = _member("current-approver", org, Role.APPROVER)
    users["org_admin"] = _member("orgadmin", org, Role.ORG_ADMIN)
    users["oversight"] = _member("oversight", org, Role.OVERSIGHT)
    users["platform_admin"] = UserFactory(username="platform", is_staff=True, is_superuser=True)
    workflow.chain_save(
        organisation=org,
        by=users["org_admin"],
        rows=[
            {"title": "หัวหน้าสำนักปลัด", "acting_for": "", "approvers": [approver]},
            {"title": "ปลัดเทศบาล", "acting_for": "", "approvers": [current]},
            {"title": "นายกเทศมนตรี", "acting_for": "", "approvers": [approver]},
        ],
    )
    chain = [approver, current, approver]

    # 2565: published twice, a withdrawn report, an approved report not yet published.
    published = world.published = services.document_create(organisation=org, fiscal_year=2565, by=officer)
    services.measure_create(
        document=published, by=officer, data=MeasureData(title="เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี", number=1, units=[finance])
    )
    _approve_through(workflow.submit(target=published, by=officer), chain)
    world.v1 = publishing.publish(target=published, by=officer)
    workflow.reopen(target=published, by=officer)
    _approve_through(workflow.submit(target=published, by=officer), chain)
    world.v2 = publishing.publish(target=published, by=officer, with_memo=True)
    workflow.reopen(target=published, by=officer)  # edition 3, a draft behind the two public versions
    services.measure_create(
        document=published,
        by=officer,
        data=MeasureData(title=f"มาตรการของฉบับปรับปรุง {DRAFT_MARKER}", number=2, units=[works]),
    )
    six = services.report_start(document=published, round_months=6, by=officer)
    _approve_through(workflow.submit(target=six, by=officer), chain)
    six_v1 = publishing.publish(target=six, by=officer, with_memo=True)
    world.withdrawn = publishing.withdraw(publication=six_v1, by=officer, reason="แนบไฟล์ผิดฉบับ")
    twelve = world.approved_report = services.report_start(document=published, round_months=12, by=officer)
    _approve_through(workflow.submit(target=twelve, by=officer), chain)
    framework = Framework.objects.get(year=2565)
    services.assessment_save(
        organisation=org,
        framework=framework,
        by=officer,
        indicator_scores={i: Decimal("90") for i in framework.indicators.all()},
    )
    world.oit_entry = oit.entry_add(
        organisation=org,
        fiscal_year=2565,
        by=officer,
        item_code="O1",
        title="โครงสร้างหน่วยงาน",
        url="https://example.org/structure",
    )

    # 2564: approved, not published.
    world.approved = services.document_create(
        organisation=org, fiscal_year=2564, by=officer, title=f"มาตรการ 2564 {TITLE_MARKER}"
    )
    services.measure_create(
        document=world.approved,
        by=officer,
        data=MeasureData(title=f"มาตรการที่อนุมัติแล้ว {DRAFT_MARKER}", number=1, units=[finance]),
    )
    _approve_through(workflow.submit(target=world.approved, by=officer), chain)

    # 2566: waiting at step 2.
    pending = world.pending = services.document_create(
        organisation=org, fiscal_year=2566, by=officer, title=f"มาตรการ 2566 {TITLE_MARKER}"
    )
    services.measure_create(
        document=pending,
        by=officer,
        data=MeasureData(title=f"มาตรการที่รอการพิจารณา {DRAFT_MARKER}", number=1, units=[finance]),
    )
    world.submission = workflow.submit(target=pending, by=officer)
    workflow.decide(submission=world.submission, by=approver, approve=True)
    world.submission.refresh_from_db()

    # 2567: a draft with everything the staff screens edit.
    draft = world.draft = services.document_create(
        organisation=org, fiscal_year=2567, by=officer, title=f"มาตรการ 2567 {TITLE_MARKER}"
    )
    world.theme = services.theme_save(document=draft, by=officer, number=1, title="ด้านการเปิดเผยข้อมูล")
    world.empty_theme = services.theme_save(document=draft, by=officer, number=2, title="ด้านที่ยังไม่มีมาตรการ")
    world.finding = services.finding_save(
        document=draft, by=officer, kind="improve", text=f"ผลการวิเคราะห์ {DRAFT_MARKER}"
    )
    world.limitation = sections.limitation_save(
        document=draft,
        by=officer,
        tool=sections.tools_for_limitations(draft).get(code="IIT"),
        text=f"ข้อจำกัดของ IIT {DRAFT_MARKER}",
    )
    world.finance_measure = services.measure_create(
        document=draft,
        by=officer,
        data=MeasureData(
            title=f"มาตรการของกองคลัง {UNIT_MARKER} {DRAFT_MARKER}", number=1, theme=world.theme, units=[finance]
        ),
    )
    world.works_measure = services.measure_create(
        document=draft,
        by=officer,
        data=MeasureData(title=f"มาตรการของกองช่าง {DRAFT_MARKER}", number=2, theme=world.theme, units=[works]),
    )
    world.spare_measure = services.measure_create(
        document=draft,
        by=officer,
        data=MeasureData(
            title=f"มาตรการที่ลบได้ {UNIT_MARKER} {DRAFT_MARKER}", number=3, theme=world.theme, units=[finance]
        ),
    )
    world.report = services.report_start(document=draft, round_months=6, by=officer)
    world.evidence = services.evidence_add(
        entry=world.report.entries.get(measure=world.finance_measure),
        by=officer,
        title="ภาพกิจกรรม",
        file=SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 matrix"),
    )

    doomed = services.finding_save(
        document=draft, by=officer, kind="improve", text=f"ผลการวิเคราะห์ที่ลบแล้ว {DRAFT_MARKER}"
    )
    doomed_pk = doomed.pk
    services.finding_delete(finding=doomed, by=officer)
    world.deleted_finding = Finding.history.get(id=doomed_pk, history_type="-").history_id

    # other-town: a draft and a round under which test-town's ids can be tried.
    other_draft = services.document_create(organisation=other, fiscal_year=2567, by=users["outsider"])
    services.report_start(document=other_draft, round_months=6, by=users["outsider"])

    for role in ROLES:
        client = world.clients[role] = Client()
        if role != "anonymous":
            client.force_login(users[role])
    return world


# Tables a request may write without changing the portal's data: the session, and
# django-axes' records of login attempts.
UNTRACKED_TABLES = ("django_session", "axes_")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([\w.]+)', re.IGNORECASE)


class Writes:
    """A database execute wrapper that notes every table a request writes to."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and not match.group(1).startswith(UNTRACKED_TABLES):
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)
