"""Benchmark: what a public page costs when it is not in the page cache, in one process.

    .venv/bin/python bench/cold_pages.py [--database-url postgres://postgres@127.0.0.1:5432/ita_bench] [--pages 60]

On the benchmark database of bench/throughput.py (build it first with its --prepare-only), a
random sample of organisation pages and document pages is asked for through Django's test client
with the page cache emptied before each request (a page no worker has kept: the long tail, a
worker's first visit). `--forget` deletes the stored fragments first. Each kind is measured
three times: rendered with the pages kept in the database deleted first (PublicPage), making the
pages' stored fragments where they are missing (reports.public.fragments: a document's reading
view, an organisation's score card and charts), rendered again reading them, as every later
render does, and then served from the page kept in the database by the last pass (a page no
worker holds, in the cache's per-process default).
Printed: CPU milliseconds per page (time.process_time) and queries per page.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ita_bench")
    parser.add_argument("--pages", type=int, default=60, help="pages of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--forget", action="store_true", help="delete every stored fragment first")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ita_portal.settings",
        DATABASE_URL=args.database_url,
        DEBUG="false",
        CONN_MAX_AGE="600",
        EMAIL_URL="dummymail://",
        ALLOWED_HOSTS="*",
    )
    os.environ.pop("CACHE_URL", None)
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from measures.models import Organisation
    from reports.models import Publication, PublicFragment, PublicPage
    from reports.public.caching import page_slot

    rng = random.Random(args.seed)
    slugs = list(Organisation.objects.values_list("slug", flat=True))
    documents = list(
        Publication.objects.filter(withdrawn_at__isnull=True)
        .values_list("organisation__slug", "fiscal_year", "kind")
        .distinct()
    )
    kinds = {
        "organisation": [reverse("reports:organisation", args=[s]) for s in rng.sample(slugs, args.pages)],
        "document": [reverse("reports:publication_latest", args=d) for d in rng.sample(documents, args.pages)],
    }
    if args.forget:
        PublicFragment.objects.all().delete()
    client, factory = Client(), RequestFactory()
    client.get(kinds["document"][0])  # imports, URLconf, templates: not part of a cold page
    print(f"{len(slugs):,} organisations, {len(documents):,} documents; {args.pages} pages of each kind\n")
    print("| page | pass | CPU per page | queries per page |\n|---|---|---:|---:|")
    for name, paths in kinds.items():
        for label in (
            "rendered, fragments made where missing",
            "rendered, fragments read",
            "the page kept in the database",
        ):
            cpu = 0.0
            with CaptureQueriesContext(connection) as queries:
                for path in paths:
                    cache.clear()
                    if label != "the page kept in the database":
                        PublicPage.objects.filter(key=page_slot(factory.get(path)).key).delete()
                    started = time.process_time()
                    assert client.get(path).status_code == 200, path
                    cpu += time.process_time() - started
            print(f"| {name} | {label} | {cpu / len(paths) * 1000:.1f} ms | {len(queries) / len(paths):.1f} |")


if __name__ == "__main__":
    main()
