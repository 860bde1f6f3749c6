"""GK600–GK604: a report compared with the same agency's report of the year before.

The per-file pass keeps `facts(report)`: the table cells, the tables it could not read and the narrative
sentences, small and JSON-safe (they cross process boundaries and live in the cache). Once the whole run is
read, gklint/run/pairing.py pairs reports by agency and year and `check_pair` runs the rule set's `across` rules
on two facts. The rules:

- an expression (`expr`) in the identity language, where P("行", "列") is the previous year's cell
  (二、上年结转 = last year's 四、结转下年度继续办理; 现行有效件数 = last year's + 本年制发 − 本年废止);
- `check = "carried_text"`: a sentence that is also in last year's report and carries last year's year or a
  count this year's tables do not vouch for (through the GK501 claims), one finding per section;
- `check = "same_tables"`: every statistics cell identical to last year's;
- `check = "not_evaluated"`: what could not be compared, said once per pair.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, TypedDict

from gklint.findings import Finding, Location, location, table_name
from gklint.ruleset.expr import ExprError, compare, parse, side_value

FACTS_VERSION = 1
MIN_SENTENCE = 12  # characters: shorter sentences ("无。", "详见下表。") are the same every year and say nothing
MIN_NONZERO = 3  # tables of zeros repeat legitimately (no applications in either year)
SENTENCE_SECTIONS = ["一", "五", "六"]  # the narrative parts; 二–四 hold the tables (flattened copies: their text)
_SENTENCE = re.compile(r"[^。；！？!?\n]+[。；！？!?]?")
_UNITS = "件|条|次|人次|个|项|篇|期|场|份|万元|元|家|人|户|批"


def codes(ruleset) -> set[str]:
    """The enabled rules of this kind in a rule set, read from its merged TOML (no validation, no imports:
    a run answered from the cache asks this of every report)."""
    return {code for code, spec in ruleset.raw.get("rules", {}).items()
            if isinstance(spec, dict) and spec.get("kind") == "across" and spec.get("enabled", True) is not False}


def validate(rule, ruleset, where):
    from gklint.checks.identity import check_refs
    from gklint.ruleset.loader import RuleSetError

    check = rule.params.get("check")
    if check is not None:
        extra = [k for k in ("expr", "table", "for_each") if k in rule.params]
        if extra:
            raise RuleSetError(f"check = {check!r} 的规则不用 {extra[0]}", key=f"{where}.{extra[0]}")
        return
    for key in ("table", "expr"):
        if key not in rule.params:
            raise RuleSetError(f"跨年度等式规则必须有 {key}（或写 check）", key=f"{where}.{key}")
    try:
        expr = parse(rule.params["expr"])
    except ExprError as exc:
        raise RuleSetError(str(exc), key=f"{where}.expr") from None
    if not any(r.previous for r in expr.refs()) or all(r.previous for r in expr.refs()):
        raise RuleSetError("跨年度等式要同时用到本年报告的 T(...) 和上一年度报告的 P(...)", key=f"{where}.expr")
    check_refs(expr, rule, ruleset, where)


# --- what a report keeps for the comparison ---------------------------------------------------------------

class FactCell(NamedTuple):
    """One statistics cell as the next year's check needs it (a JSON list in workers' results and the cache)."""
    number: str | None  # the Decimal as text; None: blank or not a number
    raw: str
    position: Location  # line / para / page / table_index / table_name / grid_row / grid_col


class FactRow(TypedDict, total=False):
    label: str
    cells: dict[str, FactCell]  # by column key
    incomplete: str  # an incomplete row: its digits (why GK600 cannot compare it) …
    expected: int  # … and how many values it should have


class FactTable(TypedDict):
    title: str
    rows: dict[str, FactRow]


class Facts(TypedDict):
    """What a report keeps for the checks across years: JSON-safe, it crosses the worker boundary and lives in
    the result cache."""
    version: int
    agency: str
    aliases: list[str]
    year: int | None
    layout: str | None
    tables: dict[str, FactTable]
    unread: dict[str, str]  # tables not read, and why
    sentences: list  # [section, sentence, Location] of parts 一, 五, 六


def facts(report) -> Facts:
    tables = {}
    for key, bt in report.tables.items():
        rows = {}
        for rk, row in bt.rows.items():
            if row.incomplete:  # why, for GK600: the values of an incomplete row are not used
                rows[rk] = {"label": row.label, "cells": {}, "incomplete": row.unsplit or "", "expected": row.expected}
                continue
            cells = {col: FactCell(str(c.value.number) if c.value.is_number else None, c.value.raw, _position(c.loc))
                     for col, c in row.cells.items()}
            rows[rk] = {"label": row.label, "cells": cells}
        tables[key] = {"title": bt.title, "rows": rows}
    sentences = []
    for s in report.sections:
        for p in s.paragraphs:
            for m in _SENTENCE.finditer(p.text):
                text = m.group().strip()
                if len(_norm(text)) >= MIN_SENTENCE:
                    sentences.append([s.key, text, location(p.loc, section=s.key)])
    return {"version": FACTS_VERSION, "agency": report.agency, "aliases": list(report.agency_aliases),
            "year": report.year, "layout": report.layout,
            "tables": tables, "unread": {k: why for k, (_, why) in report.unread.items()}, "sentences": sentences}


_POSITION = ("line", "para", "page", "table_index", "table_name", "grid_row", "grid_col")


def _position(loc) -> Location:
    """Where a cell is (the labels are the row's and the table's, kept once): a third of a full location."""
    return {k: v for k, v in location(loc).items() if k in _POSITION}


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- the comparison -------------------------------------------------------------------------------------

@dataclass
class Pair:
    cur: Facts
    prev: Facts
    prev_path: str
    ruleset: object
    existing: list[Finding] = field(default_factory=list)  # the current report's own findings
    gaps: list[str] = field(default_factory=list)  # what could not be compared, for GK600


def _name(facts: dict) -> str:
    return f"{facts['year']}年报告"


def check_pair(cur: dict, prev: dict | None, prev_path: str, ruleset, existing=(), problem: str = "") -> list[Finding]:
    """The across rules of `ruleset` for a report (`cur`) and its predecessor (`prev`); `problem`: why no
    comparison was possible at all (an explicit --previous that is unreadable or of another year)."""
    from gklint.checks import make_rule

    rules = [r for code in sorted(codes(ruleset)) if (r := make_rule(code, ruleset.raw["rules"][code], ruleset))]
    pair = Pair(cur, prev or {}, prev_path, ruleset, list(existing))
    out: list[Finding] = []
    if not problem:
        for rule in rules:
            if rule.params.get("check") == "same_tables":
                out += _same_tables(rule, pair)
        copied = bool(out)  # last year's tables again: the carry-over and stock differences follow from that
        for rule in rules:
            check = rule.params.get("check")
            if check is None and not copied:
                out += _expr(rule, pair)
            elif check == "carried_text":
                out += _carried_text(rule, pair)
    gaps = [problem] if problem else list(dict.fromkeys(pair.gaps))
    for rule in rules:
        if rule.params.get("check") == "not_evaluated" and gaps:
            shown = "；".join(gaps[:3]) + (f"等 {len(gaps)} 处" if len(gaps) > 3 else "")
            out.append(rule.finding(f"与上一年度报告（{prev_path}）的跨年度核对有未能进行的部分：{shown}", {}))
    return out


class _NotApplicable(Exception):
    """The two years use different formats and the cell exists in one only: not a gap to report."""


def _short_label(label: str) -> str:
    """'四、结转下年度继续办理' -> '结转下年度继续办理': the report and the cell are named around it."""
    return re.sub(r"^[（(]?[一二三四五六七八九十]+[)）、.．]\s*", "", label or "")


def _cells(pair: Pair, table: str, ref, item: str) -> list[tuple]:
    """(facts, row key, row label, column, number, raw, location) of a reference; why not into pair.gaps."""
    facts = pair.prev if ref.previous else pair.cur
    name = _name(facts)
    tname = table_name(table) or table
    row_key, col = ref.row.replace("$", item), ref.col.replace("$", item)
    spec = pair.ruleset.tables[table]
    keys = [r.key for r in spec.rows if row_key[1:] in r.tags] if row_key.startswith("#") else [row_key]
    bt = facts.get("tables", {}).get(table)
    if bt is None:
        why = facts.get("unread", {}).get(table)
        pair.gaps.append(f"{name}的{tname}未能读取（{why}）" if why else f"{name}没有{tname}")
        return []
    out = []
    for rk in keys:
        row = bt["rows"].get(rk)
        label = _short_label(row["label"] if row else getattr(spec.row(rk), "label", rk))
        other_format = facts.get("layout") != pair.cur.get("layout")
        if (row is None or col not in row["cells"] and "incomplete" not in row) and other_format:
            raise _NotApplicable  # 2020 (2019 format) and 2021: 表二 has other rows and columns
        if row is None:
            pair.gaps.append(f"{name}{tname}没有「{label}」行")
        elif "incomplete" in row:
            digits = row["incomplete"]
            why = f"数字连在一起（“{digits}”），无法确定各列" if len(digits) > row.get("expected", 1) else \
                f"数值不完整（只读到“{digits}”）" if digits else "数值不完整"
            pair.gaps.append(f"{name}{tname}「{label}」行{why}")
        elif col not in row["cells"]:
            pair.gaps.append(f"{name}{tname}「{label}」行没有「{col}」列")
        elif row["cells"][col][0] is None:
            pair.gaps.append(f"{name}{tname}「{label}」「{col}」不是数字（{row['cells'][col][1] or '空白'}）")
        else:
            number, raw, position = row["cells"][col]
            loc = {**location(None, table=table, table_title=bt["title"], row=rk, row_label=row["label"], column=col),
                   **position}
            out.append((facts, rk, label, col, Decimal(number), raw, loc))
    return out


def _side(pair: Pair, table: str, side, item: str, cells: list) -> Decimal:
    """The side's value; a cell that cannot be used adds to pair.gaps (the caller then skips the item)."""
    total, used = side_value(side, item, lambda ref, item: [(c[4], c) for c in _cells(pair, table, ref, item)])
    cells += [(c, sign) for sign, c in used]
    return total


