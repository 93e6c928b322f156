"""Suggested measures for a weak indicator (issue 20): the curated library, other organisations'
published measures ranked by the rise of their score, and the copy into the draft with its source."""

import re
from decimal import Decimal as D
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse

from measures import editions, services, suggestions, workflow
from measures.models import Framework, Measure, Membership
from measures.services import MeasureData, ServiceError
from reports import publishing
from tests.bad_input.conftest import database_state
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
YEARS = [str(year) for year in range(2564, 2570)]


def _fake_pdf(html: str) -> bytes:
    return b"%PDF-1.4\n% suggestions stub\n"


@pytest.fixture(autouse=True)
def fake_pdf():
    with mock.patch.object(publishing, "render_pdf", _fake_pdf):
        yield


def town(slug: str, name: str, *units: str):
    """Another organisation with its officer, one approver holding its one-step chain, and units."""
    organisation = OrganisationFactory(name=name, slug=slug)
    for unit in units:
        UnitFactory(organisation=organisation, name=unit)
    officer, head = UserFactory(username=f"{slug}-officer"), UserFactory(username=f"{slug}-head")
    MembershipFactory(user=officer, organisation=organisation, role=Role.OFFICER)
    MembershipFactory(user=head, organisation=organisation, role=Role.APPROVER)
    rows = [{"title": "นายกเทศมนตรี", "acting_for": "", "approvers": [head]}]
    workflow.chain_save(organisation=organisation, by=officer, rows=rows)
    organisation.officer, organisation.head = officer, head
    return organisation


def document_with(organisation, fiscal_year: int, title: str, number: int = 9, **extra):
    """A draft of `fiscal_year` with one measure on indicator `number` of its basis framework."""
    document = services.document_create(organisation=organisation, fiscal_year=fiscal_year, by=organisation.officer)
    indicator = document.basis_framework.indicators.get(number=number)
    data = MeasureData(title=title, number=1, indicators=[indicator], all_units=True, **extra)
    services.measure_create(document=document, by=organisation.officer, data=data)
    return document


def approve(document):
    organisation = document.organisation  # the town(), with its officer and head
    submission = workflow.submit(target=document, by=organisation.officer)
    workflow.decide(submission=submission, by=organisation.head, approve=True)
    document.refresh_from_db()
    document.organisation = organisation
    return document


def publish(document):
    approve(document)
    return publishing.publish(target=document, by=document.organisation.officer)


def scores(organisation, by_year: dict[int, str], number: int = 9):
    for year, score in by_year.items():
        framework = Framework.objects.get(year=year)
        indicator = framework.indicators.get(number=number)
        services.assessment_save(
            organisation=organisation,
            framework=framework,
            by=organisation.officer,
            indicator_scores={indicator: D(score)},
        )


def titles(found) -> list[str]:
    return [s.title for s in found]


# --- The library ------------------------------------------------------------------------------


def test_every_library_entry_links_indicators_and_items_that_exist_in_that_years_framework():
    frameworks = {str(f.year): f for f in Framework.objects.prefetch_related("indicators", "items")}
    wrong = []
    for entry in suggestions.library()["entries"]:
        assert entry["links"], entry["key"]
        for year, link in entry["links"].items():
            framework = frameworks.get(year)
            if framework is None:
                wrong.append(f"{entry['key']}: no framework {year}")
                continue
            numbers = {i.number for i in framework.indicators.all()}
            items = {i.code: i.indicator.number for i in framework.items.select_related("indicator")}
            wrong += [f"{entry['key']} {year}: indicator {n}" for n in link["indicators"] if n not in numbers]
            wrong += [f"{entry['key']} {year}: item {c}" for c in link["items"] if c not in items]
            wrong += [
                f"{entry['key']} {year}: {c} not of its indicators"
                for c in link["items"]
                if c in items and items[c] not in link["indicators"]
            ]
    assert wrong == []


