"""Which findings carry a fix, and what it changes: the plan `gklint fix` applies (to Word in
gklint/output/fix.py, to text there too). Computed from the findings alone — each one already says where it
is, what was found and what was expected — and from the rule's `fix` availability ("safe" / "unsafe").

Safe: the one cell the one-cell grouping blames; a blank total its complete parts force; the year of the
统计期限 when the report year is certain. Unsafe (only with --unsafe-fixes): a narrative number that
contradicts a consistent table; a year in the body that is not the report's. Nothing else: every other
finding is left for a person, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gklint.findings import Finding


@dataclass
class Edit:
    finding: Finding
    safety: str  # "safe" or "unsafe"
    where: dict  # {"table_index", "grid_row", "grid_col"} (Word), {"para": n} (Word) or {"line": n} (text)
    old: str  # the visible text replaced ("" for a blank cell)
    new: str
    cell: bool = False  # replace a table cell's whole text; else `old` within the paragraph or line
    context: str = ""  # text around `old` that places it in the paragraph (the finding's snippet) …
    offset: int = 0  # … and where `old` starts within it
    pattern: str = ""  # a regex: each match within the paragraph is replaced by `new` (the period's years)
    why: str = ""  # why this value, for the comment


@dataclass
class Left:
    finding: Finding
    reason: str


@dataclass
class Plan:
    edits: list[Edit] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)  # gone once the edits are made (GK305 of a filled cell)
    unsafe_hidden: int = 0  # edits that --unsafe-fixes would add


NO_FIX = "此类问题没有自动修改，需人工核对"
AMBIGUOUS = "只有 1 项勾稽关系不成立，其中每个单元格都可能是错的，无法确定改哪一个"
CONFLICT = "几项勾稽关系对同一单元格给出不同的改法，无法确定哪一个对"
BLANK_OPEN = "无法由完整的分项算出这个空白单元格（分项也有空白，或不止一处空白），请填写实际数字"
UNSAFE = "修改不一定正确（加 --unsafe-fixes 才会修改）"


def plan(findings: list[Finding], rules: dict, unsafe: bool = False) -> Plan:
    """`rules`: the rule set's rules by code (gklint.checks.catalog)."""
    out = Plan()
    tables_in_doubt = {f.location.get("table") for f in findings
                       if _kind(rules, f) == "identity" and not isinstance(_edit_of(f, rules, findings), Edit)}
    for f in findings:
        rule = rules.get(f.code)
        availability = getattr(rule, "fix", "") if rule is not None else ""
        if not availability:
            out.left.append(Left(f, NO_FIX))
            continue
        edit = _edit_of(f, rules, findings)
        if isinstance(edit, str) or edit is None:
            out.left.append(Left(f, edit or NO_FIX))
            continue
        if rule.kind == "text_table" and f.location.get("table") in tables_in_doubt:
            out.left.append(Left(f, "表格本身的勾稽关系不成立，不能确定是正文还是表格有误"))
            continue
        edit.safety = availability
        if availability == "unsafe" and not unsafe:
            out.unsafe_hidden += 1
            out.left.append(Left(f, UNSAFE))
            continue
        if any(_overlap(edit, e) for e in out.edits):
            out.left.append(Left(f, "与另一处修改位置重叠"))
            continue
        out.edits.append(edit)
    _resolved(out, rules)
    return out


def _kind(rules, f) -> str:
    rule = rules.get(f.code)
    return rule.kind if rule is not None else ""


def _edit_of(f: Finding, rules: dict, findings: list[Finding]):
    """The edit a finding carries, or a sentence why it carries none (None: no fix of its kind)."""
    rule = rules.get(f.code)
    if rule is None:
        return None
    loc = f.location
    if rule.kind == "identity":
        if rule.params.get("check") == "not_evaluated":
            return None
        if "identities" not in loc:
            return AMBIGUOUS
        if f.expected is None or f.found is None:
            return CONFLICT
        return _cell_edit(f, f.found, f.expected, f"按 {_codes(loc)} 的勾稽关系，{f.found} 应为 {f.expected}")
    if rule.kind == "cells" and rule.params.get("check", "blank") == "blank":
        if "cells" in loc or not _number(f.expected):
            return BLANK_OPEN
        return _cell_edit(f, "", f.expected, f"空白的合计按各分项应为 {f.expected}")
    if rule.kind == "dates" and rule.params.get("check") == "period":
        return _period(f, rules, findings)
    if rule.kind == "dates" and rule.params.get("check") == "year_in_text":
        old, new = (f.found or "").rstrip("年度"), (f.expected or "").rstrip("年度")
        if not (re.fullmatch(r"\d{4}", old) and re.fullmatch(r"\d{4}", new)):
            return None
        before = (f.snippet or "")[:(f.span or (0, 0))[0]]
        if before.rfind("《") > before.rfind("》"):
            return "年份在书名号《》内，是所引文件的名称，不能改"
        return _text_edit(f, old, new, f"报告年度是 {new} 年")
    if rule.kind == "text_table" and "table" in loc:
        if not (_number(f.found) and _number(f.expected)):
            return None
        if _parts_agree(f):
            return "这句话所列分项之和等于它写的总数，可能与表格的统计口径不同（如含上年结转），请人工核对"
        return _text_edit(f, f.found, f.expected, f"表中相应数字为 {f.expected}")
    return None


