"""Findings print under the heading the officer gave them; the introductions of the analysis and
of the measures and the limitations of each tool print where documents have them; editions
frozen before these existed print as they were approved; the recomputation check of the ITA
scores is a note for the officer, never printed in an official document (issue 17)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from measures import editions, sections, services, workflow
from measures.models import Finding, Framework, ToolLimitation
from reports import publishing, rendering
from tests.chain import approve_all
from tests.reports.test_publishing import pdf_text, squeeze, stored_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    """ITA 2565, which a 2566 document analyses."""
    return Framework.objects.prefetch_related("tools", "indicators").get(year=2565)


def tool(framework, code):
    return framework.tools.get(code=code)


def indicator(framework, number):
    return framework.indicators.get(number=number)


def finding(document, officer, text, **fields):
    return services.finding_save(document=document, by=officer, text=text, **fields)


def text_of(html: str) -> str:
    """The text of some HTML, tags dropped (the print wraps words it keeps whole in spans)."""
    return re.sub(r"\s+", " ", re.sub(r"<(?!/?h[23])[^>]*>", "", html)).strip()


def analysis_section(html: str) -> str:
    """The printed analysis, as text with its h2 and h3 tags: from its heading to the next section's."""
    text = text_of(html)
    start = text.index("ผลการวิเคราะห์</h2>")
    return text[start : text.index("<h2>", start)]


def headings(text: str, kind: str) -> list[str]:
    return [h.strip() for h in re.findall(rf'<h3 class="{kind}-heading">(.*?)</h3>', text)]


# --- Headings ----------------------------------------------------------------------------------


def test_a_finding_prints_the_issue_area_as_typed_then_its_indicators_then_its_kind(
    document, measure, officer, framework, organisation
):
    organisation.thai_digits = False
    organisation.save(update_fields=["thai_digits"])
    oit = tool(framework, "OIT")
    finding(document, officer, "ข้อความข้อหนึ่ง", kind="improve", tool=oit, issue_area="ประเด็นที่ 1 การเปิดเผยข้อมูล")
    finding(document, officer, "ข้อความข้อสอง", kind="urgent", tool=oit, indicators=[indicator(framework, 9)])
    finding(
        document, officer, "ข้อความข้อสาม", kind="improve", indicators=[indicator(framework, 9), indicator(framework, 10)]
    )
    finding(document, officer, "ข้อความข้อสี่", kind="improve")
    # Her own heading wins over the indicators she also linked.
    finding(document, officer, "ข้อความข้อห้า", issue_area="2) ช่องทางร้องเรียน", indicators=[indicator(framework, 10)])

    printed = analysis_section(rendering.target_html(document))

    assert headings(printed, "finding") == [
        "ประเด็นที่ 1 การเปิดเผยข้อมูล (OIT)",
        "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล (OIT)",
        "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล และตัวชี้วัดที่ 10 การป้องกันการทุจริต",
        "ประเด็นที่ต้องพัฒนาให้ดีขึ้น",
        "2) ช่องทางร้องเรียน",
    ]
    # Each heading is followed by its own text, which is no longer headed by the kind.
    assert printed.index("ประเด็นที่ 1 การเปิดเผยข้อมูล (OIT)") < printed.index("ข้อความข้อหนึ่ง")
    assert "ข้อบกพร่องหรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน" not in printed


def test_headings_print_with_thai_digits_in_a_thai_digit_document(document, measure, officer, framework):
    finding(document, officer, "ข้อความ", tool=tool(framework, "OIT"), indicators=[indicator(framework, 9)])
    finding(document, officer, "ข้อความ", issue_area="ประเด็นที่ 2 การใช้งบประมาณ")
    printed = analysis_section(rendering.target_html(document))
    assert "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล (OIT)" in printed
    assert "ประเด็นที่ ๒ การใช้งบประมาณ" in printed


def test_findings_in_a_row_under_one_heading_print_it_once(document, measure, officer, framework):
    for text in ("ข้อแรกของประเด็น", "ข้อสองของประเด็น"):
        finding(document, officer, text, issue_area="ประเด็นที่ 1 การเปิดเผยข้อมูล")
    finding(document, officer, "ข้อของอีกประเด็น", issue_area="ประเด็นที่ 2 การใช้งบประมาณ")
    printed = analysis_section(rendering.target_html(document))
    assert printed.count("การเปิดเผยข้อมูล</h3>") == 1
    assert [printed.count(x) for x in ("ข้อแรกของประเด็น", "ข้อสองของประเด็น", "ข้อของอีกประเด็น")] == [1, 1, 1]


