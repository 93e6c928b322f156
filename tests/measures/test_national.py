"""The national-scale generator (measures.devdata.national), run small on the test database."""

import hashlib
import json
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from measures import editions
from measures.devdata import national
from measures.models import (
    Decision,
    DocumentStatus,
    Measure,
    MeasuresDocument,
    Membership,
    Organisation,
    OversightScope,
    ProgressEntry,
    ProgressReport,
    Submission,
)
from reports import publishing
from reports.models import Publication
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SMALL = {"organisations": 4, "years": 3, "measures_min": 2, "measures_max": 4}


def _fake_pdf(html: str) -> bytes:
    return b"%PDF-1.4\n% national generator test\n"


@pytest.fixture
def fake_pdf():
    with mock.patch.object(publishing, "render_pdf", _fake_pdf):
        yield


@pytest.fixture
def generated(fake_pdf):
    return national.generate(**SMALL)


def test_it_writes_the_organisations_with_their_people_documents_and_publications(generated):
    assert Organisation.objects.count() == SMALL["organisations"]
    assert Membership.objects.count() == 2 * SMALL["organisations"]
    assert MeasuresDocument.objects.count() == SMALL["organisations"] * SMALL["years"]
    assert generated["measures.Measure"] == Measure.objects.count()
    for model in (ProgressReport, ProgressEntry, Submission, Decision, Publication, OversightScope):
        assert model.objects.exists(), model


def test_every_document_has_between_the_minimum_and_maximum_measures(generated):
    for document in MeasuresDocument.objects.all():
        assert SMALL["measures_min"] <= document.measures.count() <= SMALL["measures_max"]


def test_the_organisations_are_valid_with_unique_slugs(generated):
    for organisation in Organisation.objects.all():
        organisation.full_clean()
    assert Organisation.objects.get(kind=Organisation.Kind.PROVINCIAL).name.startswith("องค์การบริหารส่วนจังหวัด")


def test_every_account_has_the_documented_password(generated):
    users = get_user_model().objects.all()
    assert users.count() == 2 * SMALL["organisations"] + OversightScope.objects.count()
    assert all(user.check_password(national.NATIONAL_PASSWORD) for user in users)


def test_each_submission_holds_the_edition_data_of_its_rows(generated):
    """Every submission (approved, pending or returned) freezes the edition as editions.edition_data
    reads it of the same rows now: the generator writes no memo, so there is no "memo" on either side."""
    submissions = Submission.objects.select_related("document", "report__document")
    kinds = set()
    for submission in submissions:
        target = submission.document or submission.report
        current = json.loads(json.dumps(editions.edition_data(target)))
        assert submission.snapshot["schema"] == editions.SCHEMA and "memo" not in submission.snapshot
        assert submission.snapshot == current, (submission.pk, submission.target)
        kinds.add((current["kind"], current["assessment"] is not None if current["kind"] == "measures" else None))
    # The comparison covered measures documents with their ITA result and reports.
    assert {("measures", True), ("report", None)} <= kinds
    assert {s.status for s in submissions} >= {Submission.Status.APPROVED, Submission.Status.PENDING}


def test_a_publication_freezes_its_own_data_and_the_specimen_of_its_kind(generated):
    publications = Publication.objects.select_related("submission").prefetch_related("submission__decisions")
    specimens = {}
    for publication in publications.order_by("pk"):
        specimen = specimens.setdefault(publication.kind, publication)
        # What publish() stores: the approved submission's snapshot with its approvals.
        approvals = editions.approvals(publication.submission)
        assert approvals and len(approvals) == len(publication.submission.steps)
        assert publication.data == publication.submission.snapshot | {"approvals": approvals}
        assert publication.title == publishing.publication_title(publication.data)[:300]
        assert (publication.html, publication.body_html) == (specimen.html, specimen.body_html)
        assert (publication.pdf.name, publication.sha256) == (specimen.pdf.name, specimen.sha256)
    assert set(specimens) == set(Publication.Kind.values)


def test_the_target_of_a_publication_is_published_and_of_a_pending_submission_submitted(generated):
    for publication in Publication.objects.select_related("document", "report"):
        assert (publication.document or publication.report).status == DocumentStatus.PUBLISHED
    for submission in Submission.objects.filter(status=Submission.Status.PENDING).select_related("document", "report"):
        assert submission.target.status == DocumentStatus.SUBMITTED
        assert submission.decisions.count() == submission.current_step
    for submission in Submission.objects.exclude(status=Submission.Status.PENDING):
        assert submission.decisions.count() == submission.current_step + 1


def test_the_stored_pdf_hashes_to_the_recorded_sha256():
    national.generate(organisations=2, years=2, measures_min=2, measures_max=3)
    for publication in Publication.objects.order_by("kind").distinct():
        with publication.pdf.open("rb") as file:
            pdf = file.read()
        assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == publication.sha256
        assert publication.pdf_size == len(pdf)


def _fingerprint() -> list:
    return [
        list(Organisation.objects.order_by("slug").values_list("slug", "name", "district", "kind")),
        list(
            Measure.objects.order_by(
                "document__organisation__slug", "document__fiscal_year", "theme__number", "number"
            ).values_list("title", "period_start", "whole_year")
        ),
        # A total order (organisation, year, theme, measure, round): ties come back in any order on PostgreSQL.
        list(
            ProgressEntry.objects.order_by(
                "report__document__organisation__slug",
                "report__document__fiscal_year",
                "measure__theme__number",
                "measure__number",
                "report__round",
            ).values_list("status", "percent")
        ),
        sorted(MeasuresDocument.objects.values_list("organisation__slug", "fiscal_year", "status")),
    ]


def test_the_same_seed_gives_the_same_data(fake_pdf):
    runs = []
    for _ in range(2):
        with transaction.atomic():
            national.generate(**SMALL, seed=7)
            runs.append(_fingerprint())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]


def test_it_refuses_to_add_to_a_database_that_has_organisations(fake_pdf):
    OrganisationFactory()
    with pytest.raises(national.GenerationRefused) as refused:
        national.generate(**SMALL)
    assert "มีหน่วยงานอยู่แล้ว" in str(refused.value)
    assert Organisation.objects.count() == 1


def test_the_command_says_in_thai_why_it_refuses(fake_pdf):
    OrganisationFactory()
    with pytest.raises(CommandError, match="มีหน่วยงานอยู่แล้ว"):
        call_command("generate_national_data", organisations=2, years=1)


def test_the_command_prints_its_progress_and_the_elapsed_time(fake_pdf):
    out = StringIO()
    call_command(
        "generate_national_data", organisations=3, years=2, measures_min=1, measures_max=2, batch=2, stdout=out
    )
    text = out.getvalue()
    assert "หน่วยงาน 2/3" in text and "หน่วยงาน 3/3" in text
    assert "สร้างข้อมูลเสร็จใน" in text and national.NATIONAL_PASSWORD in text
    assert get_user_model().objects.filter(username__endswith="-approver").count() == 3


@pytest.mark.parametrize("options", [{"organisations": 0}, {"measures_min": 5, "measures_max": 2}])
def test_options_out_of_range_are_refused(options):
    with pytest.raises(national.GenerationRefused):
        national.generate(**(SMALL | options))
