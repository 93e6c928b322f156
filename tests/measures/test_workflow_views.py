"""The sign-off screens: submit, inbox, review, decide, memo, editions and the chain, through the test client."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from measures import services, thai, workflow
from measures.models import Decision, DocumentStatus, Measure, Membership, Submission
from measures.services import MeasureData
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLES = ["หัวหน้าสำนักปลัด", "ปลัดเทศบาล", "นายกเทศมนตรี"]
MEASURE = "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง"


def executive(organisation, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=Membership.Role.APPROVER)
    return user


@pytest.fixture
def heads(organisation, approver, org_admin):
    heads = [approver, executive(organisation, "deputy"), executive(organisation, "mayor")]
    rows = [{"title": t, "acting_for": "", "approvers": [h]} for t, h in zip(TITLES, heads, strict=True)]
    workflow.chain_save(organisation=organisation, by=org_admin, rows=rows)
    return heads


@pytest.fixture
def measure(document, theme, officer):
    data = MeasureData(title=MEASURE, number=1, theme=theme, all_units=True)
    return services.measure_create(document=document, by=officer, data=data)


@pytest.fixture
def submission(heads, measure, document, officer):
    return workflow.submit(target=document, by=officer)


def url(name, *args):
    return reverse(f"measures:{name}", args=["test-town", *args])


def decide(client, user, submission, **post):
    client.force_login(user)
    return client.post(url("decide", submission.pk), post)


def test_the_officer_submits_the_document_from_its_page(client_for, officer, heads, measure, document):
    client = client_for(officer)
    page = client.get(url("document_detail", 2566)).text
    assert f'href="{url("document_submit", 2566)}"' in page  # a link to the check page, not a form
    check = client.get(url("document_submit", 2566))
    assert check.status_code == 200 and "ยืนยันเสนอเพื่อพิจารณา" in check.text
    assert " → ".join(TITLES) in check.text  # who will decide, in order
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT and not Submission.objects.exists()
    response = client.post(url("document_submit", 2566), {"confirmed": "1"})
    assert response.status_code == 302
    assert response.url == url("document_detail", 2566)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED
    assert Submission.objects.get(document=document).submitted_by == officer


@pytest.mark.parametrize("name", ["document_submit", "round_submit"])
def test_a_post_without_the_confirmation_shows_the_check_page_and_submits_nothing(
    name, client_for, officer, heads, measure, document
):
    report = services.report_start(document=document, round_months=6, by=officer)
    args = [2566] if name == "document_submit" else [2566, 6]
    response = client_for(officer).post(url(name, *args))
    assert response.status_code == 200 and "ตรวจสอบก่อนเสนอเพื่อพิจารณา" in response.text
    document.refresh_from_db()
    report.refresh_from_db()
    assert (document.status, report.status) == (DocumentStatus.DRAFT, DocumentStatus.DRAFT)
    assert not Submission.objects.exists()


def test_each_approver_in_turn_finds_reads_and_approves_the_document(client, officer, heads, measure, document):
    client.force_login(officer)
    client.post(url("document_submit", 2566), {"confirmed": "1"})
    submission = Submission.objects.get(document=document)
    for head in heads:
        client.force_login(head)
        inbox = client.get(reverse("measures:inbox"))
        assert url("review", submission.pk) in inbox.text
        assert [s.pk for s in inbox.context["submissions"]] == [submission.pk]
        review = client.get(url("review", submission.pk))
        assert review.status_code == 200
        assert MEASURE in review.text
        assert client.post(url("decide", submission.pk), {"approve": "1"}).status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED
    assert list(Decision.objects.values_list("step", "user")) == [(n, h.pk) for n, h in enumerate(heads)]


def test_the_inbox_of_an_approver_of_a_later_step_is_empty(client_for, submission, heads):
    response = client_for(heads[1]).get(reverse("measures:inbox"))
    assert response.context["submissions"] == []
    assert url("review", submission.pk) not in response.text
    assert "ไม่มีเอกสารที่รอการพิจารณาของท่าน" in response.text


@pytest.mark.parametrize("who", [1, 2])
def test_an_approver_who_is_not_at_the_current_step_gets_403_on_decide(who, client, submission, heads):
    response = decide(client, heads[who], submission, approve="1")
    assert response.status_code == 403
    submission.refresh_from_db()
    assert (submission.current_step, submission.decisions.count()) == (0, 0)


def test_a_return_without_a_comment_is_shown_again_with_a_thai_error(client, submission, heads, document):
    response = decide(client, heads[0], submission, comment="  ")
    assert response.status_code == 400
    assert "กรุณาระบุความเห็นหรือสิ่งที่ต้องแก้ไขเมื่อส่งกลับ" in response.text
    submission.refresh_from_db()
    document.refresh_from_db()
    assert (submission.status, document.status, submission.decisions.count()) == ("pending", "submitted", 0)


def test_the_officer_reads_the_comment_of_a_returned_document_on_its_page(client, submission, heads, officer, document):
    assert decide(client, heads[0], submission, comment="กรุณาระบุงบประมาณ", **{"return": "1"}).status_code == 302
    client.force_login(officer)
    response = client.get(url("document_detail", 2566))
    assert "ส่งกลับให้แก้ไข" in response.text
    assert "กรุณาระบุงบประมาณ" in response.text
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT


def test_the_memo_shows_each_decision_with_comment_name_position_and_buddhist_date(
    client_for, submission, heads, officer
):
    comments = ["เห็นควรอนุมัติ", "เห็นชอบตามเสนอ", "อนุมัติ"]
    for head, comment in zip(heads, comments, strict=True):
        workflow.decide(submission=submission, by=head, approve=True, comment=comment)
    response = client_for(officer).get(url("memo", submission.pk))
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", "", response.text)  # without the spans that keep names whole
    today = thai.format_date_long(timezone.localdate())
    for head, comment, title in zip(heads, comments, TITLES, strict=True):
        # One block per position: its opinion, the comment, the name, the position, the date.
        block = text.split(f"ความเห็น{title}", 1)[1]
        assert block.index(comment) < block.index(f"({head.get_full_name()})") < block.index(title)
        assert block.index(title) < block.index(today)
    assert f"พ.ศ. {thai.to_thai_digits(thai.be_year(timezone.localdate()))}" in today
    assert text.count(today) == 1 + len(heads)  # the memo's date (today by default) and each decision's, once each


def test_the_editions_page_shows_the_change_made_after_a_reopen(client, submission, heads, officer, theme, measure):
    for head in heads:
        workflow.decide(submission=submission, by=head, approve=True)
    client.force_login(officer)
    assert client.post(url("document_reopen", 2566)).status_code == 302
    services.measure_update(
        measure=Measure.objects.get(pk=measure.pk),
        by=officer,
        revision=1,
        data=MeasureData(title="เผยแพร่ข้อมูลฉบับปรับปรุง", number=1, theme=theme, all_units=True),
    )
    response = client.get(url("document_editions", 2566))
    assert response.status_code == 200
    assert [(d["where"], d["old"], d["new"]) for d in response.context["draft_diff"]] == [
        ("มาตรการ 1.1", MEASURE, "เผยแพร่ข้อมูลฉบับปรับปรุง")
    ]
    # Word by word: the words kept stay plain, the removed and the added ones are marked.
    assert "เผยแพร่ข้อมูล<del>การจัดซื้อจัดจ้าง</del><ins>ฉบับปรับปรุง</ins>" in response.text


def chain_post(*rows) -> dict:
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for n, (title, approvers, order) in enumerate(rows):
        data |= {
            f"form-{n}-title": title,
            f"form-{n}-acting_for": "",
            f"form-{n}-ORDER": str(order),
            f"form-{n}-approvers": [str(u.pk) for u in approvers],
        }
    return data


def test_the_organisation_admin_saves_the_chain_in_the_chosen_order(client_for, org_admin, organisation, approver):
    mayor = executive(organisation, "mayor")
    response = client_for(org_admin).post(
        url("chain_edit"), chain_post(("นายกเทศมนตรี", [mayor], 2), ("ปลัดเทศบาล", [approver], 1))
    )
    assert response.status_code == 302
    positions = list(organisation.approval_positions.order_by("order"))
    assert [(p.order, p.title) for p in positions] == [(1, "ปลัดเทศบาล"), (2, "นายกเทศมนตรี")]
    assert [list(p.approvers.all()) for p in positions] == [[approver], [mayor]]


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_officer_may_not_edit_the_chain(method, client_for, officer, approver, organisation):
    client = client_for(officer)
    response = getattr(client, method)(url("chain_edit"), chain_post(("นายกเทศมนตรี", [approver], 1)))
    assert response.status_code == 403
    assert not organisation.approval_positions.exists()


@pytest.mark.parametrize("view", ["review", "memo"])
def test_a_contributor_may_not_read_a_submission(view, client_for, contributor, submission):
    assert client_for(contributor).get(url(view, submission.pk)).status_code == 403


def test_a_contributor_may_not_decide(client, contributor, submission):
    assert decide(client, contributor, submission, approve="1").status_code == 403
    assert not Decision.objects.exists()


def test_a_submission_of_another_organisation_is_not_found(client_for, outsider, submission):
    response = client_for(outsider).get(reverse("measures:review", args=["other-town", submission.pk]))
    assert response.status_code == 404


# --- The memo is written by its form, never by opening a page ------------------------------------


def test_opening_the_memo_form_writes_nothing_and_its_first_valid_save_creates_it(
    client_for, measure, document, officer
):
    from measures.models import Memo

    client = client_for(officer)
    address = reverse("measures:document_memo", args=["test-town", 2566])
    page = client.get(address)
    assert page.status_code == 200 and "ตามที่สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ" in page.text
    assert not Memo.objects.exists()
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in workflow.MEMO_FIELDS} | {
        "revision": 1,
        "date": "31/02/2566",
        "to": "นายกเทศมนตรีตำบลทดสอบ",
    }
    assert client.post(address, data).status_code == 200  # an impossible date: refused, nothing written
    assert not Memo.objects.exists()
    response = client.post(address, data | {"date": "15/03/2566", "number": "นธ 0023/125"})
    assert response.status_code == 302, response.context["form"].errors
    memo = Memo.objects.get(document=document)
    assert (memo.number, memo.revision) == ("นธ 0023/125", 2)
    # A second form opened on the unsaved defaults is now stale: refused, not written over.
    stale = client.post(address, data | {"date": "16/03/2566", "number": "นธ 0023/999"})
    assert stale.status_code == 200 and Memo.objects.get(pk=memo.pk).number == "นธ 0023/125"


def test_the_submitted_memo_page_shows_the_memo_without_writing(client_for, submission, approver):
    from measures.models import Memo

    Memo.objects.all().delete()  # as for the national data: submissions made without a memo row
    response = client_for(approver).get(url("memo", submission.pk))
    assert response.status_code == 200 and "บันทึกข้อความ" in response.text
    assert not Memo.objects.exists()


def test_a_new_organisation_s_chain_page_offers_the_usual_steps_of_its_kind(client):
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    sao = OrganisationFactory(slug="ban-na", kind="subdistrict")
    admin = UserFactory(username="ban-na-admin")
    MembershipFactory(user=admin, organisation=sao, role="org_admin")
    client.force_login(admin)
    formset = client.get(reverse("measures:chain_edit", args=["ban-na"])).context["formset"]
    titles = [form.initial.get("title") for form in formset.forms if form.initial]
    assert titles == ["หัวหน้าสำนักปลัด", "ปลัดองค์การบริหารส่วนตำบล", "นายกองค์การบริหารส่วนตำบล"]
    assert not sao.approval_positions.exists()  # offered, not saved
