"""The columns of a measures spreadsheet, declared once in MEASURE_COLUMNS: the export writes
them, the template offers them and the import reads them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from ..models import Measure
from .cells import (
    THEME_NUMBER_HEADER,
    date_text,
    flag_text,
    parse_budget,
    parse_date,
    parse_flag,
    parse_indicators,
    parse_items,
    parse_long_text,
    parse_number,
    parse_steps,
    parse_text,
    parse_typed_number,
    parse_units,
    period_date_text,
    steps_text,
)

if TYPE_CHECKING:
    from .imports import Context


@dataclass(frozen=True)
class SheetColumn:
    """One column of the measures spreadsheet: its header, how to fill it, export and import."""

    key: str
    header: str
    help: str
    export: Callable[[Measure], object]
    parse: Callable[[object, "Context"], object]
    required: bool = False


MEASURE_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn(
        "theme_number",
        THEME_NUMBER_HEADER,
        gettext_lazy("เลขของด้าน เช่น 1 หรือ ๑ เว้นว่างถ้าไม่จัดกลุ่มมาตรการเป็นด้าน"),
        lambda m: m.theme.number if m.theme_id else None,
        parse_number,
    ),
    SheetColumn(
        "theme_title",
        gettext_lazy("ชื่อด้าน"),
        gettext_lazy("เช่น ด้านการเปิดเผยข้อมูล ด้านที่มีอยู่แล้วในเอกสารหรือกรอกชื่อไว้ในแถวอื่นแล้วเว้นว่างได้"),
        lambda m: m.theme.title if m.theme_id else "",
        parse_text(300),
    ),
    SheetColumn(
        "number",
        gettext_lazy("ลำดับมาตรการ"),
        gettext_lazy(
            "ลำดับของมาตรการในด้าน เช่น 2 สำหรับมาตรการ 1.2 ห้ามซ้ำกับมาตรการที่มีอยู่แล้ว "
            "พิมพ์ตามแบบของเอกสารได้ เช่น 2) หรือ (๒) เอกสารจะพิมพ์ตามที่พิมพ์ไว้"
        ),
        lambda m: m.number_text or m.number,
        parse_typed_number,
        required=True,
    ),
    SheetColumn(
        "title",
        gettext_lazy("มาตรการ/แนวทาง"),
        gettext_lazy("ชื่อมาตรการ โครงการ หรือกิจกรรม"),
        lambda m: m.title,
        parse_text(2000),
        required=True,
    ),
    SheetColumn(
        "issue",
        gettext_lazy("ประเด็นที่ต้องปรับปรุงแก้ไข/พัฒนา"),
        gettext_lazy("ประเด็นจากผลการวิเคราะห์ที่มาตรการนี้แก้ไข"),
        lambda m: m.issue,
        parse_long_text,
    ),
    SheetColumn(
        "indicators",
        gettext_lazy("ตัวชี้วัด"),
        gettext_lazy("เลขตัวชี้วัด ITA คั่นด้วยจุลภาค เช่น 1, 9"),
        lambda m: ", ".join(str(i.number) for i in sorted(m.indicators.all(), key=lambda i: i.number)),
        parse_indicators,
    ),
    SheetColumn(
        "items",
        gettext_lazy("ข้อคำถาม"),
        gettext_lazy("รหัสข้อคำถามคั่นด้วยจุลภาค เช่น I13, E5, O35"),
        lambda m: ", ".join(i.code for i in m.items.all()),
        parse_items,
    ),
    SheetColumn(
        "steps",
        gettext_lazy("ขั้นตอน/วิธีการปฏิบัติ"),
        gettext_lazy(
            "บรรทัดละหนึ่งขั้นตอน (ใน Excel กด Alt+Enter เพื่อขึ้นบรรทัดใหม่ในช่องเดียวกัน) "
            "เลขข้อหรือเครื่องหมายที่พิมพ์ เช่น 1) หรือ - จะพิมพ์ในเอกสารตามนั้น ถ้าไม่พิมพ์ ระบบจะใส่เลขลำดับให้"
        ),
        steps_text,
        parse_steps,
    ),
    SheetColumn(
        "units",
        gettext_lazy("หน่วยงานผู้รับผิดชอบ"),
        gettext_lazy("ชื่อกอง/สำนัก/งานตามที่ตั้งไว้ในระบบ หลายหน่วยให้ขึ้นบรรทัดใหม่หรือคั่นด้วยจุลภาค"),
        lambda m: "\n".join(u.name for u in m.units.all()),
        parse_units,
    ),
    SheetColumn(
        "all_units",
        gettext_lazy("ทุกกอง/สำนัก"),
        gettext_lazy("ใส่ “ใช่” ถ้าทุกกอง/สำนักรับผิดชอบร่วมกัน"),
        lambda m: flag_text(m.all_units),
        parse_flag,
    ),
    SheetColumn(
        "owner",
        gettext_lazy("ผู้รับผิดชอบ (บุคคล/ตำแหน่ง)"),
        gettext_lazy("เช่น นิติกร หรือ ปลัดเทศบาล"),
        lambda m: m.owner,
        parse_text(300),
    ),
    SheetColumn(
        "period_start",
        gettext_lazy("ระยะเวลา: เริ่ม"),
        gettext_lazy("วันที่ พ.ศ. เช่น 01/10/2566 หรือเดือน เช่น ต.ค. 2566 (นับจากวันแรกของเดือน)"),
        lambda m: period_date_text(m, "period_start"),
        parse_date(end_of_month=False),
    ),
    SheetColumn(
        "period_end",
        gettext_lazy("ระยะเวลา: สิ้นสุด"),
        gettext_lazy("วันที่ พ.ศ. เช่น 30/09/2567 หรือเดือน เช่น ก.ย. 2567 (นับถึงวันสุดท้ายของเดือน)"),
        lambda m: period_date_text(m, "period_end"),
        parse_date(end_of_month=True),
    ),
    SheetColumn(
        "whole_year",
        gettext_lazy("ตลอดปีงบประมาณ"),
        gettext_lazy("ใส่ “ใช่” ถ้าดำเนินการตลอดปีงบประมาณ"),
        lambda m: flag_text(m.whole_year),
        parse_flag,
    ),
    SheetColumn(
        "monitoring",
        gettext_lazy("การติดตามและรายงานผล"),
        gettext_lazy("วิธีกำกับติดตามและรายงานผล"),
        lambda m: m.monitoring,
        parse_long_text,
    ),
    SheetColumn(
        "target",
        gettext_lazy("เป้าหมาย/ตัวชี้วัดความสำเร็จ"),
        gettext_lazy("เป้าหมายที่วัดได้"),
        lambda m: m.target,
        parse_long_text,
    ),
    SheetColumn(
        "budget",
        gettext_lazy("งบประมาณ (บาท)"),
        gettext_lazy("ตัวเลข เช่น 15000 หรือ ๑๕,๐๐๐ เว้นว่างถ้าไม่ใช้งบประมาณ"),
        lambda m: m.budget,
        parse_budget,
    ),
    SheetColumn(
        "deadline",
        gettext_lazy("กำหนดแล้วเสร็จ"),
        gettext_lazy("วันที่ พ.ศ. เช่น 31/03/2567"),
        lambda m: date_text(m.deadline),
        parse_date(end_of_month=True),
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in MEASURE_COLUMNS}
