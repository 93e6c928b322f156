"""From a weak indicator on the score page to a copied measure in the draft (issue 20).

The officer of ทต.ทดลอง opens her ITA 2566 result, follows "ดูมาตรการที่แนะนำ" beside indicator 9,
reads the suggestions (the curated library with its sources, and ทต.ต้นแบบ's published measure
with its rise and the link to its public document), copies that measure into her 2567 draft, edits
its steps on the measure form and finds it in the draft with where it came from.
"""

from decimal import Decimal
from unittest import mock

import pytest
from playwright.sync_api import expect

from measures.models import Measure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STEPS = ["แต่งตั้งคณะทำงานจัดทำรายงาน", "เผยแพร่รายงานผลการจัดซื้อจัดจ้างบนเว็บไซต์หลัก"]


def _stub_pdf(html: str) -> bytes:
    return b"%PDF-1.4\n% e2e stub\n"


@pytest.fixture
def towns(db):
    from django.conf import settings

    from measures import services, workflow
    from measures.loaders import load_frameworks
    from measures.models import Framework
    from measures.services import MeasureData
    from reports import publishing
    from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

    # transaction=True empties the database between tests: load the frameworks again.
    load_frameworks(settings.BASE_DIR / "fixtures" / "frameworks")

    def town(slug, name, units, username):
        org = OrganisationFactory(name=name, slug=slug, province="พัทลุง")
        for unit in units:
            UnitFactory(organisation=org, name=unit)
        officer = UserFactory(username=username)
        MembershipFactory(user=officer, organisation=org, role="officer")
        return org, officer

    def result(org, by, year, nine):
        framework = Framework.objects.get(year=year)
        scores = {i: Decimal("90") for i in framework.indicators.all()}
        scores[framework.indicators.get(number=9)] = Decimal(nine)
        services.assessment_save(organisation=org, framework=framework, by=by, indicator_scores=scores)

    # ทต.ต้นแบบ published its 2566 measures; its indicator 9 rose from 70 (ITA 2565) to 95 (ITA 2566).
    model, author = town("model-town", "เทศบาลตำบลต้นแบบ", ["สำนักปลัดเทศบาล", "กองคลัง"], "model-officer")
    mayor = UserFactory(username="model-mayor")
    MembershipFactory(user=mayor, organisation=model, role="approver")
    workflow.chain_save(
        organisation=model, by=author, rows=[{"title": "นายกเทศมนตรี", "acting_for": "", "approvers": [mayor]}]
    )
    document = services.document_create(organisation=model, fiscal_year=2566, by=author)
    framework = document.basis_framework
    services.measure_create(
        document=document,
        by=author,
        data=MeasureData(
            title="รายงานผลการจัดซื้อจัดจ้างประจำปีให้ครบถ้วน",
            number=1,
            steps=STEPS,
            units=list(model.units.filter(name="กองคลัง")),
            indicators=[framework.indicators.get(number=9)],
            items=list(framework.items.filter(code="O24")),
        ),
    )
    submission = workflow.submit(target=document, by=author)
    workflow.decide(submission=submission, by=mayor, approve=True)
    document.refresh_from_db()
    with mock.patch.object(publishing, "render_pdf", _stub_pdf):
        publishing.publish(target=document, by=author)
    result(model, author, 2565, "70")
    result(model, author, 2566, "95")

    # ทต.ทดลอง: indicator 9 is its weak one in ITA 2566; its 2567 measures are a draft.
    trial, officer = town("trial-town", "เทศบาลตำบลทดลอง", ["สำนักปลัด", "กองคลัง"], "officer")
    result(trial, officer, 2566, "72.50")
    return services.document_create(organisation=trial, fiscal_year=2567, by=officer)


