"""Where WeasyPrint spends its time on our documents, and what CSS/markup variants save.

    .venv/bin/python bench/render.py --build /tmp/bp/bench.sqlite3 300      # once (about 1 min)
    .venv/bin/python bench/pdf_profile.py dump /tmp/bp/bench.sqlite3 /tmp/bp   # the HTML of the cases
    .venv/bin/python bench/pdf_profile.py time /tmp/bp [--runs 3] [--variant NAME ...]
    .venv/bin/python bench/pdf_profile.py profile /tmp/bp/report300.html     # cProfile, top functions

`time` renders each dumped HTML with reports.pdf.render_pdf in this one process (one warm-up,
then `runs` timed renders, median), for each variant side by side: a variant rewrites the HTML
(e.g. another rule for .keep) before rendering, so all variants run on the same machine state.
"""

import cProfile
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = {
    # file: (organisation slug, fiscal year, round or None for the measures document)
    "seed000_report12": ("khao-hua-chang", 2566, 12),
    "seed004_document": ("bo-phloi", 2565, None),
    "document300": ("bench-town", 2566, None),
    "report300": ("bench-town", 2566, 12),
}


def setup(database: str | None = None) -> None:
    if database:
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    import django

    django.setup()


def dump(database: str, folder: str) -> None:
    setup(database)
    from measures.models import MeasuresDocument, ProgressReport
    from reports import rendering

    for name, (slug, year, round_months) in CASES.items():
        if round_months is None:
            target = MeasuresDocument.objects.get(organisation__slug=slug, fiscal_year=year)
        else:
            target = ProgressReport.objects.get(
                document__organisation__slug=slug, document__fiscal_year=year, round=round_months
            )
        Path(folder, f"{name}.html").write_text(rendering.target_html(target))
        print(name, file=sys.stderr)


def _inject(css: str):
    return lambda html: html.replace("</head>", f"<style>{css}</style></head>", 1)


def _unwrap_keep(html: str) -> str:
    return html.replace('<span class="keep">', "<span>")


UNPATCHED = "before: WeasyPrint's shrink-to-fit, collector running"
COLLECTING = "shrink-to-fit skips min-content, collector running"
VARIANTS = {
    UNPATCHED: lambda html: html,
    COLLECTING: lambda html: html,
    "as is (both)": lambda html: html,
    "keep: no span": _unwrap_keep,
    "keep: nowrap": _inject(".keep { display: inline; white-space: nowrap; }"),
    "keep: inline (no keep)": _inject(".keep { display: inline; }"),
    "keep: inline-block nowrap": _inject(".keep { white-space: nowrap; }"),
}


def render(html: str, patched: bool = True, pause_gc: bool = True) -> bytes:
    """reports.pdf.render_pdf; with patched=False, WeasyPrint's own shrink-to-fit (the one
    reports.pdf replaces), with pause_gc=False the cycle collector left running, to compare in
    one process."""
    from reports import pdf
    from reports.pdf import render_pdf, weasyprint_module

    pdf.PAUSE_GC = pause_gc
    weasyprint_module()
    from weasyprint.layout import absolute, float, inline, preferred  # noqa: A004

    ours = preferred.shrink_to_fit
    ours = getattr(ours, "ours", ours)
    chosen = ours if patched else ours.original
    chosen.ours = ours
    for module in (preferred, inline, float, absolute):
        module.shrink_to_fit = chosen
    return render_pdf(html)


def pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def time_cases(folder: str, runs: int, variants: list[str], cases: list[str]) -> None:
    setup()
    render("<html lang=th><title>x</title><p>warm</p>")
    print("| case | variant | pages | median CPU | median wall | CPU of each run |")
    print("|---|---|---:|---:|---:|---|")
    for case in cases:
        source = Path(folder, f"{case}.html").read_text()
        for variant in variants:
            html = VARIANTS[variant](source)
            options = {"patched": variant != UNPATCHED, "pause_gc": variant not in (UNPATCHED, COLLECTING)}
            pdf = render(html, **options)  # warm-up of this exact HTML
            times, cpu = [], []
            for _ in range(runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                pdf = render(html, **options)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            pages = pdf_pages(pdf)
            shown = ", ".join(f"{t:.2f}" for t in cpu)
            print(
                f"| {case} | {variant} | {pages} | {statistics.median(cpu):.2f} s | {statistics.median(times):.2f} s "
                f"| {shown} |",
                flush=True,
            )


def profile(path: str, variant: str = "as is (both)") -> None:
    setup()
    html = VARIANTS[variant](Path(path).read_text())
    render(html)
    profiler = cProfile.Profile()
    profiler.enable()
    render(html)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "dump":
        dump(sys.argv[2], sys.argv[3])
    elif command == "profile":
        profile(sys.argv[2], *sys.argv[3:4])
    elif command == "time":
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("folder")
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--variant", action="append")
        parser.add_argument("--case", action="append")
        args = parser.parse_args(sys.argv[2:])
        time_cases(args.folder, args.runs, args.variant or list(VARIANTS), args.case or list(CASES))
