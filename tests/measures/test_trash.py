"""A document's trash (issue 18): what was deleted is listed, and comes back whole with its history."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measures import sections, services, thai, trash
from measures.models import (
    DocumentStatus,
    Evidence,
    Finding,
    Measure,
    MeasuresDocument,
    MeasureStep,
    ProgressEntry,
    Theme,
    ToolLimitation,
)
from measures.services import MeasureData, ServiceError

pytestmark = pytest.mark.django_db


def deletion(model, pk):
    """The record of the object's latest deletion."""
    return model.history.filter(id=pk, history_type="-").latest()


def delete(service, by, **target) -> int:
    """Delete through the service, and give the instance its key back (Django clears it)."""
    (obj,) = target.values()
    pk = obj.pk
    service(by=by, **target)
    obj.pk = pk
    return pk


def trash_url(document):
    return reverse("measures:document_trash", args=[document.organisation.slug, document.fiscal_year])


def restore_url(document, kind, history_id):
    return reverse("measures:trash_restore", args=[document.organisation.slug, document.fiscal_year, kind, history_id])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def clock():
    """The clock, ticking; `clock.shift(…)` puts a later request apart from the one before."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


LATER = timedelta(minutes=1)


@pytest.fixture
def full_measure(document, theme, officer, finance, works):
    """Measure 1.1 with three steps, two units, an indicator and an item, and a 6-month entry in progress."""
    ita = document.basis_framework
    measure = services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="เผยแพร่แผนการจัดซื้อจัดจ้าง",
            number=1,
            theme=theme,
            steps=["แต่งตั้งคณะทำงาน", "จัดทำแผน", "ประกาศบนเว็บไซต์"],
            units=[finance, works],
            indicators=[ita.indicators.get(number=9)],
            items=list(ita.items.filter(code="O35")),
            period_start=date(2022, 10, 1),
            period_end=date(2023, 3, 31),
            budget=15000,
        ),
    )
    report = services.report_start(document=document, round_months=6, by=officer)
    services.entry_update(
        entry=report.entries.get(measure=measure), by=officer, revision=None, status="in_progress", percent=40
    )
    return measure


# --- The measure ---------------------------------------------------------------------------


def test_a_deleted_measure_comes_back_with_its_steps_links_and_entry(client_for, officer, document, full_measure):
    pk = full_measure.pk
    units = set(full_measure.units.values_list("pk", flat=True))
    indicators = set(full_measure.indicators.values_list("pk", flat=True))
    items = set(full_measure.items.values_list("pk", flat=True))
    delete(services.measure_delete, officer, measure=full_measure)
    assert not MeasureStep.objects.filter(measure_id=pk).exists()

    client = client_for(officer)
    response = client.post(restore_url(document, "measure", deletion(Measure, pk).history_id))

    assert response.status_code == 302
    assert response.url == reverse("measures:measure_detail", args=["test-town", 2566, pk])
    assert messages_of(response) == ["กู้คืนมาตรการ 1.1 แล้ว"]
    measure = Measure.objects.get(pk=pk)
    assert (measure.title, measure.theme.number, measure.number) == ("เผยแพร่แผนการจัดซื้อจัดจ้าง", 1, 1)
    assert (measure.period_start, measure.budget) == (date(2022, 10, 1), 15000)
    assert [s.text for s in measure.steps.order_by("order")] == ["แต่งตั้งคณะทำงาน", "จัดทำแผน", "ประกาศบนเว็บไซต์"]
    assert set(measure.units.values_list("pk", flat=True)) == units
    assert set(measure.indicators.values_list("pk", flat=True)) == indicators
    assert set(measure.items.values_list("pk", flat=True)) == items
    entry = measure.progress_entries.get()
    assert (entry.status, entry.percent) == ("in_progress", 40)
    page = client.get(response.url).content.decode()
    assert "ประกาศบนเว็บไซต์" in page


def test_the_restored_measure_keeps_its_history_and_names_who_restored_it(
    client_for, officer, org_admin, document, full_measure
):
    pk = full_measure.pk
    data = MeasureData(title="ชื่อเดิมที่แก้ไขแล้ว", number=1, theme=full_measure.theme, all_units=True)
    services.measure_update(measure=full_measure, by=officer, revision=None, data=data)
    services.measure_delete(measure=Measure.objects.get(pk=pk), by=officer)

    client = client_for(org_admin)
    client.post(restore_url(document, "measure", deletion(Measure, pk).history_id))

    latest = Measure.history.filter(id=pk).latest()
    assert (latest.history_user, latest.history_change_reason) == (org_admin, trash.RESTORED)
    assert set(latest.units.values_list("unit_id", flat=True)) == set()  # all units: none linked
    assert Measure.history.filter(id=pk).count() >= 4  # created, edited, deleted, restored
    page = client.get(reverse("measures:measure_history", args=["test-town", 2566, pk])).content.decode()
    assert "เผยแพร่แผนการจัดซื้อจัดจ้าง" in page  # the edit before the deletion
    assert "ลบมาตรการ" in page


def test_steps_replaced_by_an_earlier_edit_do_not_come_back(officer, document, theme):
    measure = services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(title="ก", number=1, theme=theme, all_units=True, steps=["เก่า 1", "เก่า 2", "เก่า 3"]),
    )
    data = MeasureData(title="ก", number=1, theme=theme, all_units=True, steps=["ใหม่ 1", "ใหม่ 2"])
    services.measure_update(measure=measure, by=officer, revision=None, data=data)
    pk = delete(services.measure_delete, officer, measure=measure)

    trash.restore(document=document, kind="measure", record=deletion(Measure, pk), by=officer)

    assert [s.text for s in MeasureStep.objects.filter(measure_id=pk)] == ["ใหม่ 1", "ใหม่ 2"]


def test_a_measure_comes_back_with_the_evidence_deleted_with_it(client_for, officer, document, full_measure):
    entry = full_measure.progress_entries.get()
    evidence = services.evidence_add(
        entry=entry, by=officer, title="ภาพกิจกรรม", file=SimpleUploadedFile("ภาพ.pdf", b"%PDF-1.4 evidence")
    )
    link = services.evidence_add(entry=entry, by=officer, title="ข่าวบนเว็บไซต์", url="https://example.org/news")
    attached = Evidence.objects.get(pk=evidence.pk).created_at
    # The service refuses a measure with evidence; a delete of the row (the admin's) cascades to it.
    measure = Measure.objects.get(pk=full_measure.pk)
    services.stamp(measure, officer)
    measure.delete()
    assert [i.kind for i in trash.trash_of(document).items] == ["measure"]  # the evidence is not listed apart

    trash.restore(document=document, kind="measure", record=deletion(Measure, full_measure.pk), by=officer)

    restored = Evidence.objects.get(pk=evidence.pk)
    assert (restored.entry_id, restored.title, restored.created_at) == (entry.pk, "ภาพกิจกรรม", attached)
    assert Evidence.objects.get(pk=link.pk).url == "https://example.org/news"
    response = client_for(officer).get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"


def test_a_measure_whose_number_is_taken_comes_back_with_the_next_one(officer, document, theme, full_measure):
    delete(services.measure_delete, officer, measure=full_measure)
    services.measure_create(
        document=document, by=officer, data=MeasureData(title="มาตรการใหม่", number=1, theme=theme, all_units=True)
    )

    restored = trash.restore(document=document, kind="measure", record=deletion(Measure, full_measure.pk), by=officer)

    assert Measure.objects.get(pk=full_measure.pk).number == 2
    assert restored.message == "กู้คืนมาตรการ 1.2 แล้ว ลำดับที่ 1 มีมาตรการอื่นใช้แล้ว จึงกู้คืนเป็นมาตรการ 1.2"


def test_a_measure_whose_theme_was_deleted_waits_for_its_theme(officer, document, theme, full_measure):
    delete(services.measure_delete, officer, measure=full_measure)
    delete(services.theme_delete, officer, theme=theme)
    record = deletion(Measure, full_measure.pk)

    with pytest.raises(ServiceError, match="กรุณากู้คืนด้านนั้นจากถังขยะก่อน"):
        trash.restore(document=document, kind="measure", record=record, by=officer)
    assert not Measure.objects.filter(pk=full_measure.pk).exists()
    note = next(i.note for i in trash.trash_of(document).items if i.kind == "measure")
    assert note == "ด้านที่ 1 ของมาตรการนี้ถูกลบไปแล้ว กรุณากู้คืนด้านก่อน"

    trash.restore(document=document, kind="theme", record=deletion(Theme, theme.pk), by=officer)
    trash.restore(document=document, kind="measure", record=record, by=officer)
    assert Measure.objects.get(pk=full_measure.pk).theme_id == theme.pk


def test_a_round_started_after_the_deletion_gets_an_empty_entry(officer, document, full_measure):
    delete(services.measure_delete, officer, measure=full_measure)
    services.report_start(document=document, round_months=12, by=officer)

    trash.restore(document=document, kind="measure", record=deletion(Measure, full_measure.pk), by=officer)

    entries = ProgressEntry.objects.filter(measure_id=full_measure.pk).order_by("report__round")
    assert [(e.report.round, e.status, e.percent) for e in entries] == [(6, "in_progress", 40), (12, "not_started", 0)]


# --- Findings, themes, limitations, evidence -------------------------------------------------


def test_a_finding_comes_back_with_its_indicators_items_and_place(client_for, officer, document):
    ita = document.basis_framework
    first = services.finding_save(document=document, by=officer, kind="urgent", text="ข้อแรก")
    finding = services.finding_save(
        document=document,
        by=officer,
        kind="improve",
        text="ข้อที่สอง",
        issue_area="ประเด็นที่ 2 การเปิดเผยข้อมูล",
        indicators=[ita.indicators.get(number=9)],
        items=list(ita.items.filter(code__in=["O35", "I13"])),
    )
    services.finding_save(document=document, by=officer, kind="improve", text="ข้อที่สาม")
    delete(services.finding_delete, officer, finding=finding)

    response = client_for(officer).post(restore_url(document, "finding", deletion(Finding, finding.pk).history_id))

    assert response.url == reverse("measures:document_detail", args=["test-town", 2566])
    assert messages_of(response) == ["กู้คืนประเด็นผลการวิเคราะห์แล้ว"]
    restored = Finding.objects.get(pk=finding.pk)
    assert set(restored.items.values_list("code", flat=True)) == {"O35", "I13"}
    assert list(restored.indicators.values_list("number", flat=True)) == [9]
    assert [f.text for f in document.findings.all()][:2] == [first.text, "ข้อที่สอง"]


def test_a_theme_whose_number_is_taken_comes_back_with_the_next_free_one(officer, document, theme):
    second = services.theme_save(document=document, by=officer, number=2, title="ด้านการป้องกันการทุจริต")
    delete(services.theme_delete, officer, theme=second)
    services.theme_save(document=document, by=officer, number=2, title="ด้านใหม่")

    restored = trash.restore(document=document, kind="theme", record=deletion(Theme, second.pk), by=officer)

    assert Theme.objects.get(pk=second.pk).number == 3
    assert restored.message == ("กู้คืนด้านที่ 3 ด้านการป้องกันการทุจริต แล้ว ลำดับที่ 2 มีด้านอื่นใช้แล้ว จึงกู้คืนเป็นด้านที่ 3")


def test_a_limitation_comes_back_unless_its_tool_has_another(officer, document):
    iit = sections.tools_for_limitations(document).get(code="IIT")
    limitation = sections.limitation_save(document=document, by=officer, tool=iit, text="ผู้ตอบน้อย")
    delete(sections.limitation_delete, officer, limitation=limitation)
    other = sections.limitation_save(document=document, by=officer, tool=iit, text="เขียนใหม่")
    record = deletion(ToolLimitation, limitation.pk)

    with pytest.raises(ServiceError, match="มีข้อจำกัดของเครื่องมือ IIT ในเอกสารนี้แล้ว จึงกู้คืนไม่ได้"):
        trash.restore(document=document, kind="limitation", record=record, by=officer)

    delete(sections.limitation_delete, officer, limitation=other)
    restored = trash.restore(document=document, kind="limitation", record=record, by=officer)
    assert ToolLimitation.objects.get(pk=limitation.pk).text == "ผู้ตอบน้อย"
    assert restored.message == "กู้คืนข้อจำกัดของเครื่องมือ IIT แล้ว"


def test_an_evidence_comes_back_to_its_entry_and_its_file_downloads(client_for, officer, document, full_measure):
    entry = full_measure.progress_entries.get()
    evidence = services.evidence_add(
        entry=entry, by=officer, title="รายงานการประชุม", file=SimpleUploadedFile("ประชุม.pdf", b"%PDF-1.4 minutes")
    )
    delete(services.evidence_delete, officer, evidence=evidence)
    client = client_for(officer)

    response = client.post(restore_url(document, "evidence", deletion(Evidence, evidence.pk).history_id))

    assert response.url == reverse("measures:entry_edit", args=["test-town", 2566, 6, full_measure.pk])
    assert messages_of(response) == ["กู้คืนหลักฐาน “รายงานการประชุม” ของมาตรการ 1.1 แล้ว"]
    download = client.get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"


def test_an_evidence_whose_measure_is_gone_waits_for_the_measure(clock, officer, document, full_measure):
    entry = full_measure.progress_entries.get()
    evidence = services.evidence_add(entry=entry, by=officer, title="ข่าว", url="https://example.org/a")
    delete(services.evidence_delete, officer, evidence=evidence)
    clock.shift(LATER)
    delete(services.measure_delete, officer, measure=full_measure)
    record = deletion(Evidence, evidence.pk)
    assert {i.kind for i in trash.trash_of(document).items} == {"measure", "evidence"}

    with pytest.raises(ServiceError, match="กรุณากู้คืนมาตรการจากถังขยะก่อน"):
        trash.restore(document=document, kind="evidence", record=record, by=officer)

    trash.restore(document=document, kind="measure", record=deletion(Measure, full_measure.pk), by=officer)
    trash.restore(document=document, kind="evidence", record=record, by=officer)
    assert Evidence.objects.get(pk=evidence.pk).entry_id == entry.pk


# --- Refusals ------------------------------------------------------------------------------


def test_restoring_twice_is_refused(client_for, officer, document, theme):
    delete(services.theme_delete, officer, theme=theme)
    url = restore_url(document, "theme", deletion(Theme, theme.pk).history_id)
    client = client_for(officer)
    client.post(url)

    response = client.post(url)

    assert response.url == trash_url(document)
    assert messages_of(response)[-1] == "รายการนี้กู้คืนไปแล้ว"
    assert Theme.history.filter(id=theme.pk).count() == 3  # created, deleted, restored once


def test_a_document_that_is_not_a_draft_restores_nothing(client_for, officer, document, theme):
    delete(services.theme_delete, officer, theme=theme)
    MeasuresDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.SUBMITTED)
    client = client_for(officer)

    response = client.post(restore_url(document, "theme", deletion(Theme, theme.pk).history_id))

    assert messages_of(response) == ["เอกสารนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้"]
    assert not Theme.objects.filter(pk=theme.pk).exists()
    page = client.get(trash_url(document)).content.decode()
    assert "จึงยังกู้คืนรายการไม่ได้" in page
    assert 'action="' + restore_url(document, "theme", deletion(Theme, theme.pk).history_id) not in page


def test_another_documents_history_id_is_not_found(client_for, officer, document, second_town):
    theirs = services.theme_save(document=second_town["document"], by=second_town["officer"], number=1, title="ด้าน")
    delete(services.theme_delete, second_town["officer"], theme=theirs)
    client = client_for(officer)
    record = deletion(Theme, theirs.pk)

    assert client.post(restore_url(document, "theme", record.history_id)).status_code == 404
    assert client.post(restore_url(document, "nonsense", record.history_id)).status_code == 404
    assert Theme.objects.filter(pk=theirs.pk).exists() is False


def test_another_organisations_evidence_is_not_found(client_for, officer, document, second_town):
    theirs = services.report_start(document=second_town["document"], round_months=6, by=second_town["officer"])
    measure = services.measure_create(
        document=second_town["document"],
        by=second_town["officer"],
        data=MeasureData(title="ก", number=1, all_units=True),
    )
    evidence = services.evidence_add(
        entry=theirs.entries.get(measure=measure), by=second_town["officer"], title="ข่าว", url="https://example.org/"
    )
    delete(services.evidence_delete, second_town["officer"], evidence=evidence)

    response = client_for(officer).post(restore_url(document, "evidence", deletion(Evidence, evidence.pk).history_id))

    assert response.status_code == 404
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_history_id_of_a_living_object_is_not_in_the_trash(client_for, officer, document, theme):
    created = Theme.history.get(id=theme.pk)  # its "+" record
    assert client_for(officer).post(restore_url(document, "theme", created.history_id)).status_code == 404


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("contributor", 403), ("approver", 403), ("oversight", 403), ("outsider", 404)]
)
def test_who_may_not_open_or_use_the_trash(request, client_for, officer, document, theme, persona, status):
    delete(services.theme_delete, officer, theme=theme)
    client = client_for(request.getfixturevalue(persona))

    assert client.get(trash_url(document)).status_code == status
    assert client.post(restore_url(document, "theme", deletion(Theme, theme.pk).history_id)).status_code == status
    assert not Theme.objects.filter(pk=theme.pk).exists()


def test_the_organisation_administrator_restores(client_for, officer, org_admin, document, theme):
    delete(services.theme_delete, officer, theme=theme)
    client = client_for(org_admin)

    assert client.get(trash_url(document)).status_code == 200
    assert client.post(restore_url(document, "theme", deletion(Theme, theme.pk).history_id)).status_code == 302
    assert Theme.objects.filter(pk=theme.pk).exists()


def test_a_restore_is_a_post(client_for, officer, document, theme):
    delete(services.theme_delete, officer, theme=theme)
    assert (
        client_for(officer).get(restore_url(document, "theme", deletion(Theme, theme.pk).history_id)).status_code == 405
    )


# --- The page -------------------------------------------------------------------------------


def test_the_trash_lists_each_deletion_newest_first_with_when_and_who(client_for, officer, document, full_measure):
    officer.first_name, officer.last_name = "สมศรี", "ใจดี"
    officer.save()
    finding = services.finding_save(document=document, by=officer, kind="urgent", text="ตัวชี้วัดที่ 9 ต่ำ")
    delete(services.finding_delete, officer, finding=finding)
    delete(services.measure_delete, officer, measure=full_measure)

    page = client_for(officer).get(trash_url(document)).content.decode()

    assert page.index("1.1 เผยแพร่แผนการจัดซื้อจัดจ้าง") < page.index("ตัวชี้วัดที่ 9 ต่ำ")
    assert "ประเด็นผลการวิเคราะห์" in page
    assert "สมศรี ใจดี" in page
    when = timezone.localtime(deletion(Measure, full_measure.pk).history_date)
    assert f"{when.day} {thai.MONTHS_SHORT[when.month]} {when.year + 543} {when:%H:%M} น." in page  # Buddhist Era
    assert "แต่งตั้งคณะทำงาน" not in page  # its steps come back with it, not listed apart
    assert page.count(">กู้คืน</button>") == 2


def test_a_restored_thing_leaves_the_trash(officer, document, theme):
    delete(services.theme_delete, officer, theme=theme)
    trash.restore(document=document, kind="theme", record=deletion(Theme, theme.pk), by=officer)
    assert trash.trash_of(document).items == []


def test_the_trash_shows_the_newest_deletions_and_says_how_many(monkeypatch, client_for, officer, document):
    for number in range(1, 5):
        theme = services.theme_save(document=document, by=officer, number=number, title=f"ด้านที่ลบ {number}")
        delete(services.theme_delete, officer, theme=theme)
    monkeypatch.setattr(trash, "TRASH_LIMIT", 3)

    page = client_for(officer).get(trash_url(document)).content.decode()

    assert "แสดง 3 รายการล่าสุด จากทั้งหมด 4 รายการ" in page
    assert "ด้านที่ลบ 4" in page
    assert "ด้านที่ลบ 1" not in page


def _delete_one_of_each(clock, document, officer, finance, tag):
    theme = services.theme_save(document=document, by=officer, number=50 + tag, title=f"ด้าน {tag}")
    measure = services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(title=f"มาตรการ {tag}", number=1, theme=theme, units=[finance], steps=["ก", "ข"]),
    )
    entry = measure.progress_entries.get()
    evidence = services.evidence_add(entry=entry, by=officer, title=f"หลักฐาน {tag}", url="https://example.org/")
    delete(services.evidence_delete, officer, evidence=evidence)
    clock.shift(LATER)
    delete(services.measure_delete, officer, measure=measure)
    delete(services.theme_delete, officer, theme=theme)
    finding = services.finding_save(document=document, by=officer, kind="improve", text=f"ข้อ {tag}")
    delete(services.finding_delete, officer, finding=finding)


def test_the_trash_page_costs_the_same_whatever_it_holds(clock, client_for, officer, document, finance):
    services.report_start(document=document, round_months=6, by=officer)
    client = client_for(officer)
    _delete_one_of_each(clock, document, officer, finance, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(trash_url(document)).status_code == 200
    for tag in range(2, 8):
        _delete_one_of_each(clock, document, officer, finance, tag)
    with CaptureQueriesContext(connection) as many:
        page = client.get(trash_url(document)).content.decode()

    assert page.count(">กู้คืน</button>") == 28
    assert len(many) == len(few)
    assert len(many) <= 15  # 13 when written: session, user, access, document, five kinds, themes, entries
