"""Every URL pattern of the project × every role: the answer each role must get.

The patterns come from the URL resolver, not from a list kept by hand: a new pattern without
a row in MATRIX fails test_every_url_pattern_has_a_row_in_the_matrix, and a row for a pattern
that is gone fails the test after it (both in tests/test_url_matrix_completeness.py). The
admin is one family: a few representative pages for every role, and every named admin URL for
an anonymous visitor and an organisation administrator (both sent to the admin login).

The answers follow the product rules (SPEC.md, measures/access.py): another organisation's
object is 404, a forbidden action in one's own organisation 403, an anonymous visitor on a
staff page is sent to log in, oversight sees its dashboard and the states on the organisation
page and nothing of a document's content, a unit contributor works only on the measures of
her unit, an approver decides only at her step, the platform administrator works in the
admin (roles are data: being a superuser opens no organisation). The public site answers the
same to everybody, and never shows a draft.

Every request runs in a transaction that is rolled back, so each one meets the same world
(tests/matrix_fixtures.py). A request that is refused must not write to the database at all;
an allowed POST must really write (unless NO_WRITE says why not), which proves that the
refused ones were refused something. Texts planted in the world (NEVER_SEES) must never
reach a role that may not read them, nor the public site.

The rules (MATRIX, ADMIN_MATRIX, NEVER_SEES, NO_WRITE) and the resolver's patterns are in
tests/url_matrix_rules.py; this module holds how each row is asked (KWARGS, PAYLOADS) and asks it.
"""

import copy
from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from measures.models import Membership
from tests import word_files
from tests.matrix_fixtures import (
    DRAFT_MARKER,
    PASSWORD,
    ROLES,
    TITLE_MARKER,
    UNIT_MARKER,
    World,
    Writes,
    build_world,
)
from tests.url_matrix_rules import (
    ADMIN,
    ADMIN_MATRIX,
    ADMIN_SWEEP_EXCEPTIONS,
    CONFIRMS,
    GET,
    LOGIN,
    MATRIX,
    NEVER_SEES,
    NO_WRITE,
    PATTERNS,
    POST,
    PUBLIC_NEVER_SEES,
    REFUSED,
    base,
    is_admin,
    is_public,
)

pytestmark = pytest.mark.django_db

# --- Arguments and payloads ------------------------------------------------------------------


def defaults(w: World) -> dict:
    """The value of each URL parameter unless KWARGS says otherwise: the 2567 draft's pages."""
    return {
        "org": "test-town",
        "year": 2567,
        "round_months": 6,
        "measure": w.finance_measure.pk,
        "fmt": "csv",
        "kind": "measures",
        "version": 1,
        "section": "organisations",
        "uidb64": "MQ",
        "token": "not-a-token",
    }


PUBLISHED = {"year": 2565}  # the measures published as v1 and v2 (edition 3 is a draft)
WITHDRAWN = {"year": 2565, "kind": "report-6"}
IDOR = {"org": "other-town"}


def _membership(w: World, role: str) -> int:
    return Membership.objects.get(user=w.users[role], organisation__slug__in=["test-town", "other-town"]).pk


def _unit(w: World, name: str) -> int:
    return w.organisation.units.get(name=name).pk


def _tool(w: World, code: str) -> int:
    """A tool of the ITA year the 2567 draft analyses."""
    return w.draft.basis_framework.tools.get(code=code).pk


