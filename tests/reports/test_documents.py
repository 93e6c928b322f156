"""Document data and the text filters the printed documents share."""

import pytest
from django.template import Context, Template

from measures.thai import prose_thai_digits
from reports.documents import COLUMNS, SPLIT_ROW_LINES, Column, estimated_lines


@pytest.mark.parametrize(("typed", "printed"), [
    ("ภายใน 15 วัน", "ภายใน ๑๕ วัน"),
    ("1. จัดประชุม\n2. รายงานผล", "๑. จัดประชุม\n๒. รายงานผล"),
    ("คะแนน 79.58 (ข้อ O40)", "คะแนน ๗๙.๕๘ (ข้อ O40)"),
    ("ดูที่ www.bophloi.go.th/ita2566 หรือ ita2566@bophloi.go.th", "ดูที่ www.bophloi.go.th/ita2566 หรือ ita2566@bophloi.go.th"),
    ("I13 ท่านได้รับ", "I13 ท่านได้รับ"),
])
def test_prose_gets_thai_digits_but_codes_and_addresses_keep_theirs(typed, printed):
    assert prose_thai_digits(typed) == printed


def render(template: str, **context) -> str:
    return Template("{% load documents %}" + template).render(Context(context))


def test_doc_text_escapes_and_draws_check_boxes():
    html = render("{{ v|doc_text:True }}", v="□ ฝ่าย <ก> 1 ☑")
    assert html == ('<span class="box" title="□"></span> ฝ่าย &lt;ก&gt; ๑ '
                    '<span class="box checked" title="☑"></span>')


def test_doc_text_keeps_arabic_digits_for_organisations_that_use_them():
    assert render("{{ v|doc_text:False }}", v="ภายใน 15 วัน") == "ภายใน 15 วัน"


def test_every_layout_fills_the_width_of_the_table():
    for measures_columns, report_columns in COLUMNS.values():
        assert sum(c.width for c in measures_columns) == 100
        assert sum(c.width for c in report_columns) == 100


def test_a_row_is_as_tall_as_its_tallest_cell():
    columns = [Column("title", "มาตรการ", 20), Column("steps", "ขั้นตอน", 80)]
    short = {"title": "ก" * 10, "steps": ["ข" * 10, "ค" * 10]}
    assert estimated_lines(short, columns) == 2
    tall = {"title": "ก", "steps": ["ข" * 116] * 30}  # 116 characters fill one line of an 80 % column
    assert estimated_lines(tall, columns) == 30 > SPLIT_ROW_LINES


def test_thai_marks_take_no_width_in_the_estimate():
    columns = [Column("title", "มาตรการ", 10)]  # 14 characters a line
    assert estimated_lines({"title": "กี่" * 14}, columns) == 1
