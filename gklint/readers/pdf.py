"""PDF on pdfplumber (a dependency since PDFs are committed to report repositories, where the pre-commit
hook must read them as installed; the message below is for installs without it, e.g. --no-deps): tables from the ruling lines, text outside
them joined back into paragraphs, page headers and footers dropped; a PDF without a text layer is reported as such."""

from __future__ import annotations

import re
from collections import Counter

from gklint.document import Cell, Document, LimitError, Loc, Paragraph, ReadError, Table, number_tables

MAX_PAGES = 200
MARGIN = 0.07  # fraction of the page height where headers and footers live
SHORT_LINE_GAP = 24  # points, about two characters: a line ending this far before the right edge ends a paragraph
FRAMED_SHORT = 0.8  # a line of framed text shorter than this share of the longest one ends its paragraph
ROW_STEP = 0.01  # sort key step: a table's framed rows stay in order, after its top edge and before what follows
TOLERANCE = 1  # points: coordinates and line heights differing by less are the same (pdf rounding)
HEADER_REPEATS = 2  # a margin line on this many pages or more is a running header or footer
_PAGE_NO = re.compile(r"^[-—－\s]*(?:第\s*)?\d+\s*(?:页)?(?:\s*/\s*共?\s*\d+\s*页?)?[-—－\s]*$")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")
_ENDS = "。；！？：:;!?"
_CJK = "\u3000-\u9fff\uff00-\uffef"
# spaces PDF text gets from letter-spacing: between CJK characters, and between CJK and digits ("2023 年")
_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}\d])|(?<=[\d])\s+(?=[{_CJK}])")


def _clean(text: str) -> str:
    return _GAP.sub("", text).strip()


def read_pdf(path: str) -> Document:
    try:
        import pdfplumber
    except ImportError:
        raise ReadError("读取 PDF 需要 pdfplumber，当前环境中没有安装：pip install pdfplumber；"
                        "在 pre-commit 钩子中，在 .pre-commit-config.yaml 的 gklint 钩子下加上 "
                        "additional_dependencies: [pdfplumber]") from None
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise LimitError(f"PDF 有 {len(pdf.pages)} 页，超过 gklint 的上限 {MAX_PAGES} 页"
                                 "（年度报告一般不到 30 页）")
            pages = []
            for page in pdf.pages:
                pages.append(_page(page))
                page.close()  # drop its parsed layout: 200 pages kept at once took 750 MB
            meta = dict(pdf.metadata or {})
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged or encrypted files
        raise ReadError(f"无法解析 PDF：{type(exc).__name__}: {exc}") from None
    if not any(items or chars for items, chars in pages):
        raise ReadError("PDF 没有文字层（图片版，扫描件），需要先做文字识别（OCR）才能检查")
    repeated = _repeated_margins(pages)
    blocks: list = []
    lines: list[tuple[str, tuple[bool, int]]] = []
    for page_no, (items, _) in enumerate(pages, 1):
        page_start = True
        for kind, value, in_margin, short in items:
            if kind == "line":
                if in_margin and (_PAGE_NO.match(value) or value in repeated):
                    continue
                lines.append((value, short, page_no))
                page_start = False
                continue
            blocks += _paragraphs(lines)
            lines = []
            prev = blocks[-1] if blocks else None
            if page_start and isinstance(prev, Table) and _width(prev) == _width(value):
                stitch(prev, value)  # the table goes on from the previous page
            else:
                value.loc = Loc(page=page_no)
                blocks.append(value)
            page_start = False
    blocks += _paragraphs(lines)
    doc = Document(path=path, reader="pdf (pdfplumber)")
    doc.properties = {k.lower(): str(v) for k, v in meta.items() if isinstance(v, (str, int, float))}
    doc.blocks = number_tables(_number(blocks))
    return doc


