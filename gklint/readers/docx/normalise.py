"""Bring Word XML to what Word shows on screen before docx2python reads it.

docx2python reads the raw XML: text of tracked moves twice, hidden text, a TOC's cached entries, both
branches of mc:AlternateContent (text boxes twice), zero-width characters, and content controls (w:sdt)
around rows or cells make it cut a table. One pass over word/document.xml accepts all revisions, unwraps
w:sdt / w:customXml / w:smartTag, keeps one AlternateContent branch, drops hidden runs and TOC results,
takes text boxes out of table cells, flattens tables nested in a cell, strips zero-width characters.
gklint reads only body_pars, so only document.xml is rewritten; the package is rebuilt in memory, never on
disk, and only when something changed.
"""

from __future__ import annotations

import re

from lxml import etree

from gklint.readers.docx.numbering import W

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
DOCUMENT = "word/document.xml"

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_ZERO_WIDTH_BYTES = tuple(c.encode() for c in "\u200b\u200c\u200d\u2060\ufeff")
_MARKS = (b"<w:del ", b"<w:del>", b"<w:ins ", b"<w:ins>", b"<w:moveFrom", b"<w:moveTo", b"Change ", b"Change>",
          b"<w:sdt", b"<w:customXml", b"<w:smartTag", b"AlternateContent", b"txbxContent", b"<w:vanish",
          b"TOC", b"<w:altChunk", b'"superscript"') + _ZERO_WIDTH_BYTES
_TABLE_TAG = re.compile(rb"<(/?)w:tbl[\s>]|<w:tc[\s>]")
LAYOUT_CELLS = 4  # a table of this many cells or fewer around a table or a long text lays out the page
LAYOUT_CHARS = 300  # a cell with more text than this is running text: no statistics-table cell is that long
LAYOUT_BYTES = 20000  # byte scan: a small table this large may hold a body
CHUNK = "\ue010gklint-altChunk:{}\ue011"  # stands where an altChunk was; the reader puts the chunk's blocks there
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_STRICT = re.compile(rb"http://purl\.oclc\.org/ooxml/(wordprocessingml|drawingml|officeDocument|spreadsheetml|"
                     rb"presentationml)/")
_PROP_CHANGES = tuple(W + t for t in (
    "rPrChange", "pPrChange", "tblPrChange", "trPrChange", "tcPrChange", "sectPrChange", "numberingChange",
    "tblGridChange", "tblPrExChange"))
_RANGE_MARKS = tuple(W + t for t in (
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart", "customXmlDelRangeEnd",
    "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart",
    "customXmlMoveToRangeEnd"))
_WRAPPERS = {W + "sdt": W + "sdtContent", W + "customXml": None, W + "smartTag": None}
_WRAPPER_PROPS = (W + "sdtPr", W + "sdtEndPr", W + "customXmlPr", W + "smartTagPr")
_FALSE = ("0", "false", "off")
# between two paragraphs of the body: markers that are not blocks of their own
_INLINE_MARKS = {W + t for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                                 "permStart", "permEnd", "proofErr")}


def hidden_styles(styles_xml: bytes | None) -> set[str]:
    """Character styles that hide text (w:vanish), directly or through w:basedOn."""
    if not styles_xml or b"vanish" not in styles_xml:
        return set()
    root = etree.fromstring(styles_xml, _parser())
    based, hidden = {}, {}
    for st in root.iter(W + "style"):
        if st.get(W + "type") != "character":
            continue
        sid = st.get(W + "styleId")
        if (b := st.find(W + "basedOn")) is not None:
            based[sid] = b.get(W + "val")
        v = st.find(f"{W}rPr/{W}vanish")
        if v is not None:
            hidden[sid] = _on(v)
    out = set()
    for sid in set(based) | set(hidden):
        cur, seen = sid, set()
        while cur is not None and cur not in hidden and cur not in seen:
            seen.add(cur)
            cur = based.get(cur)
        if cur in hidden and hidden[cur]:
            out.add(sid)
    return out


STAMP = "{urn:gklint}i"  # a private attribute: which original w:p / w:tbl (in document order) an element was


def stamp(root) -> None:
    """Mark every paragraph and table with its index in the original XML, so that the elements a
    normalised document keeps can be found again in the original (locate.numbered)."""
    for i, el in enumerate(root.iter(W + "p", W + "tbl")):
        el.set(STAMP, str(i))


