"""A document's measures on their own page (issue 18): filters, sorting, pages; what an empty list
says; who sees which measures; the htmx answer (the table only); the way back to the saved row
after a measure's form; a bounded number of queries."""

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures import services, workflow
from measures.models import Measure
from measures.services import MeasureData
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("measures:measure_list", args=["test-town", 2566])
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def measures(document, theme, officer, finance, works):
    """Three measures in two themes: กองคลัง's, กองช่าง's, and one of every unit."""
    second = services.theme_save(document=document, by=officer, number=2, title="ด้านการป้องกันการทุจริต")

    def add(title, number, theme, **data):
        return services.measure_create(
            document=document, by=officer, data=MeasureData(title=title, number=number, theme=theme, **data)
        )

    return {
        "finance": add("ประกาศแผนการจัดซื้อจัดจ้าง", 1, theme, units=[finance], steps=["จัดทำประกาศ"]),
        "works": add("ตรวจรับงานก่อสร้างโดยเปิดเผย", 2, theme, units=[works]),
        "all": add("อบรมจริยธรรมพนักงาน", 1, second, all_units=True),
    }


def rows(response) -> list[int]:
    """The measures' ids in the order of the table's rows (each row is #m-<pk>)."""
    return [int(pk) for pk in re.findall(r'<tr[^>]*id="m-(\d+)"', response.content.decode())]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- Filters, sorting, empty lists ---------------------------------------------------------------


def test_the_list_shows_every_measure_in_print_order_with_links_and_anchors(measures, officer, client_for):
    response = client_for(officer).get(LIST)
    assert response.status_code == 200
    assert rows(response) == [measures["finance"].pk, measures["works"].pk, measures["all"].pk]
    page = response.content.decode()
    edit = reverse("measures:measure_edit", args=["test-town", 2566, measures["works"].pk])
    assert f'href="{edit}?{urlencode({"next": LIST})}"' in page  # the edit link knows the way back
    assert "ทั้งหมด 3 มาตรการ" in text(response)


def test_filters_by_text_theme_and_unit(measures, officer, client_for, works):
    client = client_for(officer)
    assert rows(client.get(LIST, {"q": "จัดซื้อ"})) == [measures["finance"].pk]
    assert rows(client.get(LIST, {"q": "จัดทำประกาศ"})) == [measures["finance"].pk]  # a step's text
    assert rows(client.get(LIST, {"theme": measures["all"].theme_id})) == [measures["all"].pk]
    # A unit's measures include those of every unit.
    assert rows(client.get(LIST, {"unit": works.pk})) == [measures["works"].pk, measures["all"].pk]
    assert "พบ 2 มาตรการที่ตรงกับตัวกรอง" in text(client.get(LIST, {"unit": works.pk}))


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["works", "finance", "all"]),  # ตรวจ…, ประกาศ…, อบรม…
        ("-number", ["all", "works", "finance"]),
        ("-theme", ["all", "works", "finance"]),
        ("units", ["all", "finance", "works"]),  # every unit's first, then กองคลัง, กองช่าง
        ("-units", ["works", "finance", "all"]),
    ],
)
def test_sorting_by_a_column(measures, officer, client_for, sort, expected):
    assert rows(client_for(officer).get(LIST, {"sort": sort})) == [measures[key].pk for key in expected]


def test_the_sort_is_kept_by_the_filter_form_and_the_filters_by_the_sort_links(measures, officer, client_for):
    page = client_for(officer).get(LIST, {"sort": "-number", "q": "จัด"}).content.decode()
    assert '<input type="hidden" name="sort" value="-number">' in page
    assert (
        f'href="?{urlencode({"sort": "number", "q": "จัด"}).replace("&", "&amp;")}"' in page
    )  # the sort links keep the search


def test_a_filter_without_a_match_says_so_with_a_link_that_clears_the_filters(measures, officer, client_for):
    response = client_for(officer).get(LIST, {"q": "ไม่มีคำนี้แน่นอน"})
    page = text(response)
    assert "ไม่พบมาตรการที่ตรงกับตัวกรอง" in page
    assert "ยังไม่มีมาตรการ" not in page
    assert f'<a href="{LIST}">ล้างตัวกรองและแสดงมาตรการทั้งหมด</a>' in response.content.decode()


