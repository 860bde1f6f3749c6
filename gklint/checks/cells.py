"""GK205 blank or placeholder where a number is required · GK206 invalid cell value."""

from __future__ import annotations

from gklint.findings import cell_ref, location

SCATTERED_ROWS = 3  # blank cells in more rows than this (outside whole blank columns) are reported together


def _where(bt, row, col, cell):
    return location(cell.loc, table=bt.key, table_title=bt.title, row=row.key, row_label=row.label, column=col)


def check(report, rule, ctx):
    what = rule.params.get("check", "blank")
    for bt in report.tables.values():
        if what == "blank":
            yield from _blank(bt, rule)
            continue
        for row in bt.rows.values():
            spec = bt.spec.row(row.key) if bt.spec and row.key in {r.key for r in bt.spec.rows} else None
            for col, cell in row.cells.items():
                v = cell.value
                name = f"“{bt.title}”表“{row.label or row.key}”行「{col}」列"
                problem = None
                if v.kind == "text":
                    problem = "不是数字"
                elif v.kind == "number":
                    signed = spec is not None and col in spec.signed
                    decimal = spec is not None and (col in spec.decimal or spec.unit is not None)
                    if v.number < 0 and not signed:
                        problem = "是负数"
                    elif v.number != v.number.to_integral_value() and not decimal:
                        problem = "不是整数（件数应为整数）"
                if problem:
                    yield rule.finding(f"{name}的值“{v.raw}”{problem}", _where(bt, row, col, cell),
                                       expected="非负整数", found=v.raw)


def _blank(bt, rule):
    """Blank cells, one finding per region: whole columns side by side, then whole rows, then the rest of
    each row, or the rest of the table at once when blanks are scattered over many rows (a table with five
    empty applicant columns is one finding, not 125)."""
    blank = {(r.key, c) for r in bt.rows.values() for c, cell in r.cells.items()
             if cell.value.kind in ("blank", "placeholder")}
    if not blank:
        return
    rows = [r for r in bt.rows.values() if r.cells]
    columns = list(dict.fromkeys(c for r in rows for c in r.cells))
    groups: list[tuple[str, list[tuple]]] = []
    run: list[str] = []  # whole blank columns side by side are one region
    for col in columns + [None]:
        having = [r for r in rows if col in r.cells]
        if col is not None and len(having) > 1 and all((r.key, col) in blank for r in having):
            run.append(col)
            continue
        if run:
            cells = [(r, c) for c in run for r in rows if c in r.cells]
            name = f"「{run[0]}」列" if len(run) == 1 else f"「{run[0]}」至「{run[-1]}」{len(run)} 列"
            groups.append((f"{name}全部 {len(cells)} 个单元格", cells))
            blank -= {(r.key, c) for r, c in cells}
            run = []
    scattered = [r for r in rows if any((r.key, c) in blank for c in r.cells)]
    if len(scattered) > SCATTERED_ROWS:  # blanks all over the table: one habit (blank for 0), one finding
        cells = [(r, c) for r in scattered for c in r.cells if (r.key, c) in blank]
        groups.append((f"{'另有' if groups else '共有'} {len(scattered)} 行中的 {len(cells)} 个单元格", cells))
        scattered = []
    for r in scattered:
        cells = [(r, c) for c in r.cells if (r.key, c) in blank]
        if len(cells) == len(r.cells) and len(cells) > 1:
            groups.append((f"“{r.label or r.key}”行全部 {len(cells)} 个单元格", cells))
        elif len(cells) == 1:
            groups.append((f"“{r.label or r.key}”行「{cells[0][1]}」列", cells))
        else:
            names = "、".join(f"「{c}」" for _, c in cells)
            groups.append((f"“{r.label or r.key}”行{names}列", cells))
    for what, cells in groups:
        r, c = cells[0]
        cell = r.cells[c]
        v = cell.value
        shown = "空白" if v.kind == "blank" else f"“{v.raw}”"
        loc = _where(bt, r, c, cell)
        if len(cells) > 1:
            loc["cells"] = [cell_ref(x, col, x.cells[col]) for x, col in cells]
            shown = "空白或占位符"
        yield rule.finding(f"“{bt.title}”表{what}为{shown}，应填写数字（没有发生的填 0）", loc,
                           expected="数字（无则填 0）", found=v.show() if len(cells) == 1 else f"{len(cells)} 个空白")
