"""A document's trash (issue 18): being built."""

from django.http import Http404


def trash_list(request, org, year):
    raise Http404


def trash_restore(request, org, year, kind, history_id):
    raise Http404
