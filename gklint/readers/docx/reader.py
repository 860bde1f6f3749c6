"""Word .docx on docx2python: exact merged-cell grids, clean paragraph text, real numbering.

docx2python is parsed once with duplicate_merged_cells=False; each grid slot is then classified from
its XML (w:gridSpan filler, w:vMerge continuation in both spellings, w:gridBefore gaps), and
LibreOffice's near-zero-width phantom grid columns are dropped (a LibreOffice quirk, tested in tests/unit/readers/test_docx_reader.py). Before that,
ooxml.py brings document.xml to what Word shows (revisions accepted, content controls unwrapped, hidden
text and TOC results dropped …) in an in-memory copy of the package.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile

from gklint.document import Cell, Document, Loc, Paragraph, ReadError, Table, number_tables
from gklint.readers.docx.numbering import W, Numbering
from gklint.readers.docx.chunks import read_chunks, splice_chunks
from gklint.readers.docx.normalise import hidden_styles, normalise_document, slim, strict_to_transitional
from gklint.readers.docx.package import DOCUMENT, open_package

PHANTOM_TWIPS = 30
BEIJING = dt.timezone(dt.timedelta(hours=8))

_MARKERS = re.compile(
    r"----(?:footnote|endnote|comment)\d+----"
    r"|----media/[^-]*?----"
    r"|----Image alt text---->.*?<"
    r"|</?latex>"
    r'|<a href="[^"]*">|</a>'
)
_DX_NUM_PREFIX = re.compile(r"^\t*(?:--|[0-9A-Za-z]+\)|[^\t\w]?)\t")


def read_docx(path, depth: int = 0) -> Document:
    """`path` a file name, or a file object for a .docx embedded in another (altChunk, `depth` levels down)."""
    pkg = open_package(path)
    try:
        from docx2python import docx2python
    except ImportError as exc:  # pragma: no cover - a hard dependency
        raise ReadError(f"无法导入 docx2python：{exc}") from None
    try:
        strict = strict_to_transitional(pkg.parts)
        chunks = read_chunks(pkg, set(pkg.parts))
        styles = pkg.get("word/styles.xml")
        numbering = Numbering.from_xml(pkg.get("word/numbering.xml"), styles)
        pkg.hidden = frozenset(hidden_styles(styles))
        pkg.normalised = normalise_document(pkg.parts[DOCUMENT], set(pkg.hidden), stamped=True)
        # what Word shows (a Strict package: its mapped copy), slimmed, in memory; the file is never written
        source = io.BytesIO(_with_document(pkg, slim(pkg.normalised or pkg.parts[DOCUMENT])))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # docx2python warns on chineseCounting; we render it ourselves
            with docx2python(source, duplicate_merged_cells=False) as dx:
                body = dx.body_pars
                props = dict(dx.core_properties or {})
                comments = list(dx.comments or [])
    except ReadError:
        raise
    except Exception as exc:  # docx2python and lxml raise many kinds on broken parts
        raise ReadError(f"docx2python 无法解析此文件：{type(exc).__name__}: {exc}") from None
    doc = Document(path=path if isinstance(path, str) else "", reader="docx (docx2python)", source=pkg)
    if strict:
        doc.reader += "，Strict Open XML"
    doc.properties = _properties(props)
    doc.comments = [{"text": c[0], "author": c[1], "date": c[2], "comment": c[3]} for c in comments
                    if isinstance(c, (tuple, list)) and len(c) >= 4]
    blocks = _pipe_tables(_blocks(body, numbering))
    if chunks:
        blocks = splice_chunks(blocks, chunks, doc.notes, depth)
    doc.blocks = number_tables(blocks)
    return doc


def _with_document(pkg, xml: bytes) -> bytes:
    """The package with another document.xml (ZIP_STORED: docx2python reads it once, right away)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        for info in pkg.infos:
            zout.writestr(info.filename, xml if info.filename == DOCUMENT else pkg.parts[info.filename])
    return out.getvalue()


def _properties(props: dict) -> dict:
    """Core properties; created/modified converted from UTC to Beijing time."""
    out = {}
    for key, value in props.items():
        if value in (None, ""):
            continue
        if key in ("created", "modified", "lastPrinted"):
            try:
                stamp = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
                if stamp.tzinfo is None:
                    stamp = stamp.replace(tzinfo=dt.timezone.utc)
                value = stamp.astimezone(BEIJING).isoformat()
            except ValueError:
                pass
        out[key] = str(value)
    return out


def par_text(par) -> str:
    text = "".join(str(r) for r in par.runs)
    if par.list_position[0] is not None:
        text = _DX_NUM_PREFIX.sub("", text, count=1)
    return _MARKERS.sub("", text)