def normalise_document(xml: bytes, hidden: set[str] = frozenset(), stamped: bool = False) -> bytes | None:
    """document.xml as Word shows it with all revisions accepted (its elements stamped when `stamped`);
    None if it is already so."""
    if not _may_need_work(xml, hidden):
        return None
    root = etree.fromstring(xml, _parser())
    if stamped:
        stamp(root)
    changed = False
    for step in (_alternate_content, _unwrap, _revisions, _deleted_marks, _toc_fields, _alt_chunks, _cell_text_boxes,
                 _layout_tables, _nested_tables, _superscripts):
        changed = step(root) or changed
    changed = _hidden_runs(root, hidden) or changed
    if any(z in xml for z in _ZERO_WIDTH_BYTES):
        changed = _zero_width(root) or changed
    if not changed:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _may_need_work(xml: bytes, hidden: set[str]) -> bool:
    """A byte scan that spares the parse of a clean report (most files): any construct handled here
    leaves one of these marks. Word, WPS and LibreOffice all write the w: prefix; with another one,
    parse and look properly."""
    if b"<w:body" not in xml or any(mark in xml for mark in _MARKS):
        return True
    if hidden and b"<w:rStyle" in xml:
        return True
    depth, cells, start = 0, 0, 0
    for m in _TABLE_TAG.finditer(xml):
        if m.group(0).startswith(b"<w:tc"):
            cells += depth == 1
            continue
        depth += -1 if m.group(1) else 1
        if depth > 1:  # a table inside a table
            return True
        if depth == 1 and not m.group(1):
            cells, start = 0, m.start()
        elif depth == 0 and (cells == 1 or (cells <= LAYOUT_CELLS and m.end() - start > LAYOUT_BYTES)):
            return True  # a one-cell table, or a small one holding much: a layout table
    return False


def _parser() -> etree.XMLParser:
    # the package reader has refused DTDs already; this parser would not resolve them anyway
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _on(elem) -> bool:
    return elem.get(W + "val", "true").lower() not in _FALSE


def _replace_by_children(elem, children) -> None:
    parent = elem.getparent()
    if parent is None:
        return
    pos = parent.index(elem)
    tail = elem.tail
    for k, child in enumerate(children):
        parent.insert(pos + k, child)
    parent.remove(elem)
    if tail and tail.strip():  # never in Word XML; kept so no text is lost
        prev = parent[pos + len(children) - 1] if children else None
        if prev is not None:
            prev.tail = (prev.tail or "") + tail


def _alternate_content(root) -> bool:
    """Keep the first mc:Choice (what Word renders), else the Fallback: a text box is read once."""
    found = list(root.iter(MC + "AlternateContent"))
    for ac in reversed(found):  # innermost first; ones inside a dropped branch go with it
        branch = ac.find(MC + "Choice")
        if branch is None:
            branch = ac.find(MC + "Fallback")
        _replace_by_children(ac, list(branch) if branch is not None else [])
    return bool(found)


def _unwrap(root) -> bool:
    """w:sdt → its w:sdtContent, w:customXml / w:smartTag → their content, at every level."""
    found = list(root.iter(*_WRAPPERS))
    for elem in reversed(found):
        content_tag = _WRAPPERS[elem.tag]
        if content_tag is None:
            kids = [c for c in elem if c.tag not in _WRAPPER_PROPS]
        else:
            content = elem.find(content_tag)
            kids = list(content) if content is not None else []
        _replace_by_children(elem, kids)
    return bool(found)


def _revisions(root) -> bool:
    """Accept all tracked changes: drop deletions and moved-away text, keep insertions and moved-to text."""
    changed = False
    for elem in list(root.iter(W + "del", W + "moveFrom", W + "ins", W + "moveTo")):
        parent = elem.getparent()
        if parent is None:
            continue
        changed = True
        if parent.tag == W + "rPr":  # a mark on a paragraph mark or run: handled by _deleted_marks
            if elem.tag in (W + "ins", W + "moveTo"):
                parent.remove(elem)
        elif parent.tag == W + "trPr":  # a whole row inserted or deleted
            tr = parent.getparent()
            if elem.tag in (W + "del", W + "moveFrom") and tr is not None and tr.getparent() is not None:
                tr.getparent().remove(tr)
            else:
                parent.remove(elem)
        elif elem.tag in (W + "del", W + "moveFrom"):
            _drop(elem)
        else:
            _replace_by_children(elem, list(elem))
    for elem in list(root.iter(*_PROP_CHANGES, *_RANGE_MARKS)):
        changed = True
        _drop(elem)
    return changed


def _drop(elem) -> None:
    parent = elem.getparent()
    if parent is not None:
        if elem.tail and elem.tail.strip():
            prev = elem.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + elem.tail
        parent.remove(elem)


