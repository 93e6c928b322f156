"""The rules of the URL permission matrix: the answer each role must get from every URL pattern.

One table for the whole project (MATRIX, with ADMIN_MATRIX for the admin family), asked by
tests/test_url_matrix.py; tests/test_url_matrix_completeness.py checks that every pattern of
the resolver (PATTERNS, below) has its row. A new URL pattern needs a row here.
"""

from collections.abc import Callable, Iterator

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix_fixtures import DRAFT_MARKER, ROLES, TITLE_MARKER, UNIT_MARKER, World

GET, POST = "GET", "POST"
LOGIN = "login"  # 302 to the staff login page
ADMIN = "admin"  # 302 to the admin login page
REFUSED = {LOGIN, ADMIN, 403, 404, 405}


def everyone(status) -> tuple:
    return (status,) * len(ROLES)


#                                                        anon   ctb  oth  out  off  apv  cur  adm  ovs  pla
PLATFORM = (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200)  # the platform administrator only
MANAGE = (LOGIN, 403, 403, 404, 403, 403, 403, 200, 403, 404)  # the organisation's administrator only
MANAGE_WRITE = (LOGIN, 403, 403, 404, 403, 403, 403, 302, 403, 404)
IDOR_MANAGE = (LOGIN, 404, 404, 403, 404, 404, 404, 404, 404, 404)


# --- The matrix ----------------------------------------------------------------------------
#
# Key: "namespace:name" of a URL pattern (the route when it has no name), or "name#variant"
# for the same pattern with other arguments (KWARGS) or another payload (PAYLOADS, NO_WRITE).
# Value: per method, the answers in the order of ROLES: anonymous, contributor (ctb, her
# unit's measure), other_unit (oth, another unit's contributor), outsider (out), officer (off),
# approver not at the current step (apv), current_approver (cur), org_admin (adm), oversight
# (ovs), platform_admin (pla). A POST row is given for every view that changes something;
# LOGIN is a 302 to the login page.

