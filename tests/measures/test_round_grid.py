"""The round grid (issue 18): every result of a round the user may fill in one table, saved with one
press, all rows or none (measures.progress), each refused row named with its field."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures import access as access_module
from measures import progress, services
from measures.models import DocumentStatus, Membership, ProgressEntry, ProgressReport
from measures.parsing import TEXT_MAX_LENGTH
from measures.services import MeasureData, ServiceError
from measures.thai import format_date_numeric
from tests.factories import MembershipFactory, UserFactory

URL = reverse("measures:round_grid", args=["test-town", 2566, 6])
FIELDS = ("status", "percent", "summary", "outcome", "problems", "suggestions", "completed_on")


# --- The round: measures of two units, one of every unit, one without a theme --------------


@pytest.fixture
def grid_round(document, theme, officer, finance, works):
    """Test-town's 2566 round of 6 months; its measures in print order: 3 (no theme, กองคลัง),
    1.1 (กองคลัง), 1.2 (กองช่าง), 2.1 (every unit)."""
    second = services.theme_save(document=document, by=officer, number=2, title="ด้านการป้องกันการทุจริต")
    for number, title, theme_, units, all_units in (
        (1, "เผยแพร่แผนการจัดซื้อจัดจ้าง", theme, [finance], False),
        (2, "ซ่อมแซมถนนตามคำร้องเรียน", theme, [works], False),
        (1, "ประกาศเจตจำนงสุจริต", second, [], True),
        (3, "ตรวจสอบการเบิกจ่ายงบประมาณ", None, [finance], False),
    ):
        services.measure_create(
            document=document,
            by=officer,
            data=MeasureData(title=title, number=number, theme=theme_, units=units, all_units=all_units),
        )
    return services.report_start(document=document, round_months=6, by=officer)


def entry(report, number: str) -> ProgressEntry:
    for e in report.entries.select_related("measure__theme"):
        if e.measure.display_number == number:
            return e
    raise LookupError(number)


def as_posted(e: ProgressEntry) -> dict:
    """A row as the grid shows it (and a browser sends it back untouched)."""
    return {
        "entry": str(e.pk),
        "revision": str(e.revision),
        "status": e.status,
        "percent": str(e.percent),
        "summary": e.summary,
        "outcome": e.outcome,
        "problems": e.problems,
        "suggestions": e.suggestions,
        "completed_on": format_date_numeric(e.completed_on),
    }


def payload(rows: list[dict]) -> dict:
    data = {"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": str(len(rows))}
    for index, row in enumerate(rows):
        data |= {f"rows-{index}-{name}": value for name, value in row.items()}
    return data


def grid_post(report, changes: dict[str, dict], numbers=("3", "1.1", "1.2", "2.1")) -> dict:
    """The whole grid as posted, with `changes` typed into the rows of those measure numbers."""
    return payload([as_posted(entry(report, n)) | changes.get(n, {}) for n in numbers])


def row(e: ProgressEntry, **values) -> dict:
    """A row for the service: the entry's values as they are, with `values` typed in."""
    return {"entry": e.pk, "revision": e.revision, **{name: getattr(e, name) for name in FIELDS}, **values}


def access_of(user, organisation):
    return access_module.organisation_access(user, organisation)


def snapshot(report) -> list[tuple]:
    return list(report.entries.order_by("pk").values_list("pk", "revision", "updated_by", *FIELDS))


# --- The service: measures.progress.entries_save ---------------------------------------


def test_only_changed_rows_are_written_and_stamped(grid_round, officer, organisation):
    first, second, third = entry(grid_round, "3"), entry(grid_round, "1.1"), entry(grid_round, "1.2")
    history_before = ProgressEntry.history.filter(id__in=[second.pk, third.pk]).count()
    saved = progress.entries_save(
        report=grid_round,
        by=officer,
        access=access_of(officer, organisation),
        rows=[row(first, status="in_progress", percent=40, summary="ประชุมแล้ว"), row(second), row(third)],
    )
    assert saved == 1
    first.refresh_from_db()
    assert (first.status, first.percent, first.summary, first.revision, first.updated_by) == (
        "in_progress",
        40,
        "ประชุมแล้ว",
        2,
        officer,
    )
    assert first.history.latest().history_user == officer
    for untouched in (second, third):
        untouched.refresh_from_db()
        assert (untouched.revision, untouched.updated_by) == (1, None)
    assert ProgressEntry.history.filter(id__in=[second.pk, third.pk]).count() == history_before


