"""Every staff page of the demo data renders for the officer (a broad net under the unit tests)."""

import pytest
from django.urls import reverse

from measures.devdata.demo import load_demo
from measures.models import Measure, MeasuresDocument, ProgressReport


@pytest.fixture
def demo(db):
    load_demo()


@pytest.mark.django_db
def test_every_page_of_the_demo_renders_for_the_officer(demo, client):
    client.post("/accounts/login/", {"username": "officer", "password": "ita-demo-2567"})
    urls = [reverse("measures:dashboard")]
    for document in MeasuresDocument.objects.all():
        org, year = document.organisation.slug, document.fiscal_year
        urls += [
            reverse("measures:organisation", args=[org]),
            reverse("measures:document_detail", args=[org, year]),
            reverse("measures:document_edit", args=[org, year]),
            reverse("measures:document_copy", args=[org, year]),
            reverse("measures:finding_new", args=[org, year]),
            reverse("measures:theme_new", args=[org, year]),
            reverse("measures:measure_new", args=[org, year]),
            reverse("measures:assessment_new", args=[org]),
        ]
        for months in (6, 12):
            urls.append(reverse("measures:round_detail", args=[org, year, months]))
        for measure in Measure.objects.filter(document=document)[:3]:
            urls += [
                reverse("measures:measure_detail", args=[org, year, measure.pk]),
                reverse("measures:measure_edit", args=[org, year, measure.pk]),
                reverse("measures:measure_history", args=[org, year, measure.pk]),
            ]
        for report in ProgressReport.objects.filter(document=document):
            measure = document.measures.first()
            urls.append(reverse("measures:entry_edit", args=[org, year, report.round, measure.pk]))
    urls.append(reverse("measures:assessment_detail", args=["bo-phloi", 2564]))
    urls.append(reverse("measures:assessment_edit", args=["bo-phloi", 2564]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
