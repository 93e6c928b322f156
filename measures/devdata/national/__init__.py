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

Layering: the domain (`measures`) never imports `reports`; this generator fills both apps, and
lives in measures.devdata, the generators' layer, which imports both like any other module.

The modules: `names` (places, names, units), `sources` (what is read once: frameworks, seed
texts), `plan` (the rows planned in memory and their editions), `planner` (organisations,
scores, documents, reports), `signoff` (submissions and decisions), `write` (the bulk inserts),
`publications` (the specimens and their copies), `generator` (`generate()` and the batches).
"""

from .generator import NATIONAL_PASSWORD, GenerationRefused, Generator, format_duration, generate

__all__ = ["NATIONAL_PASSWORD", "GenerationRefused", "Generator", "format_duration", "generate"]
