"""Open data carry every field a published version prints: the introductions, each finding (its
heading, kind, tool, indicators, items and text), the limitations of each tool, each measure (its
number as printed, steps, units, period, monitoring, target, budget…) and each result of a round;
versions published before these keys existed keep working (issue 17)."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from measures import sections, services, workflow
from measures.models import Framework, ProgressEntry
from measures.services import MeasureData
from reports import publishing
from reports.models import Publication
from tests.chain import approve_all

pytestmark = pytest.mark.django_db


def url(name, *args) -> str:
    return reverse(f"reports:{name}", args=["test-town", *args])


def records_of(response) -> list[dict]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    header, *rows = rows
    return [dict(zip(header, row, strict=True)) for row in rows]


def republished(publication: Publication, data: dict) -> Publication:
    """Version 2 of the same document with other frozen data (a publication never changes)."""
    again = Publication.objects.get(pk=publication.pk)
    again.pk, again.version, again.data = None, 2, data
    again.save(force_insert=True)
    return again


def publish(target, heads, officer):
    approve_all(workflow.submit(target=target, by=officer), heads)
    target.refresh_from_db()
    return publishing.publish(target=target, by=officer)


@pytest.fixture
def published(chain, heads, document, theme, finance, officer):
    """Test-town's 2566 measures, with everything the print shows, published as version 1."""
    framework = Framework.objects.get(year=2565)
    oit = framework.tools.get(code="OIT")
    nine = framework.indicators.get(number=9)
    services.finding_save(
        document=document,
        by=officer,
        kind="urgent",
        tool=oit,
        indicators=[nine],
        items=list(framework.items.filter(code__in=["O1", "O2"])),
        text="ข้อมูลพื้นฐานยังไม่ครบ",
    )
    services.finding_save(document=document, by=officer, issue_area="ประเด็นที่ 2 ช่องทางร้องเรียน", text="ยังมีช่องทางเดียว")
    sections.limitation_save(document=document, by=officer, tool=framework.tools.get(code="EIT"), text="ผู้ตอบน้อย")
    sections.document_texts_update(
        document=document,
        by=officer,
        revision=None,
        title=document.title,
        introduction="บทนำของเอกสาร",
        analysis_introduction="บทนำของการวิเคราะห์",
        measures_introduction="บทนำของมาตรการ",
    )
    data = MeasureData(
        title="เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง",
        number=2,
        theme=theme,
        units=[finance],
        owner="นักวิชาการพัสดุ",
        steps=["จัดทำแผน", "ประกาศบนเว็บไซต์"],
        indicators=[nine],
        items=list(framework.items.filter(code="O12")),
        issue="การเปิดเผยข้อมูลจัดซื้อจัดจ้าง",
        period_start=date(2022, 10, 1),
        period_end=date(2023, 3, 31),
        deadline=date(2023, 3, 31),
        monitoring="รายงานทุกเดือน",
        target="ครบ 12 เดือน",
        budget=Decimal("15000.50"),
    )
    services.measure_create(document=document, by=officer, data=data)
    return publish(document, heads, officer)