def test_a_finding_saved_as_a_limitation_still_prints_among_the_findings(document, measure, officer):
    finding(document, officer, "ข้อจำกัดที่บันทึกแบบเดิม", kind=Finding.Kind.LIMITATION)
    printed = analysis_section(rendering.target_html(document))
    assert headings(printed, "finding") == ["ข้อจำกัด"] and "ข้อจำกัดที่บันทึกแบบเดิม" in printed
    assert "ข้อจำกัดของการประเมิน" not in rendering.target_html(document)  # no limitations of a tool


# --- Introductions and limitations -------------------------------------------------------------


def test_the_introductions_print_under_their_headings_and_empty_ones_print_nothing(document, measure, officer):
    finding(document, officer, "ผลการวิเคราะห์ข้อเดียว")
    html = rendering.target_html(document)
    assert "analysis-introduction" not in html and "measures-introduction" not in html

    sections.document_texts_update(
        document=document,
        by=officer,
        revision=document.revision,
        title=document.title,
        introduction="",
        analysis_introduction="จากผลการประเมินปี 2565 พบว่า",
        measures_introduction="เทศบาลจึงกำหนดมาตรการ ดังนี้",
    )
    html = rendering.target_html(document)
    analysis = analysis_section(html)
    assert analysis.index("จากผลการประเมินปี ๒๕๖๕ พบว่า") < analysis.index("ผลการวิเคราะห์ข้อเดียว")
    text = text_of(html)
    measures_heading = text.index("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ปีงบประมาณ")
    assert measures_heading < text.index("เทศบาลจึงกำหนดมาตรการ ดังนี้") < text.index("มาตรการ/แนวทาง")


def test_an_analysis_introduction_alone_prints_the_analysis_heading(document, measure, officer):
    sections.document_texts_update(
        document=document,
        by=officer,
        revision=None,
        title=document.title,
        introduction="",
        analysis_introduction="บทนำ",
    )
    text = text_of(rendering.target_html(document))
    assert "๑. ผลการวิเคราะห์</h2>" in text and "๒. มาตรการส่งเสริม" in text


def test_the_limitations_print_as_their_own_section_after_the_findings_one_heading_per_tool(
    document, measure, officer, framework
):
    finding(document, officer, "ข้อความของผลการวิเคราะห์")
    # Entered in another order than the tools': printed IIT, EIT, OIT.
    for code in ("OIT", "IIT"):
        sections.limitation_save(document=document, by=officer, tool=tool(framework, code), text=f"ข้อจำกัด {code} 1 ข้อ")
    text = text_of(rendering.target_html(document))
    assert "๑. ผลการวิเคราะห์</h2>" in text
    assert "๒. ข้อจำกัดของการประเมิน</h2>" in text
    assert "๓. มาตรการส่งเสริม" in text
    section = text[text.index("ข้อจำกัดของการประเมิน</h2>") : text.index("๓. มาตรการส่งเสริม")]
    assert headings(section, "limitation") == ["ข้อจำกัดของเครื่องมือ IIT", "ข้อจำกัดของเครื่องมือ OIT"]
    assert section.index("ข้อจำกัด IIT ๑ ข้อ") < section.index("ข้อจำกัด OIT ๑ ข้อ")
    assert text.index("ข้อความของผลการวิเคราะห์") < text.index("ข้อจำกัดของการประเมิน</h2>")


def test_limitations_alone_print_without_findings(document, measure, officer, framework):
    sections.limitation_save(document=document, by=officer, tool=tool(framework, "EIT"), text="ผู้ตอบแบบวัดน้อย")
    text = text_of(rendering.target_html(document))
    assert "ผลการวิเคราะห์</h2>" not in text
    assert "๑. ข้อจำกัดของการประเมิน</h2>" in text and "ข้อจำกัดของเครื่องมือ EIT" in text


# --- Frozen editions ----------------------------------------------------------------------------


@pytest.fixture
def analysed(document, measure, officer, framework):
    """A draft with a headed finding, both introductions and the limitations of IIT."""
    finding(document, officer, "ข้อความที่อนุมัติ", issue_area="ประเด็นที่ 1 ที่อนุมัติ", tool=tool(framework, "OIT"))
    sections.limitation_save(document=document, by=officer, tool=tool(framework, "IIT"), text="ข้อจำกัดที่อนุมัติ")
    sections.document_texts_update(
        document=document,
        by=officer,
        revision=None,
        title=document.title,
        introduction="",
        analysis_introduction="บทนำการวิเคราะห์ที่อนุมัติ",
        measures_introduction="บทนำมาตรการที่อนุมัติ",
    )
    return document


