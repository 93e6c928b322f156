"""Old addresses keep working: an organisation's former slug answers with a permanent redirect.

A published URL is a permanent promise (it was sent to the NACC's ITAS as OIT evidence, printed,
linked from the organisation's own website). When an organisation changes its address
(measures.organisations.change_slug keeps the old one as a FormerSlug), every URL under the old
address — the organisation page, a document's latest version and each version, their PDF,
HTML, JSON and CSV, the memo's PDF, the OIT index, the scores, the feed, the embed, and the
staff pages under /staff/<slug>/ — answers 301 to the same URL under the new address, with its
query string.

The middleware looks only at answers that are already 404 (no organisation has that slug now),
so any other answer costs nothing: not a query, not a resolve. A method other than GET and HEAD
(a form posted from a page opened before the change) gets 308, which keeps the method and body.
"""

import re

from django.http import HttpResponsePermanentRedirect
from django.utils.encoding import escape_uri_path

from measures.models import FormerSlug, Organisation

STAFF_PREFIX = "staff"
SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    status_code = 308


def organisation_segment(path: str) -> int | None:
    """Which segment of the path (split on "/") names the organisation: /<slug>/… or /staff/<slug>/…"""
    parts = path.split("/")
    index = 2 if len(parts) > 2 and parts[1] == STAFF_PREFIX else 1
    if len(parts) <= index + 1 or not SLUG.match(parts[index]):  # the slug must be followed by "/"
        return None
    return index


def current_address(path: str) -> str | None:
    """The same path under the organisation's current slug, if its slug segment is a former one."""
    index = organisation_segment(path)
    if index is None:
        return None
    parts = path.split("/")
    slug = FormerSlug.objects.filter(slug=parts[index]).values_list("organisation__slug", flat=True).first()
    # An organisation holding that slug now (given in the Django admin, say) keeps its own 404s.
    if slug is None or Organisation.objects.filter(slug=parts[index]).exists():
        return None
    parts[index] = slug
    return "/".join(parts)


class FormerAddressRedirect:
    """Middleware: a 404 under a former slug becomes a permanent redirect to the current one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        moved = current_address(request.path_info)
        if moved is None:
            return response
        script_prefix = request.path[: len(request.path) - len(request.path_info)]
        location = escape_uri_path(script_prefix + moved)
        if query := request.META.get("QUERY_STRING", ""):
            location += "?" + query
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(location)
        return PermanentRedirectKeepingMethod(location)
