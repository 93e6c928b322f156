"""Synthetic data at national scale: every local government of Thailand, several fiscal years.

`generate()` fills an empty database (PostgreSQL for the real size; SQLite works for a few
organisations) with about 7,850 organisations as the country has them: one อบจ. per province,
เทศบาลนคร/เมือง/ตำบล and อบต. in their real proportions, named like real ones (เทศบาลตำบลหนองบัว,
องค์การบริหารส่วนตำบลดอนทอง …) in the 76 provinces, each with a unique ASCII slug
(``nong-bua-khon-kaen``, ``nong-bua-khon-kaen-2`` …). Each organisation gets:

- its units (สำนักปลัด and its งาน, กองคลัง, กองช่าง …);
- two accounts, an officer (``<slug>-officer``) and an approver (``<slug>-approver``) who holds
  every step of the default approval chain of its kind; one oversight account per province
  (``oversight-<province slug>``) covers the province by an OversightScope. Every account has
  the password NATIONAL_PASSWORD, hashed once for all of them;
- its ITA scores for every framework year in range (official figures = the recomputation, so
  no mismatch is flagged), and one measures document per fiscal year with findings from the
  weakest indicators, 0–6 themes and `measures_min`–`measures_max` measures (steps, units,
  items and indicators of the year's basis framework, i.e. ITA N−1; documents whose basis year
  has no framework link none);
- the 6- and 12-month progress reports with an entry per measure (and link evidence), the
  submissions and decisions of what went up the chain, and a publication of what is published.

Each submission freezes its edition (schema 2) as workflow.submit does: exactly what
measures.editions.edition_data returns for the same rows (the organisation block, the ITA
result and trend of a measures document, findings, themes, every field of every measure and
each result of a round), built here from the planned rows in memory with the same functions of
measures.editions (edition_data itself would cost a dozen queries per document and report).

The mix of states follows the calendar: past years are mostly published, the latest year is
spread over draft, submitted, approved and published. Texts come from the three seed documents
(fixtures/demo/), so they are real Thai sentences.

Publications and their PDFs. Rendering and storing a PDF per publication (about 90,000) would
take days, so each document kind (measures, report-6, report-12) is published once for real by
reports.publishing.publish: the first published document of that kind (the "specimen", in the
first organisation that has one) is rendered to HTML and PDF, stored and hashed. Every other
publication of the kind points to the specimen's stored PDF file, so its `sha256` and
`pdf_size` (the specimen's) match the file it serves, and has the specimen's `html` and
`body_html`: the public page of a generated document shows the specimen's text. Its `data`
(the open data JSON/CSV), `title`, version, edition and submission are its own, and `data` is
exactly what reports.publishing.publish freezes: its approved submission's `snapshot` with the
approvals (editions.approvals) of its decisions.

What the data is not: no history rows (django-simple-history records saves, and bulk inserts
are not saves), no memos (a memo page shows the defaults, workflow.memo_draft, until it is saved;
so a snapshot has no "memo", as for a submission sent before memos were frozen with it), one
edition and one published version per document, no uploaded evidence files.

Everything is deterministic for a given seed: each organisation draws from its own random
generator, seeded by (seed, its number), so the batch size does not change the data. Rows are
written with bulk_create, one transaction per batch of organisations, while a thread plans the
next batch; no query is made per row, and the three specimens are the only documents rendered.
The publications' large columns (the HTML and the snapshot) are copied by the database from the
rows that hold them rather than sent again for each row. On PostgreSQL the session compresses
large values with lz4 instead of pglz (`_session_settings`): reads are unaffected, if anything
faster; at the end the statistics are gathered (ANALYZE), so that the planner knows the new
sizes before anyone measures. The database must hold no organisation yet: the generator
refuses rather than mixing with existing data.

Layering: `measures` never imports `reports`; this generator fills both apps, so it looks the
reports module up at run time (`_reports`), only when it is run.
"""

from __future__ import annotations

import importlib
import json
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Func, JSONField, OuterRef, Prefetch, Subquery
from django.utils import translation

from . import editions, thai
from .models import (
    ApprovalPosition,
    Assessment,
    Decision,
    DocumentStatus,
    Evidence,
    Finding,
    Framework,
    IndicatorScore,
    Measure,
    MeasuresDocument,
    MeasureStep,
    Membership,
    Organisation,
    OversightScope,
    ProgressEntry,
    ProgressReport,
    Submission,
    Theme,
    Tool,
    ToolPartScore,
    ToolScore,
    Unit,
)
from .scoring import compute_scorecard, round2
from .services import default_document_title
from .workflow import default_chain_titles

NATIONAL_PASSWORD = "ita-national-2567"  # noqa: S105 - the documented password of generated accounts
BANGKOK = ZoneInfo("Asia/Bangkok")
ROWS_PER_INSERT = 2000
LARGE_ROWS_PER_INSERT = 50  # submissions carry their whole edition (~100 KB as JSON): one INSERT ~5 MB

Kind = Organisation.Kind
Layout = Organisation.Layout
Status = DocumentStatus
EntryStatus = ProgressEntry.Status


class GenerationRefused(Exception):
    """The database already has data, or the options make no sense; the message is Thai."""


# --- Places and names -------------------------------------------------------------------------