def test_a_document_without_measures_says_so_and_offers_the_add_button_to_its_editors(
    document, officer, approver, client_for
):
    page = client_for(officer).get(LIST).content.decode()
    assert "ยังไม่มีมาตรการ" in page and "ไม่พบมาตรการที่ตรงกับตัวกรอง" not in page
    assert "เพิ่มมาตรการ</a>" in page
    page = client_for(approver).get(LIST).content.decode()
    assert "ยังไม่มีมาตรการ" in page
    assert "เพิ่มมาตรการ</a>" not in page and "แก้ไข</a>" not in page


def test_pages_of_25_measures(document, officer, client_for):
    for number in range(1, 31):
        services.measure_create(
            document=document, by=officer, data=MeasureData(title=f"มาตรการ {number}", number=number, all_units=True)
        )
    client = client_for(officer)
    assert len(rows(client.get(LIST))) == 25
    assert len(rows(client.get(LIST, {"page": 2}))) == 5


def test_a_tampered_query_is_harmless(measures, officer, client_for):
    client = client_for(officer)
    for query in ({"sort": "<script>"}, {"theme": "9" * 30}, {"status": "<b>"}, {"page": "x"}):
        response = client.get(LIST, query)
        assert response.status_code in (200, 404)
        assert "<script>" not in response.content.decode() and "<b>" not in response.content.decode()


# --- Who sees what -------------------------------------------------------------------------------


def test_a_contributor_lists_only_her_units_measures_and_cannot_edit_them(measures, contributor, client_for):
    response = client_for(contributor).get(LIST)
    assert response.status_code == 200
    assert rows(response) == [measures["finance"].pk, measures["all"].pk]
    page = response.content.decode()
    assert "ตรวจรับงานก่อสร้าง" not in page
    assert "มาตรการที่หน่วยงานของคุณรับผิดชอบ" in page
    assert "แก้ไข</a>" not in page and "เพิ่มมาตรการ" not in page and "ดาวน์โหลด PDF" not in page


def test_a_contributor_whose_unit_has_no_measure_is_told_so(measures, organisation, client_for):
    from measures.models import Membership, Unit

    lonely = Unit.objects.create(organisation=organisation, name="กองการศึกษา")
    user = UserFactory(username="lonely")
    MembershipFactory(user=user, organisation=organisation, role=Membership.Role.CONTRIBUTOR, unit=lonely)
    response = client_for(user).get(LIST)
    assert rows(response) == [measures["all"].pk]  # every unit's measure is hers too
    response = client_for(user).get(LIST, {"q": "ประกาศ"})
    assert "ไม่พบมาตรการที่ตรงกับตัวกรอง" in text(response)


