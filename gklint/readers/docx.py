"""Word .docx on docx2python: exact merged-cell grids, clean paragraph text, real numbering.

docx2python is parsed once with duplicate_merged_cells=False; each grid slot is then classified from
its XML (w:gridSpan filler, w:vMerge continuation in both spellings, w:gridBefore gaps), and
LibreOffice's near-zero-width phantom grid columns are dropped (see docs/parsing.md).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile

from gklint.document import Cell, Document, Loc, Paragraph, ReadError, Table, number_tables
from gklint.readers.numbering import W, Numbering

MAX_PART_BYTES = 64 * 1024 * 1024  # no annual report comes near this; a zip bomb does
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


def check_zip(path: str) -> None:
    """Refuse what is not a plausible .docx before docx2python sees it."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = {i.filename: i for i in zf.infolist()}
    except zipfile.BadZipFile:
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ReadError("是 OLE 复合文档（旧版 .doc、WPS 或加密的 .docx），不是 .docx；"
                            "请在 Word/WPS 中另存为 .docx，或用 `soffice --headless --convert-to docx` 转换") from None
        raise ReadError("不是有效的 .docx（zip）文件，可能已损坏或被截断") from None
    if "word/document.xml" not in infos:
        raise ReadError(".docx 中缺少 word/document.xml")
    for info in infos.values():
        if info.file_size > MAX_PART_BYTES:
            raise ReadError(f".docx 中的 {info.filename} 解压后声明为 {info.file_size} 字节，超过上限，拒绝读取")


def read_docx(path: str) -> Document:
    check_zip(path)
    try:
        from docx2python import docx2python
    except ImportError as exc:  # pragma: no cover - a hard dependency
        raise ReadError(f"无法导入 docx2python：{exc}") from None
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            numbering = Numbering.from_xml(
                _read_part(zf, "word/numbering.xml", names), _read_part(zf, "word/styles.xml", names))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # docx2python warns on chineseCounting; we render it ourselves
            with docx2python(path, duplicate_merged_cells=False) as dx:
                body = dx.body_pars
                props = dict(dx.core_properties or {})
                comments = list(dx.comments or [])
    except ReadError:
        raise
    except Exception as exc:  # docx2python and lxml raise many kinds on broken parts
        raise ReadError(f"docx2python 无法解析此文件：{type(exc).__name__}: {exc}") from None
    doc = Document(path=path, reader="docx (docx2python)")
    doc.properties = _properties(props)
    doc.comments = [{"text": c[0], "author": c[1], "date": c[2], "comment": c[3]} for c in comments
                    if isinstance(c, (tuple, list)) and len(c) >= 4]
    doc.blocks = number_tables(_blocks(body, numbering))
    return doc


def _read_part(zf: zipfile.ZipFile, name: str, names: set[str]) -> bytes | None:
    return zf.read(name) if name in names else None


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
    para_no = 0
    for item in body:
        if _is_table(item):
            para_no += 1
            blocks.append(_table(item, para_no))
            continue
        for row in item:
            for cell in row:
                for par in cell:
                    para_no += 1
                    number = numbering.render(par.elem, par.style)
                    text = (number + par_text(par)).strip()
                    if text:
                        style = numbering.style_names.get(par.style, par.style or "")
                        blocks.append(Paragraph(text, Loc(para=para_no), style=style, auto_number=number))
    return blocks


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
