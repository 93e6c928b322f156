"""What the staff screens share: the service call behind a form or a button, the table page size,
the links of the sign-off panel."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from .. import selectors
from ..services import ServiceError

PAGE_SIZE = 25

# What redirect() takes: a URL, or a URL name and its arguments (as target.staff_url is).
RedirectTo = str | tuple


def run_service(
    request: HttpRequest,
    form: BaseForm | None,
    call: Callable[[], Any],
    *,
    success_message: str | Callable[[Any], str],
    redirect_to: RedirectTo | Callable[[Any], RedirectTo],
) -> HttpResponseRedirect | None:
    """Run one service call for a view: a redirect if it succeeds, None if the service refused.

    ``call`` takes no argument and calls the service (a lambda over the form's cleaned data, or a
    small local function). When ``success_message`` or ``redirect_to`` is a callable, it gets what
    ``call`` returned (the new document, the saved measure…). On success the message is added with
    ``messages.success`` and the redirect returned.

    Only ``ServiceError`` is caught, and its Thai message goes to ``form`` as a non-field error, or
    to ``messages.error`` when ``form`` is None; anything else raises as before. A view that answers
    a subclass differently (``workflow.NotReady``, ``NotTheApprover``, ``tabular.ImportRefused``)
    keeps its own ``try``. None leaves the failure to the view::

        # A form: on refusal, the page again with the service's message on the form.
        if request.method == "POST" and form.is_valid():
            response = run_service(
                request, form, lambda: services.x(**form.cleaned_data), success_message=…, redirect_to=…
            )
            if response:
                return response
        return render(...)

        # A button: back where it came from either way, the refusal in a message.
        return run_service(request, None, …, redirect_to=back) or redirect(*back)
    """
    try:
        result = call()
    except ServiceError as error:
        if form is None:
            messages.error(request, error.message)
        else:
            form.add_error(None, error.message)
        return None
    messages.success(request, success_message(result) if callable(success_message) else success_message)
    to = redirect_to(result) if callable(redirect_to) else redirect_to
    return redirect(*to) if isinstance(to, tuple) else redirect(to)


def signoff_context(org: str, year: int, round_months: int | None, target) -> dict:
    """Links of the sign-off panel, and the latest submission of the target."""
    if round_months is None:
        prefix, args = "document", [org, year]
    else:
        prefix, args = "round", [org, year, round_months]
    return {
        "latest": selectors.latest_submission(target),
        "submit_url": reverse(f"measures:{prefix}_submit", args=args),
        "reopen_url": reverse(f"measures:{prefix}_reopen", args=args),
        "memo_url": reverse(f"measures:{prefix}_memo", args=args),
        "editions_url": reverse(f"measures:{prefix}_editions", args=args),
        "print_url": reverse("reports:document_print" if round_months is None else "reports:report_print", args=args),
        "publish_url": reverse(
            "reports:document_publish" if round_months is None else "reports:report_publish", args=args
        ),
        "publications": selectors.publications_for(target),
        "pdf_url": reverse("reports:document_pdf" if round_months is None else "reports:report_pdf", args=args),
    }
