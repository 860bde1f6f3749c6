"""GK301–GK304: arithmetic identities written in gklint's expression language (see gklint/ruleset/expr.py).
GK305 (check = "not_evaluated"): the identities of a table that could not be checked, once per table.
`regroup` (run by the engine after all rules): one wrong cell that breaks several identities is reported
once, on that cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gklint.ruleset.expr import ExprError, Ref, compare, parse, render, side_value
from gklint.findings import Finding, cell_ref, location, table_name



class _Skip(Exception):
    """A referenced cell is missing, incomplete or not a number: other rules report that, GK305 sums it up."""


def validate(rule, ruleset, where):
    from gklint.ruleset.loader import RuleSetError

    if rule.params.get("check") == "not_evaluated":
        return
    if rule.params.get("check") is not None:
        raise RuleSetError(f"{where}.check：{rule.params['check']!r} 不是 \"not_evaluated\"")
    try:
        expr = parse(rule.params.get("expr", ""))
    except ExprError as exc:
        raise RuleSetError(str(exc), key=f"{where}.expr") from None
    if any(ref.previous for ref in expr.refs()):
        raise RuleSetError("P(...) 是上一年度报告的单元格，只能用在跨年度规则（kind = \"across\"）中",
                           key=f"{where}.expr")
    check_refs(expr, rule, ruleset, where)


def check_refs(expr, rule, ruleset, where):
    """Every row, tag and column the expression names exists in the rule's table (for every item)."""
    from gklint.ruleset.loader import RuleSetError, suggest

    name = rule.params.get("table", "")
    table = ruleset.tables.get(name)
    if table is None:
        raise RuleSetError(f"规则集中没有表 {name!r}{suggest(name, sorted(ruleset.tables), '已有的表')}",
                           key=f"{where}.table")
    rows = {r.key for r in table.rows}
    tags = {t for r in table.rows for t in r.tags}
    cols = set(table.columns) | {c for r in table.rows for c in (r.columns or [])}
    items = _items(rule, table)
    for ref in expr.refs():
        for item in items or ["$"]:
            row, col = ref.row.replace("$", item), ref.col.replace("$", item)
            if row.startswith("#") and row[1:] not in tags:
                raise RuleSetError(f"没有带标签 {row[1:]!r} 的行{suggest(row[1:], sorted(tags), '已有的标签')}",
                                   key=f"{where}.expr")
            if not row.startswith("#") and row not in rows:
                raise RuleSetError(f"表 {table.key} 没有行 {row!r}{suggest(row, [r.key for r in table.rows], '行')}",
                                   key=f"{where}.expr")
            if not col.startswith("#") and col not in cols:
                raise RuleSetError(f"表 {table.key} 没有列 {col!r}{suggest(col, _column_names(table), '列')}",
                                   key=f"{where}.expr")


def _column_names(table) -> list[str]:
    """The table's columns, then the per-row columns (表二's), in order, once."""
    return list(dict.fromkeys([*table.columns, *(c for r in table.rows for c in (r.columns or []))]))


def _items(rule, table) -> list[str]:
    each = rule.params.get("for_each")
    if each == "column":
        return list(table.columns)
    if each == "row":
        return [r.key for r in table.rows]
    if isinstance(each, list):
        return [str(x) for x in each]
    return []


@dataclass
class Evaluation:
    """One identity for one item (column, row or group) of one table."""

    rule: object
    item: str
    left: Decimal = Decimal(0)
    right: Decimal = Decimal(0)
    lcells: list = field(default_factory=list)  # (row, col, cell) on the left side
    rcells: list = field(default_factory=list)
    coef: dict = field(default_factory=dict)  # (row key, col) -> its factor in left - right
    skipped: list[tuple] = field(default_factory=list)  # why it could not be: (row label, kind, column, raw)
    holds: bool = True
    op: str = "=="

    @property
    def diff(self) -> Decimal:
        return self.left - self.right


