"""Staff screens of the organisations themselves: the platform's list, creation and CSV import
(the `measures.add_organisation` permission), and each organisation's settings and address
(its administrator: Action.MANAGE)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reports.documents import COLUMNS

from .. import organisations, people
from ..access import Action, get_access
from ..forms.organisations import (
    AddressForm,
    AdministratorFields,
    OrganisationCreateForm,
    OrganisationImportForm,
    SettingsForm,
)
from ..models import FormerSlug, Membership, Organisation
from ..services import ServiceError
from ..tabular import ImportRefused
from .confirm import is_confirmed

PLATFORM_PERMISSION = "measures.add_organisation"
LIST_PAGE_SIZE = 50
PROBLEMS_SHOWN = 300  # a national file refused as a whole may have thousands: the first ones show the pattern


def platform_required(view):
    """The platform's pages: a login first, then the permission to create organisations (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(PLATFORM_PERMISSION):
            raise PermissionDenied(_("หน้านี้สำหรับผู้ดูแลระบบเท่านั้น"))
        return view(request, *args, **kwargs)

    return wrapped


# --- The platform: the list, one new organisation, a CSV of them --------------------------------


@platform_required
@require_GET
def platform_organisations(request):
    query = " ".join(request.GET.get("q", "").split())[:100]
    rows = Organisation.objects.order_by("province", "district", "name")
    if query:
        rows = rows.filter(
            Q(name__icontains=query)
            | Q(province__icontains=query)
            | Q(district__icontains=query)
            | Q(code=query)
            | Q(slug__icontains=query)
        )
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    admins: dict[int, list[str]] = {}
    for organisation_id, email in (
        Membership.objects.active()
        .filter(organisation__in=list(page.object_list), role=Membership.Role.ORG_ADMIN)
        .order_by("user__email")
        .values_list("organisation_id", "user__email")
    ):
        admins.setdefault(organisation_id, []).append(email)
    return render(
        request,
        "measures/platform_organisations.html",
        {
            "page": page,
            "rows": [(o, admins.get(o.pk, [])) for o in page.object_list],
            "query": query,
            "total": page.paginator.count,
        },
    )


@platform_required
@require_http_methods(["GET", "POST"])
def platform_organisation_new(request):
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisations.create_organisation(
                values=form.details(), by=request.user, administrator=form.administrator()
            )
        except organisations.DetailsRefused as refusal:
            form.add_refusal(refusal)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("สร้าง%(name)sแล้ว ที่อยู่เว็บ /%(slug)s/ และส่งคำเชิญผู้ดูแลหน่วยงานไปที่ %(email)s แล้ว")
                % {"name": organisation.name, "slug": organisation.slug, "email": form.cleaned_data["admin_email"]},
            )
            return redirect(reverse("measures:platform_organisations") + f"?q={organisation.slug}")
    return render(request, "measures/platform_organisation_form.html", {"form": form})


@platform_required
@require_http_methods(["GET", "POST"])
def platform_administrator_invite(request, org):
    """Invite an administrator for an organisation: the platform's way in to an organisation that
    has none (made from a CSV without e-mail, or whose administrator left)."""
    organisation = get_object_or_404(Organisation, slug=org)
    form = AdministratorFields(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.administrator()
        try:
            people.invite(
                organisation=organisation,
                email=person.email,
                role=Membership.Role.ORG_ADMIN,
                by=request.user,
                first_name=person.first_name,
                last_name=person.last_name,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("ส่งคำเชิญผู้ดูแล%(name)sไปที่ %(email)s แล้ว") % {"name": organisation.name, "email": person.email},
            )
            return redirect(reverse("measures:platform_organisations") + f"?q={organisation.slug}")
    administrators = (
        Membership.objects.active()
        .filter(organisation=organisation, role=Membership.Role.ORG_ADMIN)
        .values_list("user__email", flat=True)
    )
    return render(
        request,
        "measures/platform_administrator.html",
        {"organisation": organisation, "form": form, "administrators": list(administrators)},
    )


@platform_required
@require_http_methods(["GET", "POST"])
def platform_organisation_import(request):
    form = OrganisationImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = organisations.import_organisations(upload=upload, by=request.user)
        except ImportRefused as refusal:
            problems = refusal.errors
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("สร้างหน่วยงาน %(n)s แห่งจากไฟล์ %(file)s แล้ว ส่งคำเชิญผู้ดูแลหน่วยงาน %(invited)s ราย")
                % {"n": result.organisations, "file": upload.name, "invited": result.invitations},
            )
            return redirect("measures:platform_organisations")
    return render(
        request,
        "measures/platform_import.html",
        {
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "problems_count": len(problems),
            "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
            "columns": organisations.csv_import.COLUMNS,
            "max_rows": organisations.CSV_MAX_ROWS,
        },
    )


