"""HTML, script and SVG typed into every free-text field the portal stores.

The text is kept as typed, and shown as text everywhere it appears: the staff pages, the
printed previews, the public site after publishing, the open data (JSON, CSV, Atom) and the
PDF, where pdftotext reads back the literal characters. A `javascript:` (or `data:`) link is
refused as evidence and as an OIT entry, so it can never become a clickable href.

The world is built through the real views, as the officer, the organisation administrator
and the approver would: scores, document, theme, finding, measure, chain, memo, decisions,
publication, the 6-month round with its entry and evidence, an OIT entry. The organisation's
name, a unit's name and the approver's name carry the payload too (they come from the admin).
"""

import csv
import io
import json
import subprocess
import unicodedata

import pytest
from django.urls import reverse

from measures.models import Assessment, Evidence, Finding, Measure, Memo, Submission, Theme
from reports.models import OitEntry, Publication
from tests.bad_input.conftest import assert_inert, thai_messages
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
P = SCRIPT + '"><img src=x onerror=alert(1)><svg onload=alert(1)><script>alert(2)</script> javascript:alert(3)'
LINK = 'https://example.go.th/news?q="><script>alert(1)</script>'
OIT_LINK = 'https://example.go.th/ita/o1?x="><svg/onload=alert(1)>'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

DOC = ["test-town", 2566]


def strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "payload.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True).stdout.decode()
    return squeeze(out)


def ok(response, status=302):
    form = response.context.get("form") if response.context else None
    assert response.status_code == status, form.errors if form is not None else response.status_code
    return response


@pytest.fixture
def world(client, organisation, officer, approver, org_admin, finance):
    """Every free text of a year's work holds the payload, published through the real views."""
    organisation.name = "เทศบาลตำบลทดสอบ " + SCRIPT
    organisation.save()
    odd_unit = UnitFactory(organisation=organisation, name="กอง" + SCRIPT)
    approver.first_name = "นาย" + SCRIPT
    approver.save()

    client.force_login(officer)
    ok(
        client.post(
            reverse("measures:assessment_edit", args=["test-town", 2565]),
            {f"indicator_{n}": "80" for n in range(1, 11)} | {"official_rating": SCRIPT, "notes": P},
        )
    )
    ok(client.post(reverse("measures:document_new", args=["test-town"]), {"fiscal_year": "2566"}))
    document = organisation.documents.get()
    ok(
        client.post(
            reverse("measures:document_edit", args=DOC),
            {"revision": document.revision, "title": "มาตรการ " + P, "introduction": "บทนำ " + P},
        )
    )
    ok(client.post(reverse("measures:theme_new", args=DOC), {"number": "1", "title": P}))
    ok(
        client.post(
            reverse("measures:finding_new", args=DOC),
            {"kind": "urgent", "issue_area": P, "text": P, "item_codes": "I13"},
        )
    )
    ok(
        client.post(
            reverse("measures:measure_new", args=DOC),
            {
                "theme": Theme.objects.get().pk,
                "title": P,
                "issue": P,
                "steps": f"1. {P}\n2. ขั้นที่สอง {P}",
                "owner": P,
                "monitoring": P,
                "target": P,
                "units": [finance.pk, odd_unit.pk],
                "period_start": "01/10/2565",
                "period_end": "30/09/2566",
            },
        )
    )
    measure = Measure.objects.get()

    client.force_login(org_admin)
    ok(
        client.post(
            reverse("measures:chain_edit", args=["test-town"]),
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "0",
                "form-MIN_NUM_FORMS": "0",
                "form-MAX_NUM_FORMS": "1000",
                "form-0-title": P,
                "form-0-acting_for": P,
                "form-0-approvers": [approver.pk],
                "form-0-ORDER": "1",
            },
        )
    )

    client.force_login(officer)
    memo_url = reverse("measures:document_memo", args=DOC)
    revision = client.get(memo_url).context["form"]["revision"].value()  # the memo is saved by this form
    ok(
        client.post(
            memo_url,
            {
                "revision": revision,
                "department": P,
                "number": "ทต 0001/" + SCRIPT,
                "date": "01/10/2565",
                "subject": P,
                "to": P,
                "attachments": P,
                "background": P,
                "facts": P,
                "proposal": P,
                "closing": P,
                "author_name": P,
                "author_position": P,
            },
        )
    )
    confirmations = publish_through_the_chain(client, officer, approver, "document")

    ok(client.post(reverse("measures:round_start", args=[*DOC, 6])))
    report = document.reports.get()
    ok(client.post(reverse("measures:round_edit", args=[*DOC, 6]), {"revision": report.revision, "introduction": P}))
    entry = report.entries.get()
    ok(
        client.post(
            reverse("measures:entry_edit", args=[*DOC, 6, measure.pk]),
            {
                "revision": entry.revision,
                "status": "in_progress",
                "percent": "50",
                "summary": P,
                "outcome": P,
                "problems": P,
                "suggestions": P,
            },
        )
    )
    ok(client.post(reverse("measures:evidence_add", args=[*DOC, 6, measure.pk]), {"title": P, "url": LINK}))
    confirmations |= publish_through_the_chain(client, officer, approver, "round")

    ok(client.post(reverse("reports:oit_edit", args=DOC), {"item_code": "O1", "title": P, "url": OIT_LINK}))
    return {
        "document": document,
        "measure": measure,
        "report": report,
        "entry": entry,
        "submission": Submission.objects.filter(document=document).get(),
        "confirmations": confirmations,
    }


