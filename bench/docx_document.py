"""The DOCX of bench/pdf_vs_word.py: the portal's document as an officer would lay it out in Word.

Built with python-docx from the same report data the portal prints (reports.documents), so that
LibreOffice converts the same content the portal renders.
"""

from pathlib import Path


def build_docx(data, path: Path) -> None:
    """The document as an officer would lay it out in Word, from the portal's report data."""
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from measures import thai

    def text(value) -> str:
        value = "" if value is None else str(value)
        return thai.prose_thai_digits(value) if data.thai_digits else value

    def digit(value) -> str:
        return thai.to_thai_digits(value) if data.thai_digits else str(value)

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Sarabun"
    normal.font.size = Pt(11)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "Sarabun")
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), "22")  # Thai is "complex script" in Word: its own size
    normal.element.get_or_add_rPr().append(size_cs)
    paragraph_format = normal.paragraph_format
    paragraph_format.space_before, paragraph_format.space_after = Pt(0), Pt(6)
    # line-height: 1.3 of the CSS. Word's "multiple" would multiply Sarabun's own (tall) line.
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(11 * 1.3)

    def bold_run(run) -> None:
        run.bold = True
        run._r.get_or_add_rPr().append(OxmlElement("w:bCs"))  # Thai is "complex script": its own bold

    def paragraph(container, value="", *, bold=False, size=None, center=False, indent=False, after=None):
        p = container.add_paragraph()
        if value:
            run = p.add_run(value)
            if bold:
                bold_run(run)
            if size:
                p.paragraph_format.line_spacing = Pt(size * 1.35)
                run.font.size = Pt(size)
                sz_cs = OxmlElement("w:szCs")
                sz_cs.set(qn("w:val"), str(int(size * 2)))
                run._r.get_or_add_rPr().append(sz_cs)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent:
            p.paragraph_format.first_line_indent = Pt(27.5)
        if after is not None:
            p.paragraph_format.space_after = Pt(after)
        return p

    def page_numbers(section) -> None:
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for field in ("PAGE", None, "NUMPAGES"):
            if field is None:
                p.add_run(" / ").font.size = Pt(9)
                continue
            run = p.add_run()
            run.font.size = Pt(9)
            for kind, instruction in (("begin", None), (None, f" {field} "), ("end", None)):
                if kind:
                    element = OxmlElement("w:fldChar")
                    element.set(qn("w:fldCharType"), kind)
                else:
                    element = OxmlElement("w:instrText")
                    element.set(qn("xml:space"), "preserve")
                    element.text = instruction
                run._r.append(element)
        if data.thai_digits:  # page numbers in Thai digits, as the portal prints them
            number_type = OxmlElement("w:pgNumType")
            number_type.set(qn("w:fmt"), "thaiNumbers")
            section._sectPr.append(number_type)

    def margins(section, top, right, bottom, left) -> None:
        section.top_margin, section.right_margin = Mm(top), Mm(right)
        section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)

    # The cover (portrait, no page number), as the seeds open.
    cover = doc.sections[0]
    cover.page_width, cover.page_height = Mm(210), Mm(297)
    margins(cover, 18, 15, 16, 20)
    first = paragraph(doc, "", after=0)
    first.paragraph_format.space_before = Mm(60)
    for line in data.cover_lines:
        paragraph(doc, text(line), bold=True, size=18, center=True, after=4)
    spacer = paragraph(doc, "", after=0)
    spacer.paragraph_format.space_before = Mm(70)
    organisation = data.organisation
    for line in (organisation["name"], organisation["place"]):
        if line:
            paragraph(doc, line, bold=True, size=16, center=True, after=4)

    def section(orientation):
        new = doc.add_section(WD_SECTION.NEW_PAGE)
        if orientation == "landscape":
            new.orientation = WD_ORIENT.LANDSCAPE
            new.page_width, new.page_height = Mm(297), Mm(210)
            margins(new, 14, 12, 14, 12)
        else:
            new.orientation = WD_ORIENT.PORTRAIT
            new.page_width, new.page_height = Mm(210), Mm(297)
            margins(new, 18, 15, 16, 20)
        page_numbers(new)
        return new

    def title_block() -> None:
        for line in data.title_lines:
            paragraph(doc, text(line), bold=True, center=True, after=0)
        paragraph(doc, "", after=4)
        for line in (data.introduction or "").splitlines():
            paragraph(doc, text(line), indent=True)

    def borders(table) -> None:
        properties = table._tbl.tblPr
        edges = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            element = OxmlElement(f"w:{edge}")
            for key, value in (("val", "single"), ("sz", "5"), ("space", "0"), ("color", "000000")):
                element.set(qn(f"w:{key}"), value)
            edges.append(element)
        properties.append(edges)
        cell_margins = OxmlElement("w:tblCellMar")
        for edge, twips in (("top", 40), ("bottom", 40), ("left", 60), ("right", 60)):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:w"), str(twips))
            element.set(qn("w:type"), "dxa")
            cell_margins.append(element)
        properties.append(cell_margins)

    def shade(cell, colour: str) -> None:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), colour)
        cell._tc.get_or_add_tcPr().append(shading)

    def row_flag(row, name: str) -> None:
        row._tr.get_or_add_trPr().append(OxmlElement(f"w:{name}"))

    def fill(cell, lines: list[str], *, bold=False, center=False) -> None:
        cell.paragraphs[0].text = ""
        for n, line in enumerate(lines):
            p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if line:
                run = p.add_run(line)
                if bold:
                    bold_run(run)

    def measures_table(width_mm: float) -> None:
        columns = data.columns
        table = doc.add_table(rows=1, cols=len(columns))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        borders(table)
        widths = [Mm(width_mm * c.width / 100) for c in columns]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the table grid: LibreOffice reads the widths from it
        header = table.rows[0]
        row_flag(header, "tblHeader")  # repeated on every page, as thead is
        row_flag(header, "cantSplit")
        for cell, column, width in zip(header.cells, columns, widths, strict=True):
            cell.width = width
            fill(cell, [column.label], bold=True, center=True)
            shade(cell, "EEEEEE")
        for row in data.rows:
            cells = table.add_row().cells
            if row.is_theme:
                merged = cells[0].merge(cells[-1])
                fill(merged, [text(row.cells["title"])], bold=True)
                shade(merged, "F4F4F4")
                continue
            if not row.may_split:
                row_flag(table.rows[-1], "cantSplit")  # tr {break-inside: avoid}
            for cell, column, width in zip(cells, columns, widths, strict=True):
                cell.width = width
                value = row.cells.get(column.key) or ""
                if column.key == "steps":
                    lines = (
                        [f"{digit(n)}. {text(s)}" for n, s in enumerate(value, 1)]
                        if len(value) > 1
                        else [text(s) for s in value]
                    )
                elif column.key == "units":
                    lines = [text(u) for u in value]
                else:
                    lines = text(value).splitlines()
                fill(cell, lines)

    if data.kind == "report":
        section("landscape")
        title_block()
        measures_table(273)
    else:
        section("portrait")
        title_block()
        year = digit(data.analysed_year)
        paragraph(doc, f"๑. ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน (ITA) ปี พ.ศ. {year}", bold=True, size=12)
        if data.assessment is not None:  # as the portal prints: an empty section is left out
            from reports.documents import score_rows

            scores = doc.add_table(rows=0, cols=2)
            borders(scores)
            for row in score_rows(data.assessment, data.thai_digits):
                cells = scores.add_row().cells
                fill(cells[0], [row["label"]], bold=row["is_tool"])
                fill(cells[1], [row["score"]], bold=row["is_tool"])
        paragraph(doc, "๒. ผลการวิเคราะห์", bold=True, size=12)
        for finding in data.findings:
            label = f"{finding['kind_label']} ({finding['tool']}) " if finding["tool"] else f"{finding['kind_label']} "
            paragraph(doc, label + text(finding["text"]), indent=True)
        section("landscape")
        label = thai.fiscal_year_label(data.fiscal_year, thai_digits=data.thai_digits)
        paragraph(doc, f"๓. มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน {label}", bold=True, size=12)
        measures_table(273)
    doc.save(path)
