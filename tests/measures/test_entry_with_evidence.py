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


# --- Several files and a link in one save (issue 18) ---------------------------------------


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_two_files_and_a_link_are_saved_with_the_result_in_one_post(staff, document, measure, officer, settings):
    services.report_start(document=document, round_months=6, by=officer)
    data = _typed(
        **{
            "evidence-file": [_pdf("รายงานการประชุม.pdf"), _pdf("ภาพกิจกรรม.pdf")],
            "evidence-url": "https://example.go.th/news/1",
        }
    )
    response = staff.post(_url(measure), data)
    assert response.status_code == 302
    entry = measure.progress_entries.get()
    assert (entry.status, entry.percent, entry.summary) == ("in_progress", 40, "จัดประชุมชี้แจงแล้ว ๑ ครั้ง")
    rows = list(entry.evidence.order_by("pk").values_list("title", "url"))
    assert rows == [
        ("รายงานการประชุม.pdf", ""),
        ("ภาพกิจกรรม.pdf", ""),
        ("https://example.go.th/news/1", "https://example.go.th/news/1"),
    ]
    assert _stored_files(settings) == ["ภาพกิจกรรม.pdf", "รายงานการประชุม.pdf"]
    page = staff.get(response.url).text
    assert "บันทึกผลการดำเนินการและแนบหลักฐาน 3 รายการของมาตรการ" in page


