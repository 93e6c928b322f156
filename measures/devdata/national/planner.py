"""Planning the national data in memory: each organisation from its own random generator.

Everything is deterministic for a given seed: each organisation draws from its own random
generator, seeded by (seed, its number), so the batch size does not change the data. The mix of
states follows the calendar: past years are mostly published, the latest year is spread over
draft, submitted, approved and published. Texts come from the three seed documents
(fixtures/demo/), so they are real Thai sentences.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import translation

from measures import editions, thai
from measures.models import (
    Assessment,
    DocumentStatus,
    Evidence,
    Finding,
    IndicatorScore,
    Measure,
    MeasuresDocument,
    Organisation,
    ProgressEntry,
    ProgressReport,
    Theme,
    ToolPartScore,
    ToolScore,
    Unit,
)
from measures.scoring import compute_scorecard, round2
from measures.services import default_document_title
from measures.workflow import default_chain_titles

from .names import (
    DISTRICT_NAMES,
    EVIDENCE_TITLES,
    FIRST_NAMES,
    KIND_PREFIX,
    KIND_WEIGHTS,
    LAST_NAMES,
    LAYOUT_WEIGHTS,
    PLACE_HEADS,
    PLACE_TAILS,
    PROVINCES,
    PROVINCIAL_EVERY,
    UNITS,
    Kind,
)
from .plan import PlannedDocument, PlannedFinding, PlannedMeasure, PlannedOrganisation, PrintedOrganisation
from .signoff import plan_signoff
from .sources import FrameworkInfo, Texts

BANGKOK = ZoneInfo("Asia/Bangkok")

Status = DocumentStatus
EntryStatus = ProgressEntry.Status


def _weighted(rng: random.Random, pairs):
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


class Planner:
    """Plans organisations in memory, with their people, scores, documents, reports and submissions.

    The slugs and names given so far are kept so that each one is unique; the provinces used get
    an oversight account each (Writer.oversight).
    """

    def __init__(
        self,
        *,
        frameworks: dict[int, FrameworkInfo],
        years: int,
        seed: int,
        measures_min: int,
        measures_max: int,
        last_year: int | None,
        password: str,
    ):
        self.years, self.seed = years, seed
        self.measures_min, self.measures_max = measures_min, measures_max
        self.frameworks = frameworks
        self.last_year = last_year or max(self.frameworks) + 1
        self.fiscal_years = list(range(self.last_year - years + 1, self.last_year + 1))
        self.texts = Texts.from_seeds()
        self.password = password
        self.slugs: set[str] = set()
        self.names: set[tuple[str, str]] = set()
        self.districts = {
            name: [f"เมือง{name}", *random.Random(f"{seed}-{slug}").sample(DISTRICT_NAMES, 9)]
            for name, slug in PROVINCES
        }
        self.provinces_used: set[tuple[str, str]] = set()
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
            plan_signoff(planned, None, status, po.chain, _at(submitted, rng), rng)
            for round_months, round_status in ((6, six), (12, twelve)):
                if round_status is not None:
                    submitted = thai.round_bounds(fiscal_year, round_months)[1] + timedelta(days=rng.randint(3, 25))
                    plan_signoff(planned, round_months, round_status, po.chain, _at(submitted, rng), rng)
        return po

    def plan_batch(self, first: int, last: int) -> list[PlannedOrganisation]:
        with translation.override(self.language):  # the labels in the snapshots, in the planning thread
            return [self._plan(index) for index in range(first, last)]


def _month_start(fiscal_start: date, months: int) -> date:
    month = fiscal_start.month - 1 + months
    return date(fiscal_start.year + month // 12, month % 12 + 1, 1)


def _month_end(fiscal_start: date, months: int) -> date:
    return _month_start(fiscal_start, months + 1) - timedelta(days=1)


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(9, 15), rng.randint(0, 59), tzinfo=BANGKOK)
