"""`manage.py send_reminders`: one Thai digest mail per user of late approvals, rounds due and overdue measures."""

import re
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from measures import services, workflow
from measures.models import DocumentStatus, Membership, ProgressEntry, ProgressReport, Submission
from measures.services import MeasureData
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
ORG = "เทศบาลตำบลทดสอบ"
SUBJECT = "[ITA] แจ้งเตือนงานที่ต้องดำเนินการ"


def member(organisation, username, role, *, email=True, active=True):
    user = UserFactory(username=username, email=f"{username}@test-town.go.th" if email else "")
    MembershipFactory(user=user, organisation=organisation, role=role, is_active=active)
    return user


def give_email(*users):
    for user in users:
        user.email = f"{user.username}@test-town.go.th"
        user.save(update_fields=["email"])


def row(title, *approvers):
    return {"title": title, "acting_for": "", "approvers": list(approvers)}


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def remind(*args, **options) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, **options)
    return out.getvalue()


def mails_by_address(mailoutbox) -> dict:
    found = {}
    for mail in mailoutbox:
        assert len(mail.to) == 1, "a reminder is addressed to one person"
        found.setdefault(mail.to[0], []).append(mail)
    return found


def address(user) -> str:
    return f"{user.username}@test-town.go.th"


def absolute(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=list(args))


def round_text(months: int, due: str, *, late=False) -> str:
    when = f"เลยกำหนดส่งแล้วเมื่อ {due}" if late else f"ครบกำหนดส่ง {due}"
    return f"รายงานผลการดำเนินการตามมาตรการ รอบ {months} เดือน ของ {ORG} ปีงบประมาณ 2566 {when}"


def approval_text(submission, position: str, since: str) -> str:
    return f"“{submission.target}” รอการพิจารณาของท่าน ({position}) ตั้งแต่ {since}"


def assert_thai_digest(mail, items: list[str]) -> None:
    """The mail is the Thai digest listing exactly these items: each text ("- …") followed by its link."""
    assert mail.subject == f"{SUBJECT} ({len(items) // 2} รายการ)"
    assert mail.body.startswith("เรียน ")
    assert "รายการที่ต้องดำเนินการในระบบติดตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส" in mail.body
    lines = [line.strip() for line in mail.body.splitlines()]
    listed = [line.removeprefix("- ") for line in lines if line.startswith(("- ", settings.SITE_URL))]
    assert listed == items


# --- Fixtures ----------------------------------------------------------------------------


@pytest.fixture
def heads(organisation, approver, officer, org_admin):
    """Step 1 has three approvers (one without e-mail); steps 2 and 3 one each. Officer and admin have e-mail."""
    give_email(approver, officer, org_admin)
    return {
        "first": [
            approver,
            member(organisation, "deputy-head", Role.APPROVER),
            member(organisation, "silent", Role.APPROVER, email=False),
        ],
        "deputy": member(organisation, "deputy", Role.APPROVER),
        "mayor": member(organisation, "mayor", Role.APPROVER),
    }


@pytest.fixture
def chain(organisation, org_admin, heads):
    return workflow.chain_save(
        organisation=organisation,
        by=org_admin,
        rows=[
            row("หัวหน้าสำนักปลัด", *heads["first"]),
            row("ปลัดเทศบาล", heads["deputy"]),
            row("นายกเทศมนตรี", heads["mayor"]),
        ],
    )


@pytest.fixture
def measure(document, theme, officer):
    """A measure without a period: it never becomes overdue."""
    return services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(title="เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง", number=1, theme=theme, all_units=True),
    )


@pytest.fixture
def submission(chain, measure, document, officer):
    return workflow.submit(target=document, by=officer)


def waiting_since(submission, moment: datetime) -> Submission:
    Submission.objects.filter(pk=submission.pk).update(waiting_since=moment)
    submission.refresh_from_db()
    return submission


def measure_ending(document, theme, officer, number, end: date, title: str):
    return services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title=title, number=number, theme=theme, all_units=True, period_start=date(2022, 10, 1), period_end=end
        ),
    )


# --- Late approvals ----------------------------------------------------------------------


