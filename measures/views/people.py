"""Staff screens of the organisation's people and units, one's own profile, and the invitation link."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import people, units
from ..access import Action, get_access
from ..forms.people import (
    TITLE_SUGGESTIONS,
    InvitationForm,
    InviteForm,
    MembershipForm,
    ProfileForm,
    UnitForm,
)
from ..models import Membership, Unit
from .base import run_service
from .confirm import confirm_page, is_confirmed

# --- The invitation: the first password and the names ---------------------------------------


class InvitationView(auth_views.PasswordResetConfirmView):
    """The link of the invitation e-mail (measures.people.invite): the person sets his password and,
    if they are not known yet, his names and position; then he is logged in."""

    form_class = InvitationForm
    template_name = "registration/invitation.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("measures:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)  # the form saves the password, then the names
        messages.success(self.request, _("ตั้งรหัสผ่านแล้ว ยินดีต้อนรับสู่ระบบติดตามมาตรการ ITA"))
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title_suggestions": TITLE_SUGGESTIONS}


# --- One's own profile ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """Every logged-in person's names as documents print them: title, name, position, acting text."""
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(request.user))
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            form,
            lambda: people.profile_save(user=request.user, by=request.user, **form.cleaned_data),
            success_message=_("บันทึกข้อมูลของคุณแล้ว เอกสารที่เสนอหรือลงนามต่อจากนี้จะพิมพ์ชื่อและตำแหน่งตามนี้"),
            redirect_to="measures:profile",
        )
        if response:
            return response
    return render(
        request,
        "measures/profile.html",
        {"form": form, "title_suggestions": TITLE_SUGGESTIONS, "memberships": people.memberships_of_user(request.user)},
    )


# --- People ----------------------------------------------------------------------------------


def _membership(access, pk: int) -> Membership:
    """A membership of the organisation in the URL (another organisation's: 404). An oversight
    membership is the overseer's, given by the platform: the organisation may not change it (403)."""
    membership = get_object_or_404(
        Membership.objects.select_related("user__profile", "organisation", "unit"),
        organisation=access.organisation,
        pk=pk,
    )
    if membership.role == Membership.Role.OVERSIGHT:
        raise PermissionDenied(_("สิทธิ์ของผู้กำกับดูแลกำหนดโดยผู้ดูแลระบบ หน่วยงานเปลี่ยนหรือปิดไม่ได้"))
    return membership


