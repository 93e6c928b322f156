"""A request body larger than MAX_REQUEST_BYTES is refused from its Content-Length, before it is read.

Django reads an upload whole (into memory or a temporary file) before a view can refuse it; an
11 MB file was read in full to be told it was too big. This middleware answers 413 with a Thai
page at once. The reverse proxy's own limit (nginx client_max_body_size, docs/DEPLOYMENT.md) should
be the same, so that the body is not even sent to the portal.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat


class RequestSizeLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            html = loader.render_to_string("413.html", {"limit": filesizeformat(settings.MAX_REQUEST_BYTES)})
            response = HttpResponse(html, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)