KWARGS: dict[str, Callable[[World], dict]] = {
    "measures:trash_restore": lambda w: {"kind": "finding", "history_id": w.deleted_finding},
    "measures:trash_restore#idor": lambda w: IDOR | {"kind": "finding", "history_id": w.deleted_finding},
    **{
        f"measures:{name}": lambda w: {"pk": _membership(w, "contributor")}
        for name in ("person_edit", "person_deactivate", "person_reactivate", "person_reinvite")
    },
    **{
        f"measures:{name}": lambda w: {"pk": _unit(w, "กองช่าง")}
        for name in ("unit_edit", "unit_move", "unit_deactivate", "unit_reactivate")
    },
    "measures:person_edit#idor": lambda w: IDOR,
    "measures:oversight_remind#idor": lambda w: IDOR,
    "measures:unit_edit#idor": lambda w: IDOR,
    "measures:assessment_detail": lambda w: {"year": 2565},
    "measures:assessment_edit": lambda w: {"year": 2565},
    "measures:finding_edit": lambda w: {"pk": w.finding.pk},
    "measures:finding_delete": lambda w: {"pk": w.finding.pk},
    "measures:limitation_edit": lambda w: {"pk": w.limitation.pk},
    "measures:limitation_delete": lambda w: {"pk": w.limitation.pk},
    "measures:theme_edit": lambda w: {"pk": w.theme.pk},
    "measures:theme_delete": lambda w: {"pk": w.empty_theme.pk},
    "measures:measure_detail": lambda w: {"pk": w.finance_measure.pk},
    "measures:measure_edit": lambda w: {"pk": w.finance_measure.pk},
    "measures:measure_history": lambda w: {"pk": w.finance_measure.pk},
    "measures:measure_delete": lambda w: {"pk": w.spare_measure.pk},  # no progress recorded: deletable
    "measures:round_start": lambda w: {"round_months": 12},
    "measures:review": lambda w: {"pk": w.submission.pk},
    "measures:decide": lambda w: {"pk": w.submission.pk},
    "measures:memo": lambda w: {"pk": w.submission.pk},
    "measures:document_reopen": lambda w: {"year": 2564},  # approved: reopening starts edition 2
    "measures:round_reopen": lambda w: {"year": 2565, "round_months": 12},  # approved
    "measures:evidence_download": lambda w: {"pk": w.evidence.pk},
    "measures:evidence_delete": lambda w: {"pk": w.evidence.pk},
    "reports:document_publish": lambda w: {"year": 2564},  # approved, not published
    "reports:report_publish": lambda w: {"year": 2565, "round_months": 12},  # approved, not published
    "reports:memo_print": lambda w: {"pk": w.submission.pk},
    "reports:memo_pdf": lambda w: {"pk": w.submission.pk},
    "reports:publication_withdraw": lambda w: {"pk": w.v2.pk},
    "reports:oit_edit": lambda w: {"year": 2565},
    "reports:oit_delete": lambda w: {"year": 2565, "pk": w.oit_entry.pk},
    "reports:organisation#unknown": lambda w: {"org": "no-such-town"},
    "reports:sitemap_section#documents": lambda w: {"section": "documents"},
    "reports:sitemap_section#versions": lambda w: {"section": "versions"},
    "reports:sitemap_section#oit": lambda w: {"section": "oit"},
    "reports:publication_version#v2": lambda w: PUBLISHED | {"version": 2},
    "reports:publication_version#v3": lambda w: PUBLISHED | {"version": 3},
    "reports:oit": lambda w: {"year": 2565},
    "reports:oit#draft-year": lambda w: {"year": 2567},
    "reports:oit#no-index": lambda w: {"year": 2590},
    **{
        f"reports:{name}": lambda w: PUBLISHED
        for name in (
            "publication_latest",
            "publication_latest_pdf",
            "publication_version",
            "publication_pdf",
            "publication_html",
            "publication_json",
            "publication_csv",
            "publication_latest_json",
            "publication_latest_csv",
        )
    },
    **{
        f"reports:{name}#withdrawn": lambda w: WITHDRAWN
        for name in (
            "publication_latest",
            "publication_latest_pdf",
            "publication_version",
            "publication_pdf",
            "publication_html",
            "publication_json",
            "publication_csv",
            "publication_latest_json",
            "publication_latest_csv",
            "publication_memo_pdf",
        )
    },
    "reports:publication_memo_pdf": lambda w: PUBLISHED | {"version": 2},  # published with its memo
    "reports:publication_memo_pdf#no-memo": lambda w: PUBLISHED | {"version": 1},
    **{
        f"{name}#idor": lambda w: IDOR
        for name in (
            "measures:measure_edit",
            "measures:measure_detail",
            "measures:entry_edit",
            "measures:finding_edit",
            "measures:limitation_edit",
            "measures:limitation_delete",
            "measures:theme_delete",
            "measures:evidence_download",
            "measures:evidence_delete",
            "measures:review",
            "measures:decide",
            "measures:memo",
            "reports:memo_print",
            "reports:publication_withdraw",
        )
    },
    "reports:oit_delete#idor": lambda w: IDOR | {"year": 2565, "pk": w.oit_entry.pk},
}

MEMO = {
    "revision": "1",
    "department": "สำนักปลัด",
    "subject": "เรื่องทดสอบ",
    "to": "นายกเทศมนตรี",
    "closing": "จึงเรียนมาเพื่อโปรดพิจารณา",
}
ENTRY = {"status": "in_progress", "percent": "40", "summary": "ประชุมชี้แจงแล้ว"}
CONFIRMED = {"confirmed": "1"}

