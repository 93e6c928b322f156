"""The publications of the national data: one specimen per document kind published for real, copies of it.

Rendering and storing a PDF per publication (about 90,000) would take days, so each document
kind (measures, report-6, report-12) is published once for real by reports.publishing.publish:
the first published document of that kind (the "specimen") is rendered to HTML and PDF, stored
and hashed. Every other publication of the kind points to the specimen's stored PDF file and
has the specimen's `html` and `body_html`; its `data` is its own approved submission's
`snapshot` with the approvals, as publish() freezes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, Func, JSONField, OuterRef, Subquery

from measures.models import DocumentStatus, Submission
from reports import publishing
from reports.models import Publication

from .plan import PlannedDocument, PlannedSubmission

if TYPE_CHECKING:
    from .write import Writer

Status = DocumentStatus


def write_publications(writer: Writer, published: list[tuple[PlannedDocument, PlannedSubmission]]) -> None:
    """The publications of the published targets: the first of each kind for real (its specimen), the others
    as copies of it with their own data."""
    rows, copies = [], {}
    for pd, ps in published:
        fields = ps.publication
        target, kind = fields["target"], fields["kind"]
        if kind not in writer.specimens:
            # Published for real: rendered from the edition frozen in its submission, stored, hashed.
            type(target).objects.filter(pk=target.pk).update(status=Status.APPROVED)
            specimen = publishing.publish(target=target, by=pd.officer)
            writer.specimens[kind] = specimen
            writer.counts[Publication._meta.label] = writer.counts.get(Publication._meta.label, 0) + 1
            writer.log(
                f"  ตัวอย่างเอกสาร {kind}: {specimen.title} (PDF {specimen.pdf_size:,} ไบต์ "
                "ใช้ร่วมกับเอกสารประเภทเดียวกันทุกฉบับ)"
            )
            continue
        specimen = writer.specimens[kind]
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
    writer.insert(Publication, rows)
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
        specimen = Publication._base_manager.filter(pk=writer.specimens[kind].pk)
        rows_of(pk__in=[row.pk for row in kind_rows]).update(
            html=Subquery(specimen.values("html")[:1]), body_html=Subquery(specimen.values("body_html")[:1])
        )


class JSONMerge(Func):
    """``a | b`` of two JSON objects in SQL: the keys of ``b`` added to ``a``."""

    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" || ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="json_patch", **extra_context)
