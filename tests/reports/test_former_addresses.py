"""Published URLs are permanent promises: after an organisation changes its address, every URL
under the old one, public or staff, answers 301 to the same URL under the new one; the old
address stays the organisation's; bad addresses are refused in Thai and change nothing."""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures import organisations
from measures.models import FormerSlug, Organisation
from reports import publishing
from tests.factories import OrganisationFactory
from tests.reports.test_publishing import published  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

OLD, NEW = "test-town", "ban-na"
DOC = [2566, "measures"]

# Every kind of public URL of an organisation: (URL name, arguments after the slug).
PUBLIC = [
    ("reports:organisation", []),
    ("reports:publication_latest", DOC),
    ("reports:publication_latest_pdf", DOC),
    ("reports:publication_version", [*DOC, 1]),
    ("reports:publication_pdf", [*DOC, 1]),
    ("reports:publication_html", [*DOC, 1]),
    ("reports:publication_memo_pdf", [*DOC, 1]),
    ("reports:publication_json", [*DOC, 1]),
    ("reports:publication_csv", [*DOC, 1]),
    ("reports:publication_latest_json", DOC),
    ("reports:publication_latest_csv", DOC),
    ("reports:oit", [2566]),
    ("reports:scores_json", []),
    ("reports:scores_csv", []),
    ("reports:organisation_feed", []),
    ("reports:embed", []),
]
# Staff pages under /staff/<slug>/, for the organisation's administrator.
STAFF = [
    ("measures:organisation", []),
    ("measures:document_detail", [2566]),
    ("measures:organisation_settings", []),
    ("measures:people", []),
    ("reports:document_print", [2566]),
    ("reports:document_pdf", [2566]),
]


@pytest.fixture
def with_memo(approved, officer):
    return publishing.publish(target=approved, by=officer, with_memo=True)


@pytest.fixture
def moved(with_memo, organisation, org_admin):
    """Test-town, its 2566 measures published with the memo, then moved to /ban-na/."""
    return organisations.change_slug(organisation=organisation, by=org_admin, slug=NEW)


def read(response) -> int:
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


@pytest.mark.parametrize(("name", "args"), PUBLIC)
def test_every_public_url_under_the_old_address_moves_permanently_to_the_new_one(client, moved, name, args):
    old, new = reverse(name, args=[OLD, *args]), reverse(name, args=[NEW, *args])
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)
    assert read(client.get(new)) == 200


@pytest.mark.parametrize(("name", "args"), STAFF)
def test_every_staff_url_under_the_old_address_moves_too(client_for, org_admin, moved, name, args):
    client = client_for(org_admin)
    response = client.get(reverse(name, args=[OLD, *args]))
    assert (response.status_code, response["Location"]) == (301, reverse(name, args=[NEW, *args]))
    assert read(client.get(response["Location"])) == 200


def test_the_query_string_goes_along_and_a_posted_form_keeps_its_method(client_for, org_admin, moved):
    client = client_for(org_admin)
    response = client.get(reverse("reports:organisation", args=[OLD]) + "?year=2566&x=%E0%B8%81")
    assert response["Location"] == reverse("reports:organisation", args=[NEW]) + "?year=2566&x=%E0%B8%81"
    posted = client.post(reverse("measures:organisation_settings", args=[OLD]), {"name": "x"})
    assert (posted.status_code, posted["Location"]) == (308, reverse("measures:organisation_settings", args=[NEW]))


def test_an_address_changed_twice_sends_every_old_one_straight_to_the_current_one(client, moved, org_admin):
    organisations.change_slug(organisation=moved, by=org_admin, slug="ban-na-2")
    for old in (OLD, NEW):
        assert client.get(f"/{old}/scores.json")["Location"] == "/ban-na-2/scores.json"


def test_a_missing_page_under_the_new_address_is_still_not_found(client, moved):
    assert client.get(reverse("reports:publication_latest", args=[NEW, 2599, "measures"])).status_code == 404
    assert client.get("/no-such-town/").status_code == 404


def test_a_page_that_is_found_pays_nothing_for_the_redirects(client, moved):
    client.get(f"/{NEW}/scores.json")  # warm up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/{NEW}/scores.json").status_code == 200
    assert not [q for q in queries.captured_queries if "formerslug" in q["sql"].lower()]


def test_the_old_address_of_a_published_document_answers_301_not_404_on_the_public_cache(client, with_memo, org_admin):
    latest = reverse("reports:publication_latest", args=[OLD, *DOC])
    assert client.get(latest).status_code == 200  # kept in the page cache
    organisations.change_slug(organisation=with_memo.organisation, by=org_admin, slug=NEW)
    assert client.get(latest).status_code == 301


# --- The old address stays the organisation's -----------------------------------------------


def test_a_former_address_cannot_be_taken_by_another_organisation(moved, client_for, db):
    other = OrganisationFactory(slug="other")
    with pytest.raises(organisations.DetailsRefused) as refusal:
        organisations.change_slug(organisation=other, by=None, slug=OLD)
    assert "เคยใช้แล้ว" in refusal.value.problems["slug"]
    values = organisations.details(name="อบต.ใหม่", kind=Organisation.Kind.SUBDISTRICT, province="น่าน", slug=OLD)
    with pytest.raises(organisations.DetailsRefused):
        organisations.create_organisation(values=values, by=None, administrator=None)
    assert Organisation.objects.filter(slug=OLD).count() == 0


def test_an_organisation_given_a_former_slug_in_the_admin_keeps_its_own_not_found_pages(client, moved):
    FormerSlug.objects.filter(slug=OLD).delete()
    squatter = OrganisationFactory(slug="squatter")
    FormerSlug.objects.create(organisation=moved, slug="squatter")  # an inconsistency the admin could make
    assert client.get(f"/{squatter.slug}/2599/measures/").status_code == 404


# --- Bad input: refused in Thai, nothing changed ---------------------------------------------


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("feed", "เป็นคำที่ระบบใช้ในที่อยู่เว็บ"),
        ("oversight", "เป็นคำที่ระบบใช้ในที่อยู่เว็บ"),
        ("other-town", "มีหน่วยงานอื่นใช้อยู่หรือเคยใช้แล้ว"),
        ("a" * 200, "ยาวเกิน 80 ตัวอักษร"),
        ("ban na", "ตัวอักษรภาษาอังกฤษตัวเล็ก"),
        ("ban--na", "ตัวอักษรภาษาอังกฤษตัวเล็ก"),
    ],
)
def test_a_change_to_a_bad_address_is_refused_and_the_published_urls_stay(
    client, client_for, with_memo, org_admin, slug, message
):
    OrganisationFactory(slug="other-town")
    response = client_for(org_admin).post(
        reverse("measures:organisation_address", args=[OLD]), {"confirmed": "1", "slug": slug}
    )
    assert message in response.text
    client.logout()
    assert client.get(reverse("reports:publication_latest", args=[OLD, *DOC])).status_code == 200
    assert not FormerSlug.objects.exists()


def test_a_long_name_is_refused_in_thai_and_nothing_changes(client_for, org_admin, organisation):
    response = client_for(org_admin).post(
        reverse("measures:organisation_settings", args=[OLD]),
        {
            "name": "ก" * 300,
            "kind": organisation.kind,
            "province": "พัทลุง",
            "digits": "thai",
            "report_layout": "themes_12m",
        },
    )
    assert "ยาวเกิน 200 ตัวอักษร" in response.text
    assert Organisation.objects.get(pk=organisation.pk).name == "เทศบาลตำบลทดสอบ"
