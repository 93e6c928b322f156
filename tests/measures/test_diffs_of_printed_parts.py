"""The approvers' list of changes covers every part issue 17 added to the print: the introductions,
the limitations of each tool, the heading a finding prints under, a measure's typed number, its
steps as typed and the precision of its period."""

import copy
from datetime import date

from measures import diffs, editions


def _changes(old: dict, new: dict) -> dict[str, tuple[str, str]]:
    return {c["where"]: (c["old"], c["new"]) for c in diffs.edition_diff(old, new)}


def _edition(measure):
    measure.period_start, measure.period_end = date(2022, 10, 1), date(2023, 3, 31)
    measure.period_precision = "day"
    measure.save()
    return editions.edition_data(measure.document)


def test_introductions_and_limitations_show_as_changes(measure):
    old = _edition(measure)
    new = copy.deepcopy(old)
    new["analysis_introduction"] = "ผลการวิเคราะห์มีดังนี้"
    new["measures_introduction"] = "มาตรการมีดังนี้"
    new["limitations"] = [{"tool": "EIT", "tool_name": "แบบวัด EIT", "text": "ผู้ตอบมีน้อย"}]
    changes = _changes(old, new)
    assert changes["บทนำของผลการวิเคราะห์"] == ("", "ผลการวิเคราะห์มีดังนี้")
    assert changes["บทนำของมาตรการ"] == ("", "มาตรการมีดังนี้")
    assert changes["ข้อจำกัดของเครื่องมือ EIT"] == ("", "ผู้ตอบมีน้อย")


def test_a_change_of_precision_alone_shows(measure):
    old = _edition(measure)
    new = copy.deepcopy(old)
    new["measures"][0]["period"]["precision"] = "month"
    (where,) = [w for w in _changes(old, new) if w.endswith("ระยะเวลา")]
    before, after = _changes(old, new)[where]
    assert before == "1 ต.ค. 2565 – 31 มี.ค. 2566"
    assert after.startswith("ต.ค. 2565 – มี.ค. 2566")


def test_typed_steps_and_numbers_are_compared_as_printed(measure):
    old = _edition(measure)
    old["measures"][0]["steps"] = ["ดำเนินการ ดังนี้", "๑) ประชุม", "๒) ประกาศ"]
    new = copy.deepcopy(old)
    new["measures"][0]["number_text"] = "1)"
    changes = _changes(old, new)
    (title,) = [w for w in changes if w.startswith("มาตรการ") and "—" not in w]
    assert changes[title][1].startswith("1) ")
    steps = diffs.edition_lines(old)[f"{title} — ขั้นตอน"]
    assert steps == "ดำเนินการ ดังนี้\n๑) ประชุม\n๒) ประกาศ"