@pytest.mark.parametrize(("persona", "status"), [("oversight", 403), ("outsider", 404)])
def test_oversight_and_other_organisations_are_refused(measures, persona, status, request, client_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(LIST).status_code == status


def test_an_anonymous_visitor_is_sent_to_the_login(measures, client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_post_is_not_allowed(measures, officer, client_for):
    assert client_for(officer).post(LIST).status_code == 405


def test_an_approver_reads_the_list_without_edit_links(measures, approver, client_for):
    response = client_for(approver).get(LIST)
    assert len(rows(response)) == 3
    assert "แก้ไข</a>" not in response.content.decode()


def test_a_submitted_document_is_listed_without_edit_links(measures, chain, document, officer, client_for):
    workflow.submit(target=document, by=officer)
    response = client_for(officer).get(LIST)
    assert len(rows(response)) == 3
    assert "แก้ไข</a>" not in response.content.decode() and "เพิ่มมาตรการ</a>" not in response.content.decode()


# --- htmx ----------------------------------------------------------------------------------------


def test_an_htmx_request_gets_the_table_only_and_the_count_out_of_band(measures, officer, client_for):
    client = client_for(officer)
    response = client.get(LIST, {"q": "จัดซื้อ"}, **HTMX)
    page = response.content.decode()
    assert rows(response) == [measures["finance"].pk]
    assert "<html" not in page and "<form" not in page and "<h1" not in page
    assert '<p id="measure-count" hx-swap-oob="innerHTML">พบ 1 มาตรการที่ตรงกับตัวกรอง</p>' in page
    assert "HX-Request" in response["Vary"]
    # The full page (no htmx, or htmx restoring a page from history) carries the form that asks for it.
    for extra in ({}, {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}):
        full = client.get(LIST, **extra).content.decode()
        assert "<h1" in full and 'hx-get="' + LIST + '"' in full and 'hx-target="#measure-results"' in full
        assert 'hx-push-url="true"' in full and '<button type="submit">กรอง</button>' in full
        assert "hx-on" not in full and "<script>" not in full


# --- Back to the row after a save ----------------------------------------------------------------


def post_edit(client, measure, theme, *, title="ประกาศแผนการจัดซื้อจัดจ้างประจำปี", **extra):
    url = reverse("measures:measure_edit", args=["test-town", 2566, measure.pk])
    data = {
        "theme": theme.pk,
        "number": measure.number,
        "title": title,
        "all_units": "on",
        "revision": measure.revision,
    }
    data |= extra
    return client.post(url, data)


def test_saving_a_measure_goes_back_to_the_filtered_list_at_its_row(measures, theme, officer, client_for):
    measure = measures["finance"]
    came_from = f"{LIST}?q=%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%81%E0%B8%B2%E0%B8%A8&sort=-number&page=1"
    form = client_for(officer).get(
        reverse("measures:measure_edit", args=["test-town", 2566, measure.pk]), {"next": came_from}
    )
    assert f'name="next" value="{came_from.replace("&", "&amp;")}"' in form.content.decode()
    response = post_edit(client_for(officer), measure, theme, next=came_from)
    assert response.status_code == 302
    assert response.url == f"{came_from}#m-{measure.pk}"
    assert Measure.objects.get(pk=measure.pk).title == "ประกาศแผนการจัดซื้อจัดจ้างประจำปี"
    landed = client_for(officer).get(response.url.partition("#")[0])
    assert measure.pk in rows(landed)
    assert "บันทึกมาตรการ 1.1 แล้ว" in landed.content.decode()


def test_saving_without_next_goes_to_the_plain_list_at_the_row(measures, theme, officer, client_for):
    measure = measures["finance"]
    response = post_edit(client_for(officer), measure, theme)
    assert response.url == f"{LIST}#m-{measure.pk}"


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/staff/test-town/measures/2566/m/",
        "//evil.example/staff/test-town/measures/2566/m/",
        "/staff/test-town/measures/2566/",  # another page of the portal
        "/staff/test-town/measures/2565/m/",  # another document's list
        "/staff/other-town/measures/2566/m/",
        "javascript:alert(1)",
        "/staff/test-town/measures/2566/m/\r\nSet-Cookie: x=1",
        LIST + "?" + "q=" + "ก" * 3000,
    ],
)
def test_an_unsafe_next_is_refused_for_the_plain_list(measures, theme, officer, client_for, unsafe):
    measure = measures["finance"]
    response = post_edit(client_for(officer), measure, theme, next=unsafe)
    assert response.status_code == 302
    assert response.url == f"{LIST}#m-{measure.pk}"


def test_next_keeps_only_the_lists_own_parameters(measures, theme, officer, client_for):
    measure = measures["finance"]
    response = post_edit(client_for(officer), measure, theme, next=f"{LIST}?q=x&evil=1&next=//evil.example&sort=title")
    assert response.url == f"{LIST}?q=x&sort=title#m-{measure.pk}"


def test_a_new_measure_goes_to_the_list_at_its_row_and_save_and_add_keeps_the_way_back(
    document, theme, officer, client_for
):
    client = client_for(officer)
    new = reverse("measures:measure_new", args=["test-town", 2566])
    came_from = f"{LIST}?theme={theme.pk}"
    data = {"theme": theme.pk, "title": "มาตรการใหม่", "all_units": "on", "next": came_from}
    response = client.post(new, data)
    created = Measure.objects.get(title="มาตรการใหม่")
    assert response.url == f"{came_from}#m-{created.pk}"
    response = client.post(new, data | {"title": "มาตรการถัดไป", "save_add": "1"})
    assert response.url == f"{new}?{urlencode({'theme': theme.pk, 'next': came_from})}"


