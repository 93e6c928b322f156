"""The dashboard tells each officer what waits, per organisation; approvers see how much waits for them."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from measures import services, workflow
from measures.models import ApprovalPosition, Measure
from reports import publishing
from tests.chain import approve_all

pytestmark = pytest.mark.django_db

DASHBOARD = "/staff/"


def at(day: date):
    """Travel to noon (Bangkok) of `day`."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC), tick=False)


def todo(client) -> list[str]:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return [" ".join(item.text.split()) for row in response.context["rows"] for item in row["todo"]]


def test_a_new_organisation_is_told_to_record_its_ita_result_and_make_the_years_document(client_for, officer, chain):
    with at(date(2023, 1, 10)):  # fiscal year 2566
        response = client_for(officer).get(DASHBOARD)
    html = response.content.decode()
    assert "สิ่งที่ต้องทำ" in html
    assert "ยังไม่ได้บันทึกผลการประเมิน ITA ปี พ.ศ. 2565 ที่ใช้วิเคราะห์ในเอกสารมาตรการปีนี้" in html
    assert "ยังไม่มีเอกสารมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. 2566" in html
    assert f'href="{reverse("measures:assessment_new", args=["test-town"])}"' in html
    assert f'href="{reverse("measures:document_new", args=["test-town"])}"' in html


def test_with_the_document_made_the_document_item_goes(client_for, officer, document, chain):
    with at(date(2023, 1, 10)):
        items = todo(client_for(officer))
    assert not [i for i in items if "ยังไม่มีเอกสารมาตรการ" in i or "ผลการประเมิน ITA" in i]


def test_without_an_approval_chain_the_admin_is_sent_to_make_it_and_the_officer_to_ask(
    client_for, officer, org_admin, document
):
    assert not ApprovalPosition.objects.exists()
    with at(date(2023, 1, 10)):
        admin_page = client_for(org_admin).get(DASHBOARD).content.decode()
        officer_items = todo(client_for(officer))
    assert "ยังไม่ได้กำหนดลำดับการพิจารณา จึงยังเสนอเอกสารไม่ได้" in admin_page
    assert f'href="{reverse("measures:chain_edit", args=["test-town"])}"' in admin_page
    assert "ยังไม่ได้กำหนดลำดับการพิจารณา จึงยังเสนอเอกสารไม่ได้" in officer_items
    assert "(แจ้งผู้ดูแลหน่วยงาน)" in client_for(officer).get(DASHBOARD).content.decode()


def test_a_returned_document_comes_first_and_marked(client_for, officer, submission, heads):
    workflow.decide(submission=submission, by=heads[0], approve=False, comment="เพิ่มตัวชี้วัดของมาตรการ")
    with at(date(2023, 1, 10)):
        response = client_for(officer).get(DASHBOARD)
    first = response.context["rows"][0]["todo"][0]
    assert first.urgent and first.text == "เอกสารมาตรการ ปีงบประมาณ พ.ศ. 2566 ถูกส่งกลับให้แก้ไข"
    assert first.url == reverse("measures:document_detail", args=["test-town", 2566])
    assert '<li class="urgent">' in response.content.decode()


def test_an_approved_document_waits_to_be_published_and_then_leaves_the_list(client_for, officer, approved):
    with at(date(2023, 1, 10)):
        assert "เอกสารมาตรการ ปีงบประมาณ พ.ศ. 2566 อนุมัติแล้ว รอเผยแพร่บนเว็บไซต์" in todo(client_for(officer))
        publishing.publish(target=approved, by=officer)
        assert not [i for i in todo(client_for(officer)) if "รอเผยแพร่" in i]


