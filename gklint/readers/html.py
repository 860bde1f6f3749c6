"""Saved government web pages (.html/.htm) on lxml: the report body without site chrome, tables with
rowspan/colspan expanded into an exact grid, charset from the meta tag or sniffed (GBK pages are common)."""

from __future__ import annotations

import re

from gklint.document import (Cell, Document, LimitError, Loc, Paragraph, ReadError, Table, check_table_size,
                             number_tables)

MAX_HTML_BYTES = 20 * 1024 * 1024
MAX_SPAN = 100  # a rowspan="100000" must not build a huge grid
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
# site chrome: navigation, breadcrumbs, share bars, headers and footers (by tag, or by id/class words)
_CHROME_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button",
                "select", "template", "svg"}
_CHROME_WORDS = re.compile(r"(^|[\s_-])(nav|navbar|menu|breadcrumb|crumb|footer|foot|header|head|share|toolbar|"
                           r"sidebar|side|topbar|top|bottom|copyright|search|login|related|relevant|print)"
                           r"($|[\s_-])", re.I)
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "br", "tr", "section",
               "article", "center", "blockquote", "pre", "dd", "dt", "table", "ul", "ol", "body", "html"}


def sniff(data: bytes) -> tuple[str, str]:
    """The declared charset if the bytes decode with it (GB2312/GBK are read as GB18030, their superset),
    else what the text reader detects from the bytes themselves."""
    from gklint.readers.text import decode

    m = _META_CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "ignore").lower() if m else None
    if declared in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "hz-gb-2312"):
        declared = "gb18030"
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


_HIDDEN = re.compile(r"<!--\s*(gklint\s*[:：]\s*ignore(?![A-Za-z]).*?)-->", re.I | re.S)  # gklint: ignore in an HTML comment


def unhide_html(text: str) -> str:
    """The HTML reader drops comments; a directive hidden in one becomes a paragraph of its own."""
    return _HIDDEN.sub(lambda m: "<p>" + m.group(1).replace("<", "&lt;") + "</p>", text)


def read_html(path: str) -> Document:
    with open(path, "rb") as fh:
        data = fh.read(MAX_HTML_BYTES + 1)
    return html_document(data, path)


def html_document(data: bytes, path: str, reader: str = "html (lxml)") -> Document:
    """A page's bytes as a Document (a saved page, or HTML embedded in a Word file)."""
    if len(data) > MAX_HTML_BYTES:
        from gklint.readers.text import too_big

        raise LimitError(too_big("网页", path, MAX_HTML_BYTES))
    if b"\0" in data[:1024] and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raise ReadError("含有 NUL 字节，不是网页（可能是二进制文件）")
    text, encoding = sniff(data)
    text = unhide_html(text)  # a `<!-- gklint: ignore … -->` directive must survive comment removal
    import lxml.html
    from lxml import etree

    try:
        # lxml's HTML parser never loads a DTD or external entity
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True))
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"无法解析网页：{exc}") from None
    check_table_size(sum(1 for _ in root.iter("tr")), sum(1 for _ in root.iter("td", "th")))  # before the grid
    _drop_chrome(root)
    body = _main_content(root)
    doc = Document(path=path, reader=reader, encoding=encoding)
    doc.properties.update(_page_meta(root))
    doc.blocks = number_tables(list(_blocks(body)))
    if not doc.blocks:
        raise ReadError("网页中没有正文文字")
    return doc


_TITLE_META = ("ArticleTitle", "og:title", "title", "Title")
_DATE_META = ("PubDate", "pubdate", "publishdate", "article:published_time", "firstpublishedtime")


def _page_meta(root) -> dict:
    """The page's own title and date: the CMS meta tags Chinese government sites write (ArticleTitle,
    PubDate), else <title> without the site name after '_' / '|' / ' - '."""
    meta = {}
    for el in root.iter("meta"):
        name = el.get("name") or el.get("property") or ""
        content = " ".join((el.get("content") or "").split())
        if content and name in _TITLE_META and "title" not in meta:
            meta["title"] = content
        elif content and name in _DATE_META and "published" not in meta:
            meta["published"] = content
    title = " ".join((root.findtext(".//title") or "").split())
    if title and "title" not in meta:
        meta["title"] = without_site_name(title)
    return meta


def without_site_name(title: str) -> str:
    """'…年度报告-沭阳县发改局', '…年度报告 - 某某网', '…年度报告_政府信息公开年报_某某管委会': the page's own
    title without the site's name and column after it (a page's <title>, or that line in a converted page)."""
    parts = [t.strip() for t in re.split(r"\s*[_|｜]\s*|\s*[-–—]\s*(?=[^-–—]{1,20}$)", title) if t.strip()]
    return next((t for t in parts if "报告" in t), parts[0] if parts else title)


