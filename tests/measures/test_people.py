"""People of an organisation: invitations by e-mail, roles, deactivation, and who may manage them."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures import notifications, people
from measures.models import Membership, OutgoingEmail, Profile
from measures.services import ServiceError
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
User = get_user_model()


@pytest.fixture
def invited(organisation, org_admin, django_capture_on_commit_callbacks, mailoutbox):
    """A new officer invited by the organisation's administrator; his mail has been sent."""
    with django_capture_on_commit_callbacks(execute=True):
        membership = people.invite(
            organisation=organisation,
            email="Somjai.New@Test-Town.go.th",
            role=Role.OFFICER,
            by=org_admin,
            first_name="สมใจ",
            last_name="ใจดี",
        )
    return membership


def link_in(mail) -> str:
    [url] = re.findall(r"https?://\S+/accounts/invitation/\S+/", mail.body)
    return url


def path_of(url: str) -> str:
    return url.removeprefix(settings.SITE_URL.rstrip("/"))


# --- Invitations --------------------------------------------------------------------------


def test_an_invitation_makes_an_account_without_a_password_and_the_membership(invited):
    user = invited.user
    assert user.email == "Somjai.New@test-town.go.th"
    assert user.username == "somjai.new@test-town.go.th"
    assert not user.has_usable_password()
    assert (invited.role, invited.is_active, user.get_full_name()) == (Role.OFFICER, True, "สมใจ ใจดี")


def test_the_invitation_mail_is_thai_and_its_link_is_built_from_the_site_url(invited, mailoutbox, organisation):
    [mail] = mailoutbox
    assert mail.to == ["Somjai.New@test-town.go.th"]
    assert organisation.name in mail.subject
    assert "ตั้งรหัสผ่าน" in mail.body and "เจ้าหน้าที่ผู้จัดทำ" in mail.body
    assert link_in(mail).startswith(settings.SITE_URL.rstrip("/") + "/accounts/invitation/")


def test_the_link_sets_the_password_asks_the_missing_names_and_logs_in(invited, mailoutbox, client):
    page = client.get(path_of(link_in(mailoutbox[0])), follow=True)
    assert page.status_code == 200
    assert "คำนำหน้าชื่อ" in page.text and "ตำแหน่ง" in page.text
    assert 'name="first_name"' not in page.text  # known from the invitation
    response = client.post(
        page.redirect_chain[-1][0],
        {
            "title": "นางสาว",
            "position": "นิติกรปฏิบัติการ",
            "new_password1": "a-long-pass-2570",
            "new_password2": "a-long-pass-2570",
        },
    )
    assert response.status_code == 302 and response.url == reverse("measures:dashboard")
    user = User.objects.get(pk=invited.user_id)
    assert user.check_password("a-long-pass-2570")
    assert people.display_name(user) == "นางสาวสมใจ ใจดี"
    assert people.position_of(user) == "นิติกรปฏิบัติการ"
    assert client.get(reverse("measures:dashboard")).status_code == 200  # logged in


def test_a_bad_password_on_the_invitation_page_keeps_what_was_typed(invited, mailoutbox, client):
    page = client.get(path_of(link_in(mailoutbox[0])), follow=True)
    response = client.post(
        page.redirect_chain[-1][0],
        {"title": "นางสาว", "position": "นิติกรปฏิบัติการ", "new_password1": "short", "new_password2": "other"},
    )
    assert response.status_code == 200
    assert 'value="นิติกรปฏิบัติการ"' in response.text
    assert not User.objects.get(pk=invited.user_id).has_usable_password()


def test_the_link_works_once(invited, mailoutbox, client):
    url = path_of(link_in(mailoutbox[0]))
    page = client.get(url, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"title": "นาง", "position": "", "new_password1": "a-long-pass-2570", "new_password2": "a-long-pass-2570"},
    )
    client.logout()
    again = client.get(url, follow=True)
    assert "ลิงก์คำเชิญนี้ใช้ไม่ได้แล้ว" in again.text


