"""Reports as they arrive at a checker, built from the official template (docgen.build_docx) the way Word,
report generators, web pages and clerks make them: Strict Open XML, a body that is one w:altChunk (HTML or
another .docx), a body or 表三 inside layout tables, tables pasted as pictures, footnote marks in cells, a
heading glued to the previous paragraph, Markdown pipe tables typed as paragraphs, a row label one character
off, parts 五/六 renamed and swapped. Each edit keeps what a reader sees; the report stays consistent unless
a defect is planted on purpose.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from html import escape
from pathlib import Path

from drafts import W, X, body_par, r, set_content, t3_cell, t3_row, tables, text_of

CHUNK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"
STRICT_MAP = [  # transitional -> strict, as Word writes "Strict Open XML Document"
    (b"http://schemas.openxmlformats.org/wordprocessingml/2006/main", b"http://purl.oclc.org/ooxml/wordprocessingml/main"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
    (b"http://schemas.openxmlformats.org/drawingml/2006/", b"http://purl.oclc.org/ooxml/drawingml/"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/", b"http://purl.oclc.org/ooxml/officeDocument/"),
]


# --- package level ---

def strict(src: Path, dst: Path) -> Path:
    """Every part's namespaces and relationship types in their Strict names; w:document says conformance."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for old, new in STRICT_MAP:
                    data = data.replace(old, new)
                if info.filename == "word/document.xml":
                    data = re.sub(rb"<w:document ", b'<w:document w:conformance="strict" ', data, count=1)
            zout.writestr(info, data)
    assert b"schemas.openxmlformats.org/wordprocessingml" not in Path(dst).read_bytes()
    return Path(dst)


def _body_only_chunk(src: Path, dst: Path, part: str, ctype: str, data: bytes, keep_title: bool = False) -> Path:
    """The body replaced by one w:altChunk pointing at `part` (a report generator's output)."""
    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    d = docx.Document(str(src))
    body = d.element.body
    title = body_par(d, "某市某某局2022年") if keep_title else None
    for child in list(body):
        if child.tag != W + "sectPr" and child is not title:
            body.remove(child)
    chunk = Part(PackURI(part), ctype, data, d.part.package)
    rid = d.part.relate_to(chunk, CHUNK_REL)
    body.insert(1 if keep_title else 0, X(f'<w:altChunk r:id="{rid}"/>'))
    d.save(str(dst))
    return Path(dst)


def alt_chunk_html(src: Path, dst: Path, html: str | None = None) -> Path:
    html = html or report_html(src)
    return _body_only_chunk(src, dst, "/word/afchunk1.html", "text/html", html.encode("utf-8"))


def alt_chunk_docx(src: Path, dst: Path) -> Path:
    return _body_only_chunk(src, dst, "/word/afchunk1.docx",
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                            Path(src).read_bytes())


def alt_chunk_rtf(src: Path, dst: Path) -> Path:
    """An RTF chunk after the title: gklint does not read RTF chunks, and must say so."""
    return _body_only_chunk(src, dst, "/word/afchunk1.rtf", "application/rtf",
                            rb"{\rtf1\ansi{\fonttbl\f0\fswiss Helvetica;}\f0\pard report\par}", keep_title=True)


def report_html(src: Path, layout_table: bool = False, chrome: bool = False) -> str:
    """The report as a CMS page writes it: paragraphs, tables with colspan/rowspan from Word's merges;
    `layout_table` puts the article in a one-row layout table, `chrome` adds a site header and a date line."""
    from gklint.readers import read

    doc = read(str(src))
    body = []
    for block in doc.blocks:
        if hasattr(block, "rows"):
            body.append(_html_table(block))
        else:
            body.append(f"<p>{escape(block.text)}</p>")
    article = "\n".join(body)
    if layout_table:
        article = (f'<table width="100%"><tr><td width="20%">导航</td><td>{article}</td></tr></table>')
    head = ""
    if chrome:
        head = ('<div class="logo">某市人民政府门户网站</div><p>首页 &gt; 政府信息公开 &gt; 年度报告</p>'
                '<p>来源：某市某某局 时间：2023-01-20 浏览次数：123</p>')
    return (f"<html><head><meta charset=\"utf-8\"><title>某市某某局2022年政府信息公开工作年度报告_某市人民政府门户网站"
            f"</title></head><body>{head}{article}</body></html>")


