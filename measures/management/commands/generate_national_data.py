"""Fill an empty database with synthetic data at national scale (see measures.devdata.national).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_national \\
        .venv/bin/python manage.py generate_national_data --organisations 7850 --years 5
"""

import time

from django.core.management.base import BaseCommand, CommandError

from measures.devdata.national import NATIONAL_PASSWORD, GenerationRefused, format_duration, generate


class Command(BaseCommand):
    help = (
        "สร้างข้อมูลทดสอบระดับประเทศ (หน่วยงาน ส่วนราชการ ผู้ใช้ ผลการประเมิน มาตรการ รายงานผล การอนุมัติ "
        "และเอกสารที่เผยแพร่) ในฐานข้อมูลที่ยังไม่มีหน่วยงาน"
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, required=True, help="จำนวนหน่วยงาน (ทั้งประเทศประมาณ 7850)")
        parser.add_argument("--years", type=int, required=True, help="จำนวนปีงบประมาณ นับย้อนจากปีล่าสุด")
        parser.add_argument("--seed", type=int, default=2567, help="ค่าตั้งต้นของการสุ่ม (ค่าเดียวกันได้ข้อมูลเดียวกัน)")
        parser.add_argument("--measures-min", type=int, default=10, help="จำนวนมาตรการต่ำสุดต่อเอกสาร")
        parser.add_argument("--measures-max", type=int, default=30, help="จำนวนมาตรการสูงสุดต่อเอกสาร")
        parser.add_argument(
            "--last-year", type=int, default=None, help="ปีงบประมาณล่าสุด (พ.ศ.) ค่าเริ่มต้นคือปีของกรอบการประเมินล่าสุด + 1"
        )
        parser.add_argument("--batch", type=int, default=100, help="จำนวนหน่วยงานต่อหนึ่งธุรกรรม")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            counts = generate(
                organisations=options["organisations"],
                years=options["years"],
                seed=options["seed"],
                measures_min=options["measures_min"],
                measures_max=options["measures_max"],
                last_year=options["last_year"],
                batch_size=max(1, options["batch"]),
                log=self.stdout.write,
            )
        except GenerationRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"สร้างข้อมูลเสร็จใน {format_duration(elapsed)} ({elapsed:.1f} วินาที) รวม {sum(counts.values()):,} แถว"
            )
        )
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label:<40} {n:>12,}")
        self.stdout.write(
            f"ผู้ใช้: <ชื่อย่อหน่วยงาน>-officer (เจ้าหน้าที่ผู้จัดทำ), <ชื่อย่อหน่วยงาน>-approver (ผู้บริหาร ทุกลำดับการพิจารณา), "
            f"oversight-<จังหวัด> (ผู้กำกับดูแลทั้งจังหวัด) รหัสผ่าน {NATIONAL_PASSWORD}"
        )