def _people_page(request, access, form, status=200):
    return render(
        request,
        "measures/people.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "rows": people.people_rows(access.organisation),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def people_list(request, org):
    """The organisation's people and their roles; the invitation form."""
    access = get_access(request, org, Action.MANAGE)
    organisation = access.organisation
    form = InviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = run_service(
            request,
            form,
            lambda: people.invite(
                organisation=organisation,
                by=request.user,
                email=data["email"],
                role=data["role"],
                unit=data["unit"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            ),
            success_message=lambda membership: (
                (
                    _("ส่งคำเชิญถึง %(email)s แล้ว (บทบาท %(role)s)")
                    if people.invitation_pending(membership.user)
                    else _("เพิ่มบทบาท %(role)s ให้ %(email)s แล้ว และแจ้งทางอีเมล")
                )
                % {"email": membership.user.email, "role": membership.get_role_display()}
            ),
            redirect_to=("measures:people", org),
        )
        if response:
            return response
    return _people_page(request, access, form)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, org, pk):
    """Another role or unit for one membership."""
    access = get_access(request, org, Action.MANAGE)
    membership = _membership(access, pk)
    form = MembershipForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            form,
            lambda: people.change_role(
                membership=membership, by=request.user, role=form.cleaned_data["role"], unit=form.cleaned_data["unit"]
            ),
            success_message=_("บันทึกบทบาทของ %(name)s แล้ว") % {"name": people.display_name(membership.user)},
            redirect_to=("measures:people", org),
        )
        if response:
            return response
    return render(
        request,
        "measures/people_edit.html",
        {
            "access": access,
            "organisation": access.organisation,
            "membership": membership,
            "person": people.display_name(membership.user),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_deactivate(request, org, pk):
    access = get_access(request, org, Action.MANAGE)
    membership = _membership(access, pk)
    name = people.display_name(membership.user)
    back = ("measures:people", org)
    if not is_confirmed(request):
        consequences = [
            _("%(name)s จะไม่เห็นและทำงานในหน่วยงานนี้ในบทบาทนี้อีก บทบาทอื่นของเขา (ถ้ามี) ยังใช้ได้") % {"name": name},
            _("งานที่เขาทำไว้แล้ว การพิจารณา และประวัติการแก้ไขยังอยู่ครบ"),
            _("เปิดใช้งานอีกครั้งได้ภายหลังจากรายชื่อบุคลากร"),
        ]
        if membership.role == Membership.Role.APPROVER:
            consequences.insert(
                1, _("ถ้าเขาเป็นผู้พิจารณาในลำดับการพิจารณา เขาจะพิจารณาเอกสารไม่ได้อีก ควรกำหนดผู้พิจารณาใหม่ในลำดับการพิจารณา")
            )
        return confirm_page(
            request,
            title=_("ปิดการใช้งานสิทธิ์นี้หรือไม่"),
            lead=_("ปิดการใช้งานบทบาท “%(role)s” ของ %(name)s ใน%(organisation)s")
            % {"role": membership.get_role_display(), "name": name, "organisation": access.organisation.name},
            consequences=consequences,
            button=_("ปิดการใช้งาน"),
            cancel_url=reverse(back[0], args=[org]),
            extra_context={"access": access, "organisation": access.organisation},
        )
    return run_service(
        request,
        None,
        lambda: people.deactivate(membership=membership, by=request.user),
        success_message=_("ปิดการใช้งานบทบาท “%(role)s” ของ %(name)s แล้ว")
        % {"role": membership.get_role_display(), "name": name},
        redirect_to=back,
    ) or redirect(*back)


@login_required
@require_http_methods(["GET", "POST"])
def person_reactivate(request, org, pk):
    access = get_access(request, org, Action.MANAGE)
    membership = _membership(access, pk)
    name = people.display_name(membership.user)
    back = ("measures:people", org)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=_("เปิดใช้งานสิทธิ์นี้อีกครั้งหรือไม่"),
            lead=_("เปิดใช้งานบทบาท “%(role)s” ของ %(name)s ใน%(organisation)s อีกครั้ง")
            % {"role": membership.get_role_display(), "name": name, "organisation": access.organisation.name},
            consequences=[_("%(name)s จะเข้าถึงหน่วยงานนี้ตามบทบาทนี้ได้ทันที") % {"name": name}],
            button=_("เปิดใช้งาน"),
            cancel_url=reverse(back[0], args=[org]),
            danger=False,
            extra_context={"access": access, "organisation": access.organisation},
        )
    return run_service(
        request,
        None,
        lambda: people.reactivate(membership=membership, by=request.user),
        success_message=_("เปิดใช้งานบทบาท “%(role)s” ของ %(name)s แล้ว")
        % {"role": membership.get_role_display(), "name": name},
        redirect_to=back,
    ) or redirect(*back)


@login_required
@require_POST
def person_reinvite(request, org, pk):
    """A new invitation link for a person who has not set a password yet."""
    access = get_access(request, org, Action.MANAGE)
    membership = _membership(access, pk)
    back = ("measures:people", org)
    return run_service(
        request,
        None,
        lambda: people.reinvite(membership=membership, by=request.user),
        success_message=_("ส่งคำเชิญอีกครั้งถึง %(email)s แล้ว") % {"email": membership.user.email},
        redirect_to=back,
    ) or redirect(*back)


# --- Units ----------------------------------------------------------------------------------


def _unit(access, pk: int) -> Unit:
    return get_object_or_404(
        Unit.objects.select_related("organisation", "parent"), organisation=access.organisation, pk=pk
    )


def _unit_data(form) -> dict:
    data = form.cleaned_data
    return {"name": data["name"], "kind": data["kind"], "parent": data["parent"], "order": data["order"]}


@login_required
@require_http_methods(["GET", "POST"])
def units_list(request, org):
    """The organisation's units as a tree; the form that adds one."""
    access = get_access(request, org, Action.MANAGE)
    organisation = access.organisation
    form = UnitForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            form,
            lambda: units.unit_create(organisation=organisation, by=request.user, **_unit_data(form)),
            success_message=lambda unit: _("เพิ่ม “%(name)s” แล้ว") % {"name": unit.name},
            redirect_to=("measures:units", org),
        )
        if response:
            return response
    return render(
        request,
        "measures/units.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            # The tree shown by indenting each unit under its parent (no inline style: the CSP forbids it).
            "rows": [(unit, depth, "\u00a0" * 4 * (depth - 1)) for unit, depth in units.units_tree(organisation)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, org, pk):
    """Rename, nest under another unit, reorder."""
    access = get_access(request, org, Action.MANAGE)
    unit = _unit(access, pk)
    form = UnitForm(request.POST or None, organisation=access.organisation, unit=unit)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            form,
            lambda: units.unit_update(unit=unit, by=request.user, **_unit_data(form)),
            success_message=lambda saved: _("บันทึก “%(name)s” แล้ว") % {"name": saved.name},
            redirect_to=("measures:units", org),
        )
        if response:
            return response
    return render(
        request,
        "measures/units_edit.html",
        {"access": access, "organisation": access.organisation, "unit": unit, "form": form},
    )