def _label(bt, row_key: str) -> str:
    row = bt.rows.get(row_key)
    if row is not None and row.label:
        return row.label
    spec = bt.spec.row(row_key) if bt.spec else None
    return spec.label if spec else row_key


def _cells(bt, ref: Ref, item: str, why: list[tuple]):
    row_key, col = ref.row.replace("$", item), ref.col.replace("$", item)
    rows = [r.key for r in bt.spec.rows if row_key[1:] in r.tags] if row_key.startswith("#") else [row_key]
    out = []
    for rk in rows:
        row = bt.rows.get(rk)
        if row is None:
            why.append((_label(bt, rk), "missing", "", ""))
        elif row.incomplete:
            why.append((_label(bt, rk), "incomplete", "", ""))
        elif col not in row.cells:
            why.append((_label(bt, rk), "no_column", col, ""))
        elif not row.cells[col].value.is_number:
            v = row.cells[col].value
            why.append((_label(bt, rk), "blank" if v.kind == "blank" else "text", col, v.raw))
        else:
            out.append((row, col, row.cells[col]))
    return out


def _side(bt, side, item, why, coef, factor):
    def cells_of(ref, item):
        return [(c.value.number, (row, col, c)) for row, col, c in _cells(bt, ref, item, why)]

    total, used = side_value(side, item, cells_of)
    for sign, (row, col, _) in used:
        coef[(row.key, col)] = coef.get((row.key, col), 0) + (factor if sign == "+" else -factor)
    return total, [cell for _, cell in used]


def evaluate(report, rule) -> list[Evaluation]:
    """Every item of an identity rule, evaluated or with the reasons it could not be."""
    bt = report.tables.get(rule.params.get("table"))
    if bt is None or bt.spec is None or rule.params.get("check") is not None:
        return []
    expr = parse(rule.params["expr"])
    out = []
    for item in _items(rule, bt.spec) or [""]:
        ev = Evaluation(rule, item, op=expr.op)
        ev.left, ev.lcells = _side(bt, expr.left, item, ev.skipped, ev.coef, 1)
        ev.right, ev.rcells = _side(bt, expr.right, item, ev.skipped, ev.coef, -1)
        ev.holds = bool(ev.skipped) or compare(expr.op, ev.left, ev.right)
        out.append(ev)
    return out


def _item_words(item: str) -> str:
    return f"「{item.rsplit('/', 1)[-1]}」" if item else ""


def _item_name(bt, ev: Evaluation) -> str:
    each = ev.rule.params.get("for_each")
    if each == "row":
        return f"{_label(bt, ev.item)}行"
    if each == "column":
        return f"{ev.item.rsplit('/', 1)[-1]}列"
    return ev.item or ev.rule.name


def _finding(report, ev: Evaluation) -> Finding:
    rule, item = ev.rule, ev.item
    bt = report.tables[rule.params["table"]]
    expr = parse(rule.params["expr"])
    left, right = ev.left, ev.right
    row, col, cell = (ev.lcells or ev.rcells)[0]
    expected = cell.value.number + (right - left) if expr.op == "==" and ev.lcells else None
    lhs, rhs = render(expr.left, item), render(expr.right, item)
    template = rule.params.get("message", "{lhs}（{left}）应等于 {rhs}（{right}），相差 {diff}")
    words = f"「{_label(bt, item)}」行" if rule.params.get("for_each") == "row" else _item_words(item)
    message = _table_words(bt) + words + "：" + template.format(
        lhs=lhs, rhs=rhs, left=_fmt(left), right=_fmt(right), diff=_fmt(abs(left - right)), item=item)
    loc = location(cell.loc, table=bt.key, table_title=bt.title, row=row.key, row_label=row.label, column=col)
    loc["identity"] = item
    loc["cells"] = [cell_ref(r, c, x) for r, c, x in ev.lcells + ev.rcells]
    return rule.finding(message, loc, expected=None if expected is None else _fmt(expected), found=cell.value.raw)


def _table_words(bt) -> str:
    return table_name(bt.key) or bt.title


