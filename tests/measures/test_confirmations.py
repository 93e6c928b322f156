"""Every delete of staff content asks first, in Thai, on a page that works without JavaScript.

A GET (or a POST without confirmed=1) shows what will be deleted and deletes nothing; only the
POST of the page's button (confirmed=1) deletes. Whoever may not delete is refused the page
with the same 403/404 as the delete itself.
"""

from dataclasses import dataclass

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from measures import services
from measures.models import Evidence, Finding, Measure, MeasureStep, ProgressEntry, Theme
from measures.services import MeasureData
from measures.views.confirm import confirm_page, is_confirmed
from reports.models import OitEntry

pytestmark = pytest.mark.django_db

DOC = ["test-town", 2566]
HISTORY_KEPT = "ประวัติการแก้ไขยังเก็บไว้ในระบบ"


@pytest.fixture
def world(document, theme, measure, officer, organisation):
    """A 2566 draft with one thing of each kind to delete; `measure` holds the evidence, `spare` nothing."""
    empty_theme = services.theme_save(document=document, by=officer, number=2, title="ด้านที่ยังไม่มีมาตรการ")
    finding = services.finding_save(document=document, by=officer, kind="improve", text="การเปิดเผยข้อมูลยังไม่ครบ")
    spare = services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(title="จัดอบรมคุณธรรมให้พนักงาน", number=2, theme=theme, all_units=True, steps=["จัดทำหลักสูตร"]),
    )
    report = services.report_start(document=document, round_months=6, by=officer)
    evidence = services.evidence_add(
        entry=report.entries.get(measure=measure),
        by=officer,
        title="ภาพการประชุม",
        file=SimpleUploadedFile("meeting.pdf", b"%PDF-1.4 test"),
    )
    oit_entry = OitEntry.objects.create(
        organisation=organisation,
        fiscal_year=2566,
        item_code="O1",
        title="โครงสร้าง",
        url="https://www.test-town.go.th/o1",
        created_by=officer,
    )
    return {
        "finding": finding,
        "theme": empty_theme,
        "measure": spare,
        "evidence": evidence,
        "oit": oit_entry,
        "evidence_measure": measure,
    }


@dataclass
class Delete:
    url_name: str
    args: callable  # world → URL arguments
    model: type
    says: str  # what the page says about the object
    back: callable  # world → the cancel URL


DELETES = {
    "finding": Delete(
        "measures:finding_delete",
        lambda w: [*DOC, w["finding"].pk],
        Finding,
        "การเปิดเผยข้อมูลยังไม่ครบ",
        lambda w: reverse("measures:document_detail", args=DOC),
    ),
    "theme": Delete(
        "measures:theme_delete",
        lambda w: [*DOC, w["theme"].pk],
        Theme,
        "ด้านที่ 2 ด้านที่ยังไม่มีมาตรการ",
        lambda w: reverse("measures:document_detail", args=DOC),
    ),
    "measure": Delete(
        "measures:measure_delete",
        lambda w: [*DOC, w["measure"].pk],
        Measure,
        "มาตรการ 1.2 จัดอบรมคุณธรรมให้พนักงาน",
        lambda w: reverse("measures:measure_detail", args=[*DOC, w["measure"].pk]),
    ),
    "evidence": Delete(
        "measures:evidence_delete",
        lambda w: ["test-town", w["evidence"].pk],
        Evidence,
        "ภาพการประชุม",
        lambda w: reverse("measures:entry_edit", args=[*DOC, 6, w["evidence_measure"].pk]),
    ),
    "oit": Delete(
        "reports:oit_delete",
        lambda w: [*DOC, w["oit"].pk],
        OitEntry,
        "ข้อ O1 โครงสร้าง",
        lambda w: reverse("reports:oit_edit", args=DOC),
    ),
}


def url(kind: str, world) -> str:
    return reverse(DELETES[kind].url_name, args=DELETES[kind].args(world))


def still_there(kind: str, world) -> bool:
    return DELETES[kind].model.objects.filter(pk=world[kind].pk).exists()


@pytest.mark.parametrize("kind", list(DELETES))
def test_opening_a_delete_shows_the_thai_confirmation_and_deletes_nothing(kind, world, client_for, officer):
    response = client_for(officer).get(url(kind, world))
    assert response.status_code == 200
    assert DELETES[kind].says in response.text
    assert HISTORY_KEPT in response.text
    assert 'name="confirmed" value="1"' in response.text
    assert f'action="{url(kind, world)}"' in response.text
    assert f'href="{DELETES[kind].back(world)}">ยกเลิก</a>' in response.text
    assert still_there(kind, world)


@pytest.mark.parametrize("kind", list(DELETES))
def test_a_post_without_confirmed_deletes_nothing(kind, world, client_for, officer):
    response = client_for(officer).post(url(kind, world), {"confirmed": "yes"})
    assert response.status_code == 200
    assert 'name="confirmed" value="1"' in response.text
    assert still_there(kind, world)


