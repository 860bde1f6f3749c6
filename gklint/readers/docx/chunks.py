"""w:altChunk: content another program embedded in a Word file (HTML, another .docx, an .mht, plain text) that
Word imports when it opens the file. Some report generators write the whole body as one. docx2python skips
them; normalise.py leaves a placeholder paragraph where each stands, and the chunk's own paragraphs and tables
are put there. A chunk gklint cannot read is said once (a note, GK004), never silently dropped."""

from __future__ import annotations

import email
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, replace

from lxml import etree

from gklint.document import Cell, Paragraph, ReadError, Table
from gklint.readers.docx.normalise import CHUNK

RELS = "word/_rels/document.xml.rels"
AF_CHUNK = "/aFChunk"
MAX_DEPTH = 2  # a .docx chunk inside a .docx chunk inside the file, no deeper
_PLACEHOLDER = re.compile(CHUNK.format("(.*?)").replace("\ue010", "\\ue010").replace("\ue011", "\\ue011"))
_KINDS = {".htm": "html", ".html": "html", ".xhtml": "html", ".mht": "mht", ".mhtml": "mht", ".docx": "docx",
          ".txt": "text", ".rtf": "RTF", ".xml": "XML", ".dotx": "docx", ".docm": "docx"}
_CONTENT_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "message/rfc822": "mht",
                  "multipart/related": "mht", "text/plain": "text", "application/rtf": "RTF", "text/rtf": "RTF",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}


@dataclass
class Chunk:
    name: str  # the part's name in the package
    kind: str  # html, mht, docx, text, or what it is when gklint cannot read it
    data: bytes


def read_chunks(zf: zipfile.ZipFile, names: set[str]) -> dict[str, Chunk]:
    """The altChunk parts of the main document by relationship id; {} when there are none (the usual case)."""
    if RELS not in names:
        return {}
    rels = zf.read(RELS)
    if AF_CHUNK.encode() not in rels:
        return {}
    types = _content_types(zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b"")
    out = {}
    for rel in etree.fromstring(rels, etree.XMLParser(resolve_entities=False, no_network=True)):
        if not (rel.get("Type") or "").endswith(AF_CHUNK) or rel.get("TargetMode") == "External":
            continue
        name = posixpath.normpath(posixpath.join("word", rel.get("Target", ""))).lstrip("/")
        if name not in names:
            continue
        ext = posixpath.splitext(name)[1].lower()
        kind = types.get("/" + name) or types.get(ext) or _KINDS.get(ext) or ext.lstrip(".") or "未知格式"
        out[rel.get("Id", "")] = Chunk(name, kind, zf.read(name))
    return out


def _content_types(xml: bytes) -> dict[str, str]:
    """Part name or extension -> chunk kind, from [Content_Types].xml."""
    out: dict[str, str] = {}
    if not xml:
        return out
    for el in etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True)):
        ctype = (el.get("ContentType") or "").split(";")[0].strip().lower()
        kind = _CONTENT_TYPES.get(ctype)
        if kind and el.get("PartName"):
            out[el.get("PartName")] = kind
        elif kind and el.get("Extension"):
            out["." + el.get("Extension").lower()] = kind
    return out


def splice_chunks(blocks: list, chunks: dict[str, Chunk], notes: list[str], depth: int) -> list:
    """Each placeholder paragraph replaced by its chunk's blocks; paragraph numbers after it move on by the
    chunk's paragraphs (Word numbers the imported paragraphs in place)."""
    out: list = []
    shift, unread, text_outside = 0, [], False
    for block in blocks:
        m = _PLACEHOLDER.fullmatch(block.text) if isinstance(block, Paragraph) else None
        if m is None:
            text_outside = text_outside or bool(block.text.strip() if isinstance(block, Paragraph) else block.rows)
            out.append(_shifted(block, shift))
            continue
        chunk = chunks.get(m.group(1))
        anchor = (block.loc.para or 1) + shift
        inner, why = _read(chunk, depth) if chunk else ([], "找不到嵌入的部件")
        if why:
            unread.append((anchor, chunk, why))
            continue
        paras = 0
        for b in inner:
            paras = max(paras, _last_para(b))
            out.append(_shifted(b, anchor - 1))
        shift += max(paras - 1, 0)
    if unread:
        shown = "；".join(f"第{a}段处的 {c.kind if c else '?'} 内容（{c.name if c else '?'}）：{why}" for a, c, why in unread)
        if not text_outside and len(out) == 0:
            raise ReadError(f"正文嵌入在 Word 的 altChunk 中，gklint 无法读取（{shown}）；"
                            "请在 Word 中打开并另存为 .docx（Word 会把嵌入的内容转为正文）后再检查")
        notes.append(f"文件中有嵌入的内容（altChunk）无法读取，未检查：{shown}")
    return out


def _read(chunk: Chunk, depth: int) -> tuple[list, str]:
    """The chunk's blocks, or why they cannot be read."""
    try:
        if chunk.kind == "html":
            return _html(chunk.data, chunk.name), ""
        if chunk.kind == "mht":
            html = _mht_html(chunk.data)
            return (_html(html, chunk.name), "") if html else ([], "MHT 中没有 HTML 正文")
        if chunk.kind == "docx":
            if depth >= MAX_DEPTH:
                return [], "嵌套过深"
            from gklint.readers.docx.reader import read_docx

            return read_docx(io.BytesIO(chunk.data), depth + 1).blocks, ""
        if chunk.kind == "text":
            from gklint.readers.text import read_text

            return read_text(chunk.name, chunk.data).blocks, ""
    except ReadError as exc:
        return [], str(exc)
    except Exception as exc:  # a damaged embedded part: said, never a traceback
        return [], f"{type(exc).__name__}: {exc}"
    return [], f"gklint 不读取嵌入的 {chunk.kind} 内容"


def _html(data: bytes, name: str) -> list:
    from gklint.readers.html import html_document

    return html_document(data, name).blocks


def _mht_html(data: bytes) -> bytes | None:
    msg = email.message_from_bytes(data)
    for part in msg.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            return part.get_payload(decode=True)
    return None


def _last_para(block) -> int:
    if isinstance(block, Paragraph):
        return block.loc.para or 0
    return max([block.loc.para or 0] + [c.loc.para or 0 for row in block.rows for c in row])


def _shifted(block, delta: int):
    if not delta:
        return block
    if isinstance(block, Paragraph):
        block.loc = _move(block.loc, delta)
        return block
    rows = [[Cell(c.text, _move(c.loc, delta), c.kind) for c in row] for row in block.rows]
    return Table(rows=rows, loc=_move(block.loc, delta), exact=block.exact)


def _move(loc, delta: int):
    return replace(loc, para=loc.para + delta) if loc.para is not None else replace(loc, para=delta + 1)
