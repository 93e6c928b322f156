"""Demo data: the three seed organisations, a new empty one, and an account for each role.

`manage.py load_demo` loads it (scripts/demo.sh), as do the tests, the browser journeys and the benches.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from measures import workflow
from measures.loaders import load_frameworks, read_json
from measures.models import Membership, Organisation, OversightScope, Profile, Unit

from .seeds import load_demo_organisation, split_title

DEMO_PASSWORD = "ita-demo-2567"  # noqa: S105 - the published demo password
DEMO_FILES = ["khao-hua-chang.json", "thawon.json", "bo-phloi.json"]
NEW_ORGANISATION = {
    "name": "องค์การบริหารส่วนตำบลทดลองระบบ",
    "kind": Organisation.Kind.SUBDISTRICT,
    "district": "เมือง",
    "province": "นครปฐม",
    "slug": "demo-new",
    "units": [
        ("สำนักปลัด", Unit.Kind.OFFICE, ["งานนิติการ", "งานวิเคราะห์นโยบายและแผน", "งานการเจ้าหน้าที่"]),
        ("กองคลัง", Unit.Kind.DIVISION, ["งานพัสดุ"]),
        ("กองช่าง", Unit.Kind.DIVISION, []),
        ("กองการศึกษา", Unit.Kind.DIVISION, []),
        ("กองสาธารณสุขและสิ่งแวดล้อม", Unit.Kind.DIVISION, []),
    ],
}


@dataclass(frozen=True)
class DemoAccount:
    """A demo login. `name` is written as documents print it ("นางณภัทร ฤกษ์วิจิตร"): its title
    becomes the Profile's, and `position` the Profile's position (memos and sign-off blocks)."""

    username: str
    name: str
    description: str
    position: str = ""
    acting_for: str = ""


# The chain of ทต.บ่อพลอย as signed in seed 004 (author, then five approvers).
BO_PHLOI_AUTHOR = DemoAccount(
    "bp-officer",
    "นางณภัทร ฤกษ์วิจิตร",
    "ผู้จัดทำ ทต.บ่อพลอย (ผู้เขียนบันทึกข้อความใน seed 004)",
    "นักวิเคราะห์นโยบายและแผนชำนาญการ",
)
BO_PHLOI_CHAIN = [
    DemoAccount("bp-general", "นางจรัสศรี คุ่มอยู่", "ทต.บ่อพลอย ลำดับ 1", "หัวหน้าฝ่ายบริหารงานทั่วไป"),
    DemoAccount("bp-office", "นางสาวพอลาณ คนตรง", "ทต.บ่อพลอย ลำดับ 2", "หัวหน้าสำนักปลัด"),
    DemoAccount("bp-clerk", "นายชุต เหมวิเชียร", "ทต.บ่อพลอย ลำดับ 3", "ปลัดเทศบาลตำบลบ่อพลอย"),
    DemoAccount("bp-deputy", "นายณัฏภัทร หนูขาว", "ทต.บ่อพลอย ลำดับ 4", "รองนายกเทศมนตรีตำบลบ่อพลอย"),
    DemoAccount("bp-mayor", "นายชัยเชษฐ พัฒนะพิชัย", "ทต.บ่อพลอย ลำดับ 5", "นายกเทศมนตรีตำบลบ่อพลอย"),
]
SAO_CHAIN = [
    DemoAccount("sao-office", "นายสมศักดิ์ ตั้งใจ", "อบต.ทดลองระบบ ลำดับ 1", "หัวหน้าสำนักปลัด"),
    DemoAccount("sao-clerk", "นางสาววันดี ซื่อตรง", "อบต.ทดลองระบบ ลำดับ 2", "ปลัดองค์การบริหารส่วนตำบล"),
    DemoAccount("sao-mayor", "นายบุญมี ใจกว้าง", "อบต.ทดลองระบบ ลำดับ 3", "นายกองค์การบริหารส่วนตำบลทดลองระบบ"),
]


ACCOUNTS = [
    DemoAccount(
        "officer",
        "นางสาวสุนิสา ใจดี",
        "เจ้าหน้าที่ผู้จัดทำ (นิติกร) ของ ทต.เขาหัวช้าง ทต.ถาวร ทต.บ่อพลอย",
        "นิติกรปฏิบัติการ",
    ),
    DemoAccount(
        "contributor",
        "นายสมชาย รักงาน",
        "ผู้รับผิดชอบในกองคลัง ทต.เขาหัวช้าง (เห็นเฉพาะมาตรการของกองคลัง)",
        "นักวิชาการเงินและบัญชีชำนาญการ",
    ),
    # Holds every step of two chains: no position of his own, so each block prints its step's title.
    DemoAccount("approver", "นายวิชัย มั่นคง", "ผู้บริหาร ทต.เขาหัวช้าง และ ทต.ถาวร (พิจารณาได้ทุกลำดับ) และอ่านเอกสาร ทต.บ่อพลอย"),
    DemoAccount("orgadmin", "นางพรทิพย์ ดูแล", "ผู้ดูแลหน่วยงาน ทต.เขาหัวช้าง", "นักทรัพยากรบุคคลชำนาญการ"),
    DemoAccount(
        "oversight",
        "นายประเสริฐ กำกับ",
        "ผู้กำกับดูแล (ท้องถิ่นจังหวัด) ทั้งจังหวัดนครปฐม และ ทต.เขาหัวช้าง ทต.ถาวร ทต.บ่อพลอย: เห็นสถานะ ไม่เห็นร่าง",
        "นักส่งเสริมการปกครองท้องถิ่นชำนาญการ",
    ),
    DemoAccount("newofficer", "นางสาวมาลี เริ่มต้น", "นิติกร อบต.ทดลองระบบ (หน่วยงานใหม่ ยังไม่มีข้อมูล)", "นิติกรปฏิบัติการ"),
    DemoAccount("admin", "ผู้ดูแลระบบ", "ผู้ดูแลระบบ (Django admin ที่ /admin/)"),
]


def _user(account: DemoAccount):
    User = get_user_model()
    title, first, last = split_title(account.name)
    user, created = User.objects.get_or_create(
        username=account.username,
        defaults={"first_name": first, "last_name": last, "email": f"{account.username}@demo.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if title and not Profile.objects.filter(user=user).exists():
        if user.first_name.startswith(title):  # a demo database made before profiles: the title was in the name
            user.first_name = user.first_name.removeprefix(title)
            user.save(update_fields=["first_name"])
        Profile.objects.create(user=user, title=title, position=account.position, acting_for=account.acting_for)
    return user


@transaction.atomic
def load_demo() -> list[DemoAccount]:
    """Load frameworks and the demo organisations (once); return the demo accounts."""
    base = Path(settings.BASE_DIR) / "fixtures"
    load_frameworks(base / "frameworks")
    users = {a.username: _user(a) for a in [*ACCOUNTS, BO_PHLOI_AUTHOR, *BO_PHLOI_CHAIN, *SAO_CHAIN]}
    admin = users["admin"]
    if not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True
        admin.save()
    officer = users["officer"]
    seeds = []
    for name in DEMO_FILES:
        data = read_json(base / "demo" / name)
        existing = Organisation.objects.filter(slug=data["organisation"]["slug"]).first()
        seeds.append(existing or load_demo_organisation(data, by=officer))
    new_org = Organisation.objects.filter(slug=NEW_ORGANISATION["slug"]).first() or _create_new_organisation()

    def member(user, org, role, unit=None):
        Membership.objects.get_or_create(user=user, organisation=org, role=role, unit=unit)

    for org in seeds:
        member(officer, org, Membership.Role.OFFICER)
        member(users["approver"], org, Membership.Role.APPROVER)
        member(users["oversight"], org, Membership.Role.OVERSIGHT)
    khao_hua_chang = seeds[0]
    member(users["orgadmin"], khao_hua_chang, Membership.Role.ORG_ADMIN)
    finance = Unit.objects.get(organisation=khao_hua_chang, name="กองคลัง")
    member(users["contributor"], khao_hua_chang, Membership.Role.CONTRIBUTOR, finance)
    # A whole province by one scope row (the new organisation's), the seeds one membership each.
    OversightScope.objects.get_or_create(user=users["oversight"], province=new_org.province, district="")
    member(users["newofficer"], new_org, Membership.Role.OFFICER)
    member(users["newofficer"], new_org, Membership.Role.ORG_ADMIN)

    bo_phloi = seeds[2]
    Membership.objects.get_or_create(
        user=users[BO_PHLOI_AUTHOR.username],
        organisation=bo_phloi,
        role=Membership.Role.OFFICER,
        defaults={"position": BO_PHLOI_AUTHOR.position},
    )
    _chain(bo_phloi, [(a.position, [users[a.username]]) for a in BO_PHLOI_CHAIN], officer)
    _chain(new_org, [(a.position, [users[a.username]]) for a in SAO_CHAIN], officer)
    for org in seeds[:2]:
        titles = workflow.default_chain_titles(org)
        _chain(org, [(title, [users["approver"]]) for title in titles], officer)
    return [*ACCOUNTS, BO_PHLOI_AUTHOR, *BO_PHLOI_CHAIN, *SAO_CHAIN]


def _chain(organisation: Organisation, steps: list[tuple[str, list]], by) -> None:
    """Give the organisation its demo approval chain (once), making each approver a member."""
    if organisation.approval_positions.exists():
        return
    for _title, people in steps:
        for user in people:
            Membership.objects.get_or_create(
                user=user,
                organisation=organisation,
                role=Membership.Role.APPROVER,
                defaults={"position": _title},
            )
    workflow.chain_save(
        organisation=organisation,
        by=by,
        rows=[{"title": title, "acting_for": "", "approvers": people} for title, people in steps],
    )


def _create_new_organisation() -> Organisation:
    spec = NEW_ORGANISATION
    organisation = Organisation.objects.create(
        name=spec["name"],
        kind=spec["kind"],
        district=spec["district"],
        province=spec["province"],
        slug=spec["slug"],
    )
    order = 0
    for name, kind, children in spec["units"]:
        order += 1
        parent = Unit.objects.create(organisation=organisation, name=name, kind=kind, order=order)
        for child in children:
            order += 1
            Unit.objects.create(
                organisation=organisation, name=child, kind=Unit.Kind.SECTION, parent=parent, order=order
            )
    return organisation
