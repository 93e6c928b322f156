"""The bounded history of a measure reads the same changes as django-simple-history.

selectors.measure_history serves the measure history page, whose number of queries
tests/test_query_bounds.py bounds.
"""

import pytest

from measures import selectors, services
from measures.services import MeasureData

pytestmark = pytest.mark.django_db


def test_the_bounded_history_reads_the_changes_simple_history_reads(organisation, finance, works, officer):
    """selectors.measure_history replaces diff_against (six queries a record) with the same changes."""
    document = services.document_create(organisation=organisation, fiscal_year=2566, by=officer)
    measure = services.measure_create(
        document=document, by=officer, data=MeasureData(title="ประกาศผลการจัดซื้อ", number=1, units=[finance])
    )
    for title, units in (("ประกาศผลการจัดซื้อทุกเดือน", [finance, works]), ("ประกาศผลการจัดซื้อทุกเดือน", [works])):
        services.measure_update(
            measure=measure, by=officer, revision=None, data=MeasureData(title=title, number=1, units=units)
        )
    records = list(measure.history.order_by("-history_date", "-history_id"))
    expected = [
        [(c.field, c.old, c.new) for c in newer.diff_against(older).changes]
        for newer, older in zip(records, records[1:], strict=False)
    ] + [[]]
    changes = [[(c.field, c.old, c.new) for c in row["changes"]] for row in selectors.measure_history(measure)]
    assert changes == expected
    assert {field for row in changes for field, _old, _new in row} >= {"title", "units"}