def test_every_library_entry_names_its_source_and_where_in_it():
    data = suggestions.library()
    for entry in data["entries"]:
        source = data["documents"][entry["source"]["document"]]
        assert source["title"].strip() and source["file"].strip() and source["kind"] in {"organisation", "guidance"}
        assert entry["source"]["citation"].strip(), entry["key"]
        assert entry["title"].strip() and entry["steps"], entry["key"]
        assert entry["units"] or entry["all_units"], entry["key"]
    keys = [entry["key"] for entry in data["entries"]]
    assert len(keys) == len(set(keys))


def test_the_library_covers_every_framework_year_it_ships_with():
    covered = {year for entry in suggestions.library()["entries"] for year in entry["links"]}
    assert covered == set(YEARS)


def test_a_library_entry_gives_the_item_codes_of_the_year_asked():
    in_2565 = {s.key: s for s in suggestions.library_for(2565, 9)}
    in_2566 = {s.key: s for s in suggestions.library_for(2566, 9)}
    key = "library:thawon-2566-o24"  # รายงานผลการจัดซื้อจัดจ้างฯ ประจำปี: O24 until 2565, O22 from 2566
    assert (in_2565[key].item_codes, in_2566[key].item_codes) == (("O24",), ("O22",))
    assert "แถวข้อ O24" in in_2565[key].reference and "เทศบาลตำบลถาวร" in in_2565[key].reference
    assert all(key.startswith("library:") for key in in_2566)
    assert key not in {s.key for s in suggestions.library_for(2566, 3)}


# --- What other organisations published ---------------------------------------------------------


@pytest.fixture
def model_town():
    return town("model-town", "เทศบาลตำบลต้นแบบ", "สำนักปลัดเทศบาล", "กองคลัง")


def test_only_published_measures_are_suggested(organisation, model_town):
    publish(document_with(model_town, 2566, "มาตรการที่เผยแพร่แล้ว"))
    approve(document_with(model_town, 2565, "มาตรการที่อนุมัติแล้วแต่ยังไม่เผยแพร่"))
    workflow.submit(target=document_with(model_town, 2567, "มาตรการที่รอการพิจารณา"), by=model_town.officer)
    document_with(model_town, 2568, "มาตรการในร่าง")
    assert titles(suggestions.published_for(organisation=organisation, number=9)) == ["มาตรการที่เผยแพร่แล้ว"]


def test_a_new_edition_in_draft_is_not_suggested_its_published_version_is(organisation, model_town):
    document = document_with(model_town, 2566, "มาตรการตามฉบับที่เผยแพร่")
    publish(document)
    workflow.reopen(target=document, by=model_town.officer)
    measure = document.measures.get()
    data = MeasureData(title="ข้อความใหม่ในร่าง", number=1, all_units=True, indicators=list(measure.indicators.all()))
    services.measure_update(measure=measure, by=model_town.officer, revision=None, data=data)
    assert titles(suggestions.published_for(organisation=organisation, number=9)) == ["มาตรการตามฉบับที่เผยแพร่"]


def test_a_withdrawn_newest_version_takes_the_measures_off_the_suggestions(organisation, model_town):
    publication = publish(document_with(model_town, 2566, "มาตรการที่ถอนแล้ว"))
    publishing.withdraw(publication=publication, by=model_town.officer, reason="แนบไฟล์ผิด")
    assert suggestions.published_for(organisation=organisation, number=9) == []


def test_a_version_withdrawn_after_the_ranking_was_kept_is_not_shown_from_it(organisation, model_town):
    first = publish(document_with(model_town, 2566, "มาตรการที่ถอนภายหลัง"))
    publish(document_with(town("second-town", "เทศบาลตำบลที่สอง"), 2566, "มาตรการที่ยังเผยแพร่"))
    assert len(suggestions.published_for(organisation=organisation, number=9)) == 2  # ranked and kept
    publishing.withdraw(publication=first, by=model_town.officer, reason="แนบไฟล์ผิด")
    assert titles(suggestions.published_for(organisation=organisation, number=9)) == ["มาตรการที่ยังเผยแพร่"]