MATRIX: dict[str, dict[str, tuple]] = {
    # Accounts: the same for everybody, but changing one's password needs one to log in first.
    "login": {GET: everyone(200), POST: everyone(200)},  # a wrong password
    "logout": {GET: everyone(405), POST: everyone(LOGIN)},  # then to the login page
    "password_reset": {GET: everyone(200), POST: everyone(302)},  # to "sent"
    "password_reset_done": {GET: everyone(200)},
    "password_reset_confirm": {GET: everyone(200), POST: everyone(200)},  # an invalid link
    "password_reset_complete": {GET: everyone(200)},
    "invitation": {GET: everyone(200), POST: everyone(200)},  # an invalid link: a Thai message
    #                                                 anon   ctb  oth  out  off  apv  cur  adm  ovs  pla
    "password_change": {
        GET: (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        POST: (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    },
    "password_change_done": {GET: (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    # Staff: the measures app.
    #                                                 anon   ctb  oth  out  off  apv  cur  adm  ovs  pla
    "measures:dashboard": {GET: (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "measures:inbox": {GET: (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "measures:oversight": {GET: (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200, 403)},
    # A reminder to the officers of organisations behind (issue 20): the oversight role only; GET (or a POST
    # without confirmed=1) shows its confirmation page; test-town has no document of the current fiscal year.
    "measures:oversight_remind": {
        GET: (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200, 403),
        POST: (LOGIN, 403, 403, 403, 403, 403, 403, 403, 302, 403),
    },
    "measures:oversight_remind#unconfirmed": {POST: (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200, 403)},
    "measures:oversight_remind#idor": {  # an organisation outside the oversight user's scope
        GET: (LOGIN, 403, 403, 403, 403, 403, 403, 403, 404, 403),
        POST: (LOGIN, 403, 403, 403, 403, 403, 403, 403, 404, 403),
    },
    "measures:oversight_remind_all": {
        GET: (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200, 403),
        POST: (LOGIN, 403, 403, 403, 403, 403, 403, 403, 302, 403),
    },
    "measures:oversight_remind_all#unconfirmed": {POST: (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200, 403)},
    "measures:organisation": {GET: (LOGIN, 200, 200, 404, 200, 200, 200, 200, 200, 404)},
    "measures:assessment_new": {GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    "measures:assessment_detail": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    # An empty form (assessment, import) is shown again with its errors: 200, nothing written.
    "measures:assessment_edit": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
    },
    # Suggested measures for an indicator of ITA 2567 (issue 20): whoever reads the scores; copying one into
    # the draft needs EDIT. test-town has no 2568 document to copy into: back to the page with a Thai message.
    "measures:suggestions": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    "measures:suggestion_copy": {
        GET: (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:document_new": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:document_detail": {GET: (LOGIN, 200, 200, 404, 200, 200, 200, 200, 403, 404)},
    "measures:document_edit": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:document_copy": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:document_export": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    "measures:document_import": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
    },
    "measures:document_import_template": {GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    # Last year's Word document (issue 20), as the Excel import: a POST without a file shows the form
    # again; the preview has its own address, and a token this session does not hold shows the form
    # again with a Thai message (nothing written, for a confirmation either).
    "measures:document_word_import": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
    },
    "measures:document_word_import#file": {  # a real Word file: to its preview (kept in the session)
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:document_word_preview": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
    },
    "measures:finding_new": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:finding_edit": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    # A delete: GET (or a POST without confirmed=1) shows its confirmation page; only confirmed=1 deletes.
    "measures:finding_delete": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:finding_delete#unconfirmed": {POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    # The limitations of each ITA tool: edited like the findings (officer and administrator, draft only).
    "measures:limitation_new": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:limitation_edit": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:limitation_delete": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:limitation_delete#unconfirmed": {POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    "measures:theme_new": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:theme_edit": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:theme_delete": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:theme_delete#unconfirmed": {POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    # The measures of a document on their own page: each contributor lists her unit's (never another's).
    "measures:measure_list": {GET: (LOGIN, 200, 200, 404, 200, 200, 200, 200, 403, 404)},
    "measures:measure_new": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    # กองคลัง's measure: its contributor reads it and fills in its progress; กองช่าง's finds nothing.
    "measures:measure_detail": {GET: (LOGIN, 200, 404, 404, 200, 200, 200, 200, 403, 404)},
    "measures:measure_edit": {
        GET: (LOGIN, 403, 404, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 404, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:measure_delete": {
        GET: (LOGIN, 403, 404, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 404, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:measure_delete#unconfirmed": {POST: (LOGIN, 403, 404, 404, 200, 403, 403, 200, 403, 404)},
    "measures:measure_history": {GET: (LOGIN, 200, 404, 404, 200, 200, 200, 200, 403, 404)},
    # The trash of the 2567 draft (a deleted finding in it): who edits the document lists and restores.
    "measures:document_trash": {GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    "measures:trash_restore": {
        GET: (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:round_detail": {GET: (LOGIN, 200, 200, 404, 200, 200, 200, 200, 403, 404)},
    # The round grid: who may fill results, her own units' rows for a contributor (กองช่าง's
    # contributor posting กองคลัง's row: 404, nothing written).
    "measures:round_grid": {
        GET: (LOGIN, 200, 200, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 302, 404, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:round_start": {
        GET: (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:round_edit": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:round_export": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    # A round's results from Excel (issue 18): PROGRESS, so each unit's contributor too (only her
    # units' rows pass the check); a POST without a file shows the form again.
    "measures:round_import": {
        GET: (LOGIN, 200, 200, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 200, 200, 404, 200, 403, 403, 200, 403, 404),
    },
    # A report's results from Word (issue 20): the roles of the Excel import; the preview as above.
    "measures:round_word_import": {
        GET: (LOGIN, 200, 200, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 200, 200, 404, 200, 403, 403, 200, 403, 404),
    },
    "measures:round_word_preview": {
        GET: (LOGIN, 200, 200, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 200, 200, 404, 200, 403, 403, 200, 403, 404),
    },
    "measures:entry_edit": {
        GET: (LOGIN, 200, 404, 404, 200, 200, 200, 200, 403, 404),
        POST: (LOGIN, 302, 404, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:evidence_add": {
        GET: (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST: (LOGIN, 302, 404, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:evidence_download": {GET: (LOGIN, 200, 404, 404, 200, 200, 200, 200, 403, 404)},
    "measures:evidence_delete": {
        GET: (LOGIN, 200, 404, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 302, 404, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:evidence_delete#unconfirmed": {POST: (LOGIN, 200, 404, 404, 200, 403, 403, 200, 403, 404)},
    "measures:chain_edit": {
        GET: (LOGIN, 403, 403, 404, 403, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 403, 403, 403, 302, 403, 404),
    },
    "measures:review": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    # The 2566 document waits at step 2: only its approver decides (apv approved step 1, holds step 3).
    "measures:decide": {
        GET: (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST: (LOGIN, 403, 403, 404, 403, 403, 302, 403, 403, 404),
    },
    "measures:memo": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    # Submitting, publishing, withdrawing: a GET (or a POST without confirmed=1) shows the check or
    # confirmation page and writes nothing; only confirmed=1 acts.
    "measures:document_submit": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:document_submit#unconfirmed": {POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    "measures:document_reopen": {
        GET: (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:document_memo": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:document_editions": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    "measures:round_submit": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:round_submit#unconfirmed": {POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    "measures:round_reopen": {
        GET: (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:round_memo": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "measures:round_editions": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    # Test-town's objects tried under the URLs of other-town, where the outsider is an officer.
    #                                                 anon   ctb  oth  out  off  apv  cur  adm  ovs  pla
    "measures:finding_edit#idor": {
        GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    "measures:limitation_edit#idor": {
        GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    "measures:limitation_delete#idor": {
        GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    "measures:theme_delete#idor": {
        GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    "measures:measure_detail#idor": {GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    "measures:measure_edit#idor": {
        GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    "measures:entry_edit#idor": {
        GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    "measures:evidence_download#idor": {GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    "measures:evidence_delete#idor": {
        GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    "measures:review#idor": {GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    "measures:decide#idor": {
        GET: (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    "measures:memo#idor": {GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    "measures:trash_restore#idor": {
        GET: (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    # The platform: creating organisations (superusers, or whoever holds measures.add_organisation).
    #                                                 anon   ctb  oth  out  off  apv  cur  adm  ovs  pla
    "measures:platform_organisations": {GET: PLATFORM},
    "measures:platform_organisation_new": {GET: PLATFORM, POST: (*PLATFORM[:-1], 302)},
    "measures:platform_organisation_import": {GET: PLATFORM, POST: PLATFORM},  # no file: the form again
    "measures:platform_organisation_import_template": {GET: PLATFORM},
    "measures:platform_administrator_invite": {GET: PLATFORM, POST: (*PLATFORM[:-1], 302)},
    # An organisation runs itself: its administrator's settings, address, units and people.
    "measures:organisation_settings": {GET: MANAGE, POST: MANAGE_WRITE},
    "measures:organisation_address": {GET: MANAGE, POST: MANAGE_WRITE},
    "measures:organisation_address#unconfirmed": {POST: MANAGE},
    "measures:people": {GET: MANAGE, POST: MANAGE_WRITE},  # the POST invites somebody
    "measures:person_edit": {GET: MANAGE, POST: MANAGE_WRITE},
    "measures:person_deactivate": {GET: MANAGE, POST: MANAGE_WRITE},
    "measures:person_deactivate#unconfirmed": {POST: MANAGE},
    "measures:person_reactivate": {GET: MANAGE, POST: MANAGE_WRITE},  # an active person: a message only
    "measures:person_reinvite": {GET: (LOGIN, *(405,) * 9), POST: MANAGE_WRITE},  # she has a password: refused
    "measures:units": {GET: MANAGE, POST: MANAGE_WRITE},
    "measures:unit_edit": {GET: MANAGE, POST: MANAGE_WRITE},
    "measures:unit_move": {GET: (LOGIN, *(405,) * 9), POST: MANAGE_WRITE},
    "measures:unit_deactivate": {GET: MANAGE, POST: MANAGE_WRITE},
    "measures:unit_deactivate#unconfirmed": {POST: MANAGE},
    "measures:unit_reactivate": {GET: MANAGE, POST: MANAGE_WRITE},  # an active unit: a message only
    # Under other-town's URLs: its officer (out) may not manage it (403); test-town's people find nothing.
    "measures:person_edit#idor": {GET: IDOR_MANAGE, POST: IDOR_MANAGE},
    "measures:unit_edit#idor": {GET: IDOR_MANAGE, POST: IDOR_MANAGE},
    # Everyone's own profile.
    "measures:profile": {GET: (LOGIN, *(200,) * 9), POST: (LOGIN, *(302,) * 9)},
    # Staff: printed documents, publishing, the OIT index.
    #                                                 anon   ctb  oth  out  off  apv  cur  adm  ovs  pla
    "reports:document_print": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    "reports:document_pdf": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    "reports:document_publish": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "reports:document_publish#unconfirmed": {POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    "reports:report_print": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    "reports:report_pdf": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    "reports:report_publish": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "reports:report_publish#unconfirmed": {POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    "reports:memo_print": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    "reports:memo_pdf": {GET: (LOGIN, 403, 403, 404, 200, 200, 200, 200, 403, 404)},
    "reports:publication_withdraw": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "reports:publication_withdraw#unconfirmed": {POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    # Confirmed without a reason: the page again with the Thai reason (400), nothing withdrawn.
    "reports:publication_withdraw#no-reason": {POST: (LOGIN, 403, 403, 404, 400, 403, 403, 400, 403, 404)},
    "reports:oit_edit": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "reports:oit_delete": {
        GET: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404),
        POST: (LOGIN, 403, 403, 404, 302, 403, 403, 302, 403, 404),
    },
    "reports:oit_delete#unconfirmed": {POST: (LOGIN, 403, 403, 404, 200, 403, 403, 200, 403, 404)},
    "reports:memo_print#idor": {GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    "reports:publication_withdraw#idor": {
        GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    "reports:oit_delete#idor": {
        GET: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
        POST: (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    # The public site: the same answer for everybody, logged in or not.
    "reports:home": {GET: everyone(200)},
    "reports:site_feed": {GET: everyone(200)},
    "reports:robots": {GET: everyone(200)},
    "reports:sitemap": {GET: everyone(200)},
    "reports:sitemap_section": {GET: everyone(200)},
    "reports:sitemap_section#documents": {GET: everyone(200)},
    "reports:sitemap_section#versions": {GET: everyone(200)},
    "reports:sitemap_section#oit": {GET: everyone(200)},
    "reports:organisation": {GET: everyone(200)},
    "reports:organisation#unknown": {GET: everyone(404)},
    "reports:publication_latest": {GET: everyone(200)},
    # A withdrawn version: its page and its data say when and why (410), its files are gone (404).
    "reports:publication_latest#withdrawn": {GET: everyone(410)},
    "reports:publication_latest_pdf": {GET: everyone(200)},
    "reports:publication_latest_pdf#withdrawn": {GET: everyone(404)},
    "reports:publication_version": {GET: everyone(200)},
    "reports:publication_version#v2": {GET: everyone(200)},
    "reports:publication_version#v3": {GET: everyone(404)},
    "reports:publication_version#withdrawn": {GET: everyone(410)},
    "reports:publication_pdf": {GET: everyone(200)},
    "reports:publication_pdf#withdrawn": {GET: everyone(404)},
    "reports:publication_html": {GET: everyone(200)},
    "reports:publication_html#withdrawn": {GET: everyone(404)},
    # The signed memo, only of a version published with it (v2); v1 was published without.
    "reports:publication_memo_pdf": {GET: everyone(200)},
    "reports:publication_memo_pdf#no-memo": {GET: everyone(404)},
    "reports:publication_memo_pdf#withdrawn": {GET: everyone(404)},
    "reports:publication_json": {GET: everyone(200)},
    "reports:publication_json#withdrawn": {GET: everyone(410)},
    "reports:publication_csv": {GET: everyone(200)},
    "reports:publication_csv#withdrawn": {GET: everyone(410)},
    "reports:publication_latest_json": {GET: everyone(200)},
    "reports:publication_latest_json#withdrawn": {GET: everyone(410)},
    "reports:publication_latest_csv": {GET: everyone(200)},
    "reports:publication_latest_csv#withdrawn": {GET: everyone(410)},
    "reports:oit": {GET: everyone(200)},
    # 2567 has a framework: its index lists the items, none of them published yet.
    "reports:oit#draft-year": {GET: everyone(200)},
    "reports:oit#no-index": {GET: everyone(404)},
    "reports:scores_json": {GET: everyone(200)},
    "reports:scores_csv": {GET: everyone(200)},
    "reports:organisation_feed": {GET: everyone(200)},
    "reports:embed": {GET: everyone(200)},
}

# Texts each role must never get, whatever the URL (the admin apart); on the public site nobody
# gets any of them. Oversight reads states: the staff organisation page lists each document by
# its title and state, never its content.
NEVER_SEES = {
    "anonymous": (DRAFT_MARKER, TITLE_MARKER, UNIT_MARKER),
    "outsider": (DRAFT_MARKER, TITLE_MARKER, UNIT_MARKER),
    "platform_admin": (DRAFT_MARKER, TITLE_MARKER, UNIT_MARKER),
    "oversight": (DRAFT_MARKER, UNIT_MARKER),
    "other_unit": (UNIT_MARKER,),
}
PUBLIC_NEVER_SEES = (DRAFT_MARKER, TITLE_MARKER, UNIT_MARKER)

# Deletes: a GET (or a POST without confirmed=1) only shows the confirmation page, and writes nothing.
DELETES = (
    "measures:person_deactivate",
    "measures:unit_deactivate",
    "measures:finding_delete",
    "measures:limitation_delete",
    "measures:theme_delete",
    "measures:measure_delete",
    "measures:evidence_delete",
    "reports:oit_delete",
)
# Submitting, publishing, withdrawing: the same, with the check page in front of a submission.
CONFIRMED_ACTIONS = (
    "measures:organisation_address",
    "measures:oversight_remind",
    "measures:oversight_remind_all",
    "measures:document_submit",
    "measures:round_submit",
    "reports:document_publish",
    "reports:report_publish",
    "reports:publication_withdraw",
)
CONFIRMS = DELETES + CONFIRMED_ACTIONS

# Allowed POSTs that must write nothing, and why (every other allowed POST must write).
NO_WRITE = {
    "login": "a wrong password (django-axes' records of failed logins are left out of the comparison)",
    "logout": "only the session changes",
    "password_reset": "an address without an account gets the same answer and no message (tests/test_passwords.py)",
    "password_reset_confirm": "an invalid link changes no password",
    "invitation": "an invalid link sets no password",
    "measures:platform_organisation_import": "no file: the form is shown again",
    "measures:person_reactivate": "she is active: a message says so",
    "measures:unit_reactivate": "the unit is in use: a message says so",
    "measures:person_reinvite": "she has set her password: a new link is refused with a message",
    "measures:assessment_edit": "an empty form is shown again with its errors",
    "measures:document_import": "no file: the form is shown again",
    "measures:suggestion_copy": "no 2568 document to copy into, and no suggestion chosen: a Thai message",
    "measures:round_import": "no file: the form is shown again",
    "measures:document_word_import": "no file: the form is shown again",
    "measures:document_word_import#file": "the preview is kept in the session only (sessions are not compared)",
    "measures:document_word_preview": "a token this session does not hold: the form again, nothing confirmed",
    "measures:round_word_import": "no file: the form is shown again",
    "measures:round_word_preview": "a token this session does not hold: the form again, nothing confirmed",
    **{f"{name}#unconfirmed": "without confirmed=1 the confirmation page is shown again" for name in CONFIRMS},
    "reports:publication_withdraw#no-reason": "a withdrawal needs a reason, shown to the public",
}

# The admin, one family: only the platform administrator may enter.
ADMIN_ONLY = (ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 200)
ADMIN_MATRIX: dict[str, tuple[Callable[[World], str], tuple]] = {
    "admin:index": (lambda w: reverse("admin:index"), ADMIN_ONLY),
    "admin:app_list": (lambda w: reverse("admin:app_list", args=["measures"]), ADMIN_ONLY),
    "admin:measures_organisation_changelist": (lambda w: reverse("admin:measures_organisation_changelist"), ADMIN_ONLY),
    "admin:measures_organisation_change": (
        lambda w: reverse("admin:measures_organisation_change", args=[w.organisation.pk]),
        ADMIN_ONLY,
    ),
    "admin:measures_membership_add": (lambda w: reverse("admin:measures_membership_add"), ADMIN_ONLY),
    "admin:reports_publication_changelist": (lambda w: reverse("admin:reports_publication_changelist"), ADMIN_ONLY),
    "admin:auth_user_changelist": (lambda w: reverse("admin:auth_user_changelist"), ADMIN_ONLY),
    # The login form for anybody; the platform administrator, already in, goes on to the index.
    "admin:login": (lambda w: reverse("admin:login"), (*everyone(200)[:-1], 302)),
}
# Exceptions to "everybody but the platform administrator is sent to the admin login".
ADMIN_SWEEP_EXCEPTIONS = {"admin:login": 200, "admin:logout": 302}  # logout sends a non-member to the index


# --- The resolver ------------------------------------------------------------------------------


def walk(patterns, prefix: str = "", namespace: str | None = None, params: tuple = ()) -> Iterator[tuple]:
    """(key, route, URL parameters) of every pattern, included URLconfs and the admin included."""
    for entry in patterns:
        own = _params(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            )
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner, params + own)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name or route, route, params + own


def _params(pattern) -> tuple:
    converters = getattr(pattern, "converters", None)
    if converters is not None and hasattr(pattern, "_route"):
        return tuple(converters)
    regex = pattern.regex
    return tuple(regex.groupindex) + (("",) * (regex.groups - len(regex.groupindex)))


ALL_PATTERNS = list(walk(get_resolver().url_patterns))
PATTERNS = {key: (route, params) for key, route, params in ALL_PATTERNS}
ADMIN_PREFIX = "admin/"


def is_admin(route: str) -> bool:
    return route.startswith(ADMIN_PREFIX)


def is_public(route: str) -> bool:
    return not route.startswith(("staff/", "admin/", "accounts/"))


def base(key: str) -> str:
    return key.partition("#")[0]