def _deleted_marks(root) -> bool:
    """A deleted paragraph mark joins the paragraph to the next one, which keeps its own properties
    (the surviving mark is the next paragraph's), as Word does when the deletion is accepted."""
    changed = False
    for mark in list(root.iter(W + "del", W + "moveFrom")):
        rpr = mark.getparent()
        if rpr is None or rpr.tag != W + "rPr":
            continue
        ppr = rpr.getparent()
        rpr.remove(mark)
        changed = True
        if ppr is None or ppr.tag != W + "pPr" or ppr.find(W + "sectPr") is not None:
            continue  # a run's own rPr (not a paragraph mark), or a section break: keep the paragraph
        p = ppr.getparent()
        nxt = p.getnext() if p is not None else None
        while nxt is not None and nxt.tag in _INLINE_MARKS:
            nxt = nxt.getnext()
        if nxt is None or nxt.tag != W + "p":
            continue  # before a table or at the end: nothing to join, keep the text
        content = [c for c in p if c.tag != W + "pPr"]
        npr = nxt.find(W + "pPr")
        pos = 0 if npr is None else nxt.index(npr) + 1
        for k, c in enumerate(content):
            nxt.insert(pos + k, c)
        p.getparent().remove(p)
    return changed


def _toc_fields(root) -> bool:
    """Drop tables of contents (field code and cached entries), whose lines look like section headings.
    Other fields keep their result (docx2python reads the result, not the code): a DATE stays readable."""
    changed = False
    for fs in list(root.iter(W + "fldSimple")):
        if _is_toc(fs.get(W + "instr", "")):
            _drop(fs)
            changed = True
    stack: list[dict] = []
    doomed = []
    for run in root.iter(W + "r"):
        for frame in stack:
            frame["runs"].append(run)
        for child in run:
            if child.tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    stack.append({"instr": [], "runs": [run], "separated": False})
                elif kind == "separate" and stack:
                    stack[-1]["separated"] = True
                elif kind == "end" and stack:
                    frame = stack.pop()
                    if _is_toc("".join(frame["instr"])):
                        doomed += frame["runs"]
            elif child.tag == W + "instrText" and stack and not stack[-1]["separated"]:
                stack[-1]["instr"].append(child.text or "")
    if doomed:
        changed = True
        links = set()
        for run in doomed:
            parent = run.getparent()
            if parent is not None:
                if parent.tag == W + "hyperlink":
                    links.add(parent)
                parent.remove(run)
        for link in links:  # TOC entries are internal links; drop the ones now empty
            if link.getparent() is not None and link.find(f".//{W}r") is None:
                link.getparent().remove(link)
    return changed


def _is_toc(instr: str) -> bool:
    words = instr.split()
    return bool(words) and words[0].upper() == "TOC"


def _cell_text_boxes(root) -> bool:
    """A text box in a table cell: its paragraphs follow the anchoring paragraph in the cell, and the shape
    goes (docx2python cuts the table at a paragraph nested in a cell paragraph). Text boxes in the body
    stay: docx2python reads them in place, after the anchoring paragraph's own text."""
    changed = False
    for box in list(root.iter(W + "txbxContent")):
        anchor = next(box.iterancestors(W + "p"), None)
        if anchor is None or next(anchor.iterancestors(W + "tc"), None) is None:
            continue
        shape = box
        while shape.getparent() is not None and shape.getparent() is not anchor:
            shape = shape.getparent()
        if shape.getparent() is None:
            continue
        anchor.remove(shape)
        prev = anchor
        for block in list(box):
            prev.addnext(block)
            prev = block
        changed = True
    return changed


def _nested_tables(root) -> bool:
    """A table inside a cell becomes its paragraphs, in reading order: docx2python cuts the outer table
    at a nested one, and for gklint the nested cells are text of the outer cell."""
    nested = [t for t in root.iter(W + "tbl") if next(t.iterancestors(W + "tc"), None) is not None]
    for tbl in reversed(nested):  # innermost first
        _replace_by_children(tbl, list(tbl.iter(W + "p")))
    return bool(nested)


def _hidden_runs(root, hidden_styles: set[str]) -> bool:
    """Drop runs Word does not show (w:vanish, directly or by a character style); not w:webHidden."""
    doomed = []
    for rpr in root.iter(W + "rPr"):
        run = rpr.getparent()
        if run is None or run.tag != W + "r":
            continue
        v = rpr.find(W + "vanish")
        if v is not None:
            if _on(v):
                doomed.append(run)
            continue
        if hidden_styles and (rs := rpr.find(W + "rStyle")) is not None and rs.get(W + "val") in hidden_styles:
            doomed.append(run)
    for run in doomed:
        if any(c.tag == W + "fldChar" for c in run):
            continue  # a hidden field character still delimits the field; its run holds no text
        _drop(run)
    return bool(doomed)


def _zero_width(root) -> bool:
    changed = False
    for t in root.iter(W + "t"):
        if t.text and (clean := t.text.translate(_ZERO_WIDTH)) != t.text:
            t.text = clean
            changed = True
    return changed


