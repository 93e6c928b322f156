"""The platform administrator starts ITA year N from year N−1 in the admin: a copy, then edited."""

from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from measures.loaders import framework_copy
from measures.models import Framework, Indicator, Item, RatingRule, Tool, ToolPart
from measures.services import ServiceError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:measures_framework_changelist")


def structure(framework: Framework) -> dict:
    """Everything a framework holds, without its keys."""
    return {
        "tools": list(framework.tools.order_by("order").values_list("code", "name", "weight", "order")),
        "parts": list(
            ToolPart.objects.filter(tool__framework=framework)
            .order_by("code")
            .values_list("tool__code", "code", "name")
        ),
        "indicators": list(
            framework.indicators.order_by("number").values_list("number", "name", "tool__code", "weight")
        ),
        "items": list(framework.items.order_by("order").values_list("code", "title", "indicator__number", "group")),
        "rules": list(
            framework.rating_rules.order_by("order").values_list(
                "order", "label", "grade", "description", "min_total", "min_tool_score", "passed"
            )
        ),
    }


@pytest.fixture
def root(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def run_action(client, *frameworks):
    return client.post(
        CHANGELIST,
        {"action": "start_next_year", "_selected_action": [f.pk for f in frameworks]},
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_copy_holds_the_tools_parts_indicators_items_and_rating_rules_of_its_source(officer):
    source = Framework.objects.get(year=2569)
    copy = framework_copy(source=source, year=2570, by=officer)
    assert copy.year == 2570
    assert structure(copy) == structure(source)
    assert (copy.pass_mark, copy.measures_item_code, copy.report_item_code) == (Decimal("85.00"), "O42", "O43")


def test_a_copy_is_titled_with_its_own_year_and_marked_unconfirmed_until_edited(officer):
    copy = framework_copy(source=Framework.objects.get(year=2569), year=2570, by=officer)
    assert copy.title == "ITA ประจำปีงบประมาณ พ.ศ. 2570"
    assert copy.notes.startswith("คัดลอกจากกรอบการประเมิน ITA 2569 ทุกข้อยังต้องตรวจกับเกณฑ์ที่ ป.ป.ช. ประกาศ")
    assert not copy.items.filter(uncertain=False).exists()
    assert not copy.rating_rules.filter(uncertain=False).exists()


def test_a_copy_shares_no_row_with_its_source(officer):
    source = Framework.objects.get(year=2569)
    copy = framework_copy(source=source, year=2570, by=officer)
    assert not Indicator.objects.filter(framework=copy, tool__framework=source).exists()
    assert not Item.objects.filter(framework=copy, indicator__framework=source).exists()
    copy.items.filter(code="O1").update(title="ข้อใหม่ของปี 2570")
    assert source.items.get(code="O1").title != "ข้อใหม่ของปี 2570"


def test_a_copy_records_who_made_it_in_the_history(officer):
    copy = framework_copy(source=Framework.objects.get(year=2569), year=2570, by=officer)
    assert copy.history.get().history_user == officer
    assert Item.history.filter(framework_id=copy.pk, history_user=officer).count() == copy.items.count()


def test_a_year_that_already_has_a_framework_is_refused_in_thai_and_left_alone(officer):
    before = structure(Framework.objects.get(year=2569))
    with pytest.raises(ServiceError) as refused:
        framework_copy(source=Framework.objects.get(year=2568), year=2569, by=officer)
    assert refused.value.message == ("มีกรอบการประเมิน ITA ปี 2569 อยู่แล้ว จึงเริ่มใหม่จากปี 2568 ไม่ได้ (แก้ไขกรอบที่มีอยู่แทน)")
    assert structure(Framework.objects.get(year=2569)) == before


def test_a_copy_that_fails_half_way_leaves_nothing_behind(officer):
    counts = [model.objects.count() for model in (Framework, Tool, ToolPart, Indicator, Item, RatingRule)]
    with mock.patch.object(RatingRule, "save", side_effect=RuntimeError("disk full")), pytest.raises(RuntimeError):
        framework_copy(source=Framework.objects.get(year=2569), year=2570, by=officer)
    assert [model.objects.count() for model in (Framework, Tool, ToolPart, Indicator, Item, RatingRule)] == counts


# --- The admin action ------------------------------------------------------------------------


def test_the_admin_starts_the_next_year_from_the_selected_one_and_opens_it(root):
    response = run_action(root, Framework.objects.get(year=2569))
    copy = Framework.objects.get(year=2570)
    assert response.status_code == 302
    assert response.url == reverse("admin:measures_framework_change", args=[copy.pk])
    assert messages_of(response) == [
        "เริ่มกรอบการประเมิน ITA 2570 จาก ITA 2569 แล้ว ทุกข้อคำถามและเกณฑ์ระดับถูกทำเครื่องหมายว่ายังไม่ยืนยัน"
        " กรุณาแก้ไขให้ตรงกับเกณฑ์ที่ ป.ป.ช. ประกาศ"
    ]
    assert root.get(response.url).status_code == 200  # the copy opens for editing


def test_the_admin_refuses_a_year_that_exists_with_a_thai_message(root):
    response = run_action(root, Framework.objects.get(year=2568))
    assert response.status_code == 302 and response.url == CHANGELIST
    assert messages_of(response) == ["มีกรอบการประเมิน ITA ปี 2569 อยู่แล้ว จึงเริ่มใหม่จากปี 2568 ไม่ได้ (แก้ไขกรอบที่มีอยู่แทน)"]
    assert Framework.objects.filter(year=2569).count() == 1


def test_the_admin_refuses_two_years_selected_at_once(root):
    response = run_action(root, *Framework.objects.filter(year__in=[2568, 2569]))
    assert messages_of(response) == ["กรุณาเลือกกรอบการประเมินเพียงปีเดียว เพื่อคัดลอกเป็นปีถัดไป"]
    assert not Framework.objects.filter(year=2570).exists()


def test_staff_who_may_only_look_at_frameworks_are_not_offered_the_copy(client):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_framework"))
    client.force_login(viewer)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "start_next_year" not in response.text
    run_action(client, Framework.objects.get(year=2569))
    assert not Framework.objects.filter(year=2570).exists()


def test_scores_of_a_year_started_in_the_admin_can_be_entered_and_recomputed(root, client_for, officer):
    run_action(root, Framework.objects.get(year=2569))
    scores = {f"indicator_{n}": "90" for n in range(1, 11)}
    response = client_for(officer).post(reverse("measures:assessment_edit", args=["test-town", 2570]), scores)
    assert response.status_code == 302
    card = client_for(officer).get(response.url).context["card"]
    assert (card.total_computed, card.rating_computed.label) == (Decimal("90"), "ผ่านดี")
