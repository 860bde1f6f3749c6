"""GK201 table missing · GK202 row missing · GK203 column missing · GK204 row incomplete."""

from __future__ import annotations

from gklint.findings import location

PARAMS = ("check",)  # "table", "rows", "columns" or "incomplete"


def check(report, rule, ctx):
    what = rule.params.get("check", "table")
    schema = ctx.ruleset
    for key, spec in schema.tables.items():
        bt = report.tables.get(key)
        if what == "table":
            if bt is None:
                yield rule.finding(f"缺少“{spec.title}”统计表（应在第{spec.section}部分）",
                                   location(table=key, table_title=spec.title, section=spec.section),
                                   expected=spec.title, found="（未找到）")
            continue
        if bt is None:
            continue
        if what == "rows":
            for row_key in bt.missing_rows:
                row = bt.spec.row(row_key)
                label = row.label if row else row_key
                yield rule.finding(f"“{spec.title}”表缺少行“{label}”",
                                   location(bt.loc, table=key, table_title=spec.title, row=row_key),
                                   expected=label, found="（未找到）")
        elif what == "columns":
            for col in bt.missing_columns:
                yield rule.finding(f"“{spec.title}”表的表头中找不到列“{col}”",
                                   location(bt.loc, table=key, table_title=spec.title, column=col),
                                   expected=col, found="（未找到）")
        elif what == "incomplete":
            for row in bt.rows.values():
                if row.incomplete:
                    vals = "、".join(c.value.raw for c in row.found) or "无"
                    yield rule.finding(
                        f"“{spec.title}”表的“{row.label or row.key}”行应有 {row.expected} 个数值，只找到 "
                        f"{len(row.found)} 个（{vals}），无法判断各值属于哪一列",
                        location(row.loc, table=key, table_title=spec.title, row=row.key, row_label=row.label),
                        expected=f"{row.expected} 个数值", found=f"{len(row.found)} 个")

