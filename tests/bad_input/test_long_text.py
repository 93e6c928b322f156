"""Very long text in every free-text field: one character over a CharField's limit, a megabyte
in a TextField. Each is refused with a Thai message naming the limit; nothing is stored.

Text fields without a limit in the model (TextField) are limited to forms.TEXT_MAX_LENGTH
characters by the forms.
"""

import pytest
from django.urls import reverse

from measures import workflow
from measures.forms import TEXT_MAX_LENGTH
from tests.bad_input.conftest import thai_messages

pytestmark = pytest.mark.django_db

MEGABYTE = "ข้อความยาว " + "x" * (1024 * 1024 - 11)  # 1 MiB of characters, under Django's 2.5 MB body limit
CODES = ", ".join(["I13"] * 250_000)  # 1.2 MB of item codes
SCORES = {f"indicator_{n}": "80" for n in range(1, 11)}


def too_long(limit: int, length: int) -> str:
    return f"ข้อความยาวเกิน {limit} ตัวอักษร (มี {length} ตัวอักษร) กรุณาตัดให้สั้นลง"


def over(limit: int) -> str:
    return "ก" * (limit + 1)


@pytest.fixture
def world(document, theme, measure, report, officer):
    """A draft document with a theme, a measure and its started 6-month round, and the memo."""
    memo = workflow.memo_for(document, by=officer)
    return {
        "document": document,
        "theme": theme,
        "measure": measure,
        "report": report,
        "memo": memo,
        "entry": report.entries.get(),
    }


def form(name: str, w: dict) -> tuple[str, dict]:
    """The address of a staff form and a valid submission of it."""
    doc = ["test-town", 2566]
    measure, memo = w["measure"], w["memo"]
    return {
        "document_new": (reverse("measures:document_new", args=["test-town"]), {"fiscal_year": "2567"}),
        "document_edit": (
            reverse("measures:document_edit", args=doc),
            {"revision": w["document"].revision, "title": w["document"].title},
        ),
        "theme_new": (reverse("measures:theme_new", args=doc), {"number": "2", "title": "ด้านที่สอง"}),
        "finding_new": (reverse("measures:finding_new", args=doc), {"kind": "improve", "text": "ผลการวิเคราะห์"}),
        "measure_edit": (
            reverse("measures:measure_edit", args=[*doc, measure.pk]),
            {
                "revision": measure.revision,
                "theme": measure.theme_id,
                "number": "1",
                "title": measure.title,
                "units": [u.pk for u in measure.units.all()],
            },
        ),
        "round_edit": (reverse("measures:round_edit", args=[*doc, 6]), {"revision": w["report"].revision}),
        "entry_edit": (
            reverse("measures:entry_edit", args=[*doc, 6, measure.pk]),
            {"revision": w["entry"].revision, "status": "in_progress", "percent": "50"},
        ),
        "assessment_edit": (reverse("measures:assessment_edit", args=["test-town", 2565]), dict(SCORES)),
        "memo_edit": (
            reverse("measures:document_memo", args=doc),
            {name: getattr(memo, name) or "" for name in workflow.MEMO_FIELDS if name != "date"}
            | {"revision": memo.revision},
        ),
    }[name]