def test_a_round_due_within_two_weeks_and_a_late_one_are_named_with_buddhist_dates(client_for, officer, approved):
    with at(date(2023, 4, 20)):
        assert "รายงานผลรอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566 ครบกำหนดส่ง 30 เมษายน พ.ศ. 2566" in todo(client_for(officer))
    with at(date(2023, 5, 2)):
        response = client_for(officer).get(DASHBOARD)
    late = [i for i in response.context["rows"][0]["todo"] if "เลยกำหนดส่ง" in i.text]
    assert [i.text for i in late] == ["รายงานผลรอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566 เลยกำหนดส่งแล้วเมื่อ 30 เมษายน พ.ศ. 2566"]
    assert late[0].urgent and late[0].action == "เริ่มรายงาน"  # no round yet: from the document page
    with at(date(2023, 5, 2)):
        services.report_start(document=approved, round_months=6, by=officer)
        report = approved.reports.get(round=6)
        assert [i for i in todo(client_for(officer)) if "เลยกำหนดส่ง" in i] == [late[0].text]
        workflow.submit(target=report, by=officer)  # handed in: the approvers are reminded now
        assert not [i for i in todo(client_for(officer)) if "รอบ 6 เดือน" in i]


def test_measures_past_their_end_without_a_finished_entry_are_counted(client_for, officer, measure, document):
    Measure.objects.filter(pk=measure.pk).update(period_end=date(2023, 3, 31))
    with at(date(2023, 4, 5)):
        items = todo(client_for(officer))
    assert "มาตรการ 1 รายการสิ้นสุดระยะเวลาแล้วแต่ยังไม่มีผลดำเนินการแล้วเสร็จ" in items


def test_approvers_see_how_much_waits_for_them_and_no_officer_list(client_for, submission, approver, heads):
    response = client_for(approver).get(DASHBOARD)
    html = response.content.decode()
    assert "มี 1 เรื่องรอการพิจารณาของคุณ" in html
    assert "สิ่งที่ต้องทำ" not in html
    approve_all(submission, heads[:1])
    html = client_for(approver).get(DASHBOARD).content.decode()
    assert "เรื่องรอการพิจารณาของคุณ" not in html.replace("ไม่มีเรื่องรอการพิจารณาของคุณในขณะนี้", "")
    assert "ไม่มีเรื่องรอการพิจารณาของคุณในขณะนี้" in html


def test_an_officer_who_approves_nothing_is_not_told_about_approvals(client_for, officer, document):
    assert "รอการพิจารณาของคุณ" not in client_for(officer).get(DASHBOARD).content.decode()


def test_a_contributor_is_told_how_many_of_his_units_measures_wait_for_a_result(
    client_for, contributor, officer, document, measure, chain, heads, works
):
    from measures.services import MeasureData

    # กองคลัง's contributor answers for the measure of every unit, not for กองช่าง's.
    services.measure_create(document=document, by=officer, data=MeasureData(title="ของกองช่าง", number=2, units=[works]))
    approve_all(workflow.submit(target=document, by=officer), heads)
    report = services.report_start(document=document, round_months=6, by=officer)
    with at(date(2023, 4, 1)):
        items = todo(client_for(contributor))
        assert items == ["รายงานผลรอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566: มาตรการที่หน่วยงานของคุณรับผิดชอบ 1 รายการยังไม่ได้กรอกผล"]
        assert "ยังไม่มีเอกสารมาตรการ" not in client_for(contributor).get(DASHBOARD).content.decode()
        entry = report.entries.get(measure=measure)
        services.entry_update(
            entry=entry, by=contributor, revision=entry.revision, status="in_progress", summary="ประกาศแล้ว 6 เดือน"
        )
        assert todo(client_for(contributor)) == []
        assert "ไม่มีงานค้างในขณะนี้" in client_for(contributor).get(DASHBOARD).content.decode()


def test_an_open_round_of_an_earlier_year_still_waits_for_the_contributor_and_the_officer(
    client_for, contributor, officer, document, measure, chain, heads
):
    # The 2566 round was started and left open; two fiscal years later it still waits for both.
    approve_all(workflow.submit(target=document, by=officer), heads)
    services.report_start(document=document, round_months=6, by=officer)
    with at(date(2025, 3, 1)):  # fiscal year 2568
        assert todo(client_for(contributor)) == [
            "รายงานผลรอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566: มาตรการที่หน่วยงานของคุณรับผิดชอบ 1 รายการยังไม่ได้กรอกผล"
        ]
        assert any("รายงานผลรอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566" in item for item in todo(client_for(officer)))
