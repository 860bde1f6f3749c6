"""GK501 a number the narrative states contradicts the table · GK502 a claim ("均获维持") the table contradicts."""

from __future__ import annotations

import re
from decimal import Decimal

from gklint.findings import cell_ref, location

MIN_SENTENCE = 8  # characters: shorter paragraphs are headings or labels, never a sentence stating a count
CARRYOVER_BEFORE, CARRYOVER_AFTER = 6, 12  # "含上年结转" sits right by its count: 办结41件（含上年结转2件）
_CLAIM_KEYS = ("pattern", "cells", "what", "carryover_cells", "contradicts", "context")
REACH = 500  # characters searched either side of a match for its clause and sentence: a paragraph of
# megabytes without 。 must not make every match scan the whole paragraph (quadratic)

def validate(rule, ruleset, where):
    from gklint.ruleset.loader import RuleSetError, suggest

    for i, claim in enumerate(rule.params.get("claims", [])):
        w = f"{where}.claims[{i}]"
        if not isinstance(claim, dict) or "pattern" not in claim or "cells" not in claim:
            raise RuleSetError("每条应有 pattern 和 cells", key=w)
        for key in claim:
            if key not in _CLAIM_KEYS:
                raise RuleSetError(f"未知的键 {key!r}{suggest(key, _CLAIM_KEYS, '允许')}", key=f"{w}.{key}")
        try:
            rx = re.compile(claim["pattern"])
        except re.error as exc:
            raise RuleSetError(f"正则表达式无效：{exc}", key=f"{w}.pattern") from None
        if "contradicts" not in claim and "n" not in rx.groupindex:
            raise RuleSetError("应有命名分组 (?P<n>…) 捕获数字", key=f"{w}.pattern")
        for cell in claim["cells"] + claim.get("carryover_cells", []):
            if not (isinstance(cell, list) and len(cell) == 3 and all(isinstance(x, str) for x in cell)):
                raise RuleSetError("每个单元格写作 [\"表\", \"行\", \"列\"]", key=f"{w}.cells")
            table = ruleset.tables.get(cell[0])
            row = table.row(cell[1]) if table else None
            if table is None:
                why = f"没有表 {cell[0]!r}{suggest(cell[0], sorted(ruleset.tables), '已有的表')}"
            elif row is None:
                why = f"表 {table.key} 没有行 {cell[1]!r}{suggest(cell[1], [r.key for r in table.rows], '行')}"
            elif cell[2] not in table.columns_of(row):
                why = f"表 {table.key} 的「{row.key}」行没有列 {cell[2]!r}{suggest(cell[2], table.columns_of(row), '列')}"
            else:
                continue
            raise RuleSetError(f"没有单元格 {cell}：{why}", key=f"{w}.cells")


def _value(report, cells) -> tuple[Decimal | None, list]:
    total, used = Decimal(0), []
    for table, row_key, col in cells:
        bt = report.tables.get(table)
        row = bt.rows.get(row_key) if bt else None
        cell = row.cells.get(col) if row and not row.incomplete else None
        if cell is None or not cell.value.is_number:
            return None, []
        total += cell.value.number
        used.append((bt, row, col, cell))
    return total, used


def check(report, rule, ctx):
    paragraphs = []
    for key in rule.params.get("sections", ["一", "六"]):
        s = report.section(key)
        if s is not None:
            paragraphs += [(key, p) for p in s.paragraphs if len(p.text) > MIN_SENTENCE]
    for claim in rule.params.get("claims", []):
        rx = re.compile(claim["pattern"])
        for key, p in paragraphs:
            for m in rx.finditer(p.text):
                if "contradicts" in claim:
                    yield from _contradiction(report, rule, claim, key, p, m)
                    continue
                clause = p.text[_left(p.text, m.start(), "，,；;。"):m.start()]
                if clause.lstrip().startswith("其中"):
                    continue  # "办结2件，其中公开答复1件": a part of the total, not the total
                sentence = _sentence(p.text, m.start(), m.end())
                if claim.get("context") and claim["context"] not in sentence:
                    continue  # "答复网民咨询20件" is not about disclosure applications
                stated = Decimal(m.group("n").replace(",", ""))  # "申请1,248件"
                cells = claim["cells"]
                near = p.text[max(0, m.start() - CARRYOVER_BEFORE):m.end() + CARRYOVER_AFTER]
                if claim.get("carryover_cells") and re.search(r"(?:含|包括|包含)上年结转", near):
                    cells = claim["carryover_cells"]
                value, used = _value(report, cells)
                if value is None or value == stated:
                    continue
                bt, row, col, cell = used[0]
                names = "+".join(f"{r.label or r.key}「{c}」" for _, r, c, _ in used)
                loc = location(p.loc, section=key, table=bt.key, row=row.key, column=col)
                loc["cells"] = [{"table": b.key, **cell_ref(r, c, x)} for b, r, c, x in used]
                yield rule.finding(f"正文“{m.group(0)}”说{claim.get('what', '')}{stated}件，"
                                   f"但表中{names}为 {value}", loc, expected=value, found=stated,
                                   text=p.text, span=m.span())


