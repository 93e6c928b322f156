"""Helpers of the service tests (tests/measures/test_services*.py): a framework by year, a measure's data."""

from measures.models import Framework
from measures.services import MeasureData


def framework(year: int) -> Framework:
    return Framework.objects.get(year=year)


def data(**overrides) -> MeasureData:
    return MeasureData(**{"title": "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง", "number": 1} | overrides)