def test_a_delivered_invitation_is_not_kept_with_its_link(invited):
    stored = OutgoingEmail.objects.get(template=notifications.INVITATION)
    assert stored.sent_at is not None
    assert "/accounts/invitation/" not in stored.body


def test_a_person_with_an_account_gets_the_role_and_a_mail_without_a_password_link(
    organisation, org_admin, approver, django_capture_on_commit_callbacks, mailoutbox
):
    approver.email = "approver@test-town.go.th"
    approver.save()
    with django_capture_on_commit_callbacks(execute=True):
        membership = people.invite(
            organisation=organisation, email="APPROVER@test-town.go.th", role=Role.OFFICER, by=org_admin
        )
    assert membership.user == approver
    [mail] = mailoutbox
    assert "/accounts/invitation/" not in mail.body and reverse("login") in mail.body


def test_a_role_the_person_already_holds_is_refused(invited, organisation, org_admin):
    with pytest.raises(ServiceError, match="มีบทบาท “เจ้าหน้าที่ผู้จัดทำ” ในหน่วยงานนี้แล้ว"):
        people.invite(organisation=organisation, email="somjai.new@test-town.go.th", role=Role.OFFICER, by=org_admin)
    assert Membership.objects.filter(user=invited.user).count() == 1


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b", "x" * 250 + "@test.go.th", "สมใจ@", "a b@test.go.th"])
def test_a_bad_e_mail_is_refused_in_thai_and_nothing_is_made(organisation, org_admin, email):
    users = User.objects.count()
    with pytest.raises(ServiceError, match="อีเมล"):
        people.invite(organisation=organisation, email=email, role=Role.OFFICER, by=org_admin)
    assert User.objects.count() == users


def test_a_contributor_needs_an_active_unit_of_the_same_organisation(organisation, org_admin, finance):
    other_unit = UnitFactory(organisation=OrganisationFactory(), name="กองคลัง")
    with pytest.raises(ServiceError, match="ต้องระบุกอง/สำนัก"):
        people.invite(organisation=organisation, email="c1@test.go.th", role=Role.CONTRIBUTOR, by=org_admin)
    with pytest.raises(ServiceError, match="ไม่ได้อยู่ในหน่วยงานนี้"):
        people.invite(
            organisation=organisation, email="c1@test.go.th", role=Role.CONTRIBUTOR, unit=other_unit, by=org_admin
        )
    finance.is_active = False
    finance.save()
    with pytest.raises(ServiceError, match="ปิดการใช้งานแล้ว"):
        people.invite(
            organisation=organisation, email="c1@test.go.th", role=Role.CONTRIBUTOR, unit=finance, by=org_admin
        )
    assert not User.objects.filter(email="c1@test.go.th").exists()


def test_an_unknown_role_is_refused(organisation, org_admin):
    with pytest.raises(ServiceError, match="ไม่พบบทบาท"):
        people.invite(organisation=organisation, email="x@test.go.th", role="king", by=org_admin)


# --- Re-invite, deactivate, roles ---------------------------------------------------------


def test_a_pending_invitation_can_be_sent_again_with_a_new_mail(
    invited, org_admin, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        people.reinvite(membership=invited, by=org_admin)
    assert len(mailoutbox) == 2
    assert "/accounts/invitation/" in mailoutbox[1].body


def test_no_invitation_is_sent_again_once_the_password_is_set(invited, org_admin):
    invited.user.set_password("a-long-pass-2570")
    invited.user.save()
    with pytest.raises(ServiceError, match="ตั้งรหัสผ่านแล้ว"):
        people.reinvite(membership=invited, by=org_admin)


def test_the_last_active_administrator_cannot_be_deactivated_nor_given_another_role(organisation, org_admin):
    membership = Membership.objects.get(user=org_admin, role=Role.ORG_ADMIN)
    with pytest.raises(ServiceError, match="ผู้ดูแลหน่วยงานที่ใช้งานอยู่อย่างน้อยหนึ่งคน"):
        people.deactivate(membership=membership, by=org_admin)
    with pytest.raises(ServiceError, match="ผู้ดูแลหน่วยงานที่ใช้งานอยู่อย่างน้อยหนึ่งคน"):
        people.change_role(membership=membership, role=Role.OFFICER, unit=None, by=org_admin)
    membership.refresh_from_db()
    assert (membership.is_active, membership.role) == (True, Role.ORG_ADMIN)


def test_an_administrator_can_leave_when_another_one_remains(organisation, org_admin):
    MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN)
    membership = Membership.objects.get(user=org_admin, role=Role.ORG_ADMIN)
    people.deactivate(membership=membership, by=org_admin)
    membership.refresh_from_db()
    assert not membership.is_active


