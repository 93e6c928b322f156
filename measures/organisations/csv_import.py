"""Organisations created in bulk from a CSV file (a province's, or a national install's): all or none.

Every row is read and checked first, against the other rows and against the organisations
already on record; any problem, named by its row as the spreadsheet shows it (the header is
row 1) and its column, refuses the whole file and nothing is written. Otherwise the
organisations are created in one transaction, each with the layout of its kind, and the
administrators whose e-mail is given are invited (the messages leave once it has committed).

A row without a slug gets one made from its code ("org-6930201"), or "org-<n>" without a code,
made unique among the file's rows and the addresses already taken.
"""

import csv
import io
import itertools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import people
from ..models import FormerSlug, Membership, Organisation
from ..tabular import ImportProblem, ImportRefused
from ..uploads import extension_of
from .rules import Details, Taken, detail_problems, kind_words_text, parse_kind, taken_problems
from .setup import details, new_organisation

CSV_MAX_BYTES = 5 * 1024 * 1024
CSV_MAX_ROWS = 10_000  # a national install has about 7,850 local organisations
EMAIL_MAX = 254


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    required: bool
    help: str


COLUMNS = (
    Column("code", gettext_lazy("รหัสหน่วยงาน"), ("code", "รหัส"), False, gettext_lazy("รหัส อปท. ถ้ามี เช่น 6930201")),
    Column("name", gettext_lazy("ชื่อหน่วยงาน"), ("name", "ชื่อ"), True, gettext_lazy("เช่น องค์การบริหารส่วนตำบลบ้านนา")),
    Column(
        "kind",
        gettext_lazy("ประเภท"),
        ("kind",),
        True,
        gettext_lazy("ชื่อประเภท เช่น องค์การบริหารส่วนตำบล เทศบาลตำบล หรือตัวย่อ อบจ. ทน. ทม. ทต. อบต."),
    ),
    Column("district", gettext_lazy("อำเภอ"), ("district",), False, gettext_lazy("เช่น ตะโหมด (ไม่ต้องพิมพ์คำว่าอำเภอ)")),
    Column("province", gettext_lazy("จังหวัด"), ("province",), True, gettext_lazy("เช่น พัทลุง (ไม่ต้องพิมพ์คำว่าจังหวัด)")),
    Column(
        "slug",
        gettext_lazy("ชื่อย่อในที่อยู่เว็บ"),
        ("slug",),
        False,
        gettext_lazy("ตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข และขีด เช่น ban-na ถ้าเว้นว่าง ระบบตั้งให้จากรหัส เช่น org-6930201"),
    ),
    Column(
        "admin_email",
        gettext_lazy("อีเมลผู้ดูแลหน่วยงาน"),
        ("admin_email", "admin e-mail", "admin email", "email", "อีเมล"),
        False,
        gettext_lazy("ถ้ากรอก ระบบส่งคำเชิญให้ตั้งรหัสผ่านและเป็นผู้ดูแลหน่วยงานทางอีเมลนี้"),
    ),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}