def _expr(rule, pair: Pair):
    from gklint.checks.identity import _items

    table = rule.params["table"]
    expr = parse(rule.params["expr"])
    failing = []
    # a cell the report's own checks already blame (上年结转 总计 7 where its row sums to 0): one cause, one finding
    blamed = {_at(f.location) for f in pair.existing if all(f.location.get(k) for k in ("table", "row", "column"))}
    for item in _items(rule, pair.ruleset.tables[table]) or [""]:
        lcells, rcells = [], []
        before = len(pair.gaps)
        try:
            left, right = _side(pair, table, expr.left, item, lcells), _side(pair, table, expr.right, item, rcells)
        except _NotApplicable:
            del pair.gaps[before:]
            continue
        if len(pair.gaps) > before:
            continue
        if any(c[0] is pair.cur and _at(c[6]) in blamed for c, _ in lcells + rcells):
            continue
        if not compare(expr.op, left, right):
            failing.append((item, left, right, lcells, rcells))
    if not failing:
        return []
    item, left, right, lcells, rcells = failing[0]
    on_left = next((c for c, _ in lcells if c[0] is pair.cur), None)
    cell = on_left or next(c for c, _ in rcells if c[0] is pair.cur)
    expected = cell[4] + ((right - left) if on_left else (left - right)) if expr.op == "==" else None
    prev_cell = next((c for c, _ in lcells + rcells if c[0] is pair.prev), None)
    details = [_item_detail(pair, *f) for f in failing]
    lead = rule.message or rule.summary
    note = rule.params.get("note", "")
    message = f"{lead}（上一年度报告：{pair.prev_path}）：{'。'.join(details)}" + (f"。{note}" if note else "")
    loc = dict(cell[6])
    if prev_cell:
        loc["previous"] = {"path": pair.prev_path, "year": pair.prev.get("year"), **prev_cell[6]}
    loc["cells"] = [_cell_ref(pair, c) for f in failing for c, _ in f[3] + f[4]]
    return [rule.finding(message, loc, expected=None if expected is None else _fmt(expected), found=cell[5])]