def test_an_approval_waiting_longer_than_the_limit_reminds_each_approver_of_the_current_step(
    submission, heads, officer, mailoutbox
):
    waiting_since(submission, at(date(2023, 3, 1)))
    output = remind(today=date(2023, 3, 10))
    mails = mails_by_address(mailoutbox)
    # Not the approver without e-mail, not the later steps, not the submitter.
    assert sorted(mails) == ["approver@test-town.go.th", "deputy-head@test-town.go.th"]
    for user in heads["first"][:2]:
        [mail] = mails[address(user)]
        assert_thai_digest(
            mail,
            [
                approval_text(submission, "หัวหน้าสำนักปลัด", "1 มี.ค. 2566"),
                absolute("measures:review", "test-town", submission.pk),
            ],
        )
        assert f"เรียน {user.get_full_name()}" in mail.body
    assert output.startswith("Sent 2 reminder e-mail(s)")


@pytest.mark.parametrize(("days", "reminded"), [(9, True), (4, True), (2, False), (0, False)])
def test_only_an_approval_waiting_longer_than_three_days_is_reminded(days, reminded, submission, mailoutbox):
    today = date(2023, 3, 10)
    waiting_since(submission, at(today - timedelta(days=days)))
    remind(today=today)
    assert bool(mailoutbox) is reminded
    assert all(mail.to != [address(submission.submitted_by)] for mail in mailoutbox)


@pytest.mark.parametrize("how", ["option", "setting"])
def test_the_approval_limit_can_be_set_by_option_or_setting(how, submission, settings, mailoutbox):
    waiting_since(submission, at(date(2023, 3, 8)))
    assert remind("--today=2023-03-10") == "Sent 0 reminder e-mail(s) about 0 item(s).\n"
    if how == "option":
        remind("--today=2023-03-10", "--approval-days=1")
    else:
        settings.REMINDER_APPROVAL_DAYS = 1
        remind("--today=2023-03-10")
    assert sorted(mails_by_address(mailoutbox)) == ["approver@test-town.go.th", "deputy-head@test-town.go.th"]
    assert "ตั้งแต่ 8 มี.ค. 2566" in mailoutbox[0].body


def test_once_a_step_is_approved_the_reminder_goes_to_the_approvers_of_the_next_step(submission, heads, mailoutbox):
    workflow.decide(submission=submission, by=heads["first"][0], approve=True)
    waiting_since(submission, at(date(2023, 3, 2), hour=0))  # still 1 March in UTC: the date shown is Thai time
    remind(today=date(2023, 3, 10))
    [mail] = mailoutbox
    assert mail.to == ["deputy@test-town.go.th"]
    assert_thai_digest(
        mail,
        [
            approval_text(submission, "ปลัดเทศบาล", "2 มี.ค. 2566"),
            absolute("measures:review", "test-town", submission.pk),
        ],
    )


def test_a_progress_report_waiting_for_approval_is_reminded_like_a_document(
    chain, measure, document, officer, mailoutbox
):
    report = services.report_start(document=document, round_months=6, by=officer)
    submission = waiting_since(workflow.submit(target=report, by=officer), at(date(2023, 3, 1)))
    remind(today=date(2023, 3, 10))
    assert sorted(mails_by_address(mailoutbox)) == ["approver@test-town.go.th", "deputy-head@test-town.go.th"]
    assert_thai_digest(
        mailoutbox[0],
        [
            f"“{report}” รอการพิจารณาของท่าน (หัวหน้าสำนักปลัด) ตั้งแต่ 1 มี.ค. 2566",
            absolute("measures:review", "test-town", submission.pk),
        ],
    )


@pytest.mark.parametrize("outcome", ["returned", "approved"])
def test_a_submission_no_longer_pending_is_not_reminded(outcome, submission, heads, mailoutbox):
    if outcome == "returned":
        workflow.decide(submission=submission, by=heads["first"][0], approve=False, comment="แก้ไขเป้าหมาย")
    else:
        for head in (heads["first"][0], heads["deputy"], heads["mayor"]):
            workflow.decide(submission=submission, by=head, approve=True)
    waiting_since(submission, at(date(2023, 3, 1)))
    assert submission.status == outcome
    assert remind(today=date(2023, 3, 10)) == "Sent 0 reminder e-mail(s) about 0 item(s).\n"
    assert mailoutbox == []


# --- Progress rounds due -----------------------------------------------------------------


