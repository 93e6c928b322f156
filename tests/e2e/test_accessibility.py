"""WCAG 2.1 AA (axe-core) on every public page and the main staff pages, at desktop and phone widths.

One demo world serves every page (loading the demo is the slow part): ทต.เขาหัวช้าง's 12-month
report published, its measures document published and withdrawn, ทต.บ่อพลอย's measures waiting
for its first approver, ทต.ถาวร's documents in draft. Serious and critical violations fail the
test; moderate and minor ones are listed at the end of the run. Reports: test-output/axe/.
"""

import pytest
from django.contrib.auth import get_user_model

from measures import services, workflow
from measures.devdata.demo import DEMO_PASSWORD, load_demo
from measures.models import Measure, MeasuresDocument, ProgressReport
from reports import publishing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 667}}


def _approve(target, *, by, approver):
    submission = workflow.submit(target=target, by=by)
    while submission.status == submission.Status.PENDING:
        workflow.decide(submission=submission, by=approver, approve=True)
        submission.refresh_from_db()
    target.refresh_from_db()


@pytest.fixture
def world(db):
    load_demo()
    users = get_user_model().objects
    officer, approver = users.get(username="officer"), users.get(username="approver")
    report = ProgressReport.objects.get(document__organisation__slug="khao-hua-chang", round=12)
    _approve(report, by=officer, approver=approver)
    live = publishing.publish(target=report, by=officer)
    document = MeasuresDocument.objects.get(organisation__slug="khao-hua-chang", fiscal_year=2566)
    _approve(document, by=officer, approver=approver)
    publishing.withdraw(
        publication=publishing.publish(target=document, by=officer),
        by=officer,
        reason="พบข้อมูลผู้รับผิดชอบไม่ถูกต้อง จะเผยแพร่ฉบับแก้ไขแทน",
    )
    bo_phloi = MeasuresDocument.objects.get(organisation__slug="bo-phloi", fiscal_year=2565)
    submission = workflow.submit(target=bo_phloi, by=users.get(username="bp-officer"))
    thawon = Measure.objects.filter(document__organisation__slug="thawon", document__fiscal_year=2566).first()
    # Something in ทต.ถาวร's trash, so that its page shows a row.
    draft = thawon.document
    services.theme_delete(
        theme=services.theme_save(document=draft, by=officer, number=99, title="ด้านที่ลบแล้ว"), by=officer
    )
    return {"review": submission.pk, "measure": thawon.pk, "publication": live.pk}


def pages(world) -> dict[str | None, dict[str, str]]:
    """Who looks (None: a citizen) → page name → path."""
    khc, thawon = "/staff/khao-hua-chang/measures/2566", "/staff/thawon/measures/2566"
    return {
        None: {
            "public-home": "/",
            "public-search": "/?q=พัทลุง",
            "public-organisation": "/khao-hua-chang/",
            "public-document-latest": "/khao-hua-chang/2566/report-12/",
            "public-document-v1": "/khao-hua-chang/2566/report-12/v1/",
            "public-withdrawn-410": "/khao-hua-chang/2566/measures/",
            "public-oit": "/khao-hua-chang/2566/oit/",
            "public-embed": "/khao-hua-chang/embed/",
            "public-404": "/no-such-organisation/",
            "staff-login": "/accounts/login/",
        },
        "officer": {
            "staff-dashboard": "/staff/",
            "staff-organisation": "/staff/khao-hua-chang/",
            "staff-document": f"{khc}/",
            "staff-print-preview": f"{khc}/print/",
            "staff-round": f"{khc}/rounds/12/",
            "staff-measure-form": f"{thawon}/m/{world['measure']}/edit/",
            "staff-measure-detail": f"{thawon}/m/{world['measure']}/",
            "staff-delete-confirmation": f"{thawon}/m/{world['measure']}/delete/",
            "staff-submit-check": f"{thawon}/submit/",
            "staff-publish-confirmation": f"{khc}/publish/",
            "staff-withdraw-confirmation": f"/staff/khao-hua-chang/publications/{world['publication']}/withdraw/",
            "staff-entry-form": f"{thawon}/rounds/6/{world['measure']}/",
            "staff-import": f"{thawon}/import/",
            "staff-measure-list": f"{khc}/m/",
            "staff-measure-list-filtered": f"{thawon}/m/?q=การ",
            "staff-round-grid": f"{thawon}/rounds/6/grid/",
            "staff-round-import": f"{thawon}/rounds/6/import/",
            "staff-word-import": f"{thawon}/import/word/",
            "staff-suggestions": "/staff/khao-hua-chang/ita/2565/suggestions/?indicator=9",
            "staff-trash": f"{thawon}/trash/",
            "staff-memo": f"/staff/bo-phloi/reviews/{world['review']}/memo/",
        },
        "bp-general": {
            "staff-inbox": "/staff/inbox/",
            "staff-review": f"/staff/bo-phloi/reviews/{world['review']}/",
        },
        "oversight": {
            "staff-oversight": "/staff/oversight/?year=2566",
        },
    }


def test_every_page_meets_wcag_21_aa_on_desktop_and_phone(page, live_server, axe, world):
    expected_status = {"public-withdrawn-410": 410, "public-404": 404}
    blocking: list[str] = []
    for username, named_paths in pages(world).items():
        page.context.clear_cookies()
        if username:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/staff/")
        for name, path in named_paths.items():
            page.set_viewport_size(WIDTHS["desktop"])
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == expected_status.get(name, 200), f"{name}: {path}"
            for width, viewport in WIDTHS.items():
                page.set_viewport_size(viewport)  # the page reflows (media queries) as on a real phone
                blocking += axe(f"{name}-{width}")
    assert not blocking, "Serious or critical accessibility violations:\n" + "\n".join(blocking)
