"""The people of an organisation: invitations, roles, deactivation, and how each person is named in print.

An organisation's administrator invites a person by e-mail: the account is made with no usable
password (or an existing account with that address is reused) and the message carries a link,
built from settings.SITE_URL, that lets the person set a password (Django's password-reset
token: valid for PASSWORD_RESET_TIMEOUT, and spent once a password is set). The message goes
through the outbox (measures.notifications) once the transaction has committed, and its stored
copy loses the link once delivered, as a password reset's does.

Roles are Membership rows. An organisation keeps at least one active administrator: the last
one can be neither deactivated nor given another role.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import notifications
from .models import Membership, Organisation, Profile, Unit
from .services import ServiceError, stamp

Role = Membership.Role

INVITATION = notifications.INVITATION  # a new account: the message's link sets its first password
ADDED = "membership_added"  # an account that has a password already: a link to log in
EMAIL_MAX_LENGTH = 254
USERNAME_MAX_LENGTH = 150
NAME_MAX_LENGTH = 150  # the user's first_name and last_name columns


# --- How a person is named --------------------------------------------------------------------


def profile_of(user) -> Profile | None:
    """The user's Profile, or None when he has never saved one (no query if it was select_related)."""
    return getattr(user, "profile", None)


def display_name(user) -> str:
    """ "นางสาวสมใจ ใจดี" from the profile; the bare full name (or the username) without one."""
    profile = profile_of(user)
    if profile is not None:
        return profile.display_name
    return user.get_full_name().strip() or user.get_username()


def position_of(user) -> str:
    """The person's own position (ตำแหน่ง) as he typed it in his profile, "" if none."""
    profile = profile_of(user)
    return profile.position.strip() if profile is not None else ""


def acting_for_of(user) -> str:
    profile = profile_of(user)
    return profile.acting_for.strip() if profile is not None else ""


def label(user) -> str:
    """ "นายสมชาย ใจดี (ปลัดเทศบาล)": a person among others to choose from."""
    position = position_of(user)
    name = display_name(user)
    return f"{name} ({position})" if position else name


def invitation_pending(user) -> bool:
    """The person has not set a password yet (invited, never accepted)."""
    return not user.has_usable_password()


# --- Reads for the people pages ---------------------------------------------------------------


def people_rows(organisation: Organisation) -> list[dict]:
    """The organisation's memberships, one row each, the active first, then by name. One query."""
    memberships = Membership.objects.filter(organisation=organisation).select_related("user__profile", "unit")
    rows = [
        {
            "membership": m,
            "name": display_name(m.user),
            "email": m.user.email,
            "position": position_of(m.user) or m.position,
            "acting_for": acting_for_of(m.user),
            "pending": invitation_pending(m.user),
        }
        for m in memberships
    ]
    rows.sort(
        key=lambda r: (not r["membership"].is_active, r["membership"].user.first_name, r["name"], r["membership"].role)
    )
    return rows


def memberships_of_user(user) -> list[Membership]:
    """The person's active roles, for his own profile page."""
    return list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation", "unit")
        .order_by("organisation__name")
    )


# --- One's own profile ----------------------------------------------------------------------


@transaction.atomic
def profile_save(
    *, user, by, first_name: str, last_name: str, title: str = "", position: str = "", acting_for: str = ""
) -> Profile:
    """A person's names for print: first and last name on the user, title, position and acting text
    on his Profile (created on the first save)."""
    first_name, last_name = _clean_text(first_name), _clean_text(last_name)
    if not first_name or not last_name:
        raise ServiceError(_("กรุณากรอกชื่อและนามสกุล"))
    if len(first_name) > NAME_MAX_LENGTH or len(last_name) > NAME_MAX_LENGTH:
        raise ServiceError(_("ชื่อหรือนามสกุลยาวเกิน %(n)s ตัวอักษร") % {"n": NAME_MAX_LENGTH})
    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user.pk)
    if (user.first_name, user.last_name) != (first_name, last_name):
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(user=user)
    profile.user = user
    profile.title = _clean_text(title)
    profile.position = _clean_text(position)
    profile.acting_for = _clean_text(acting_for)
    for field in ("title", "position", "acting_for"):
        limit = Profile._meta.get_field(field).max_length
        if len(getattr(profile, field)) > limit:
            raise ServiceError(
                _("%(field)s ยาวเกิน %(n)s ตัวอักษร") % {"field": Profile._meta.get_field(field).verbose_name, "n": limit}
            )
    stamp(profile, by)
    profile.save()
    return profile


def _clean_text(value: str) -> str:
    return " ".join((value or "").split())


# --- Invitations ------------------------------------------------------------------------------


