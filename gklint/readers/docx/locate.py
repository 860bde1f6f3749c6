"""Word XML of a .docx, element by element: which w:p is gklint's paragraph N, which w:tc is grid cell
(table, row, col), and which elements a Word comment is anchored on.

The docx reader works on docx2python's text; annotating and comment suppressions need the XML elements
behind gklint's locations. `numbered()` is the one place that knows how the reader numbers paragraphs and
tables; everything else here maps XML by structure, as `gklint.readers.docx.reader._table` builds its grid.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from lxml import etree

from gklint.readers.docx.reader import _phantom_columns  # the same grid as the reader: phantom columns dropped
from gklint.readers.docx.normalise import _ZERO_WIDTH, STAMP, stamp

WNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % WNS
NS = {"w": WNS}
DOCUMENT = "word/document.xml"
COMMENTS = "word/comments.xml"
DOC_RELS = "word/_rels/document.xml.rels"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"  # a text box's 2nd copy


def parse_xml(data: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    return etree.fromstring(data, parser)


@dataclass
class Numbered:
    """gklint's paragraphs and tables (Loc.para / Loc.table) as indexes of the original document.xml's w:p and
    w:tbl elements in document order."""
    paras: dict[int, int] = field(default_factory=dict)
    tables: dict[int, int] = field(default_factory=dict)
    hidden: frozenset = frozenset()  # character styles that hide text (the reader drops their runs)


def numbered(pkg) -> Numbered:
    """Number paragraphs and tables as the reader does — on document.xml as the reader read it (normalised
    and stamped by the reader: gklint.readers.docx.normalise), body paragraphs counted as Word counts them
    (gklint.readers.docx.reader._body_numbers), body tables in order. Once per package."""
    if "numbered" in pkg.cache:
        return pkg.cache["numbered"]
    if pkg.normalised:
        normal = parse_xml(pkg.normalised)
    else:  # the reader read the XML as it is
        normal = parse_xml(pkg.parts[DOCUMENT])
        stamp(normal)
    out, para_no, table_no = Numbered(hidden=pkg.hidden), 0, 0
    body = normal.find(W + "body")
    for child in body if body is not None else ():
        if child.tag == W + "p":
            para_no += 1
            if child.get(STAMP) is not None:
                out.paras[para_no] = int(child.get(STAMP))
        elif child.tag == W + "tbl":
            table_no += 1
            if child.get(STAMP) is not None:
                out.tables[table_no] = int(child.get(STAMP))
    pkg.cache["numbered"] = out
    return out


def visible(el, hidden: frozenset = frozenset()):
    """The w:t and w:tab elements of el that Word shows: not deleted, not moved away, not hidden, a text box
    once (Word writes it twice: mc:Choice and mc:Fallback)."""
    for e in el.iter(W + "t", W + "tab"):
        if not any(a.tag in (W + "del", W + "moveFrom", _FALLBACK) or _hidden(a, hidden) for a in e.iterancestors()):
            yield e


def text_of(el, hidden: frozenset = frozenset()) -> str:
    """Visible text of a paragraph or cell, as the reader reads it (zero-width characters stripped)."""
    text = "".join("\t" if e.tag == W + "tab" else (e.text or "") for e in visible(el, hidden))
    return text.translate(_ZERO_WIDTH)


def _hidden(el, hidden: frozenset) -> bool:
    """A run formatted as hidden text (w:vanish, directly or by a character style)."""
    if el.tag != W + "r":
        return False
    v = el.find(f"{W}rPr/{W}vanish")
    if v is not None:
        return v.get(W + "val", "true") not in ("0", "false", "off")
    style = el.find(f"{W}rPr/{W}rStyle")
    return style is not None and style.get(W + "val") in hidden


def table_grid(tbl) -> dict[tuple[int, int], object]:
    """(grid row, grid col), 1-based, -> the w:tc shown there: spans and vertical merges point to the
    cell that holds the text. Same expansion as the reader: gridBefore gaps, gridSpan fillers, phantom
    columns dropped when empty."""
    phantom = _phantom_columns(tbl)
    grid: dict[tuple[int, int], object] = {}
    above: dict[int, object] = {}
    for r, tr in enumerate(tbl.findall(W + "tr"), 1):
        slots: list[tuple[object, bool]] = [(None, False)] * _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        for tc in tr.findall(W + "tc"):
            span = max(1, _int(tc.find(f"{W}tcPr/{W}gridSpan"), 1))
            vm = tc.find(f"{W}tcPr/{W}vMerge")
            continued = vm is not None and vm.get(W + "val", "continue") == "continue"
            has_text = not continued and bool(text_of(tc).strip())
            slots.append((tc, has_text))
            slots += [(tc, False)] * (span - 1)
        slots = [s for k, s in enumerate(slots) if k not in phantom or s[1]]
        for c, (tc, _) in enumerate(slots, 1):
            if tc is None:
                continue
            vm = tc.find(f"{W}tcPr/{W}vMerge")
            if vm is not None and vm.get(W + "val", "continue") == "continue" and c in above:
                tc = above[c]  # a merged cell's text lives in its first row
            else:
                above[c] = tc
            grid[(r, c)] = tc
    return grid


def _int(el, default: int) -> int:
    try:
        return int(el.get(W + "val")) if el is not None else default
    except (TypeError, ValueError):
        return default


class Locator:
    """gklint locations -> elements of one parsed document.xml, and back."""

    def __init__(self, root, numbers: Numbered):
        self.root = root
        self.numbers = numbers
        self._grids: dict[int, dict] = {}
        self._elements = list(root.iter(W + "p", W + "tbl"))  # held: lxml keeps these proxies, so `is` holds
        self._index = {el: i for i, el in enumerate(self._elements)}

    def text(self, el) -> str:
        return text_of(el, self.numbers.hidden)

    def _element(self, i: int | None):
        return self._elements[i] if i is not None and i < len(self._elements) else None

    def paragraph(self, para: int | None):
        return self._element(self.numbers.paras.get(para)) if para else None

    def table(self, k: int | None):
        return self._element(self.numbers.tables.get(k)) if k else None

    def cell(self, k: int | None, row: int | None, col: int | None):
        tbl = self.table(k)
        if tbl is None or not row or not col:
            return None
        if k not in self._grids:
            self._grids[k] = table_grid(tbl)
        return self._grids[k].get((row, col))

    def where(self, p) -> dict:
        """A paragraph element as a gklint location: {'para': n} or {'table_index', 'grid_row', 'grid_col'}."""
        tc = next(iter(p.iterancestors(W + "tc")), None)
        if tc is not None:
            tbls = list(tc.iterancestors(W + "tbl"))
            i = self._index.get(tbls[-1])
            k = next((n for n, x in self.numbers.tables.items() if x == i), None)
            if k is None:
                return {}
            if k not in self._grids:
                self._grids[k] = table_grid(tbls[-1])
            cells = [rc for rc, x in self._grids[k].items() if x is tc]
            if not cells:
                return {"table_index": k}
            r, c = min(cells)
            return {"table_index": k, "grid_row": r, "grid_col": c}
        i = self._index.get(p)
        n = next((n for n, x in self.numbers.paras.items() if x == i), None)
        return {"para": n} if n is not None else {}


@dataclass
class WordComment:
    id: str
    author: str
    text: str
    paragraphs: list = field(default_factory=list)  # the w:p elements the comment's range touches


def comments_part(read) -> str:
    """The name of the comments part: the target of document.xml's comments relationship (Word and WPS
    call it word/comments.xml). `read(name)` gives a part's bytes or None."""
    data = read(DOC_RELS)
    if data:
        for r in parse_xml(data):
            if r.get("Type") == COMMENTS_REL and r.get("TargetMode") != "External" and r.get("Target"):
                target = r.get("Target")
                return posixpath.normpath(target[1:] if target.startswith("/") else posixpath.join("word", target))
    return COMMENTS