ORGANISATION = {"name": "เทศบาลตำบลบ้านใหม่", "kind": "subdistrict", "district": "ตะโหมด", "province": "พัทลุง"}

PAYLOADS: dict[str, Callable[[World], dict]] = {
    "measures:document_word_import#file": lambda w: {
        "file": word_files.upload(
            word_files.docx_bytes(
                word_files.Table(
                    [word_files.HEADINGS, ["7. มาตรการจากไฟล์ Word", "ประกาศ", "กองคลัง", "ต.ค. 2566 - ก.ย. 2567"]]
                )
            )
        )
    },
    "measures:round_grid": lambda w: (
        lambda e: {
            "rows-TOTAL_FORMS": "1",
            "rows-INITIAL_FORMS": "1",
            "rows-0-entry": e.pk,
            "rows-0-revision": e.revision,
            "rows-0-status": "in_progress",
            "rows-0-percent": "40",
            "rows-0-summary": "กรอกจากตาราง",
        }
    )(w.report.entries.get(measure=w.finance_measure)),
    "measures:platform_organisation_new": lambda w: (
        ORGANISATION | {"slug": "ban-mai", "admin_email": "admin@ban-mai.example.org"}
    ),
    "measures:platform_administrator_invite": lambda w: {"admin_email": "second-admin@example.org"},
    "measures:organisation_settings": lambda w: {
        "name": "เทศบาลตำบลทดสอบ",
        "kind": w.organisation.kind,
        "province": "พัทลุง",
        "digits": "thai",
        "report_layout": w.organisation.report_layout,
        "all_units_text": "ทุกส่วนราชการ",
    },
    "measures:people": lambda w: {"email": "new-person@example.org", "role": "officer"},
    "measures:person_edit": lambda w: {"role": "contributor", "unit": _unit(w, "กองช่าง")},
    "measures:units": lambda w: {"name": "กองสาธารณสุข", "kind": "division"},
    "measures:unit_edit": lambda w: {"name": "กองช่างโยธา", "kind": "division"},
    "measures:unit_move": lambda w: {"direction": "up"},
    "measures:person_reactivate": lambda w: CONFIRMED,
    "measures:unit_reactivate": lambda w: CONFIRMED,
    "measures:profile": lambda w: {"title": "นาย", "first_name": "สมชาย", "last_name": "ใจดี", "position": "นิติกร"},
    "login": lambda w: {"username": "officer", "password": "not-the-password-1"},
    "password_change": lambda w: {
        "old_password": PASSWORD,
        "new_password1": "Nouveau-mot-2568!",
        "new_password2": "Nouveau-mot-2568!",
    },
    "password_reset": lambda w: {"email": "nobody-here@example.org"},
    "password_reset_confirm": lambda w: {"new_password1": "Nouveau-mot-2568!", "new_password2": "Nouveau-mot-2568!"},
    "measures:document_new": lambda w: {"fiscal_year": "2568"},
    "measures:document_edit": lambda w: {"revision": w.draft.revision, "title": "มาตรการ 2567 ฉบับแก้ไข"},
    "measures:document_copy": lambda w: {"fiscal_year": "2569"},
    "measures:finding_new": lambda w: {"kind": "improve", "text": "ผลการวิเคราะห์ใหม่"},
    "measures:finding_edit": lambda w: {"kind": "improve", "text": "ผลการวิเคราะห์ที่แก้ไข"},
    "measures:limitation_new": lambda w: {"tool": _tool(w, "EIT"), "text": "ข้อจำกัดของ EIT"},
    "measures:limitation_edit": lambda w: {"tool": _tool(w, "IIT"), "text": "ข้อจำกัดของ IIT ที่แก้ไข"},
    "measures:theme_new": lambda w: {"number": "3", "title": "ด้านใหม่"},
    "measures:theme_edit": lambda w: {"number": "1", "title": "ด้านการเปิดเผยข้อมูลสาธารณะ"},
    "measures:measure_new": lambda w: {"title": "มาตรการใหม่", "all_units": "on"},
    "measures:measure_edit": lambda w: {
        "revision": w.finance_measure.revision,
        "title": "มาตรการที่แก้ไข",
        "all_units": "on",
    },
    "measures:round_edit": lambda w: {"revision": w.report.revision, "introduction": "บทนำของรายงาน"},
    "measures:entry_edit": lambda w: ENTRY,
    "measures:evidence_add": lambda w: {"title": "ลิงก์หลักฐาน", "url": "https://example.org/new"},
    "measures:chain_edit": lambda w: {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-title": "นายกเทศมนตรี",
        "form-0-approvers": [w.users["current_approver"].pk],
        "form-0-ORDER": "1",
    },
    "measures:decide": lambda w: {"approve": "1", "comment": "เห็นชอบ"},
    "measures:document_memo": lambda w: MEMO,
    "measures:round_memo": lambda w: MEMO,
    "reports:oit_edit": lambda w: {"item_code": "O2", "title": "ข้อมูลผู้บริหาร", "url": "https://example.org/o2"},
    # A delete, a submission, a publication acts only on the POST of its confirmation page's button.
    **{name: lambda w: CONFIRMED for name in CONFIRMS},
    **{f"{name}#unconfirmed": lambda w: {} for name in CONFIRMS},
    "reports:publication_withdraw": lambda w: CONFIRMED | {"reason": "แนบไฟล์ผิดฉบับ"},
    "reports:publication_withdraw#unconfirmed": lambda w: {"reason": "แนบไฟล์ผิดฉบับ"},  # a reason alone is not enough
    "reports:publication_withdraw#no-reason": lambda w: CONFIRMED | {"reason": "  "},
    "measures:organisation_address": lambda w: CONFIRMED | {"slug": "test-town-new"},
    "measures:organisation_address#unconfirmed": lambda w: {"slug": "test-town-new"},
}


