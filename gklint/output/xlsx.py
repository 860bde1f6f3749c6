"""An Excel workbook of a check, for reviewing offices: 汇总 (one row per file, as the HTML summary table) and
问题 (one row per finding, as the CSV). It is built from the per-file dicts of `check --output-format json`, so
the server's store can make one from what it kept. Cells are values, never formulas; the bytes do not depend on
the time of day (tests and caches compare them)."""

from __future__ import annotations

import io
import re
import zipfile
from gklint.findings import describe
from gklint.output.summary import MAIN_CODES, by_frequency

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
UNREADABLE = ("GK001", "GK007")  # not read / not checked within the limits: the file has no other finding
FIXED_TIME = "2000-01-01T00:00:00Z"
SUMMARY_HEADER = ["文件", "机关", "年度", "状态", "错误", "警告", "提示", "主要问题代码"]
FINDINGS_HEADER = ["文件", "机关", "年度", "代码", "级别", "说明", "位置", "应为", "实际"]
MAX_WIDTH = 60  # characters; longer messages wrap in the cell


class MissingLibrary(Exception):
    """openpyxl is an optional dependency (the `xlsx` extra)."""

    def __init__(self):
        super().__init__("输出 Excel 工作簿需要 openpyxl：pip install 'gklint[xlsx]'")


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise MissingLibrary() from None
    return openpyxl


def status(d: dict) -> str:
    """有错误 / 仅有警告 / 通过 / 无法读取 / 非年报 of one file dict (未提交 is a missing agency's)."""
    if unreadable(d):
        return "无法读取"
    if d.get("skipped"):
        return "非年报"
    counts = counts_of(d)
    return "有错误" if counts["error"] else "仅有警告" if counts["warning"] else "通过"


def unreadable(d: dict) -> bool:
    # check's JSON has no "unreadable" key: such a file has no rule set and only its GK001/GK007
    if "unreadable" in d:
        return bool(d["unreadable"])
    findings = d.get("findings") or []
    return not d.get("template") and any(f.get("code") in UNREADABLE for f in findings)


def counts_of(d: dict) -> dict:
    if d.get("counts"):
        return {s: int(d["counts"].get(s, 0)) for s in SEVERITY}
    return {s: sum(1 for f in d.get("findings") or [] if f.get("severity") == s) for s in SEVERITY}


def main_codes(d: dict) -> list[str]:
    return by_frequency(f.get("code", "") for f in d.get("findings") or [])[:MAIN_CODES]


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # XML 1.0 cannot carry them


def _value(value):
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return _ILLEGAL.sub("", str(value))


def sheet(wb, title: str, header: list[str], rows: list[list], first: bool = False):
    """A sheet of values: a bold frozen header with a filter, columns as wide as their text (up to MAX_WIDTH)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from gklint.output.text import width

    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    widths = [width(h) for h in header]
    for r, row in enumerate([header, *rows], start=1):
        for c, raw in enumerate(row, start=1):
            value = _value(raw)
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=HYPERLINK(…)" from a report stays text: openpyxl would write a formula
                widths[c - 1] = max(widths[c - 1], min(MAX_WIDTH, width(value)))
                if width(value) > MAX_WIDTH:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif value is not None:
                widths[c - 1] = max(widths[c - 1], len(str(value)))
            if r == 1:
                cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w + 2
    return ws


def new_workbook():
    return _openpyxl().Workbook()


def save(wb) -> bytes:
    """The workbook's bytes, the same for the same content: fixed document times and zip entry times."""
    import datetime

    wb.properties.created = datetime.datetime(2000, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving as "modified"
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + FIXED_TIME.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def workbook(files: list[dict], missing: list[str] = ()) -> bytes:
    """The workbook of a check: `files` as `check --output-format json` gives them (optionally with
    "submitted_at" and "submission_id"), `missing` the agencies expected but not submitted."""
    wb = new_workbook()
    submitted = any(d.get("submitted_at") for d in files)
    header = SUMMARY_HEADER + (["提交时间"] if submitted else [])
    rows = []
    for d in files:
        counts = counts_of(d)
        row = [d.get("path", ""), d.get("agency") or "", d.get("report_year"), status(d),
               counts["error"], counts["warning"], counts["info"], " ".join(main_codes(d))]
        rows.append(row + ([d.get("submitted_at") or ""] if submitted else []))
    for agency in missing:
        rows.append(["", agency, None, "未提交", None, None, None, ""] + ([""] if submitted else []))
    sheet(wb, "汇总", header, rows, first=True)
    findings = []
    for d in files:
        for f in d.get("findings") or []:
            findings.append([d.get("path", ""), d.get("agency") or "", d.get("report_year"), f.get("code", ""),
                             SEVERITY.get(f.get("severity"), f.get("severity", "")), f.get("message", ""),
                             describe(f.get("location") or {}), f.get("expected"), f.get("found")])
    sheet(wb, "问题", FINDINGS_HEADER, findings)
    return save(wb)


def file_dicts(results) -> list[dict]:
    """The per-file dicts of `check --output-format json`, with whether the file could be read."""
    from gklint.output.machine import file_dict

    return [{**file_dict(r), "unreadable": r.unreadable} for r in results]


def xlsx_output(results, run) -> bytes:
    return workbook(file_dicts(results))