def check(report, rule, ctx):
    if rule.params.get("check") == "not_evaluated":
        yield from _not_evaluated(report, rule, ctx)
        return
    for ev in evaluate(report, rule):
        if not ev.holds:
            yield _finding(report, ev)


def _identity_rules(ruleset) -> list:
    from gklint.checks import rules_of

    return [r for r in rules_of(ruleset) if r.kind == "identity" and r.params.get("check") is None]


def _not_evaluated(report, rule, ctx):
    """GK305: per table, how many identities could not be checked and why (once, not per identity)."""
    skipped: dict[str, list[Evaluation]] = {}
    for other in _identity_rules(ctx.ruleset):
        for ev in evaluate(report, other):
            if ev.skipped:
                skipped.setdefault(other.params["table"], []).append(ev)
    for key, evs in skipped.items():
        bt = report.tables[key]
        reasons = _reasons(list(dict.fromkeys(r for ev in evs for r in ev.skipped)))
        shown = "；".join(reasons[:3]) + (f"等 {len(reasons)} 处" if len(reasons) > 3 else "")
        total = sum(len(evaluate(report, r)) for r in _identity_rules(ctx.ruleset) if r.params["table"] == key)
        what = "全部 " if len(evs) == total and total > 1 else ""
        loc = location(bt.loc, table=bt.key, table_title=bt.title)
        loc["not_evaluated"] = [{"code": ev.rule.code, "identity": ev.item, "reasons": _reasons(ev.skipped)} for ev in evs]
        yield rule.finding(f"{_table_words(bt)}：{what}{len(evs)} 项勾稽关系未能检查（{shown}）", loc,
                           expected=f"{total} 项勾稽关系均可检查", found=f"{len(evs)} 项未能检查")


def _names(items: list[str], unit: str) -> str:
    """'「a」「b」' or '「a」「b」等 5 {unit}' (unit: 行 / 列), so a long list stays one line."""
    return "".join(f"「{x}」" for x in items[:2]) + (f"等 {len(items)} {unit}" if len(items) > 2 else unit)


def _reasons(why: list[tuple]) -> list[str]:
    """Readable reasons, the rows (or a row's cells) with the same problem named together."""
    rows: dict[str, list[str]] = {}
    cols: dict[tuple, list[tuple]] = {}
    for label, kind, col, raw in why:
        if kind in ("blank", "text", "no_column"):
            if (col, raw) not in cols.setdefault((label, kind), []):
                cols[(label, kind)].append((col, raw))
        elif label not in rows.setdefault(kind, []):
            rows[kind].append(label)
    out = []
    if rows.get("missing"):
        out.append("缺少" + _names(rows["missing"], "行"))
    if rows.get("incomplete"):
        out.append(_names(rows["incomplete"], "行") + "数值不完整")
    for (label, kind), found in cols.items():
        names = _names([c for c, _ in found], "列")
        if kind == "blank":
            out.append(f"「{label}」行{names}为空白")
        elif kind == "no_column":
            out.append(f"「{label}」行没有{names}")
        else:
            shown = "、".join(f"“{raw}”" for _, raw in found[:2]) + ("等" if len(found) > 2 else "")
            out.append(f"「{label}」行{names}{shown}不是数字")
    return out


# --- one wrong cell, one finding ---

def regroup(report, ruleset, findings: list[Finding]) -> list[Finding]:
    """Several identity findings of a table explained by one cell (a change of one amount makes them all
    hold and breaks no identity that holds) become one finding on that cell; separate findings that still
    name the same cell with different corrections keep no 'expected' (which one is right is unknown)."""
    evs = [ev for rule in _identity_rules(ruleset) for ev in evaluate(report, rule)]
    out = list(findings)
    by_table: dict[str, list[Evaluation]] = {}
    for ev in evs:
        by_table.setdefault(ev.rule.params["table"], []).append(ev)
    for key, table_evs in by_table.items():
        failing = [ev for ev in table_evs if not ev.holds and ev.op == "=="]  # a bound has no single fix
        if len(failing) < 2:
            continue
        for cell_key, group, delta in _culprits(table_evs, failing):
            members = [_find(out, key, ev) for ev in group]
            if any(m is None for m in members):
                continue  # a finding was already merged or is not there: leave them as they are
            merged = _merged(report, key, cell_key, group, delta)
            at = min(k for k, f in enumerate(out) if any(f is m for m in members))
            out = [f for f in out if not any(f is m for m in members)]
            out.insert(at, merged)
    return _no_contradictions(out)


