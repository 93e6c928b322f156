"""A round's measures in one table (issue 18): being built."""

from django.http import Http404


def round_grid(request, org, year, round_months):
    raise Http404
