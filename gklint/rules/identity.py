"""GK301–GK304: arithmetic identities written in gklint's expression language (see gklint/expr.py)."""

from __future__ import annotations

from decimal import Decimal

from gklint.expr import ExprError, Ref, compare, parse, render
from gklint.findings import location



class _Skip(Exception):
    """A referenced cell is missing, incomplete or not a number: other rules report that."""


def validate(rule, ruleset, where):
    from gklint.ruleset import RuleSetError

    try:
        expr = parse(rule.params.get("expr", ""))
    except ExprError as exc:
        raise RuleSetError(str(exc), key=f"{where}.expr") from None
    table = ruleset.tables.get(rule.params.get("table", ""))
    if table is None:
        raise RuleSetError(f"规则集中没有表 {rule.params.get('table')!r}", key=f"{where}.table")
    rows = {r.key for r in table.rows}
    tags = {t for r in table.rows for t in r.tags}
    cols = set(table.columns) | {c for r in table.rows for c in (r.columns or [])}
    items = _items(rule, table)
    for ref in expr.refs():
        for item in items or ["$"]:
            row, col = ref.row.replace("$", item), ref.col.replace("$", item)
            if row.startswith("#") and row[1:] not in tags:
                raise RuleSetError(f"没有带标签 {row[1:]!r} 的行", key=f"{where}.expr")
            if not row.startswith("#") and row not in rows:
                raise RuleSetError(f"表 {table.key} 没有行 {row!r}", key=f"{where}.expr")
            if not col.startswith("#") and col not in cols:
                raise RuleSetError(f"表 {table.key} 没有列 {col!r}", key=f"{where}.expr")


def _items(rule, table) -> list[str]:
    each = rule.params.get("for_each")
    if each == "column":
        return list(table.columns)
    if each == "row":
        return [r.key for r in table.rows]
    if isinstance(each, list):
        return [str(x) for x in each]
    return []


def _cells(bt, ref: Ref, item: str):
    row_key, col = ref.row.replace("$", item), ref.col.replace("$", item)
    rows = [r.key for r in bt.spec.rows if row_key[1:] in r.tags] if row_key.startswith("#") else [row_key]
    out = []
    for rk in rows:
        row = bt.rows.get(rk)
        if row is None or row.incomplete or col not in row.cells:
            raise _Skip
        cell = row.cells[col]
        if not cell.value.is_number:
            raise _Skip
        out.append((row, col, cell))
    return out


def _side(bt, side, item):
    total, cells = Decimal(0), []
    for sign, term in side:
        if isinstance(term, Decimal):
            value = term
        else:
            found = _cells(bt, term if isinstance(term, Ref) else term[1], item)
            value = sum((c.value.number for _, _, c in found), Decimal(0))
            cells += found
        total = total + value if sign == "+" else total - value
    return total, cells


def check(report, rule, ctx):
    table_key = rule.params["table"]
    bt = report.tables.get(table_key)
    if bt is None or bt.spec is None:
        return
    expr = parse(rule.params["expr"])
    items = _items(rule, bt.spec) or [""]
    for item in items:
        try:
            left, lcells = _side(bt, expr.left, item)
            right, rcells = _side(bt, expr.right, item)
        except _Skip:
            continue
        if compare(expr.op, left, right):
            continue
        row, col, cell = (lcells or rcells)[0]
        expected = cell.value.number + (right - left) if expr.op == "==" and lcells else None
        lhs, rhs = render(expr.left, item), render(expr.right, item)
        template = rule.params.get("message", "{lhs}（{left}）应等于 {rhs}（{right}），相差 {diff}")
        message = f"{bt.title}" + (f"「{item.rsplit('/', 1)[-1]}」" if item else "") + "：" + template.format(
            lhs=lhs, rhs=rhs, left=_fmt(left), right=_fmt(right), diff=_fmt(abs(left - right)), item=item)
        loc = location(cell.loc, table=bt.key, table_title=bt.title, row=row.key, row_label=row.label, column=col)
        loc["cells"] = [{"row": r.key, "row_label": r.label, "column": c, "value": x.value.raw,
                         "grid_row": x.loc.row, "grid_col": x.loc.col, "line": x.loc.line}
                        for r, c, x in lcells + rcells]
        yield rule.finding(message, loc, expected=None if expected is None else _fmt(expected),
                           found=cell.value.raw)


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral_value() else str(d)
