"""The limitations of each ITA tool and the introductions of a measures document: the writes
(measures.sections), the staff pages that call them, and the finding form that now points
limitations to their own section (issue 17)."""

import pytest
from django.urls import reverse

from measures import editions, sections, services, workflow
from measures.models import DocumentStatus, Finding, Framework, ToolLimitation
from measures.services import ConcurrentEditError, ServiceError

pytestmark = pytest.mark.django_db

DOC = ["test-town", 2566]


@pytest.fixture
def tools():
    """The tools of ITA 2565, which the 2566 document analyses."""
    return {t.code: t for t in Framework.objects.get(year=2565).tools.all()}


def save(document, officer, tool, text="ผู้ตอบแบบวัดมีจำนวนน้อย", **kwargs):
    return sections.limitation_save(document=document, by=officer, tool=tool, text=text, **kwargs)


# --- The service ------------------------------------------------------------------------------


def test_a_limitation_is_saved_and_recorded_with_who_wrote_it(document, officer, tools):
    limitation = save(document, officer, tools["IIT"], text="  ผู้ตอบแบบวัดมีจำนวนน้อย \n")
    assert (limitation.document, limitation.tool.code, limitation.text) == (document, "IIT", "ผู้ตอบแบบวัดมีจำนวนน้อย")
    assert limitation.history.get().history_user == officer


def test_a_tool_has_one_limitation_per_document(document, officer, tools):
    first = save(document, officer, tools["IIT"])
    with pytest.raises(ServiceError, match="มีข้อจำกัดของเครื่องมือ IIT ในเอกสารนี้แล้ว"):
        save(document, officer, tools["IIT"], text="อีกข้อ")
    other = save(document, officer, tools["EIT"])
    with pytest.raises(ServiceError, match="IIT"):  # moving EIT's onto IIT's
        save(document, officer, tools["IIT"], limitation=other)
    assert sorted(document.limitations.values_list("pk", "tool__code")) == [(first.pk, "IIT"), (other.pk, "EIT")]


def test_a_tool_of_another_year_and_an_empty_text_are_refused_in_thai(document, officer):
    other_year = Framework.objects.get(year=2566).tools.get(code="IIT")
    with pytest.raises(ServiceError, match="ไม่อยู่ในกรอบการประเมิน ITA ที่เอกสารนี้ใช้วิเคราะห์"):
        save(document, officer, other_year)
    iit = Framework.objects.get(year=2565).tools.get(code="IIT")
    with pytest.raises(ServiceError, match="กรุณากรอกข้อจำกัด"):
        save(document, officer, iit, text=" \n ")
    assert not ToolLimitation.objects.exists()


def test_a_limitation_is_changed_and_deleted(document, officer, tools):
    limitation = save(document, officer, tools["IIT"])
    save(document, officer, tools["OIT"], text="ข้อความใหม่", limitation=limitation)
    limitation.refresh_from_db()
    assert (limitation.tool.code, limitation.text) == ("OIT", "ข้อความใหม่")
    sections.limitation_delete(limitation=limitation, by=officer)
    assert not document.limitations.exists()
    sections.limitation_delete(limitation=limitation, by=officer)  # deleted twice: nothing left to do


def test_a_limitation_deleted_meanwhile_is_not_written_back(document, officer, tools):
    limitation = save(document, officer, tools["IIT"])
    ToolLimitation.objects.filter(pk=limitation.pk).delete()
    with pytest.raises(ServiceError, match="ถูกลบไปแล้ว"):
        save(document, officer, tools["IIT"], limitation=limitation)
    assert not ToolLimitation.objects.exists()


def test_nothing_is_written_into_a_document_that_is_not_a_draft(submission, document, officer, tools):
    limitation = ToolLimitation.objects.create(document=document, tool=tools["IIT"], text="ก่อนเสนอ")
    refused = "อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว"
    with pytest.raises(ServiceError, match=refused):
        save(document, officer, tools["EIT"])
    with pytest.raises(ServiceError, match=refused):
        save(document, officer, tools["IIT"], text="แก้หลังเสนอ", limitation=limitation)
    with pytest.raises(ServiceError, match=refused):
        sections.limitation_delete(limitation=limitation, by=officer)
    with pytest.raises(ServiceError, match=refused):
        sections.document_texts_update(
            document=document, by=officer, revision=None, title="ใหม่", introduction="", measures_introduction="ใหม่"
        )
    limitation.refresh_from_db()
    document.refresh_from_db()
    assert (limitation.text, list(document.limitations.all()), document.measures_introduction) == (
        "ก่อนเสนอ",
        [limitation],
        "",
    )