def test_a_deactivated_role_gives_no_access_and_can_be_reactivated(organisation, officer, org_admin, client_for):
    membership = Membership.objects.get(user=officer)
    people.deactivate(membership=membership, by=org_admin)
    assert client_for(officer).get(reverse("measures:organisation", args=[organisation.slug])).status_code == 404
    people.reactivate(membership=membership, by=org_admin)
    assert client_for(officer).get(reverse("measures:organisation", args=[organisation.slug])).status_code == 200


def test_a_role_change_to_contributor_needs_a_unit_and_keeps_the_person(organisation, officer, org_admin, finance):
    membership = Membership.objects.get(user=officer)
    with pytest.raises(ServiceError, match="ต้องระบุกอง/สำนัก"):
        people.change_role(membership=membership, role=Role.CONTRIBUTOR, unit=None, by=org_admin)
    people.change_role(membership=membership, role=Role.CONTRIBUTOR, unit=finance, by=org_admin)
    membership.refresh_from_db()
    assert (membership.role, membership.unit) == (Role.CONTRIBUTOR, finance)


def test_a_role_change_onto_a_role_the_person_holds_is_refused(organisation, officer, org_admin):
    MembershipFactory(user=officer, organisation=organisation, role=Role.APPROVER)
    membership = Membership.objects.get(user=officer, role=Role.OFFICER)
    with pytest.raises(ServiceError, match="ในหน่วยงานนี้แล้ว"):
        people.change_role(membership=membership, role=Role.APPROVER, unit=None, by=org_admin)


# --- The people page ----------------------------------------------------------------------


def test_the_people_page_lists_names_roles_and_pending_invitations(invited, org_admin, client_for, organisation):
    Profile.objects.create(user=org_admin, title="นาง", position="ปลัดเทศบาล")
    page = client_for(org_admin).get(reverse("measures:people", args=[organisation.slug]))
    assert page.status_code == 200
    assert "สมใจ ใจดี" in page.text and "รอตอบรับคำเชิญ" in page.text
    assert f"นาง{org_admin.get_full_name()}" in page.text and "ปลัดเทศบาล" in page.text


def test_inviting_from_the_page_sends_the_mail(
    organisation, org_admin, client_for, finance, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org_admin).post(
            reverse("measures:people", args=[organisation.slug]),
            {
                "email": "finance.head@test.go.th",
                "first_name": "มานี",
                "last_name": "มีตา",
                "role": "contributor",
                "unit": finance.pk,
            },
        )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="finance.head@test.go.th")
    assert (membership.role, membership.unit) == (Role.CONTRIBUTOR, finance)
    assert len(mailoutbox) == 1


def test_a_refused_invitation_shows_the_form_again_with_what_was_typed(invited, organisation, org_admin, client_for):
    response = client_for(org_admin).post(
        reverse("measures:people", args=[organisation.slug]),
        {"email": "somjai.new@test-town.go.th", "first_name": "ชื่อที่พิมพ์ไว้", "last_name": "", "role": "officer"},
    )
    assert response.status_code == 200
    assert "ในหน่วยงานนี้แล้ว" in response.text
    assert 'value="ชื่อที่พิมพ์ไว้"' in response.text


