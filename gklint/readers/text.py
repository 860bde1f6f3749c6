"""Plain text and Markdown: encoding detection and table recovery.

Shapes seen in real exports (tests/data/seeds):
- rows: one table row per line, cells separated by tabs (Word "save as text" of simple tables);
- cells: one cell per line, each line starting with a tab, blank lines between rows; a line without a
  tab right after a cell continues that cell (a label wrapped inside its cell);
- loose: no tabs at all, one cell per paragraph; left as paragraphs, the binder recovers the rows;
- Markdown pipe tables.
"""

from __future__ import annotations

import codecs
import re

from gklint.document import (MAX_TABLE_ROWS, Cell, Document, LimitError, Loc, Paragraph, ReadError, Table,
                             check_table_size, number_tables)
from gklint.numbers import looks_like_value

MAX_TEXT_BYTES = 20 * 1024 * 1024
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
# Text copied from a web page can hold a whole document on one line, its numbered headings inline:
# "…联系。 一、总体情况 2022年，… （一）主动公开 …". Such a line is cut before each numbered item.
FLAT_MIN = 300  # a line this long with several inline numbered items is a flattened document, not a paragraph
_INLINE_ITEM = re.compile(
    r"(?<=[\s。；！？])\s*(?=(?:[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[）)]))"
    # a part title glued to what precedes it ("…432.52元三、收到和处理政府信息公开申请情况"), not "一、二、三季度"
    r"|(?<![一二三四五六七八九十、第])(?=[一二三四五六七八九十]{1,2}、[^\s。；，,]{2,28}?(?:情况|事项))"
    # any numbered item right after a number ("…000000000000000五、存在的主要问题及改进措施今年以来")
    r"|(?<=\d)(?=[一二三四五六七八九十]{1,2}、[\u4e00-\u9fff]{2})")
# an item's title: up to 情况/事项 when the text runs on ("…诉讼情况行政复议 …"), up to the first space, or
# up to a year that starts the body ("五、存在的主要问题及明年工作计划2024年，我局…")
_ITEM_HEAD = re.compile(r"^(?:[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[）)])"
                        r"(?:[^\s。；，,]{0,28}?(?:情况|事项|措施|计划)|[^\s。；，,]{1,30}(?=\s)|[^\s。；，,\d]{2,28}(?=\d{4}\s*年))")


