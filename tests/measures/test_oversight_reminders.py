"""An oversight user reminds the officers of the organisations that are behind (issue 20).

A reminder is a Thai e-mail to the organisation's officers and administrators, written to the
outbox (OutgoingEmail) and then handed to the mail server, after a confirmation; one organisation
gets at most one a day, whoever clicks. Only the oversight role may send one, only to the
organisations it oversees, and only about what is behind: nothing of a draft is in it.
"""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures import oversight_reminders
from measures.devdata.demo import load_demo
from measures.models import (
    DocumentStatus,
    MeasuresDocument,
    Membership,
    Organisation,
    OutgoingEmail,
    OversightScope,
    ProgressReport,
)
from measures.services import ServiceError
from tests.factories import DocumentFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
NOW = datetime(2023, 11, 2, 3, 0, tzinfo=UTC)  # 2 Nov 2566 in Bangkok: both rounds of 2566 are due
ALL = reverse("measures:oversight_remind_all")
SUBJECT = "[ITA] ผู้กำกับดูแลขอให้เร่งดำเนินการ: เทศบาลตำบลทดสอบ ปีงบประมาณ 2566"


def one(slug: str) -> str:
    return reverse("measures:oversight_remind", args=[slug])


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def person(organisation, username, role, *, email=True, active=True, unit=None):
    user = UserFactory(username=username, email=f"{username}@town.go.th" if email else "")
    MembershipFactory(user=user, organisation=organisation, role=role, is_active=active, unit=unit)
    return user


@pytest.fixture
def province(db):
    """ท้องถิ่นจังหวัดนครปฐม, with a name and a position for the e-mail."""
    user = UserFactory(username="province", first_name="ประเสริฐ", last_name="กำกับ", email="province@dla.go.th")
    OversightScope.objects.create(user=user, province="นครปฐม")
    return user


@pytest.fixture
def town(organisation, document, finance):
    """test-town (นครปฐม, เมือง): a 2566 draft and no round started: both rounds late."""
    for username, role in (("town-officer", Role.OFFICER), ("town-admin", Role.ORG_ADMIN)):
        person(organisation, username, role)
    person(organisation, "town-approver", Role.APPROVER)
    person(organisation, "town-contributor", Role.CONTRIBUTOR, unit=finance)
    person(organisation, "town-left", Role.OFFICER, active=False)
    person(organisation, "town-no-mail", Role.OFFICER, email=False)
    return organisation


@pytest.fixture
def on_time(db):
    """บางเลน (นครปฐม): its document and both rounds handed in."""
    organisation = OrganisationFactory(name="เทศบาลตำบลบางเลน", district="บางเลน", slug="bang-len")
    document = DocumentFactory(organisation=organisation, fiscal_year=2566, status=DocumentStatus.PUBLISHED)
    for months in (6, 12):
        ProgressReport.objects.create(document=document, round=months, status=DocumentStatus.SUBMITTED)
    person(organisation, "bang-len-officer", Role.OFFICER)
    return organisation


@pytest.fixture
def elsewhere(db):
    """สุพรรณบุรี: behind (no document), but not overseen by ท้องถิ่นจังหวัดนครปฐม."""
    organisation = OrganisationFactory(name="เทศบาลเมืองสุพรรณบุรี", province="สุพรรณบุรี", slug="suphan")
    person(organisation, "suphan-officer", Role.OFFICER)
    return organisation


def post(client, user, url, *, confirmed=True, **data):
    client.force_login(user)
    return client.post(url, {"year": "2566", **data, **({"confirmed": "1"} if confirmed else {})})


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# --- Sending ---------------------------------------------------------------------------------


