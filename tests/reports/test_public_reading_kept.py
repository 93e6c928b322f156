"""A publication's phone reading view is made once and then kept (issue 19: cold pages cheap):
a publication never changes, and making its cards was most of a cold page's time."""

import pytest

from reports.public import pages
from tests.reports.test_publishing import published  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_the_reading_view_is_made_once_and_then_kept(published, monkeypatch):  # noqa: F811
    made = []
    real = pages.reading_html

    def counting(data):
        made.append(1)
        return real(data)

    monkeypatch.setattr(pages, "reading_html", counting)
    first = pages.publication_reading(published)
    again = pages.publication_reading(published)
    assert len(made) == 1
    assert first == again == real(published.data)
    assert "<" in first  # HTML, kept safe
    assert type(again).__name__ == "SafeString"