def test_a_text_sent_back_with_browser_line_ends_is_not_a_change(grid_round, officer, organisation):
    e = entry(grid_round, "3")
    services.entry_update(entry=e, by=officer, revision=None, summary="บรรทัดแรก\nบรรทัดที่สอง")
    e.refresh_from_db()
    rows = [row(e, summary="บรรทัดแรก\r\nบรรทัดที่สอง ")]
    assert progress.entries_save(report=grid_round, by=officer, access=access_of(officer, organisation), rows=rows) == 0
    e.refresh_from_db()
    assert e.revision == 2


def test_done_means_one_hundred_per_cent(grid_round, officer, organisation):
    e = entry(grid_round, "1.1")
    progress.entries_save(
        report=grid_round, by=officer, access=access_of(officer, organisation), rows=[row(e, status="done", percent=60)]
    )
    e.refresh_from_db()
    assert (e.status, e.percent) == ("done", 100)


def test_a_row_changed_by_somebody_else_refuses_every_row(grid_round, officer, contributor, organisation):
    a, b = entry(grid_round, "3"), entry(grid_round, "1.1")
    seen_b = row(b)  # the officer opened the grid
    services.entry_update(entry=b, by=contributor, revision=1, summary="กองคลังกรอกเอง")  # then the unit saved
    before = snapshot(grid_round)
    with pytest.raises(progress.RowsRefused) as refused:
        progress.entries_save(
            report=grid_round,
            by=officer,
            access=access_of(officer, organisation),
            rows=[row(a, status="in_progress", percent=10), seen_b | {"summary": "เจ้าหน้าที่กรอกทับ"}],
        )
    assert [(e.index, e.message) for e in refused.value.errors] == [(1, progress.CONFLICT)]
    assert "มีผู้แก้ไขแถวนี้ระหว่างที่คุณกรอก" in progress.CONFLICT
    assert snapshot(grid_round) == before  # not even the first row


def test_a_row_somebody_else_saved_but_she_left_alone_keeps_their_save(grid_round, officer, contributor, organisation):
    a, b = entry(grid_round, "3"), entry(grid_round, "1.1")
    seen_b = row(b)
    services.entry_update(entry=b, by=contributor, revision=1, status="in_progress", percent=30, summary="กองคลัง")
    saved = progress.entries_save(
        report=grid_round,
        by=officer,
        access=access_of(officer, organisation),
        rows=[row(a, status="in_progress", percent=10), seen_b],
    )
    assert saved == 1
    b.refresh_from_db()
    assert (b.summary, b.percent, b.updated_by) == ("กองคลัง", 30, contributor)


def test_a_contributor_cannot_write_another_units_row(grid_round, contributor, organisation):
    own, others = entry(grid_round, "1.1"), entry(grid_round, "1.2")  # 1.2 is กองช่าง's
    before = snapshot(grid_round)
    with pytest.raises(progress.NotFillable):
        progress.entries_save(
            report=grid_round,
            by=contributor,
            access=access_of(contributor, organisation),
            rows=[row(own, status="in_progress", percent=5), row(others, summary="แก้ของกองอื่น")],
        )
    assert snapshot(grid_round) == before


def test_a_contributor_fills_her_units_and_every_units_measures(grid_round, contributor, organisation):
    shown = progress.fillable_entries(grid_round, access_of(contributor, organisation))
    assert [e.measure.display_number for e in shown] == ["3", "1.1", "2.1"]


def test_an_approver_fills_nothing(grid_round, approver, organisation):
    a = entry(grid_round, "3")
    assert not progress.fillable_entries(grid_round, access_of(approver, organisation)).exists()
    with pytest.raises(progress.NotFillable):
        progress.entries_save(
            report=grid_round, by=approver, access=access_of(approver, organisation), rows=[row(a, percent=5)]
        )


def test_an_entry_of_another_round_is_not_fillable(grid_round, document, officer, organisation):
    twelve = services.report_start(document=document, round_months=12, by=officer)
    other = twelve.entries.first()
    with pytest.raises(progress.NotFillable):
        progress.entries_save(
            report=grid_round, by=officer, access=access_of(officer, organisation), rows=[row(other, percent=5)]
        )