def test_a_typed_title_names_every_file_and_the_link(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    data = _typed(
        **{
            "evidence-title": "ภาพกิจกรรม",
            "evidence-file": [_pdf("a.pdf"), _pdf("b.pdf")],
            "evidence-url": "https://example.go.th/p",
        }
    )
    assert staff.post(_url(measure), data).status_code == 302
    entry = measure.progress_entries.get()
    assert list(entry.evidence.values_list("title", flat=True)) == ["ภาพกิจกรรม"] * 3
    assert sorted(e.filename for e in entry.evidence.all() if e.file) == ["a.pdf", "b.pdf"]


def test_one_bad_file_among_good_ones_saves_nothing_names_it_and_keeps_the_typed_text(
    staff, document, measure, officer, settings
):
    services.report_start(document=document, round_months=6, by=officer)
    bad = SimpleUploadedFile("โปรแกรม.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    data = _typed(**{"evidence-file": [_pdf("ดี.pdf"), bad, _pdf("ดีอีก.pdf")], "evidence-url": "https://e.go.th/1"})
    response = staff.post(_url(measure), data)
    assert response.status_code == 200
    page = response.text
    assert "ไม่รับไฟล์ประเภทนี้" in page and "(ไฟล์ “โปรแกรม.exe”)" in page
    assert "ดี.pdf" not in page  # only the refused file is named
    assert "เบราว์เซอร์เก็บไฟล์ที่เลือกไว้ไม่ได้" in page and "กรุณาเลือกไฟล์อีกครั้ง" in page
    assert "จัดประชุมชี้แจงแล้ว ๑ ครั้ง" in page and 'value="in_progress" selected' in page
    assert 'value="https://e.go.th/1"' in page
    entry = measure.progress_entries.get()
    assert (entry.status, entry.summary) == ("not_started", "") and not Evidence.objects.exists()
    assert _stored_files(settings) == []


def test_more_files_than_allowed_are_refused_before_any_is_read(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    files = [_pdf(f"หน้า{n}.pdf") for n in range(11)]
    response = staff.post(_url(measure), _typed(**{"evidence-file": files}))
    assert response.status_code == 200
    assert "เลือกไฟล์มา 11 ไฟล์ แนบได้ครั้งละไม่เกิน 10 ไฟล์" in response.text
    assert "จัดประชุมชี้แจงแล้ว ๑ ครั้ง" in response.text
    assert measure.progress_entries.get().summary == "" and not Evidence.objects.exists()


def test_ten_files_are_accepted(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    files = [_pdf(f"หน้า{n}.pdf") for n in range(10)]
    assert staff.post(_url(measure), _typed(**{"evidence-file": files})).status_code == 302
    assert Evidence.objects.count() == 10


def test_files_too_large_together_are_refused(staff, document, measure, officer, settings):
    settings.EVIDENCE_MAX_TOTAL_BYTES = len(PDF) * 2
    services.report_start(document=document, round_months=6, by=officer)
    files = [_pdf("ก.pdf"), _pdf("ข.pdf"), _pdf("ค.pdf")]
    response = staff.post(_url(measure), _typed(**{"evidence-file": files}))
    assert response.status_code == 200
    assert "ไฟล์ที่เลือกรวมกัน" in response.text and "ใหญ่เกินไป" in response.text
    assert not Evidence.objects.exists() and measure.progress_entries.get().summary == ""


def test_a_failure_after_some_files_were_stored_leaves_neither_rows_nor_files(
    staff, document, measure, officer, settings, monkeypatch
):
    """All or nothing also for the storage: a file written before the failure is taken away."""
    services.report_start(document=document, round_months=6, by=officer)
    real, calls = services.evidence_add, []

    def second_fails(**kwargs):
        calls.append(kwargs["title"])
        if len(calls) == 2:
            raise services.ServiceError("ระบบขัดข้องระหว่างบันทึก")
        return real(**kwargs)

    monkeypatch.setattr(services, "evidence_add", second_fails)
    response = staff.post(_url(measure), _typed(**{"evidence-file": [_pdf("ก.pdf"), _pdf("ข.pdf")]}))
    assert response.status_code == 200 and "ระบบขัดข้องระหว่างบันทึก" in response.text
    assert calls == ["ก.pdf", "ข.pdf"]
    assert not Evidence.objects.exists() and measure.progress_entries.get().summary == ""
    assert _stored_files(settings) == []


# --- The evidence uploaded alone (htmx), the typed result untouched ---------------------------

HTMX = {"HX-Request": "true"}


def _add_url(measure, months=6):
    return reverse("measures:evidence_add", args=["test-town", 2566, months, measure.pk])


def test_an_htmx_upload_answers_the_list_and_empty_fields_and_saves_no_result(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    data = {
        "evidence-file": [_pdf("รายงาน.pdf"), _pdf("ภาพ.pdf")],
        "evidence-url": "https://example.go.th/n/2",
        "summary": "ข้อความที่ยังไม่ได้บันทึก",  # htmx sends only the evidence: this is ignored if it comes
    }
    response = staff.post(_add_url(measure), data, headers=HTMX)
    assert response.status_code == 200
    page = response.text
    assert '<section class="card" id="evidence-list"' in page and "<html" not in page
    assert "รายงาน.pdf" in page and "ภาพ.pdf" in page and "https://example.go.th/n/2" in page
    assert 'id="evidence-inputs" hx-swap-oob="true"' in page and 'value="https://example.go.th/n/2"' not in page
    assert "แนบหลักฐาน 3 รายการแล้ว ผลการดำเนินการที่พิมพ์ไว้ยังไม่ได้บันทึก" in page
    assert response["HX-Trigger-After-Settle"] == '{"change": {}}'
    entry = measure.progress_entries.get()
    assert entry.summary == "" and entry.evidence.count() == 3
    # No message waits for the next page (keep-typed.js would read "saved" there).
    assert "แนบหลักฐาน" not in str(staff.get(_url(measure)).context["messages"]._loaded_messages)


def test_an_htmx_upload_with_a_bad_file_answers_the_errors_and_saves_nothing(
    staff, document, measure, officer, settings
):
    services.report_start(document=document, round_months=6, by=officer)
    bad = SimpleUploadedFile("หน้าเว็บ.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    data = {"evidence-title": "ภาพกิจกรรม", "evidence-file": [_pdf("ดี.pdf"), bad]}
    response = staff.post(_add_url(measure), data, headers=HTMX)
    assert response.status_code == 200
    page = response.text
    assert "ยังไม่ได้แนบหลักฐาน กรุณาแก้ไขตามที่ระบุ" in page
    assert "เนื้อหาของไฟล์ไม่ใช่ไฟล์ .pdf ตามนามสกุล" in page and "(ไฟล์ “หน้าเว็บ.pdf”)" in page
    assert "กรุณาเลือกไฟล์อีกครั้ง" in page and 'value="ภาพกิจกรรม"' in page
    assert "<script>alert" not in page
    assert "HX-Trigger-After-Settle" not in response
    assert not Evidence.objects.exists() and _stored_files(settings) == []


def test_an_htmx_upload_of_nothing_says_what_to_attach(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    response = staff.post(_add_url(measure), {"evidence-title": "ภาพ"}, headers=HTMX)
    assert response.status_code == 200
    assert "กรุณาแนบไฟล์หรือใส่ลิงก์อย่างน้อยหนึ่งอย่าง" in response.text
    assert not Evidence.objects.exists()


def test_a_contributor_uploads_to_her_own_units_measure_with_htmx(
    document, theme, officer, contributor, finance, client_for
):
    from measures.services import MeasureData

    own = services.measure_create(
        document=document, by=officer, data=MeasureData(title="ของกองคลัง", number=1, theme=theme, units=[finance])
    )
    services.report_start(document=document, round_months=6, by=officer)
    response = client_for(contributor).post(_add_url(own), {"evidence-file": [_pdf("ก.pdf")]}, headers=HTMX)
    assert response.status_code == 200 and "แนบหลักฐานแล้ว" in response.text
    assert Evidence.objects.count() == 1


def test_a_contributor_of_another_unit_is_denied_an_htmx_upload(
    document, theme, officer, contributor, works, client_for, settings
):
    from measures.services import MeasureData

    other = services.measure_create(
        document=document, by=officer, data=MeasureData(title="ของกองช่าง", number=1, theme=theme, units=[works])
    )
    services.report_start(document=document, round_months=6, by=officer)
    response = client_for(contributor).post(_add_url(other), {"evidence-file": [_pdf("ก.pdf")]}, headers=HTMX)
    assert response.status_code == 404
    assert not Evidence.objects.exists() and _stored_files(settings) == []


def test_an_approver_is_denied_an_htmx_upload(document, measure, officer, approver, client_for):
    services.report_start(document=document, round_months=6, by=officer)
    response = client_for(approver).post(_add_url(measure), {"evidence-url": "https://e.go.th/x"}, headers=HTMX)
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_an_htmx_upload_after_the_session_expired_says_so_in_the_page(client, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    response = client.post(_add_url(measure), {"evidence-url": "https://e.go.th/x"}, headers=HTMX)
    assert response.status_code == 200  # htmx swaps it; a redirect would swap the login page into the list
    assert response["HX-Retarget"] == "#evidence-status" and response["HX-Reswap"] == "innerHTML"
    assert "หมดเวลาการเข้าสู่ระบบ" in response.text and "ข้อความที่พิมพ์ไว้ยังอยู่ในหน้านี้" in response.text
    assert not Evidence.objects.exists()
    # Without htmx, the login page as before.
    plain = client.post(_add_url(measure), {"evidence-url": "https://e.go.th/x"})
    assert plain.status_code == 302 and "/accounts/login/" in plain.url


def test_the_entry_page_offers_the_htmx_upload_of_the_evidence_alone(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    page = staff.get(_url(measure)).text
    assert f'hx-post="{_add_url(measure)}"' in page
    assert 'hx-params="csrfmiddlewaretoken,evidence-title,evidence-file,evidence-url"' in page
    assert 'type="file" name="evidence-file" multiple' in page
    assert 'data-busy="กำลังอัปโหลด…"' in page and "data-keep-typed" in page


def test_deleting_evidence_says_it_can_be_restored_from_the_trash(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    evidence = services.evidence_add(
        entry=measure.progress_entries.get(), by=officer, title="ลิงก์", url="https://e.go.th/x"
    )
    url = reverse("measures:evidence_delete", args=["test-town", evidence.pk])
    response = staff.post(url, {"confirmed": "1"}, follow=True)
    assert "ลบหลักฐานแล้ว — กู้คืนได้จากถังขยะของเอกสาร" in response.text


def test_an_htmx_upload_to_a_round_handed_in_meanwhile_is_refused_in_the_page(
    staff, approved, measure, officer, settings
):
    from measures import workflow

    report = services.report_start(document=approved, round_months=6, by=officer)
    workflow.submit(target=report, by=officer)  # handed in while her page was open
    response = staff.post(_add_url(measure), {"evidence-file": [_pdf("ก.pdf")]}, headers=HTMX)
    assert response.status_code == 200
    assert "ยังไม่ได้แนบหลักฐาน" in response.text and 'class="errorlist nonfield"' in response.text
    assert not Evidence.objects.exists() and _stored_files(settings) == []
