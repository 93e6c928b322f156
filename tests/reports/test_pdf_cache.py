"""A draft's PDF is rendered once per content (issue 19): asked for again it comes from the
cache; any change to what it prints renders a new one. Every PDF of a draft still says ร่าง."""

import pytest
from django.urls import reverse

from measures import services
from reports import rendering

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    calls = []
    real = rendering.render_pdf

    def counting(html):
        calls.append(html)
        return real(html)

    monkeypatch.setattr(rendering, "render_pdf", counting)
    return calls


def test_a_draft_pdf_asked_for_twice_is_rendered_once_and_again_after_a_change(
    client, officer, document, measure, renders
):
    client.force_login(officer)
    url = reverse("reports:document_pdf", args=["test-town", 2566])
    first = client.get(url)
    again = client.get(url)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and first.content.startswith(b"%PDF")
    assert len(renders) == 1

    services.document_update(
        document=document, by=officer, revision=document.revision, title="มาตรการฉบับปรับปรุงชื่อ", introduction=""
    )
    changed = client.get(url)
    assert len(renders) == 2 and changed.content != first.content
    assert "มาตรการฉบับปรับปรุงชื่อ" in renders[-1]
