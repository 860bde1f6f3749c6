"""The default report: findings grouped by file, the offending cells drawn as a small table, the sentence
with the offending words marked, and a summary. Laid out once as styled segments; printed with rich on a
terminal (colour) or as plain text otherwise, so rich is only imported when it is needed."""

from __future__ import annotations

from gklint.findings import Finding, describe
from gklint.output.text import clean, fit_excerpt, grid, truncate, underline, wrap2
from gklint.output.text import width as _width

Line = list[tuple[str, str]]  # (text, rich style)
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_NAME = {"error": "错误", "warning": "警告", "info": "提示"}
INDENT = "    "


def terminal_width() -> int | None:
    """The columns to fit the report to: COLUMNS, else the terminal's; None (nothing cut) for a pipe or file."""
    import os
    import shutil
    import sys

    try:
        cols = int(os.environ.get("COLUMNS", ""))
        return cols if cols > 0 else None
    except ValueError:
        pass
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def render(results, elapsed: float | None = None, quiet: bool = False, width: int | None = None) -> list[Line]:
    """`width`: terminal columns the drawn tables and marked sentences are fitted to (None: drawn whole)."""
    lines: list[Line] = []
    for r in results:
        if r.findings:
            lines += file_block(r, width)
    if not quiet:
        lines.append([(summary(results, elapsed), "bold")])
    return lines


def file_block(r, width: int | None = None) -> list[Line]:
    about = [r.template and f"规则集 {r.template}", r.report_year and f"{r.report_year}年度",
             f"{len(r.findings)} 个问题"]
    lines: list[Line] = [[(clean(r.path), "bold underline"), ("  " + " · ".join(a for a in about if a), "dim")]]
    for f in r.findings:
        lines += finding_block(f, width)
    lines.append([])
    return lines


def finding_block(f: Finding, width: int | None = None) -> list[Line]:
    lines: list[Line] = [[("  " + f.code, "bold"), (" ", ""), (SEVERITY_NAME.get(f.severity, f.severity),
                                                                SEVERITY_STYLE.get(f.severity, "")),
                          ("  " + clean(f.message), "")]]
    where = describe(f.location)
    if where:
        lines.append([(INDENT + "位置：" + clean(where), "dim")])
    if f.snippet:
        s, e = f.span or (0, 0)
        before, marked, after = (clean(part) for part in (f.snippet[:s], f.snippet[s:e], f.snippet[e:]))
        before, marked, after = fit_excerpt(before, marked, after, width and width - len(INDENT))
        lines.append([(INDENT + before, ""), (marked, "bold red underline"), (after, "")])
        lines.append([(INDENT + underline(before + marked, (len(before), len(before) + len(marked))), "red")])
    lines += cell_drawing(f, width)
    if f.expected is not None or f.found is not None:
        expected, found = clean(f.expected or "—"), clean(f.found or "—")
        if width and len(INDENT) + 10 + _width(expected + found) > width:  # a long placeholder found: its start
            room = max(20, (width - len(INDENT) - 10) // 2)
            expected, found = truncate(expected, room), truncate(found, room)
        lines.append([(INDENT + "应为 ", "dim"), (expected, "green"), ("，实际 ", "dim"), (found, "red")])
    return lines


def _cells(f: Finding) -> list[dict]:
    loc = f.location
    if loc.get("cells"):
        return loc["cells"]
    if loc.get("column") and loc.get("grid_row") and f.found is not None:  # a single cell (GK205, GK206)
        return [{"row": loc.get("row"), "row_label": loc.get("row_label"), "column": loc["column"],
                 "value": f.found, "grid_row": loc["grid_row"], "grid_col": loc.get("grid_col")}]
    return []


def cell_drawing(f: Finding, width: int | None = None) -> list[Line]:
    """The rows and columns the finding involves, with the offending cell marked 'found → expected'."""
    data = cell_grid(f)
    if data is None:
        return []
    header, rows, mark = data
    if width:
        header, rows, mark = fit_grid(header, rows, mark, width - len(INDENT))
    drawn = grid(header, rows)
    depth = max(h.count("\n") + 1 for h in header)
    out: list[Line] = []
    for n, text in enumerate(drawn):
        if mark and n == mark[0] + depth + 2:  # the top rule, the header's lines and a rule precede the body
            parts = text.split("│")
            before, cell, after = "│".join(parts[:mark[1] + 1]) + "│", parts[mark[1] + 1], "│" + "│".join(parts[mark[1] + 2:])
            out.append([(INDENT + before, "dim"), (cell, "bold red"), (after, "dim")])
        else:
            out.append([(INDENT + text, "dim")])
    return out


def _drawn_width(header, rows) -> int:
    return _width(grid(header, rows)[0])


def fit_grid(header: list[str], rows: list[list[str]], mark, cols: int):
    """The drawing cut to `cols` terminal columns: column names on two lines, then shorter row labels, then
    only the columns of interest (the marked one and the last, 总计) with "…" for the others."""
    if _drawn_width(header, rows) <= cols:
        return header, rows, mark
    values = [max([_width(r[i]) for r in rows], default=0) for i in range(len(header))]
    # every name wider than three characters and its values on two lines (one wrapped name costs a line anyway)
    header = [h if i == 0 or _width(h) <= max(values[i], 6) else wrap2(h) for i, h in enumerate(header)]
    over = _drawn_width(header, rows) - cols
    if over > 0:  # row labels: down to 10 columns
        label = max(_width(r[0]) for r in rows)
        short = max(10, label - over)
        rows = [[truncate(r[0], short), *r[1:]] for r in rows]
    keep = set(range(len(header)))
    while _drawn_width(*_only(header, rows, keep)) > cols:
        droppable = [j for j in sorted(keep)[1:-1] if not (mark and j == mark[1])]
        if not droppable:
            break
        keep.discard(max(droppable, key=lambda j: (abs(j - mark[1]), j)) if mark else droppable[-1])
    if len(keep) < len(header):
        drawn = _drawn_columns(len(header), keep)
        header, rows = _only(header, rows, keep)
        mark = mark and (mark[0], drawn.index(mark[1]))
    return header, rows, mark


def _drawn_columns(n: int, keep: set) -> list:
    """The columns drawn: a kept column's index, or None for one "…" where a run of columns is left out."""
    out: list = []
    for j in range(n):
        if j in keep:
            out.append(j)
        elif out[-1] is not None:
            out.append(None)
    return out


def _only(header, rows, keep):
    drawn = _drawn_columns(len(header), keep)
    cut = lambda row: [row[j] if j is not None else "…" for j in drawn]  # noqa: E731
    return cut(header), [cut(r) for r in rows]


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
    # columns in the order of the row with most cells: rows whose label takes fewer grid columns (a text
    # report's "（一）予以公开" against "三、本年度办理结果\t（四）无法提供\t1.…") have their 总计 further left
    by_row: dict = {}
    for c in cells:
        by_row.setdefault((c.get("table"), c.get("row")), []).append(c)
    widest = max(by_row.values(), key=len)
    for c in sorted(widest, key=lambda c: (c.get("grid_col") or 0)) + sorted(cells, key=lambda c: (c.get("grid_col") or 0)):
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
    return to_plain(render(results, run.elapsed, quiet=True, width=run.width))


def to_plain(lines: list[Line]) -> str:
    return "".join("".join(t for t, _ in line) + "\n" for line in lines)


def print_rich(lines: list[Line], console) -> None:
    from rich.text import Text

    for line in lines:
        console.print(Text.assemble(*line), soft_wrap=True, highlight=False)