@platform_required
@require_GET
def platform_import_template(request):
    response = HttpResponse(organisations.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ita-organisations-template.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- An organisation's settings and address ----------------------------------------------------


def layout_previews(form: SettingsForm) -> list[dict]:
    """Each layout's radio button with the column headers of its two tables (reports.documents)."""
    return [
        {"radio": radio, "measures": COLUMNS[radio.data["value"]][0], "report": COLUMNS[radio.data["value"]][1]}
        for radio in form["report_layout"]
        if radio.data["value"] in COLUMNS
    ]


@login_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request, org):
    access = get_access(request, org, Action.MANAGE)
    organisation = access.organisation
    form = SettingsForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        kind_before = organisation.kind
        try:
            changed = organisations.update_settings(
                organisation=organisation,
                by=request.user,
                values=form.settings(),
                revision=form.cleaned_data["revision"] or None,
                logo=form.cleaned_data["logo"] or None,
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except organisations.DetailsRefused as refusal:
            form.add_refusal(refusal)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            _saved_messages(request, organisation, changed, kind_before)
            return redirect("measures:organisation_settings", organisation.slug)
    return render(
        request,
        "measures/settings.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "layouts": layout_previews(form),
            "logo": organisations.logo_data_uri(organisation.logo.name),
            "former_slugs": list(organisation.former_slugs.order_by("-replaced_at").values_list("slug", flat=True)),
        },
    )


def _saved_messages(request, organisation: Organisation, changed: list[str], kind_before: str) -> None:
    if not changed:
        messages.info(request, _("ไม่มีข้อมูลที่เปลี่ยนแปลง"))
        return
    messages.success(request, _("บันทึกข้อมูลหน่วยงานแล้ว เอกสารที่เสนอต่อจากนี้จะพิมพ์ตามข้อมูลใหม่ ฉบับที่อนุมัติแล้วคงเดิม"))
    default = Organisation.default_layout(organisation.kind)
    if organisation.kind != kind_before and organisation.report_layout != default:
        messages.info(
            request,
            _("ประเภทหน่วยงานเปลี่ยนแล้ว รูปแบบตารางยังเป็น “%(layout)s” ตามที่เลือกไว้ (รูปแบบเริ่มต้นของ%(kind)s คือ “%(default)s”)")
            % {
                "layout": organisation.get_report_layout_display(),
                "kind": organisation.get_kind_display(),
                "default": Organisation.Layout(default).label,
            },
        )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_address(request, org):
    """The change of address, on a page of its own: what stays (every old URL redirects), then the
    new slug, confirmed with the button."""
    access = get_access(request, org, Action.MANAGE)
    organisation = access.organisation
    form = AddressForm(request.POST if is_confirmed(request) else None)
    if is_confirmed(request) and form.is_valid():
        old = organisation.slug
        try:
            organisations.change_slug(organisation=organisation, by=request.user, slug=form.cleaned_data["slug"])
        except organisations.DetailsRefused as refusal:
            form.add_refusal(refusal)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("เปลี่ยนที่อยู่เว็บเป็น /%(new)s/ แล้ว ลิงก์เดิมที่ขึ้นต้นด้วย /%(old)s/ จะพามาที่อยู่ใหม่โดยอัตโนมัติ")
                % {"new": organisation.slug, "old": old},
            )
            return redirect("measures:organisation_settings", organisation.slug)
    return render(
        request,
        "measures/settings_address.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "publications": organisation.publications.count(),
            "former_slugs": list(FormerSlug.objects.filter(organisation=organisation).values_list("slug", flat=True)),
            "public_url": request.build_absolute_uri(reverse("reports:organisation", args=[organisation.slug])),
        },
    )
