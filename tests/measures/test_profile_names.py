"""Names in print: each person's profile (title, name, position, acting text) in memos and sign-off blocks."""

import re

import pytest
from django.urls import reverse

from measures import people, workflow
from measures.models import Decision, Profile
from measures.services import ServiceError
from reports import rendering
from tests.chain import approve_all

pytestmark = pytest.mark.django_db


def profile(user, *, title="", first="", last="", position="", acting_for=""):
    """Save the user's profile, and read the user again (his names may have changed)."""
    saved = people.profile_save(
        user=user,
        by=user,
        first_name=first or user.first_name,
        last_name=last or user.last_name,
        title=title,
        position=position,
        acting_for=acting_for,
    )
    user.refresh_from_db()
    return saved


# --- The profile --------------------------------------------------------------------------


def test_the_display_name_writes_the_title_against_the_name(officer):
    profile(officer, title="นางสาว", first="สมใจ", last="ใจดี")
    officer.refresh_from_db()
    assert people.display_name(officer) == "นางสาวสมใจ ใจดี"


def test_without_a_profile_a_person_is_named_by_his_full_name(officer):
    assert not Profile.objects.filter(user=officer).exists()
    assert people.display_name(officer) == officer.get_full_name()


def test_the_first_save_creates_the_profile_and_later_saves_change_it(officer):
    profile(officer, title="นาย", position="นิติกร")
    profile(officer, title="ว่าที่ร้อยตรี", position="นิติกรชำนาญการ")
    saved = Profile.objects.get(user=officer)
    assert (saved.title, saved.position) == ("ว่าที่ร้อยตรี", "นิติกรชำนาญการ")


def test_a_profile_needs_a_first_and_a_last_name(officer):
    with pytest.raises(ServiceError, match="กรุณากรอกชื่อและนามสกุล"):
        people.profile_save(user=officer, by=officer, first_name="  ", last_name="ใจดี")
    assert not Profile.objects.filter(user=officer).exists()


def test_every_logged_in_person_edits_his_own_profile(client_for, contributor):
    client = client_for(contributor)
    url = reverse("measures:profile")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"title": "นาย", "first_name": "มานะ", "last_name": "ขยัน", "position": "นักวิชาการเงินและบัญชี", "acting_for": ""},
    )
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert people.display_name(contributor) == "นายมานะ ขยัน"


def test_a_refused_profile_shows_the_form_again_with_what_was_typed(client_for, officer):
    response = client_for(officer).post(
        reverse("measures:profile"),
        {"title": "นาง", "first_name": "", "last_name": "ใจดี", "position": "ตำแหน่งที่พิมพ์ไว้", "acting_for": ""},
    )
    assert response.status_code == 200
    assert "กรุณากรอกชื่อ" in response.text and 'value="ตำแหน่งที่พิมพ์ไว้"' in response.text
    assert not Profile.objects.filter(user=officer).exists()


def test_too_long_a_position_is_refused_in_thai(client_for, officer):
    response = client_for(officer).post(
        reverse("measures:profile"),
        {"first_name": "สมใจ", "last_name": "ใจดี", "position": "ก" * 201},
    )
    assert "ข้อความยาวเกิน 200 ตัวอักษร" in response.text
    assert not Profile.objects.filter(user=officer).exists()