def strict_to_transitional(parts: dict[str, bytes]) -> bool:
    """Strict Open XML ("Strict Open XML Document" in Word's Save As) names its namespaces and relationship
    types purl.oclc.org/ooxml/…; docx2python and gklint know the transitional schemas.openxmlformats.org/…/2006/
    ones. The elements are the same, so mapping the names (in the parts in memory) reads it as Word shows
    it. False when not Strict."""
    rels = parts.get("_rels/.rels")
    if not rels or not _STRICT.search(rels):
        return False
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            parts[name] = _STRICT.sub(rb"http://schemas.openxmlformats.org/\1/2006/", data).replace(
                b' w:conformance="strict"', b"")
    return True


def _alt_chunks(root) -> bool:
    """w:altChunk (HTML, another .docx … imported when Word opens the file): a placeholder paragraph where it
    stands, which the reader replaces by the chunk's own paragraphs and tables (docx2python skips altChunks)."""
    found = list(root.iter(W + "altChunk"))
    for chunk in found:
        rid = chunk.get(R_ID, "")
        p = etree.SubElement(chunk.getparent(), W + "p")
        etree.SubElement(etree.SubElement(p, W + "r"), W + "t").text = CHUNK.format(rid)
        chunk.addprevious(p)
        chunk.getparent().remove(chunk)
    return bool(found)


def _layout_tables(root) -> bool:
    """A table that lays out the page rather than holding figures (a one-cell box around 表三, a web page's body
    in a table pasted into Word) becomes its content, at any depth: its paragraphs and the tables inside it."""
    changed = False
    while True:
        layout = next((t for t in root.iter(W + "tbl") if _is_layout(t)), None)
        if layout is None:
            return changed
        content = [c for tr in layout.findall(W + "tr") for tc in tr.findall(W + "tc") for c in tc
                   if c.tag != W + "tcPr"]
        _replace_by_children(layout, content)
        changed = True


def _is_layout(tbl) -> bool:
    cells = [tc for tr in tbl.findall(W + "tr") for tc in tr.findall(W + "tc")]
    if len(cells) == 1:  # a box around a table, a part or several paragraphs (a lone short cell stays a table)
        tc = cells[0]
        return (tc.find(f".//{W}tbl") is not None or len(tc.findall(W + "p")) >= 3
                or _cell_chars(tc) > LAYOUT_CHARS // 3)
    if len(cells) > LAYOUT_CELLS:
        return any(_cell_chars(tc) > LAYOUT_CHARS * 2 for tc in cells)  # a page's body in one cell of a grid
    return any(tc.find(f".//{W}tbl") is not None or _cell_chars(tc) > LAYOUT_CHARS for tc in cells)


def _cell_chars(tc) -> int:
    return sum(len(t.text or "") for t in tc.iter(W + "t"))


def _superscripts(root) -> bool:
    """Digits raised as a footnote mark in a table cell ("40" + superscript "2") keep their look ("40²"), so
    that the value is read as 40 with a mark, not as 402."""
    changed = False
    for va in root.iter(W + "vertAlign"):
        if va.get(W + "val") != "superscript":
            continue
        run = va.getparent().getparent() if va.getparent() is not None else None
        if run is None or run.tag != W + "r" or next(run.iterancestors(W + "tc"), None) is None:
            continue
        for t in run.iter(W + "t"):
            if t.text and (raised := t.text.translate(_SUPERSCRIPT)) != t.text:
                t.text = raised
                changed = True
    return changed


# What docx2python and gklint's reader use of the property elements: the paragraph style and numbering, cell
# merges (w:trPr and w:tblGrid stay whole), and a paragraph's tab stops (docx2python reads each as a tab). Run formatting, borders, widths and shading are ~60 % of the elements
# of a report made from the template, and docx2python walks every element: without them it reads a report in
# ~100 ms instead of ~250 ms (benchmarks/run.py). Its text, lists and tables are the same (tests/unit/readers).
_SLIM_KEEP = {W + "pPr": {W + "pStyle", W + "numPr", W + "tabs"}, W + "tcPr": {W + "gridSpan", W + "vMerge", W + "hMerge"}}


def slim(xml: bytes) -> bytes:
    """document.xml for docx2python: run properties dropped, paragraph and cell properties cut to what is read.
    XML that does not parse is returned as it is, for docx2python to refuse in its own words."""
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError:
        return xml
    for rpr in list(root.iter(W + "rPr")):
        rpr.getparent().remove(rpr)
    for props in root.iter(*_SLIM_KEEP):
        keep = _SLIM_KEEP[props.tag]
        for child in list(props):
            if child.tag not in keep:
                props.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
