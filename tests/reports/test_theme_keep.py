"""A theme's heading row is never left alone at the foot of a PDF page: it goes with its first measure.

A synthetic edition (no database) with more and more measures before the second theme, until the
heading falls at a page foot; pdftotext of each page shows where the heading and its first measure are.
"""

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from reports import rendering

THEME = "ด้านการป้องกันการทุจริตทดสอบ"
FIRST = "มาตรการแรกของด้านการป้องกัน"
# The rule under test switched off: the same document as WeasyPrint laid it out before.
WITHOUT_RULE = "<style>table.grid tr.theme { break-after: auto !important; }</style></head>"


def measure(theme: int, number: int, title: str, steps: list[str]) -> dict:
    return {
        "number": f"{theme}.{number}",
        "theme": theme,
        "title": title,
        "issue": "",
        "indicators": [],
        "items": [],
        "steps": steps,
        "units": ["กองคลัง"],
        "all_units": False,
        "owner": "",
        "period": {"start": "2022-10-01", "end": "2023-03-31", "whole_year": False},
        "deadline": None,
        "monitoring": "รายงานผลต่อผู้บริหาร",
        "target": "",
        "budget": None,
        "result": None,
    }


def edition(kind: str, fillers: int) -> dict:
    measures = [measure(1, n, f"มาตรการเติมหน้าที่ {n}", ["ขั้นตอนแรก", "ขั้นตอนที่สอง"]) for n in range(1, fillers + 1)]
    measures.append(measure(2, 1, FIRST, ["ประชุม", "ชี้แจง", "ประกาศ", "ติดตาม", "รายงาน"]))
    data = {
        "schema": 2,
        "kind": kind,
        "round": 6 if kind == "report" else None,
        "fiscal_year": 2566,
        "analysed_year": 2565,
        "edition": 1,
        "organisation": {
            "name": "เทศบาลตำบลทดสอบ",
            "slug": "test-town",
            "kind": "",
            "district": "",
            "province": "",
            "place": "",
            "thai_digits": True,
            "layout": "themes_12m",
        },
        "title": "มาตรการทดสอบ",
        "introduction": "",
        "themes": [{"number": 1, "title": "ด้านแรก"}, {"number": 2, "title": THEME}],
        "measures": measures,
    }
    if kind == "report":
        return data | {"document_title": "มาตรการทดสอบ", "document_edition": 1}
    return data | {"assessment": None, "trend": [], "findings": []}


def pages_of(html: str, tmp_path: Path) -> dict[str, list[int]]:
    """The pages (pdftotext -f N -l N) on which the theme's heading and its first measure print."""
    pdf = tmp_path / "theme.pdf"
    pdf.write_bytes(rendering.as_pdf(html))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])
    found: dict[str, list[int]] = {THEME: [], FIRST: []}
    for page in range(1, count + 1):
        out = subprocess.run(
            ["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, check=True
        )
        text = re.sub(r"\s", "", unicodedata.normalize("NFKC", out.stdout.decode()))
        for needle, pages in found.items():
            if needle in text:
                pages.append(page)
    return found


@pytest.mark.parametrize("kind", ["report", "measures"])
def test_a_theme_heading_at_a_page_foot_moves_to_the_next_page_with_its_first_measure(kind, tmp_path):
    for fillers in range(6, 20):
        html = rendering.edition_html(edition(kind, fillers), draft=False)
        before = pages_of(html.replace("</head>", WITHOUT_RULE, 1), tmp_path)
        if before[THEME] != before[FIRST]:
            break
    else:
        pytest.fail("no number of measures put the theme's heading at a page foot")
    assert len(before[THEME]) == 1 and before[THEME][0] < before[FIRST][0]  # left alone at the foot without the rule
    after = pages_of(html, tmp_path)
    assert after[THEME] == after[FIRST] == [before[FIRST][0]]