def test_the_sections_are_frozen_with_the_edition(analysed, chain, heads, officer):
    submission = workflow.submit(target=analysed, by=officer)
    frozen = submission.snapshot
    assert frozen["analysis_introduction"] == "บทนำการวิเคราะห์ที่อนุมัติ"
    assert frozen["measures_introduction"] == "บทนำมาตรการที่อนุมัติ"
    assert frozen["limitations"] == [
        {"tool": "IIT", "tool_name": "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน", "text": "ข้อจำกัดที่อนุมัติ"}
    ]
    assert frozen["findings"][0]["indicator_names"] == []
    # A change that slipped past the services reaches neither the approvers nor the public.
    ToolLimitation.objects.update(text="ข้อจำกัดที่ไม่ได้อนุมัติ")
    type(analysed).objects.filter(pk=analysed.pk).update(measures_introduction="บทนำที่ไม่ได้อนุมัติ")
    approve_all(submission, heads)
    analysed.refresh_from_db()
    text = text_of(rendering.target_html(analysed))
    assert "ข้อจำกัดที่อนุมัติ" in text and "บทนำมาตรการที่อนุมัติ" in text
    assert "ไม่ได้อนุมัติ" not in text
    body = text_of(publishing.publish(target=analysed, by=officer).body_html)
    assert "ข้อจำกัดที่อนุมัติ" in body and "ไม่ได้อนุมัติ" not in body


def test_an_edition_frozen_before_headings_and_sections_prints_as_it_was_approved(analysed):
    data = editions.edition_data(analysed)
    old = {k: v for k, v in data.items() if k not in ("analysis_introduction", "measures_introduction", "limitations")}
    old["findings"] = [{k: v for k, v in f.items() if k != "indicator_names"} for f in data["findings"]]
    html = rendering.edition_html(old, draft=False)
    # The markup a finding had before issue 17, its kind in bold before its text.
    assert (
        '<p class="indent"><strong>ประเด็นที่ต้องพัฒนาให้ดีขึ้น (OIT)</strong> <span class="prewrap">ข้อความที่อนุมัติ</span></p>'
    ) in html
    text = text_of(html)
    assert "ประเด็นที่ ๑ ที่อนุมัติ" not in text
    for absent in ("finding-heading", "ข้อจำกัดของการประเมิน", "บทนำการวิเคราะห์", "บทนำมาตรการ"):
        assert absent not in text


# --- The recomputation check is for the officer only ---------------------------------------------


MISMATCH_WORDS = ("คำนวณ", "ไม่ตรง", "ตรวจสอบการคำนวณ")


@pytest.fixture
def mismatched(organisation, officer, framework):
    """ITA 2565 published as 91.00 although its indicators compute to 80.00."""
    return services.assessment_save(
        organisation=organisation,
        framework=framework,
        by=officer,
        indicator_scores={i: Decimal("80") for i in framework.indicators.all()},
        official_total=Decimal("91.00"),
    )


def test_the_recomputation_check_is_shown_to_staff_and_printed_in_no_official_document(
    mismatched, analysed, chain, heads, officer, client, tmp_path
):
    client.force_login(officer)
    staff = client.get(reverse("measures:assessment_detail", args=["test-town", 2565])).content.decode()
    assert "ไม่ตรงกับการคำนวณ" in staff  # the officer's check stays on her page

    draft_html = rendering.target_html(analysed)
    assert "๙๑.๐๐" in draft_html  # the published total is what documents print
    submission = approve_all(workflow.submit(target=analysed, by=officer), heads)
    analysed.refresh_from_db()
    assert submission.snapshot["assessment"]["mismatches"]  # frozen for the record, never printed
    publication = publishing.publish(target=analysed, by=officer)
    public_page = client.get(reverse("reports:publication_latest", args=["test-town", 2566, "measures"]))
    documents = {
        "draft print": draft_html,
        "approved print": rendering.target_html(analysed),
        "memo": rendering.memo_html(submission),
        "published HTML": publication.html,
        "published body": publication.body_html,
        "public page": public_page.content.decode(),
        "PDF": pdf_text(stored_pdf(publication), tmp_path),
    }
    for name, text in documents.items():
        printed = squeeze(text)
        assert not [w for w in MISMATCH_WORDS if squeeze(w) in printed], name
