"""Export then import: round trips between organisations; the pages that offer both, and who may use them.

The spreadsheet helpers are in tests/measures/spreadsheets.py; the `staff`, `rich` and `second_town`
fixtures in tests/measures/conftest.py.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures import services
from measures.devdata.seeds import load_demo_organisation
from measures.loaders import read_json
from measures.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory
from tests.measures.spreadsheets import export, import_file, problems, row, same_table, sheet_rows, xlsx_upload

pytestmark = pytest.mark.django_db


# --- Round trips ---------------------------------------------------------------------------


def test_an_xlsx_exported_from_one_organisation_imports_into_another_and_gives_the_same_table(
    staff, rich, second_town, client
):
    content = export(staff).content
    client.force_login(second_town["officer"])
    response = import_file(client, SimpleUploadedFile("from-test-town.xlsx", content), org="second-town")
    assert response.status_code == 302
    same_table(rich, second_town["document"])
    assert sheet_rows(export(client, org="second-town").content) == sheet_rows(content)


def test_a_csv_export_with_its_byte_order_mark_imports_into_another_organisation(staff, rich, second_town, client):
    content = export(staff, "csv").content
    client.force_login(second_town["officer"])
    response = import_file(client, SimpleUploadedFile("from-test-town.csv", content), org="second-town")
    assert response.status_code == 302
    same_table(rich, second_town["document"])


DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


@pytest.mark.parametrize("seed", ["khao-hua-chang", "thawon", "bo-phloi"])
def test_a_demo_document_exported_to_xlsx_imports_into_a_new_organisation_unchanged(seed, second_town, client):
    data = read_json(DEMO / f"{seed}.json")
    source = load_demo_organisation(data, by=second_town["officer"])
    MembershipFactory(user=second_town["officer"], organisation=source, role=Membership.Role.OFFICER)
    original = source.documents.get()
    target = OrganisationFactory(slug="target-town")
    for unit in source.units.all():
        UnitFactory(organisation=target, name=unit.name, order=unit.order)
    MembershipFactory(user=second_town["officer"], organisation=target, role=Membership.Role.OFFICER)
    copy = services.document_create(organisation=target, fiscal_year=original.fiscal_year, by=second_town["officer"])
    client.force_login(second_town["officer"])
    content = export(client, org=source.slug, year=original.fiscal_year).content
    response = import_file(
        client, SimpleUploadedFile("seed.xlsx", content), org="target-town", year=original.fiscal_year
    )
    assert response.status_code == 302, response.context and problems(response)
    same_table(original, copy)


# --- Pages and rights ----------------------------------------------------------------------


def test_the_document_page_offers_export_and_import(staff, document):
    text = staff.get(reverse("measures:document_detail", args=["test-town", 2566])).text
    assert reverse("measures:document_export", args=["test-town", 2566, "xlsx"]) in text
    assert reverse("measures:document_export", args=["test-town", 2566, "csv"]) in text
    assert reverse("measures:document_import", args=["test-town", 2566]) in text


def test_the_import_page_links_the_template_and_lists_the_unit_names(staff, document, finance, works):
    response = staff.get(reverse("measures:document_import", args=["test-town", 2566]))
    assert reverse("measures:document_import_template", args=["test-town", 2566]) in response.text
    assert "<li>กองคลัง</li>" in response.text and "<li>กองช่าง</li>" in response.text


def test_an_approver_sees_the_export_buttons_but_not_the_import(client, approver, document):
    client.force_login(approver)
    text = client.get(reverse("measures:document_detail", args=["test-town", 2566])).text
    assert "ส่งออก Excel" in text
    assert "นำเข้ามาตรการจากไฟล์" not in text


def test_a_contributor_sees_no_export_button(client, contributor, document):
    client.force_login(contributor)
    text = client.get(reverse("measures:document_detail", args=["test-town", 2566])).text
    assert "ส่งออก Excel" not in text


@pytest.fixture
def round_six(document, officer):
    return services.report_start(document=document, round_months=6, by=officer)


EXPORTS = [
    ("document_export", ["test-town", 2566, "xlsx"]),
    ("document_export", ["test-town", 2566, "csv"]),
    ("round_export", ["test-town", 2566, 6, "xlsx"]),
    ("document_import_template", ["test-town", 2566]),
]


@pytest.mark.parametrize(("name", "args"), EXPORTS)
def test_a_contributor_may_not_download_a_spreadsheet(name, args, client, contributor, round_six):
    client.force_login(contributor)
    assert client.get(reverse(f"measures:{name}", args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), EXPORTS)
def test_an_officer_of_another_organisation_gets_404_for_a_spreadsheet(name, args, client, outsider, round_six):
    client.force_login(outsider)
    assert client.get(reverse(f"measures:{name}", args=args)).status_code == 404


@pytest.mark.parametrize(("name", "args"), EXPORTS)
def test_an_anonymous_visitor_is_sent_to_the_login_page(name, args, client, round_six):
    response = client.get(reverse(f"measures:{name}", args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_approver_may_export_the_document_and_the_round(client, approver, round_six):
    client.force_login(approver)
    assert export(client).status_code == 200
    assert client.get(reverse("measures:round_export", args=["test-town", 2566, 6, "csv"])).status_code == 200


def test_oversight_may_not_export_a_document_or_a_round(client, oversight, round_six):
    client.force_login(oversight)
    assert export(client).status_code == 403
    assert client.get(reverse("measures:round_export", args=["test-town", 2566, 6, "csv"])).status_code == 403


@pytest.mark.parametrize("persona", ["approver", "oversight", "contributor"])
def test_a_persona_without_the_edit_right_cannot_import_and_nothing_changes(
    persona, client, request, document, finance
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("measures:document_import", args=["test-town", 2566])).status_code == 403
    assert import_file(client, xlsx_upload([row()])).status_code == 403
    assert not document.measures.exists()


def test_an_outsider_cannot_import_into_another_organisation(client, outsider, document, finance):
    client.force_login(outsider)
    assert import_file(client, xlsx_upload([row()])).status_code == 404
    assert not document.measures.exists()


def test_an_organisation_administrator_may_import(client, org_admin, document, finance):
    client.force_login(org_admin)
    assert import_file(client, xlsx_upload([row()])).status_code == 302
    assert document.measures.count() == 1