def test_a_report_that_is_not_a_draft_is_refused(grid_round, officer, organisation):
    ProgressReport.objects.filter(pk=grid_round.pk).update(status=DocumentStatus.SUBMITTED)
    before = snapshot(grid_round)
    with pytest.raises(ServiceError, match="แก้ไขไม่ได้"):
        progress.entries_save(
            report=grid_round,
            by=officer,
            access=access_of(officer, organisation),
            rows=[row(entry(grid_round, "3"), percent=5, status="in_progress")],
        )
    assert snapshot(grid_round) == before


def test_too_many_rows_and_the_same_row_twice_are_refused(grid_round, officer, organisation):
    a = entry(grid_round, "3")
    access = access_of(officer, organisation)
    with pytest.raises(ServiceError, match="ไม่เกิน"):
        progress.entries_save(report=grid_round, by=officer, access=access, rows=[row(a)] * (progress.MAX_ROWS + 1))
    with pytest.raises(ServiceError, match="มากกว่าหนึ่งแถว"):
        progress.entries_save(report=grid_round, by=officer, access=access, rows=[row(a), row(a, percent=5)])


# --- The page -----------------------------------------------------------------------------


def test_the_grid_lists_the_rounds_measures_in_print_order_with_every_field(client_for, officer, grid_round):
    page = client_for(officer).get(URL).text
    order = [page.index(f"มาตรการ {n}<") for n in ("3", "1.1", "1.2", "2.1")]
    assert order == sorted(order)
    assert "data-keep-typed" in page and 'data-busy="กำลังบันทึก…"' in page
    assert page.count('name="rows-0-') == 9  # entry, revision and the seven fields
    assert 'name="rows-3-completed_on"' in page and 'placeholder="วว/ดด/ปปปป"' in page
    assert "(จำเป็นต้องกรอก)" in page  # status and percent are marked as includes/field.html does
    assert "css/grid.css" in page and "style=" not in page
    assert 'hx-get="' in page and 'hx-push-url="true"' in page


def test_a_contributor_sees_only_the_rows_she_may_fill(client_for, contributor, grid_round):
    page = client_for(contributor).get(URL).text
    assert "ซ่อมแซมถนนตามคำร้องเรียน" not in page  # กองช่าง's
    for title in ("เผยแพร่แผนการจัดซื้อจัดจ้าง", "ประกาศเจตจำนงสุจริต", "ตรวจสอบการเบิกจ่ายงบประมาณ"):
        assert title in page


def test_the_unit_filter_shows_that_units_measures_and_those_of_every_unit(client_for, officer, grid_round, works):
    page = client_for(officer).get(URL, {"unit": works.pk}).text
    assert "ซ่อมแซมถนนตามคำร้องเรียน" in page and "ประกาศเจตจำนงสุจริต" in page
    assert "เผยแพร่แผนการจัดซื้อจัดจ้าง" not in page
    assert f'action="{URL}?unit={works.pk}"' in page
    # A unit that is not a number, or not this organisation's, is refused in Thai; the grid shows all.
    page = client_for(officer).get(URL, {"unit": "abc"}).text
    assert "ไม่พบหน่วยงานที่เลือก" in page and "เผยแพร่แผนการจัดซื้อจัดจ้าง" in page
    assert client_for(officer).get(URL, {"unit": "9" * 40}).status_code == 200


def test_one_press_saves_every_changed_row_and_comes_back_to_the_same_filter(client_for, officer, grid_round, works):
    client = client_for(officer)
    data = grid_post(
        grid_round,
        {
            "1.2": {"status": "done", "percent": "100", "summary": "ซ่อมแล้ว ๓ จุด", "completed_on": "15/03/2567"},
            "2.1": {"status": "in_progress", "percent": "๕๐", "problems": "งบประมาณล่าช้า"},
        },
        numbers=("1.2", "2.1"),
    )
    response = client.post(f"{URL}?unit={works.pk}", data)
    assert response.status_code == 302 and response.url == f"{URL}?unit={works.pk}"
    repaired, pledge = entry(grid_round, "1.2"), entry(grid_round, "2.1")
    assert (repaired.status, repaired.summary, repaired.completed_on.isoformat()) == (
        "done",
        "ซ่อมแล้ว ๓ จุด",
        "2024-03-15",
    )
    assert (pledge.percent, pledge.problems, pledge.updated_by) == (50, "งบประมาณล่าช้า", officer)
    assert "บันทึกผลการดำเนินการ 2 มาตรการแล้ว" in client.get(response.url).text
    # Sent again unchanged: nothing is written.
    again = client.post(URL, grid_post(grid_round, {}))
    assert "ไม่มีการเปลี่ยนแปลง" in client.get(again.url).text
    assert entry(grid_round, "1.2").revision == 2