def url_for(key: str, world: World) -> str:
    name = base(key)
    _route, params = PATTERNS[name]
    values = defaults(world)
    for source in (name, key):
        if source in KWARGS:
            values |= KWARGS[source](world)
    return reverse(name, kwargs={param: values[param] for param in params})


# --- Asking ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once; its transaction stays open for the module and is rolled back after."""
    media = tmp_path_factory.mktemp("matrix-media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        for cache in caches.all():
            cache.clear()  # public pages kept by earlier tests must not answer for this world
        built = build_world()
        built.media_root = media
        built.cookies = {role: copy.deepcopy(client.cookies) for role, client in built.clients.items()}
        try:
            yield built
        finally:
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _world_media(_test_settings, settings, request):
    """The world's files (published PDFs, evidence) stay where they were written."""
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media_root


def outcome(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN
        if location.startswith(reverse("login")):
            return LOGIN
    return response.status_code


def ask(world: World, role: str, method: str, url: str, data: dict | None = None) -> tuple[int | str, bytes, set]:
    """(answer, body, tables written) of one request, which is then rolled back."""
    client = world.clients[role]
    client.cookies = copy.deepcopy(world.cookies[role])  # a logout must not log the next request out
    writes = Writes()
    with transaction.atomic(), connection.execute_wrapper(writes):
        try:
            response = client.get(url) if method == GET else client.post(url, data or {})
            # Draining a streamed file lets the test client close it the safe way.
            body = b"".join(response.streaming_content) if response.streaming else response.content
        finally:
            transaction.set_rollback(True)
    return outcome(response), body, writes.tables


def own(table: dict, key: str) -> str:
    """The key under which `table` has a row for `key`: its own (a variant's), else its pattern's."""
    return key if key in table else base(key)


def check(world: World, key: str, method: str, role: str, expected, url: str) -> str | None:
    """What is wrong with one role's answer, or None."""
    data = PAYLOADS[own(PAYLOADS, key)](world) if method == POST and own(PAYLOADS, key) in PAYLOADS else None
    try:
        actual, body, changed = ask(world, role, method, url, data)
    except Exception as error:  # noqa: BLE001 - reported with the others
        return f"{role}: expected {expected}, the view raised {error!r}"
    if actual != expected:
        return f"{role}: expected {expected}, got {actual}"
    if actual in REFUSED and changed:
        return f"{role}: refused ({actual}) but it wrote to {sorted(changed)}"
    if method == GET and base(key) in CONFIRMS and changed:
        return f"{role}: the confirmation page ({actual}) wrote to {sorted(changed)}"
    if method == POST and actual not in REFUSED:
        reason = NO_WRITE.get(own(NO_WRITE, key))
        if reason and changed:
            return f"{role}: allowed ({actual}) and wrote to {sorted(changed)}, but {reason}"
        if not reason and not changed:
            return f"{role}: allowed ({actual}) but nothing was written: the payload proves nothing"
    hidden = PUBLIC_NEVER_SEES if is_public(PATTERNS[base(key)][0]) else NEVER_SEES.get(role, ())
    seen = [marker for marker in hidden if marker.encode() in body]
    if seen:
        return f"{role}: the answer contains {seen}, which this role must never read"
    return None


# --- The matrix --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(MATRIX))
def test_each_role_gets_the_answer_the_matrix_gives(key, world):
    url = url_for(key, world)
    wrong = []
    for method, answers in MATRIX[key].items():
        for role, expected in zip(ROLES, answers, strict=True):
            problem = check(world, key, method, role, expected, url)
            if problem:
                wrong.append(f"{method} {url} {problem}")
    assert not wrong, f"{key}:\n" + "\n".join(wrong)


ADMIN_KNOWN_FAILURES: dict[str, str] = {}  # pattern → reason, for an admin page known to fail


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(key, marks=pytest.mark.xfail(strict=True, reason=ADMIN_KNOWN_FAILURES[key]))
        if key in ADMIN_KNOWN_FAILURES
        else key
        for key in ADMIN_MATRIX
    ],
)
def test_only_the_platform_administrator_enters_the_admin(key, world):
    make_url, answers = ADMIN_MATRIX[key]
    url = make_url(world)
    wrong = [
        problem
        for role, expected in zip(ROLES, answers, strict=True)
        if (problem := check_admin(world, role, url, expected))
    ]
    assert not wrong, f"{key} {url}:\n" + "\n".join(wrong)