def _normalise_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        raise ServiceError(_("กรุณากรอกอีเมล"))
    if len(email) > EMAIL_MAX_LENGTH:
        raise ServiceError(_("อีเมลยาวเกิน %(n)s ตัวอักษร") % {"n": EMAIL_MAX_LENGTH})
    try:
        validate_email(email)
    except ValidationError as error:
        raise ServiceError(
            _("อีเมล “%(email)s” ไม่ถูกต้อง กรุณาตรวจสอบ เช่น somchai@example.go.th") % {"email": email}
        ) from error
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ServiceError(_("ไม่พบบทบาทที่เลือก กรุณาเลือกใหม่"))


def _check_unit(organisation: Organisation, role: str, unit: Unit | None, *, keep: Unit | None = None) -> None:
    """A contributor needs a unit; any unit given must be an active unit of the organisation
    (`keep`, the unit the membership already has, stays allowed even if deactivated since)."""
    if role == Role.CONTRIBUTOR and unit is None:
        raise ServiceError(_("ผู้รับผิดชอบในกอง/สำนักต้องระบุกอง/สำนัก"))
    if unit is None:
        return
    if unit.organisation_id != organisation.pk:
        raise ServiceError(_("กอง/สำนักที่เลือกไม่ได้อยู่ในหน่วยงานนี้"))
    if not unit.is_active and (keep is None or unit.pk != keep.pk):
        raise ServiceError(_("“%(unit)s” ปิดการใช้งานแล้ว กรุณาเลือกกอง/สำนักที่ใช้งานอยู่") % {"unit": unit.name})


def _role_clash(organisation: Organisation, user, role: str, unit: Unit | None, exclude_pk: int | None = None):
    """The membership that already gives the user this role here (for a contributor: in this unit)."""
    memberships = Membership.objects.filter(user=user, organisation=organisation, role=role).exclude(pk=exclude_pk)
    if role == Role.CONTRIBUTOR:
        memberships = memberships.filter(unit=unit)
    return memberships.first()


def _clash_message(clash: Membership) -> str:
    if clash.is_active:
        return _("%(name)s มีบทบาท “%(role)s” ในหน่วยงานนี้แล้ว") % {
            "name": display_name(clash.user),
            "role": clash.get_role_display(),
        }
    return _("%(name)s เคยมีบทบาท “%(role)s” ในหน่วยงานนี้และถูกปิดการใช้งานไว้ กรุณาเปิดใช้งานอีกครั้งจากรายชื่อบุคลากร") % {
        "name": display_name(clash.user),
        "role": clash.get_role_display(),
    }


def _free_username(email: str) -> str:
    user_model = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", email.lower())[:USERNAME_MAX_LENGTH] or "user"
    candidate, n = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = base[: USERNAME_MAX_LENGTH - len(suffix)] + suffix
    return candidate


def user_for_email(email: str):
    """The account with this e-mail address (case-insensitive), the oldest if several; None if none."""
    return get_user_model().objects.filter(email__iexact=email).order_by("pk").first()