def test_the_list_add_button_and_the_detail_page_carry_the_way_back(measures, officer, client_for):
    client = client_for(officer)
    came_from = f"{LIST}?sort=-number"
    page = client.get(came_from).content.decode()
    assert f"{reverse('measures:measure_new', args=['test-town', 2566])}?next=%2F" in page
    measure = measures["works"]
    detail = client.get(reverse("measures:measure_detail", args=["test-town", 2566, measure.pk]), {"next": came_from})
    page = detail.content.decode()
    assert f'href="{came_from}#m-{measure.pk}"' in page  # back to the list, at the row
    assert "?next=%2Fstaff%2Ftest-town%2Fmeasures%2F2566%2Fm%2F%3Fsort%3D-number" in page  # edit and delete


def test_deleting_a_measure_goes_back_to_the_list_and_says_it_can_be_restored(measures, officer, client_for):
    client = client_for(officer)
    measure = measures["works"]
    url = reverse("measures:measure_delete", args=["test-town", 2566, measure.pk])
    came_from = f"{LIST}?sort=title"
    confirm = client.get(url, {"next": came_from}).content.decode()
    assert f'name="next" value="{came_from}"' in confirm
    response = client.post(url, {"confirmed": "1", "next": came_from})
    assert response.url == came_from
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert "ลบมาตรการแล้ว — กู้คืนได้จากถังขยะของเอกสาร" in client.get(came_from).content.decode()


# --- Cost ----------------------------------------------------------------------------------------


def add(document, officer, units, count, start):
    theme = document.themes.first()
    for number in range(start, start + count):
        services.measure_create(
            document=document,
            by=officer,
            data=MeasureData(title=f"มาตรการที่ {number}", number=number, theme=theme, units=units, steps=["ก", "ข"]),
        )


def count_queries(client, url, **extra) -> int:
    client.get(url, **extra)  # warm the session and content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **extra).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["officer", "contributor"])
@pytest.mark.parametrize("extra", [{}, HTMX], ids=["page", "htmx"])
def test_the_list_costs_as_many_queries_for_60_measures_as_for_3(
    theme, officer, finance, works, request, client_for, persona, extra
):
    services.report_start(document=theme.document, round_months=6, by=officer)
    add(theme.document, officer, [finance, works], 3, 1)
    client = client_for(request.getfixturevalue(persona))
    urls = [LIST, f"{LIST}?sort=units", f"{LIST}?q=มาตรการ&unit={finance.pk}&sort=-period&page=2"]
    small = [count_queries(client, url, **extra) for url in urls[:2]]
    add(theme.document, officer, [finance, works], 57, 4)
    big = [count_queries(client, url, **extra) for url in urls]
    assert big[:2] <= small, (small, big)  # no query per row
    assert max(big) <= 20, big


# --- The document's page -------------------------------------------------------------------------


def test_the_document_page_summarises_the_measures_by_theme_and_links_to_the_list(measures, officer, client_for):
    url = reverse("measures:document_detail", args=["test-town", 2566])
    response = client_for(officer).get(url)
    page = text(response)
    assert "ทั้งหมด 3 มาตรการ" in page
    assert "1. ด้านการเปิดเผยข้อมูล — 2 มาตรการ" in page and "2. ด้านการป้องกันการทุจริต — 1 มาตรการ" in page
    html = response.content.decode()
    assert f'href="{LIST}">ดูและแก้ไขมาตรการทั้งหมด</a>' in html
    assert f'href="{LIST}?theme={measures["finance"].theme_id}"' in html
    assert reverse("measures:document_trash", args=["test-town", 2566]) in html
    assert "ถังขยะ (กู้คืนสิ่งที่ลบ)" in html
    # The measures themselves are on the list's page only.
    assert 'id="m-' not in html and "ตรวจรับงานก่อสร้าง" not in html


def test_the_document_page_counts_only_a_contributors_measures_and_offers_no_trash(measures, contributor, client_for):
    html = client_for(contributor).get(reverse("measures:document_detail", args=["test-town", 2566])).content.decode()
    assert "ทั้งหมด 2 มาตรการ" in text_of(html)
    assert "ดูมาตรการทั้งหมด</a>" in html and "ถังขยะ" not in html


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
