"""Where WeasyPrint spends its time on our documents, and what CSS/markup variants save.

    .venv/bin/python bench/render.py --build /tmp/bp/bench.sqlite3 300      # once (about 1 min)
    .venv/bin/python bench/pdf_profile.py dump /tmp/bp/bench.sqlite3 /tmp/bp   # the HTML of the cases
    .venv/bin/python bench/pdf_profile.py time /tmp/bp [--runs 3] [--variant NAME ...]
    .venv/bin/python bench/pdf_profile.py profile /tmp/bp/report300.html     # cProfile, top functions
    .venv/bin/python bench/pdf_profile.py floor /tmp/bp [--runs 3]   # WeasyPrint's floor: the same text, no markup

`time` renders each dumped HTML with reports.pdf.render_pdf in this one process (one warm-up,
then `runs` timed renders, median), for each variant side by side: a variant turns reports.pdf's
speed changes on or off (shrink-to-fit, the paused collector, kept phrases as text) and may
rewrite the HTML (e.g. another rule for .keep), so all variants run on the same machine state.
"""

import cProfile
import html as html_module
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Variant:
    """How a case is rendered: its HTML rewritten, and which of reports.pdf's changes are on."""

    html: Callable[[str], str] = lambda html: html
    shrink_to_fit: bool = True  # reports.pdf's shrink-to-fit (off: WeasyPrint's own)
    pause_gc: bool = True  # reports.pdf.PAUSE_GC
    keep_as_text: bool = True  # reports.pdf.KEEP_AS_TEXT


UNPATCHED = "before: WeasyPrint's shrink-to-fit, collector running"
COLLECTING = "shrink-to-fit skips min-content, collector running"
INLINE_BLOCKS = "session 9: kept phrases as inline blocks"
AS_IS = "as is"
VARIANTS = {
    UNPATCHED: Variant(shrink_to_fit=False, pause_gc=False, keep_as_text=False),
    COLLECTING: Variant(pause_gc=False, keep_as_text=False),
    INLINE_BLOCKS: Variant(keep_as_text=False),
    AS_IS: Variant(),
    "as is (both)": Variant(keep_as_text=False),  # the name session 9's figures were measured under
    # Other rules for .keep (session 9): the inline blocks of print.css are what these replace.
    "keep: no span": Variant(html=_unwrap_keep, keep_as_text=False),
    "keep: nowrap": Variant(html=_inject(".keep { display: inline; white-space: nowrap; }"), keep_as_text=False),
    "keep: inline (no keep)": Variant(html=_inject(".keep { display: inline; }"), keep_as_text=False),
    "keep: inline-block nowrap": Variant(html=_inject(".keep { white-space: nowrap; }"), keep_as_text=False),
}


def render(html: str, variant: Variant = VARIANTS[AS_IS]) -> bytes:
    """reports.pdf.render_pdf with the variant's changes on or off, to compare them in one process."""
    from reports import pdf
    from reports.pdf import render_pdf, weasyprint_module

    pdf.PAUSE_GC = variant.pause_gc
    pdf.KEEP_AS_TEXT = variant.keep_as_text
    weasyprint_module()
    from weasyprint.layout import absolute, float, inline, preferred  # noqa: A004

    ours = preferred.shrink_to_fit
    ours = getattr(ours, "ours", ours)
    chosen = ours if variant.shrink_to_fit else ours.original
    chosen.ours = ours
    for module in (preferred, inline, float, absolute):
        module.shrink_to_fit = chosen
    return render_pdf(variant.html(html))


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
            chosen = VARIANTS[variant]
            pdf = render(source, chosen)  # warm-up of this exact HTML
            times, cpu = [], []
            for _ in range(runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                pdf = render(source, chosen)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            pages = pdf_pages(pdf)
            shown = ", ".join(f"{t:.2f}" for t in cpu)
            print(
                f"| {case} | {variant} | {pages} | {statistics.median(cpu):.2f} s | {statistics.median(times):.2f} s "
                f"| {shown} |",
                flush=True,
            )


def _text_only(html: str, *, stylesheet: bool) -> str:
    """The document's text, one paragraph per piece of text between tags: no table, no spans, no
    kept phrases; with our stylesheet (fonts, sizes, margins) or with nothing but the font."""
    head, body = html[: html.find("<body")], html[html.find("<body") :]
    pieces = [piece.strip() for piece in re.split(r"<[^>]+>", body) if piece.strip()]
    paragraphs = "".join(f"<p>{html_module.escape(piece, quote=False)}</p>" for piece in pieces)
    if stylesheet:
        return f'{head}<body><div class="doc">{paragraphs}</div></body></html>'
    font = "@font-face { font-family: S; src: url('/static/fonts/Sarabun-Regular.ttf'); }"
    return f"<html lang=th><title>x</title><style>{font} html {{ font-family: S; font-size: 11pt }}</style><body>{paragraphs}"


def floor(folder: str, runs: int, cases: list[str]) -> None:
    """How fast WeasyPrint lays out and draws the same text with (almost) no markup: what no
    change to our HTML or CSS can beat in one process. CPU medians of `runs` warm renders."""
    from reports import pdf

    setup()
    render("<html lang=th><title>x</title><p>warm</p>")
    tagged = dict(pdf.PDF_OPTIONS)
    print("| case | HTML | PDF | pages | median CPU |")
    print("|---|---|---|---:|---:|")
    for case in cases:
        source = Path(folder, f"{case}.html").read_text()
        variants = {
            "as is": source,
            "the text only, one <p> per piece, our stylesheet": _text_only(source, stylesheet=True),
            "the text only, no stylesheet but the font": _text_only(source, stylesheet=False),
        }
        for name, html in variants.items():
            for label, options in (("tagged (PDF/UA-1)", tagged), ("untagged", {})):
                pdf.PDF_OPTIONS = options
                try:
                    output = render(html)
                    cpu = []
                    for _ in range(runs):
                        start = time.process_time()
                        output = render(html)
                        cpu.append(time.process_time() - start)
                finally:
                    pdf.PDF_OPTIONS = tagged
                print(
                    f"| {case} | {name} | {label} | {pdf_pages(output)} | {statistics.median(cpu):.2f} s |", flush=True
                )


def profile(path: str, variant: str = AS_IS) -> None:
    setup()
    html = Path(path).read_text()
    render(html, VARIANTS[variant])
    profiler = cProfile.Profile()
    profiler.enable()
    render(html, VARIANTS[variant])
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
    elif command == "floor":
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("folder")
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--case", action="append")
        args = parser.parse_args(sys.argv[2:])
        floor(args.folder, args.runs, args.case or ["seed000_report12", "document300", "report300"])
    elif command == "time":
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("folder")
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--variant", action="append")
        parser.add_argument("--case", action="append")
        args = parser.parse_args(sys.argv[2:])
        time_cases(args.folder, args.runs, args.variant or list(VARIANTS), args.case or list(CASES))
