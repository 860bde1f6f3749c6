"""Hostile sizes: inputs far larger than any annual report, built from the official template (docgen.py).

Used by tests (small sizes) and benchmarks/sizes.py (large ones). Every builder takes the size as a
parameter so a test can build the same shape at a size it can afford.
"""

from __future__ import annotations

import copy
import html
import subprocess
from pathlib import Path

from docgen import as_text, build_docx

SENTENCE = "全年共收到政府信息公开申请41件，办结39件，结转下年度继续办理4件，主动公开政府信息356条。"


def base_text(tmp: Path) -> str:
    """The consistent 2022 report as text (paragraphs, tab-separated table rows), built once per folder."""
    cached = tmp / "_base.txt"
    if not cached.exists():
        src = build_docx(tmp / "_base.docx")
        cached.write_text(as_text(src), encoding="utf-8")
    return cached.read_text(encoding="utf-8")


def long_line_text(path: Path, chars: int, tmp: Path | None = None) -> Path:
    """The report with one paragraph (in section 六) grown to `chars` characters of narrative on one line."""
    text = base_text(tmp or path.parent)
    line = (SENTENCE * (chars // len(SENTENCE) + 1))[:chars]
    head, sep, tail = text.partition("六、其他需要报告的事项")
    path.write_text(head + sep + "\n" + line + tail, encoding="utf-8")
    return path


def flat_text(path: Path, chars: int, tmp: Path | None = None) -> Path:
    """The whole report on one line (a web page copied as text), padded with narrative up to `chars`."""
    text = base_text(tmp or path.parent).replace("\t", " ").replace("\n", " ")
    pad = max(0, chars - len(text))
    path.write_text(text + SENTENCE * (pad // len(SENTENCE) + 1), encoding="utf-8")
    return path


def extra_row_cells(i: int) -> list[str]:
    return [f"补充事项{i}"] + [str(i % 7)] * 7


def many_rows_text(path: Path, rows: int, tmp: Path | None = None) -> Path:
    """The report with `rows` extra rows at the end of 表三 (tab-separated, like Word's save as text)."""
    text = base_text(tmp or path.parent)
    lines = text.split("\n")
    last = max(i for i, line in enumerate(lines) if line.startswith("四") and "\t" in line)  # 表三's last row
    extra = ["\t".join(extra_row_cells(i)) for i in range(rows)]
    path.write_text("\n".join(lines[:last + 1] + extra + lines[last + 1:]), encoding="utf-8")
    return path


def many_rows_html(path: Path, rows: int, tmp: Path | None = None) -> Path:
    """A web page: the report's paragraphs as <p>, its tables as <table>, 表三 with `rows` extra rows."""
    text = base_text(tmp or path.parent)
    out, table = ["<html><head><meta charset='utf-8'></head><body>"], []

    def flush():
        if table:
            out.append("<table>" + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                                           for r in table) + "</table>")
            table.clear()

    for line in text.split("\n"):
        if "\t" in line:
            table.append(line.split("\t"))
            if line.startswith("四\t") or (line.startswith("四") and len(table) > 20):
                table.extend(extra_row_cells(i) for i in range(rows))
        else:
            flush()
            if line.strip():
                out.append(f"<p>{html.escape(line)}</p>")
    flush()
    out.append("</body></html>")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def many_rows_docx(path: Path, rows: int, table: int = 2) -> Path:
    """The report .docx with `rows` copies of 表三's last row appended (table index 2 = 表三)."""
    import docx

    src = build_docx(path)
    d = docx.Document(str(src))
    tbl = d.tables[table]._tbl
    last = tbl.tr_lst[-1]
    for _ in range(rows):
        tbl.append(copy.deepcopy(last))
    d.save(str(path))
    return path


def long_paragraph_docx(path: Path, chars: int) -> Path:
    """The report .docx with one paragraph of `chars` characters (in one run)."""
    import docx

    src = build_docx(path)
    d = docx.Document(str(src))
    d.add_paragraph((SENTENCE * (chars // len(SENTENCE) + 1))[:chars])
    d.save(str(path))
    return path


def pages_docx(path: Path, pages: int) -> Path:
    """The report .docx followed by `pages` pages of narrative, one page break each (for PDF conversion)."""
    import docx
    from docx.enum.text import WD_BREAK

    src = build_docx(path)
    d = docx.Document(str(src))
    for i in range(pages):
        p = d.add_paragraph(f"附件第{i + 1}页。" + SENTENCE * 8)
        p.add_run().add_break(WD_BREAK.PAGE)
    d.save(str(path))
    return path


def pages_pdf(path: Path, pages: int, timeout: int = 600) -> Path:
    """A PDF of `pages` pages (the report takes 2, then one page each), converted by LibreOffice."""
    src = pages_docx(path.with_suffix(".docx"), max(0, pages - 2))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(path.parent), str(src)],
                   check=True, capture_output=True, timeout=timeout)
    return path.with_suffix(".pdf")