def test_a_contributor_without_a_unit_is_refused_on_the_form(organisation, org_admin, client_for):
    response = client_for(org_admin).post(
        reverse("measures:people", args=[organisation.slug]),
        {"email": "c@test.go.th", "role": "contributor", "unit": ""},
    )
    assert "ผู้รับผิดชอบในกอง/สำนักต้องระบุกอง/สำนัก" in response.text
    assert not User.objects.filter(email="c@test.go.th").exists()


def test_the_form_offers_neither_oversight_nor_inactive_units(organisation, org_admin, client_for, finance, works):
    works.is_active = False
    works.save()
    page = client_for(org_admin).get(reverse("measures:people", args=[organisation.slug]))
    assert 'value="oversight"' not in page.text
    assert "กองคลัง" in page.text and "กองช่าง" not in page.text


def test_deactivating_asks_for_confirmation_first(organisation, officer, org_admin, client_for):
    membership = Membership.objects.get(user=officer)
    url = reverse("measures:person_deactivate", args=[organisation.slug, membership.pk])
    client = client_for(org_admin)
    assert "ปิดการใช้งานสิทธิ์นี้หรือไม่" in client.get(url).text
    assert client.post(url).status_code == 200  # not confirmed: the page again
    assert Membership.objects.get(pk=membership.pk).is_active
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not Membership.objects.get(pk=membership.pk).is_active


def test_the_last_administrator_deactivating_himself_gets_the_thai_refusal(organisation, org_admin, client_for):
    membership = Membership.objects.get(user=org_admin)
    url = reverse("measures:person_deactivate", args=[organisation.slug, membership.pk])
    response = client_for(org_admin).post(url, {"confirmed": "1"}, follow=True)
    assert "ผู้ดูแลหน่วยงานที่ใช้งานอยู่อย่างน้อยหนึ่งคน" in response.text
    assert Membership.objects.get(pk=membership.pk).is_active