# The 76 provinces (กรุงเทพมหานคร is a special form with no อบจ.), with an ASCII slug.
PROVINCES = [
    ("กระบี่", "krabi"),
    ("กาญจนบุรี", "kanchanaburi"),
    ("กาฬสินธุ์", "kalasin"),
    ("กำแพงเพชร", "kamphaeng-phet"),
    ("ขอนแก่น", "khon-kaen"),
    ("จันทบุรี", "chanthaburi"),
    ("ฉะเชิงเทรา", "chachoengsao"),
    ("ชลบุรี", "chon-buri"),
    ("ชัยนาท", "chai-nat"),
    ("ชัยภูมิ", "chaiyaphum"),
    ("ชุมพร", "chumphon"),
    ("เชียงราย", "chiang-rai"),
    ("เชียงใหม่", "chiang-mai"),
    ("ตรัง", "trang"),
    ("ตราด", "trat"),
    ("ตาก", "tak"),
    ("นครนายก", "nakhon-nayok"),
    ("นครปฐม", "nakhon-pathom"),
    ("นครพนม", "nakhon-phanom"),
    ("นครราชสีมา", "nakhon-ratchasima"),
    ("นครศรีธรรมราช", "nakhon-si-thammarat"),
    ("นครสวรรค์", "nakhon-sawan"),
    ("นนทบุรี", "nonthaburi"),
    ("นราธิวาส", "narathiwat"),
    ("น่าน", "nan"),
    ("บึงกาฬ", "bueng-kan"),
    ("บุรีรัมย์", "buri-ram"),
    ("ปทุมธานี", "pathum-thani"),
    ("ประจวบคีรีขันธ์", "prachuap-khiri-khan"),
    ("ปราจีนบุรี", "prachin-buri"),
    ("ปัตตานี", "pattani"),
    ("พระนครศรีอยุธยา", "phra-nakhon-si-ayutthaya"),
    ("พะเยา", "phayao"),
    ("พังงา", "phangnga"),
    ("พัทลุง", "phatthalung"),
    ("พิจิตร", "phichit"),
    ("พิษณุโลก", "phitsanulok"),
    ("เพชรบุรี", "phetchaburi"),
    ("เพชรบูรณ์", "phetchabun"),
    ("แพร่", "phrae"),
    ("ภูเก็ต", "phuket"),
    ("มหาสารคาม", "maha-sarakham"),
    ("มุกดาหาร", "mukdahan"),
    ("แม่ฮ่องสอน", "mae-hong-son"),
    ("ยโสธร", "yasothon"),
    ("ยะลา", "yala"),
    ("ร้อยเอ็ด", "roi-et"),
    ("ระนอง", "ranong"),
    ("ระยอง", "rayong"),
    ("ราชบุรี", "ratchaburi"),
    ("ลพบุรี", "lop-buri"),
    ("ลำปาง", "lampang"),
    ("ลำพูน", "lamphun"),
    ("เลย", "loei"),
    ("ศรีสะเกษ", "si-sa-ket"),
    ("สกลนคร", "sakon-nakhon"),
    ("สงขลา", "songkhla"),
    ("สตูล", "satun"),
    ("สมุทรปราการ", "samut-prakan"),
    ("สมุทรสงคราม", "samut-songkhram"),
    ("สมุทรสาคร", "samut-sakhon"),
    ("สระแก้ว", "sa-kaeo"),
    ("สระบุรี", "saraburi"),
    ("สิงห์บุรี", "sing-buri"),
    ("สุโขทัย", "sukhothai"),
    ("สุพรรณบุรี", "suphan-buri"),
    ("สุราษฎร์ธานี", "surat-thani"),
    ("สุรินทร์", "surin"),
    ("หนองคาย", "nong-khai"),
    ("หนองบัวลำภู", "nong-bua-lam-phu"),
    ("อ่างทอง", "ang-thong"),
    ("อำนาจเจริญ", "amnat-charoen"),
    ("อุดรธานี", "udon-thani"),
    ("อุตรดิตถ์", "uttaradit"),
    ("อุทัยธานี", "uthai-thani"),
    ("อุบลราชธานี", "ubon-ratchathani"),
]
# Place names are made of two common parts, as so many Thai ones are: หนอง + บัว, ดอน + ทอง …
PLACE_HEADS = [
    ("หนอง", "nong"),
    ("บ้าน", "ban"),
    ("ดอน", "don"),
    ("โคก", "khok"),
    ("ทุ่ง", "thung"),
    ("วัง", "wang"),
    ("ห้วย", "huai"),
    ("นา", "na"),
    ("โนน", "non"),
    ("บ่อ", "bo"),
    ("เขา", "khao"),
    ("ท่า", "tha"),
    ("บาง", "bang"),
    ("คลอง", "khlong"),
    ("ป่า", "pa"),
    ("สระ", "sa"),
    ("ไผ่", "phai"),
    ("แม่", "mae"),
    ("ดง", "dong"),
    ("หัว", "hua"),
    ("โพธิ์", "pho"),
    ("ยาง", "yang"),
    ("ลำ", "lam"),
    ("สวน", "suan"),
    ("เนิน", "noen"),
]
PLACE_TAILS = [
    ("บัว", "bua"),
    ("ใหม่", "mai"),
    ("ทอง", "thong"),
    ("ยาว", "yao"),
    ("สูง", "sung"),
    ("แดง", "daeng"),
    ("ขาม", "kham"),
    ("ตูม", "tum"),
    ("ทราย", "sai"),
    ("หลวง", "luang"),
    ("น้อย", "noi"),
    ("ใหญ่", "yai"),
    ("กลาง", "klang"),
    ("สะแก", "sakae"),
    ("แก้ว", "kaeo"),
    ("งาม", "ngam"),
    ("จันทร์", "chan"),
    ("พลอย", "phloi"),
    ("ไทร", "sai-ngam"),
    ("เจริญ", "charoen"),
    ("ศรี", "si"),
    ("สำราญ", "samran"),
    ("มะค่า", "makha"),
    ("กระเบา", "krabao"),
    ("ช้าง", "chang"),
]
DISTRICT_NAMES = [
    "บ้านนา",
    "หนองบัว",
    "ท่าม่วง",
    "บ้านโป่ง",
    "สามพราน",
    "ดอนตูม",
    "วังน้อย",
    "บางปลาม้า",
    "โนนสูง",
    "บ้านไผ่",
    "พระยืน",
    "ศรีสัชนาลัย",
    "ท่าวุ้ง",
    "บ้านหมี่",
    "หนองหญ้าไซ",
    "เขาย้อย",
    "บ้านแพ้ว",
    "นาดี",
    "ห้วยแถลง",
    "ปากช่อง",
    "สีคิ้ว",
    "โคกสำโรง",
    "บางบาล",
    "แม่ริม",
    "สันทราย",
    "ท่าศาลา",
    "ปากพนัง",
    "ควนขนุน",
    "ละงู",
    "เชียงคาน",
    "ด่านซ้าย",
    "ภูเรือ",
    "กันทรลักษ์",
    "ปรางค์กู่",
    "ลำปลายมาศ",
    "นางรอง",
    "กุยบุรี",
    "ทับสะแก",
    "บ่อไร่",
    "เขาสมิง",
]
KIND_WEIGHTS = [  # as the Department of Local Administration counts them, without the อบจ.
    (Kind.MUNICIPALITY_CITY, 30),
    (Kind.MUNICIPALITY_TOWN, 195),
    (Kind.MUNICIPALITY_SUBDISTRICT, 2247),
    (Kind.SUBDISTRICT, 5300),
]
KIND_PREFIX = {
    Kind.MUNICIPALITY_CITY: "เทศบาลนคร",
    Kind.MUNICIPALITY_TOWN: "เทศบาลเมือง",
    Kind.MUNICIPALITY_SUBDISTRICT: "เทศบาลตำบล",
    Kind.SUBDISTRICT: "องค์การบริหารส่วนตำบล",
    Kind.PROVINCIAL: "องค์การบริหารส่วนจังหวัด",
}
PROVINCIAL_EVERY = 104  # one organisation in 104 is an อบจ.: 76 of 7,850, one per province
LAYOUT_WEIGHTS = [
    (Layout.THEMES_12M, 50),
    (Layout.QUESTION_CODES, 25),
    (Layout.BO_PHLOI_2565, 15),
    (Layout.SAO_SIX_COLUMNS, 10),
]
FIRST_NAMES = {
    "นาย": ["สมชาย", "วิชัย", "ประเสริฐ", "สมศักดิ์", "บุญมี", "อนุชา", "ธนากร", "กิตติพงษ์", "สุริยา", "ณัฐวุฒิ"],
    "นาง": ["สุนีย์", "พรทิพย์", "วันเพ็ญ", "จรัสศรี", "มาลัย", "ศิริพร", "อรุณี", "ประภา", "รัชนี", "กาญจนา"],
    "นางสาว": ["สุนิสา", "วันดี", "ณัฐธิดา", "พิมพ์ชนก", "กมลวรรณ", "ปวีณา", "อัญชลี", "จิราพร", "ธิดารัตน์", "มาลี"],
}
LAST_NAMES = [
    "ใจดี",
    "มั่นคง",
    "รักงาน",
    "ซื่อตรง",
    "ตั้งใจ",
    "ศรีสุข",
    "บุญเรือง",
    "แก้วมณี",
    "ทองคำ",
    "พัฒนะพิชัย",
    "เหมวิเชียร",
    "คงสมบูรณ์",
    "วงศ์ใหญ่",
    "สุขประเสริฐ",
    "จันทร์หอม",
    "อินทร์แก้ว",
    "ปัญญาดี",
    "ชัยมงคล",
]