def _sentence(text: str, start: int, end: int) -> str:
    stop = min(len(text), end + REACH)
    rights = [i for i in (text.find(ch, end, stop) for ch in "。；;！？") if i >= 0]
    return text[_left(text, start, "。；;！？"): min(rights) if rights else stop]


def _left(text: str, start: int, marks: str) -> int:
    """Where the clause or sentence ending at `start` begins: after the last mark, at most REACH back."""
    floor = max(0, start - REACH)
    return max(max(text.rfind(ch, floor, start) for ch in marks) + 1, floor)


def _known(report, cells) -> tuple[Decimal, list]:
    """The sum of the cells that hold numbers (blank ones left out) and those cells."""
    total, used = Decimal(0), []
    for cell in cells:
        value, part = _value(report, [cell])
        if value is not None:
            total += value
            used += part
    return total, used


def _contradiction(report, rule, claim, key, p, m):
    # "均获维持" is contradicted by any 纠正/其他/尚未审结 case, whether or not other cells are blank
    value, used = _known(report, claim["cells"])
    if value == 0:
        return
    details = "，".join(f"{r.label or ''}{c}为 {x.value.raw}" for _, r, c, x in used if x.value.number)
    loc = location(p.loc, section=key)
    loc["cells"] = [{"table": b.key, **cell_ref(r, c, x)} for b, r, c, x in used]
    yield rule.finding(f"正文说“{m.group(0)}”，但{claim.get('what', '表中')}：{details}", loc,
                       expected="0", found=value, text=p.text, span=m.span())


def reconcile(findings: list) -> list:
    """A sentence checked against a cell that an identity finding blames (one wrong cell, its correction
    known: gklint/checks/identity.py `regroup`) is compared with the corrected value: a sentence that
    agrees with the correction is no finding (the cell is the one to fix, not the sentence); one that
    still disagrees says the corrected value. One root cause, one answer."""
    blamed = {}
    for f in findings:
        loc = f.location
        if "identities" in loc and f.expected is not None and f.found is not None:
            try:
                blamed[(loc.get("table"), loc.get("row"), loc.get("column"))] = (
                    Decimal(f.expected) - Decimal(f.found), f.code)
            except ArithmeticError:
                continue
    if not blamed:
        return findings
    out = []
    for f in findings:
        cells = f.location.get("cells") or []
        hits = [blamed[k] for k in ((c.get("table"), c.get("row"), c.get("column")) for c in cells) if k in blamed]
        if "section" not in f.location or not hits or not all(c.get("table") for c in cells):
            out.append(f)
            continue
        delta = sum((d for d, _ in hits), Decimal(0))
        codes = "、".join(dict.fromkeys(code for _, code in hits))
        if "table" in f.location:  # a stated count (GK501): expected is the table's value
            corrected = Decimal(f.expected) + delta
            if corrected == Decimal(f.found):
                continue
            f.expected = str(corrected)
            f.message += f"（按 {codes} 改正表格后为 {corrected}）"
        else:  # a claim the table contradicts (GK502): found is the contradicting count
            corrected = Decimal(f.found) + delta
            if corrected == 0:
                continue
            f.found = str(corrected)
        out.append(f)
    return out