def test_a_reminder_is_one_thai_mail_to_each_officer_through_the_outbox(
    client, province, town, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, province, one("test-town"))
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:oversight") + "?year=2566"
    rows = OutgoingEmail.objects.order_by("to_address")
    assert [(m.to_address, m.template, m.sent_at is not None) for m in rows] == [
        ("town-admin@town.go.th", f"oversight_reminder:{town.pk}", True),
        ("town-officer@town.go.th", f"oversight_reminder:{town.pk}", True),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["town-admin@town.go.th", "town-officer@town.go.th"]
    assert {m.subject for m in mailoutbox} == {SUBJECT}
    assert "บันทึกอีเมลเตือนถึงเจ้าหน้าที่ 2 คน ของ 1 หน่วยงานเข้าคิวส่งอีเมลแล้ว" in said(response)


def test_the_mail_says_who_asks_what_is_late_and_where_to_do_it(
    client, province, town, document, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, province, one("test-town"))
    body = OutgoingEmail.objects.filter(to_address="town-officer@town.go.th").get().body
    assert body.startswith("เรียน ทดสอบ ")
    assert "ประเสริฐ กำกับ ผู้กำกับดูแล ขอให้เทศบาลตำบลทดสอบเร่งดำเนินการ" in body
    for months, due in ((6, "30 เมษายน พ.ศ. 2566"), (12, "31 ตุลาคม พ.ศ. 2566")):
        assert (
            f"รายงานผลการดำเนินการตามมาตรการ รอบ {months} เดือน ของ เทศบาลตำบลทดสอบ ปีงบประมาณ 2566 เลยกำหนดส่งแล้วเมื่อ {due}"
        ) in body
        assert "http://testserver" not in body  # links are made from SITE_URL
        assert reverse("measures:round_detail", args=["test-town", 2566, months]) in body
    assert document.title not in body and "ยังไม่มีเอกสารมาตรการ" not in body  # a draft exists: only its rounds


def test_an_organisation_without_a_document_is_asked_for_it(client, province, db, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(name="เทศบาลตำบลดอนตูม", district="ดอนตูม", slug="don-tum")
    person(organisation, "don-tum-officer", Role.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, province, one("don-tum"))
    body = OutgoingEmail.objects.get().body
    assert "ยังไม่มีเอกสารมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. 2566" in body
    assert reverse("measures:document_new", args=["don-tum"]) in body


def test_a_second_click_within_a_day_sends_nothing_and_says_so_in_thai(client, province, town, frozen):
    post(client, province, one("test-town"))
    frozen.shift(timedelta(hours=23, minutes=59))
    response = post(client, province, one("test-town"))
    assert response.status_code == 302
    assert OutgoingEmail.objects.count() == 2
    assert "ได้รับอีเมลเตือนไปแล้วภายใน 24 ชั่วโมงที่ผ่านมา จึงไม่ส่งซ้ำ" in said(response)
    assert "เตือนแล้วเมื่อ 2 พ.ย. 2566 10:00 น." in said(response)


def test_another_oversight_user_does_not_remind_the_same_organisation_again_that_day(client, province, town):
    district = UserFactory(username="district")
    OversightScope.objects.create(user=district, province="นครปฐม", district="เมือง")
    post(client, province, one("test-town"))
    post(client, district, one("test-town"))
    assert OutgoingEmail.objects.count() == 2


def test_a_day_later_it_may_be_sent_again(client, province, town, frozen):
    post(client, province, one("test-town"))
    frozen.shift(timedelta(hours=24, minutes=1))
    post(client, province, one("test-town"))
    assert OutgoingEmail.objects.count() == 4


def test_the_dashboard_says_when_an_organisation_was_reminded(client, province, town):
    post(client, province, one("test-town"))
    response = client.get(reverse("measures:oversight"), {"year": "2566"})
    [behind] = response.context["behind"]
    assert behind.reminded_at == NOW
    assert "เตือนแล้วเมื่อ 2 พ.ย. 2566 10:00 น." in response.text
    assert f'action="{one("test-town")}"' not in response.text  # no second button that day


def test_reminding_every_organisation_behind_follows_the_dashboard_s_filters(client, province, town, on_time):
    other = OrganisationFactory(name="เทศบาลตำบลห้วยพลู", district="นครชัยศรี", slug="huai-phlu")
    person(other, "huai-phlu-officer", Role.OFFICER)
    post(client, province, ALL, district="เมือง")
    assert set(OutgoingEmail.objects.values_list("template", flat=True)) == {f"oversight_reminder:{town.pk}"}
    response = post(client, province, ALL)  # every district: test-town was reminded, bang-len is on time
    assert set(OutgoingEmail.objects.values_list("to_address", flat=True)) == {
        "town-officer@town.go.th",
        "town-admin@town.go.th",
        "huai-phlu-officer@town.go.th",
    }
    assert "เทศบาลตำบลทดสอบ (เตือนแล้วเมื่อ" in said(response)


def test_an_organisation_without_an_officer_with_an_address_is_named(client, province, db):
    organisation = OrganisationFactory(name="เทศบาลตำบลไร้อีเมล", slug="no-mail")
    person(organisation, "no-mail-officer", Role.OFFICER, email=False)
    response = post(client, province, one("no-mail"))
    assert OutgoingEmail.objects.count() == 0
    assert "เทศบาลตำบลไร้อีเมล ไม่มีเจ้าหน้าที่ผู้จัดทำหรือผู้ดูแลหน่วยงานที่มีอีเมล" in said(response)


def test_a_mail_server_that_is_down_loses_nothing(
    mail_server_down, client, province, town, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, province, one("test-town"))
    assert response.status_code == 302
    assert OutgoingEmail.objects.undelivered().count() == 2
    # The first refusal stops the attempts: the server is down, the request does not wait for each.
    assert sorted(OutgoingEmail.objects.values_list("attempts", flat=True)) == [0, 1]
    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", "--retry-only", stdout=StringIO())
    assert sorted(m.to[0] for m in mailoutbox) == ["town-admin@town.go.th", "town-officer@town.go.th"]


def test_one_click_reminds_a_bounded_number_of_organisations(client, province, town, monkeypatch):
    other = OrganisationFactory(name="เทศบาลตำบลห้วยพลู", district="นครชัยศรี", slug="huai-phlu")
    person(other, "huai-phlu-officer", Role.OFFICER)
    monkeypatch.setattr(oversight_reminders, "MAX_ORGANISATIONS", 1)
    client.force_login(province)
    for response in (client.get(ALL, {"year": "2566"}), post(client, province, ALL)):
        assert response.status_code == 302
        assert "ส่งอีเมลเตือนได้ครั้งละไม่เกิน 1 หน่วยงาน แต่ตามตัวกรองนี้มี 2 หน่วยงาน" in said(response)
    assert OutgoingEmail.objects.count() == 0
    post(client, province, ALL, district="เมือง")  # filtered to one: sent
    assert OutgoingEmail.objects.count() == 2


# --- Asking first ----------------------------------------------------------------------------


def test_the_confirmation_names_the_organisations_and_sends_nothing(client, province, town, on_time):
    client.force_login(province)
    for response in (client.get(ALL, {"year": "2566"}), post(client, province, ALL, confirmed=False)):
        assert response.status_code == 200
        assert "เทศบาลตำบลทดสอบ: รายงานรอบ 6 เดือน เลยกำหนดส่ง 30 เม.ย. 2566 (ยังไม่เริ่ม)" in response.text
        assert "เทศบาลตำบลบางเลน" not in response.text
        assert "เจ้าหน้าที่ผู้จัดทำและผู้ดูแลหน่วยงาน 2 คน ของ 1 หน่วยงาน" in response.text
        assert 'name="confirmed" value="1"' in response.text
    assert OutgoingEmail.objects.count() == 0


def test_an_organisation_on_time_is_not_reminded(client, province, on_time):
    response = post(client, province, one("bang-len"))
    assert response.status_code == 302
    assert OutgoingEmail.objects.count() == 0
    assert "ไม่มีหน่วยงานที่ล่าช้าในปีงบประมาณ พ.ศ. 2566 ให้ส่งอีเมลเตือน" in said(response)


@pytest.mark.parametrize("year", ["2400", "abc", "2570"])
def test_a_wrong_year_is_refused_in_thai_and_nothing_is_queued(year, client, province, town):
    response = post(client, province, ALL, year=year)
    assert response.status_code == 302
    assert OutgoingEmail.objects.count() == 0
    assert "ตัวกรองหรือปีงบประมาณที่ส่งมาไม่ถูกต้อง" in said(response)


def test_a_wrong_filter_is_refused_rather_than_widened(client, province, town):
    response = post(client, province, ALL, state="nonsense")
    assert OutgoingEmail.objects.count() == 0
    assert "ตัวกรองหรือปีงบประมาณที่ส่งมาไม่ถูกต้อง" in said(response)


# --- Who may send ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "org_admin", "approver", "contributor", "outsider"])
@pytest.mark.parametrize("url", [one("test-town"), ALL])
def test_only_the_oversight_role_may_remind(persona, url, client, town, request):
    user = request.getfixturevalue(persona)
    user.email = f"{persona}@town.go.th"
    user.save()
    client.force_login(user)
    assert client.post(url, {"year": "2566", "confirmed": "1"}).status_code == 403
    assert client.get(url, {"year": "2566"}).status_code == 403
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.parametrize("url", [one("test-town"), ALL])
def test_a_reminder_without_the_csrf_token_is_refused(url, province, town):
    client = Client(enforce_csrf_checks=True)
    client.force_login(province)
    assert client.post(url, {"year": "2566", "confirmed": "1"}).status_code == 403
    assert OutgoingEmail.objects.count() == 0


def test_an_anonymous_visitor_is_sent_to_log_in(client, town):
    response = client.post(one("test-town"), {"year": "2566", "confirmed": "1"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert OutgoingEmail.objects.count() == 0


def test_an_organisation_outside_the_scope_is_not_found_and_nothing_is_queued(client, province, elsewhere):
    assert post(client, province, one("suphan")).status_code == 404
    assert post(client, province, ALL).status_code == 302  # nothing of Suphan Buri in the province's scope
    assert OutgoingEmail.objects.count() == 0


def test_an_oversight_member_reminds_only_the_organisation_he_oversees(client, oversight, town, elsewhere):
    assert post(client, oversight, one("suphan")).status_code == 404
    post(client, oversight, ALL)
    assert set(OutgoingEmail.objects.values_list("template", flat=True)) == {f"oversight_reminder:{town.pk}"}


def test_the_service_never_reminds_outside_the_sender_s_scope(province, elsewhere):
    with pytest.raises(ServiceError):
        oversight_reminders.remind(
            by=province,
            organisations=Organisation.objects.filter(pk=elsewhere.pk),
            fiscal_year=2566,
            today=NOW.date(),
        )
    assert OutgoingEmail.objects.count() == 0


# --- The demo data ---------------------------------------------------------------------------


def test_on_the_demo_data_every_town_behind_gets_one_mail_per_officer(client, db, django_capture_on_commit_callbacks):
    load_demo()
    oversight = get_user_model().objects.get(username="oversight")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, oversight, ALL)
    # 2566 at 2 Nov 2566: bo-phloi and thawon, khao-hua-chang and the new อบต. are all behind. Officers with an
    # address: bo-phloi officer + bp-officer, thawon officer, khao-hua-chang officer + orgadmin, demo-new newofficer
    # (officer and administrator: one mail).
    found = sorted(OutgoingEmail.objects.values_list("template", "to_address"))
    ids = {
        slug: Organisation.objects.get(slug=slug).pk for slug in ("bo-phloi", "thawon", "khao-hua-chang", "demo-new")
    }
    assert found == sorted(
        [
            (f"oversight_reminder:{ids['bo-phloi']}", "officer@demo.invalid"),
            (f"oversight_reminder:{ids['bo-phloi']}", "bp-officer@demo.invalid"),
            (f"oversight_reminder:{ids['thawon']}", "officer@demo.invalid"),
            (f"oversight_reminder:{ids['khao-hua-chang']}", "officer@demo.invalid"),
            (f"oversight_reminder:{ids['khao-hua-chang']}", "orgadmin@demo.invalid"),
            (f"oversight_reminder:{ids['demo-new']}", "newofficer@demo.invalid"),
        ]
    )
    assert "เจ้าหน้าที่ 6 คน ของ 4 หน่วยงาน" in said(response)
    bodies = "\n".join(OutgoingEmail.objects.values_list("body", flat=True))
    for title in MeasuresDocument.objects.values_list("title", flat=True):
        assert title not in bodies  # a draft's content never leaves in a reminder
    assert "นายประเสริฐ กำกับ (นักส่งเสริมการปกครองท้องถิ่นชำนาญการ) ผู้กำกับดูแล" in bodies


# --- Bounded queries -------------------------------------------------------------------------


def behind_towns(province: str, count: int) -> None:
    for n in range(count):
        organisation = OrganisationFactory(province=province, district=f"อำเภอที่{n % 4}")
        person(organisation, f"{province}-officer-{n}", Role.OFFICER)
        person(organisation, f"{province}-admin-{n}", Role.ORG_ADMIN)


def test_the_confirmation_of_thirty_organisations_costs_the_queries_of_three(client, django_assert_num_queries):
    small, large = UserFactory(username="small"), UserFactory(username="large")
    OversightScope.objects.create(user=small, province="ชัยนาท")
    OversightScope.objects.create(user=large, province="บุรีรัมย์")
    behind_towns("ชัยนาท", 3)
    behind_towns("บุรีรัมย์", 30)
    client.force_login(small)
    with CaptureQueriesContext(connection) as three:
        assert "หน่วยงาน 6 คน ของ 3 หน่วยงาน" in client.get(ALL, {"year": "2566"}).text
    client.force_login(large)
    with django_assert_num_queries(len(three)):
        response = client.get(ALL, {"year": "2566"})
    assert "เจ้าหน้าที่ผู้จัดทำและผู้ดูแลหน่วยงาน 60 คน ของ 30 หน่วยงาน" in response.text