def test_the_json_carries_every_printed_field(client, published):
    record = json.loads(client.get(url("publication_json", 2566, "measures", 1)).content)
    assert record["data"] == published.data  # the frozen edition, as before
    printed = record["printed"]
    assert (printed["introduction"], printed["analysis_introduction"], printed["measures_introduction"]) == (
        "บทนำของเอกสาร",
        "บทนำของการวิเคราะห์",
        "บทนำของมาตรการ",
    )
    first, second = printed["findings"]
    assert first == {
        "heading": "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล",
        "kind": "urgent",
        "kind_label": "ข้อบกพร่องหรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน",
        "tool": "OIT",
        "indicators": [{"number": 9, "name": "การเปิดเผยข้อมูล"}],
        "items": ["O1", "O2"],
        "issue_area": "",
        "text": "ข้อมูลพื้นฐานยังไม่ครบ",
    }
    assert (second["heading"], second["tool"], second["indicators"]) == ("ประเด็นที่ 2 ช่องทางร้องเรียน", "", [])
    assert printed["limitations_heading"] == "ข้อจำกัดของการประเมิน"
    assert printed["limitations"] == [
        {
            "tool": "EIT",
            "tool_name": "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
            "heading": "ข้อจำกัดของเครื่องมือ EIT",
            "text": "ผู้ตอบน้อย",
        }
    ]
    (measure,) = printed["measures"]
    assert measure["number"] == "1.2"  # as printed (in Arabic digits, though the organisation prints Thai)
    assert (measure["theme"], measure["theme_title"]) == (1, "ด้านการเปิดเผยข้อมูล")
    assert measure["steps"] == ["1. จัดทำแผน", "2. ประกาศบนเว็บไซต์"]
    assert measure["units"] == ["กองคลัง"] and measure["owner"] == "นักวิชาการพัสดุ"
    assert measure["period"] == "ต.ค. 2565 – มี.ค. 2566"
    assert (measure["deadline"], measure["monitoring"], measure["target"], measure["budget"]) == (
        "2023-03-31",
        "รายงานทุกเดือน",
        "ครบ 12 เดือน",
        "15000.50",
    )
    assert (measure["indicators"], measure["items"], measure["issue"]) == ([9], ["O12"], "การเปิดเผยข้อมูลจัดซื้อจัดจ้าง")


def test_the_csv_has_a_row_per_printed_part_in_print_order(client, published):
    records = records_of(client.get(url("publication_csv", 2566, "measures", 1)))
    assert [r["ส่วนของเอกสาร"] for r in records] == [
        "บทนำ",
        "บทนำของผลการวิเคราะห์",
        "ผลการวิเคราะห์",
        "ผลการวิเคราะห์",
        "ข้อจำกัดของการประเมิน",
        "บทนำของมาตรการ",
        "มาตรการ",
    ]
    intro, analysis, urgent, issue, limitation, measures_intro, measure = records
    assert (intro["ข้อความ"], analysis["ข้อความ"], measures_intro["ข้อความ"]) == (
        "บทนำของเอกสาร",
        "บทนำของการวิเคราะห์",
        "บทนำของมาตรการ",
    )
    assert {k: urgent[k] for k in ("หัวข้อ", "ประเภท", "เครื่องมือ", "ตัวชี้วัดที่เกี่ยวข้อง", "ข้อคำถามที่เกี่ยวข้อง", "ข้อความ")} == {
        "หัวข้อ": "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล",
        "ประเภท": "ข้อบกพร่องหรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน",
        "เครื่องมือ": "OIT",
        "ตัวชี้วัดที่เกี่ยวข้อง": "9",
        "ข้อคำถามที่เกี่ยวข้อง": "O1, O2",
        "ข้อความ": "ข้อมูลพื้นฐานยังไม่ครบ",
    }
    assert issue["หัวข้อ"] == "ประเด็นที่ 2 ช่องทางร้องเรียน"
    assert (limitation["หัวข้อ"], limitation["เครื่องมือ"], limitation["ข้อความ"]) == (
        "ข้อจำกัดของเครื่องมือ EIT",
        "EIT",
        "ผู้ตอบน้อย",
    )
    assert {k: measure[k] for k in ("ลำดับ", "ด้าน", "ขั้นตอน/วิธีการดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ")} == {
        "ลำดับ": "1.2",
        "ด้าน": "ด้านการเปิดเผยข้อมูล",
        "ขั้นตอน/วิธีการดำเนินการ": "1. จัดทำแผน\n2. ประกาศบนเว็บไซต์",
        "ผู้รับผิดชอบ": "กองคลัง",
        "ระยะเวลาดำเนินการ": "ต.ค. 2565 – มี.ค. 2566",
    }
    assert (measure["กำหนดแล้วเสร็จ (พ.ศ.)"], measure["งบประมาณ (บาท)"], measure["เป้าหมาย"]) == (
        "31/03/2566",
        "15000.50",
        "ครบ 12 เดือน",
    )
    assert measure["การติดตามผล"] == "รายงานทุกเดือน" and measure["ผู้รับผิดชอบ (บุคคล)"] == "นักวิชาการพัสดุ"