@pytest.fixture
def readers(organisation, officer, org_admin, contributor, approver, oversight, outsider):
    """Who reads the round and measure reminders: the officers and org admins with an e-mail, nobody else."""
    give_email(officer, org_admin, contributor, approver, oversight, outsider)
    member(organisation, "quiet-officer", Role.OFFICER, email=False)
    member(organisation, "former-officer", Role.OFFICER, active=False)
    return ["officer@test-town.go.th", "orgadmin@test-town.go.th"]


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (date(2023, 4, 15), None),
        (date(2023, 4, 16), round_text(6, "30 เมษายน พ.ศ. 2566")),
        (date(2023, 4, 30), round_text(6, "30 เมษายน พ.ศ. 2566")),
        (date(2023, 5, 1), round_text(6, "30 เมษายน พ.ศ. 2566", late=True)),
    ],
)
def test_the_6_month_round_of_fy_2566_falls_due_on_30_april_2023(today, text, document, readers, mailoutbox):
    remind(today=today)
    if text is None:
        assert mailoutbox == []
        return
    mails = mails_by_address(mailoutbox)
    assert sorted(mails) == readers
    for reader in readers:
        [mail] = mails[reader]
        assert_thai_digest(mail, [text, absolute("measures:round_detail", "test-town", 2566, 6)])


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (date(2023, 10, 16), None),
        (date(2023, 10, 17), round_text(12, "31 ตุลาคม พ.ศ. 2566")),
        (date(2023, 11, 1), round_text(12, "31 ตุลาคม พ.ศ. 2566", late=True)),
    ],
)
def test_the_12_month_round_of_fy_2566_falls_due_on_31_october_2023(
    today, text, document, officer, readers, mailoutbox
):
    six = services.report_start(document=document, round_months=6, by=officer)
    ProgressReport.objects.filter(pk=six.pk).update(status=DocumentStatus.APPROVED)
    remind(today=today)  # in fiscal year 2567 already
    if text is None:
        assert mailoutbox == []
        return
    mails = mails_by_address(mailoutbox)
    assert sorted(mails) == readers
    [mail] = mails["officer@test-town.go.th"]
    assert_thai_digest(mail, [text, absolute("measures:round_detail", "test-town", 2566, 12)])


@pytest.mark.parametrize(
    ("status", "reminded"),
    [
        (DocumentStatus.DRAFT, True),
        (DocumentStatus.SUBMITTED, False),
        (DocumentStatus.APPROVED, False),
        (DocumentStatus.PUBLISHED, False),
    ],
)
def test_a_round_is_reminded_until_it_is_handed_in(status, reminded, document, officer, readers, mailoutbox):
    report = services.report_start(document=document, round_months=6, by=officer)
    ProgressReport.objects.filter(pk=report.pk).update(status=status)
    remind(today=date(2023, 4, 20))
    assert sorted(mails_by_address(mailoutbox)) == (readers if reminded else [])


@pytest.mark.parametrize("how", ["option", "setting"])
def test_how_early_a_round_is_reminded_can_be_set_by_option_or_setting(how, document, readers, settings, mailoutbox):
    remind(today=date(2023, 4, 1))  # 29 days before 30 April
    assert mailoutbox == []
    if how == "option":
        remind(today=date(2023, 4, 1), days_before=29)
    else:
        settings.REMINDER_DAYS_BEFORE_DUE = 29
        remind(today=date(2023, 4, 1))
    assert sorted(mails_by_address(mailoutbox)) == readers
    assert round_text(6, "30 เมษายน พ.ศ. 2566") in mailoutbox[0].body


def test_the_due_dates_come_from_the_settings(document, readers, settings, mailoutbox):
    settings.ROUND_DUE_DATES = {6: (5, 15), 12: (11, 30)}
    remind(today=date(2023, 5, 10))
    [mail] = mails_by_address(mailoutbox)["officer@test-town.go.th"]
    assert_thai_digest(
        mail, [round_text(6, "15 พฤษภาคม พ.ศ. 2566"), absolute("measures:round_detail", "test-town", 2566, 6)]
    )


# --- Overdue measures --------------------------------------------------------------------