# (form, field, value, message): every free-text field of the staff forms.
CASES = [
    ("document_new", "title", over(300), too_long(300, 301)),
    ("document_new", "introduction", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("document_edit", "title", over(300), too_long(300, 301)),
    ("document_edit", "introduction", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("theme_new", "title", over(300), too_long(300, 301)),
    ("finding_new", "issue_area", over(300), too_long(300, 301)),
    ("finding_new", "text", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("finding_new", "item_codes", CODES, too_long(TEXT_MAX_LENGTH, len(CODES))),
    ("measure_edit", "title", over(2000), too_long(2000, 2001)),
    ("measure_edit", "title", MEGABYTE, too_long(2000, len(MEGABYTE))),
    ("measure_edit", "issue", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("measure_edit", "steps", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("measure_edit", "item_codes", CODES, too_long(TEXT_MAX_LENGTH, len(CODES))),
    ("measure_edit", "owner", over(300), too_long(300, 301)),
    ("measure_edit", "monitoring", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("measure_edit", "target", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("round_edit", "introduction", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("entry_edit", "summary", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("entry_edit", "outcome", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("entry_edit", "problems", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("entry_edit", "suggestions", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("assessment_edit", "official_rating", over(64), too_long(64, 65)),
    ("assessment_edit", "notes", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("memo_edit", "department", over(300), too_long(300, 301)),
    ("memo_edit", "number", over(100), too_long(100, 101)),
    ("memo_edit", "subject", over(500), too_long(500, 501)),
    ("memo_edit", "to", over(300), too_long(300, 301)),
    ("memo_edit", "attachments", over(500), too_long(500, 501)),
    ("memo_edit", "closing", over(300), too_long(300, 301)),
    ("memo_edit", "author_name", over(200), too_long(200, 201)),
    ("memo_edit", "author_position", over(200), too_long(200, 201)),
    ("memo_edit", "background", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("memo_edit", "facts", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
    ("memo_edit", "proposal", MEGABYTE, too_long(TEXT_MAX_LENGTH, len(MEGABYTE))),
]


@pytest.mark.parametrize(
    ("name", "field", "value", "message"),
    CASES,
    ids=[f"{name}-{field}-{len(value)}" for name, field, value, _message in CASES],
)
def test_a_text_over_its_limit_is_refused_in_thai(staff, world, nothing_changes, name, field, value, message):
    url, data = form(name, world)
    with nothing_changes():
        response = staff.post(url, data | {field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "Ensure this value" not in response.text


def test_the_text_limit_is_announced_to_the_browser(staff, world):
    response = staff.get(reverse("measures:entry_edit", args=["test-town", 2566, 6, world["measure"].pk]))
    assert f'maxlength="{TEXT_MAX_LENGTH}"' in response.text


def test_a_text_at_its_limit_is_accepted(staff, world):
    url, data = form("entry_edit", world)
    assert staff.post(url, data | {"summary": "ก" * TEXT_MAX_LENGTH}).status_code == 302
    world["entry"].refresh_from_db()
    assert len(world["entry"].summary) == TEXT_MAX_LENGTH


def test_a_megabyte_of_thai_text_is_a_bad_request_not_a_server_error(staff, world, nothing_changes):
    """Three bytes a Thai character: the body is over Django's DATA_UPLOAD_MAX_MEMORY_SIZE."""
    url, data = form("entry_edit", world)
    with nothing_changes():
        response = staff.post(url, data | {"summary": "ก" * (1024 * 1024)})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", over(300), too_long(300, 301)),
        ("url", "https://example.go.th/" + "a" * 1000, too_long(1000, 1022)),
    ],
)
def test_an_evidence_title_or_link_over_its_limit_is_refused_in_thai(
    staff, world, nothing_changes, field, value, message
):
    data = {"title": "ภาพกิจกรรม", "url": "https://example.go.th/news/1"} | {field: value}
    with nothing_changes():
        response = staff.post(reverse("measures:evidence_add", args=["test-town", 2566, 6, world["measure"].pk]), data)
    assert response.status_code == 302
    assert thai_messages(response) == [message]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", over(200), too_long(200, 201)),
        ("acting_for", over(200), too_long(200, 201)),
    ],
)
def test_a_position_of_the_approval_chain_over_its_limit_is_refused_in_thai(
    client, org_admin, approver, organisation, nothing_changes, field, value, message
):
    workflow.chain_save(
        organisation=organisation,
        by=org_admin,
        rows=[{"title": "ปลัดเทศบาล", "acting_for": "", "approvers": [approver]}],
    )
    client.force_login(org_admin)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-title": "ปลัดเทศบาล",
        "form-0-acting_for": "",
        "form-0-approvers": [approver.pk],
        "form-0-ORDER": "1",
    } | {f"form-0-{field}": value}
    with nothing_changes():
        response = client.post(reverse("measures:chain_edit", args=["test-town"]), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors[field] == [message]


def test_a_megabyte_comment_on_a_decision_is_refused_in_thai(
    client, approver, org_admin, organisation, world, officer, nothing_changes
):
    workflow.chain_save(
        organisation=organisation,
        by=org_admin,
        rows=[{"title": "ปลัดเทศบาล", "acting_for": "", "approvers": [approver]}],
    )
    submission = workflow.submit(target=world["document"], by=officer)
    client.force_login(approver)
    with nothing_changes():
        response = client.post(
            reverse("measures:decide", args=["test-town", submission.pk]), {"comment": MEGABYTE, "return": "1"}
        )
    assert response.status_code == 400
    assert response.context["form"].errors["comment"] == [too_long(TEXT_MAX_LENGTH, len(MEGABYTE))]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("item_code", "O" + "1" * 16, "รหัสข้อยาวเกินไป"),
        ("title", over(300), "ชื่อรายการยาวเกิน 300 ตัวอักษร"),
        ("url", "https://example.go.th/" + "a" * 1000, "ที่อยู่เว็บยาวเกิน 1,000 ตัวอักษร"),
    ],
)
def test_an_oit_entry_over_its_limits_is_refused_in_thai(staff, world, nothing_changes, field, value, message):
    data = {"item_code": "O5", "title": "ข้อมูลผู้บริหาร", "url": "https://example.go.th/o5"} | {field: value}
    with nothing_changes():
        response = staff.post(reverse("reports:oit_edit", args=["test-town", 2566]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