def test_the_organisations_own_published_measures_are_not_suggested_to_it(organisation, model_town):
    publish(document_with(model_town, 2566, "มาตรการของต้นแบบ"))
    assert titles(suggestions.published_for(organisation=model_town, number=9)) == []
    assert titles(suggestions.published_for(organisation=organisation, number=9)) == ["มาตรการของต้นแบบ"]


def test_only_measures_on_the_indicator_asked_are_suggested(organisation, model_town):
    publish(document_with(model_town, 2566, "มาตรการตัวชี้วัดที่ 4", number=4))
    assert suggestions.published_for(organisation=organisation, number=9) == []
    assert titles(suggestions.published_for(organisation=organisation, number=4)) == ["มาตรการตัวชี้วัดที่ 4"]


def test_the_ranking_follows_the_rise_of_each_organisations_score_on_the_indicator(organisation):
    # Each town's 2566 measures analysed ITA 2565; ITA 2566 shows what followed.
    for slug, before, after in [("small-rise", "80", "82"), ("fall", "84", "81"), ("big-rise", "70", "90")]:
        other = town(slug, f"เทศบาลตำบล {slug}")
        publish(document_with(other, 2566, f"มาตรการของ {slug}"))
        scores(other, {2565: before, 2566: after})
    found = suggestions.published_for(organisation=organisation, number=9)
    assert titles(found) == ["มาตรการของ big-rise", "มาตรการของ small-rise", "มาตรการของ fall"]
    assert [s.rise for s in found] == [D("20"), D("2"), D("-3")]


def test_a_document_without_the_next_score_is_ranked_after_those_with_one(organisation):
    unknown = town("no-next", "เทศบาลตำบลยังไม่มีผล")
    publish(document_with(unknown, 2566, "ยังไม่มีผลปีถัดไป"))
    scores(unknown, {2565: "60"})
    falling = town("falling", "เทศบาลตำบลคะแนนลด")
    publish(document_with(falling, 2566, "คะแนนลดลง"))
    scores(falling, {2565: "90", 2566: "80"})
    found = suggestions.published_for(organisation=organisation, number=9)
    assert titles(found) == ["คะแนนลดลง", "ยังไม่มีผลปีถัดไป"]
    assert (found[1].score_before, found[1].score_after, found[1].rise) == (D("60"), None, None)


# --- The copy ---------------------------------------------------------------------------------------


@pytest.fixture
def draft(organisation, officer):
    """test-town's 2567 draft, which analyses ITA 2566."""
    return services.document_create(organisation=organisation, fiscal_year=2567, by=officer)


def published_suggestion(organisation, model_town, **extra):
    steps = ["แต่งตั้งคณะทำงาน", "เผยแพร่รายงานบนเว็บไซต์"]
    publish(document_with(model_town, 2566, "รายงานผลการจัดซื้อจัดจ้างประจำปี", steps=steps, **extra))
    return suggestions.published_for(organisation=organisation, number=9)[0]


def test_copying_a_published_measure_records_where_it_came_from(organisation, officer, model_town, draft, finance):
    found = published_suggestion(
        organisation, model_town, items=list(Framework.objects.get(year=2565).items.filter(code="O24"))
    )
    copied = suggestions.copy(
        document=draft, suggestion=found, number=9, by=officer, source_url="/model-town/2566/measures/v1/"
    )
    measure = Measure.objects.get(pk=copied.measure.pk)
    assert (measure.document, measure.title) == (draft, "รายงานผลการจัดซื้อจัดจ้างประจำปี")
    assert [s.text for s in measure.steps.all()] == ["แต่งตั้งคณะทำงาน", "เผยแพร่รายงานบนเว็บไซต์"]
    assert [i.number for i in measure.indicators.all()] == [9]
    assert [i.code for i in measure.items.all()] == ["O22"]  # the same item in ITA 2566
    assert (measure.source, measure.source_key, measure.source_url) == (
        "published",
        found.key,
        "/model-town/2566/measures/v1/",
    )
    assert measure.source_reference.startswith("เทศบาลตำบลต้นแบบ: ")
    assert "ฉบับเผยแพร่ที่ 1" in measure.source_reference
    assert measure.history.filter(source="published", history_user=officer).exists()