def test_from_a_weak_indicator_to_a_copied_measure_in_the_draft(page, live_server, login, shot, axe, towns):
    login("officer")
    page.goto(f"{live_server.url}/staff/trial-town/ita/2566/")
    weak = page.locator("ol li.weak")
    expect(weak).to_have_count(1)
    expect(weak).to_contain_text("ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล — 72.50 คะแนน")
    weak.get_by_role("link", name="ดูมาตรการที่แนะนำสำหรับตัวชี้วัดที่ 9 การเปิดเผยข้อมูล").click()

    expect(page.locator("h1")).to_have_text("มาตรการที่แนะนำ: ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล")
    expect(page.locator("#indicator")).to_have_value("9")
    library = page.locator("article", has_text="เทศบาลตำบลถาวร อำเภอเฉลิมพระเกียรติ").first
    expect(library).to_contain_text("ที่มา:")  # every library entry names its document and where in it
    published = page.locator("article", has_text="เทศบาลตำบลต้นแบบ")
    expect(published).to_have_count(1)
    expect(published).to_contain_text("70.00 (ITA 2565) → 95.00 (ITA 2566) เพิ่มขึ้น 25.00 คะแนน")
    expect(published).to_contain_text("O24")
    expect(published.get_by_role("link", name="เทศบาลตำบลต้นแบบ")).to_have_attribute(
        "href", "/model-town/2566/measures/v1/"
    )
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        shot(f"suggestions-{width}")
        assert axe(f"suggestions-{width}") == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    published.get_by_role("button", name="คัดลอกไปยังร่าง").click()
    expect(page.locator(".messages")).to_contain_text("คัดลอกมาตรการไปยังร่างเป็นมาตรการ 1 แล้ว")
    expect(page.locator("h1")).to_have_text("แก้ไขมาตรการ 1")
    expect(page.locator(".notice").first).to_contain_text("มาตรการที่หน่วยงานอื่นเผยแพร่: เทศบาลตำบลต้นแบบ")
    expect(page.locator("#id_steps")).to_have_value("\n".join(STEPS))
    expect(page.locator("label:has-text('กองคลัง') input")).to_be_checked()  # matched by name
    expect(page.locator("label:has-text('9. การเปิดเผยข้อมูล') input")).to_be_checked()
    expect(page.locator("#id_item_codes")).to_have_value("O22")  # O24 of ITA 2565 is O22 in 2566
    shot("suggestions-copied-form")

    page.fill("#id_steps", "\n".join([*STEPS, "รายงานนายกเทศมนตรีทุกไตรมาส"]))
    page.click("button[name=save]")
    expect(page.locator(".messages")).to_contain_text("บันทึกมาตรการ 1 แล้ว")
    measure = Measure.objects.get(document=towns)
    assert (measure.source, measure.steps.count()) == ("published", 3)

    page.goto(f"{live_server.url}/staff/trial-town/measures/2567/m/{measure.pk}/")
    source = page.locator("dl.facts dd", has_text="มาตรการที่หน่วยงานอื่นเผยแพร่")
    expect(source).to_contain_text("เทศบาลตำบลต้นแบบ")
    expect(source.get_by_role("link")).to_have_attribute("href", "/model-town/2566/measures/v1/")
    shot("suggestions-copied-measure")
    page.get_by_role("link", name="ประวัติการแก้ไข").click()
    expect(page.locator("main")).to_contain_text("ที่มาของมาตรการ")
    expect(page.locator("main")).to_contain_text("มาตรการที่หน่วยงานอื่นเผยแพร่")
    shot("suggestions-copied-history")

    # Back on the suggestions, the copied one says where it went instead of offering a second copy.
    page.goto(f"{live_server.url}/staff/trial-town/ita/2566/suggestions/?indicator=9")
    copied = page.locator("article", has_text="เทศบาลตำบลต้นแบบ")
    expect(copied).to_contain_text("คัดลอกไว้ในร่างแล้วเป็น มาตรการ 1")
    expect(copied.get_by_role("button")).to_have_count(0)
