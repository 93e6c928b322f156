"""Document data and the text filters the printed documents share."""

import pytest
from django.template import Context, Template

from measures.thai import prose_thai_digits
from reports.documents import COLUMNS, SPLIT_ROW_LINES, Column, estimated_lines


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("ภายใน 15 วัน", "ภายใน ๑๕ วัน"),
        ("1. จัดประชุม\n2. รายงานผล", "๑. จัดประชุม\n๒. รายงานผล"),
        ("คะแนน 79.58 (ข้อ O40)", "คะแนน ๗๙.๕๘ (ข้อ O40)"),
        (
            "ดูที่ www.bophloi.go.th/ita2566 หรือ ita2566@bophloi.go.th",
            "ดูที่ www.bophloi.go.th/ita2566 หรือ ita2566@bophloi.go.th",
        ),
        ("I13 ท่านได้รับ", "I13 ท่านได้รับ"),
    ],
)
def test_prose_gets_thai_digits_but_codes_and_addresses_keep_theirs(typed, printed):
    assert prose_thai_digits(typed) == printed


def render(template: str, **context) -> str:
    return Template("{% load documents %}" + template).render(Context(context))


def test_doc_text_escapes_and_draws_check_boxes():
    html = render("{{ v|doc_text:True }}", v="□ ฝ่าย <ก> 1 ☑")
    assert html == ('<span class="box" title="□"></span> ฝ่าย &lt;ก&gt; ๑ <span class="box checked" title="☑"></span>')


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


# --- Documents built from the database ---------------------------------------------------

from decimal import Decimal  # noqa: E402

from measures import services  # noqa: E402
from measures.models import Framework, Organisation  # noqa: E402
from measures.services import MeasureData  # noqa: E402
from measures.thai import to_thai_digits  # noqa: E402
from reports import linebreaks, rendering  # noqa: E402


@pytest.fixture
def document_2568(organisation, officer):
    """A 2568 document analysing ITA 2567, whose EIT is reported in two parts."""
    framework = Framework.objects.prefetch_related("tools__indicators", "tools__parts").get(year=2567)
    services.assessment_save(
        organisation=organisation,
        framework=framework,
        by=officer,
        indicator_scores={i: Decimal("90") for i in framework.indicators.all()},
        part_scores={
            p: Decimal("88.50") + n for n, p in enumerate(p for t in framework.tools.all() for p in t.parts.all())
        },
    )
    return services.document_create(organisation=organisation, fiscal_year=2568, by=officer)


@pytest.mark.django_db
def test_the_scores_table_shows_the_parts_of_a_tool_where_the_framework_has_them(document_2568):
    html = rendering.target_html(document_2568)
    parts = [p.name for t in Framework.objects.get(year=2567).tools.all() for p in t.parts.all()]
    assert len(parts) == 2
    # In a Thai-digit document the parts' names print with Thai digits too ("EIT ส่วนที่ ๑").
    assert f'<tr class="part"><td>{to_thai_digits(parts[0])}</td><td class="num">๘๘.๕๐</td></tr>' in html
    assert f'<tr class="part"><td>{to_thai_digits(parts[1])}</td><td class="num">๘๙.๕๐</td></tr>' in html


@pytest.mark.django_db
def test_an_sao_report_has_six_columns_with_suggestions(organisation, officer, finance):
    organisation.report_layout = Organisation.Layout.SAO_SIX_COLUMNS
    organisation.save()
    document = services.document_create(organisation=organisation, fiscal_year=2566, by=officer)
    measure = services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="ประชุมชี้แจงแนวทางปฏิบัติ", number=1, theme=None, units=[finance], steps=["จัดประชุม", "สรุปผล"]
        ),
    )
    report = services.report_start(document=document, round_months=6, by=officer)
    entry = report.entries.get(measure=measure)
    services.entry_update(
        entry=entry,
        by=officer,
        revision=None,
        status="in_progress",
        summary="จัดประชุมแล้ว 1 ครั้ง",
        suggestions="ควรเพิ่มการประชุมทุกไตรมาส",
    )
    html = rendering.target_html(report)
    headers = [c.label for c in COLUMNS[Organisation.Layout.SAO_SIX_COLUMNS][1]]
    assert len(headers) == 6 and headers[-1] == "ข้อเสนอแนะ"
    for label in headers:
        assert f'<th scope="col">{linebreaks.protect(label)}</th>' in html
    assert "จัดประชุมแล้ว ๑ ครั้ง" in html and "ควรเพิ่มการประชุมทุกไตรมาส" in html
    # Steps typed without numbers are numbered by the portal, as text in the document's digits.
    assert (
        '<ul class="steps"><li class="item"><span class="marker">๑.\xa0</span>จัดประชุม</li>'
        '<li class="item"><span class="marker">๒.\xa0</span>สรุปผล</li></ul>'
    ) in html.replace("&nbsp;", "\xa0")


def title_block(html: str) -> str:
    return html.split('<div class="title-block">', 1)[1].split("</div>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize(("thai_digits", "year"), [(True, "พ.ศ. ๒๕๖๘"), (False, "พ.ศ. 2568")])
def test_the_title_typed_or_made_with_arabic_digits_prints_as_the_organisation_writes_numbers(
    organisation, officer, thai_digits, year
):
    organisation.thai_digits = thai_digits
    organisation.district = "เมือง 2"
    organisation.save()
    document = services.document_create(organisation=organisation, fiscal_year=2568, by=officer)
    assert "2568" in document.title  # the default title is stored as typed, with Arabic digits
    html = rendering.target_html(document)
    assert year in title_block(html)
    assert ("เมือง ๒" if thai_digits else "เมือง 2") in title_block(html)
    report = services.report_start(document=document, round_months=6, by=officer)
    assert year in title_block(rendering.target_html(report))


def test_a_pdf_is_not_made_without_the_shipped_font(monkeypatch):
    from reports import pdf

    pdf.weasyprint_module.cache_clear()  # a fresh font configuration: the fonts are fetched again
    real = pdf.finders.find
    monkeypatch.setattr(pdf.finders, "find", lambda path, *a, **k: None if path.startswith("fonts/") else real(path))
    with pytest.raises(pdf.RenderError, match="no such static file: fonts/Sarabun-Regular.ttf"):
        pdf.render_pdf(
            '<html><head><link rel="stylesheet" href="/static/css/print.css"></head><body>ทดสอบ</body></html>'
        )
    pdf.weasyprint_module.cache_clear()