def template_csv() -> bytes:
    """The file to fill in: the header and one example row (UTF-8 with a BOM, which Excel reads)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(c.header) for c in COLUMNS])
    writer.writerow(["6930201", "องค์การบริหารส่วนตำบลตัวอย่าง", "อบต.", "ตะโหมด", "พัทลุง", "", "admin@example.go.th"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- Reading ----------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    # UTF-16 is Excel's "Unicode text"; cp874 is its plain "CSV" on a Thai Windows.
    encodings = ("utf-16",) if content.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "cp874")
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused([_("อ่านไฟล์ CSV ไม่ได้ กรุณาบันทึกเป็น CSV UTF-8 (Comma delimited)")])


def _header_key(value: str) -> str:
    return " ".join(str(value).replace("*", "").split()).casefold()


def read_rows(upload) -> list[tuple[int, dict[str, str]]]:
    """(row number as the spreadsheet shows it, column key → text) of each row that is not blank."""
    if extension_of(getattr(upload, "name", "")) != "csv":
        raise ImportRefused([_("รับเฉพาะไฟล์ CSV (.csv) ถ้าเป็นไฟล์ Excel ให้บันทึกเป็น CSV UTF-8 ก่อน")])
    if not upload.size:
        raise ImportRefused([_("ไฟล์ว่างเปล่า")])
    if upload.size > CSV_MAX_BYTES:
        raise ImportRefused([_("ไฟล์ใหญ่เกินไป ขนาดไม่เกิน %(size)s") % {"size": filesizeformat(CSV_MAX_BYTES)}])
    upload.seek(0)
    content = upload.read(CSV_MAX_BYTES + 1)
    if content.startswith(b"PK\x03\x04"):
        raise ImportRefused([_("ไฟล์นี้เป็นไฟล์ Excel กรุณาบันทึกเป็น CSV UTF-8 ก่อน")])
    text = _decode(content)
    if "\x00" in text:
        raise ImportRefused([_("ไฟล์นี้ไม่ใช่ไฟล์ CSV ที่ถูกต้อง")])
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        positions = _positions(header)
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= CSV_MAX_ROWS:
                raise ImportRefused([_("ไฟล์มีหน่วยงานเกิน %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์") % {"max": CSV_MAX_ROWS}])
            rows.append((number, {key: cells[i].strip() if i < len(cells) else "" for key, i in positions.items()}))
    except csv.Error as exc:
        raise ImportRefused([_("อ่านไฟล์ CSV ไม่ได้ กรุณาบันทึกเป็น CSV UTF-8 (Comma delimited)")]) from exc
    if not rows:
        raise ImportRefused([_("ไม่มีหน่วยงานในไฟล์ (มีแต่แถวชื่อคอลัมน์หรือไฟล์ว่าง)")])
    return rows


def _positions(header: list[str]) -> dict[str, int]:
    keys = [_header_key(v) for v in header]
    positions, problems = {}, []
    for column in COLUMNS:
        names = {_header_key(column.header), *(_header_key(a) for a in column.aliases)}
        found = [i for i, key in enumerate(keys) if key in names]
        if len(found) > 1:
            problems.append(_("คอลัมน์ ‘%(column)s’ ซ้ำกัน %(n)s คอลัมน์") % {"column": column.header, "n": len(found)})
        elif found:
            positions[column.key] = found[0]
    missing = [f"‘{c.header}’" for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        problems.insert(
            0,
            _("แถวแรกของไฟล์ต้องเป็นชื่อคอลัมน์ตามแม่แบบ ไม่พบคอลัมน์ %(columns)s กรุณาดาวน์โหลดแม่แบบจากหน้านี้")
            % {"columns": ", ".join(missing)},
        )
    if problems:
        raise ImportRefused(problems)
    return positions


# --- Checking and writing -------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    values: Details
    email: str


def _check_email(email: str) -> str | None:
    if len(email) > EMAIL_MAX:
        return _("อีเมลยาวเกิน %(n)s ตัวอักษร") % {"n": EMAIL_MAX}
    try:
        validate_email(email)
    except ValidationError:
        return _("อีเมล “%(email)s” ไม่ถูกต้อง เช่น somchai@example.go.th") % {"email": email}
    return None


def _read_row(number: int, cells: dict[str, str]) -> tuple[_Row, list[ImportProblem]]:
    kind_text = cells.get("kind", "")
    kind = parse_kind(kind_text)
    values = details(
        name=cells.get("name", ""),
        kind=kind or "",
        province=cells.get("province", ""),
        district=cells.get("district", ""),
        code=cells.get("code", ""),
        slug=cells.get("slug", ""),
    )
    problems = detail_problems(values, slug_required=False)
    if not kind_text:
        problems["kind"] = _("กรุณากรอกประเภท เช่น อบต. หรือ เทศบาลตำบล")
    elif kind is None:
        problems["kind"] = _("ไม่รู้จักประเภท “%(kind)s” ใช้ชื่อประเภทหรือตัวย่อ %(words)s") % {
            "kind": kind_text,
            "words": kind_words_text(),
        }
    email = cells.get("admin_email", "").strip()
    if email and (problem := _check_email(email)):
        problems["admin_email"] = problem
    found = [
        ImportProblem(message, row=number, column=str(COLUMNS_BY_KEY[key].header)) for key, message in problems.items()
    ]
    return _Row(number, values, email), found


def _duplicates(rows: list[_Row], taken: Taken) -> list[ImportProblem]:
    """Rows that repeat another row's slug, code or name, or take what another organisation holds."""
    problems = []
    seen: dict[str, dict] = {"slug": {}, "code": {}, "name": {}}
    for row in rows:
        values = row.values
        for key, message in taken_problems(values, taken).items():
            problems.append(ImportProblem(message, row=row.number, column=str(COLUMNS_BY_KEY[key].header)))
        for key, value in (
            ("slug", values.slug),
            ("code", values.code),
            ("name", (values.name, values.district, values.province)),
        ):
            if not value or (key == "name" and not values.name):
                continue
            first = seen[key].setdefault(value, row.number)
            if first != row.number:
                problems.append(
                    ImportProblem(
                        _("ซ้ำกับแถวที่ %(first)s") % {"first": first},
                        row=row.number,
                        column=str(COLUMNS_BY_KEY[key].header),
                    )
                )
    return problems


