"""The confirmation page in front of an irreversible action, e.g. a delete.

It works without JavaScript: the view answers a GET (or a POST without ``confirmed=1``) with
this page, whose form POSTs ``confirmed=1`` back to the same URL; only that POST acts. The view
checks access *before* calling ``confirm_page``, so whoever may not act gets the same 403/404
on the page as on the action.

Usage in a view::

    access, measure = get_measure_for_user(request, org, year, pk, action=Action.EDIT)
    if not is_confirmed(request):
        return confirm_page(request, title=..., lead=..., consequences=[...], button=...,
                            cancel_url=..., extra_context={"organisation": ..., "document": ...})
    services.measure_delete(measure=measure, by=request.user)

Texts are plain strings, shown escaped (never marked safe): a title typed by a user is safe in
them. ``extra_context`` goes into the template's context as it is, with two keys the page uses:

- ``hidden``: a list of ``(name, value)`` pairs, sent back as hidden inputs;
- ``form``: a Django form whose fields are shown above the button (e.g. a reason to give); the
  view validates it on the confirmed POST and may show the page again with its errors
  (``status=400`` for instance).

``organisation`` (and ``document``) in ``extra_context`` give the page its breadcrumbs.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    """True for the POST of the confirmation page's button, the only request that may act."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    lead: str,
    consequences: list[str],
    button: str,
    cancel_url: str,
    danger: bool = True,
    extra_context: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page asking to confirm an action: what it does, and a button that POSTs ``confirmed=1`` here."""
    context = dict(extra_context or {})
    context |= {
        "confirm_title": title,
        "confirm_lead": lead,
        "consequences": list(consequences),
        "confirm_button": button,
        "cancel_url": cancel_url,
        "danger": danger,
        "action_url": request.path,
        "hidden": list(context.get("hidden", ())),
    }
    return render(request, "includes/confirm.html", context, status=status)