def _culprits(table_evs, failing):
    """(cell, the failing identities it explains, the change) for cells explaining two or more failures."""
    candidates = {}
    for cell_key in {k for ev in failing for k, a in ev.coef.items() if a}:
        group = [ev for ev in failing if ev.coef.get(cell_key)]
        if len(group) < 2:
            continue
        deltas = {-ev.diff / ev.coef[cell_key] for ev in group}
        if len(deltas) != 1:
            continue
        if any(ev.holds and not ev.skipped and ev.coef.get(cell_key) for ev in table_evs):
            continue  # changing it would break an identity that holds now
        candidates[cell_key] = (group, deltas.pop())
    taken: set[int] = set()
    # the cell explaining the most failures first; a set of failures two cells explain equally is left alone
    for cell_key, (group, delta) in sorted(candidates.items(), key=lambda kv: (-len(kv[1][0]), kv[0])):
        ids = {id(ev) for ev in group}
        if ids & taken:
            continue
        rivals = [k for k, (g, _) in candidates.items() if k != cell_key and {id(e) for e in g} == ids]
        if rivals:
            continue
        taken |= ids
        yield cell_key, group, delta


def _find(findings, table_key, ev):
    for f in findings:
        if (f.code == ev.rule.code and f.location.get("table") == table_key
                and f.location.get("identity") == ev.item and f.location.get("cells") is not None):
            return f
    return None


def _merged(report, table_key, cell_key, group, delta) -> Finding:
    bt = report.tables[table_key]
    row = bt.rows[cell_key[0]]
    cell = row.cells[cell_key[1]]
    fixed = cell.value.number + delta
    names = "、".join(f"{ev.rule.code}（{_item_name(bt, ev)}）" for ev in group)
    # the code of the identity in which this cell stands alone on one side (the total it checks), else the first
    first = next((ev.rule for ev in group for side in (ev.lcells, ev.rcells)
                  if [(r.key, c) for r, c, _ in side] == [cell_key]), group[0].rule)
    message = (f"{_table_words(bt)}「{row.label}」行「{cell_key[1]}」列的 {cell.value.raw} 可能有误：改为 {_fmt(fixed)} 后，"
               f"{names} {len(group)} 项勾稽关系均成立")
    loc = location(cell.loc, table=bt.key, table_title=bt.title, row=row.key, row_label=row.label,
                   column=cell_key[1])
    cells, seen = [], set()
    for ev in group:
        for r, c, x in ev.lcells + ev.rcells:
            if (r.key, c) not in seen:
                seen.add((r.key, c))
                cells.append(cell_ref(r, c, x))
    loc["cells"] = cells
    loc["identities"] = [{"code": ev.rule.code, "identity": ev.item, "left": _fmt(ev.left), "right": _fmt(ev.right)}
                         for ev in group]
    return first.finding(message, loc, expected=_fmt(fixed), found=cell.value.raw)


def _no_contradictions(findings: list[Finding]) -> list[Finding]:
    """Two findings that correct the same cell to different values: neither correction can be trusted."""
    ours = [f for f in findings if "identity" in f.location or "identities" in f.location]
    seen: dict[tuple, set[str]] = {}
    for f in ours:
        if f.expected is not None:
            k = (f.location.get("table"), f.location.get("row"), f.location.get("column"))
            seen.setdefault(k, set()).add(f.expected)
    for f in ours:
        k = (f.location.get("table"), f.location.get("row"), f.location.get("column"))
        if len(seen.get(k, ())) > 1:
            f.expected = None
    return findings


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral_value() else str(d)