def _parts_agree(f) -> bool:
    """"收到申请75件，涉及自然人72件、商业企业3件": the parts named right after the count add up to it."""
    if not f.snippet or not f.span:
        return False
    rest = f.snippet[f.span[1]:]
    rest = re.split(r"[；;。]", rest, maxsplit=1)[0]
    if not re.match(r"\s*[，,（(]?\s*(?:其中|涉及|包括)", rest):
        return False
    parts = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)\s*件", rest)]
    return len(parts) >= 2 and abs(sum(parts) - float(f.found)) < 1e-9


def _codes(loc: dict) -> str:
    return "、".join(dict.fromkeys(i["code"] for i in loc.get("identities", [])))


def _number(s: str | None) -> bool:
    return bool(s) and re.fullmatch(r"\d+(?:\.\d+)?", s) is not None


def _where(loc: dict) -> dict | None:
    if loc.get("line"):  # a text file: the line, and for a cell its place among the line's cells
        return {"line": loc["line"], **({"col": loc["grid_col"]} if loc.get("grid_col") else {})}
    if loc.get("table_index") and loc.get("grid_row") and loc.get("grid_col"):
        return {k: loc[k] for k in ("table_index", "grid_row", "grid_col")}
    if loc.get("para"):
        return {"para": loc["para"]}
    return None


def _cell_edit(f, old, new, why):
    where = _where(f.location)
    if where is None:
        return "找不到这个单元格在文件中的位置"
    return Edit(f, "", where, old, new, cell=True, why=why)


def _text_edit(f, old, new, why):
    where = _where(f.location)
    if where is None or "table_index" in where or "col" in where or not f.snippet or not f.span:
        return "找不到这句话在文件中的位置"
    matched = f.snippet[f.span[0]:f.span[1]]
    if matched.count(old) != 1:
        return "这句话中的数字无法唯一定位"
    lead = len(f.snippet) - len(f.snippet.lstrip("…"))
    offset = f.span[0] - lead + matched.index(old)
    return Edit(f, "", where, old, new, context=f.snippet.strip("…"), offset=offset, why=why)


_PERIOD = re.compile(r"(\d{4})年1月1日至(?:(\d{4})年)?12月31日")


def _period(f, rules, findings):
    m = _PERIOD.fullmatch(f.found or "")
    want = re.match(r"(\d{4})年", f.expected or "")
    if not m or not want:
        return "统计期限的起止日期不是某一年的全年，无法确定正确的期限"
    doubtful = [g for g in findings if _kind(rules, g) in ("dates", "template")
                and rules[g.code].params.get("check") in ("year_in_text", "layout", "title")
                and "年" in (g.found or "")]
    if doubtful:
        return f"报告年度本身存疑（{doubtful[0].code}），无法确定统计期限应为哪一年"
    where = _where(f.location)
    if where is None or "table_index" in where:
        return "找不到统计期限所在的段落"
    years = {y for y in m.groups() if y} - {want.group(1)}
    if not years:
        return None
    pattern = "|".join(rf"{y}(?=\s*年\s*(?:1\s*月\s*1\s*日|12\s*月\s*31\s*日))" for y in sorted(years))
    return Edit(f, "", where, "|".join(sorted(years)), want.group(1), pattern=pattern,
                why=f"报告年度是 {want.group(1)} 年，统计期限应为该年全年")


def _overlap(a: Edit, b: Edit) -> bool:
    if a.where != b.where:
        return False
    return a.cell or b.cell or bool(a.pattern or b.pattern) or a.context == b.context


def _resolved(out: Plan, rules: dict) -> None:
    """A GK305 ("not checked: … 为空白") of a table whose every blank-cell finding is being filled is no
    longer a problem once the edits are made: counted as resolved, not as left for a person."""
    filled = {e.finding.location.get("table") for e in out.edits if e.cell and e.old == ""}
    open_blank = {x.finding.location.get("table") for x in out.left
                  if _kind(rules, x.finding) == "cells"}
    keep = []
    for x in out.left:
        f, rule = x.finding, rules.get(x.finding.code)
        table = f.location.get("table")
        reasons = [r for item in f.location.get("not_evaluated", []) for r in item.get("reasons", [])]
        if (rule is not None and rule.kind == "identity" and rule.params.get("check") == "not_evaluated"
                and table in filled and table not in open_blank and reasons and all("为空白" in r for r in reasons)):
            out.resolved.append(f)
        else:
            keep.append(x)
    out.left = keep
