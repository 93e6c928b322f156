"""Open data and embeddable pages of the public site.

- every published version as JSON and CSV, built only from Publication.data (the data as it
  was approved and frozen), never from the live, editable tables, with every field its print
  shows (reports.public.printed); a withdrawn version answers 410 and says when and why,
  without its data;
- an organisation's ITA scores as JSON and CSV. They are public: they are the organisation's
  official NACC results, which NACC itself publishes, and the organisation page already shows
  them;
- the OIT evidence index of a year (reports.oit) as a page;
- a minimal page of the organisation's documents for an iframe on its own website: the only
  page that may be framed.

JSON is UTF-8 without \\u escapes; CSV is UTF-8 with a BOM (Excel opens Thai correctly) and
Buddhist-Era dates. Responses carry an ETag and Last-Modified, so a client that polls gets a
304; versioned URLs are cached for a year, unversioned ones for a few minutes.
"""

import json
from datetime import date, datetime
from functools import partial

from csp.decorators import csp_replace
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition

from measures import selectors, thai
from measures.models import Assessment, Organisation
from measures.scoring import round2, scorecard_for
from measures.tabular import csv_text

from .. import oit
from ..models import Publication
from . import printed
from .caching import cache_headers

FORMAT = "3"  # bump when the layout of the JSON or CSV changes: every ETag changes with it


# --- Responses -----------------------------------------------------------------------------


def _json_response(payload: dict, *, status: int = 200) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8", status=status)
    response["Access-Control-Allow-Origin"] = "*"  # public data, no cookies involved
    return response


