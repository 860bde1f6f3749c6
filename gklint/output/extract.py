"""`gklint extract`: what binding understood, as JSON (for evaluators) or Markdown (for people)."""

from __future__ import annotations

import json

from gklint.findings import table_name
from gklint.report.model import BoundRow, BoundTable, Report


def _row(row: BoundRow, columns: list[str]) -> dict:
    out = {"key": row.key, "label": row.label, "location": row.loc.to_dict(), "incomplete": row.incomplete}
    if row.incomplete:
        out["expected_values"] = row.expected
        out["found_values"] = [{"value": c.value.raw, "kind": c.value.kind, "location": c.loc.to_dict()}
                               for c in row.found]
    else:
        out["cells"] = [{"column": col, "value": c.value.raw, "kind": c.value.kind,
                         "number": None if c.value.number is None else str(c.value.number),
                         "unit": c.value.unit, "location": c.loc.to_dict()}
                        for col, c in row.cells.items()]
    return out


def _table(t: BoundTable) -> dict:
    return {
        "name": _name(t), "title": t.title, "source": t.source, "location": t.loc.to_dict(),
        "rows": [_row(r, list(r.cells)) for r in t.rows.values()],
        "missing_rows": t.missing_rows, "missing_columns": t.missing_columns,
        "extra_rows": [{"label": r.label, "location": r.loc.to_dict(), "values": [c.value.raw for c in r.found]}
                       for r in t.extra_rows],
    }


def to_dict(report: Report) -> dict:
    doc = report.document
    pub = report.publication
    period = report.period
    return {
        "path": doc.path,
        "reader": doc.reader,
        "encoding": doc.encoding,
        "title": report.title,
        "agency": report.agency,
        "report_year": report.year,
        "template": report.layout,
        "template_scores": report.layout_scores,
        "publication_date": None if pub is None else {
            "date": pub.date.isoformat(), "source": pub.source, "text": pub.text, "location": pub.loc.to_dict()},
        "statistical_period": None if period is None else {
            "start": period.start and period.start.isoformat(), "end": period.end and period.end.isoformat(),
            "text": period.text, "location": period.loc.to_dict()},
        "properties": doc.properties,
        "comments": doc.comments,
        "sections": [{"key": s.key, "title": s.title, "heading": s.heading, "number": s.number,
                      "numbered": s.numbered, "location": s.loc.to_dict(), "paragraphs": len(s.paragraphs),
                      "empty": not s.text.strip()} for s in report.sections],
        "tables": {**{k: _table(t) for k, t in report.tables.items()},
                   **{k: {**_table(t), "unreadable": why} for k, (t, why) in report.unread.items()}},
    }


def to_json(reports: list[Report]) -> str:
    data = [to_dict(r) for r in reports]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def to_markdown(report: Report) -> str:
    d = to_dict(report)
    lines = [f"# {d['path']}", ""]
    meta = [("读取方式", d["reader"] + (f"（编码 {d['encoding']}）" if d["encoding"] else "")),
            ("标题", d["title"] or "（未找到）"), ("机关", d["agency"] or "（未找到）"),
            ("报告年度", d["report_year"] or "（未找到）"),
            ("表格格式", {"gb2019": "2019 版格式（国办公开办函〔2019〕60号）",
                      "gb2021": "2021 版格式（国办公开办函〔2021〕30号）"}.get(d["template"], "（无法判断）")),
            ("发布/落款日期", f"{d['publication_date']['date']}（{d['publication_date']['source']}）"
             if d["publication_date"] else "（未找到）"),
            ("统计期限", f"{d['statistical_period']['start']} 至 {d['statistical_period']['end']}"
             if d["statistical_period"] else "（未找到）")]
    for key in ("created", "modified"):
        if key in d["properties"]:
            meta.append(({"created": "文档创建时间", "modified": "文档修改时间"}[key], d["properties"][key]))
    lines += [f"- {k}：{v}" for k, v in meta]
    lines += ["", "## 部分", "", "| 部分 | 标题（原文） | 编号 | 位置 | 段落数 |", "|---|---|---|---|---|"]
    found = {s["key"] for s in d["sections"]}
    for s in report.sections:
        number = s.number + "、" if s.numbered else "无编号"
        lines.append(f"| {s.key} | {_md_cell(s.heading)} | {number} | {s.loc} | "
                     f"{len(s.paragraphs)}{'（空）' if not s.text.strip() else ''} |")
    missing = [k for k in "一二三四五六" if k not in found]
    if missing:
        lines.append(f"\n未找到的部分：{'、'.join(missing)}")
    for key, t in [*report.tables.items(), *((k, bt) for k, (bt, _) in report.unread.items())]:
        where = f"（{t.loc}）" if t.loc.table is None and str(t.loc) else ""  # cells from loose paragraphs
        lines += ["", f"## {_name(t)}（{key}）：{t.title}{where}", ""]
        if key in report.unread:
            lines += [f"无法按国家格式读取：{report.unread[key][1]}（以下为读到的内容，未检查）", ""]
        cols = sorted({c for r in t.rows.values() for c in r.cells}, key=lambda c: _col_order(t, c))
        wide = len(cols) > 1 and all(len(r.cells) in (0, len(cols)) for r in t.rows.values())
        if wide:
            lines += ["| 行 | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
            for r in t.rows.values():
                if r.incomplete:
                    vals = "、".join(c.value.raw for c in r.found) or "无"
                    lines.append(f"| {_md_cell(r.label)} | 不完整：应有 {r.expected} 个值，找到 {len(r.found)} 个（{vals}） |")
                else:
                    lines.append(f"| {_md_cell(r.label)} | " + " | ".join(_md_cell(r.cells[c].value.show()) for c in cols) + " |")
        else:
            lines += ["| 行 | 列 | 值 | 位置 |", "|---|---|---|---|"]
            for r in t.rows.values():
                if r.incomplete:
                    vals = "、".join(c.value.raw for c in r.found) or "无"
                    lines.append(f"| {_md_cell(r.label)} | （不完整） | 应有 {r.expected} 个值，找到 {len(r.found)} 个：{vals} | {r.loc} |")
                for c, cell in r.cells.items():
                    lines.append(f"| {_md_cell(r.label)} | {_md_cell(c)} | {_md_cell(cell.value.show())} | {cell.loc} |")
        if t.missing_rows:
            lines.append(f"\n缺少的行：{'、'.join(t.missing_rows)}")
        if t.missing_columns:
            lines.append(f"\n缺少的列：{'、'.join(t.missing_columns)}")
        for r in t.extra_rows:
            lines.append(f"\n未识别的行：{r.label}（{r.loc}）：{'、'.join(c.value.raw for c in r.found)}")
    return "\n".join(lines) + "\n"


def _name(t: BoundTable) -> str:
    """表二/表三/表四 as the national format names them (the rule set's key otherwise)."""
    return t.loc.table_name or table_name(t.key) or t.key


def _col_order(t: BoundTable, col: str) -> int:
    for r in t.rows.values():
        keys = list(r.cells)
        if col in keys:
            return keys.index(col)
    return 0