def _page(page):
    """[(kind, value, in_margin, (short, height))] top to bottom: 'line' (text outside tables; `short` when it
    stops before the right margin, i.e. ends a paragraph) or 'table'; and the page's char count."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj):
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    lines = [ln for ln in page.filter(outside).extract_text_lines(return_chars=False) if ln["text"].strip()]
    right = max([ln["x1"] for ln in lines] + [b[2] for b in boxes], default=0)  # the text block's right edge
    items = []
    for ln in lines:
        margin = ln["top"] < page.height * MARGIN or ln["bottom"] > page.height * (1 - MARGIN)
        short = ln["x1"] < right - SHORT_LINE_GAP
        items.append((ln["top"], ("line", _clean(ln["text"]), margin, (short, round(ln["bottom"] - ln["top"])))))
    for t in tables:
        rows = t.extract()
        if not rows:
            continue
        table = _table(t, rows)
        framed = [k for k, r in enumerate(table.rows) if all(c.kind == "h" for c in r[1:])]
        # full-width rows before the first and after the last real row are framed text, not table rows
        real = [k for k in range(len(table.rows)) if k not in framed]
        first, last = (real[0], real[-1]) if real else (len(table.rows), -1)
        longest = max((len(table.rows[k][0].text) for k in framed), default=0)
        for k in framed:
            if k < first or k > last:
                text = table.rows[k][0].text
                if text:
                    short = len(text) < FRAMED_SHORT * longest
                    items.append((t.bbox[1] + k * ROW_STEP, ("line", text, False, (short, 0))))
        table.rows = table.rows[first:last + 1]
        if table.rows:
            items.append((t.bbox[1] + first * ROW_STEP, ("table", table, False, None)))
    items.sort(key=lambda it: it[0])
    return [it[1] for it in items], len(page.chars)


def _table(t, rows) -> Table:
    """pdfplumber gives None for the slots a merged cell covers: 'h' when the cell on the left spans
    over them (same row), else 'v'. Line wraps inside CJK cells are joined without spaces."""
    grid = []
    boxes = [r.cells for r in t.rows]
    for i, row in enumerate(rows):
        out = []
        for j, text in enumerate(row):
            if text is not None:
                out.append(Cell(_clean(text.replace("\n", "")), Loc()))
                continue
            left = next((boxes[i][k] for k in range(j - 1, -1, -1) if k < len(boxes[i]) and boxes[i][k]), None)
            here_x = _column_x(boxes, j)
            kind = "h" if left is not None and here_x is not None and left[2] > here_x + TOLERANCE else "v"
            out.append(Cell("", Loc(), kind))
        grid.append(out)
    return Table(rows=grid, loc=Loc(), exact=True)


def _width(t: Table) -> int:
    return max((len(r) for r in t.rows), default=0)


def stitch(first: Table, more: Table) -> None:
    """Append a table's continuation. A row split by the page break arrives as a last row with empty cells
    and a first row that fills exactly those (or only continues the label): the two become one row."""
    if first.rows and more.rows:
        a, b = first.rows[-1], more.rows[0]
        filled_a = [bool(c.text) for c in a]
        filled_b = [bool(c.text) for c in b]
        label_only = filled_b[0] and not any(filled_b[1:]) and any(filled_a[1:])
        complementary = not any(x and y for x, y in zip(filled_a[1:], filled_b[1:])) and any(filled_b[1:])
        if label_only or (complementary and not filled_b[0]) or (complementary and any(not x for x in filled_a[1:])):
            for x, y in zip(a, b):
                if y.text:
                    x.text = x.text + y.text if x.text else y.text
                    x.kind = "o"
            more.rows = more.rows[1:]
    first.rows += more.rows


def _column_x(boxes, j):
    """The left edge of grid column j, from any row that has a cell there."""
    for row in boxes:
        if j < len(row) and row[j]:
            return row[j][0]
    return None


def _repeated_margins(pages) -> set[str]:
    """Header/footer text that repeats on several pages (the agency's name, a running title)."""
    counts = Counter(value for items, _ in pages for kind, value, margin, _ in items if kind == "line" and margin)
    return {text for text, n in counts.items() if n >= HEADER_REPEATS}


def _paragraphs(lines: list[tuple[str, tuple[bool, int], int]]) -> list[Paragraph]:
    """Wrapped lines back into paragraphs: one ends at a short line, after 。；：, before a heading, or where
    the font size changes (a title above body text). A paragraph is on the page it starts on."""
    out, current, ended, height, page = [], "", True, 0, None
    for line, (short, h), line_page in lines:
        resized = h != height and (not h or not height or abs(h - height) > TOLERANCE)  # 0: framed text, size unknown
        if current and (ended or resized or _HEADING.match(line) or current[-1] in _ENDS):
            out.append((current, page))
            current = ""
        if not current:
            page = line_page
        current = _clean(current + line) if current else line
        ended, height = short, h
    if current:
        out.append((current, page))
    return [Paragraph(p, Loc(page=pg)) for p, pg in out]


def _number(blocks):
    n = 0
    for b in blocks:
        n += 1
        b.loc = Loc(para=n, page=b.loc.page)
        if isinstance(b, Table):
            for row in b.rows:
                for c in row:
                    c.loc = Loc(para=n, page=b.loc.page)
    return blocks