def publish_through_the_chain(client, officer, approver, which: str) -> dict[str, str]:
    """Submitted, approved and published through the pages; the check and confirmation pages met on the way."""
    args = DOC if which == "document" else [*DOC, 6]
    submit = reverse(f"measures:{which}_submit", args=args)
    publish = reverse("reports:document_publish" if which == "document" else "reports:report_publish", args=args)
    client.force_login(officer)
    pages = {f"{which}_submit": ok(client.get(submit), 200).content.decode()}
    ok(client.post(submit, {"confirmed": "1"}))
    submission = Submission.objects.order_by("-pk").first()
    client.force_login(approver)
    ok(client.post(reverse("measures:decide", args=["test-town", submission.pk]), {"comment": P, "approve": "1"}))
    client.force_login(officer)
    pages[f"{which}_publish"] = ok(client.get(publish), 200).content.decode()
    ok(client.post(publish, {"confirmed": "1"}))
    return pages


# --- Stored as typed -----------------------------------------------------------------------------


def test_every_free_text_is_stored_exactly_as_typed(world):
    measure, entry = world["measure"], world["entry"]
    world["document"].refresh_from_db()
    assert {world["document"].title, world["document"].introduction} == {"มาตรการ " + P, "บทนำ " + P}
    assert Theme.objects.get().title == P
    assert (Finding.objects.get().issue_area, Finding.objects.get().text) == (P, P)
    assert [measure.title, measure.issue, measure.owner, measure.monitoring, measure.target] == [P] * 5
    assert list(measure.steps.values_list("text", flat=True)) == ["1. " + P, "2. ขั้นที่สอง " + P]  # with their numbers
    entry.refresh_from_db()
    world["report"].refresh_from_db()
    assert [entry.summary, entry.outcome, entry.problems, entry.suggestions, world["report"].introduction] == [P] * 5
    assert list(Evidence.objects.values_list("title", "url")) == [(P, LINK)]
    assert set(world["submission"].decisions.values_list("comment", flat=True)) == {P}
    memo = Memo.objects.get(document=world["document"])
    assert [memo.subject, memo.facts, memo.closing] == [P, P, P]
    assert (Assessment.objects.get().official_rating, Assessment.objects.get().notes) == (SCRIPT, P)
    assert list(OitEntry.objects.values_list("title", "url")) == [(P, OIT_LINK)]


# --- Shown as text -------------------------------------------------------------------------------


