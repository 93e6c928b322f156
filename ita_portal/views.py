"""Site-wide views that Django calls by setting: the page of a form refused by the CSRF check."""

from django.http import HttpRequest, HttpResponseForbidden
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """403_csrf.html in Thai, told whether the browser had lost the cookie (Django's own view
    gives a custom template the request only, not the reason)."""
    referer = request.META.get("HTTP_REFERER", "")
    # Back to the form the text was typed in (keep-typed.js fills it again there), never elsewhere.
    back = referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()) else ""
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE, "back": back}
    html = loader.render_to_string("403_csrf.html", context, request=request)
    return HttpResponseForbidden(html)