@transaction.atomic
def invite(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    by,
    unit: Unit | None = None,
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Give the person with this e-mail a role in the organisation, making his account if needed,
    and e-mail him: a link to set his password (new account), or to log in (existing one)."""
    email = _normalise_email(email)
    _check_role(role)
    _check_unit(organisation, role, unit)
    first_name, last_name = _clean_text(first_name), _clean_text(last_name)
    if len(first_name) > NAME_MAX_LENGTH or len(last_name) > NAME_MAX_LENGTH:
        raise ServiceError(_("ชื่อหรือนามสกุลยาวเกิน %(n)s ตัวอักษร") % {"n": NAME_MAX_LENGTH})
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk", flat=True).get()
    user = user_for_email(email)
    if user is None:
        user = get_user_model()(username=_free_username(email), email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    else:
        clash = _role_clash(organisation, user, role, unit)
        if clash is not None:
            raise ServiceError(_clash_message(clash))
        if not (user.first_name or user.last_name) and (first_name or last_name):
            user.first_name, user.last_name = first_name, last_name
            user.save(update_fields=["first_name", "last_name"])
    membership = Membership(user=user, organisation=organisation, role=role, unit=unit)
    stamp(membership, by)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:  # the same invitation sent twice at once
        raise ServiceError(_("ผู้ใช้นี้มีบทบาทนี้ในหน่วยงานแล้ว")) from error
    transaction.on_commit(lambda: send_invitation(membership.pk, inviter_id=by.pk if by else None))
    return membership


def invitation_url(user) -> str:
    """The link that sets the invited person's first password (settings.SITE_URL, never the request)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return notifications.absolute(reverse("invitation", args=[uid, token]))


def send_invitation(membership_pk: int, *, inviter_id: int | None = None) -> int:
    """E-mail the member: a link to set his password while he has none, else a link to log in."""
    membership = Membership.objects.select_related("user", "organisation", "unit").get(pk=membership_pk)
    user = membership.user
    inviter = get_user_model().objects.filter(pk=inviter_id).first() if inviter_id else None
    context = {
        "membership": membership,
        "organisation": membership.organisation,
        "inviter": display_name(inviter) if inviter else "",
        "name": display_name(user) if (user.first_name or user.last_name) else "",
        "login_url": notifications.absolute(reverse("login")),
    }
    if invitation_pending(user):
        context["url"] = invitation_url(user)
        context["valid_days"] = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
        return notifications.send(INVITATION, [user], context)
    return notifications.send(ADDED, [user], context)


@transaction.atomic
def reinvite(*, membership: Membership, by) -> Membership:
    """Send the invitation again, with a new link, to a person who has not set a password yet."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if not membership.is_active:
        raise ServiceError(_("สิทธิ์นี้ถูกปิดการใช้งานอยู่ กรุณาเปิดใช้งานก่อนส่งคำเชิญอีกครั้ง"))
    if not invitation_pending(membership.user):
        raise ServiceError(
            _("%(name)s ตั้งรหัสผ่านแล้ว จึงไม่ต้องส่งคำเชิญอีก ถ้าลืมรหัสผ่าน ให้ใช้ “ลืมรหัสผ่าน” ที่หน้าเข้าสู่ระบบ")
            % {"name": display_name(membership.user)}
        )
    if not membership.user.email:
        raise ServiceError(_("บัญชีนี้ไม่มีอีเมล จึงส่งคำเชิญไม่ได้"))
    transaction.on_commit(lambda: send_invitation(membership.pk, inviter_id=by.pk if by else None))
    return membership


# --- Roles --------------------------------------------------------------------------------


def _lock_memberships(organisation_id: int) -> None:
    """Lock the organisation's memberships: two administrators leaving at once cannot both pass
    the "someone else still administers it" check."""
    list(Membership.objects.select_for_update().filter(organisation_id=organisation_id).values_list("pk", flat=True))


def _is_last_admin(membership: Membership) -> bool:
    if membership.role != Role.ORG_ADMIN or not membership.is_active:
        return False
    others = Membership.objects.active().filter(organisation_id=membership.organisation_id, role=Role.ORG_ADMIN)
    return not others.exclude(pk=membership.pk).exists()


def _last_admin_refusal() -> ServiceError:
    return ServiceError(_("หน่วยงานต้องมีผู้ดูแลหน่วยงานที่ใช้งานอยู่อย่างน้อยหนึ่งคน กรุณาเพิ่มหรือเปิดใช้งานผู้ดูแลคนอื่นก่อน"))


@transaction.atomic
def deactivate(*, membership: Membership, by) -> Membership:
    """Take the role away (the account and what the person did stay); never the last administrator."""
    _lock_memberships(membership.organisation_id)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    if not membership.is_active:
        raise ServiceError(_("สิทธิ์นี้ถูกปิดการใช้งานอยู่แล้ว"))
    if _is_last_admin(membership):
        raise _last_admin_refusal()
    membership.is_active = False
    stamp(membership, by)
    membership.save(update_fields=["is_active"])
    return membership


@transaction.atomic
def reactivate(*, membership: Membership, by) -> Membership:
    # Only the membership row is locked: PostgreSQL cannot lock the nullable side of the unit's join.
    membership = Membership.objects.select_for_update(of=("self",)).select_related("user", "unit").get(pk=membership.pk)
    if membership.is_active:
        raise ServiceError(_("สิทธิ์นี้ใช้งานอยู่แล้ว"))
    if membership.unit is not None and not membership.unit.is_active:
        raise ServiceError(
            _("“%(unit)s” ปิดการใช้งานแล้ว กรุณาเปลี่ยนกอง/สำนักของสิทธิ์นี้ก่อนเปิดใช้งาน") % {"unit": membership.unit.name}
        )
    membership.is_active = True
    stamp(membership, by)
    membership.save(update_fields=["is_active"])
    return membership


@transaction.atomic
def change_role(*, membership: Membership, role: str, unit: Unit | None, by) -> Membership:
    """Give the membership another role or unit; the last active administrator keeps his role."""
    _check_role(role)
    _lock_memberships(membership.organisation_id)
    membership = Membership.objects.select_related("user", "organisation", "unit").get(pk=membership.pk)
    _check_unit(membership.organisation, role, unit, keep=membership.unit)
    if role != Role.ORG_ADMIN and _is_last_admin(membership):
        raise _last_admin_refusal()
    clash = _role_clash(membership.organisation, membership.user, role, unit, exclude_pk=membership.pk)
    if clash is not None:
        raise ServiceError(_clash_message(clash))
    membership.role, membership.unit = role, unit
    stamp(membership, by)
    try:
        with transaction.atomic():
            membership.save(update_fields=["role", "unit"])
    except IntegrityError as error:
        raise ServiceError(_("ผู้ใช้นี้มีบทบาทนี้ในหน่วยงานแล้ว")) from error
    return membership