def staff_pages(world) -> dict[str, str]:
    measure, submission = world["measure"], world["submission"]
    return {
        "dashboard": reverse("measures:dashboard"),
        "organisation": reverse("measures:organisation", args=["test-town"]),
        "assessment": reverse("measures:assessment_detail", args=["test-town", 2565]),
        "assessment_edit": reverse("measures:assessment_edit", args=["test-town", 2565]),
        "document": reverse("measures:document_detail", args=DOC),
        "measure_list": reverse("measures:measure_list", args=DOC),
        "document_edit": reverse("measures:document_edit", args=DOC),
        "finding_edit": reverse("measures:finding_edit", args=[*DOC, Finding.objects.get().pk]),
        "theme_edit": reverse("measures:theme_edit", args=[*DOC, Theme.objects.get().pk]),
        "measure": reverse("measures:measure_detail", args=[*DOC, measure.pk]),
        "measure_edit": reverse("measures:measure_edit", args=[*DOC, measure.pk]),
        "measure_history": reverse("measures:measure_history", args=[*DOC, measure.pk]),
        "round": reverse("measures:round_detail", args=[*DOC, 6]),
        "round_edit": reverse("measures:round_edit", args=[*DOC, 6]),
        "entry": reverse("measures:entry_edit", args=[*DOC, 6, measure.pk]),
        "review": reverse("measures:review", args=["test-town", submission.pk]),
        "memo": reverse("measures:memo", args=["test-town", submission.pk]),
        "editions": reverse("measures:document_editions", args=DOC),
        "round_editions": reverse("measures:round_editions", args=[*DOC, 6]),
        "chain": reverse("measures:chain_edit", args=["test-town"]),
        "oit_edit": reverse("reports:oit_edit", args=DOC),
        # The confirmations in front of a delete quote what they delete.
        "finding_delete": reverse("measures:finding_delete", args=[*DOC, Finding.objects.get().pk]),
        "theme_delete": reverse("measures:theme_delete", args=[*DOC, Theme.objects.get().pk]),
        "measure_delete": reverse("measures:measure_delete", args=[*DOC, measure.pk]),
        "evidence_delete": reverse("measures:evidence_delete", args=["test-town", Evidence.objects.get().pk]),
        "oit_delete": reverse("reports:oit_delete", args=[*DOC, OitEntry.objects.get().pk]),
        # The confirmation in front of a withdrawal names the version's title.
        "withdraw": reverse(
            "reports:publication_withdraw", args=["test-town", Publication.objects.get(kind="measures").pk]
        ),
    }


def test_the_staff_pages_show_every_payload_as_text(client, world, org_admin):
    client.force_login(org_admin)  # the organisation's administrator may open every staff page
    for name, url in staff_pages(world).items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert_inert(html)
        assert ESCAPED in html, name


def test_the_check_and_confirmation_pages_of_submitting_and_publishing_show_the_payload_as_text(world):
    """Met by the officer on the way (fixture): the submit check pages and the publish confirmations."""
    assert set(world["confirmations"]) == {"document_submit", "document_publish", "round_submit", "round_publish"}
    for name, html in world["confirmations"].items():
        assert_inert(html)
        assert ESCAPED in html, name


def test_the_evidence_link_stays_inside_its_href_as_text(client, world, officer):
    client.force_login(officer)
    html = client.get(reverse("measures:entry_edit", args=[*DOC, 6, world["measure"].pk])).content.decode()
    assert 'href="https://example.go.th/news?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_the_printed_previews_show_every_payload_as_text(client, world, officer):
    client.force_login(officer)
    for url in [
        reverse("reports:document_print", args=DOC),
        reverse("reports:report_print", args=[*DOC, 6]),
        reverse("reports:memo_print", args=["test-town", world["submission"].pk]),
    ]:
        html = client.get(url).content.decode()
        assert_inert(html)
        assert ESCAPED in html, url


