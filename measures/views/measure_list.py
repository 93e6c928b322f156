"""A document's measures on their own page (issue 18): being built."""

from django.http import Http404


def measure_list(request, org, year):
    raise Http404
