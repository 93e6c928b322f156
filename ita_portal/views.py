"""Site-wide views that Django calls by setting: the page of a form refused by the CSRF check."""

from django.http import HttpRequest, HttpResponseForbidden
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.template import loader


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """403_csrf.html in Thai, told whether the browser had lost the cookie (Django's own view
    gives a custom template the request only, not the reason)."""
    html = loader.render_to_string("403_csrf.html", {"no_cookie": reason == REASON_NO_CSRF_COOKIE}, request=request)
    return HttpResponseForbidden(html)