# Units as (name, kind, optional, children): optional divisions exist in some organisations only.
UNITS = [
    (
        "สำนักปลัด",
        Unit.Kind.OFFICE,
        False,
        ["งานบริหารทั่วไป", "งานนิติการ", "งานวิเคราะห์นโยบายและแผน", "งานการเจ้าหน้าที่", "งานป้องกันและบรรเทาสาธารณภัย"],
    ),
    ("กองคลัง", Unit.Kind.DIVISION, False, ["งานการเงินและบัญชี", "งานพัสดุและทรัพย์สิน", "งานพัฒนาและจัดเก็บรายได้"]),
    ("กองช่าง", Unit.Kind.DIVISION, False, ["งานก่อสร้าง", "งานออกแบบและควบคุมอาคาร"]),
    ("กองการศึกษา ศาสนาและวัฒนธรรม", Unit.Kind.DIVISION, True, ["งานศูนย์พัฒนาเด็กเล็ก"]),
    ("กองสาธารณสุขและสิ่งแวดล้อม", Unit.Kind.DIVISION, True, []),
    ("กองสวัสดิการสังคม", Unit.Kind.DIVISION, True, []),
    ("กองยุทธศาสตร์และงบประมาณ", Unit.Kind.DIVISION, True, []),
    ("กองการเจ้าหน้าที่", Unit.Kind.DIVISION, True, []),
    ("หน่วยตรวจสอบภายใน", Unit.Kind.OTHER, True, []),
]
EVIDENCE_TITLES = ["ภาพกิจกรรม", "ประกาศบนเว็บไซต์", "รายงานการประชุม", "คำสั่งแต่งตั้งคณะทำงาน", "สรุปผลการดำเนินงาน"]


def _weighted(rng: random.Random, pairs):
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


# --- What the generator reads once: frameworks and the texts of the seeds ---------------------