def test_bad_rows_are_named_with_their_field_and_nothing_is_saved(client_for, officer, grid_round):
    before = snapshot(grid_round)
    too_long = "ก" * (TEXT_MAX_LENGTH + 1)
    data = grid_post(
        grid_round,
        {
            "3": {"status": "in_progress", "percent": "40", "summary": "ผลที่ถูกต้องของแถวแรก"},
            "1.1": {"percent": "101", "summary": "ข้อความที่พิมพ์ไว้ต้องไม่หาย"},
            "1.2": {"percent": "abc"},
            "2.1": {"status": "done", "completed_on": "31/02/2567", "outcome": too_long},
        },
    )
    response = client_for(officer).post(URL, data)
    assert response.status_code == 200
    page = response.text
    assert "พบข้อผิดพลาด 3 แถว" in page
    assert "แถวที่ 2 (มาตรการ 1.1): ความก้าวหน้า (ร้อยละ): ร้อยละต้องอยู่ระหว่าง 0 ถึง 100" in page
    assert "แถวที่ 3 (มาตรการ 1.2): ความก้าวหน้า (ร้อยละ): กรุณากรอกร้อยละเป็นตัวเลข 0 ถึง 100" in page
    assert "แถวที่ 4 (มาตรการ 2.1): วันที่แล้วเสร็จ: " in page
    assert f"แถวที่ 4 (มาตรการ 2.1): ผลลัพธ์/ความสำเร็จ: ข้อความยาวเกิน {TEXT_MAX_LENGTH} ตัวอักษร" in page
    assert 'href="#id_rows-1-percent"' in page and 'href="#id_rows-3-completed_on"' in page
    # Everything typed is on the page again, the valid first row too; nothing was saved.
    assert "ผลที่ถูกต้องของแถวแรก" in page and "ข้อความที่พิมพ์ไว้ต้องไม่หาย" in page
    assert 'value="101"' in page and 'value="abc"' in page and 'value="31/02/2567"' in page
    assert snapshot(grid_round) == before


def test_the_date_error_is_thai(client_for, officer, grid_round):
    data = grid_post(grid_round, {"2.1": {"status": "done", "completed_on": "31/02/2567"}})
    page = client_for(officer).post(URL, data).text
    start = page.index("แถวที่ 4 (มาตรการ 2.1): วันที่แล้วเสร็จ: ") + len("แถวที่ 4 (มาตรการ 2.1): วันที่แล้วเสร็จ: ")
    message = page[start : page.index("<", start)]
    assert message and all(not ch.isascii() or not ch.isalpha() for ch in message), message


def test_a_conflict_is_a_row_error_and_nothing_is_saved(client_for, officer, contributor, grid_round):
    data = grid_post(
        grid_round,
        {"3": {"status": "in_progress", "percent": "20"}, "1.1": {"summary": "ของเจ้าหน้าที่"}},
    )
    services.entry_update(entry=entry(grid_round, "1.1"), by=contributor, revision=1, summary="ของกองคลัง")
    before = snapshot(grid_round)
    page = client_for(officer).post(URL, data).text
    assert "พบข้อผิดพลาด 1 แถว" in page
    assert "แถวที่ 2 (มาตรการ 1.1): มีผู้แก้ไขแถวนี้ระหว่างที่คุณกรอก" in page
    assert 'href="#row-2"' in page and "ของเจ้าหน้าที่" in page
    assert snapshot(grid_round) == before


def test_a_contributor_posting_another_units_row_is_refused_and_nothing_saved(client_for, contributor, grid_round):
    before = snapshot(grid_round)
    data = grid_post(
        grid_round,
        {"1.1": {"status": "in_progress", "percent": "10"}, "1.2": {"summary": "แก้ของกองช่าง"}},
        numbers=("1.1", "1.2"),
    )
    assert client_for(contributor).post(URL, data).status_code == 404
    assert snapshot(grid_round) == before


def test_more_rows_than_the_round_has_are_refused_in_thai(client_for, officer, grid_round):
    before = snapshot(grid_round)
    rows = [as_posted(entry(grid_round, n)) for n in ("3", "1.1", "1.2", "2.1")]
    data = payload([*rows, rows[0]])
    page = client_for(officer).post(URL, data).text
    assert "ตารางมีมากกว่า 4 แถว" in page
    assert snapshot(grid_round) == before
    # A table claiming thousands of rows builds no more forms than the cap.
    data["rows-TOTAL_FORMS"] = "100000"
    assert "ตารางมีมากกว่า 4 แถว" in client_for(officer).post(URL, data).text
    # No management form at all: the page again, nothing saved.
    page = client_for(officer).post(URL, {"rows-0-entry": "1"}).text
    assert "ข้อมูลของตารางไม่ครบ" in page
    assert snapshot(grid_round) == before


