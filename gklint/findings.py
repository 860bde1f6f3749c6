"""Findings: what a rule reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypedDict

SEVERITIES = ("info", "warning", "error")


@dataclass
class Finding:
    code: str
    severity: str
    message: str
    location: Location = field(default_factory=dict)  # table/row/column labels, line or paragraph, grid position
    expected: str | None = None
    found: str | None = None
    snippet: str | None = None  # the sentence a text finding is about
    span: tuple[int, int] | None = None  # the offending characters within snippet

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.get("line") or loc.get("para") or 0, loc.get("grid_row") or 0, loc.get("grid_col") or 0, self.code)

    def to_dict(self) -> dict:
        d = {"code": self.code, "severity": self.severity, "message": self.message, "location": self.location}
        if self.expected is not None:
            d["expected"] = self.expected
        if self.found is not None:
            d["found"] = self.found
        if self.snippet is not None:
            d["snippet"] = self.snippet
            d["span"] = list(self.span) if self.span else None
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Finding":
        span = d.get("span")
        return cls(d["code"], d["severity"], d["message"], d.get("location", {}), d.get("expected"),
                   d.get("found"), d.get("snippet"), tuple(span) if span else None)


def excerpt(text: str, start: int, end: int, width: int = 30) -> tuple[str, tuple[int, int]]:
    """The match with up to `width` characters either side, clipped at sentence ends; span relative to it."""
    left = max(0, start - width)
    for ch in "。；！？":
        i = text.rfind(ch, left, start)
        if i >= 0:
            left = max(left, i + 1)
    right = min(len(text), end + width)
    cut = [i for i in (text.find(ch, end, right) for ch in "。；！？") if i >= 0]
    if cut:
        right = min(cut) + 1
    prefix = "…" if left > 0 else ""
    snippet = prefix + text[left:right] + ("…" if right < len(text) else "")
    return snippet, (start - left + len(prefix), end - left + len(prefix))


class Location(TypedDict, total=False):
    """Where a finding is, as JSON carries it: the document Loc's numbers and the labels binding gave."""
    line: int  # text: 1-based line
    para: int  # .docx: 1-based paragraph, as Word counts
    page: int  # PDF
    table_index: int  # 1-based table in document order; with grid_row / grid_col its cell
    grid_row: int
    grid_col: int
    table_name: str  # '表三', '表三（续）'
    table: str  # the rule set's table key ('T3') and its labels
    table_title: str
    row: str
    row_label: str
    column: str
    section: str  # '一'…'六'
    cells: list  # every cell an identity or a comparison used
    previous: dict  # the cell of last year's report (checks across years)


def location(loc=None, **labels) -> Location:
    """A location dict from a document Loc plus table/row/column labels."""
    out = {k: v for k, v in labels.items() if v not in (None, "")}
    if table_name(out.get("table")):
        out["table_name"] = table_name(out["table"])
    if loc is not None:
        if loc.line is not None:
            out["line"] = loc.line
        if loc.para is not None:
            out["para"] = loc.para
        if loc.table is not None:
            out["table_index"] = loc.table
        if loc.table_name is not None:
            out["table_name"] = loc.table_name  # '表三（续）' for the part after a break
        if loc.row is not None:
            out["grid_row"] = loc.row
        if loc.col is not None:
            out["grid_col"] = loc.col
        if loc.page is not None:
            out["page"] = loc.page
    return out


_CN = "〇一二三四五六七八九十"


def table_name(key: str | None) -> str | None:
    """The national format's name for a bound table: T2 -> 表二, T3 -> 表三, T4 -> 表四."""
    m = re.fullmatch(r"T(\d{1,2})", key or "")
    if not m or not 0 < int(m.group(1)) <= 10:
        return None
    return "表" + _CN[int(m.group(1))]


def _table_words(loc: dict) -> str:
    """'表三（收到和处理政府信息公开申请情况）', '第3张表格' for a table binding did not recognise, or ''."""
    name = loc.get("table_name") or table_name(loc.get("table"))
    if not name and loc.get("table_index"):
        name = f"第{loc['table_index']}张表格"
    title = loc.get("table_title")
    if name and title and title not in name:
        return f"{name}（{title}）"
    return name or title or ""


def cell_ref(row, column: str, cell) -> dict:
    """One bound table cell as findings list it in location["cells"] (JSON, SARIF, the drawn table)."""
    return {"row": row.key, "row_label": row.label, "column": column, "value": cell.value.raw,
            "grid_row": cell.loc.row, "grid_col": cell.loc.col, "line": cell.loc.line, "table_index": cell.loc.table}


def describe(loc: dict) -> str:
    """'表三（收到和处理政府信息公开申请情况） （七）总计 「总计」列 第12行第10列' for messages and concise output."""
    parts = []
    table = _table_words(loc)
    if table:
        parts.append(table)
    if loc.get("row_label"):
        parts.append(loc["row_label"])
    if loc.get("column"):
        parts.append(f"「{loc['column']}」列")
    if loc.get("section"):
        parts.append(f"第{loc['section']}部分")
    if loc.get("grid_row") and not loc.get("line"):
        parts.append(f"第{loc['grid_row']}行" + (f"第{loc['grid_col']}列" if loc.get("grid_col") else ""))
    elif loc.get("line"):
        parts.append(f"第{loc['line']}行")
    elif loc.get("para") and not table:
        parts.append(f"第{loc['para']}段")
    if loc.get("page"):
        parts.insert(0, f"第{loc['page']}页")
    return " ".join(parts)
