"""GK201 table missing · GK202 row missing · GK203 column missing · GK204 rows incomplete ·
GK208 a table found but not read as the national format (said once, nothing in it checked)."""

from __future__ import annotations

from gklint.findings import location



def check(report, rule, ctx):
    what = rule.params.get("check", "table")
    schema = ctx.ruleset
    for key, spec in schema.tables.items():
        bt = report.tables.get(key)
        if what == "table":
            section = report.section(spec.section)
            if bt is None and key not in report.unread and section is not None and section.pictures:
                yield rule.finding(f"第{spec.section}部分中没有“{spec.title}”统计表，只有图片（{section.pictures} 张）："
                                   "统计表可能是以图片形式粘贴的，gklint 无法读取图片中的数字；请粘贴为表格",
                                   location(section.loc, table=key, table_title=spec.title, section=spec.section),
                                   expected=f"{spec.title}（表格）", found=f"图片 {section.pictures} 张")
            elif bt is None and key not in report.unread:
                yield rule.finding(f"缺少“{spec.title}”统计表（应在第{spec.section}部分）",
                                   location(table=key, table_title=spec.title, section=spec.section),
                                   expected=spec.title, found="（未找到）")
            continue
        if what == "readable":
            yield from _readable(report, rule, key, spec)
            continue
        if what in ("wording", "marks"):
            yield from (_wording if what == "wording" else _marks)(report, rule, key, spec)
            continue
        if bt is None:
            continue
        if what == "rows":
            if bt.header_note:
                continue  # rows lost with the header in an extraction: said once by GK208, not an error per row
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
            rows = [r for r in bt.rows.values() if r.incomplete and r.unsplit is None]
            if rows:
                yield _incomplete(rule, key, spec, rows)


def _incomplete(rule, key, spec, rows):
    """All incomplete rows of a table are one finding: they share a cause (cells dropped or merged)."""
    first = rows[0]
    shown = "；".join(f"“{r.label or r.key}”{len(r.found)}/{r.expected}（{'、'.join(c.value.raw for c in r.found) or '无'}）"
                     for r in rows[:3])
    more = f" 等 {len(rows)} 行" if len(rows) > 3 else ""
    loc = location(first.loc, table=key, table_title=spec.title, row=first.key, row_label=first.label)
    loc["rows"] = [{"row": r.key, "row_label": r.label, "values": [c.value.raw for c in r.found],
                    "expected": r.expected, "line": r.loc.line, "grid_row": r.loc.row} for r in rows]
    what = f"“{first.label or first.key}”行" if len(rows) == 1 else f"{len(rows)} 行"
    return rule.finding(f"“{spec.title}”表的{what}数值个数少于列数（{shown}{more}），无法判断各值属于哪一列，"
                        "这些行不参与勾稽检查", loc, expected=f"{first.expected} 个数值", found=f"{len(first.found)} 个")


def _readable(report, rule, key, spec):
    if key in report.unread:
        bt, reason = report.unread[key]
        yield rule.finding(f"找到了“{spec.title}”表，但无法按国家格式读取：{reason}；此表的行、列和勾稽关系均未检查",
                           location(bt.loc, table=key, table_title=spec.title), expected="国家格式的统计表",
                           found=reason)
        return
    bt = report.tables.get(key)
    if bt is not None and bt.header_note:
        lost = f"；另有 {len(bt.missing_rows)} 行找不到（可能在复制或转换时丢失），未检查" if bt.missing_rows else ""
        yield rule.finding(f"“{spec.title}”表的{bt.header_note}{lost}", location(bt.loc, table=key, table_title=spec.title),
                           expected="国家格式的表头", found="表头无法识别")
    runs = [r for r in bt.rows.values() if r.unsplit] if bt else []
    if runs:
        shown = "、".join(f"“{r.label or r.key}”（{r.unsplit}）" for r in runs[:4])
        more = f" 等 {len(runs)} 行" if len(runs) > 4 else ""
        loc = location(runs[0].loc, table=key, table_title=spec.title, row=runs[0].key, row_label=runs[0].label)
        loc["rows"] = [{"row": r.key, "row_label": r.label, "digits": r.unsplit} for r in runs]
        yield rule.finding(f"“{spec.title}”表中{shown}{more}的数字连在一起，不能唯一地拆分为各列的数值，"
                           "这些行未检查", loc, expected="每个单元格一个数值", found=runs[0].unsplit)


def _wording(report, rule, key, spec):
    """A row bound by a label one or two characters off the template's: the row is checked, the wording said."""
    bt = report.tables.get(key)
    for row in (bt.rows.values() if bt else []):
        if row.wording:
            yield rule.finding(f"“{spec.title}”表的行标签“{row.label}”与模板“{row.wording}”措辞略有不同，按该行读取",
                               location(row.loc, table=key, table_title=spec.title, row=row.key, row_label=row.label),
                               expected=row.wording, found=row.label)


def _marks(report, rule, key, spec):
    """Figures printed with a footnote mark: read without it, said once per table."""
    bt = report.tables.get(key)
    marked = [(row, c) for row in (bt.rows.values() if bt else []) for c in row.found if c.value.mark]
    if not marked:
        return
    row, cell = marked[0]
    shown = "、".join(f"“{c.value.raw}”读作 {c.value.number}" for _, c in marked[:4])
    more = f" 等 {len(marked)} 个单元格" if len(marked) > 4 else ""
    yield rule.finding(f"“{spec.title}”表中的数字带有脚注标记（{shown}{more}），已去掉标记读取",
                       location(cell.loc, table=key, table_title=spec.title, row=row.key, row_label=row.label),
                       expected=str(cell.value.number), found=cell.value.raw)