def comments(pkg, root) -> list[WordComment]:
    """The comments of the package with the paragraphs each is anchored on (commentRangeStart/End, or
    the paragraph of the commentReference when a writer left out the range)."""
    part = comments_part(pkg.get)
    if pkg.get(part) is None:
        return []
    croot = parse_xml(pkg.get(part))
    found = {}
    for c in croot.findall(W + "comment"):
        cid = c.get(W + "id")
        text = "\n".join(text_of(p) for p in c.iter(W + "p"))
        found[cid] = WordComment(cid, c.get(W + "author", ""), text)
    body = root.find(W + "body")
    if body is None:
        return list(found.values())
    open_ids: set[str] = set()
    touched: dict[str, list] = {cid: [] for cid in found}

    def mark(cid, p):
        if p is not None and cid in touched and (not touched[cid] or touched[cid][-1] is not p):
            touched[cid].append(p)

    current_p = []
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if tag == W + "p":
            if event == "start":
                current_p.append(el)
                for cid in open_ids:
                    mark(cid, el)
            else:
                current_p.pop()
        elif event == "start" and tag == W + "commentRangeStart":
            cid = el.get(W + "id")
            open_ids.add(cid)
            mark(cid, current_p[-1] if current_p else _next_paragraph(el))
        elif event == "start" and tag == W + "commentRangeEnd":
            open_ids.discard(el.get(W + "id"))
        elif event == "start" and tag == W + "commentReference":
            cid = el.get(W + "id")
            if cid in touched and not touched[cid]:
                mark(cid, current_p[-1] if current_p else None)
    for cid, c in found.items():
        c.paragraphs = touched[cid]
    return list(found.values())


def _next_paragraph(el):
    for e in el.itersiblings():
        p = e if e.tag == W + "p" else e.find(f".//{W}p")
        if p is not None:
            return p
    return None