def decode(data: bytes) -> tuple[str, str]:
    """Detect the encoding from the bytes themselves (BOM, UTF-16 NUL pattern, strict decoding)."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise ReadError(f"以 {enc} 字节序标记开头，但内容无法按 {enc} 解码（位置 {exc.start}）") from None
    if b"\x00" in data:
        # BOM-less UTF-16: ASCII characters (digits, tabs, newlines) put their NUL bytes all on one side.
        sample = data[:65536]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        enc = "utf-16-le" if odd > even else "utf-16-be"
        if min(even, odd) * 4 <= max(even, odd) and len(data) % 2 == 0:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                text = None
            if text is not None and _plausible(text):
                return text, enc
        raise ReadError("含有 NUL 字节，不是文本文件（可能是二进制文件）")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ReadError("无法识别文本编码（不是 UTF-8、UTF-16 或 GB18030/GBK）") from None
    if not _plausible(text):  # GB18030 decodes many byte soups
        raise ReadError("无法识别文本编码（按 GB18030 解码后大部分是乱码）")
    return text, "gb18030"


def _plausible(text: str) -> bool:
    """Real Chinese text is mostly CJK ideographs, CJK punctuation and ASCII."""
    odd = sum(1 for ch in text if not (ch.isascii() or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
                                       or "\uff00" <= ch <= "\uffef" or ch in "“”‘’—…·\xa0"))
    return odd <= max(3, len(text) // 20) and "\x00" not in text


def read_text(path: str, data: bytes | None = None) -> Document:
    if data is None:
        with open(path, "rb") as fh:
            data = fh.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise LimitError(too_big("文本文件", path, MAX_TEXT_BYTES))
    text, encoding = decode(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    doc = Document(path=path, reader="text", encoding=encoding)
    doc.blocks = number_tables(_blocks(lines))
    return doc


def too_big(what: str, path: str, limit: int) -> str:
    import os

    try:
        size = f"{os.path.getsize(path) / (1024 * 1024):.1f} MB"
    except OSError:
        size = f"超过 {limit // (1024 * 1024)} MB"
    return f"{what}有 {size}，超过 gklint 的上限 {limit // (1024 * 1024)} MB（年度报告的文字不到 1 MB）"


def _is_tab_line(line: str) -> bool:
    return "\t" in line and line.strip() != ""


def _blocks(lines: list[str]) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    i, n, rows = 0, len(lines), 0
    while i < n:
        line = lines[i]
        if line.lstrip().startswith("|") and i + 1 < n and _MD_SEPARATOR.match(lines[i + 1].strip()):
            j = i + 2
            while j < n and lines[j].lstrip().startswith("|"):
                j += 1
            blocks.append(_markdown_table(lines, i, j))
            i = j
            continue
        if _is_tab_line(line):
            j = _region_end(lines, i)
            blocks.append(_tab_table(lines, i, j, rows))
            rows += len(blocks[-1].rows)
            check_table_size(rows)
            i = j
            continue
        stripped = line.strip().replace("\u3000", " ").strip()
        if stripped:
            stripped = _MD_HEADING.sub("", stripped)
            blocks += [Paragraph(t, Loc(line=i + 1)) for t in split_flattened(stripped)]
        i += 1
    return blocks


def split_flattened(text: str) -> list[str]:
    """A flattened document line -> its items, each numbered item's short title (up to the first space)
    on its own; any other line is returned whole."""
    if len(text) < FLAT_MIN:
        return [text]
    chunks = [c.strip() for c in _INLINE_ITEM.split(text) if c.strip()]
    if len(chunks) < 3:
        return [text]
    out = []
    for chunk in chunks:
        m = _ITEM_HEAD.match(chunk)
        if m and chunk[m.end():].strip():
            out += [m.group(0), chunk[m.end():].strip()]
        else:
            out.append(chunk)
    return out


def _region_end(lines: list[str], start: int) -> int:
    """A table region: tab lines, the blank lines between them, and short untabbed lines that
    directly follow a cell (a label wrapped onto the next lines: "结/果/维/持")."""
    j = end = start
    while j < len(lines):
        line = lines[j]
        if _is_tab_line(line):
            end = j + 1
        elif line.strip() == "":
            pass
        elif end == j and len(line.strip()) <= 12:
            end = j + 1
        else:
            break
        j += 1
    return end


def _cell_text(s: str) -> str:
    return s.replace("\u3000", " ").replace("\xa0", " ").strip()


def _tab_table(lines: list[str], start: int, end: int, before: int = 0) -> Table:
    """`before`: rows of the tables already read, so that a huge region stops at the row limit."""
    region = list(range(start, end))
    tab_lines = [lines[k] for k in region if _is_tab_line(lines[k])]
    # "\tX" is one cell on its own line; anything else with a tab is a whole row.
    multi = sum(1 for line in tab_lines if not line.startswith("\t") or len(line.split("\t")) > 2)
    rows: list[list[Cell]] = []
    if multi * 2 >= len(tab_lines):  # "rows" shape: one row per line
        for k in region:
            line = lines[k]
            if not line.strip():
                continue
            if "\t" not in line and rows:  # wrapped label: continue the last non-empty cell …
                last = next((c for c in reversed(rows[-1]) if c.text), rows[-1][-1])
                if not looks_like_value(last.text):
                    last.text += line.strip()
                    continue
                # … but after a number it is a one-cell row of its own (表二's “第二十条第（五）项”)
            rows.append([Cell(_cell_text(t), Loc(line=k + 1)) for t in line.split("\t")])
            if before + len(rows) > MAX_TABLE_ROWS:
                check_table_size(before + len(rows), at_least=True)
    else:  # "cells" shape: one cell per tabbed line, blank line between rows
        current: list[Cell] = []
        for k in region:
            line = lines[k]
            if not line.strip() and not line.startswith("\t"):
                if current:
                    rows.append(current)
                    current = []
                    if before + len(rows) > MAX_TABLE_ROWS:
                        check_table_size(before + len(rows), at_least=True)
            elif line.startswith("\t"):
                current.append(Cell(_cell_text(line[1:].replace("\t", " ")), Loc(line=k + 1)))
            elif current:  # continuation of the previous cell
                current[-1].text += line.strip()
        if current:
            rows.append(current)
    return Table(rows=rows, loc=Loc(line=start + 1), exact=False)


def _markdown_table(lines: list[str], start: int, end: int) -> Table:
    rows = []
    for k in range(start, end):
        if k == start + 1:
            continue  # the |---| separator
        parts = lines[k].strip().strip("|").split("|")
        rows.append([Cell(_cell_text(p.replace("<br>", "")), Loc(line=k + 1)) for p in parts])
    return Table(rows=rows, loc=Loc(line=start + 1), exact=False)