def check_admin(world: World, role: str, url: str, expected) -> str | None:
    actual, _body, changed = ask(world, role, GET, url)
    if actual != expected:
        return f"{role}: expected {expected}, got {actual}"
    if changed:
        return f"{role}: it wrote to {sorted(changed)}"
    return None


def admin_url(key: str, params: tuple, world: World) -> str:
    values = {
        "object_id": world.organisation.pk,
        "id": world.users["officer"].pk,
        "app_label": "measures",
        "content_type_id": 1,
    }
    if all(params):
        return reverse(key, kwargs={p: values[p] for p in params})
    return reverse(key, args=["1"] * len(params))


@pytest.mark.parametrize("role", ["anonymous", "org_admin"])
def test_every_admin_url_sends_anyone_but_the_platform_administrator_to_the_admin_login(role, world):
    wrong = []
    for key, (route, params) in PATTERNS.items():
        if not is_admin(route) or not key.startswith("admin:"):
            continue  # unnamed admin patterns (a redirect and the catch-all) need no URL of their own
        url = admin_url(key, params, world)
        expected = ADMIN_SWEEP_EXCEPTIONS.get(key, ADMIN)
        actual, _body, changed = ask(world, role, GET, url)
        if actual != expected or changed:
            wrong.append(f"{url}: expected {expected}, got {actual}, wrote to {sorted(changed)}")
    assert wrong == []


# --- Drafts are never public -------------------------------------------------------------------

UNPUBLISHED = {
    "the 2564 measures, approved, not published": {"year": 2564, "kind": "measures"},
    "the 2567 draft": {"year": 2567, "kind": "measures"},
    "the 2567 draft 6-month report": {"year": 2567, "kind": "report-6"},
    "the 2566 document waiting at step 2": {"year": 2566, "kind": "measures"},
    "the 2565 12-month report, approved, not published": {"year": 2565, "kind": "report-12"},
}


@pytest.mark.parametrize("what", list(UNPUBLISHED))
def test_every_public_url_of_an_unpublished_document_is_404_for_everyone(what, world):
    keys = [key for key, (route, params) in PATTERNS.items() if is_public(route) and "kind" in params]
    assert len(keys) >= 9  # every public document URL: page, versions, PDF, HTML, JSON, CSV
    wrong = []
    for key in keys:
        _route, params = PATTERNS[key]
        values = defaults(world) | UNPUBLISHED[what]
        url = reverse(key, kwargs={p: values[p] for p in params})
        for role in ROLES:
            actual, body, _changed = ask(world, role, GET, url)
            if actual != 404 or any(marker.encode() in body for marker in PUBLIC_NEVER_SEES):
                wrong.append(f"{role} {url}: {actual}")
    assert wrong == []


@pytest.mark.parametrize(
    ("role", "key", "marker"),
    [
        ("officer", "measures:document_detail", DRAFT_MARKER),
        ("officer", "measures:document_detail", TITLE_MARKER),
        ("contributor", "measures:measure_list", UNIT_MARKER),
        ("oversight", "measures:organisation", TITLE_MARKER),
    ],
)
def test_the_markers_are_in_the_pages_of_those_who_may_read_them(role, key, marker, world):
    """Without this, a marker missing from the data would make every "never sees" check pass."""
    status, body, _changed = ask(world, role, GET, url_for(key, world))
    assert status == 200 and marker.encode() in body
