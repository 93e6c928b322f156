"""What changed between two editions, line by line and, inside a line, word by word.

Thai is written without spaces between words, so a diff by characters cuts words apart and a
diff by spaces sees whole sentences as one word. Lines are cut into words with PyThaiNLP's
dictionary segmenter (newmm), then compared with difflib.
"""

from difflib import SequenceMatcher
from functools import lru_cache

from . import analysis, editions, numbering, texts

LABELS = {
    "title": "ชื่อเอกสาร",
    "introduction": "บทนำ",
    "analysis_introduction": "บทนำของผลการวิเคราะห์",
    "measures_introduction": "บทนำของมาตรการ",
    "issue": "ประเด็น",
    "items": "ข้อคำถาม",
    "indicators": "ตัวชี้วัด",
    "steps": "ขั้นตอน",
    "units": "ผู้รับผิดชอบ",
    "owner": "ผู้รับผิดชอบ (บุคคล)",
    "period": "ระยะเวลา",
    "deadline": "กำหนดแล้วเสร็จ",
    "monitoring": "การติดตามผล",
    "target": "เป้าหมาย",
    "budget": "งบประมาณ",
    "status": "สถานะ",
    "percent": "ร้อยละ",
    "summary": "สรุปผลการดำเนินงาน",
    "outcome": "ผลลัพธ์",
    "problems": "ปัญหาอุปสรรค",
    "suggestions": "ข้อเสนอแนะ",
    "completed_on": "วันที่แล้วเสร็จ",
}
RESULT_FIELDS = ("status_label", "percent", "summary", "outcome", "problems", "suggestions", "completed_on")


def _text(value) -> str:
    if isinstance(value, list):
        return "\n".join(f"{n}. {v}" for n, v in enumerate(value, start=1))
    if value is None:
        return ""
    return str(value)


def _steps_text(steps: list[str]) -> str:
    """The steps as printed: the officer's own markers, or the portal's numbers (measures.numbering)."""
    return "\n".join(" ".join(x for x in (line.marker, line.text) if x) for line in numbering.step_lines(steps))


def _period_text(measure: dict) -> str:
    """The period by day (a change of day shows), with the months it prints when typed without days
    (a change of precision alone shows too)."""
    by_day = texts.period_text(measure, by_day=True).replace("\xa0", " ")
    printed = texts.period_text(measure).replace("\xa0", " ")
    return by_day if printed in ("", by_day) else f"{printed} ({by_day})"


def _assessment_lines(assessment: dict | None, year: int) -> dict[str, str]:
    where = f"ผลการประเมิน ITA ปี {year}"
    if assessment is None:
        return {}
    lines = {f"{where} — คะแนนรวม": _text(assessment["total"]), f"{where} — ระดับ": assessment["rating"]}
    for tool in assessment["tools"]:
        lines[f"{where} — {tool['code']}"] = _text(tool["score"])
        for part in tool["parts"]:
            lines[f"{where} — {tool['code']} {part['name']}"] = _text(part["score"])
        for indicator in tool["indicators"]:
            lines[f"{where} — ตัวชี้วัดที่ {indicator['number']}"] = _text(indicator["score"])
    return lines


def edition_lines(data: dict) -> dict[str, str]:
    """An edition as 'where → text' pairs, in reading order, that can be compared one by one."""
    if data.get("schema") != editions.SCHEMA:
        return _legacy_lines(data)
    lines = {
        "ชื่อหน่วยงาน": data["organisation"]["name"],
        LABELS["title"]: data["title"],
        LABELS["introduction"]: data["introduction"],
    }
    if data["kind"] == "measures":
        lines |= _assessment_lines(data["assessment"], data["analysed_year"])
        lines[LABELS["analysis_introduction"]] = data.get("analysis_introduction", "")
        for n, finding in enumerate(data["findings"], start=1):
            heading = analysis.finding_heading(finding)
            lines[f"ผลการวิเคราะห์ {n}"] = f"{heading}: {finding['text']}"
        for limitation in data.get("limitations", []):
            lines[analysis.limitation_heading(limitation)] = limitation["text"]
        lines[LABELS["measures_introduction"]] = data.get("measures_introduction", "")
    for theme in data["themes"]:
        lines[f"ด้านที่ {theme['number']}"] = theme["title"]
    for measure in data["measures"]:
        where = f"มาตรการ {measure['number']}"
        lines[where] = " ".join(x for x in (measure.get("number_text", ""), measure["title"]) if x)
        values = {key: measure[key] for key in ("issue", "items", "owner", "monitoring", "target", "budget")}
        values["steps"] = _steps_text(measure["steps"])
        values["units"] = texts.unit_names(measure)
        values["period"] = _period_text(measure)
        values["deadline"] = measure["deadline"]
        for key, value in values.items():
            lines[f"{where} — {LABELS[key]}"] = _text(value)
        result = measure.get("result")
        if data["kind"] == "report":
            for key in RESULT_FIELDS:
                label = LABELS["status" if key == "status_label" else key]
                lines[f"{where} — {label}"] = _text((result or {}).get(key, ""))
    return lines


def _legacy_lines(snapshot: dict) -> dict[str, str]:
    """A snapshot written before editions carried their whole data (title, findings, measures)."""
    lines = {
        LABELS["title"]: _text(snapshot.get("title", "")),
        LABELS["introduction"]: _text(snapshot.get("introduction", "")),
    }
    for n, finding in enumerate(snapshot.get("findings", []), start=1):
        lines[f"ผลการวิเคราะห์ {n}"] = f"{finding['kind']}: {finding['text']}"
    for theme in snapshot.get("themes", []):
        lines[f"ด้านที่ {theme['number']}"] = theme["title"]
    for row in snapshot.get("measures", []) + snapshot.get("entries", []):
        where = f"มาตรการ {row['number']}"
        lines[where] = row["title"]
        for key, value in row.items():
            if key not in ("number", "title"):
                lines[f"{where} — {LABELS.get(key, key)}"] = _text(value)
    return lines


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """Thai text cut into words (spaces and line breaks kept as tokens of their own)."""
    if not text:
        return ()
    from pythainlp.tokenize import word_tokenize  # noqa: PLC0415 - loads its dictionary on first use

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=True))


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op "same", "del" or "ins": the new text with the removed words in place."""
    a, b = words(old), words(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("ins", "".join(b[j1:j2])))
    return out


def edition_diff(old: dict, new: dict) -> list[dict]:
    """What changed between two editions: [{'where', 'old', 'new', 'words'}], in reading order."""
    before, after = edition_lines(old), edition_lines(new)
    keys = list(dict.fromkeys([*after, *before]))
    changes = []
    for key in keys:
        old_text, new_text = before.get(key, ""), after.get(key, "")
        if old_text != new_text:
            changes.append(
                {
                    "where": key,
                    "old": old_text,
                    "new": new_text,
                    "words": word_diff(old_text, new_text),
                    "added": key not in before,
                    "removed": key not in after,
                }
            )
    return changes
