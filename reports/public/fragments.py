"""Parts of public pages made once from published data and kept in the database (PublicFragment).

A page kept in the cache (reports.public.caching) costs nothing; a page that is not (the long tail of
thousands of organisations' pages, a worker's first visit, a cache emptied by a restart) is rendered.
What made that slow is made once here and shared by every worker and server: a document's reading
view (from its frozen data: a publication never changes) and an organisation's score card and
charts (from its ITA results and the frameworks' revision: the key holds their state, so a new
or changed result makes a new fragment and the old one is deleted). A rendered page is then a few indexed queries around them.
"""

import hashlib
import json
from collections.abc import Callable

from django.db.models import Count, Max

from measures.models import Assessment

from ..models import PublicFragment
from .caching import frameworks_revision


def kept(key: str, family: str, make: Callable[[], str]) -> str:
    """The fragment under `key`, made by `make()` the first time (then the other fragments of its
    `family` are deleted: they were made from data since replaced). A miss costs two writes."""
    html = PublicFragment.objects.filter(key=key).values_list("html", flat=True).first()
    if html is None:
        html = make()
        PublicFragment.objects.filter(family=family).exclude(key=key).delete()
        PublicFragment.objects.bulk_create(  # two workers making it at once write the same
            [PublicFragment(key=key, family=family, html=html)],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["html", "made_at"],
        )
    return html


def reading(publication, version: int, make: Callable[[], str]) -> str:
    """A publication's reading view (`version`: the reading template's, raised when it changes)."""
    family = f"reading:{publication.pk}"
    return kept(f"{family}:v{version}:{publication.sha256}", family, make)


def scores(organisation, make: Callable[[], dict]) -> dict:
    """An organisation's score card and charts, as `make()` gives them (JSON-able): keyed by its
    ITA results and the frameworks' revision (their rating rules)."""
    state = Assessment.objects.filter(organisation=organisation).aggregate(
        n=Count("pk"), last=Max("pk"), updated=Max("updated_at")
    )
    digest = hashlib.blake2b(repr((*state.values(), frameworks_revision())).encode(), digest_size=12).hexdigest()
    family = f"scores:{organisation.pk}"
    return json.loads(kept(f"{family}:{digest}", family, lambda: json.dumps(make(), ensure_ascii=False)))
