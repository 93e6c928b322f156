"""Staff print views: the HTML preview and the PDF of a document, a report and a memo.

Who may open them: the organisation's officers, admins and approvers; not its unit
contributors nor its oversight (403: oversight sees states, and content once published),
not another organisation (404), not an anonymous visitor (login).
"""

import pytest
from django.urls import reverse

from measures import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(measure, document, officer):  # noqa: F811
    return services.report_start(document=document, round_months=6, by=officer)


def urls(submission, report) -> dict[str, str]:  # noqa: F811
    return {
        "document_print": reverse("reports:document_print", args=["test-town", 2566]),
        "document_pdf": reverse("reports:document_pdf", args=["test-town", 2566]),
        "report_print": reverse("reports:report_print", args=["test-town", 2566, 6]),
        "report_pdf": reverse("reports:report_pdf", args=["test-town", 2566, 6]),
        "memo_print": reverse("reports:memo_print", args=["test-town", submission.pk]),
        "memo_pdf": reverse("reports:memo_pdf", args=["test-town", submission.pk]),
    }


NAMES = ["document_print", "document_pdf", "report_print", "report_pdf", "memo_print", "memo_pdf"]


@pytest.fixture
def all_urls(submission, report):  # noqa: F811
    return urls(submission, report)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("persona", ["officer", "org_admin", "approver"])
def test_the_organisation_reads_every_printed_document(name, persona, request, client, all_urls):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(all_urls[name])
    assert response.status_code == 200
    if name.endswith("pdf"):
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("inline; filename=")
    else:
        assert "เทศบาลตำบลทดสอบ" in response.text


@pytest.mark.parametrize("name", NAMES)
def test_a_unit_contributor_may_not_print(name, client, contributor, all_urls):
    client.force_login(contributor)
    assert client.get(all_urls[name]).status_code == 403


@pytest.mark.parametrize("name", NAMES)
def test_oversight_may_not_print_a_document_before_it_is_published(name, client, oversight, all_urls):
    client.force_login(oversight)
    assert client.get(all_urls[name]).status_code == 403


@pytest.mark.parametrize("name", NAMES)
def test_another_organisation_finds_nothing(name, client, outsider, all_urls):
    client.force_login(outsider)
    assert client.get(all_urls[name]).status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_an_anonymous_visitor_is_sent_to_log_in(name, client, all_urls):
    response = client.get(all_urls[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_memo_is_not_found_under_another_organisation_s_address(client, outsider, submission):  # noqa: F811
    other = outsider.memberships.get().organisation
    client.force_login(outsider)
    assert client.get(reverse("reports:memo_print", args=[other.slug, submission.pk])).status_code == 404


def test_a_round_not_started_has_no_printed_report(client, officer, measure):  # noqa: F811
    client.force_login(officer)
    response = client.get(reverse("reports:report_print", args=["test-town", 2566, 12]))
    assert response.status_code == 404


def test_the_preview_is_the_same_html_as_the_pdf_source(client, officer, measure):  # noqa: F811
    client.force_login(officer)
    html = client.get(reverse("reports:document_print", args=["test-town", 2566])).text
    assert "๑.๑ เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง" in html  # the organisation prints Thai digits
    assert "/static/css/print.css" in html