def _html_table(table) -> str:
    rows = table.rows
    out = []
    for i, row in enumerate(rows):
        tds = []
        for j, cell in enumerate(row):
            if cell.kind != "o":
                continue
            cs = 1
            while j + cs < len(row) and row[j + cs].kind == "h":
                cs += 1
            rs = 1
            while i + rs < len(rows) and j < len(rows[i + rs]) and rows[i + rs][j].kind == "v":
                rs += 1
            attrs = (f' colspan="{cs}"' if cs > 1 else "") + (f' rowspan="{rs}"' if rs > 1 else "")
            tds.append(f"<td{attrs}>{escape(cell.text).replace(chr(10), '<br>')}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    return "<table border=\"1\">" + "".join(out) + "</table>"


# --- document.xml edits (python-docx Document in, edited in place) ---

def _one_cell(content: list, width: int = 9000):
    """A one-cell, borderless table holding `content` (paragraphs and tables)."""
    tbl = X(f'<w:tbl><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="{width}"/>'
            f'</w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr></w:tc></w:tr></w:tbl>')
    tc = tbl.find(f".//{W}tc")
    for el in content:
        tc.append(el)
    if content[-1].tag != W + "p":
        tc.append(X("<w:p/>"))  # Word ends every cell with a paragraph
    return tbl


def body_in_layout_table(d):
    """Everything but the section properties inside a one-cell table (a web page pasted into Word)."""
    body = d.element.body
    kids = [c for c in body if c.tag != W + "sectPr"]
    anchor = kids[0].getprevious()
    for c in kids:
        body.remove(c)
    tbl = _one_cell(kids)
    body.insert(0 if anchor is None else body.index(anchor) + 1, tbl)


def t3_in_nested_boxes(d):
    """表三 inside a one-cell table inside another (pasting a page's table into Word)."""
    t3 = tables(d)[1]
    parent, pos = t3.getparent(), t3.getparent().index(t3)
    parent.remove(t3)
    parent.insert(pos, _one_cell([_one_cell([t3], 8800)]))


def tables_as_pictures(d):
    """Each statistics table replaced by a picture of it (pasted as an image)."""
    for tbl in tables(d):
        p = d.add_paragraph()
        p.add_run().add_picture(io.BytesIO(tiny_png()))
        tbl.addprevious(p._p)
        tbl.getparent().remove(tbl)


def footnote_marks(d):
    """Figures with footnote marks: '24①' typed, and '2' + a superscript run '1' (the value stays 2)."""
    cell = t3_cell(d, "(一)", "总计")
    p = cell.find(W + "p")
    set_content(p, r(text_of(p) + "①"))
    cell = t3_cell(d, "二", "自然人")
    p = cell.find(W + "p")
    set_content(p, r(text_of(p)), r("1", '<w:vertAlign w:val="superscript"/>'))


def glued_heading(d):
    """'…按月通报。六、其他需要报告的事项' (a converted PDF: the heading ran into the paragraph before it)."""
    five = body_par(d, "存在的主要问题：")
    six = body_par(d, "六、其他需要报告的事项")
    set_content(five, r(text_of(five) + text_of(six)))
    six.getparent().remove(six)


def heading_with_text(d):
    """'六、其他需要报告的事项2022年本局未收取信息处理费。' one paragraph: the heading followed by its text."""
    six = body_par(d, "六、其他需要报告的事项")
    text = body_par(d, "2022年本局未收取")
    set_content(six, r(text_of(six) + text_of(text)))
    text.getparent().remove(text)


def pipe_tables(d):
    """Each table as Markdown typed into Word: one paragraph per row, '| a | b |', a '|---|' line after the
    header, merged cells blank after their first slot."""
    for k, tbl in enumerate(tables(d)):
        rows = _grid(tbl)
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        for line in lines:
            tbl.addprevious(X(f"<w:p>{r(line)}</w:p>"))
        tbl.getparent().remove(tbl)


def _grid(tbl) -> list[list[str]]:
    """The table's text grid; a merged cell's text in its first slot, the others blank (Markdown has no merges)."""
    rows = []
    for tr in tbl.findall(W + "tr"):
        row = []
        for tc in tr.findall(W + "tc"):
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            n = int(span.get(W + "val")) if span is not None else 1
            vm = tc.find(f"{W}tcPr/{W}vMerge")
            text = "".join(text_of(p) for p in tc.findall(W + "p")).replace("|", "｜")
            if vm is not None and vm.get(W + "val", "continue") == "continue":
                text = ""  # a vertical merge continues: blank, as converters write it
            row += [text] + [""] * (n - 1)
        rows.append(row)
    return rows


def label_with_extra_he(d):
    """表三 '2.其他法律行政法规禁止公开' printed '2.其他法律和行政法规禁止公开' (a real report's wording)."""
    for tc in t3_row(d, "(三)2").findall(W + "tc"):
        for p in tc.findall(W + "p"):
            if "其他法律行政法规" in text_of(p):
                set_content(p, r(text_of(p).replace("其他法律行政法规", "其他法律和行政法规")))


def five_six_swapped(d, six_title: str = "存在的主要问题和改进情况"):
    """A real plan: '五、信息处理费收取情况' inserted, the problems part numbered 六, no 其他需要报告的事项."""
    five = body_par(d, "五、存在的主要问题及改进情况")
    six = body_par(d, "六、其他需要报告的事项")
    fee = body_par(d, "2022年本局未收取")
    problems = body_par(d, "存在的主要问题：")
    set_content(six, r(f"六、{six_title}"))
    set_content(five, r("五、信息处理费收取情况"))
    # 五 (fee) then its text, then 六 (problems) then its text
    five.addnext(fee)
    fee.addnext(six)
    six.addnext(problems)


def tiny_png() -> bytes:
    """A valid 8×8 grey PNG (python-docx reads its size)."""
    raw = b"".join(b"\x00" + b"\x80" * 8 for _ in range(8))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


EDITS = {"body_in_layout_table": body_in_layout_table, "t3_in_nested_boxes": t3_in_nested_boxes,
         "footnote_marks": footnote_marks, "glued_heading": glued_heading, "heading_with_text": heading_with_text,
         "pipe_tables": pipe_tables, "label_with_extra_he": label_with_extra_he}
