"""The public page of a published document reads on a phone: cards made from the frozen data.

A list of sections and themes to jump to, one card per measure (number and title as printed,
steps, units, period, monitoring, target; a report's status and results), a report's count of
measures by status per theme; the sections the edition has and nothing of what it lacks. The
print layout is the print view's and the PDF's. The embed snippet sizes its iframe from the
height the embedded page posts, and a plain link serves the sites that strip iframes.
"""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import copy
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from measures import services, thai, workflow
from measures.services import MeasureData
from reports import documents
from reports.models import Publication
from reports.public import reading
from tests.reports.test_publishing import FIRST_TITLE, published  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def measure(number: str, theme: int | None, title: str, *, status: str | None = None, **fields) -> dict:
    """A measure of a schema-2 edition as measures.editions freezes it (result: a report's)."""
    row = {
        "number": number,
        "theme": theme,
        "title": title,
        "issue": "",
        "indicators": [],
        "items": [],
        "steps": ["ประชุมชี้แจงเจ้าหน้าที่", "ติดประกาศบนเว็บไซต์"],
        "units": ["กองคลัง"],
        "all_units": False,
        "owner": "",
        "period": {"start": "2022-10-01", "end": "2023-03-31", "whole_year": False},
        "deadline": None,
        "monitoring": "รายงานผลต่อนายกเทศมนตรีทุก 3 เดือน",
        "target": "",
        "budget": None,
    } | fields
    if status is not None:
        labels = {
            "done": "ดำเนินการแล้วเสร็จ",
            "in_progress": "อยู่ระหว่างดำเนินการ",
            "delayed": "ล่าช้า",
            "not_started": "ยังไม่ดำเนินการ",
        }
        row["result"] = {
            "status": status,
            "status_label": labels[status],
            "percent": None,
            "summary": f"ผลของมาตรการ {number}",
            "outcome": "",
            "problems": "",
            "suggestions": "",
            "completed_on": None,
        }
    return row


def edition(kind: str = "report", *, thai_digits: bool = True, **extra) -> dict:
    """A frozen edition (schema 2): two themes; for a report five measures in theme 1 (3 done,
    2 in progress) and two in theme 2 (1 delayed, 1 without a result)."""
    organisation = {
        "name": "เทศบาลตำบลทดสอบ",
        "slug": "test-town",
        "kind": "",
        "district": "",
        "province": "",
        "place": "อำเภอเมือง จังหวัดทดสอบ",
        "thai_digits": thai_digits,
        "layout": "themes_12m",
        "all_units_text": "ทุกกอง/สำนัก",
        "logo": "",
    }
    themes = [{"number": 1, "title": "ด้านการเปิดเผยข้อมูล"}, {"number": 2, "title": "ด้านการใช้งบประมาณ"}]
    report = kind == "report"
    statuses = ["done", "done", "in_progress", "done", "in_progress", "delayed", None] if report else [None] * 7
    measures = [measure(f"1.{n}", 1, f"มาตรการเปิดเผยข้อมูลที่ {n}", status=statuses[n - 1]) for n in range(1, 6)] + [
        measure(f"2.{n}", 2, f"มาตรการงบประมาณที่ {n}", status=statuses[n + 4]) for n in range(1, 3)
    ]
    data = {
        "schema": 2,
        "kind": kind,
        "round": 6 if report else None,
        "fiscal_year": 2566,
        "analysed_year": 2565,
        "edition": 1,
        "organisation": organisation,
        "title": "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. 2566",
        "introduction": "บทนำของเอกสาร",
        "themes": themes,
        "measures": measures,
        "approvals": [{"position": "นายกเทศมนตรี", "acting_for": "", "name": "นายทดสอบ ใจดี", "date": "2023-04-20"}],
    }
    if not report:
        data |= {"assessment": None, "trend": [], "findings": []}
    return data | extra


