"""Staff pages of measures: steps as the officer typed them (her own markers once, the portal's
numbers only where she typed none, as documents print them), and a list that says why it is empty."""

import re

from django.urls import reverse

from measures import services
from measures.services import MeasureData


def _page_text(client, measure) -> str:
    url = reverse("measures:measure_detail", args=[measure.document.organisation.slug, 2566, measure.pk])
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_typed_markers_show_once_and_an_introduction_stays_unnumbered(document, theme, officer, client_for):
    steps = ["จัดประชุมชี้แจง ดังนี้", "๑) ผู้บริหาร", "๒) พนักงาน"]
    data = MeasureData(title="ชี้แจงแนวทาง", number=1, theme=theme, all_units=True, steps=steps)
    measure = services.measure_create(document=document, by=officer, data=data)
    text = _page_text(client_for(officer), measure)
    assert "จัดประชุมชี้แจง ดังนี้ ๑) ผู้บริหาร ๒) พนักงาน" in text
    assert "1. จัดประชุมชี้แจง" not in text and "๑) ๑)" not in text


def test_unnumbered_steps_are_numbered_by_the_portal(document, theme, officer, client_for):
    data = MeasureData(title="ประชาสัมพันธ์", number=1, theme=theme, all_units=True, steps=["ติดประกาศ", "แจ้งทางไลน์"])
    measure = services.measure_create(document=document, by=officer, data=data)
    text = _page_text(client_for(officer), measure)
    assert "1. ติดประกาศ 2. แจ้งทางไลน์" in text


def test_a_filter_without_a_match_says_so_and_an_empty_document_says_it_has_none(
    document, measure, officer, client_for
):
    client = client_for(officer)
    url = reverse("measures:measure_list", args=["test-town", 2566])
    assert "ไม่พบมาตรการที่ตรงกับตัวกรอง" in client.get(url, {"q": "ไม่มีคำนี้แน่นอน"}).content.decode()
    assert "ยังไม่มีมาตรการ" not in client.get(url, {"q": "ไม่มีคำนี้แน่นอน"}).content.decode()
    assert "ไม่พบมาตรการที่ตรงกับตัวกรอง" not in client.get(url).content.decode()
    measure.delete()
    assert "ยังไม่มีมาตรการ" in client.get(url).content.decode()
