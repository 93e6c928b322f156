"""`manage.py publish_demo` (scripts/demo.sh): the demo's public site has documents from the start."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from measures.models import DocumentStatus, MeasuresDocument
from reports.models import Publication

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_thawons_measures_and_6_month_report_once(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("publish_demo", stdout=out)
    assert out.getvalue().count("Published:") == 2
    assert sorted(Publication.objects.values_list("organisation__slug", "fiscal_year", "kind", "version")) == [
        ("thawon", 2566, "measures", 1),
        ("thawon", 2566, "report-6", 1),
    ]
    page = client.get("/thawon/").content.decode()
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใส" in page and "รายงานผลการดำเนินการ รอบ ๖ เดือน" in page
    pdf = client.get("/thawon/2566/report-6/v1.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # The other organisations stay drafts, for walking through the workflow.
    assert set(MeasuresDocument.objects.exclude(organisation__slug="thawon").values_list("status", flat=True)) == {
        DocumentStatus.DRAFT
    }
    again = StringIO()
    call_command("publish_demo", stdout=again)
    assert again.getvalue().count("Already published") == 2 and Publication.objects.count() == 2


def test_without_the_demo_data_it_says_so_in_thai():
    with pytest.raises(CommandError, match="ยังไม่มีข้อมูลตัวอย่าง"):
        call_command("publish_demo", stdout=StringIO())