def _at(loc: dict) -> tuple:
    return loc.get("table"), loc.get("row"), loc.get("column")


def _item_detail(pair: Pair, item, left, right, lcells, rcells) -> str:
    """'2023年报告 结转下年度继续办理 自然人 3；2024年报告 上年结转政府信息公开申请数量 自然人 2'."""
    parts = []
    sides = sorted(((lcells, left), (rcells, right)), key=lambda side: not any(c[0] is pair.prev for c, _ in side[0]))
    for cells, total in sides:  # last year's side first: the story in the order it happened
        text = ""
        for k, (c, sign) in enumerate(cells):
            words = f"{_name(c[0])} {c[2]} {c[3].rsplit('/', 1)[-1]} {c[5]}"
            text += (words if k == 0 and sign == "+" else f" {'+' if sign == '+' else '−'} {words}")
        parts.append(text + (f"（计 {_fmt(total)}）" if len(cells) > 1 else ""))
    return "；".join(parts)


def _cell_ref(pair: Pair, c) -> dict:
    facts, rk, label, col, _, raw, loc = c
    prev = facts is pair.prev
    return {"table": f"{facts['year']}" if prev else loc.get("table"), "row": rk,
            "row_label": f"{_name(facts)} {label}", "column": col, "value": raw,
            "grid_row": None if prev else loc.get("grid_row"), "grid_col": loc.get("grid_col"),
            "line": None if prev else loc.get("line"), "table_index": 0 if prev else loc.get("table_index")}


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral() else str(d)