def publish_data(organisation, officer, data: dict, *, version: int = 1) -> Publication:
    """A publication of the given frozen data (the files are stand-ins: these tests read the page)."""
    kind = "measures" if data["kind"] == "measures" else f"report-{data['round']}"
    publication = Publication(
        organisation=organisation,
        fiscal_year=data["fiscal_year"],
        kind=kind,
        version=version,
        edition=1,
        title=data["title"],
        data=data,
        html="<p>print</p>",
        body_html='<div class="stored-body">ฉบับที่เก็บไว้</div>',
        sha256="0" * 64,
        pdf_size=9,
        published_by=officer,
        published_at=datetime(2023, 4, 21, 3, 0, tzinfo=UTC),
    )
    publication.pdf.save(f"{kind}-v{version}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    publication.save(force_insert=True)
    return publication


def page_of(client, publication: Publication) -> str:
    url = reverse(
        "reports:publication_latest", args=[publication.organisation.slug, publication.fiscal_year, publication.kind]
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's text as read: inline spans (names kept whole at line ends) join their words."""
    return " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"</?span[^>]*>", "", html)).split())


class Outline(HTMLParser):
    """The headings (level, text), the ids and the in-page links of a page."""

    def __init__(self):
        super().__init__()
        self.headings: list[list] = []
        self.ids: set[str] = set()
        self.anchors: list[str] = []
        self._in: int | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.anchors.append(attrs["href"][1:])
        if re.fullmatch(r"h[1-6]", tag):
            self._in = int(tag[1])
            self.headings.append([self._in, ""])

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self._in = None

    def handle_data(self, data):
        if self._in is not None:
            self.headings[-1][1] += data


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


# --- The reading view, built from the data -----------------------------------------------------


def test_a_report_counts_its_measures_by_status_per_theme_in_thai_digits():
    view = reading.reading_context(edition())["view"]
    assert [g.heading for g in view.groups] == ["๑. ด้านการเปิดเผยข้อมูล", "๒. ด้านการใช้งบประมาณ"]
    assert view.groups[0].counts_text == "ดำเนินการแล้วเสร็จ ๓ · อยู่ระหว่างดำเนินการ ๒"
    assert view.groups[1].counts_text == "ล่าช้า ๑ · ยังไม่ดำเนินการ ๑"  # no result: not started, as printed
    assert view.counts_text == "ดำเนินการแล้วเสร็จ ๓ · อยู่ระหว่างดำเนินการ ๒ · ล่าช้า ๑ · ยังไม่ดำเนินการ ๑"
    assert view.measure_count == "๗"


def test_an_organisation_with_arabic_digits_reads_arabic_digits():
    view = reading.reading_context(edition(thai_digits=False))["view"]
    assert view.groups[0].heading == "1. ด้านการเปิดเผยข้อมูล"
    assert view.groups[0].counts_text == "ดำเนินการแล้วเสร็จ 3 · อยู่ระหว่างดำเนินการ 2"
    assert view.groups[0].cards[0].heading == "1.1 มาตรการเปิดเผยข้อมูลที่ 1"


def test_a_card_carries_every_field_under_the_label_its_layout_prints():
    data = edition("measures")
    data["measures"][0] |= {"target": "ประชาชนเข้าถึงข้อมูลร้อยละ 80", "owner": "นายสมชาย"}
    card = reading.reading_context(data)["view"].groups[0].cards[0]
    fields = {f.label: f.value for f in card.fields}
    assert card.heading == "๑.๑ มาตรการเปิดเผยข้อมูลที่ 1"  # the print's first cell: number as printed
    # The print's steps: numbered by the portal, as typed without markers.
    assert [str(step) for step in fields["ขั้นตอน/วิธีการปฏิบัติ"]] == ["1. ประชุมชี้แจงเจ้าหน้าที่", "2. ติดประกาศบนเว็บไซต์"]
    assert fields["หน่วยงานผู้รับผิดชอบ"] == "กองคลัง, นายสมชาย"
    assert fields["ระยะเวลาดำเนินการ"] == documents.period_text(data["measures"][0], 2566, True)  # the print's wording
    assert fields["ระยะเวลาดำเนินการ"].replace("\xa0", " ") == "ต.ค. ๒๕๖๕ – มี.ค. ๒๕๖๖"
    assert fields["การติดตามและรายงานผล"] == "รายงานผลต่อนายกเทศมนตรีทุก 3 เดือน"  # prose: Thai digits at print time
    assert fields["เป้าหมาย/ตัวชี้วัด"] == "ประชาชนเข้าถึงข้อมูลร้อยละ 80"
    assert not card.status and not card.results


def test_a_card_follows_the_organisations_layout_labels():
    data = edition("measures")
    data["organisation"]["layout"] = "bo_phloi_2565"
    card = reading.reading_context(data)["view"].groups[0].cards[0]
    assert [f.label for f in card.fields] == ["วิธีการดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "การติดตามผล"]


def test_a_report_card_shows_the_status_and_results_and_only_web_evidence():
    data = edition()
    data["measures"][0]["result"] |= {
        "outcome": "ประชาชนรับทราบ",
        "problems": "งบประมาณจำกัด",
        "completed_on": "2023-02-01",
        "evidence": [
            {"url": "https://test-town.go.th/ita/o1.pdf", "title": "ประกาศ"},
            {"url": "javascript:alert(1)", "title": "x"},
            "http://test-town.go.th/photos",
        ],
    }
    card = reading.reading_context(data)["view"].groups[0].cards[0]
    assert (card.status, card.status_label) == ("done", "ดำเนินการแล้วเสร็จ")
    # Read for its results: units and period in view, the plan's longer fields folded.
    assert [f.key for f in card.fields] == ["units", "period"]
    assert [f.key for f in card.plan] == ["steps", "monitoring"]
    results = {f.label: f.value for f in card.results}
    done = thai.format_date_long(date(2023, 2, 1), thai_digits=True)
    assert results["สรุปผลการดำเนินงาน"] == f"ผลของมาตรการ 1.1\n(แล้วเสร็จ {done})"  # the print's cell
    assert results["ผลลัพธ์/ความสำเร็จ"] == "ประชาชนรับทราบ"
    assert results["ปัญหาอุปสรรค"] == "งบประมาณจำกัด"
    assert "ข้อเสนอแนะ" not in results  # empty: left out
    assert card.evidence == [
        {"url": "https://test-town.go.th/ita/o1.pdf", "title": "ประกาศ"},
        {"url": "http://test-town.go.th/photos", "title": "http://test-town.go.th/photos"},
    ]


def test_a_measure_without_a_result_says_not_started_once():
    card = reading.reading_context(edition())["view"].groups[1].cards[1]
    assert (card.status, card.status_label) == ("not_started", "ยังไม่ดำเนินการ")
    assert card.results == []  # the print's summary would repeat the status


def test_measures_without_a_theme_are_one_group_without_a_heading():
    data = edition("measures", themes=[])
    for m in data["measures"]:
        m["theme"] = None
    view = reading.reading_context(data)["view"]
    assert len(view.groups) == 1 and view.groups[0].heading == "" and not view.themed
    assert len(view.groups[0].cards) == 7


def test_a_version_published_before_editions_were_frozen_whole_has_no_reading_view():
    assert reading.reading_context({"kind": "measures", "measures": []}) is None


# --- The page ----------------------------------------------------------------------------


def test_the_report_page_reads_as_cards_with_themes_to_jump_to(client, organisation, officer):
    html = page_of(client, publish_data(organisation, officer, edition()))
    text = text_of(html)
    assert 'class="grid measures"' not in html and "stored-body" not in html  # not the print layout
    assert html.count('class="measure-card"') == 7
    assert "ดำเนินการแล้วเสร็จ ๓ · อยู่ระหว่างดำเนินการ ๒" in text
    assert "ทั้งหมด ๗ มาตรการ: ดำเนินการแล้วเสร็จ ๓ · อยู่ระหว่างดำเนินการ ๒ · ล่าช้า ๑ · ยังไม่ดำเนินการ ๑" in text
    page = outline(html)
    assert {"theme-1", "theme-2", "measures", "approvals"} <= set(page.anchors)
    assert set(page.anchors) <= page.ids  # every jump lands somewhere
    approved = thai.format_date_long(date(2023, 4, 20), thai_digits=True)
    assert "นายทดสอบ ใจดี" in text and f"ให้ความเห็นชอบเมื่อ {approved}" in text


def test_names_and_dates_on_the_cards_are_kept_whole_at_line_ends_as_in_the_print(client, organisation, officer):
    data = edition()
    data["measures"][0]["units"] = ["กองการศึกษา ศาสนาและวัฒนธรรม"]
    html = page_of(client, publish_data(organisation, officer, data))
    kept = re.compile(r'<span class="(?:keep|nobr)">([^<]*)</span>')
    assert "กองการศึกษา ศาสนาและวัฒนธรรม" in kept.findall(html)  # a unit's name (reports.linebreaks)
    approved = thai.format_date_long(date(2023, 4, 20), thai_digits=True)
    assert approved in kept.findall(html)


def test_the_page_links_the_print_view_and_the_pdf(client, organisation, officer):
    html = page_of(client, publish_data(organisation, officer, edition()))
    assert 'href="/test-town/2566/report-6/v1.html">ดูแบบฉบับพิมพ์</a>' in html
    assert 'href="/test-town/2566/report-6/v1.pdf">ดาวน์โหลด PDF' in html


@pytest.mark.parametrize("kind", ["measures", "report"])
def test_headings_go_down_one_level_at_a_time(kind, client, organisation, officer):
    data = edition(kind)
    if kind == "measures":
        data |= {
            "analysis_introduction": "บทนำการวิเคราะห์",
            "findings": [
                {
                    "kind": "improve",
                    "kind_label": "ประเด็นที่ต้องพัฒนาให้ดีขึ้น",
                    "tool": "IIT",
                    "indicators": [],
                    "items": [],
                    "issue_area": "",
                    "text": "ข้อค้นพบ",
                }
            ],
            "limitations": [{"tool": "EIT", "tool_name": "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก", "text": "ข้อจำกัด"}],
        }
    levels = [level for level, _text in outline(page_of(client, publish_data(organisation, officer, data))).headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_the_sections_of_a_measures_document_show_when_its_edition_has_them(client, organisation, officer):
    data = edition(
        "measures",
        analysis_introduction="จากผลการประเมินปี 2565 พบว่า",
        measures_introduction="หน่วยงานจึงกำหนดมาตรการ ดังนี้",
        findings=[
            {
                "kind": "improve",
                "kind_label": "ประเด็นที่ต้องพัฒนาให้ดีขึ้น",
                "tool": "IIT",
                "indicators": [9],
                "indicator_names": ["การเปิดเผยข้อมูล"],
                "items": [],
                "issue_area": "ประเด็นที่ 1 การเปิดเผยข้อมูล",
                "text": "ควรเผยแพร่ข้อมูลให้ครบ",
            }
        ],
        limitations=[{"tool": "OIT", "tool_name": "แบบตรวจการเปิดเผยข้อมูลสาธารณะ", "text": "ไม่มีระบบสำรองข้อมูล"}],
    )
    text = text_of(page_of(client, publish_data(organisation, officer, data)))
    for expected in [
        "จากผลการประเมินปี ๒๕๖๕ พบว่า",
        "ประเด็นที่ ๑ การเปิดเผยข้อมูล",  # the officer's heading, not the kind's fixed phrase
        "ควรเผยแพร่ข้อมูลให้ครบ",
        "ข้อจำกัดของการประเมิน",
        "ไม่มีระบบสำรองข้อมูล",
        "หน่วยงานจึงกำหนดมาตรการ ดังนี้",
    ]:
        assert expected in text, expected
    assert "ประเด็นที่ต้องพัฒนาให้ดีขึ้น" not in text


def test_an_edition_frozen_before_the_new_sections_shows_none_of_them(client, organisation, officer):
    data = edition("measures")  # no analysis_introduction, measures_introduction, limitations
    html = page_of(client, publish_data(organisation, officer, data))
    page = outline(html)
    assert not {"findings", "limitations"} & page.ids
    assert html.count('class="measure-card"') == 7


def test_a_version_published_before_editions_were_frozen_whole_shows_its_stored_body(client, organisation, officer):
    legacy = {"kind": "measures", "fiscal_year": 2566, "title": "เอกสารเก่า", "measures": [], "themes": []}
    html = page_of(client, publish_data(organisation, officer, legacy))
    assert '<div class="published-document"><div class="stored-body">ฉบับที่เก็บไว้</div></div>' in html
    assert "measure-card" not in html and "ดูแบบฉบับพิมพ์" not in html


def test_the_page_shows_what_was_published_not_the_live_measure(client, published, document, officer):
    workflow.reopen(target=document, by=officer)
    live = document.measures.get()
    data = MeasureData(title="ชื่อที่แก้ในร่าง-QX18", number=live.number, theme=live.theme, all_units=True)
    services.measure_update(measure=live, by=officer, revision=None, data=data)
    html = page_of(client, published)
    assert FIRST_TITLE in html and "ชื่อที่แก้ในร่าง-QX18" not in html
    assert "ทุกกอง/สำนัก" in text_of(html)


def test_user_text_is_escaped_on_the_cards(client, organisation, officer):
    data = copy.deepcopy(edition())
    data["measures"][0]["title"] = '<script>alert("x")</script>'
    html = page_of(client, publish_data(organisation, officer, data))
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


# --- The embed ---------------------------------------------------------------------------


def test_the_embedded_list_posts_its_height_to_the_page_around_it(client, organisation):
    html = client.get(reverse("reports:embed", args=["test-town"])).content.decode()
    assert '<script src="/static/js/embed-height.js" defer></script>' in html
    script = (Path(settings.BASE_DIR) / "static" / "js" / "embed-height.js").read_text()
    assert 'postMessage({ type: "ita-embed-height", height: height }, "*")' in script
    assert "window.parent === window" in script  # opened on its own, it posts nothing


def test_the_organisation_page_offers_a_self_sizing_iframe_and_a_plain_link(client, organisation):
    html = client.get(reverse("reports:organisation", args=["test-town"])).content.decode()
    iframe = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', html, re.S)[1]
    assert 'id="ita-documents-test-town"' in iframe
    # The listener trusts only messages from our site and from its own iframe.
    assert 'event.origin !== "http://testserver"' in iframe and "event.source !== frame.contentWindow" in iframe
    assert 'frame.style.height = Math.min(Math.max(Number(event.data.height) || 0, 120), 6000) + "px"' in iframe
    link = re.search(r'<textarea id="link-code"[^>]*>(.*?)</textarea>', html, re.S)[1]
    assert link == (
        '&lt;p&gt;&lt;a href="http://testserver/test-town/"&gt;'
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA) ของเทศบาลตำบลทดสอบ&lt;/a&gt;&lt;/p&gt;"
    )


def test_an_organisation_name_cannot_break_out_of_the_snippet(client, organisation):
    type(organisation).objects.filter(pk=organisation.pk).update(name='ทต."ทดสอบ"</textarea><b>')
    html = client.get(reverse("reports:organisation", args=["test-town"])).content.decode()
    iframe = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', html, re.S)[1]
    assert 'title="เอกสาร ITA ของทต.&amp;quot;ทดสอบ&amp;quot;&amp;lt;/textarea&amp;gt;&amp;lt;b&amp;gt;"' in iframe