def _csv_response(rows: list[list], filename: str) -> HttpResponse:
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _be_date(moment) -> str:
    """A date or an aware datetime as "25/03/2566" (Buddhist Era, Bangkok time)."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = date.fromisoformat(moment)
    if isinstance(moment, datetime):
        moment = timezone.localdate(moment)
    return thai.format_date_numeric(moment)


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


# --- Published versions --------------------------------------------------------------------


def _publication(request, org, year, kind, version=None) -> Publication | None:
    """The version asked for (the newest when none), read once per request."""
    cache = request.__dict__.setdefault("_opendata_publications", {})
    key = (org, year, kind, version)
    if key not in cache:
        queryset = (
            Publication.objects.filter(organisation__slug=org, fiscal_year=year, kind=kind)
            .select_related("organisation")
            .defer("html", "body_html")
        )
        if version is not None:
            queryset = queryset.filter(version=version)
        cache[key] = queryset.order_by("-version").first()
    return cache[key]


def _publication_etag(fmt, request, org, year, kind, version=None):
    publication = _publication(request, org, year, kind, version)
    if publication is None:
        return None
    state = "withdrawn" if publication.is_withdrawn else "live"
    return f"{publication.sha256[:32]}-{fmt}{FORMAT}-{state}"


def _publication_modified(request, org, year, kind, version=None):
    publication = _publication(request, org, year, kind, version)
    if publication is None:
        return None
    return publication.withdrawn_at or publication.published_at


def publication_record(request, publication: Publication) -> dict:
    """A version as open data: what it is, where it lives, and (unless withdrawn) the frozen data
    with every field as the version prints it ("printed": reports.public.printed)."""
    organisation = publication.organisation
    args = [organisation.slug, publication.fiscal_year, publication.kind]
    versioned = [*args, publication.version]
    url = request.build_absolute_uri
    frozen = publication.data.get("organisation", {})  # as it was when the edition was frozen
    record = {
        "organisation": {"name": frozen.get("name", organisation.name), "slug": organisation.slug},
        "fiscal_year": publication.fiscal_year,
        "kind": publication.kind,
        "kind_label": publication.get_kind_display(),
        "title": publication.title,
        "version": publication.version,
        "edition": publication.edition,
        "published_at": _iso(publication.published_at),
        "url": url(reverse("reports:publication_version", args=versioned)),
        "latest_url": url(reverse("reports:publication_latest", args=args)),
        "withdrawn": publication.is_withdrawn,
    }
    if publication.is_withdrawn:
        record |= {"withdrawn_at": _iso(publication.withdrawn_at), "withdrawal_reason": publication.withdrawal_reason}
        return record
    record |= {
        "pdf_url": url(reverse("reports:publication_pdf", args=versioned)),
        "pdf_sha256": publication.sha256,
        "pdf_size": publication.pdf_size,
        "json_url": url(reverse("reports:publication_json", args=versioned)),
        "csv_url": url(reverse("reports:publication_csv", args=versioned)),
        "data": publication.data,
    }
    fields = printed.printed_fields(publication.data)
    if fields is not None:  # every field as the version prints it (see reports.public.printed)
        record["printed"] = fields
    return record


def _get_or_404(request, org, year, kind, version) -> Publication:
    if kind not in Publication.Kind.values:
        raise Http404(_("ไม่มีเอกสารประเภทนี้"))
    publication = _publication(request, org, year, kind, version)
    if publication is None:
        raise Http404(_("ไม่มีฉบับนี้ที่เผยแพร่"))
    return publication


@condition(etag_func=partial(_publication_etag, "json"), last_modified_func=_publication_modified)
def publication_json(request, org, year, kind, version=None):
    publication = _get_or_404(request, org, year, kind, version)
    response = _json_response(publication_record(request, publication), status=410 if publication.is_withdrawn else 200)
    return cache_headers(response, immutable=version is not None and not publication.is_withdrawn)


def publication_rows(publication: Publication) -> list[list]:
    """The frozen data as a table with Thai headers (reports.public.printed): a row per introduction,
    finding, limitation and measure (or measure's result), in print order."""
    data = publication.data
    lead = [
        data.get("organisation", {}).get("name", publication.organisation.name),
        publication.fiscal_year,
        publication.get_kind_display(),
        publication.version,
        _be_date(publication.published_at),
    ]
    return printed.publication_table(data, lead, publication.kind)


@condition(etag_func=partial(_publication_etag, "csv"), last_modified_func=_publication_modified)
def publication_csv(request, org, year, kind, version=None):
    publication = _get_or_404(request, org, year, kind, version)
    if publication.is_withdrawn:
        text = _("ฉบับนี้ถอนการเผยแพร่แล้วเมื่อ %(date)s เหตุผล: %(reason)s") % {
            "date": thai.format_date_long(timezone.localdate(publication.withdrawn_at), thai_digits=False),
            "reason": publication.withdrawal_reason,
        }
        return cache_headers(HttpResponse(text, content_type="text/plain; charset=utf-8", status=410), immutable=False)
    filename = f"ita-{org}-{year}-{kind}-v{publication.version}.csv"
    response = _csv_response(publication_rows(publication), filename)
    return cache_headers(response, immutable=version is not None)


# --- Scores --------------------------------------------------------------------------------


def _scores_state(request, org):
    cache = request.__dict__.setdefault("_opendata_scores", {})
    if org not in cache:
        cache[org] = Assessment.objects.filter(organisation__slug=org).aggregate(
            n=Count("pk"), last=Max("updated_at"), top=Max("pk")
        )
    return cache[org]


def _scores_etag(fmt, request, org):
    state = _scores_state(request, org)
    stamp = state["last"].timestamp() if state["last"] else 0
    return f"scores-{fmt}{FORMAT}-{state['n']}-{state['top'] or 0}-{stamp}"


def _scores_modified(request, org):
    return _scores_state(request, org)["last"]


def _number(value):
    return None if value is None else float(value)


def score_records(organisation: Organisation) -> list[dict]:
    """Each year's official result (and the recomputation), oldest first; a bounded number of queries."""
    records = []
    for assessment in selectors.assessments_for(organisation):
        card = scorecard_for(assessment)
        parts = {s.part.code: s.score for s in assessment.part_scores.all()}
        records.append(
            {
                "year": assessment.framework.year,
                "framework": assessment.framework.title,
                "total": _number(card.total),
                "rating": card.rating,
                "passed": card.passed,
                "official_total": _number(card.total_official),
                "official_rating": card.rating_official,
                "computed_total": _number(round2(card.total_computed)),
                "computed_rating": card.rating_computed.label if card.rating_computed else "",
                "matches_computation": not card.has_mismatch,
                "tools": [
                    {
                        "code": t.tool.code,
                        "name": t.tool.name,
                        "weight": _number(t.tool.weight),
                        "score": _number(t.score),
                        "parts": [
                            {"code": p.code, "name": p.name, "score": _number(parts.get(p.code))}
                            for p in t.tool.parts.all()
                        ],
                    }
                    for t in card.tools
                ],
                "indicators": [
                    {"number": ind.number, "name": ind.name, "tool": t.tool.code, "score": _number(score)}
                    for t in card.tools
                    for ind, score in t.indicators
                ],
                "updated_at": timezone.localtime(assessment.updated_at),
            }
        )
    return records


@condition(etag_func=partial(_scores_etag, "json"), last_modified_func=_scores_modified)
def scores_json(request, org):
    organisation = get_object_or_404(Organisation, slug=org)
    payload = {
        "organisation": {
            "name": organisation.name,
            "slug": organisation.slug,
            "district": organisation.district,
            "province": organisation.province,
        },
        "source": _(
            "ผลการประเมิน ITA ที่สำนักงาน ป.ป.ช. ประกาศ บันทึกโดยหน่วยงาน "
            "คะแนนรวมและระดับเป็นตัวเลขที่ประกาศ ถ้าไม่ได้บันทึกไว้จะเป็นค่าที่คำนวณจากคะแนนตัวชี้วัด"
        ),
        "url": request.build_absolute_uri(reverse("reports:organisation", args=[organisation.slug])),
        "assessments": score_records(organisation),
    }
    return cache_headers(_json_response(payload), immutable=False)


SCORE_COLUMNS = [
    _("ปีที่ประเมิน (ITA พ.ศ.)"),
    _("ประเภท"),
    _("รหัส"),
    _("ชื่อ"),
    _("คะแนน"),
    _("ระดับผลการประเมิน"),
    _("บันทึกเมื่อ (พ.ศ.)"),
]


@condition(etag_func=partial(_scores_etag, "csv"), last_modified_func=_scores_modified)
def scores_csv(request, org):
    organisation = get_object_or_404(Organisation, slug=org)

    def score(value) -> str:
        return "" if value is None else f"{value:.2f}"  # as printed: 80.50, not 80.5

    rows = [SCORE_COLUMNS]
    for record in score_records(organisation):
        year, updated = record["year"], _be_date(record["updated_at"])
        rows.append([year, _("คะแนนรวม"), "", _("คะแนนรวม"), score(record["total"]), record["rating"], updated])
        for tool in record["tools"]:
            rows.append([year, _("เครื่องมือ"), tool["code"], tool["name"], score(tool["score"]), "", updated])
            rows += [
                [year, _("ส่วนของเครื่องมือ"), part["code"], part["name"], score(part["score"]), "", updated]
                for part in tool["parts"]
                if part["score"] is not None
            ]
        rows += [
            [year, _("ตัวชี้วัด"), ind["number"], ind["name"], score(ind["score"]), "", updated]
            for ind in record["indicators"]
        ]
    return cache_headers(_csv_response(rows, f"ita-{organisation.slug}-scores.csv"), immutable=False)


# --- The OIT evidence index ----------------------------------------------------------------


def oit_page(request, org, year):
    organisation = get_object_or_404(Organisation, slug=org)
    if not oit.year_has_index(organisation, year):
        raise Http404(_("ไม่มีดัชนีหลักฐาน OIT ของปีนี้"))
    index = oit.build_index(organisation, year)
    oit.absolutise(index, request.build_absolute_uri)
    copy_text = oit.index_text(index)
    return cache_headers(
        render(
            request,
            "reports/public/oit.html",
            {
                "organisation": organisation,
                "index": index,
                "year": year,
                "copy_text": copy_text,
                "copy_rows": copy_text.count("\n") + 1,
            },
        ),
        immutable=False,
    )


# --- Embeddable list -----------------------------------------------------------------------


def live_documents_by_year(organisation: Organisation) -> list[dict]:
    """The newest version of each document per year, when that version is live; one query."""
    newest: dict[tuple[int, str], Publication] = {}
    for p in (
        Publication.objects.filter(organisation=organisation)
        .only("fiscal_year", "kind", "version", "title", "published_at", "pdf_size", "withdrawn_at")
        .order_by("-fiscal_year", "kind", "-version")
    ):
        newest.setdefault((p.fiscal_year, p.kind), p)
    years: dict[int, list[Publication]] = {}
    for (year, _kind), p in newest.items():
        if not p.is_withdrawn:
            years.setdefault(year, []).append(p)
    order = {kind: n for n, kind in enumerate(Publication.Kind.values)}
    return [
        {"year": year, "documents": sorted(docs, key=lambda p: order[p.kind])}
        for year, docs in sorted(years.items(), reverse=True)
    ]


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request, org):
    """The organisation's published documents for an iframe on its own website (links open a new tab)."""
    organisation = get_object_or_404(Organisation, slug=org)
    return cache_headers(
        render(
            request,
            "reports/public/embed.html",
            {
                "organisation": organisation,
                "years": live_documents_by_year(organisation),
            },
        ),
        immutable=False,
    )