# --- text carried over ------------------------------------------------------------------------------------

def _stale(text: str, year: int, confirmed=lambda text, m: False):
    """The first mention of `year` (not inside a title 《…》 or a document number 〔…〕) or the first non-zero
    count that `confirmed(text, match)` does not vouch for (this year's tables hold that very number)."""
    shielded = re.sub(r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]", lambda m: "□" * len(m.group()), text)
    # a year that stays true: "自2023年起", "2023年以来", "（2019年修订）"
    m = re.search(rf"(?<![自从])({year})\s*年(?!度?(?:起|以来|开始|修订|修正))", shielded)
    if m:
        return m
    return next((m for m in re.finditer(rf"(?<![第\d.])[1-9]\d*(?:\.\d+)?\s*(?:{_UNITS})", shielded)
                 if not confirmed(text, m)), None)


def _claims(ruleset) -> list[tuple]:
    """(pattern, cell lists) of the rule set's narrative claims (GK501: "行政复议1件" is T4 数量 行政复议/总计):
    what a count in a sentence means, so that this year's tables can vouch for it."""
    out = []
    for spec in ruleset.raw.get("rules", {}).values():
        if not isinstance(spec, dict) or spec.get("kind") != "text_table":
            continue
        for claim in spec.get("claims", []):
            if isinstance(claim, dict) and "contradicts" not in claim and "cells" in claim:
                try:
                    rx = re.compile(claim["pattern"])
                except (re.error, TypeError):
                    continue
                if "n" in rx.groupindex:
                    out.append((rx, [claim["cells"], *([claim["carryover_cells"]] if "carryover_cells" in claim
                                                       else [])]))
    return out