def test_a_measure_past_its_end_without_an_entry_marked_done_is_reported(document, theme, officer, readers, mailoutbox):
    end = date(2023, 3, 31)
    forgotten = measure_ending(document, theme, officer, 1, end, "ประชุมชี้แจงการจัดซื้อจัดจ้าง")
    done = measure_ending(document, theme, officer, 2, end, "จัดทำคู่มือการปฏิบัติงาน")
    under_way = measure_ending(document, theme, officer, 3, end, "อบรมเจ้าหน้าที่เรื่องผลประโยชน์ทับซ้อน")
    measure_ending(document, theme, officer, 4, date(2023, 4, 5), "เปิดช่องทางร้องเรียน")  # ends today
    measure_ending(document, theme, officer, 5, date(2023, 9, 30), "เผยแพร่แผนการจัดซื้อจัดจ้าง")
    report = services.report_start(document=document, round_months=6, by=officer)
    for measure, status in ((done, ProgressEntry.Status.DONE), (under_way, ProgressEntry.Status.IN_PROGRESS)):
        services.entry_update(entry=report.entries.get(measure=measure), by=officer, revision=None, status=status)

    remind(today=date(2023, 4, 5))  # 25 days before the 6-month round is due: only the measures

    mails = mails_by_address(mailoutbox)
    assert sorted(mails) == readers
    [mail] = mails["orgadmin@test-town.go.th"]
    assert_thai_digest(
        mail,
        [
            f"มาตรการ 1.1 “ประชุมชี้แจงการจัดซื้อจัดจ้าง” ({ORG}) สิ้นสุดเมื่อ 31 มี.ค. 2566 แต่ยังไม่มีผลดำเนินการแล้วเสร็จ",
            absolute("measures:measure_detail", "test-town", 2566, forgotten.pk),
            f"มาตรการ 1.3 “อบรมเจ้าหน้าที่เรื่องผลประโยชน์ทับซ้อน” ({ORG}) สิ้นสุดเมื่อ 31 มี.ค. 2566 แต่ยังไม่มีผลดำเนินการแล้วเสร็จ",
            absolute("measures:measure_detail", "test-town", 2566, under_way.pk),
        ],
    )
    assert "จัดทำคู่มือการปฏิบัติงาน" not in mail.body


# --- The digest --------------------------------------------------------------------------


def test_each_user_gets_one_digest_listing_all_their_items(
    organisation, document, theme, approver, officer, org_admin, mailoutbox
):
    give_email(approver, officer, org_admin)
    MembershipFactory(user=org_admin, organisation=organisation, role=Role.APPROVER)
    workflow.chain_save(organisation=organisation, by=org_admin, rows=[row("ปลัดเทศบาล", approver, org_admin)])
    measure = measure_ending(document, theme, officer, 1, date(2023, 3, 31), "ประชุมชี้แจงการจัดซื้อจัดจ้าง")
    submission = waiting_since(workflow.submit(target=document, by=officer), at(date(2023, 4, 10)))

    output = remind("--today=2023-04-20")

    approval = [
        approval_text(submission, "ปลัดเทศบาล", "10 เม.ย. 2566"),
        absolute("measures:review", "test-town", submission.pk),
    ]
    due = [round_text(6, "30 เมษายน พ.ศ. 2566"), absolute("measures:round_detail", "test-town", 2566, 6)]
    overdue = [
        f"มาตรการ 1.1 “ประชุมชี้แจงการจัดซื้อจัดจ้าง” ({ORG}) สิ้นสุดเมื่อ 31 มี.ค. 2566 แต่ยังไม่มีผลดำเนินการแล้วเสร็จ",
        absolute("measures:measure_detail", "test-town", 2566, measure.pk),
    ]
    mails = mails_by_address(mailoutbox)
    assert {reader: len(sent) for reader, sent in mails.items()} == {
        "approver@test-town.go.th": 1,
        "officer@test-town.go.th": 1,
        "orgadmin@test-town.go.th": 1,
    }
    assert_thai_digest(mails["orgadmin@test-town.go.th"][0], approval + due + overdue)
    assert_thai_digest(mails["officer@test-town.go.th"][0], due + overdue)
    assert_thai_digest(mails["approver@test-town.go.th"][0], approval)
    assert mails["orgadmin@test-town.go.th"][0].subject == f"{SUBJECT} (3 รายการ)"
    assert output == "Sent 3 reminder e-mail(s) about 6 item(s).\n"


def test_the_digest_is_written_in_thai(submission, mailoutbox):
    waiting_since(submission, at(date(2023, 3, 1)))
    remind(today=date(2023, 3, 10))
    mail = mailoutbox[0]
    text = re.sub(r"https?://\S+|\bITA\b", "", f"{mail.subject}\n{mail.body}")
    assert re.findall(r"[A-Za-z]+", text) == []
    assert re.search(r"[\u0E00-\u0E7F]", text)


def test_a_run_with_nothing_due_sends_no_mail(chain, measure, document, theme, officer, mailoutbox):
    measure_ending(document, theme, officer, 2, date(2023, 9, 30), "เผยแพร่แผนการจัดซื้อจัดจ้าง")
    waiting_since(workflow.submit(target=document, by=officer), at(date(2023, 3, 9)))
    other = OrganisationFactory()
    services.document_create(organisation=other, fiscal_year=2566, by=officer)
    assert remind(today=date(2023, 3, 10)) == "Sent 0 reminder e-mail(s) about 0 item(s).\n"
    assert mailoutbox == []