def _blocks(body, numbering: Numbering) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    numbers: dict = {}
    para_no = None
    for item in body:
        if _is_table(item):
            elem = next((p.elem for row in item for cell in row for p in cell if p.elem is not None), None)
            if elem is not None:
                numbers = numbers or _body_numbers(elem)
                para_no = numbers.get(_body_child(elem), para_no)
            blocks.append(_table(item, para_no))
            continue
        for row in item:
            for cell in row:
                for par in cell:
                    if par.elem is not None:
                        numbers = numbers or _body_numbers(par.elem)
                        para_no = numbers.get(_body_child(par.elem), para_no)
                    number = numbering.render(par.elem, par.style)
                    text = (number + par_text(par)).strip()
                    pictures = sum(str(r).count("----media/") for r in par.runs)
                    if text:
                        style = numbering.style_names.get(par.style, par.style or "")
                        blocks.append(Paragraph(text, Loc(para=para_no), style=style, auto_number=number,
                                                pictures=pictures))
                    elif pictures:  # a picture alone on its line belongs with the text before it (a heading)
                        last = next((b for b in reversed(blocks) if isinstance(b, Paragraph)), None)
                        if last is not None:
                            last.pictures += pictures
    return blocks


def _is_pipe_row(block) -> bool:
    return isinstance(block, Paragraph) and block.text.startswith("|") and block.text.endswith("|") \
        and block.text.count("|") >= 3


def _pipe_tables(blocks: list) -> list:
    """Markdown tables typed or pasted into Word as paragraphs ('| 自然人 | 商业企业 |', a '|---|' line under
    the header) read as tables, blank cells kept, as the text reader reads them in a .md file."""
    if not any(_is_pipe_row(b) for b in blocks):
        return blocks  # the common case: no text reader to import
    from gklint.readers.text import _MD_SEPARATOR

    out, i = [], 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and _is_pipe_row(blocks[j]):
            j += 1
        run = blocks[i:j]
        if len(run) >= 2 and any(_MD_SEPARATOR.match(b.text) for b in run[1:3]):
            rows = [[Cell(t.strip(), Loc(para=b.loc.para)) for t in b.text[1:-1].split("|")]
                    for b in run if not _MD_SEPARATOR.match(b.text)]
            out.append(Table(rows=rows, loc=run[0].loc, exact=False))
            i = j
            continue
        out.append(blocks[i])
        i += 1
    return out


def _body_numbers(elem) -> dict:
    """Paragraph numbers as a clerk counts them in Word: every w:p directly in the body, empty ones
    included; tables are not paragraphs, so a table carries the number of the paragraph before it
    (None at the very start), which keeps findings in document order. Text-box paragraphs belong to
    the body paragraph that anchors them (see _body_child)."""
    root = elem.getroottree().getroot()
    body = root.find(W + "body")
    out: dict = {}
    if body is None:
        return out
    n = 0
    for child in body:
        if child.tag == W + "p":
            n += 1
            out[child] = n
        elif child.tag == W + "tbl":
            out[child] = n or None
    return out


def _body_child(elem):
    """The child of w:body that holds elem (a table for a cell paragraph, the anchor for a text box)."""
    while (parent := elem.getparent()) is not None and parent.tag != W + "body":
        elem = parent
    return elem


def _is_table(item) -> bool:
    for row in item:
        for cell in row:
            for par in cell:
                if par.lineage[1] == "tbl":
                    return True
    return False


def _cell_kind(pars) -> tuple[str, object]:
    p = pars[0] if pars else None
    tc = None if p is None or p.elem is None else next(p.elem.iterancestors(W + "tc"), None)
    if tc is None:
        return "h", None
    vm = tc.find(f"{W}tcPr/{W}vMerge")
    if vm is not None and vm.get(W + "val", "continue") == "continue":
        return "v", tc
    return "o", tc


def _table(item, para_no: int) -> Table:
    rows: list[list[Cell]] = []
    tbl = None
    for r, row in enumerate(item):
        cells: list[Cell] = []
        tr = None
        for pars in row:
            kind, tc = _cell_kind(pars)
            if tc is not None and tr is None:
                tr = tc.getparent()
                tbl = tbl if tbl is not None else tr.getparent()
            text = "\n".join(t for t in (par_text(p).strip() for p in pars) if t) if kind == "o" else ""
            cells.append(Cell(_join_cjk(text), Loc(para=para_no), kind))
        before = _grid_before(tr)
        if before:  # docx2python ignores w:gridBefore and shifts the row left
            cells[:0] = [Cell("", Loc(para=para_no), "x") for _ in range(before)]
        rows.append(cells)
    phantom = _phantom_columns(tbl)
    if phantom:
        rows = [[c for k, c in enumerate(row) if k not in phantom or c.text] for row in rows]
    return Table(rows=rows, loc=Loc(para=para_no), exact=True)


def _grid_before(tr) -> int:
    if tr is None:
        return 0
    e = tr.find(f"{W}trPr/{W}gridBefore")
    try:
        return int(e.get(W + "val")) if e is not None else 0
    except (TypeError, ValueError):
        return 0


def _phantom_columns(tbl) -> set[int]:
    if tbl is None:
        return set()
    grid = tbl.find(W + "tblGrid")
    if grid is None:
        return set()
    out = set()
    for k, col in enumerate(grid.findall(W + "gridCol")):
        try:
            if int(float(col.get(W + "w", "1000"))) < PHANTOM_TWIPS:
                out.add(k)
        except ValueError:
            continue
    return out


_CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])")


def _join_cjk(text: str) -> str:
    """A label wrapped inside a cell ('结果\\n纠正') reads as one word."""
    return _CJK_BREAK.sub("", text)