@login_required
@require_POST
def unit_move(request, org, pk):
    """One place up (direction=up) or down among the units of the same parent."""
    access = get_access(request, org, Action.MANAGE)
    unit = _unit(access, pk)
    back = ("measures:units", org)
    return run_service(
        request,
        None,
        lambda: units.unit_move(unit=unit, by=request.user, up=request.POST.get("direction") != "down"),
        success_message=_("เลื่อนลำดับ “%(name)s” แล้ว") % {"name": unit.name},
        redirect_to=back,
    ) or redirect(*back)


@login_required
@require_http_methods(["GET", "POST"])
def unit_deactivate(request, org, pk):
    access = get_access(request, org, Action.MANAGE)
    unit = _unit(access, pk)
    back = ("measures:units", org)
    if not is_confirmed(request):
        contributors = units.active_contributors(unit)
        consequences = [
            _("จะไม่มี “%(name)s” ให้เลือกในมาตรการใหม่และผู้รับผิดชอบในกอง/สำนักคนใหม่") % {"name": unit.name},
            _("มาตรการที่ระบุ “%(name)s” ไว้แล้วยังคงระบุไว้เช่นเดิม เอกสารที่อนุมัติหรือเผยแพร่แล้วไม่เปลี่ยน") % {"name": unit.name},
        ]
        if contributors:
            consequences.append(
                _("ผู้รับผิดชอบในกอง/สำนักนี้ %(n)s คนยังรายงานผลมาตรการเดิมได้ ถ้าไม่ต้องการ ให้ปิดการใช้งานสิทธิ์ของเขาที่หน้าบุคลากร")
                % {"n": contributors}
            )
        return confirm_page(
            request,
            title=_("ปิดการใช้งานส่วนราชการนี้หรือไม่"),
            lead=_("ปิดการใช้งาน “%(name)s” ของ%(organisation)s")
            % {"name": unit.name, "organisation": access.organisation.name},
            consequences=consequences,
            button=_("ปิดการใช้งาน"),
            cancel_url=reverse(back[0], args=[org]),
            extra_context={"access": access, "organisation": access.organisation},
        )
    return run_service(
        request,
        None,
        lambda: units.unit_deactivate(unit=unit, by=request.user),
        success_message=_("ปิดการใช้งาน “%(name)s” แล้ว") % {"name": unit.name},
        redirect_to=back,
    ) or redirect(*back)


@login_required
@require_http_methods(["GET", "POST"])
def unit_reactivate(request, org, pk):
    access = get_access(request, org, Action.MANAGE)
    unit = _unit(access, pk)
    back = ("measures:units", org)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=_("เปิดใช้งานส่วนราชการนี้อีกครั้งหรือไม่"),
            lead=_("เปิดใช้งาน “%(name)s” ของ%(organisation)s อีกครั้ง")
            % {"name": unit.name, "organisation": access.organisation.name},
            consequences=[_("“%(name)s” จะมีให้เลือกในมาตรการและผู้รับผิดชอบในกอง/สำนักอีกครั้ง") % {"name": unit.name}],
            button=_("เปิดใช้งาน"),
            cancel_url=reverse(back[0], args=[org]),
            danger=False,
            extra_context={"access": access, "organisation": access.organisation},
        )
    return run_service(
        request,
        None,
        lambda: units.unit_reactivate(unit=unit, by=request.user),
        success_message=_("เปิดใช้งาน “%(name)s” แล้ว") % {"name": unit.name},
        redirect_to=back,
    ) or redirect(*back)
