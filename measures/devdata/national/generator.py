"""The national generator: `generate()` plans each batch of organisations in a thread while the previous one is written.

One transaction per batch of organisations; the planner (planner.Planner) works in memory
while the writer (write.Writer) inserts. On PostgreSQL the session compresses large values with
lz4 instead of pglz (`_session_settings`), and at the end the statistics are gathered (ANALYZE).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, transaction

from measures.models import Organisation

from .planner import Planner
from .sources import read_frameworks
from .write import Writer

NATIONAL_PASSWORD = "ita-national-2567"  # noqa: S105 - the documented password of generated accounts


class GenerationRefused(Exception):
    """The database already has data, or the options make no sense; the message is Thai."""


class Generator:
    def __init__(
        self,
        *,
        organisations: int,
        years: int,
        seed: int,
        measures_min: int,
        measures_max: int,
        last_year: int | None,
        batch_size: int,
        log: Callable[[str], None],
    ):
        self.total, self.batch_size, self.log = organisations, batch_size, log
        frameworks = read_frameworks()
        if not frameworks:
            raise GenerationRefused("ยังไม่มีกรอบการประเมิน ITA ในฐานข้อมูล กรุณาโหลดก่อนด้วย manage.py load_frameworks")
        self.password = make_password(NATIONAL_PASSWORD, salt=f"national{seed}")
        self.planner = Planner(
            frameworks=frameworks,
            years=years,
            seed=seed,
            measures_min=measures_min,
            measures_max=measures_max,
            last_year=last_year,
            password=self.password,
        )
        self.writer = Writer(log=log)

    def run(self) -> dict[str, int]:
        """Plan each batch in a thread while the previous one is written (the database works meanwhile)."""
        started = time.monotonic()
        batches = [(first, min(self.total, first + self.batch_size)) for first in range(0, self.total, self.batch_size)]
        with _session_settings(), ThreadPoolExecutor(max_workers=1) as planning:
            future = planning.submit(self.planner.plan_batch, *batches[0])
            for n, (_first, last) in enumerate(batches):
                planned = future.result()
                if n + 1 < len(batches):
                    future = planning.submit(self.planner.plan_batch, *batches[n + 1])
                with transaction.atomic():
                    self.writer.write(planned)
                self.log(
                    f"หน่วยงาน {last:,}/{self.total:,} ({last * 100 / self.total:.1f}%) "
                    f"มาตรการ {self.writer.counts.get('measures.Measure', 0):,} รายการ "
                    f"· {format_duration(time.monotonic() - started)}"
                )
            with transaction.atomic():
                self.writer.oversight(self.planner.provinces_used, self.password)
        if connection.vendor == "postgresql":  # the planner's statistics, for whoever measures next
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.log(f"ANALYZE · {format_duration(time.monotonic() - started)}")
        return self.writer.counts


@contextmanager
def _session_settings():
    """On PostgreSQL, compress the large values (the snapshots, the HTML) with lz4 rather than pglz.

    Inserting 500 submissions' snapshots took half as long with lz4 (measured on the 2-core
    development machine); it is read back transparently (PostgreSQL 14+ built with lz4; where
    it is not available the setting is refused and pglz stays).
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW default_toast_compression")
        previous = cursor.fetchone()[0]
        try:
            with transaction.atomic():
                cursor.execute("SET default_toast_compression = 'lz4'")
        except DatabaseError:
            previous = None  # not available: nothing to restore
    try:
        yield
    finally:
        if previous is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('default_toast_compression', %s, false)", [previous])


def format_duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} นาที {seconds} วินาที" if minutes else f"{seconds} วินาที"


def generate(
    *,
    organisations: int,
    years: int,
    seed: int = 2567,
    measures_min: int = 10,
    measures_max: int = 30,
    last_year: int | None = None,
    batch_size: int = 100,
    log: Callable[[str], None] = lambda _line: None,
) -> dict[str, int]:
    """Fill the empty database; return the number of rows written per model ("app.Model" → n).

    Refuses (GenerationRefused, a Thai message) when an organisation exists already, when the
    frameworks are missing, or when the options are out of range.
    """
    if organisations < 1 or years < 1:
        raise GenerationRefused("จำนวนหน่วยงานและจำนวนปีต้องมากกว่า 0")
    if not 1 <= measures_min <= measures_max:
        raise GenerationRefused("จำนวนมาตรการต่ำสุดต้องอย่างน้อย 1 และไม่มากกว่าจำนวนสูงสุด")
    existing = Organisation.objects.count()
    if existing:
        raise GenerationRefused(
            f"ฐานข้อมูลนี้มีหน่วยงานอยู่แล้ว {existing:,} แห่ง จึงไม่สร้างข้อมูลทดสอบซ้ำหรือปนกับข้อมูลเดิม "
            "กรุณาใช้ฐานข้อมูลใหม่ที่ว่าง (manage.py migrate แล้วเรียกคำสั่งนี้)"
        )
    generator = Generator(
        organisations=organisations,
        years=years,
        seed=seed,
        measures_min=measures_min,
        measures_max=measures_max,
        last_year=last_year,
        batch_size=batch_size,
        log=log,
    )
    fiscal_years = generator.planner.fiscal_years
    log(
        f"ปีงบประมาณ {fiscal_years[0]}–{fiscal_years[-1]} · หน่วยงาน {organisations:,} แห่ง "
        f"· มาตรการ {measures_min}–{measures_max} รายการต่อเอกสาร · seed {seed}"
    )
    return generator.run()
