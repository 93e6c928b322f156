"""The public site. Only published documents will ever be shown here (publishing: issue 5)."""

from django.db.models import Q
from django.shortcuts import render

from measures.models import Organisation


def home(request):
    query = request.GET.get("q", "").strip()
    organisations = Organisation.objects.order_by("province", "name")
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(province__icontains=query))
    return render(request, "reports/home.html", {"organisations": organisations[:200], "query": query})