def test_copying_a_library_entry_records_its_document_and_citation(organisation, officer, draft):
    found = suggestions.find(organisation=organisation, year=2566, number=4, key="library:bo-phloi-2565-1")
    copied = suggestions.copy(document=draft, suggestion=found, number=4, by=officer)
    measure = copied.measure
    assert measure.title == "การสร้างมาตรฐานการใช้ทรัพย์สินของราชการ"
    assert (measure.source, measure.source_key, measure.source_url) == ("library", "library:bo-phloi-2565-1", "")
    assert "เทศบาลตำบลบ่อพลอย" in measure.source_reference and "มาตรการที่ ๑" in measure.source_reference
    assert "source" not in str(editions.edition_data(draft)["measures"])  # never printed


def test_units_are_matched_by_name_to_the_organisations_own(organisation, officer, draft):
    office = UnitFactory(organisation=organisation, name="สำนักปลัดเทศบาล")
    found = suggestions.find(organisation=organisation, year=2566, number=9, key="library:thawon-2566-o17")
    copied = suggestions.copy(document=draft, suggestion=found, number=9, by=officer)  # สำนักปลัด กองช่าง กองสาธารณสุข
    assert list(copied.measure.units.all()) == [office]
    assert copied.missing_units == ["กองช่าง", "กองสาธารณสุข"] and not copied.every_unit


def test_without_any_matching_unit_the_copy_is_for_every_unit_until_she_chooses(organisation, officer, draft):
    found = suggestions.find(organisation=organisation, year=2566, number=4, key="library:bo-phloi-2565-1")  # กองคลัง
    copied = suggestions.copy(document=draft, suggestion=found, number=4, by=officer)
    assert copied.every_unit and copied.measure.all_units and copied.missing_units == ["กองคลัง"]


def test_a_suggestion_is_copied_into_a_draft_once(organisation, officer, draft, finance):
    found = suggestions.find(organisation=organisation, year=2566, number=4, key="library:bo-phloi-2565-1")
    suggestions.copy(document=draft, suggestion=found, number=4, by=officer)
    with pytest.raises(ServiceError, match="คัดลอกมาตรการนี้ไว้ในร่างแล้ว"):
        suggestions.copy(document=draft, suggestion=found, number=4, by=officer)
    assert draft.measures.count() == 1


def test_a_key_is_found_only_for_the_indicator_and_organisation_it_was_suggested_for(organisation, model_town):
    found = published_suggestion(organisation, model_town)
    assert suggestions.find(organisation=organisation, year=2566, number=9, key=found.key) == found
    assert suggestions.find(organisation=organisation, year=2566, number=4, key=found.key) is None
    assert suggestions.find(organisation=model_town, year=2566, number=9, key=found.key) is None
    for key in [
        found.key.replace(":1:", ":2:"),
        "published:x:1:0",
        "published:๑:1:0",
        "other:1",
        "library:" + "x" * 200,
    ]:
        assert suggestions.find(organisation=organisation, year=2566, number=9, key=key) is None


# --- The pages ------------------------------------------------------------------------------------


def copy_url(year: int = 2566) -> str:
    return reverse("measures:suggestion_copy", args=["test-town", year])