def test_the_profile_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("measures:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- Decisions -----------------------------------------------------------------------------


def test_a_decision_records_the_approvers_profile_name_position_and_acting_text(submission, heads):
    deputy = heads[1]
    profile(
        deputy, title="นาย", first="สมปอง", last="รักษ์ดี", position="รองปลัดเทศบาล", acting_for="ปฏิบัติราชการแทนปลัดเทศบาล"
    )
    workflow.decide(submission=submission, by=heads[0], approve=True)
    submission.refresh_from_db()
    decision = workflow.decide(submission=submission, by=deputy, approve=True)
    assert (decision.name, decision.position, decision.acting_for) == (
        "นายสมปอง รักษ์ดี",
        "รองปลัดเทศบาล",
        "ปฏิบัติราชการแทนปลัดเทศบาล",
    )


def test_without_a_position_of_his_own_the_approver_signs_with_the_steps_title(submission, heads):
    profile(heads[0], title="นาง")
    decision = workflow.decide(submission=submission, by=heads[0], approve=True)
    assert decision.position == "หัวหน้าสำนักปลัด"
    assert decision.name == f"นาง{heads[0].get_full_name()}"


def test_the_steps_acting_text_is_kept_when_the_profile_has_none(
    organisation, org_admin, heads, measure, document, officer
):
    rows = [
        {"title": "หัวหน้าสำนักปลัด", "acting_for": "", "approvers": [heads[0]]},
        {"title": "ปลัดเทศบาล", "acting_for": "ปฏิบัติราชการแทนนายกเทศมนตรี", "approvers": [heads[1]]},
    ]
    workflow.chain_save(organisation=organisation, by=org_admin, rows=rows)
    profile(heads[1], title="นาย", position="ปลัดเทศบาล")
    submission = workflow.submit(target=document, by=officer)
    approve_all(submission, heads[:2])
    decision = Decision.objects.get(submission=submission, step=1)
    assert (decision.position, decision.acting_for) == ("ปลัดเทศบาล", "ปฏิบัติราชการแทนนายกเทศมนตรี")


def test_the_memo_prints_the_names_and_positions_of_the_profiles(submission, heads, officer):
    profile(heads[2], title="นาย", first="ชัยชนะ", last="มั่นคง", position="นายกเทศมนตรีตำบลทดสอบ")
    profile(
        heads[1], title="นาง", first="สมศรี", last="ใจงาม", position="รองปลัดเทศบาล", acting_for="ปฏิบัติราชการแทนปลัดเทศบาล"
    )
    approve_all(submission, heads)
    html = re.sub(r"<[^>]+>", "", rendering.memo_html(submission))  # without the spans that keep names whole
    assert "(นายชัยชนะ มั่นคง)" in html and "นายกเทศมนตรีตำบลทดสอบ" in html
    assert "(นางสมศรี ใจงาม)" in html and "รองปลัดเทศบาล" in html and "ปฏิบัติราชการแทนปลัดเทศบาล" in html


def test_a_later_profile_change_leaves_a_recorded_decision_as_it_was(submission, heads):
    profile(heads[0], title="นาง", position="หัวหน้าสำนักปลัด")
    decision = workflow.decide(submission=submission, by=heads[0], approve=True)
    signed_as = decision.name
    profile(heads[0], title="นาง", first="เปลี่ยน", position="ปลัดเทศบาล")
    decision.refresh_from_db()
    assert (decision.name, decision.position) == (signed_as, "หัวหน้าสำนักปลัด")
    assert "เปลี่ยน" not in rendering.memo_html(submission)


# --- The memo's author and the chain's choices ---------------------------------------------


def test_the_memo_is_first_written_with_the_officers_profile_name_and_position(document, officer):
    profile(officer, title="นางสาว", first="สมใจ", last="ใจดี", position="นิติกรปฏิบัติการ")
    memo = workflow.memo_for(document, by=officer)
    assert (memo.author_name, memo.author_position) == ("นางสาวสมใจ ใจดี", "นิติกรปฏิบัติการ")


def test_the_memo_author_without_a_profile_keeps_the_membership_position(document, officer):
    officer.memberships.update(position="นิติกร")
    memo = workflow.memo_draft(document, by=officer)
    assert (memo.author_name, memo.author_position) == (officer.get_full_name(), "นิติกร")


def test_the_chain_form_offers_approvers_by_display_name_and_position(client_for, org_admin, organisation, heads):
    profile(heads[1], title="นาย", first="สมปอง", last="รักษ์ดี", position="ปลัดเทศบาล")
    page = client_for(org_admin).get(reverse("measures:chain_edit", args=[organisation.slug]))
    assert "นายสมปอง รักษ์ดี (ปลัดเทศบาล)" in page.text