@pytest.mark.parametrize("kind", list(DELETES))
def test_the_confirmed_post_deletes(kind, world, client_for, officer):
    response = client_for(officer).post(url(kind, world), {"confirmed": "1"})
    assert response.status_code == 302
    assert not still_there(kind, world)


@pytest.mark.parametrize(("persona", "status"), [("approver", 403), ("oversight", 403), ("outsider", 404)])
@pytest.mark.parametrize("kind", list(DELETES))
def test_who_may_not_delete_is_refused_the_confirmation_page_too(kind, persona, status, world, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(kind, world)).status_code == status
    assert client.post(url(kind, world), {"confirmed": "1"}).status_code == status
    assert still_there(kind, world)


@pytest.mark.parametrize("kind", ["finding", "theme", "measure", "oit"])
def test_a_contributor_is_refused_the_confirmation_of_what_only_editors_delete(kind, world, client_for, contributor):
    assert client_for(contributor).get(url(kind, world)).status_code == 403
    assert still_there(kind, world)


def test_a_contributor_may_confirm_deleting_the_evidence_of_her_unit(world, client_for, contributor):
    client = client_for(contributor)
    assert client.get(url("evidence", world)).status_code == 200
    assert client.post(url("evidence", world), {"confirmed": "1"}).status_code == 302
    assert not still_there("evidence", world)


def test_the_measure_confirmation_says_its_steps_and_progress_go_with_it_and_they_do(world, client_for, officer):
    client = client_for(officer)
    page = client.get(url("measure", world))
    assert "ขั้นตอน/วิธีการ ผู้รับผิดชอบ" in page.text
    assert "ผลการดำเนินการของมาตรการนี้ในทุกรอบจะถูกลบด้วย" in page.text
    client.post(url("measure", world), {"confirmed": "1"})
    assert not MeasureStep.objects.filter(measure_id=world["measure"].pk).exists()
    assert not ProgressEntry.objects.filter(measure_id=world["measure"].pk).exists()


def test_the_theme_confirmation_says_a_theme_with_measures_cannot_go(world, theme, client_for, officer):
    client = client_for(officer)
    page = client.get(reverse("measures:theme_delete", args=[*DOC, theme.pk]))
    assert "ขณะนี้ด้านนี้ยังมีมาตรการอยู่ 2 มาตรการ" in page.text
    response = client.post(reverse("measures:theme_delete", args=[*DOC, theme.pk]), {"confirmed": "1"}, follow=True)
    assert "กรุณาย้ายหรือลบมาตรการก่อน" in response.text
    assert Theme.objects.filter(pk=theme.pk).exists()


def test_the_evidence_confirmation_says_the_file_is_kept(world, client_for, officer):
    page = client_for(officer).get(url("evidence", world))
    assert "ไฟล์ meeting.pdf จะไม่แสดงในผลการดำเนินการอีก แต่ตัวไฟล์ยังเก็บไว้ในระบบ" in page.text


@pytest.mark.parametrize(
    ("page", "kind"),
    [
        (lambda w: reverse("measures:document_detail", args=DOC), "finding"),
        (lambda w: reverse("measures:document_detail", args=DOC), "theme"),
        (lambda w: reverse("measures:measure_detail", args=[*DOC, w["measure"].pk]), "measure"),
        (lambda w: reverse("measures:entry_edit", args=[*DOC, 6, w["evidence_measure"].pk]), "evidence"),
        (lambda w: reverse("reports:oit_edit", args=DOC), "oit"),
    ],
)
def test_the_delete_buttons_are_links_to_the_confirmation(page, kind, world, client_for, officer):
    html = client_for(officer).get(page(world)).text
    assert f'href="{url(kind, world)}"' in html
    assert f'action="{url(kind, world)}"' not in html


# --- The helper ----------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label="เหตุผล", widget=forms.Textarea)


def test_the_helper_sends_back_hidden_inputs_and_shows_a_form(officer):
    request = RequestFactory().get("/staff/x/delete/")
    request.user = officer
    response = confirm_page(
        request,
        title="ถอนการเผยแพร่หรือไม่",
        lead="ฉบับที่ 2 จะไม่แสดงต่อสาธารณะ",
        consequences=["ลิงก์เดิมจะแจ้งเหตุผล"],
        button="ถอน",
        cancel_url="/staff/",
        danger=False,
        extra_context={"hidden": [("version", "2")], "form": ReasonForm()},
        status=400,
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert '<input type="hidden" name="version" value="2">' in html
    assert 'action="/staff/x/delete/"' in html
    assert 'name="reason"' in html
    assert '<button type="submit">ถอน</button>' in html


def test_only_a_post_with_confirmed_1_counts_as_confirmed():
    factory = RequestFactory()
    assert is_confirmed(factory.post("/", {"confirmed": "1"}))
    assert not is_confirmed(factory.post("/", {"confirmed": "0"}))
    assert not is_confirmed(factory.post("/"))
    assert not is_confirmed(factory.get("/", {"confirmed": "1"}))