def test_the_introductions_are_saved_with_the_title_and_a_stale_form_is_refused(document, officer):
    revision = document.revision
    sections.document_texts_update(
        document=document,
        by=officer,
        revision=revision,
        title="ชื่อใหม่",
        introduction="บทนำ",
        analysis_introduction="บทนำของผลการวิเคราะห์",
        measures_introduction="บทนำของมาตรการ",
    )
    document.refresh_from_db()
    assert (document.title, document.analysis_introduction, document.measures_introduction) == (
        "ชื่อใหม่",
        "บทนำของผลการวิเคราะห์",
        "บทนำของมาตรการ",
    )
    with pytest.raises(ConcurrentEditError):
        sections.document_texts_update(
            document=document, by=officer, revision=revision, title="เก่า", introduction="", analysis_introduction=""
        )
    document.refresh_from_db()
    assert document.analysis_introduction == "บทนำของผลการวิเคราะห์"


def test_the_edition_carries_the_limitations_in_the_order_of_the_tools(document, officer, tools):
    for code in ("OIT", "IIT"):
        save(document, officer, tools[code], text=f"ข้อจำกัดของ {code}")
    data = editions.edition_data(document)
    assert [(x["tool"], x["text"]) for x in data["limitations"]] == [("IIT", "ข้อจำกัดของ IIT"), ("OIT", "ข้อจำกัดของ OIT")]
    assert "ข้อจำกัดของการประเมิน" not in editions.readiness(document, data).left_out


# --- The staff pages ----------------------------------------------------------------------------


def test_the_officer_adds_a_limitation_for_a_tool_offered_on_the_document_page(document, officer, client, tools):
    client.force_login(officer)
    page = client.get(reverse("measures:document_detail", args=DOC)).content.decode()
    new = reverse("measures:limitation_new", args=DOC)
    for code in ("IIT", "EIT", "OIT"):
        assert f"{new}?tool={tools[code].pk}" in page
    form = client.get(f"{new}?tool={tools['EIT'].pk}").content.decode()
    assert f'<option value="{tools["EIT"].pk}" selected>' in form
    response = client.post(new, {"tool": tools["EIT"].pk, "text": "ผู้รับบริการตอบแบบวัดน้อย"})
    assert response.status_code == 302
    limitation = document.limitations.get()
    assert (limitation.tool.code, limitation.text) == ("EIT", "ผู้รับบริการตอบแบบวัดน้อย")
    page = client.get(reverse("measures:document_detail", args=DOC)).content.decode()
    assert "ข้อจำกัดของเครื่องมือ EIT" in page and "ผู้รับบริการตอบแบบวัดน้อย" in page
    assert f"{new}?tool={tools['EIT'].pk}" not in page  # EIT has its limitation: edit it instead
    assert reverse("measures:limitation_edit", args=[*DOC, limitation.pk]) in page


def test_bad_input_gets_a_thai_message_and_changes_nothing(document, officer, client, tools):
    save(document, officer, tools["IIT"], text="เดิม")
    client.force_login(officer)
    new = reverse("measures:limitation_new", args=DOC)
    other_year = Framework.objects.get(year=2566).tools.get(code="EIT")
    cases = {
        "มีข้อจำกัดของเครื่องมือ IIT ในเอกสารนี้แล้ว": {"tool": tools["IIT"].pk, "text": "ซ้ำ"},
        "กรุณาเลือกเครื่องมือของปีที่วิเคราะห์": {"tool": other_year.pk, "text": "ปีอื่น"},
        "กรุณาเลือกเครื่องมือ": {"text": "ไม่เลือก"},
        "กรุณากรอกข้อจำกัด": {"tool": tools["EIT"].pk, "text": "   "},
    }
    for message, data in cases.items():
        response = client.post(new, data)
        assert response.status_code == 200, message
        assert message in response.content.decode(), message
    assert list(document.limitations.values_list("tool__code", "text")) == [("IIT", "เดิม")]