def test_re_inviting_from_the_page(
    invited, organisation, org_admin, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    url = reverse("measures:person_reinvite", args=[organisation.slug, invited.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org_admin).post(url)
    assert response.status_code == 302
    assert len(mailoutbox) == 2


# --- Who may ------------------------------------------------------------------------------

PAGES = [
    ("people", False, "GET"),
    ("people", False, "POST"),
    ("person_edit", True, "GET"),
    ("person_edit", True, "POST"),
    ("person_deactivate", True, "GET"),
    ("person_deactivate", True, "POST"),
    ("person_reactivate", True, "GET"),
    ("person_reinvite", True, "POST"),
    ("units", False, "GET"),
    ("units", False, "POST"),
    ("unit_edit", "unit", "GET"),
    ("unit_move", "unit", "POST"),
    ("unit_deactivate", "unit", "GET"),
    ("unit_reactivate", "unit", "GET"),
]


def _url(name, needs, organisation, officer, finance):
    if needs == "unit":
        return reverse(f"measures:{name}", args=[organisation.slug, finance.pk])
    if needs:
        return reverse(f"measures:{name}", args=[organisation.slug, Membership.objects.get(user=officer).pk])
    return reverse(f"measures:{name}", args=[organisation.slug])


@pytest.mark.parametrize(("name", "needs", "method"), PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("contributor", 403), ("officer", 403), ("approver", 403), ("oversight", 403), ("outsider", 404)],
)
def test_only_the_organisations_administrator_may_manage_people_and_units(
    request, client_for, organisation, officer, finance, name, needs, method, persona, status
):
    url = _url(name, needs, organisation, officer, finance)
    client = client_for(request.getfixturevalue(persona))
    response = client.get(url) if method == "GET" else client.post(url, {"confirmed": "1", "name": "x"})
    assert response.status_code == status


@pytest.mark.parametrize(("name", "needs", "method"), PAGES)
def test_another_organisations_administrator_gets_not_found(
    client, organisation, officer, finance, name, needs, method
):
    other = OrganisationFactory(slug="elsewhere")
    admin = UserFactory(username="other-admin")
    MembershipFactory(user=admin, organisation=other, role=Role.ORG_ADMIN)
    client.force_login(admin)
    url = _url(name, needs, organisation, officer, finance)
    assert (client.get(url) if method == "GET" else client.post(url, {"confirmed": "1"})).status_code == 404
    # …nor through his own organisation's address: the membership or unit is not his organisation's.
    if needs:
        own = url.replace(f"/{organisation.slug}/", "/elsewhere/")
        assert (client.get(own) if method == "GET" else client.post(own, {"confirmed": "1"})).status_code == 404


@pytest.mark.parametrize(("name", "needs", "method"), PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, organisation, officer, finance, name, needs, method):
    url = _url(name, needs, organisation, officer, finance)
    response = client.get(url) if method == "GET" else client.post(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_administrator_may_open_every_page(client_for, org_admin, organisation, officer, finance):
    client = client_for(org_admin)
    for name, needs, method in PAGES:
        if method == "GET":
            assert client.get(_url(name, needs, organisation, officer, finance)).status_code == 200, name


def test_an_oversight_role_is_the_platforms_and_the_organisation_cannot_change_it(
    organisation, oversight, org_admin, client_for
):
    membership = Membership.objects.get(user=oversight)
    client = client_for(org_admin)
    for name in ("person_edit", "person_deactivate", "person_reactivate"):
        assert client.get(reverse(f"measures:{name}", args=[organisation.slug, membership.pk])).status_code == 403
    assert client.post(reverse("measures:person_reinvite", args=[organisation.slug, membership.pk])).status_code == 403
    assert "กำหนดโดยผู้ดูแลระบบ" in client.get(reverse("measures:people", args=[organisation.slug])).text
    assert Membership.objects.get(pk=membership.pk).is_active


def test_the_invitation_says_how_long_its_link_lasts(invited, mailoutbox, settings):
    assert f"ภายใน {settings.PASSWORD_RESET_TIMEOUT // 86400} วัน" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "long@test.go.th", "first_name": "ก" * 151, "role": "officer"}, "ข้อความยาวเกิน 150 ตัวอักษร"),
        ({"email": "x" * 250 + "@test.go.th", "role": "officer"}, "ข้อความยาวเกิน 254 ตัวอักษร"),
        ({"email": "long@test.go.th", "role": "oversight"}, "ไม่พบรายการที่เลือก"),
        ({"email": "long@test.go.th", "role": "contributor", "unit": "99999999999999999999999"}, "ไม่พบรายการที่เลือก"),
        ({"email": "long@test.go.th", "role": "contributor", "unit": "๑"}, "ไม่พบรายการที่เลือก"),
    ],
)
def test_bad_invitation_input_gets_a_thai_message_and_makes_nobody(organisation, org_admin, client_for, data, message):
    users = User.objects.count()
    response = client_for(org_admin).post(reverse("measures:people", args=[organisation.slug]), data)
    assert response.status_code == 200 and message in response.text
    assert User.objects.count() == users


def test_another_organisations_unit_is_not_a_choice_when_changing_a_role(organisation, officer, org_admin, client_for):
    stranger = UnitFactory(organisation=OrganisationFactory(), name="กองต่างถิ่น")
    membership = Membership.objects.get(user=officer)
    url = reverse("measures:person_edit", args=[organisation.slug, membership.pk])
    response = client_for(org_admin).post(url, {"role": "contributor", "unit": stranger.pk})
    assert "ไม่พบรายการที่เลือก" in response.text
    assert Membership.objects.get(pk=membership.pk).role == Role.OFFICER


def test_an_invitation_link_of_nobody_says_it_is_not_valid_in_thai(client):
    response = client.get(reverse("invitation", args=["OTk5OTk5", "not-a-token"]))  # user 999999: nobody
    assert response.status_code == 200 and response.context["validlink"] is False
