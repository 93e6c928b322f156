"""Benchmark: the portal's PDF against today's route, a Word file converted by LibreOffice.

    .venv/bin/python bench/pdf_vs_word.py [--runs 5] [--measures 300] [--batch 5]

Officers today type the document in Word and turn it into a PDF; the closest repeatable
version of that route is an equivalent DOCX made with python-docx and converted by
`libreoffice --headless --convert-to pdf` (Debian: `apt-get install libreoffice-writer-nogui`).
The DOCX carries the same content as the portal's document, taken from the same report data
(reports.documents): the cover page, the title lines, the introduction, the headings, the
measures table with the same columns and widths (header row repeated on every page, rows kept
whole, theme rows bold and shaded), Thai digits, A4 pages with the same margins (portrait cover,
landscape table) and the Sarabun font at 11 pt from static/fonts (made visible to LibreOffice by
a fontconfig file, as an officer has the font installed). Not in the DOCX: the SVG charts (none
of the documents measured has one).

Documents: seed 000 (ทต.เขาหัวช้าง, รายงานรอบ ๑๒ เดือน) and the synthetic organisation of
bench/render.py whose document repeats seed 000's measures to `--measures` (its measures
document and its 12-month report). For each, timed `--runs` times after one warm-up:

- portal, warm: one render in a process that has rendered before (queries, template, PDF),
  as the portal renders when a document is published;
- portal, cold: a new Python process that sets up Django, renders and writes the PDF;
- python-docx: building and saving the DOCX (an officer types it instead; shown for reference);
- LibreOffice, cold: one `soffice --convert-to pdf` process per file, as an officer converts a
  file (its user profile already exists, as on an officer's computer);
- LibreOffice, batch: one process converting `--batch` copies; the cost per file after the first.

Outputs (DOCX, both PDFs and a PNG of each first page) go to bench/out/. The load average is
printed with each document.
"""

import argparse
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
FONTS = ROOT / "static" / "fonts"
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

CASES = {
    # file name: (title, organisation slug, fiscal year, round or None for the measures document)
    "seed000-report-12": ("seed 000: ทต.เขาหัวช้าง รายงานรอบ ๑๒ เดือน", "khao-hua-chang", 2566, 12),
    "synthetic-measures": ("synthetic: มาตรการ {n} รายการ", "bench-town", 2566, None),
    "synthetic-report-12": ("synthetic: รายงานรอบ ๑๒ เดือน {n} รายการ", "bench-town", 2566, 12),
}


def _render_module():
    """bench/render.py: its database builder and Django set-up are shared with this benchmark."""
    spec = importlib.util.spec_from_file_location("bench_render", ROOT / "bench" / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def target_data(slug: str, year: int, round_months: int | None):
    """The report data (reports.documents) and the HTML of one document."""
    from measures import editions
    from measures.models import MeasuresDocument, ProgressReport
    from reports import documents, rendering

    if round_months is None:
        target = MeasuresDocument.objects.get(organisation__slug=slug, fiscal_year=year)
    else:
        target = ProgressReport.objects.get(
            document__organisation__slug=slug, document__fiscal_year=year, round=round_months
        )
    return documents.document_data(editions.edition_data(target)), rendering.target_html(target)


# --- The DOCX ------------------------------------------------------------------------------


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


# --- One document, in a fresh process ------------------------------------------------------


def measure_case(database: str, name: str, slug: str, year: int, round_months: int | None, runs: int) -> dict:
    render = _render_module()
    render.django_setup(database)
    from reports import rendering

    data, html = target_data(slug, year, round_months)
    rendering.as_pdf(html)  # warm-up: WeasyPrint's import, the fonts
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        _data, html = target_data(slug, year, round_months)
        pdf = rendering.as_pdf(html)  # the whole job: queries, template, PDF
        warm.append(time.perf_counter() - start)
    (OUT / f"{name}.portal.pdf").write_bytes(pdf)
    docx_times = []
    for _ in range(runs):
        start = time.perf_counter()
        build_docx(data, OUT / f"{name}.docx")
        docx_times.append(time.perf_counter() - start)
    return {"warm": warm, "docx": docx_times}


def portal_cold(database: str, slug: str, year: int, round_months: int | None, out: Path) -> float:
    """A new process: Python, Django, the queries, WeasyPrint's import, the PDF written."""
    start = time.perf_counter()
    subprocess.run(
        [PYTHON, __file__, "--cold", database, slug, str(year), str(round_months or ""), str(out)], check=True, cwd=ROOT
    )
    return time.perf_counter() - start


def cold_render(database: str, slug: str, year: str, round_months: str, out: str) -> None:
    render = _render_module()
    render.django_setup(database)
    from reports import rendering

    _data, html = target_data(slug, int(year), int(round_months) if round_months else None)
    Path(out).write_bytes(rendering.as_pdf(html))


# --- LibreOffice ---------------------------------------------------------------------------


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        if path := shutil.which(name):
            return path
    raise SystemExit("LibreOffice is missing: apt-get install -y libreoffice-writer-nogui")


def libreoffice_env() -> dict:
    """A fontconfig file that adds the Sarabun we ship to the system fonts, for LibreOffice only."""
    config = OUT / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{FONTS}</dir>\n  <cachedir>{OUT / 'fontconfig-cache'}</cachedir>\n</fontconfig>\n"
    )
    return os.environ | {"FONTCONFIG_FILE": str(config)}


LIBREOFFICE_FAILURES: list[str] = []  # conversions that exited with an error and were run again (reported)