def test_the_score_page_links_each_weak_indicator_to_its_suggestions(client_for, officer, organisation):
    organisation.officer = officer
    scores(organisation, {2566: "70"}, number=8)
    response = client_for(officer).get(reverse("measures:assessment_detail", args=["test-town", 2566]))
    assert reverse("measures:suggestions", args=["test-town", 2566]) + "?indicator=8" in response.text


def test_the_page_shows_each_suggestion_with_its_source_and_public_document(
    client_for, officer, organisation, model_town, draft
):
    publish(document_with(model_town, 2566, "มาตรการของเทศบาลตำบลต้นแบบ"))
    response = client_for(officer).get(reverse("measures:suggestions", args=["test-town", 2566]) + "?indicator=9")
    page = response.text
    assert response.status_code == 200
    assert 'href="/model-town/2566/measures/v1/"' in page and "เทศบาลตำบลต้นแบบ" in page
    assert "จังหวัดบุรีรัมย์ — มาตรการส่งเสริมคุณธรรมและความโปร่งใสของ เทศบาลตำบลถาวร" in page  # a library entry's source
    assert page.count("คัดลอกไปยังร่าง</button>") == len(re.findall(r'name="key" value="', page)) > 1


def test_the_copy_button_takes_the_officer_to_the_new_measures_form(client_for, officer, organisation, draft):
    client = client_for(officer)
    response = client.post(copy_url(), {"indicator": "4", "key": "library:bo-phloi-2565-1"})
    measure = draft.measures.get()
    assert response["Location"] == reverse("measures:measure_edit", args=["test-town", 2567, measure.pk])
    page = client.get(response["Location"]).text
    assert "คัดลอกมาตรการไปยังร่างเป็นมาตรการ 1 แล้ว" in page and "คลังมาตรการแนะนำ: " in page


@pytest.mark.parametrize("persona", ["approver", "contributor", "oversight", "outsider"])
def test_only_those_who_may_edit_the_draft_can_copy(request, client_for, persona, draft):
    client = client_for(request.getfixturevalue(persona))
    before = database_state()
    response = client.post(copy_url(), {"indicator": "4", "key": "library:bo-phloi-2565-1"})
    assert response.status_code == (404 if persona == "outsider" else 403)
    assert database_state() == before


def test_a_copy_that_names_no_suggestion_changes_nothing_and_says_why(client_for, officer, draft):
    client = client_for(officer)
    before = database_state()
    response = client.post(copy_url(), {"indicator": "4", "key": "library:no-such-entry"})
    assert response.status_code == 302 and database_state() == before
    assert "ไม่พบมาตรการที่แนะนำนี้แล้ว" in [str(m) for m in get_messages(response.wsgi_request)][0]


def test_a_copy_into_a_document_under_sign_off_changes_nothing_and_says_why(
    client_for, officer, organisation, chain, draft
):
    services.measure_create(document=draft, by=officer, data=MeasureData(title="มาตรการเดิม", number=1, all_units=True))
    workflow.submit(target=draft, by=officer)
    client = client_for(officer)
    before = database_state()
    response = client.post(copy_url(), {"indicator": "4", "key": "library:bo-phloi-2565-1"})
    assert response.status_code == 302 and database_state() == before
    assert "อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว" in str(list(get_messages(response.wsgi_request))[0])


def test_an_indicator_that_is_not_the_years_gets_a_thai_message(client_for, officer):
    response = client_for(officer).get(reverse("measures:suggestions", args=["test-town", 2566]) + "?indicator=99")
    assert response.status_code == 400 and "ไม่พบตัวชี้วัดที่ระบุในกรอบการประเมิน ITA 2566" in response.text


