"""Dates and the organisation's name on the public pages never split at a line end: each is kept
in one `nowrap` (or `keep`) span, as the official documents keep them (docs/LINE-BREAKING.md)."""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import re

import pytest

from reports import publishing
from tests.reports.test_public_cache import empty_cache  # noqa: F401 - autouse fixture
from tests.reports.test_publishing import published, republished  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

MONTHS = (
    "มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม"
    "|ม\\.ค\\.|ก\\.พ\\.|มี\\.ค\\.|เม\\.ย\\.|พ\\.ค\\.|มิ\\.ย\\.|ก\\.ค\\.|ส\\.ค\\.|ก\\.ย\\.|ต\\.ค\\.|พ\\.ย\\.|ธ\\.ค\\."
)
THAI_DATE = re.compile(rf"[๐-๙0-9]{{1,2}} (?:{MONTHS}) (?:พ\.ศ\. )?[๐-๙0-9]{{4}}")
KEPT = re.compile(r'<span class="(?:nowrap|keep)">(.*?)</span>', re.S)


def main_content(html: str) -> str:
    return html[html.index("<main") :]


def assert_dates_kept(html: str) -> int:
    body = main_content(html)
    kept = KEPT.findall(body)
    dates = THAI_DATE.findall(re.sub(r"<[^>]+>", "", body))
    for date in dates:
        assert any(date in phrase for phrase in kept), f"{date!r} may split at a line end"
    return len(dates)


def test_the_dates_of_the_organisation_and_document_pages_stay_whole(client, republished):
    assert assert_dates_kept(client.get("/test-town/").text) >= 1
    assert assert_dates_kept(client.get("/test-town/2566/measures/").text) >= 3  # published, approved, versions
    assert assert_dates_kept(client.get("/test-town/2566/measures/v1/").text) >= 2


def test_the_withdrawal_notice_keeps_its_dates_and_the_organisation_s_name_whole(
    client, republished, published, officer, organisation
):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    response = client.get("/test-town/2566/measures/v1/")
    assert response.status_code == 410
    assert assert_dates_kept(response.text) >= 3  # published, withdrawn, the other version
    assert f'<span class="nowrap">{organisation.name}</span>' in main_content(response.text)
