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
sys.path.insert(0, str(ROOT / "bench"))

import docx_document  # noqa: E402 - bench/ is on the path now

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
        docx_document.build_docx(data, OUT / f"{name}.docx")
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