def convert(files: list[Path], outdir: Path, env: dict, attempts: int = 3) -> float:
    """Seconds of one successful conversion. LibreOffice now and then exits 1 with nothing on stderr
    (seen with 5 files in one process); such a run is repeated, up to `attempts`, and reported."""
    profile = (OUT / "lo-profile").as_uri()
    for attempt in range(1, attempts + 1):
        start = time.perf_counter()
        done = subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
        if done.returncode == 0:
            return seconds
        failure = (
            f"soffice exited {done.returncode} after {seconds:.2f} s converting {len(files)} file(s), "
            f"attempt {attempt}: {done.stderr.strip()[-300:] or '(no message)'}"
        )
        LIBREOFFICE_FAILURES.append(failure)
        print(failure, file=sys.stderr)
    raise SystemExit(f"LibreOffice failed {attempts} times in a row")


def pdf_info(path: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = sorted({line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()})
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1]), ", ".join(names)


def first_pages_png(pdf: Path) -> None:
    """The cover and the first page of the table, for a person to compare (name-1.png, name-2.png)."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(pdf), str(pdf.with_suffix(""))], check=True
    )


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--batch", type=int, default=5, help="copies converted by one LibreOffice process")
    parser.add_argument("--only", help="comma-separated cases: " + ", ".join(CASES))
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = libreoffice_env()
    cases = {k: v for k, v in CASES.items() if not args.only or k in args.only.split(",")}

    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "bench.sqlite3")
        print(f"Building the benchmark database ({args.measures} synthetic measures) ...", file=sys.stderr)
        subprocess.run([PYTHON, str(ROOT / "bench" / "render.py"), "--build", database, str(args.measures)], check=True)
        rows = []
        for name, (title, slug, year, round_months) in cases.items():
            before = load()
            out = subprocess.run(
                [
                    PYTHON,
                    __file__,
                    "--case",
                    json.dumps([name, slug, year, round_months]),
                    "--database",
                    database,
                    "--runs",
                    str(args.runs),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            docx = OUT / f"{name}.docx"
            cold = [
                portal_cold(database, slug, year, round_months, OUT / f"{name}.portal-cold.pdf")
                for _ in range(args.runs)
            ]
            convert([docx], OUT, env)  # warm-up: the profile exists, the files are in the page cache
            lo_cold = [convert([docx], OUT, env) for _ in range(args.runs)]
            with tempfile.TemporaryDirectory() as batch_dir:
                copies = []
                for n in range(args.batch):
                    copies.append(Path(batch_dir) / f"{name}-{n}.docx")
                    shutil.copy(docx, copies[-1])
                batch = [convert(copies, Path(batch_dir), env) for _ in range(max(3, args.runs // 2))]
            lo_pdf = OUT / f"{name}.pdf"
            lo_pdf.rename(OUT / f"{name}.libreoffice.pdf")
            lo_pdf = OUT / f"{name}.libreoffice.pdf"
            portal_pdf = OUT / f"{name}.portal.pdf"
            for pdf in (lo_pdf, portal_pdf):
                first_pages_png(pdf)
            rows.append(
                {
                    "name": title.format(n=args.measures),
                    "load": before,
                    "portal": pdf_info(portal_pdf),
                    "libreoffice": pdf_info(lo_pdf),
                    "warm": statistics.median(r["warm"]),
                    "cold": statistics.median(cold),
                    "docx": statistics.median(r["docx"]),
                    "lo_cold": statistics.median(lo_cold),
                    "lo_batch": (statistics.median(batch) - statistics.median(lo_cold)) / (args.batch - 1),
                    "all": {"warm": r["warm"], "cold": cold, "lo_cold": lo_cold, "batch": batch},
                }
            )
            print(f"{name}: {json.dumps(rows[-1]['all'])}", file=sys.stderr, flush=True)

    print(f"\nMedians of {args.runs} runs after a warm-up; LibreOffice batch: {args.batch} files per process.\n")
    print(
        "| document | pages portal / LO | portal warm | portal cold | LibreOffice cold | LO batch, per file "
        "| LO cold ÷ portal warm | LO cold ÷ portal cold | python-docx build | load before |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        print(
            f"| {row['name']} | {row['portal'][0]} / {row['libreoffice'][0]} | {row['warm']:.2f} s | {row['cold']:.2f} s "
            f"| {row['lo_cold']:.2f} s | {row['lo_batch']:.2f} s | {row['lo_cold'] / row['warm']:.2f} "
            f"| {row['lo_cold'] / row['cold']:.2f} | {row['docx']:.2f} s | {row['load']} |"
        )
    print(
        "\nFonts: "
        + "; ".join(f"{row['name']}: portal {row['portal'][1]}, LibreOffice {row['libreoffice'][1]}" for row in rows)
    )
    print(
        f"LibreOffice runs repeated after an error exit: {len(LIBREOFFICE_FAILURES)}"
        + "".join(f"\n  {failure}" for failure in LIBREOFFICE_FAILURES)
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--cold":
        cold_render(*sys.argv[2:7])
    elif len(sys.argv) > 1 and sys.argv[1] == "--case":
        parser = argparse.ArgumentParser()
        parser.add_argument("--case")
        parser.add_argument("--database")
        parser.add_argument("--runs", type=int)
        a = parser.parse_args()
        case_name, case_slug, case_year, case_round = json.loads(a.case)
        print(json.dumps(measure_case(a.database, case_name, case_slug, case_year, case_round, a.runs)))
    else:
        main()
