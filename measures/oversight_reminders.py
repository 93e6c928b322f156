"""The reminder an oversight user sends to the officers of the organisations that are behind
(measures.oversight.behind), through the outbox (issue 20).

The messages are written to the outbox (OutgoingEmail) in the transaction that checks the last
reminder, under the organisations' row locks, so two clicks at once send one reminder; they are
handed to the mail server after commit, and what it does not take is sent again by
``send_reminders --retry-only``. An organisation reminded within oversight.REMIND_INTERVAL, by
anybody, is left out. Only the organisations the sender oversees are ever reminded, whatever the
caller passes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from . import notifications, people, selectors, thai
from .models import Membership, Organisation, OutgoingEmail
from .oversight import REMINDER_TEMPLATE, Behind, behind, reminder_key, scope_ids
from .services import ServiceError

DELIVER_NOW_MAX = 50  # handed to the mail server during the request; the rest wait for the retry
# The organisations one click may remind: a province (up to about 330); a wider scope is filtered first,
# so that one request renders and writes a bounded number of messages.
MAX_ORGANISATIONS = 400


def _items(organisation: Behind, *, fiscal_year: int) -> list[dict]:
    """What the officers are asked to do, each with the staff page where they do it."""
    new_document = notifications.absolute(reverse("measures:document_new", args=[organisation.slug]))
    items = []
    if organisation.no_document:
        text = _("ยังไม่มีเอกสารมาตรการส่งเสริมคุณธรรมและความโปร่งใส %(year)s")
        items.append(
            {"text": text % {"year": thai.fiscal_year_label(fiscal_year, thai_digits=False)}, "url": new_document}
        )
    for late in organisation.late_rounds:
        # The wording of the daily reminders (send_reminders), for the same fact.
        text = _("รายงานผลการดำเนินการตามมาตรการ %(round)s ของ %(org)s ปีงบประมาณ %(year)s เลยกำหนดส่งแล้วเมื่อ %(due)s") % {
            "round": thai.round_label(late.months, thai_digits=False),
            "org": organisation.name,
            "year": fiscal_year,
            "due": thai.format_date_long(late.due, thai_digits=False),
        }
        url = reverse("measures:round_detail", args=[organisation.slug, fiscal_year, late.months])
        items.append({"text": text, "url": new_document if organisation.no_document else notifications.absolute(url)})
    return items


def _officers(organisation_ids: list[int]) -> dict[int, list]:
    """Organisation id → its active officers and administrators with an e-mail address: one query."""
    found: dict[int, dict[int, object]] = {}
    for membership in (
        Membership.objects.active()
        .filter(
            organisation_id__in=organisation_ids,
            role__in=[Membership.Role.OFFICER, Membership.Role.ORG_ADMIN],
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user__profile")
        .order_by("organisation_id", "user_id")
    ):
        found.setdefault(membership.organisation_id, {})[membership.user_id] = membership.user
    return {pk: list(users.values()) for pk, users in found.items()}


def _message(organisation: Behind, user, *, by, fiscal_year: int) -> OutgoingEmail:
    text = render_to_string(
        f"emails/{REMINDER_TEMPLATE}.txt",
        {
            "organisation": organisation,
            "year": fiscal_year,
            "name": people.display_name(user),
            "sender": people.display_name(by),
            "sender_position": people.position_of(by),
            "items": _items(organisation, fiscal_year=fiscal_year),
        },
    ).strip()
    subject, _newline, body = text.partition("\n")
    return OutgoingEmail(
        recipient=user,
        to_address=user.email,
        template=reminder_key(organisation.pk),
        subject=subject.strip()[:300],
        body=body.strip() + "\n",
    )


@dataclass(frozen=True)
class Plan:
    """Who a reminder reaches: the organisations behind that will be reminded, their officers,
    and those left out and why."""

    behind: int  # how many organisations are behind
    due: list[Behind] = field(default_factory=list)  # to be reminded now
    officers: dict[int, list] = field(default_factory=dict)  # organisation id → the recipients
    recent: list[Behind] = field(default_factory=list)  # reminded within REMIND_INTERVAL: not again
    no_address: list[Behind] = field(default_factory=list)  # no officer with an e-mail address

    @property
    def recipients(self) -> int:
        return sum(len(self.officers[organisation.pk]) for organisation in self.due)


def plan(
    organisations: QuerySet[Organisation], *, by, fiscal_year: int, today: date, now: datetime | None = None
) -> Plan:
    """What reminding the organisations of ``organisations`` that ``by`` oversees would do: four queries."""
    overseen = Organisation.objects.overseen_by(by).order_by().values("pk")
    scope = Organisation.objects.filter(pk__in=scope_ids(organisations)).filter(pk__in=overseen)
    rows = selectors.oversight_rows(scope, year=fiscal_year, today=today)
    late = behind(rows, fiscal_year=fiscal_year, today=today, now=now)
    fresh = [organisation for organisation in late if organisation.reminded_at is None]
    officers = _officers([organisation.pk for organisation in fresh])
    return Plan(
        behind=len(late),
        due=[organisation for organisation in fresh if organisation.pk in officers],
        officers=officers,
        recent=[organisation for organisation in late if organisation.reminded_at is not None],
        no_address=[organisation for organisation in fresh if organisation.pk not in officers],
    )


def deliver_now(mail_ids: list[int]) -> int:
    """Hand the new reminders to the mail server, at most DELIVER_NOW_MAX, and stop at the first
    it refuses (it is down): every one left waits in the outbox for ``send_reminders --retry-only``."""
    sent = 0
    for mail in OutgoingEmail.objects.filter(pk__in=mail_ids[:DELIVER_NOW_MAX]).order_by("pk"):
        if not notifications.deliver(mail):
            break
        sent += 1
    return sent


def remind(
    *, by, organisations: QuerySet[Organisation], fiscal_year: int, today: date, now: datetime | None = None
) -> Plan:
    """Queue a Thai reminder to the officers of each organisation of ``organisations`` that ``by``
    oversees and that is behind in ``fiscal_year``; one reminded within REMIND_INTERVAL is left out.

    Refused (ServiceError in Thai, nothing written) when none of them can be reminded now.
    """
    with transaction.atomic():
        # Two clicks at once: the second waits here for the first, then finds its reminder.
        list(
            Organisation.objects.select_for_update()
            .filter(pk__in=scope_ids(organisations))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        found = plan(organisations, by=by, fiscal_year=fiscal_year, today=today, now=now)
        if not found.due:
            raise ServiceError(nothing_to_send_text(found, fiscal_year=fiscal_year))
        if len(found.due) > MAX_ORGANISATIONS:
            raise ServiceError(too_many_text(found))
        mails = OutgoingEmail.objects.bulk_create(
            _message(organisation, user, by=by, fiscal_year=fiscal_year)
            for organisation in found.due
            for user in found.officers[organisation.pk]
        )
        ids = [mail.pk for mail in mails]
        transaction.on_commit(lambda: deliver_now(ids))
    return found


# --- What the oversight user is told -----------------------------------------------------------


def names_text(names: list[str], *, shown: int = 5) -> str:
    """ "ก, ข และอีก 3 แห่ง": a few names of a list that may be long."""
    if len(names) <= shown:
        return ", ".join(names)
    return _("%(names)s และอีก %(n)s แห่ง") % {"names": ", ".join(names[:shown]), "n": len(names) - shown}


def skipped_text(found: Plan) -> str:
    """Who is left out and why, in Thai ("" when nobody is)."""
    reasons = []
    if found.recent:
        when = [
            _("%(name)s (เตือนแล้วเมื่อ %(at)s)")
            % {"name": organisation.name, "at": thai.format_datetime_short(organisation.reminded_at)}
            for organisation in found.recent
        ]
        reasons.append(
            _("%(names)s ได้รับอีเมลเตือนไปแล้วภายใน 24 ชั่วโมงที่ผ่านมา จึงไม่ส่งซ้ำ ส่งอีกครั้งได้เมื่อครบ 24 ชั่วโมง")
            % {"names": names_text(when)}
        )
    if found.no_address:
        names = names_text([organisation.name for organisation in found.no_address])
        reasons.append(_("%(names)s ไม่มีเจ้าหน้าที่ผู้จัดทำหรือผู้ดูแลหน่วยงานที่มีอีเมล จึงส่งอีเมลเตือนไม่ได้") % {"names": names})
    return " ".join(reasons)


def nothing_to_send_text(found: Plan, *, fiscal_year: int) -> str:
    if not found.behind:
        return _("ไม่มีหน่วยงานที่ล่าช้าใน%(year)s ให้ส่งอีเมลเตือน") % {
            "year": thai.fiscal_year_label(fiscal_year, thai_digits=False)
        }
    return _("ยังไม่ได้ส่งอีเมลเตือน: %(reasons)s") % {"reasons": skipped_text(found)}


def too_many_text(found: Plan) -> str:
    return _(
        "ส่งอีเมลเตือนได้ครั้งละไม่เกิน %(max)s หน่วยงาน แต่ตามตัวกรองนี้มี %(n)s หน่วยงาน กรุณากรองตามจังหวัดหรืออำเภอก่อน แล้วส่งทีละกลุ่ม"
    ) % {"max": MAX_ORGANISATIONS, "n": len(found.due)}


def sent_text(found: Plan) -> str:
    sent = _("บันทึกอีเมลเตือนถึงเจ้าหน้าที่ %(people)s คน ของ %(n)s หน่วยงานเข้าคิวส่งอีเมลแล้ว") % {
        "people": found.recipients,
        "n": len(found.due),
    }
    skipped = skipped_text(found)
    return f"{sent} {skipped}" if skipped else sent
