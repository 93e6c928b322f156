"""A round entry is saved in one go with its evidence (issue 18): attaching a file never wipes
the typed result, and a refused file keeps everything typed on the page and saves nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures import services
from measures.models import Evidence

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _url(measure, months=6):
    return reverse("measures:entry_edit", args=["test-town", 2566, months, measure.pk])


def _typed(**extra):
    return {
        "revision": "1",
        "status": "in_progress",
        "percent": "40",
        "summary": "จัดประชุมชี้แจงแล้ว ๑ ครั้ง",
        **extra,
    }


def test_the_result_and_a_file_are_saved_with_one_press(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    upload = SimpleUploadedFile("รายงานการประชุม.pdf", PDF, content_type="application/pdf")
    response = staff.post(_url(measure), _typed(**{"evidence-title": "", "evidence-file": upload}))
    assert response.status_code == 302
    entry = measure.progress_entries.get()
    assert (entry.status, entry.percent, entry.summary) == ("in_progress", 40, "จัดประชุมชี้แจงแล้ว ๑ ครั้ง")
    (evidence,) = entry.evidence.all()
    assert evidence.title == "รายงานการประชุม.pdf" and evidence.file


def test_save_and_attach_more_stays_on_the_entry_with_the_link_attached(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    data = _typed(**{"evidence-title": "ข่าว", "evidence-url": "https://example.go.th/n/1", "stay": "1"})
    response = staff.post(_url(measure), data)
    assert response.status_code == 302 and response.url == _url(measure)
    page = staff.get(response.url).text
    assert "จัดประชุมชี้แจงแล้ว ๑ ครั้ง" in page and "https://example.go.th/n/1" in page


def test_a_refused_file_saves_nothing_and_keeps_what_was_typed(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    upload = SimpleUploadedFile("โปรแกรม.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = staff.post(_url(measure), _typed(**{"evidence-file": upload}))
    assert response.status_code == 200
    page = response.text
    assert "จัดประชุมชี้แจงแล้ว ๑ ครั้ง" in page and 'value="in_progress" selected' in page
    assert "ไม่รับไฟล์ประเภทนี้" in page and "กรุณาเลือกไฟล์อีกครั้ง" in page
    entry = measure.progress_entries.get()
    assert (entry.status, entry.summary) == ("not_started", "") and not Evidence.objects.exists()


def test_a_title_without_a_file_or_link_saves_neither_the_result_nor_the_evidence(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    response = staff.post(_url(measure), _typed(**{"evidence-title": "ภาพกิจกรรม"}))
    assert response.status_code == 200
    assert "กรุณาแนบไฟล์หรือใส่ลิงก์อย่างน้อยหนึ่งอย่าง" in response.text
    assert "จัดประชุมชี้แจงแล้ว ๑ ครั้ง" in response.text
    assert measure.progress_entries.get().summary == "" and not Evidence.objects.exists()


def test_a_result_alone_is_saved_as_before(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    response = staff.post(_url(measure), _typed())
    assert response.status_code == 302
    assert measure.progress_entries.get().summary == "จัดประชุมชี้แจงแล้ว ๑ ครั้ง"
    assert not Evidence.objects.exists()


def test_save_and_next_opens_the_next_measure_she_may_open_in_print_order(
    document, theme, measure, officer, client_for
):
    from measures.services import MeasureData

    second = services.measure_create(
        document=document, by=officer, data=MeasureData(title="มาตรการที่สอง", number=2, theme=theme, all_units=True)
    )
    services.report_start(document=document, round_months=6, by=officer)
    client = client_for(officer)
    response = client.post(_url(measure), _typed(next="1"))
    assert response.status_code == 302 and response.url == _url(second)
    assert measure.progress_entries.get().summary == "จัดประชุมชี้แจงแล้ว ๑ ครั้ง"
    # The last measure goes back to the round.
    response = client.post(_url(second), _typed(next="1"))
    assert response.url == reverse("measures:round_detail", args=["test-town", 2566, 6])


def test_save_and_next_skips_the_measures_of_other_units_for_a_contributor(
    document, theme, officer, contributor, finance, works, client_for
):
    from measures.services import MeasureData

    def create(number, unit):
        data = MeasureData(title=f"มาตรการ {number}", number=number, theme=theme, units=[unit])
        return services.measure_create(document=document, by=officer, data=data)

    first, _other, third = create(1, finance), create(2, works), create(3, finance)
    services.report_start(document=document, round_months=6, by=officer)
    response = client_for(contributor).post(_url(first), _typed(next="1"))
    assert response.status_code == 302 and response.url == _url(third)