@dataclass
class Texts:
    """Sentences of the seed documents, to fill the synthetic measures and results."""

    titles: list[str]
    steps: list[str]
    monitoring: list[str]
    themes: list[str]
    summaries: list[str]
    outcomes: list[str]
    problems: list[str]
    suggestions: list[str]
    findings: list[str]

    @classmethod
    def from_seeds(cls) -> Texts:
        pools: dict[str, list[str]] = {name: [] for name in cls.__dataclass_fields__}
        for path in sorted((Path(settings.BASE_DIR) / "fixtures" / "demo").glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            for document in data.get("documents", []):
                pools["themes"] += [t["title"] for t in document.get("themes", [])]
                pools["findings"] += [f["text"] for f in document.get("findings", [])]
                for measure in document.get("measures", []):
                    pools["titles"].append(measure["title"])
                    pools["steps"] += measure.get("steps", [])
                    pools["monitoring"].append(measure.get("monitoring", ""))
                    for progress in measure.get("progress", {}).values():
                        for key, pool in (
                            ("summary", "summaries"),
                            ("outcome", "outcomes"),
                            ("problems", "problems"),
                            ("suggestions", "suggestions"),
                        ):
                            pools[pool].append(progress.get(key, ""))
        texts = {name: sorted({t.strip() for t in pool if t and t.strip()}) for name, pool in pools.items()}
        defaults = {
            "problems": ["งบประมาณมีจำกัด"],
            "suggestions": ["ควรดำเนินการอย่างต่อเนื่อง"],
            "findings": ["หน่วยงานควรพัฒนาการเปิดเผยข้อมูลให้ครบถ้วนและเป็นปัจจุบัน"],
        }
        for name, fallback in defaults.items():
            texts[name] = texts[name] or fallback
        return cls(**texts)


@dataclass
class FrameworkInfo:
    framework: Framework
    tools: list[Tool]
    items: list  # Item, in the framework's order, with .indicator
    items_by_indicator: dict[int, list]


def _frameworks() -> dict[int, FrameworkInfo]:
    tools = Tool.objects.prefetch_related("indicators", "parts").order_by("order")
    infos = {}
    for framework in Framework.objects.prefetch_related(
        Prefetch("tools", queryset=tools), "rating_rules", "items__indicator"
    ):
        items = sorted(framework.items.all(), key=lambda i: (i.order, i.pk))
        by_indicator: dict[int, list] = {}
        for item in items:
            by_indicator.setdefault(item.indicator_id, []).append(item)
        infos[framework.year] = FrameworkInfo(framework, list(framework.tools.all()), items, by_indicator)
    return infos


def _reports():
    """reports.models and reports.publishing, looked up when the generator runs (see the docstring)."""
    return importlib.import_module("reports.models"), importlib.import_module("reports.publishing")


# --- Editions: what measures.editions.edition_data reads, built from memory -------------------
#
# The bulk of the rows (measures, steps, entries, decisions …) are made without their foreign
# keys, which are filled in as plain ids once their parents are inserted: setting a related
# object through Django's descriptor costs more than the rest of the row. The plan keeps the
# parents next to them (PlannedMeasure.theme …) so the editions read no foreign key. Each part
# of an edition is made by the same function of measures.editions as edition_data uses.


@dataclass
class PlannedMeasure:
    measure: Measure  # without document and theme (see above)
    theme: Theme | None
    steps: list[str]
    units: list[Unit]
    items: list  # Item, in the framework's order, with its indicator
    entries: dict[int, ProgressEntry] = field(default_factory=dict)  # round → entry, without its keys

    @property
    def number(self) -> str:
        """The display number, as Measure.display_number gives it."""
        return f"{self.theme.number}.{self.measure.number}" if self.theme is not None else str(self.measure.number)

    @property
    def print_order(self) -> tuple:
        """As MeasureQuerySet.in_print_order sorts: without a theme first, then theme and number."""
        return (self.theme is not None, self.theme.number if self.theme is not None else 0, self.measure.number)

    def edition_row(self) -> dict:
        return editions.measure_row(
            self.measure,
            number=self.number,
            theme=self.theme.number if self.theme is not None else None,
            # An item always speaks to its indicator: the measure links the indicators of its items.
            indicators=sorted({i.indicator.number for i in self.items}),
            items=[i.code for i in self.items],
            steps=list(self.steps),
            units=[u.name for u in self.units],
        )


@dataclass
class PlannedSubmission:
    submission: Submission  # with its target and submitter set (few rows); approver ids filled on insert
    decisions: list[Decision]  # without submission and user
    publication: dict | None = None  # the fields of its Publication, for a published target


@dataclass
class PlannedFinding:
    finding: Finding  # without document
    tool: str  # the code of its tool
    indicators: list  # Indicator


@dataclass
class PlannedDocument:
    document: MeasuresDocument
    officer: object
    approver: object
    findings: list[PlannedFinding]
    themes: list[Theme]  # without document
    measures: list[PlannedMeasure]
    printed: PrintedOrganisation
    reports: dict[int, ProgressReport] = field(default_factory=dict)
    evidence: list[tuple[Evidence, ProgressEntry]] = field(default_factory=list)
    submissions: list[PlannedSubmission] = field(default_factory=list)
    _rows: list[dict] | None = None  # the measures' rows, the same in the document and its reports

    def _measure_rows(self) -> list[tuple[PlannedMeasure, dict]]:
        planned = sorted(self.measures, key=lambda pm: pm.print_order)
        if self._rows is None:
            self._rows = [pm.edition_row() for pm in planned]
        return list(zip(planned, self._rows, strict=True))

    def _themes(self) -> list[dict]:
        return [editions.theme_row(t) for t in self.themes]

    def edition(self) -> dict:
        """What editions.document_data reads of the document once it is written."""
        analysed = self.document.analysed_year
        return editions.measures_edition(
            self.document,
            organisation=self.printed.organisation,
            assessment=self.printed.assessments.get(analysed),
            trend=[year for number, year in sorted(self.printed.trend.items()) if number <= analysed],
            findings=[
                editions.finding_row(pf.finding, tool=pf.tool, indicators=[i.number for i in pf.indicators], items=[])
                for pf in self.findings
            ],
            themes=self._themes(),
            measures=[row for _, row in self._measure_rows()],
        )

    def report_edition(self, round_months: int) -> dict:
        """What editions.report_data reads of the round's report once it is written."""
        measures = []
        for pm, row in self._measure_rows():
            entry = pm.entries.get(round_months)
            measures.append(row | {"result": editions.result_data(entry) if entry is not None else None})
        return editions.report_edition(
            self.reports[round_months],
            self.document,
            organisation=self.printed.organisation,
            themes=self._themes(),
            measures=measures,
        )


@dataclass
class PrintedOrganisation:
    """What every edition of an organisation prints of it: the organisation block, and per
    assessment year its ITA result (editions.scorecard_data) and its year of the trend."""

    organisation: dict
    assessments: dict[int, dict] = field(default_factory=dict)
    trend: dict[int, dict] = field(default_factory=dict)


@dataclass
class PlannedOrganisation:
    organisation: Organisation
    units: list[Unit]  # parents before their children; a child's parent in `_parent`
    officer: object
    approver: object
    chain: list[str]  # the titles of its approval positions
    assessments: list[tuple[Assessment, list]]  # (assessment without organisation, its score rows without it)
    printed: PrintedOrganisation
    documents: list[PlannedDocument] = field(default_factory=list)


# --- The generator ----------------------------------------------------------------------------


class Generator:
    def __init__(
        self,
        *,
        organisations: int,
        years: int,
        seed: int,
        measures_min: int,
        measures_max: int,
        last_year: int | None,
        batch_size: int,
        log: Callable[[str], None],
    ):
        self.total, self.years, self.seed = organisations, years, seed
        self.measures_min, self.measures_max = measures_min, measures_max
        self.batch_size, self.log = batch_size, log
        self.frameworks = _frameworks()
        if not self.frameworks:
            raise GenerationRefused("ยังไม่มีกรอบการประเมิน ITA ในฐานข้อมูล กรุณาโหลดก่อนด้วย manage.py load_frameworks")
        self.last_year = last_year or max(self.frameworks) + 1
        self.fiscal_years = list(range(self.last_year - years + 1, self.last_year + 1))
        self.texts = Texts.from_seeds()
        self.password = make_password(NATIONAL_PASSWORD, salt=f"national{seed}")
        self.slugs: set[str] = set()
        self.names: set[tuple[str, str]] = set()
        self.districts = {
            name: [f"เมือง{name}", *random.Random(f"{seed}-{slug}").sample(DISTRICT_NAMES, 9)]
            for name, slug in PROVINCES
        }
        self.provinces_used: set[tuple[str, str]] = set()
        self.specimens: dict[str, object] = {}  # publication kind → the Publication rendered for real
        self.counts: dict[str, int] = {}
        self.reports_models, self.publishing = _reports()
        self.language = translation.get_language()

    # --- the organisation and its people ---

    def _organisation(self, index: int, rng: random.Random) -> Organisation:
        provincial = index % PROVINCIAL_EVERY == 0
        province, province_slug = (
            PROVINCES[index // PROVINCIAL_EVERY % len(PROVINCES)] if provincial else rng.choice(PROVINCES)
        )
        self.provinces_used.add((province, province_slug))
        if provincial:
            kind, place, place_slug = Kind.PROVINCIAL, province, "pao"
        else:
            kind = _weighted(rng, KIND_WEIGHTS)
            for _attempt in range(20):  # a name unique in its province, as real ones are
                (head, head_slug), (tail, tail_slug) = rng.choice(PLACE_HEADS), rng.choice(PLACE_TAILS)
                place, place_slug = head + tail, f"{head_slug}-{tail_slug}"
                if (KIND_PREFIX[kind] + place, province) not in self.names:
                    break
        name = KIND_PREFIX[kind] + place
        self.names.add((name, province))
        base = f"{place_slug}-{province_slug}"
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        district = f"เมือง{province}" if provincial else rng.choice(self.districts[province])
        return Organisation(
            name=name,
            kind=kind,
            province=province,
            district=district,
            slug=slug,
            website=f"https://www.{slug}.go.th",
            thai_digits=rng.random() < 0.8,
            report_layout=_weighted(rng, LAYOUT_WEIGHTS),
        )

    def _units(self, organisation: Organisation, rng: random.Random) -> list[Unit]:
        large = organisation.kind in (Kind.PROVINCIAL, Kind.MUNICIPALITY_CITY, Kind.MUNICIPALITY_TOWN)
        units, order = [], 0
        for name, kind, optional, children in UNITS:
            if optional and rng.random() > (0.9 if large else 0.45):
                continue
            order += 1
            parent = Unit(name=name, kind=kind, order=order)
            parent._parent = None
            units.append(parent)
            for child in children:
                if rng.random() < 0.6:
                    order += 1
                    unit = Unit(name=child, kind=Unit.Kind.SECTION, order=order)
                    unit._parent = parent
                    units.append(unit)
        return units

    def _user(self, username: str, rng: random.Random):
        title = rng.choice(list(FIRST_NAMES))
        return get_user_model()(
            username=username,
            first_name=f"{title}{rng.choice(FIRST_NAMES[title])}",
            last_name=rng.choice(LAST_NAMES),
            email=f"{username}@national.invalid",
            password=self.password,
        )

    # --- scores ---

    def _assessments(self, rng: random.Random, printed: PrintedOrganisation) -> tuple[list, dict]:
        """The ITA result of each framework year the documents analyse, and year → indicator scores;
        what the editions print of each year goes to `printed`."""
        level = rng.uniform(62, 96)
        rows, results = [], {}
        for year in range(self.fiscal_years[0] - 1, self.last_year):
            info = self.frameworks.get(year)
            if info is None:
                continue
            level = min(99.0, level + rng.uniform(-2, 4))
            scores = {}
            for tool in info.tools:
                for indicator in tool.indicators.all():
                    scores[indicator] = Decimal(f"{min(100.0, max(0.0, rng.gauss(level, 7))):.2f}")
            card = compute_scorecard(
                framework=info.framework, indicator_scores={i.number: s for i, s in scores.items()}
            )
            assessment = Assessment(
                framework_id=info.framework.pk,
                official_total=round2(card.total_computed),
                official_rating=card.rating_computed.label if card.rating_computed else "",
            )
            scores_rows = [IndicatorScore(indicator_id=i.pk, score=s) for i, s in scores.items()]
            tool_scores, part_scores = {}, {}
            for result in card.tools:
                tool_score = tool_scores[result.tool.code] = round2(result.computed)
                scores_rows.append(ToolScore(tool_id=result.tool.pk, score=tool_score))
                for part in result.tool.parts.all():
                    part_score = min(Decimal(100), max(Decimal(0), tool_score + Decimal(rng.randint(-300, 300)) / 100))
                    part_scores[part.pk] = part_score
                    scores_rows.append(ToolPartScore(part_id=part.pk, score=part_score))
            rows.append((assessment, scores_rows))
            results[year] = scores
            # The score card as scoring.scorecard_for makes it of the stored rows, official figures included.
            printed_card = compute_scorecard(
                framework=info.framework,
                indicator_scores={i.number: s for i, s in scores.items()},
                official_tool_scores=tool_scores,
                official_total=assessment.official_total,
                official_rating=assessment.official_rating,
            )
            printed.assessments[year] = editions.scorecard_data(printed_card, part_scores)
            printed.trend[year] = editions.trend_year(printed_card)
        return rows, results

    # --- documents ---

    def _document(self, po: PlannedOrganisation, fiscal_year: int, scores: dict, rng: random.Random) -> PlannedDocument:
        texts, organisation = self.texts, po.organisation
        info = self.frameworks.get(fiscal_year - 1)
        document = MeasuresDocument(
            organisation=organisation,
            fiscal_year=fiscal_year,
            basis_framework_id=info.framework.pk if info else None,
            title=default_document_title(organisation, fiscal_year),
            introduction=(
                f"จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน ประจำปี พ.ศ. {fiscal_year - 1} "
                f"นำมาสู่การกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานของ{organisation.name} ดังนี้"
            ),
        )
        weakest = sorted(scores.items(), key=lambda pair: (pair[1], pair[0].number))[:3] if scores else []
        tool_codes = {tool.pk: tool.code for tool in info.tools} if info else {}
        findings = []
        for order, (indicator, score) in enumerate(weakest[:2], start=1):
            urgent = order == 1 and score < info.framework.pass_mark
            finding = Finding(
                kind=Finding.Kind.URGENT if urgent else Finding.Kind.IMPROVE,
                tool_id=indicator.tool_id,
                order=order,
                issue_area=indicator.name,
                text=(
                    f"ตัวชี้วัดที่ {indicator.number} {indicator.name} ได้คะแนน {score} "
                    f"(เกณฑ์ {info.framework.pass_mark}) {rng.choice(texts.findings)}"
                ),
            )
            findings.append(PlannedFinding(finding, tool_codes[indicator.tool_id], [indicator]))
        themes = []
        if rng.random() < 0.85:
            chosen = rng.sample(texts.themes, min(len(texts.themes), rng.randint(3, 6)))
            themes = [Theme(number=number, title=title) for number, title in enumerate(chosen, start=1)]
        # Items to link: those of the weakest indicators first, then any of the basis year.
        candidates = (
            [item for indicator, _ in weakest for item in info.items_by_indicator.get(indicator.pk, [])] if info else []
        )
        if info and len(candidates) < 4:
            candidates = list(dict.fromkeys(candidates + rng.sample(info.items, min(6, len(info.items)))))
        start = thai.fiscal_year_bounds(fiscal_year)[0]
        measures = []
        count = rng.randint(self.measures_min, self.measures_max)
        numbers: dict[int, int] = {}
        for n in range(count):
            theme = themes[n * len(themes) // count] if themes else None
            key = theme.number if theme else 0
            numbers[key] = numbers.get(key, 0) + 1
            items = (
                sorted(rng.sample(candidates, rng.randint(0, min(2, len(candidates)))), key=lambda i: (i.order, i.pk))
                if candidates
                else []
            )
            whole_year = rng.random() < 0.2
            period_start = period_end = None
            if not whole_year:
                first = rng.randint(0, 8)
                period_start, period_end = _month_start(start, first), _month_end(start, rng.randint(first, 11))
            all_units = rng.random() < 0.08
            units = (
                []
                if all_units
                else sorted(rng.sample(po.units, rng.randint(1, min(2, len(po.units)))), key=lambda u: u.order)
            )
            measure = Measure(
                number=numbers[key],
                title=rng.choice(texts.titles),
                issue=items[0].title if items else "",
                all_units=all_units,
                owner=rng.choice(["", "", "", "ปลัด", "หัวหน้าสำนักปลัด", "ผู้อำนวยการกองคลัง"]),
                period_start=period_start,
                period_end=period_end,
                whole_year=whole_year,
                monitoring=rng.choice(texts.monitoring) if texts.monitoring else "",
                target=rng.choice(["", "", "ร้อยละ 100 ของแผนที่กำหนด", "เผยแพร่ข้อมูลครบถ้วนทุกเดือน"]),
            )
            steps = rng.sample(texts.steps, rng.randint(1, min(4, len(texts.steps))))
            measures.append(PlannedMeasure(measure, theme, steps, units, items))
        return PlannedDocument(document, po.officer, po.approver, findings, themes, measures, po.printed)

    def _entries(self, planned: PlannedDocument, round_months: int, draft: bool, rng: random.Random) -> None:
        texts = self.texts
        round_start, round_end = thai.round_bounds(planned.document.fiscal_year, round_months)
        for pm in planned.measures:
            earlier = pm.entries.get(6) if round_months == 12 else None
            if draft and rng.random() < 0.4:
                status = EntryStatus.NOT_STARTED
            elif earlier is not None and earlier.status == EntryStatus.DONE:
                status = EntryStatus.DONE
            elif round_months == 6:
                status = _weighted(
                    rng,
                    [
                        (EntryStatus.DONE, 30),
                        (EntryStatus.IN_PROGRESS, 50),
                        (EntryStatus.NOT_STARTED, 15),
                        (EntryStatus.DELAYED, 5),
                    ],
                )
            else:
                status = _weighted(
                    rng,
                    [
                        (EntryStatus.DONE, 80),
                        (EntryStatus.IN_PROGRESS, 10),
                        (EntryStatus.NOT_STARTED, 5),
                        (EntryStatus.DELAYED, 5),
                    ],
                )
            percent = {EntryStatus.DONE: 100, EntryStatus.NOT_STARTED: 0}.get(status)
            if percent is None:
                percent = rng.randint(10, 90)
            started, done = status != EntryStatus.NOT_STARTED, status == EntryStatus.DONE
            entry = ProgressEntry(
                status=status,
                percent=percent,
                summary=rng.choice(texts.summaries) if started and texts.summaries else "",
                outcome=rng.choice(texts.outcomes) if done and texts.outcomes else "",
                problems=rng.choice(texts.problems) if status == EntryStatus.DELAYED else "",
                suggestions=rng.choice(texts.suggestions) if started and rng.random() < 0.2 else "",
                completed_on=round_start + timedelta(days=rng.randint(30, (round_end - round_start).days))
                if done
                else None,
            )
            pm.entries[round_months] = entry
            if done and rng.random() < 0.25:
                slug, year = planned.document.organisation.slug, planned.document.fiscal_year
                evidence = Evidence(
                    title=rng.choice(EVIDENCE_TITLES),
                    url=f"https://www.{slug}.go.th/ita/{year}/{rng.randint(100, 9999)}",
                )
                planned.evidence.append((evidence, entry))

    # --- sign-off and publication ---

    def _signoff(
        self,
        planned: PlannedDocument,
        round_months: int | None,
        status: str,
        chain: list[str],
        when: datetime,
        rng: random.Random,
    ) -> None:
        """The submissions and decisions behind a status, and the publication of a published one."""
        if status == Status.DRAFT:
            if rng.random() < 0.15:  # returned once: back to draft with the approver's comment
                self._submission(planned, round_months, chain, when, rng, Submission.Status.RETURNED)
            return
        outcome = Submission.Status.PENDING if status == Status.SUBMITTED else Submission.Status.APPROVED
        ps = self._submission(planned, round_months, chain, when, rng, outcome)
        if status != Status.PUBLISHED:
            return
        target = planned.document if round_months is None else planned.reports[round_months]
        ps.publication = {
            "target": target,
            "kind": self.publishing.kind_of(target),
            "title": self.publishing.publication_title(ps.submission.snapshot)[:300],  # the title publish() gives
            # Added to the approved snapshot by the database (see _publications), as publish() adds it.
            "extra": {"approvals": editions.approval_rows(ps.decisions)},
            "published_at": ps.submission.closed_at + timedelta(days=rng.randint(1, 7), hours=1),
        }

    def _submission(self, planned, round_months, chain, when, rng, outcome) -> PlannedSubmission:
        # What workflow.submit freezes, but the memo: the generator writes no memo (see the docstring).
        snapshot = planned.edition() if round_months is None else planned.report_edition(round_months)
        if outcome == Submission.Status.PENDING:
            decided = rng.randint(0, len(chain) - 1)
        elif outcome == Submission.Status.RETURNED:
            decided = rng.randint(1, len(chain))
        else:
            decided = len(chain)
        moment, decisions = when, []
        for step in range(decided):
            moment += timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5))
            returned = outcome == Submission.Status.RETURNED and step == decided - 1
            decisions.append(
                Decision(
                    step=step,
                    position=chain[step],
                    name=planned.approver.get_full_name(),
                    decided_at=moment,
                    comment="กรุณาปรับปรุงขั้นตอนการดำเนินงานให้ชัดเจน"
                    if returned
                    else rng.choice(["", "เห็นชอบ", "เห็นควรอนุมัติ"]),
                    outcome=Decision.Outcome.RETURN if returned else Decision.Outcome.APPROVE,
                )
            )
        submission = Submission(
            document=planned.document if round_months is None else None,
            report=planned.reports[round_months] if round_months else None,
            edition=1,
            status=outcome,
            snapshot=snapshot,
            submitted_by=planned.officer,
            submitted_at=when,
            # where workflow.decide leaves it: the step waiting, or the step that decided last
            current_step=decided if outcome == Submission.Status.PENDING else decided - 1,
            waiting_since=moment,
            closed_at=None if outcome == Submission.Status.PENDING else moment,
            steps=[{"title": title, "acting_for": "", "approver_ids": []} for title in chain],
        )
        ps = PlannedSubmission(submission, decisions)
        planned.submissions.append(ps)
        return ps

    def _statuses(self, fiscal_year: int, rng: random.Random) -> tuple[str, str | None, str | None]:
        """The state of the document and of its two rounds (None: the round is not started)."""
        if fiscal_year < self.last_year:
            document = _weighted(
                rng, [(Status.PUBLISHED, 90), (Status.APPROVED, 4), (Status.SUBMITTED, 3), (Status.DRAFT, 3)]
            )
            rounds = [(Status.PUBLISHED, 78), (Status.APPROVED, 5), (Status.SUBMITTED, 5), (Status.DRAFT, 12)]
            if document not in (Status.PUBLISHED, Status.APPROVED):
                return document, None, None
            six = _weighted(rng, rounds) if rng.random() < 0.95 else None
            twelve = _weighted(rng, rounds) if rng.random() < 0.9 else None
            return document, six, twelve
        document = _weighted(
            rng, [(Status.PUBLISHED, 50), (Status.APPROVED, 10), (Status.SUBMITTED, 15), (Status.DRAFT, 25)]
        )
        six = None
        if document == Status.PUBLISHED and rng.random() < 0.6:
            six = _weighted(
                rng, [(Status.PUBLISHED, 40), (Status.APPROVED, 15), (Status.SUBMITTED, 15), (Status.DRAFT, 30)]
            )
        return document, six, None

    def _plan(self, index: int) -> PlannedOrganisation:
        rng = random.Random(f"{self.seed}-{index}")
        organisation = self._organisation(index, rng)
        units = self._units(organisation, rng)
        officer = self._user(f"{organisation.slug}-officer", rng)
        approver = self._user(f"{organisation.slug}-approver", rng)
        printed = PrintedOrganisation(editions.organisation_data(organisation))
        assessments, scores = self._assessments(rng, printed)
        po = PlannedOrganisation(
            organisation, units, officer, approver, default_chain_titles(organisation), assessments, printed
        )
        for fiscal_year in self.fiscal_years:
            planned = self._document(po, fiscal_year, scores.get(fiscal_year - 1, {}), rng)
            po.documents.append(planned)
            status, six, twelve = self._statuses(fiscal_year, rng)
            planned.document.status = status
            for round_months, round_status in ((6, six), (12, twelve)):
                if round_status is not None:
                    planned.reports[round_months] = ProgressReport(
                        document=planned.document, round=round_months, status=round_status
                    )
                    self._entries(planned, round_months, round_status == Status.DRAFT, rng)
            submitted = thai.fiscal_year_bounds(fiscal_year)[0] + timedelta(days=rng.randint(45, 110))
            self._signoff(planned, None, status, po.chain, _at(submitted, rng), rng)
            for round_months, round_status in ((6, six), (12, twelve)):
                if round_status is not None:
                    submitted = thai.round_bounds(fiscal_year, round_months)[1] + timedelta(days=rng.randint(3, 25))
                    self._signoff(planned, round_months, round_status, po.chain, _at(submitted, rng), rng)
        return po

    def _plan_batch(self, first: int, last: int) -> list[PlannedOrganisation]:
        with translation.override(self.language):  # the labels in the snapshots, in the planning thread
            return [self._plan(index) for index in range(first, last)]

    # --- writing ---

    def _insert(self, model, rows: list, size: int = ROWS_PER_INSERT) -> None:
        if rows:
            model.objects.bulk_create(rows, batch_size=size)
            label = model._meta.label
            self.counts[label] = self.counts.get(label, 0) + len(rows)

    def _write(self, planned: list[PlannedOrganisation]) -> None:
        User = get_user_model()
        self._insert(Organisation, [po.organisation for po in planned])
        for po in planned:
            for unit in po.units:
                unit.organisation_id = po.organisation.pk
        self._insert(Unit, [u for po in planned for u in po.units if u._parent is None])
        for unit in (u for po in planned for u in po.units if u._parent is not None):
            unit.parent_id = unit._parent.pk
        self._insert(Unit, [u for po in planned for u in po.units if u._parent is not None])
        self._insert(User, [user for po in planned for user in (po.officer, po.approver)])
        self._insert(
            Membership,
            [
                row
                for po in planned
                for row in (
                    Membership(
                        user_id=po.officer.pk,
                        organisation_id=po.organisation.pk,
                        role=Membership.Role.OFFICER,
                        position="นิติกร",
                    ),
                    Membership(
                        user_id=po.approver.pk,
                        organisation_id=po.organisation.pk,
                        role=Membership.Role.APPROVER,
                        position=po.chain[-1],
                    ),
                )
            ],
        )
        positions = [
            (ApprovalPosition(organisation_id=po.organisation.pk, order=order, title=title), po.approver)
            for po in planned
            for order, title in enumerate(po.chain, start=1)
        ]
        self._insert(ApprovalPosition, [position for position, _ in positions])
        Approvers = ApprovalPosition.approvers.through
        self._insert(Approvers, [Approvers(approvalposition_id=p.pk, user_id=u.pk) for p, u in positions])
        for po in planned:
            for assessment, _scores in po.assessments:
                assessment.organisation_id, assessment.updated_by_id = po.organisation.pk, po.officer.pk
        self._insert(Assessment, [a for po in planned for a, _ in po.assessments])
        scores: dict[type, list] = {IndicatorScore: [], ToolScore: [], ToolPartScore: []}
        for po in planned:
            for assessment, rows in po.assessments:
                for row in rows:
                    row.assessment_id = assessment.pk
                    scores[type(row)].append(row)
        for model, rows in scores.items():
            self._insert(model, rows)
        documents = [pd for po in planned for pd in po.documents]
        for pd in documents:
            pd.document.created_by_id = pd.officer.pk
        self._write_documents(documents)

    def _write_documents(self, documents: list[PlannedDocument]) -> None:
        self._insert(MeasuresDocument, [pd.document for pd in documents])
        for pd in documents:
            for row in [pf.finding for pf in pd.findings] + pd.themes + [pm.measure for pm in pd.measures]:
                row.document_id = pd.document.pk
        self._insert(Finding, [pf.finding for pd in documents for pf in pd.findings])
        FindingIndicators = Finding.indicators.through
        self._insert(
            FindingIndicators,
            [
                FindingIndicators(finding_id=pf.finding.pk, indicator_id=i.pk)
                for pd in documents
                for pf in pd.findings
                for i in pf.indicators
            ],
        )
        self._insert(Theme, [t for pd in documents for t in pd.themes])
        measures = [pm for pd in documents for pm in pd.measures]
        for pm in measures:
            pm.measure.theme_id = pm.theme.pk if pm.theme is not None else None
        self._insert(Measure, [pm.measure for pm in measures])
        self._insert(
            MeasureStep,
            [
                MeasureStep(measure_id=pm.measure.pk, order=n, text=text)
                for pm in measures
                for n, text in enumerate(pm.steps, start=1)
            ],
        )
        units, items, indicators = Measure.units.through, Measure.items.through, Measure.indicators.through
        self._insert(units, [units(measure_id=pm.measure.pk, unit_id=u.pk) for pm in measures for u in pm.units])
        self._insert(items, [items(measure_id=pm.measure.pk, item_id=i.pk) for pm in measures for i in pm.items])
        # An item always speaks to its indicator (services._write_measure links both).
        self._insert(
            indicators,
            [
                indicators(measure_id=pm.measure.pk, indicator_id=indicator_id)
                for pm in measures
                for indicator_id in dict.fromkeys(i.indicator_id for i in pm.items)
            ],
        )
        self._insert(ProgressReport, [r for pd in documents for r in pd.reports.values()])
        entries = []
        for pd in documents:
            for pm in pd.measures:
                for round_months, entry in pm.entries.items():
                    entry.report_id, entry.measure_id = pd.reports[round_months].pk, pm.measure.pk
                    entry.updated_by_id = pd.officer.pk
                    entries.append(entry)
        self._insert(ProgressEntry, entries)
        evidence = []
        for pd in documents:
            for row, entry in pd.evidence:
                row.entry_id, row.uploaded_by_id = entry.pk, pd.officer.pk
                evidence.append(row)
        self._insert(Evidence, evidence)
        submissions = [(pd, ps) for pd in documents for ps in pd.submissions]
        for pd, ps in submissions:  # the approver's id is known only now
            for step in ps.submission.steps:
                step["approver_ids"] = [pd.approver.pk]
        self._insert(Submission, [ps.submission for _, ps in submissions], LARGE_ROWS_PER_INSERT)
        decisions = []
        for pd, ps in submissions:
            for decision in ps.decisions:
                decision.submission_id, decision.user_id = ps.submission.pk, pd.approver.pk
                decisions.append(decision)
        self._insert(Decision, decisions)
        self._publications([(pd, ps) for pd, ps in submissions if ps.publication is not None])

    def _publications(self, published: list[tuple[PlannedDocument, PlannedSubmission]]) -> None:
        Publication = self.reports_models.Publication
        rows, copies = [], {}
        for pd, ps in published:
            fields = ps.publication
            target, kind = fields["target"], fields["kind"]
            if kind not in self.specimens:
                # Published for real: rendered from the edition frozen in its submission, stored, hashed.
                type(target).objects.filter(pk=target.pk).update(status=Status.APPROVED)
                specimen = self.publishing.publish(target=target, by=pd.officer)
                self.specimens[kind] = specimen
                self.counts[Publication._meta.label] = self.counts.get(Publication._meta.label, 0) + 1
                self.log(
                    f"  ตัวอย่างเอกสาร {kind}: {specimen.title} (PDF {specimen.pdf_size:,} ไบต์ "
                    "ใช้ร่วมกับเอกสารประเภทเดียวกันทุกฉบับ)"
                )
                continue
            specimen = self.specimens[kind]
            row = Publication(
                organisation_id=pd.document.organisation.pk,
                fiscal_year=pd.document.fiscal_year,
                kind=kind,
                version=1,
                document_id=target.pk if kind == Publication.Kind.MEASURES else None,
                report_id=None if kind == Publication.Kind.MEASURES else target.pk,
                edition=1,
                submission_id=ps.submission.pk,
                title=fields["title"],
                data=fields["extra"],
                html="",
                body_html="",
                pdf=specimen.pdf.name,
                sha256=specimen.sha256,
                pdf_size=specimen.pdf_size,
                published_by_id=pd.officer.pk,
                published_at=fields["published_at"],
            )
            rows.append(row)
            copies.setdefault(kind, []).append(row)
        self._insert(Publication, rows)
        if not rows:
            return
        # The large columns are filled in by the database itself, from rows it already holds: sent
        # with each row (or copied by a subquery per row), the HTML twice and the snapshot made
        # most of the run. PublicationQuerySet refuses any update, to keep published versions
        # frozen; these rows were inserted by this transaction a moment ago and nobody has seen
        # them, so the base manager (a plain QuerySet) completes them before the commit.
        rows_of = Publication._base_manager.filter
        snapshot = Subquery(Submission.objects.filter(pk=OuterRef("submission_id")).values("snapshot")[:1])
        rows_of(pk__in=[row.pk for row in rows]).update(data=JSONMerge(snapshot, F("data")))
        for kind, kind_rows in copies.items():
            specimen = Publication._base_manager.filter(pk=self.specimens[kind].pk)
            rows_of(pk__in=[row.pk for row in kind_rows]).update(
                html=Subquery(specimen.values("html")[:1]), body_html=Subquery(specimen.values("body_html")[:1])
            )

    def _oversight(self) -> None:
        users = [
            get_user_model()(
                username=f"oversight-{slug}",
                first_name="ท้องถิ่นจังหวัด",
                last_name=name,
                email=f"oversight-{slug}@national.invalid",
                password=self.password,
            )
            for name, slug in sorted(self.provinces_used)
        ]
        self._insert(get_user_model(), users)
        self._insert(OversightScope, [OversightScope(user_id=user.pk, province=user.last_name) for user in users])

    def run(self) -> dict[str, int]:
        """Plan each batch in a thread while the previous one is written (the database works meanwhile)."""
        started = time.monotonic()
        batches = [(first, min(self.total, first + self.batch_size)) for first in range(0, self.total, self.batch_size)]
        with _session_settings(), ThreadPoolExecutor(max_workers=1) as planner:
            future = planner.submit(self._plan_batch, *batches[0])
            for n, (_first, last) in enumerate(batches):
                planned = future.result()
                if n + 1 < len(batches):
                    future = planner.submit(self._plan_batch, *batches[n + 1])
                with transaction.atomic():
                    self._write(planned)
                self.log(
                    f"หน่วยงาน {last:,}/{self.total:,} ({last * 100 / self.total:.1f}%) "
                    f"มาตรการ {self.counts.get('measures.Measure', 0):,} รายการ "
                    f"· {format_duration(time.monotonic() - started)}"
                )
            with transaction.atomic():
                self._oversight()
        if connection.vendor == "postgresql":  # the planner's statistics, for whoever measures next
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.log(f"ANALYZE · {format_duration(time.monotonic() - started)}")
        return self.counts


class JSONMerge(Func):
    """``a | b`` of two JSON objects in SQL: the keys of ``b`` added to ``a``."""

    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" || ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="json_patch", **extra_context)


@contextmanager
def _session_settings():
    """On PostgreSQL, compress the large values (the snapshots, the HTML) with lz4 rather than pglz.

    Inserting 500 submissions' snapshots took half as long with lz4 (measured on the 2-core
    development machine); it is read back transparently (PostgreSQL 14+ built with lz4; where
    it is not available the setting is refused and pglz stays).
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW default_toast_compression")
        previous = cursor.fetchone()[0]
        try:
            with transaction.atomic():
                cursor.execute("SET default_toast_compression = 'lz4'")
        except DatabaseError:
            previous = None  # not available: nothing to restore
    try:
        yield
    finally:
        if previous is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('default_toast_compression', %s, false)", [previous])


def _month_start(fiscal_start: date, months: int) -> date:
    month = fiscal_start.month - 1 + months
    return date(fiscal_start.year + month // 12, month % 12 + 1, 1)


def _month_end(fiscal_start: date, months: int) -> date:
    return _month_start(fiscal_start, months + 1) - timedelta(days=1)


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(9, 15), rng.randint(0, 59), tzinfo=BANGKOK)


def format_duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} นาที {seconds} วินาที" if minutes else f"{seconds} วินาที"


def generate(
    *,
    organisations: int,
    years: int,
    seed: int = 2567,
    measures_min: int = 10,
    measures_max: int = 30,
    last_year: int | None = None,
    batch_size: int = 100,
    log: Callable[[str], None] = lambda _line: None,
) -> dict[str, int]:
    """Fill the empty database; return the number of rows written per model ("app.Model" → n).

    Refuses (GenerationRefused, a Thai message) when an organisation exists already, when the
    frameworks are missing, or when the options are out of range.
    """
    if organisations < 1 or years < 1:
        raise GenerationRefused("จำนวนหน่วยงานและจำนวนปีต้องมากกว่า 0")
    if not 1 <= measures_min <= measures_max:
        raise GenerationRefused("จำนวนมาตรการต่ำสุดต้องอย่างน้อย 1 และไม่มากกว่าจำนวนสูงสุด")
    existing = Organisation.objects.count()
    if existing:
        raise GenerationRefused(
            f"ฐานข้อมูลนี้มีหน่วยงานอยู่แล้ว {existing:,} แห่ง จึงไม่สร้างข้อมูลทดสอบซ้ำหรือปนกับข้อมูลเดิม "
            "กรุณาใช้ฐานข้อมูลใหม่ที่ว่าง (manage.py migrate แล้วเรียกคำสั่งนี้)"
        )
    generator = Generator(
        organisations=organisations,
        years=years,
        seed=seed,
        measures_min=measures_min,
        measures_max=measures_max,
        last_year=last_year,
        batch_size=batch_size,
        log=log,
    )
    log(
        f"ปีงบประมาณ {generator.fiscal_years[0]}–{generator.fiscal_years[-1]} · หน่วยงาน {organisations:,} แห่ง "
        f"· มาตรการ {measures_min}–{measures_max} รายการต่อเอกสาร · seed {seed}"
    )
    return generator.run()
