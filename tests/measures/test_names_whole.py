"""Staff tables never split a person's name at a line end: a narrow column broke "สุ|นิสา"."""

import pytest
from django.urls import reverse

from measures import services

pytestmark = pytest.mark.django_db


def test_who_updated_a_result_is_kept_whole_in_the_round_table(client, officer, document, measure):
    report = services.report_start(document=document, round_months=6, by=officer)
    entry = report.entries.get()
    services.entry_update(entry=entry, by=officer, revision=entry.revision, status="in_progress", summary="เริ่มแล้ว")
    client.force_login(officer)
    html = client.get(reverse("measures:round_detail", args=["test-town", 2566, 6])).content.decode()
    assert f'<span class="nowrap">{officer.get_full_name()}</span>' in html


def test_a_round_just_started_names_nobody_as_its_updater(client, officer, document, measure):
    services.report_start(document=document, round_months=6, by=officer)
    client.force_login(officer)
    html = client.get(reverse("measures:round_detail", args=["test-town", 2566, 6])).content.decode()
    table = html[html.index("<table") :]
    assert "ยังไม่มีผู้บันทึก" in table and officer.get_full_name() not in table
