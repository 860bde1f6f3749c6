"""Region totals (`gklint rollup`): 表二、表三、表四 of the departments' reports of one year added up cell by cell,
and the region's own report compared with the sums (GK605). Each report's tables are taken as `gklint extract
--format json` gives them, so the sums are exactly the sums of what extract shows.

Nothing is left out silently: a file not summed is in `not_read` with the reason; a cell a report could not
give a number for (text, an incomplete row, a table not read) is noted on that report and the summed cell is
marked incomplete, and an incomplete sum is never compared with the region's report."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from gklint.findings import Finding, location, table_name
from gklint.output.extract import to_dict
from gklint.report.model import Report

TABLES = ("T2", "T3", "T4")  # the statistics tables a region adds up
CODE = "GK605"
BLANK_SHOWN = 3  # a note names this many blank cells, then counts the rest


@dataclass
class Rollup:
    year: int | None
    reports: list[dict] = field(default_factory=list)  # {"path", "agency", "year", "notes"}: summed
    not_read: list[dict] = field(default_factory=list)  # {"path", "reason"}
    tables: dict = field(default_factory=dict)  # extract's shape: T2/T3/T4 -> {"name", "title", "rows": […]}

    def to_dict(self) -> dict:
        return {"reports": self.reports, "not_read": self.not_read, "tables": self.tables}


@dataclass
class _Cell:
    total: Decimal = Decimal(0)
    counted: int = 0  # reports whose number (or blank, as 0) is in the total
    missing: list = field(default_factory=list)  # {"path", "reason"}: reports not in the total


def _tables(report: Report) -> dict:
    """extract's tables of a report, only the statistics tables a region adds up."""
    return {k: t for k, t in to_dict(report)["tables"].items() if k in TABLES}


def row_name(key: str, label: str) -> str:
    """A row as people tell it apart: 表三's “1.属于国家秘密” is under （三） and “1.本机关不掌握…” under （四), so
    such a row is named with its group: “（三）1.属于国家秘密”; 表四's unlabeled row by its key (数量)."""
    m = re.fullmatch(r"\((.)\)\d+", key)
    if m and label[:1].isdigit():
        return f"（{m.group(1)}）{label}"
    return label or key


def year_of(reports: list[Report]) -> int | None:
    """The most common report year (the later one of a tie): the year a region's totals are of."""
    years = Counter(r.year for r in reports if r.year)
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


def why_not_summed(report: Report, year: int | None) -> str | None:
    """Why a readable report is not added up (in Chinese), or None."""
    tables = _tables(report)
    if not any("unreadable" not in t for t in tables.values()):
        return "没有可读取的统计表（表二、表三、表四）"
    if not report.year:
        return "未能确定报告年度（标题中没有年度）"
    if report.year != year:
        return f"是{report.year}年度的报告，只汇总{year}年度的报告（多数报告的年度）"
    return None


def total(reports: list[Report], not_read: list[dict]) -> Rollup:
    """Add up the reports (already chosen: one year, readable, with tables) cell by cell."""
    out = Rollup(year_of(reports), not_read=list(not_read))
    each = [(r, _tables(r)) for r in reports]
    shape: dict = {}  # table -> {"name", "title", "rows": {row key: {"label", "columns": [..]}}}
    for _r, tables in each:
        for key in TABLES:
            t = tables.get(key)
            if t is None or "unreadable" in t:
                continue
            s = shape.setdefault(key, {"name": t["name"], "title": t["title"], "rows": {}})
            for row in t["rows"]:
                cols = s["rows"].setdefault(row["key"], {"label": row_name(row["key"], row["label"]),
                                                         "columns": []})["columns"]
                for c in row.get("cells", []):
                    if c["column"] not in cols:
                        cols.append(c["column"])
    cells = {(t, rk, c): _Cell() for t, s in shape.items() for rk, row in s["rows"].items() for c in row["columns"]}
    for report, tables in each:
        notes: list[str] = []
        for key, s in shape.items():
            notes += _add(report.document.path, key, s, tables.get(key), cells)
        out.reports.append({"path": report.document.path, "agency": report.agency, "year": report.year,
                            "notes": notes})
    for key, s in shape.items():
        rows = []
        for rk, row in s["rows"].items():
            out_cells = []
            for col in row["columns"]:
                c = cells[(key, rk, col)]
                number = str(c.total) if c.counted else None
                cell = {"column": col, "value": number or "", "kind": "number" if c.counted else "blank",
                        "number": number, "reports": c.counted}
                if c.missing:
                    cell["incomplete"] = True
                    cell["not_counted"] = c.missing
                out_cells.append(cell)
            rows.append({"key": rk, "label": row["label"], "cells": out_cells})
        out.tables[key] = {"name": s["name"], "title": s["title"], "rows": rows}
    return out


