"""The URL permission matrix covers the resolver: every URL pattern has its row, and no row is left over.

The rules are in tests/url_matrix_rules.py; tests/test_url_matrix.py asks each row of every role.
"""

from tests.matrix_fixtures import ROLES
from tests.url_matrix_rules import ADMIN_MATRIX, ADMIN_PREFIX, ALL_PATTERNS, MATRIX, PATTERNS, base, is_admin

# --- Completeness ------------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_in_the_matrix():
    missing = sorted(key for key, (route, _params) in PATTERNS.items() if not is_admin(route) and key not in MATRIX)
    assert not missing, "URL patterns without a row in MATRIX (tests/url_matrix_rules.py): " + ", ".join(missing)


def test_every_url_pattern_outside_the_admin_has_a_name_of_its_own():
    """A row is found by name: a nameless pattern, or a second one under a used name, would escape the matrix."""
    keys = [key for key, route, _params in ALL_PATTERNS if not is_admin(route)]
    assert [key for key in keys if keys.count(key) > 1 or key == PATTERNS[key][0]] == []


def test_the_matrix_has_no_row_for_a_pattern_that_no_longer_exists():
    gone = sorted({base(key) for key in MATRIX} - set(PATTERNS))
    gone += sorted(set(ADMIN_MATRIX) - set(PATTERNS))
    assert not gone, "MATRIX rows for URL patterns that no longer exist: " + ", ".join(gone)


def test_every_row_of_the_matrix_has_one_answer_per_role():
    wrong = [
        f"{key} {method}"
        for key, row in MATRIX.items()
        for method, answers in row.items()
        if len(answers) != len(ROLES)
    ]
    assert wrong == []


def test_admin_patterns_are_only_under_admin():
    """The admin family is recognised by its route: nothing else may live under /admin/."""
    strays = sorted(
        key
        for key, (route, _params) in PATTERNS.items()
        if is_admin(route) and not key.startswith(("admin:", ADMIN_PREFIX))
    )
    assert strays == []