def test_the_public_site_shows_every_payload_as_text(client, world):
    client.logout()
    pages = [
        reverse("reports:home"),
        reverse("reports:organisation", args=["test-town"]),
        reverse("reports:oit", args=DOC),
        reverse("reports:embed", args=["test-town"]),
    ]
    for kind in ("measures", "report-6"):
        pages += [
            reverse("reports:publication_latest", args=[*DOC, kind]),
            reverse("reports:publication_version", args=[*DOC, kind, 1]),
            reverse("reports:publication_html", args=[*DOC, kind, 1]),
        ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(html)
        assert ESCAPED in html, url


def test_the_public_oit_index_links_only_to_the_typed_http_address(client, world):
    html = client.get(reverse("reports:oit", args=DOC)).content.decode()
    assert 'href="https://example.go.th/ita/o1?x=&quot;&gt;&lt;svg/onload=alert(1)&gt;"' in html


def test_the_feeds_carry_the_payload_as_escaped_text(client, world):
    for url in [reverse("reports:organisation_feed", args=["test-town"]), reverse("reports:site_feed")]:
        response = client.get(url)
        assert response.status_code == 200
        assert_inert(response.content.decode())


def test_the_open_data_gives_the_payload_as_data_never_as_a_page(client, world):
    for kind in ("measures", "report-6"):
        response = client.get(reverse("reports:publication_json", args=[*DOC, kind, 1]))
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert any(P in s for s in strings(json.loads(response.content))), kind

        response = client.get(reverse("reports:publication_csv", args=[*DOC, kind, 1]))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith("attachment;")
        cells = [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row]
        assert any(P in cell for cell in cells), kind
    scores = client.get(reverse("reports:scores_json", args=["test-town"]))
    assert SCRIPT in strings(json.loads(scores.content))


def test_the_pdfs_print_the_payload_as_literal_characters(client, world, officer, tmp_path):
    client.force_login(officer)
    pdfs = []
    for publication in Publication.objects.order_by("pk"):
        with publication.pdf.open("rb") as file:
            pdfs.append(file.read())
    pdfs.append(client.get(reverse("reports:memo_pdf", args=["test-town", world["submission"].pk])).content)
    for pdf in pdfs:
        text = pdf_text(pdf, tmp_path)
        assert squeeze(SCRIPT) in text
        assert squeeze('"><img src=x onerror=alert(1)>') in text


def test_a_withdrawal_reason_is_shown_as_text_on_the_public_notice(client, world, officer):
    client.force_login(officer)
    publication = Publication.objects.get(kind="report-6")
    ok(
        client.post(
            reverse("reports:publication_withdraw", args=["test-town", publication.pk]), {"reason": P, "confirmed": "1"}
        )
    )
    client.logout()
    response = client.get(reverse("reports:publication_version", args=[*DOC, "report-6", 1]))
    assert response.status_code == 410
    html = response.content.decode()
    assert_inert(html)
    assert ESCAPED in html
    data = json.loads(client.get(reverse("reports:publication_json", args=[*DOC, "report-6", 1])).content)
    assert P in strings(data)


def test_the_oversight_dashboard_shows_the_organisation_name_as_text(client, world, oversight):
    client.force_login(oversight)
    response = client.get(reverse("measures:oversight"), {"fiscal_year": "2566"})
    assert response.status_code == 200
    html = response.content.decode()
    assert_inert(html)
    assert ESCAPED in html


# --- Links that could run script are refused -------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "javascript://example.go.th/%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_an_evidence_link_that_is_not_a_web_address_is_refused(staff, measure, report, nothing_changes, typed):
    with nothing_changes():
        response = staff.post(
            reverse("measures:evidence_add", args=[*DOC, 6, measure.pk]), {"title": "ลิงก์", "url": typed}
        )
    assert response.status_code == 302
    assert thai_messages(response) == ["กรุณากรอกลิงก์ที่ถูกต้อง เช่น https://…"]


@pytest.mark.parametrize(
    "typed", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.go.th/o1"]
)
def test_an_oit_link_that_is_not_http_is_refused(staff, document, nothing_changes, typed):
    with nothing_changes():
        response = staff.post(reverse("reports:oit_edit", args=DOC), {"item_code": "O1", "title": "ข้อมูล", "url": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["url"] == [
        "ที่อยู่เว็บไม่ถูกต้อง กรุณากรอกที่อยู่เต็มที่ขึ้นต้นด้วย http:// หรือ https:// เช่น https://www.example.go.th/ita/o1"
    ]