def _add(path: str, key: str, shape: dict, table: dict | None, cells: dict) -> list[str]:
    """Add one report's table into the sums; what could not be added (or was blank) as notes."""
    name = shape["name"]
    if table is None or "unreadable" in table:
        reason = f"{name}未能读取（{table['unreadable']}）" if table else f"没有{name}"
        for (t, _rk, _c), cell in cells.items():
            if t == key:
                cell.missing.append({"path": path, "reason": reason})
        return [f"{reason}，{name}各单元格未计入这份报告"]
    notes, blanks = [], []
    rows = {r["key"]: r for r in table["rows"]}
    for rk, want in shape["rows"].items():
        row = rows.get(rk)
        given = {c["column"]: c for c in (row or {}).get("cells", [])}
        if row is None or row.get("incomplete"):
            reason = (f"{name}缺少“{want['label']}”行" if row is None
                      else f"{name}“{row_name(rk, row['label'])}”行的数值不完整（应有 {row['expected_values']} 个）")
            notes.append(reason + "，未计入")
            for col in want["columns"]:
                cells[(key, rk, col)].missing.append({"path": path, "reason": reason})
            continue
        label = row_name(rk, row["label"])
        for col in want["columns"]:
            c, cell = given.get(col), cells[(key, rk, col)]
            where = f"{name}「{label}」「{col}」列"
            if c is None:
                reason = f"{where}缺失"
            elif c["kind"] == "number":
                cell.total += Decimal(c["number"])
                cell.counted += 1
                continue
            elif c["kind"] in ("blank", "placeholder"):  # the template's 0 left blank or “—”: 0, said once
                cell.counted += 1
                blanks.append(f"「{label}」「{col}」列" + ("" if c["kind"] == "blank" else f"“{c['value']}”"))
                continue
            else:
                reason = f"{where}为“{c['value']}”，不是数字"
            notes.append(reason + "，未计入")
            cell.missing.append({"path": path, "reason": reason})
    if blanks:
        shown = "、".join(blanks[:BLANK_SHOWN]) + (f"等 {len(blanks)} 个单元格" if len(blanks) > BLANK_SHOWN else "")
        notes.append(f"{name}{shown}为空白或“—”，按 0 计")
    return notes


def compare(rollup: Rollup, region: Report) -> tuple[list[Finding], list[str]]:
    """The region's report against the sums: a GK605 warning for every cell that differs; what could not
    be compared (a blank or unreadable cell, an incomplete sum) as notes, never as a difference."""
    findings, notes = [], []
    n = len(rollup.reports)
    skipped = 0
    for key, t in rollup.tables.items():
        name = t["name"]
        bt = region.tables.get(key)
        if bt is None:
            why = f"（{region.unread[key][1]}）" if key in region.unread else ""
            notes.append(f"区域报告没有可读取的{name}{why}，{name}未比较")
            continue
        for row in t["rows"]:
            brow = bt.rows.get(row["key"])
            if brow is None or brow.incomplete:
                notes.append(f"区域报告{name}“{row['label']}”行" + ("缺失" if brow is None else "的数值不完整")
                             + "，未比较")
                continue
            for c in row["cells"]:
                if c.get("incomplete") or c["number"] is None:
                    skipped += 1
                    continue
                bc = brow.cells.get(c["column"])
                label = row_name(brow.key, brow.label)
                where = f"{name}「{label}」「{c['column']}」列"
                if bc is None:
                    notes.append(f"区域报告{where}缺失，未比较")
                    continue
                v, want = bc.value, Decimal(c["number"])
                if not v.is_number:
                    shown = "空白" if v.kind == "blank" else f"“{v.raw}”"
                    notes.append(f"区域报告{where}为{shown}，未比较（{n} 份部门报告之和为 {c['number']}）")
                    continue
                if v.number != want:
                    diff = abs(v.number - want)
                    loc = location(bc.loc, table=key, table_title=bt.title, row=brow.key, row_label=label,
                                   column=c["column"])
                    findings.append(Finding(
                        CODE, "warning",
                        f"{table_name(key) or name}「{label}」「{c['column']}」列：区域报告为 {v.raw}，"
                        f"{n} 份部门报告之和为 {c['number']}，相差 {diff}",
                        loc, expected=c["number"], found=v.raw))
    if skipped:
        notes.append(f"{skipped} 个单元格有部门报告未能计入（见各报告的说明），未与区域报告比较")
    return sorted(findings, key=Finding.sort_key), notes
