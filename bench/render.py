"""Benchmark: render the demo documents and a synthetic 300-measure document to PDF.

    .venv/bin/python bench/render.py [--runs 5] [--measures 300]

Builds a throw-away SQLite database (frameworks, the demo, and a synthetic organisation whose
document repeats the 15 measures of seed 000 to the asked number, with its 12-month round
filled in), then renders each document in a fresh process: one warm-up render, then `runs`
timed renders. Prints a Markdown table: pages, median and slowest time, peak RSS of that
process (ru_maxrss, which includes Python, Django and WeasyPrint themselves).
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = {
    # name: (organisation slug, fiscal year, round or None for the measures document)
    "seed 000: ทต.เขาหัวช้าง รายงานรอบ ๑๒ เดือน": ("khao-hua-chang", 2566, 12),
    "seed 002: ทต.ถาวร รายงานรอบ ๖ เดือน": ("thawon", 2566, 6),
    "seed 002: ทต.ถาวร มาตรการ ๒๕๖๖": ("thawon", 2566, None),
    "seed 004: ทต.บ่อพลอย มาตรการ ๒๕๖๕ (คะแนน, กราฟ)": ("bo-phloi", 2565, None),
    "synthetic: มาตรการ {n} รายการ": ("bench-town", 2566, None),
    "synthetic: รายงานรอบ ๑๒ เดือน {n} รายการ": ("bench-town", 2566, 12),
}


def django_setup(database: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    import django

    django.setup()


def build(database: str, measures: int) -> None:
    """The database: frameworks, demo data and the synthetic organisation."""
    django_setup(database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from measures import services
    from measures.devdata.demo import load_demo
    from measures.models import MeasuresDocument, Organisation, ProgressEntry
    from measures.services import MeasureData

    load_demo()
    source = MeasuresDocument.objects.get(organisation__slug="khao-hua-chang", fiscal_year=2566)
    seed = list(source.measures.select_related("theme").prefetch_related("steps", "units").in_print_order())
    done = {e.measure_id: e for e in ProgressEntry.objects.filter(report__document=source, report__round=12)}
    by = get_user_model().objects.get(username="officer")
    organisation = Organisation.objects.create(
        name="เทศบาลตำบลทดสอบความเร็ว",
        kind=Organisation.Kind.MUNICIPALITY_SUBDISTRICT,
        province="พัทลุง",
        slug="bench-town",
        report_layout=Organisation.Layout.THEMES_12M,
    )
    units = {}
    for measure in seed:
        for unit in measure.units.all():
            if unit.name not in units:
                units[unit.name] = organisation.units.create(name=unit.name)
    document = services.document_create(
        organisation=organisation, fiscal_year=2566, by=by, introduction=source.introduction
    )
    per_theme = 10
    themes = {}
    for n in range(measures):
        original = seed[n % len(seed)]
        theme_number = n // per_theme + 1
        if theme_number not in themes:
            themes[theme_number] = services.theme_save(
                document=document, by=by, number=theme_number, title=f"{original.theme.title} (ชุดที่ {theme_number})"
            )
        services.measure_create(
            document=document,
            by=by,
            data=MeasureData(
                title=original.title,
                number=n % per_theme + 1,
                theme=themes[theme_number],
                issue=original.issue,
                steps=[s.text for s in original.steps.all()],
                units=[units[u.name] for u in original.units.all()],
                all_units=original.all_units,
                owner=original.owner,
                whole_year=original.whole_year,
                period_start=original.period_start,
                period_end=original.period_end,
                monitoring=original.monitoring,
            ),
        )
    report = services.report_start(document=document, round_months=12, by=by)
    for entry in report.entries.select_related("measure"):
        original = done.get(seed[_seed_index(entry.measure, per_theme, len(seed))].pk)
        if original is not None:
            services.entry_update(
                entry=entry,
                by=by,
                revision=None,
                status=original.status,
                percent=original.percent,
                summary=original.summary,
                outcome=original.outcome,
            )


def _seed_index(measure, per_theme: int, seed_count: int) -> int:
    return ((measure.theme.number - 1) * per_theme + measure.number - 1) % seed_count


def measure_case(database: str, slug: str, year: int, round_months: int | None, runs: int) -> dict:
    """Run in a fresh process: warm up once, then time `runs` renders of one document."""
    django_setup(database)
    from measures.models import MeasuresDocument, ProgressReport
    from reports import rendering

    def html() -> str:
        if round_months is None:
            return rendering.target_html(MeasuresDocument.objects.get(organisation__slug=slug, fiscal_year=year))
        report = ProgressReport.objects.get(
            document__organisation__slug=slug, document__fiscal_year=year, round=round_months
        )
        return rendering.target_html(report)

    pdf = rendering.as_pdf(html())  # warm-up: WeasyPrint import, fonts
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        pdf = rendering.as_pdf(html())  # the whole job: queries, template, PDF
        times.append(time.perf_counter() - start)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:  # pages by poppler's pdfinfo
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    return {
        "median": statistics.median(times),
        "max": max(times),
        "pages": pages,
        "bytes": len(pdf),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        slug, year, round_months = json.loads(args.case)
        print(json.dumps(measure_case(args.database, slug, year, round_months, args.runs)))
        return

    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "bench.sqlite3")
        print(f"Building the benchmark database ({args.measures} synthetic measures) ...", file=sys.stderr)
        subprocess.run([sys.executable, __file__, "--build", database, str(args.measures)], check=True)
        print(f"\n{args.runs} timed runs per document after one warm-up, each document in a fresh process.\n")
        print("| document | pages | median | slowest | peak RSS |")
        print("|---|---:|---:|---:|---:|")
        for name, case in CASES.items():
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--case",
                    json.dumps(case),
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
            print(
                f"| {name.format(n=args.measures)} | {r['pages']} | {r['median']:.2f} s | {r['max']:.2f} s "
                f"| {r['rss_mb']:.0f} MB |",
                flush=True,
            )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--build":
        build(sys.argv[2], int(sys.argv[3]))
    else:
        main()