def _drop_chrome(root) -> None:
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        marks = f"{el.get('id', '')} {el.get('class', '')} {el.get('role', '')}"
        if el.tag.lower() in _CHROME_TAGS or (el.tag.lower() not in ("body", "html") and _CHROME_WORDS.search(marks)
                                                and not el.findall(".//table")):
            parent = el.getparent()
            if parent is not None:
                _remove_keep_tail(el)


def _remove_keep_tail(el) -> None:
    parent, tail = el.getparent(), el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _cjk(el) -> int:
    return sum(1 for ch in el.text_content() if "\u4e00" <= ch <= "\u9fff")


_TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr"}


def _main_content(root):
    """The smallest element holding nearly all of the page's Chinese text (the article, not the page)."""
    body = root.find("body")
    body = body if body is not None else root
    total = _cjk(body)
    best = outside = body  # outside: the last element that is not part of a table
    while True:
        children = [c for c in best if isinstance(c.tag, str)]
        rich = [c for c in children if _cjk(c) >= 0.8 * total]
        if len(rich) != 1:
            # a layout table leads to the one cell that holds the article; a data table that holds most of
            # the text (thousands of rows) ends at the table itself: the article is around it
            return outside if best.tag in _TABLE_PARTS else best
        best = rich[0]
        if best.tag not in _TABLE_PARTS:
            outside = best


def _text(el) -> str:
    """Text as a browser shows it: source whitespace collapsed to one space, <br> a line break, &nbsp; a space."""
    for br in el.iter("br"):
        br.tail = "\ue000" + (br.tail or "")  # a private-use marker: lxml refuses control characters
    text = re.sub(r"[ \t\r\n\f]+", " ", "".join(el.itertext()))
    text = text.replace("\xa0", " ").replace("\ue000", "\n")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _blocks(el):
    """Paragraphs and tables in document order; nested block elements are walked, inline ones joined."""
    para_no = [0]

    def paragraph(text):
        for line in text.split("\n"):
            line = line.strip()
            if line:
                para_no[0] += 1
                yield Paragraph(line, Loc(para=para_no[0]))

    def walk(node):
        if node.text and node.text.strip():
            yield from paragraph(re.sub(r"\s+", " ", node.text))
        for child in node:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag == "table":
                yield _table(child, para_no)
            elif tag in _BLOCK_TAGS and any(isinstance(g.tag, str) and g.tag.lower() in _BLOCK_TAGS - {"br"}
                                            for g in child.iter() if g is not child):
                yield from walk(child)
            elif tag in _BLOCK_TAGS and tag != "br":
                yield from paragraph(_text(child))
            elif tag == "br":
                pass
            elif tag:
                yield from paragraph(_text(child))
            if child.tail and child.tail.strip():
                yield from paragraph(re.sub(r"\s+", " ", child.tail))

    yield from walk(el)


def _span(value) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(value).strip() or 1)))
    except ValueError:
        return 1


def _table(el, para_no) -> Table:
    """rowspan/colspan expanded exactly: origin cells keep the text, fillers are 'h' (colspan) or 'v' (rowspan)."""
    para_no[0] += 1
    rows = [tr for tr in el.iter("tr") if _owner(tr) is el]
    grid: list[list[Cell]] = []
    pending: dict[int, list] = {}  # column -> [rows left, cells of the origin's width]
    for r, tr in enumerate(rows):
        out: list[Cell] = []
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        col = 0

        def fill_pending():
            nonlocal col
            while col in pending:
                left, width = pending[col]
                for k in range(width):
                    out.append(Cell("", Loc(para=para_no[0]), "v"))
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = [left - 1, width]
                col += width

        for c in cells:
            fill_pending()
            cs, rs = _span(c.get("colspan")), _span(c.get("rowspan"))
            out.append(Cell(_text(c), Loc(para=para_no[0])))
            out += [Cell("", Loc(para=para_no[0]), "h") for _ in range(cs - 1)]
            if rs > 1:
                pending[col] = [rs - 1, cs]
            col += cs
        fill_pending()
        grid.append(out)
    width = max((len(r) for r in grid), default=0)
    for row in grid:
        row += [Cell("", Loc(para=para_no[0]), "x") for _ in range(width - len(row))]
    return Table(rows=grid, loc=Loc(para=para_no[0]), exact=True)


def _owner(tr):
    """The table a <tr> belongs to (not a nested table's)."""
    p = tr.getparent()
    while p is not None and not (isinstance(p.tag, str) and p.tag.lower() == "table"):
        p = p.getparent()
    return p