def test_the_same_row_twice_is_refused(client_for, officer, grid_round):
    first = as_posted(entry(grid_round, "3"))
    page = client_for(officer).post(URL, payload([first, first | {"percent": "5"}])).text
    assert "ข้อมูลของตารางไม่ครบ" in page
    assert entry(grid_round, "3").revision == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("approver", 403), ("oversight", 403), ("outsider", 404)],
)
def test_who_may_not_fill_is_refused(request, client_for, grid_round, persona, status):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(URL).status_code == status
    before = snapshot(grid_round)
    data = grid_post(grid_round, {"3": {"status": "in_progress", "percent": "10"}})
    assert client.post(URL, data).status_code == status
    assert snapshot(grid_round) == before


def test_anonymous_is_sent_to_log_in(client, grid_round):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_round_not_started_is_not_found(client_for, officer, document):
    assert client_for(officer).get(URL).status_code == 404


def test_a_report_not_a_draft_is_read_only_and_refuses_a_post(client_for, officer, grid_round):
    e = entry(grid_round, "1.1")
    services.entry_update(entry=e, by=officer, revision=None, status="in_progress", percent=30, summary="ผลที่บันทึกไว้")
    data = grid_post(grid_round, {"3": {"status": "in_progress", "percent": "10"}})
    ProgressReport.objects.filter(pk=grid_round.pk).update(status=DocumentStatus.SUBMITTED)
    client = client_for(officer)
    page = client.get(URL).text
    assert "จึงแก้ไขไม่ได้" in page and "ผลที่บันทึกไว้" in page
    assert "<textarea" not in page and 'method="post" action="/staff/test-town' not in page
    before = snapshot(grid_round)
    assert client.post(URL, data).status_code == 403
    assert snapshot(grid_round) == before


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_pages_queries_do_not_grow_with_its_rows(client_for, officer, grid_round, document, finance, works):
    client = client_for(officer)
    client.get(URL)  # the session and the first-request caches
    few = _queries(client)
    services.report_start(document=document, round_months=12, by=officer)  # another round, unrelated
    for number in range(10, 30):
        services.measure_create(
            document=document,
            by=officer,
            data=MeasureData(title=f"มาตรการ {number}", number=number, units=[finance, works]),
        )
    ProgressReport.objects.get(pk=grid_round.pk).entries.all().delete()
    ProgressReport.objects.filter(pk=grid_round.pk).delete()
    services.report_start(document=document, round_months=6, by=officer)
    many = _queries(client)
    assert ProgressEntry.objects.filter(report__round=6).count() == 24
    assert many == few, (few, many)
    assert few <= 12


def test_a_second_organisations_contributor_with_the_same_unit_name_sees_nothing_here(client_for, grid_round):
    from tests.factories import OrganisationFactory, UnitFactory

    other = OrganisationFactory(slug="elsewhere")
    user = UserFactory(username="elsewhere-contributor")
    MembershipFactory(
        user=user,
        organisation=other,
        role=Membership.Role.CONTRIBUTOR,
        unit=UnitFactory(organisation=other, name="กองคลัง"),
    )
    assert client_for(user).get(URL).status_code == 404


def test_a_tampered_revision_is_a_row_error_not_a_server_error(client_for, officer, grid_round):
    data = grid_post(grid_round, {"3": {"revision": "9" * 40, "status": "in_progress", "percent": "5"}})
    page = client_for(officer).post(URL, data).text
    assert "แถวที่ 1 (มาตรการ 3): ข้อมูลของตารางไม่ครบ" in page and 'href="#row-1"' in page
    assert entry(grid_round, "3").revision == 1


def test_a_contributor_saves_her_own_row_alone(client_for, contributor, grid_round):
    data = payload([as_posted(entry(grid_round, "1.1")) | {"status": "in_progress", "percent": "40"}])
    response = client_for(contributor).post(URL, data)
    assert response.status_code == 302
    saved = entry(grid_round, "1.1")
    assert (saved.status, saved.percent, saved.updated_by) == ("in_progress", 40, contributor)