def _fill_slugs(rows: list[_Row], used: set[str]) -> None:
    """A slug for each row without one: "org-<code>", else "org-<n>", unique everywhere."""
    used = used | {row.values.slug for row in rows if row.values.slug}
    counter = 0
    for row in rows:
        if row.values.slug:
            continue
        code = re.sub(r"-+", "-", row.values.code.lower()).strip("-")
        if code:
            candidates = (f"org-{code}" if n == 1 else f"org-{code}-{n}" for n in itertools.count(1))
        else:
            candidates = (f"org-{n}" for n in itertools.count(counter + 1))
        slug = next(c for c in candidates if c not in used)
        if not code:
            counter = int(slug.removeprefix("org-"))
        used.add(slug)
        row.values.slug = slug


def generated_slugs_taken() -> set[str]:
    """The addresses, present or former, that a made slug ("org-…") could clash with."""
    return set(Organisation.objects.filter(slug__startswith="org-").values_list("slug", flat=True)) | set(
        FormerSlug.objects.filter(slug__startswith="org-").values_list("slug", flat=True)
    )


@dataclass(frozen=True)
class ImportResult:
    organisations: int
    invitations: int


def import_organisations(*, upload, by) -> ImportResult:
    """Read the CSV, check every row, then create every organisation and invite its administrator.

    Raises ImportRefused with every problem found; nothing is written then.
    """
    lines = read_rows(upload)
    rows, problems = [], []
    for number, cells in lines:
        row, found = _read_row(number, cells)
        rows.append(row)
        problems += found
    with transaction.atomic():
        taken = Taken.read(
            slugs=[r.values.slug for r in rows if r.values.slug],
            codes=[r.values.code for r in rows if r.values.code],
            places=[(r.values.name, r.values.district, r.values.province) for r in rows],
        )
        problems += _duplicates(rows, taken)
        if problems:
            order = {str(c.header): i for i, c in enumerate(COLUMNS)}
            problems.sort(key=lambda p: (p.row or 0, order.get(p.column or "", -1)))
            raise ImportRefused(problems)
        _fill_slugs(rows, generated_slugs_taken())
        invitations = 0
        for row in rows:
            organisation = new_organisation(row.values, by=by)
            if row.email:
                people.invite(organisation=organisation, email=row.email, role=Membership.Role.ORG_ADMIN, by=by)
                invitations += 1
    return ImportResult(organisations=len(rows), invitations=invitations)