def test_the_officer_edits_and_deletes_a_limitation_after_confirming(document, officer, client, tools):
    limitation = save(document, officer, tools["IIT"])
    client.force_login(officer)
    edit = reverse("measures:limitation_edit", args=[*DOC, limitation.pk])
    assert "ผู้ตอบแบบวัดมีจำนวนน้อย" in client.get(edit).content.decode()
    assert client.post(edit, {"tool": tools["IIT"].pk, "text": "แก้ไขแล้ว"}).status_code == 302
    limitation.refresh_from_db()
    assert limitation.text == "แก้ไขแล้ว"
    delete = reverse("measures:limitation_delete", args=[*DOC, limitation.pk])
    confirm = client.get(delete).content.decode()
    assert "ลบข้อจำกัดนี้หรือไม่" in confirm and "แก้ไขแล้ว" in confirm
    assert client.post(delete).status_code == 200  # without confirmed=1: the page again
    assert document.limitations.exists()
    assert client.post(delete, {"confirmed": "1"}).status_code == 302
    assert not document.limitations.exists()


def test_a_submitted_document_refuses_a_limitation_with_a_thai_message(submission, document, officer, client, tools):
    client.force_login(officer)
    response = client.post(reverse("measures:limitation_new", args=DOC), {"tool": tools["IIT"].pk, "text": "หลังเสนอ"})
    assert response.status_code == 200
    assert "อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้" in response.content.decode()
    assert not document.limitations.exists()
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED


def test_a_limitation_of_another_organisation_is_not_found(document, officer, outsider, client, tools):
    limitation = save(document, officer, tools["IIT"])
    other = services.document_create(
        organisation=outsider.memberships.get().organisation, fiscal_year=2566, by=outsider
    )
    client.force_login(outsider)
    for name in ("limitation_edit", "limitation_delete"):
        url = reverse(f"measures:{name}", args=[other.organisation.slug, 2566, limitation.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"tool": tools["IIT"].pk, "text": "x", "confirmed": "1"}).status_code == 404
    limitation.refresh_from_db()
    assert limitation.text == "ผู้ตอบแบบวัดมีจำนวนน้อย"


def test_the_document_form_edits_the_introductions_of_each_section(document, officer, client):
    client.force_login(officer)
    url = reverse("measures:document_edit", args=DOC)
    page = client.get(url).content.decode()
    assert "บทนำของผลการวิเคราะห์" in page and "บทนำของมาตรการ" in page
    response = client.post(
        url,
        {
            "revision": document.revision,
            "title": document.title,
            "introduction": "",
            "analysis_introduction": "จากผลการประเมิน พบว่า",
            "measures_introduction": "จึงกำหนดมาตรการ ดังนี้",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.analysis_introduction, document.measures_introduction) == (
        "จากผลการประเมิน พบว่า",
        "จึงกำหนดมาตรการ ดังนี้",
    )
    page = client.get(reverse("measures:document_detail", args=DOC)).content.decode()
    assert "จากผลการประเมิน พบว่า" in page and "จึงกำหนดมาตรการ ดังนี้" in page


# --- The finding form ---------------------------------------------------------------------------


def test_the_finding_form_explains_the_printed_heading_and_sends_limitations_to_their_section(
    document, officer, client
):
    client.force_login(officer)
    url = reverse("measures:finding_new", args=DOC)
    page = client.get(url).content.decode()
    assert "ประเด็นที่ 1 การเปิดเผยข้อมูล" in page and "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล" in page
    assert 'value="limitation"' not in page and "ข้อจำกัดของการประเมิน" in page
    response = client.post(url, {"kind": "limitation", "text": "ข้อจำกัดแบบเดิม"})
    assert response.status_code == 200 and not document.findings.exists()


def test_a_finding_saved_as_a_limitation_keeps_its_kind_when_edited(document, officer, client):
    old = services.finding_save(document=document, by=officer, kind=Finding.Kind.LIMITATION, text="ข้อจำกัดแบบเดิม")
    client.force_login(officer)
    url = reverse("measures:finding_edit", args=[*DOC, old.pk])
    assert 'value="limitation" selected' in client.get(url).content.decode()
    assert client.post(url, {"kind": "limitation", "text": "ข้อจำกัดแบบเดิมที่แก้"}).status_code == 302
    old.refresh_from_db()
    assert (old.kind, old.text) == (Finding.Kind.LIMITATION, "ข้อจำกัดแบบเดิมที่แก้")


def test_submitting_freezes_the_limitations_and_introductions(chain, measure, document, officer, tools):
    save(document, officer, tools["OIT"], text="ข้อจำกัดของ OIT")
    sections.document_texts_update(
        document=document,
        by=officer,
        revision=None,
        title=document.title,
        introduction="",
        measures_introduction="บทนำ",
    )
    snapshot = workflow.submit(target=document, by=officer).snapshot
    assert snapshot["limitations"][0]["text"] == "ข้อจำกัดของ OIT"
    assert (snapshot["analysis_introduction"], snapshot["measures_introduction"]) == ("", "บทนำ")