def test_a_report_carries_each_result_with_its_measure(client, published, document, heads, officer):
    report = services.report_start(document=document, round_months=6, by=officer)
    entry = report.entries.get()
    services.entry_update(
        entry=entry,
        by=officer,
        revision=entry.revision,
        status=ProgressEntry.Status.DONE,
        percent=100,
        summary="ประกาศครบทุกเดือน",
        outcome="ประชาชนเข้าถึงข้อมูล",
        problems="เว็บไซต์ล่ม",
        suggestions="สำรองข้อมูล",
        completed_on=date(2023, 3, 15),
    )
    publish(report, heads, officer)
    printed = json.loads(client.get(url("publication_latest_json", 2566, "report-6")).content)["printed"]
    (measure,) = printed["measures"]
    assert measure["number"] == "1.2" and measure["steps"] == ["1. จัดทำแผน", "2. ประกาศบนเว็บไซต์"]
    assert measure["result"] == {
        "status": "done",
        "status_label": "ดำเนินการแล้วเสร็จ",
        "percent": 100,
        "summary": "ประกาศครบทุกเดือน",
        "outcome": "ประชาชนเข้าถึงข้อมูล",
        "problems": "เว็บไซต์ล่ม",
        "suggestions": "สำรองข้อมูล",
        "completed_on": "2023-03-15",
    }
    (row,) = records_of(client.get(url("publication_latest_csv", 2566, "report-6")))
    assert (row["ส่วนของเอกสาร"], row["สถานะ"], row["ปัญหาอุปสรรค"], row["วันที่แล้วเสร็จ (พ.ศ.)"]) == (
        "ผลการดำเนินการ",
        "ดำเนินการแล้วเสร็จ",
        "เว็บไซต์ล่ม",
        "15/03/2566",
    )
    assert (row["ระยะเวลาดำเนินการ"], row["การติดตามผล"]) == ("ต.ค. 2565 – มี.ค. 2566", "รายงานทุกเดือน")


def test_a_version_published_before_these_fields_keeps_working(client, published):
    """Its findings print under their kind (as approved), and it has no introductions of sections
    nor limitations."""
    old = {
        k: v
        for k, v in published.data.items()
        if k not in ("analysis_introduction", "measures_introduction", "limitations")
    }
    old["findings"] = [{k: v for k, v in f.items() if k != "indicator_names"} for f in old["findings"]]
    republished(published, old)
    record = json.loads(client.get(url("publication_json", 2566, "measures", 2)).content)
    printed = record["printed"]
    assert [f["heading"] for f in printed["findings"]] == [
        "ข้อบกพร่องหรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน",
        "ประเด็นที่ต้องพัฒนาให้ดีขึ้น",
    ]
    assert printed["findings"][0]["indicators"] == [{"number": 9, "name": ""}]
    assert (printed["limitations"], printed["analysis_introduction"], printed["measures_introduction"]) == ([], "", "")
    sections_printed = [r["ส่วนของเอกสาร"] for r in records_of(client.get(url("publication_csv", 2566, "measures", 2)))]
    assert sections_printed == ["บทนำ", "ผลการวิเคราะห์", "ผลการวิเคราะห์", "มาตรการ"]


def test_a_version_published_before_editions_carried_everything_gives_its_measures(client, published):
    legacy = {
        "organisation": {"name": "เทศบาลตำบลทดสอบ"},
        "themes": [{"number": 1, "title": "ด้านการเปิดเผยข้อมูล"}],
        "measures": [{"number": "1.1", "title": "มาตรการเดิม", "steps": ["ขั้นเดียว"], "units": ["กองคลัง"]}],
    }
    republished(published, legacy)
    assert "printed" not in json.loads(client.get(url("publication_json", 2566, "measures", 2)).content)
    (row,) = records_of(client.get(url("publication_csv", 2566, "measures", 2)))
    assert (row["ส่วนของเอกสาร"], row["ลำดับ"], row["ด้าน"], row["มาตรการ/แนวทาง"], row["ผู้รับผิดชอบ"]) == (
        "มาตรการ",
        "1.1",
        "ด้านการเปิดเผยข้อมูล",
        "มาตรการเดิม",
        "กองคลัง",
    )