def test_the_measure_page_shows_where_a_copied_measure_came_from(client_for, officer, organisation, draft):
    found = suggestions.find(organisation=organisation, year=2566, number=4, key="library:bo-phloi-2565-1")
    measure = suggestions.copy(document=draft, suggestion=found, number=4, by=officer).measure
    client = client_for(officer)
    page = client.get(reverse("measures:measure_detail", args=["test-town", 2567, measure.pk])).text
    assert "คลังมาตรการแนะนำ: " in page and "เทศบาลตำบลบ่อพลอย" in page
    history = client.get(reverse("measures:measure_history", args=["test-town", 2567, measure.pk])).text
    assert "ที่มาของมาตรการ" in history and "คัดลอกจาก" in history


def test_the_page_reads_as_many_queries_for_many_published_documents_as_for_one(
    client_for, officer, organisation, draft, django_assert_max_num_queries
):
    client = client_for(officer)
    url = reverse("measures:suggestions", args=["test-town", 2566]) + "?indicator=9"
    publish(document_with(town("first", "เทศบาลตำบลหนึ่ง"), 2566, "มาตรการหนึ่ง"))
    client.get(url)  # the session and the library are read once
    cache.clear()  # the ranking is read again, as after any publication
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    for n in range(4):
        publish(document_with(town(f"more-{n}", f"เทศบาลตำบลเพิ่ม{n}"), 2566, f"มาตรการเพิ่ม {n}"))
    cache.clear()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).text.count("<h3>มาตรการ 1 มาตรการเพิ่ม") == 4


def test_the_ranking_is_kept_until_something_that_could_change_it_changes(
    organisation, model_town, django_assert_num_queries
):
    publish(document_with(model_town, 2566, "มาตรการของต้นแบบ"))
    suggestions.published_for(organisation=model_town, number=9)  # ranks, for every organisation
    with django_assert_num_queries(4):  # the stamp's two aggregates, the versions, the frozen measures
        assert titles(suggestions.published_for(organisation=organisation, number=9)) == ["มาตรการของต้นแบบ"]
    publish(document_with(town("later-town", "เทศบาลตำบลภายหลัง"), 2566, "มาตรการที่เผยแพร่ภายหลัง"))
    assert len(suggestions.published_for(organisation=organisation, number=9)) == 2


def test_when_the_viewers_own_documents_fill_the_kept_ranking_the_others_are_read_again(
    organisation, officer, model_town, monkeypatch
):
    monkeypatch.setattr(suggestions, "MAX_DOCUMENTS", 1)
    monkeypatch.setattr(suggestions, "RANKED_SPARE", 0)
    organisation.officer, organisation.head = officer, UserFactory(username="own-head")
    MembershipFactory(user=organisation.head, organisation=organisation, role=Role.APPROVER)
    rows = [{"title": "นายกเทศมนตรี", "acting_for": "", "approvers": [organisation.head]}]
    workflow.chain_save(organisation=organisation, by=officer, rows=rows)
    publish(document_with(organisation, 2566, "มาตรการของตนเอง"))
    scores(organisation, {2565: "50", 2566: "99"})  # its own rise is the best: first in the kept ranking
    publish(document_with(model_town, 2566, "มาตรการของต้นแบบ"))
    assert titles(suggestions.published_for(organisation=model_town, number=9)) == ["มาตรการของตนเอง"]
    assert titles(suggestions.published_for(organisation=organisation, number=9)) == ["มาตรการของต้นแบบ"]


def test_the_measure_form_links_to_the_suggestions_of_its_documents_ita_year(client_for, officer, draft):
    page = client_for(officer).get(reverse("measures:measure_new", args=["test-town", 2567])).text
    assert f'href="{reverse("measures:suggestions", args=["test-town", 2566])}"' in page
    assert "ดูมาตรการที่แนะนำ" in page


def test_an_approver_reads_the_suggestions_without_a_copy_button(client_for, approver, draft):
    response = client_for(approver).get(reverse("measures:suggestions", args=["test-town", 2566]) + "?indicator=4")
    assert response.status_code == 200 and "การสร้างมาตรฐานการใช้ทรัพย์สินของราชการ" in response.text
    assert "คัดลอกไปยังร่าง</button>" not in response.text
