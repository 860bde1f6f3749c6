"""GK205 blank or placeholder where a number is required · GK206 invalid cell value."""

from __future__ import annotations

from gklint.findings import location

PARAMS = ("check",)  # "blank" or "invalid"


def _where(bt, row, col, cell):
    return location(cell.loc, table=bt.key, table_title=bt.title, row=row.key, row_label=row.label, column=col)


def check(report, rule, ctx):
    what = rule.params.get("check", "blank")
    for bt in report.tables.values():
        for row in bt.rows.values():
            spec = bt.spec.row(row.key) if bt.spec and row.key in {r.key for r in bt.spec.rows} else None
            for col, cell in row.cells.items():
                v = cell.value
                name = f"“{bt.title}”表“{row.label or row.key}”行「{col}」列"
                if what == "blank" and v.kind in ("blank", "placeholder"):
                    shown = "空白" if v.kind == "blank" else f"“{v.raw}”"
                    yield rule.finding(f"{name}为{shown}，应填写数字（没有发生的填 0）",
                                       _where(bt, row, col, cell), expected="数字（无则填 0）", found=v.show())
                elif what == "invalid":
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
