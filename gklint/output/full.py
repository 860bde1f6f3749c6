"""The default report: findings grouped by file, the offending cells drawn as a small table, the sentence
with the offending words marked, and a summary. Laid out once as styled segments; printed with rich on a
terminal (colour) or as plain text otherwise, so rich is only imported when it is needed."""

from __future__ import annotations

from gklint.findings import Finding, describe
from gklint.output.text import clean, grid, truncate, underline

Line = list[tuple[str, str]]  # (text, rich style)
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_NAME = {"error": "错误", "warning": "警告", "info": "提示"}
INDENT = "    "


def render(results, elapsed: float | None = None, quiet: bool = False) -> list[Line]:
    lines: list[Line] = []
    for r in results:
        if r.findings:
            lines += file_block(r)
    if not quiet:
        lines.append([(summary(results, elapsed), "bold")])
    return lines


def file_block(r) -> list[Line]:
    about = [r.template and f"规则集 {r.template}", r.report_year and f"{r.report_year}年度",
             f"{len(r.findings)} 个问题"]
    lines: list[Line] = [[(clean(r.path), "bold underline"), ("  " + " · ".join(a for a in about if a), "dim")]]
    for f in r.findings:
        lines += finding_block(f)
    lines.append([])
    return lines


def finding_block(f: Finding) -> list[Line]:
    lines: list[Line] = [[("  " + f.code, "bold"), (" ", ""), (SEVERITY_NAME.get(f.severity, f.severity),
                                                                SEVERITY_STYLE.get(f.severity, "")),
                          ("  " + clean(f.message), "")]]
    where = describe(f.location)
    if where:
        lines.append([(INDENT + "位置：" + clean(where), "dim")])
    if f.snippet:
        s, e = f.span or (0, 0)
        before, marked, after = (clean(part) for part in (f.snippet[:s], f.snippet[s:e], f.snippet[e:]))
        lines.append([(INDENT + before, ""), (marked, "bold red underline"), (after, "")])
        lines.append([(INDENT + underline(before + marked, (len(before), len(before) + len(marked))), "red")])
    lines += cell_drawing(f)
    if f.expected is not None or f.found is not None:
        lines.append([(INDENT + "应为 ", "dim"), (clean(f.expected or "—"), "green"),
                      ("，实际 ", "dim"), (clean(f.found or "—"), "red")])
    return lines


def _cells(f: Finding) -> list[dict]:
    loc = f.location
    if loc.get("cells"):
        return loc["cells"]
    if loc.get("column") and loc.get("grid_row") and f.found is not None:  # a single cell (GK205, GK206)
        return [{"row": loc.get("row"), "row_label": loc.get("row_label"), "column": loc["column"],
                 "value": f.found, "grid_row": loc["grid_row"], "grid_col": loc.get("grid_col")}]
    return []


def cell_drawing(f: Finding) -> list[Line]:
    """The rows and columns the finding involves, with the offending cell marked 'found → expected'."""
    data = cell_grid(f)
    if data is None:
        return []
    header, rows, mark = data
    drawn = grid(header, rows)
    out: list[Line] = []
    for n, text in enumerate(drawn):
        if mark and n == mark[0] + 3:  # 3 lines precede the body: top rule, header, rule
            parts = text.split("│")
            before, cell, after = "│".join(parts[:mark[1] + 1]) + "│", parts[mark[1] + 1], "│" + "│".join(parts[mark[1] + 2:])
            out.append([(INDENT + before, "dim"), (cell, "bold red"), (after, "dim")])
        else:
            out.append([(INDENT + text, "dim")])
    return out


def cell_grid(f: Finding) -> tuple[list[str], list[list[str]], tuple[int, int] | None] | None:
    """The drawing's data (also the HTML report's): header, rows of clean cell texts, (row, column) marked."""
    cells = _cells(f)
    if not cells:
        return None
    row_keys, col_keys, values = [], [], {}
    for c in sorted(cells, key=lambda c: (c.get("table_index") or 0, c.get("grid_row") or 0)):  # parts in order
        rk = (c.get("table"), c.get("row"))
        if rk not in row_keys:
            row_keys.append(rk)
        values[(rk, c["column"])] = c.get("value") or ""
    for c in sorted(cells, key=lambda c: (c.get("grid_col") or 0)):
        if c["column"] not in col_keys:
            col_keys.append(c["column"])
    labels = {(c.get("table"), c.get("row")): c.get("row_label") or c.get("row") or "" for c in cells}
    loc = f.location
    flag = ((loc.get("table") if any(k[0] for k in row_keys) else None, loc.get("row")), loc.get("column"))
    if f.snippet:  # a text finding: the cells are evidence, the sentence is what is wrong
        flag = None
    short = [k.rsplit("/", 1)[-1] for k in col_keys]
    if len(set(short)) < len(short):
        short = col_keys
    header = [""] + [_safe(truncate(k, 16)) for k in short]
    rows, mark = [], None
    for i, rk in enumerate(row_keys):
        row = [_safe(truncate(labels.get(rk, ""), 28))]
        for j, ck in enumerate(col_keys):
            v = _safe(values.get((rk, ck), ""))
            if flag and (rk, ck) == flag and f.expected is not None:
                v, mark = f"{v} → {_safe(f.expected)}", (i, j + 1)
            row.append(v)
        rows.append(row)
    return header, rows, mark


def _safe(text: str) -> str:
    return clean(str(text)).replace("│", "|")


def totals(results) -> dict:
    """Files, files with findings, unreadable files and findings per severity (summary line, JSON summary)."""
    out = {"files": len(results), "files_with_findings": sum(1 for r in results if r.findings),
           "unreadable": sum(1 for r in results if r.unreadable),
           "skipped": sum(1 for r in results if r.skipped), "error": 0, "warning": 0, "info": 0}
    for r in results:
        for f in r.findings:
            out[f.severity] += 1
    return out


def summary(results, elapsed: float | None, unsupported=(), baseline_hidden: int = 0) -> str:
    t = totals(results)
    text = f"检查了 {t['files'] - t['skipped']} 个文件"
    if results:
        unreadable = f"，{t['unreadable']} 个无法读取" if t["unreadable"] else ""
        text += f"（{t['files_with_findings']} 个有问题{unreadable}）"
    text += "：" + "，".join(f"{t[s]} 个{SEVERITY_NAME[s]}" for s in ("error", "warning", "info"))
    if elapsed is not None:
        text += f"，用时 {elapsed:.2f} 秒"
    if t["skipped"]:
        text += f"；跳过 {t['skipped']} 个非年报文件（没有年度报告的标题、部分标题或统计表）"
    if baseline_hidden:
        text += f"；基线隐藏了 {baseline_hidden} 个问题（--show-suppressed 列出）"
    if unsupported:
        shown = "、".join(clean(p) for p in list(unsupported)[:3]) + (" 等" if len(unsupported) > 3 else "")
        text += f"；未检查 {len(unsupported)} 个旧版 .doc/.wps 文件（{shown}），请另存为 .docx"
    return text + "。"


def as_text(results, run) -> str:
    """The FORMATS entry: the report as plain text (a terminal gets it in colour from print_rich)."""
    return to_plain(render(results, run.elapsed, quiet=True))


def to_plain(lines: list[Line]) -> str:
    return "".join("".join(t for t, _ in line) + "\n" for line in lines)


def print_rich(lines: list[Line], console) -> None:
    from rich.text import Text

    for line in lines:
        console.print(Text.assemble(*line), soft_wrap=True, highlight=False)
