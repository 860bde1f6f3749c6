"""A blank total whose value its complete parts force: GK205 (blank cell) then says which number belongs
there, so `gklint fix` can fill it in. Only a cell standing alone on one side of an identity (a 总计, the
（七）总计 row, a 表四 总计) whose other side is complete, and only when every identity it is in agrees on
the value and holds with it; a total whose parts are blank too stays a plain GK205."""

from __future__ import annotations

from decimal import Decimal

from gklint.numbers import Value


def forced_blanks(report, ruleset, findings: list) -> list:
    from gklint.checks.identity import _fmt, _identity_rules, evaluate

    rules = _identity_rules(ruleset)
    blank_codes = _blank_codes(ruleset)
    for f in findings:
        loc = f.location
        if f.code not in blank_codes:
            continue
        if "cells" in loc or not loc.get("table") or not loc.get("row") or not loc.get("column"):
            continue  # a region of blank cells: which of them is a total is not the point of the finding
        bt = report.tables.get(loc["table"])
        row = bt.rows.get(loc["row"]) if bt else None
        cell = row.cells.get(loc["column"]) if row else None
        if cell is None or cell.value.kind != "blank":
            continue
        mine = [r for r in rules if r.params.get("table") == bt.key]
        value, names = _forced(report, mine, (row.key, loc["column"]), cell, evaluate)
        if value is None:
            continue
        f.expected = _fmt(value)
        f.message += f"；按 {names} 的勾稽关系应为 {_fmt(value)}"
    return findings


def _blank_codes(ruleset) -> set[str]:
    from gklint.checks import rules_of

    return {r.code for r in rules_of(ruleset) if r.kind == "cells" and r.params.get("check", "blank") == "blank"}


def _forced(report, rules, key, cell, evaluate):
    """The value the identities force on one blank cell, and the identities that force it; (None, '')."""
    original = cell.value
    try:
        cell.value = Value("0", "number", Decimal(0))
        evs = [ev for rule in rules for ev in evaluate(report, rule) if ev.coef.get(key) and not ev.skipped]
        alone = [ev for ev in evs if any([(r.key, c) for r, c, _ in side] == [key] for side in (ev.lcells, ev.rcells))]
        if not alone or any(ev.op != "==" for ev in evs):
            return None, ""
        values = {-ev.diff / ev.coef[key] for ev in evs}
        if len(values) != 1:
            return None, ""  # the identities disagree: some other number is wrong too
        value = values.pop()
        if value < 0:
            return None, ""
        cell.value = Value(str(value), "number", value)
        if not all(ev.holds for rule in rules for ev in evaluate(report, rule) if ev.coef.get(key)):
            return None, ""
    finally:
        cell.value = original
    return value, "、".join(dict.fromkeys(f"{ev.rule.code}" for ev in alone))
