"""Word XML of a .docx, element by element: which w:p is gklint's paragraph N, which w:tc is grid cell
(table, row, col), and which elements a Word comment is anchored on.

The docx reader works on docx2python's text; annotating and comment suppressions need the XML elements
behind gklint's locations. `numbered()` is the one place that knows how the reader numbers paragraphs and
tables; everything else here maps XML by structure, as `gklint.readers.docx._table` builds its grid.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

WNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % WNS
NS = {"w": WNS}
DOCUMENT = "word/document.xml"
COMMENTS = "word/comments.xml"
DOC_RELS = "word/_rels/document.xml.rels"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
PHANTOM_TWIPS = 30  # as the docx reader: LibreOffice's near-zero-width grid columns are not columns


def parse_xml(data: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    return etree.fromstring(data, parser)


@dataclass
class Numbered:
    """XPaths (in word/document.xml) of gklint's paragraphs and tables by their Loc.para / Loc.table."""
    paras: dict[int, str] = field(default_factory=dict)
    tables: dict[int, str] = field(default_factory=dict)


def numbered(path: str) -> Numbered:
    """Number paragraphs and tables exactly as gklint.readers.docx._blocks does (same docx2python walk),
    recording each element's XPath so it can be found again in another parse of the same XML.
    Change this together with the reader's numbering."""
    import warnings

    from docx2python import docx2python

    from gklint.readers.docx import _is_table

    out, para_no, table_no = Numbered(), 0, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with docx2python(path, duplicate_merged_cells=False) as dx:
            for item in dx.body_pars:
                if _is_table(item):
                    para_no += 1
                    table_no += 1
                    tbl = _outer_table(item)
                    if tbl is not None:
                        out.tables[table_no] = tbl.getroottree().getpath(tbl)
                    continue
                for row in item:
                    for cell in row:
                        for par in cell:
                            para_no += 1
                            if par.elem is not None:
                                out.paras[para_no] = par.elem.getroottree().getpath(par.elem)
    return out


def _outer_table(item):
    for row in item:
        for cell in row:
            for par in cell:
                if par.elem is not None:
                    tbls = list(par.elem.iterancestors(W + "tbl"))
                    if tbls:
                        return tbls[-1]
    return None


def find(root, xpath: str | None):
    if not xpath:
        return None
    hits = root.getroottree().xpath(xpath, namespaces={k: v for k, v in root.nsmap.items() if k})
    return hits[0] if hits else None


def text_of(el) -> str:
    """Visible text of a paragraph or cell: w:t and tabs, deleted text left out."""
    parts = []
    for e in el.iter(W + "t", W + "tab"):
        if any(a.tag == W + "del" for a in e.iterancestors()):
            continue
        parts.append("\t" if e.tag == W + "tab" else (e.text or ""))
    return "".join(parts)


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


def _phantom_columns(tbl) -> set[int]:
    grid = tbl.find(W + "tblGrid")
    out = set()
    for k, col in enumerate(grid.findall(W + "gridCol") if grid is not None else ()):
        try:
            if int(float(col.get(W + "w", "1000"))) < PHANTOM_TWIPS:
                out.add(k)
        except ValueError:
            continue
    return out


class Locator:
    """gklint locations -> elements of one parsed document.xml, and back."""

    def __init__(self, root, numbers: Numbered):
        self.root = root
        self.numbers = numbers
        self._grids: dict[int, dict] = {}

    def paragraph(self, para: int | None):
        return find(self.root, self.numbers.paras.get(para)) if para else None

    def table(self, k: int | None):
        return find(self.root, self.numbers.tables.get(k)) if k else None

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
            path = tbls[-1].getroottree().getpath(tbls[-1])
            k = next((n for n, x in self.numbers.tables.items() if x == path), None)
            if k is None:
                return {}
            if k not in self._grids:
                self._grids[k] = table_grid(tbls[-1])
            cells = [rc for rc, x in self._grids[k].items() if x is tc]
            if not cells:
                return {"table_index": k}
            r, c = min(cells)
            return {"table_index": k, "grid_row": r, "grid_col": c}
        path = p.getroottree().getpath(p)
        n = next((n for n, x in self.numbers.paras.items() if x == path), None)
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


def comments(zf: zipfile.ZipFile, root) -> list[WordComment]:
    """The comments of the package with the paragraphs each is anchored on (commentRangeStart/End, or
    the paragraph of the commentReference when a writer left out the range)."""
    names = set(zf.namelist())
    part = comments_part(lambda n: zf.read(n) if n in names else None)
    if part not in names:
        return []
    croot = parse_xml(zf.read(part))
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