def _facts_sum(facts: dict, cells) -> Decimal | None:
    total = Decimal(0)
    for cell in cells:
        table, row, col = (list(cell) + [None] * 3)[:3]
        found = facts.get("tables", {}).get(table, {}).get("rows", {}).get(row, {}).get("cells", {}).get(col)
        if not found or found[0] is None:
            return None
        total += Decimal(found[0])
    return total


def _confirmer(pair: Pair):
    """confirmed(text, count match): a claim pattern covers the count and this year's cells hold its number
    (one review case in both years, said in the same words: true both years, not carried over)."""
    claims = _claims(pair.ruleset)

    def confirmed(text: str, count) -> bool:
        for rx, cell_lists in claims:
            for m in rx.finditer(text):
                if m.start("n") <= count.start() < m.end("n"):
                    stated = Decimal(m.group("n"))
                    if any(_facts_sum(pair.cur, cells) == stated for cells in cell_lists):
                        return True
        return False
    return confirmed


def _carried_text(rule, pair: Pair):
    year = pair.prev.get("year")
    if not year:
        return []
    sections = rule.params.get("sections") or SENTENCE_SECTIONS
    confirmed = _confirmer(pair)
    candidates = [(key, text, loc, m) for key, text, loc in pair.cur.get("sentences", [])
                  if key in sections and (m := _stale(text, year, confirmed))]  # the cheap test first
    before = {_norm(t) for _, t, _ in pair.prev.get("sentences", [])} if candidates else set()
    reported = [_norm((f.snippet or "").strip("…")) for f in pair.existing if f.snippet]
    hits: dict[str, list] = {}
    for key, text, loc, m in candidates:
        norm = _norm(text)
        if norm not in before or any(r and (r in norm or norm in r) for r in reported):
            continue  # new this year, or already a finding of its own (GK405 年份、GK404 统计期限)
        hits.setdefault(key, []).append((text, loc, m.span()))
    out = []
    for key, found in hits.items():
        text, loc, span = found[0]
        more = f"（本部分共 {len(found)} 句如此）" if len(found) > 1 else ""
        message = (f"第{key}部分这句话与{year}年报告（{pair.prev_path}）中的一字不差，且含有{year}年的年份或数字"
                   f"{more}：可能沿用了上年报告的内容，请按本年度情况改写")
        out.append(rule.finding(message, dict(loc), text=text, span=span))
    return out


# --- identical tables -------------------------------------------------------------------------------------

def _values(facts: dict) -> dict:
    return {(t, rk, col): cell[0] for t, bt in facts.get("tables", {}).items()
            for rk, row in bt["rows"].items() for col, cell in row["cells"].items() if cell[0] is not None}


def _same_tables(rule, pair: Pair):
    cur, prev = _values(pair.cur), _values(pair.prev)
    if not cur or set(cur) != set(prev) or pair.cur.get("unread") or pair.prev.get("unread"):
        return []  # a table or cell read in one year only: not the same tables, or nothing to tell
    if any(Decimal(cur[k]) != Decimal(prev[k]) for k in cur):
        return []
    nonzero = sum(1 for v in cur.values() if Decimal(v) != 0)
    if nonzero < MIN_NONZERO:
        return []
    tables = sorted({k[0] for k in cur})
    first = pair.cur["tables"][tables[0]]
    some = next(iter(next(iter(first["rows"].values()))["cells"].values()))[2]
    loc = {**location(None, table=tables[0], table_title=first["title"]),
           **{k: v for k, v in some.items() if k in ("table_name", "table_index", "page")}}
    names = "、".join(table_name(t) or t for t in tables)
    message = (f"{names}的 {len(cur)} 个数字（其中 {nonzero} 个不为 0）与{pair.prev['year']}年报告"
               f"（{pair.prev_path}）完全相同：可能沿用了上年报告的统计表，请填写本年度的数据")
    return [rule.finding(message, loc)]
