"""`gklint fix`: the plan's edits (gklint/checks/fixes.py) made in a copy of the report.

Word: every edit is a tracked change — the old text in `w:del` (its `w:t` become `w:delText`), the new in
`w:ins`, author "gklint", the run's date, ids after the highest `w:id` of the document — with a comment on
it saying the rule, what was wrong and why this value; every other part of the package is copied as it
is. Text and Markdown: the same edits in a copy, in the file's own encoding and line endings.
`preview` gives the visible text before and after (for --diff) without writing anything.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import os
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from gklint.output.package import AUTHOR, CONTENT_TYPES, _boundary, _comment, _int, write_copy
from gklint.checks.fixes import Edit
from gklint.readers.docx import locate
from gklint.readers.docx.locate import DOC_RELS, DOCUMENT, W

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class Fixed:
    output: str | None
    applied: list[Edit] = field(default_factory=list)
    failed: list[tuple[Edit, str]] = field(default_factory=list)  # (edit, why it could not be made)
    before: list[str] = field(default_factory=list)  # visible text, one line per paragraph / table row
    after: list[str] = field(default_factory=list)


class FixError(Exception):
    """The fixed copy would not be a valid file: nothing is written."""


def default_output(path: str) -> str:
    root, ext = os.path.splitext(path)
    return f"{root}.gklint-fix{ext}"


def comment_lines(e: Edit) -> list[str]:
    f = e.finding
    what = "安全" if e.safety == "safe" else "不安全，请核对"
    shown = e.old or "（空白）"
    return [f"gklint fix：{f.code}（{SEVERITY.get(f.severity, f.severity)}）把“{shown}”改为“{e.new}”（{what}）",
            f"问题：{f.message}", f"依据：{e.why}"]


def unified_diff(name: str, fixed: Fixed) -> str:
    lines = difflib.unified_diff(fixed.before, fixed.after, f"a/{name}", f"b/{name}", lineterm="", n=1)
    return "\n".join(lines)


# --- Word ------------------------------------------------------------------------------------------------

def fix_docx(pkg, dst: str | None, edits: list[Edit], now: dt.datetime | None = None) -> Fixed:
    """Make the edits as tracked changes in a copy `dst` of the package the reader read (`pkg`,
    gklint.readers.docx.package; None: only compute before/after)."""
    infos, parts = pkg.infos, dict(pkg.parts)
    root = locate.parse_xml(parts[DOCUMENT])
    locator = locate.Locator(root, locate.numbered(pkg))
    out = Fixed(dst, before=_lines(root, locator))
    part = locate.comments_part(parts.get)
    croot = locate.parse_xml(parts[part]) if part in parts else etree.Element(W + "comments", nsmap={"w": locate.WNS})
    ids = [_int(v) for r in (root, croot) for v in r.xpath("//@w:id", namespaces=locate.NS)]
    counter = iter(range(1 + max(ids, default=-1), 1 << 30))
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for e in edits:
        why = _apply(locator, e, counter, stamp, croot)
        if why:
            out.failed.append((e, why))
        else:
            out.applied.append(e)
    out.after = _lines(root, locator)
    if dst is None or not out.applied:
        return out
    write_copy(dst, infos, parts, root, croot, part, check=_readable)
    return out


def _readable(path: str) -> None:
    """The copy opens as Word packages are opened (python-docx, docx2python), or FixError."""
    import docx
    from docx2python import docx2python

    try:
        d = docx.Document(path)
        d.paragraphs  # the body parses
        with docx2python(path) as dx:
            dx.core_properties  # the package, its content types and relationships open
        with zipfile.ZipFile(path) as zf:  # every XML part gklint rewrote parses
            for name in (DOCUMENT, CONTENT_TYPES, DOC_RELS):
                if name in zf.namelist():
                    locate.parse_xml(zf.read(name))
    except Exception as exc:
        raise FixError(f"修改后的副本无法打开（{type(exc).__name__}: {exc}），未写入") from None


def _lines(root, locator) -> list[str]:
    body = root.find(W + "body")
    out = []
    for child in body if body is not None else ():
        if child.tag == W + "p":
            out.append(locator.text(child))
        elif child.tag == W + "tbl":
            for tr in child.iter(W + "tr"):
                out.append("\t".join(locator.text(tc).replace("\n", " ") for tc in tr.findall(W + "tc")))
    return out


def _apply(locator, e: Edit, counter, stamp: str, croot) -> str:
    """Make one edit; '' when made, else why not."""
    if "table_index" in e.where:
        tc = locator.cell(e.where["table_index"], e.where["grid_row"], e.where["grid_col"])
        if tc is None:
            return "找不到这个单元格"
        pars = tc.findall(f".//{W}p")
        if locator.text(tc).strip() != e.old or not pars:
            return f"单元格的内容（{locator.text(tc).strip() or '空白'}）与检查时不同"
        p = next((x for x in pars if locator.text(x).strip() == e.old), pars[0])
        text = locator.text(p)
        start = text.find(e.old) if e.old else len(text)
        spans = [(start, start + len(e.old))]
    elif "para" in e.where:
        p = locator.paragraph(e.where["para"])
        if p is None:
            return "找不到这个段落"
        spans = _spans(locator.text(p), e)
        if not spans:
            return "段落中找不到要修改的文字"
    else:
        return "Word 文档中没有这个位置"
    first = True
    for start, end in reversed(spans):  # from the end: earlier offsets stay valid
        cid = str(next(counter)) if first else None
        _replace(p, start, end, e.new, counter, stamp, locator.numbers.hidden, cid)
        if cid is not None:
            croot.append(_comment(cid, comment_lines(e), stamp))
        first = False
    return ""


def _spans(text: str, e: Edit) -> list[tuple[int, int]]:
    if e.pattern:
        return [m.span() for m in re.finditer(e.pattern, text)]
    at = text.find(e.context) if e.context else -1
    if at < 0 or text.count(e.context) != 1:
        return []
    start = at + e.offset
    return [(start, start + len(e.old))] if text[start:start + len(e.old)] == e.old else []


def _replace(p, start: int, end: int, new: str, counter, stamp: str, hidden, cid: str | None) -> None:
    """Characters start..end of paragraph p as a deletion followed by an insertion of `new`."""
    end_at = _boundary(p, end, hidden) if end > start else None
    start_at = _boundary(p, start, hidden)
    deleted = []
    if end > start:
        pos = 0
        for t in locate.visible(p, hidden):
            length = 1 if t.tag == W + "tab" else len(t.text or "")
            if start <= pos < end and t.getparent().tag == W + "r" and t.getparent() not in deleted:
                deleted.append(t.getparent())
            pos += length
    rpr = _run_props(p, deleted, start_at)
    ins = _revision("ins", next(counter), stamp)
    run = etree.SubElement(ins, W + "r")
    if rpr is not None:
        run.append(rpr)
    t = etree.SubElement(run, W + "t")
    t.text = new
    t.set(XML_SPACE, "preserve")
    if deleted:
        wrappers = []
        for r in deleted:
            d = _revision("del", next(counter), stamp)
            r.addprevious(d)
            d.append(r)
            for x in r.iter(W + "t", W + "instrText"):
                x.tag = W + ("delText" if x.tag == W + "t" else "delInstrText")
                x.set(XML_SPACE, "preserve")
            wrappers.append(d)
        _outside_insertions(wrappers[-1]).addnext(ins)
        first_el = wrappers[0]
    else:
        if start_at == "begin":
            ppr = p.find(W + "pPr")
            p.insert(0 if ppr is None else p.index(ppr) + 1, ins)
        elif start_at is None:
            p.append(ins)
        else:
            _outside_insertions(start_at).addprevious(ins)
        first_el = ins
    if cid is not None:
        _anchor(p, first_el, ins, cid)
    del end_at


def _revision(kind: str, rid: int, stamp: str):
    el = etree.Element(W + kind)
    el.set(W + "id", str(rid))
    el.set(W + "author", AUTHOR)
    el.set(W + "date", stamp)
    return el


def _outside_insertions(el):
    """An insertion cannot sit inside another author's insertion: the outermost w:ins/w:moveTo around el."""
    top = el
    for a in el.iterancestors():
        if a.tag in (W + "ins", W + "moveTo"):
            top = a
        elif a.tag == W + "p":
            break
    return top


def _run_props(p, deleted, start_at):
    """The formatting of the new text: that of the text it replaces, else of the run it is put before,
    else the paragraph mark's."""
    if deleted:
        rpr = deleted[0].find(W + "rPr")
        return _clean_props(copy.deepcopy(rpr)) if rpr is not None else None
    for r in ([start_at] if isinstance(start_at, etree._Element) else []) + p.findall(f".//{W}r"):
        rpr = r.find(W + "rPr") if r.tag == W + "r" else None
        if rpr is not None:
            return _clean_props(copy.deepcopy(rpr))
    mark = p.find(f"{W}pPr/{W}rPr")
    return _clean_props(copy.deepcopy(mark)) if mark is not None else None


def _clean_props(rpr):
    for tag in ("ins", "del", "moveFrom", "moveTo", "rPrChange", "vanish"):
        for x in rpr.findall(W + tag):
            rpr.remove(x)
    rpr.tag = W + "rPr"
    return rpr


def _anchor(p, first_el, last_el, cid: str) -> None:
    """The comment's range around the change, its reference right after it, all at the paragraph's level."""
    def top(el):
        while el.getparent() is not p:
            el = el.getparent()
        return el

    start = etree.Element(W + "commentRangeStart")
    start.set(W + "id", cid)
    top(first_el).addprevious(start)
    end = etree.Element(W + "commentRangeEnd")
    end.set(W + "id", cid)
    top(last_el).addnext(end)
    ref = etree.Element(W + "r")
    etree.SubElement(ref, W + "commentReference").set(W + "id", cid)
    end.addnext(ref)


# --- text and Markdown -----------------------------------------------------------------------------------

def fix_text(src: str, dst: str | None, edits: list[Edit]) -> Fixed:
    """The same edits in a copy of a text file, written in the encoding it was read in."""
    from gklint.readers.text import decode

    with open(src, "rb") as fh:
        data = fh.read()
    text, encoding = decode(data)
    pieces = re.split(r"(\r\n|\r|\n)", text)  # lines and their endings, as the reader numbers them
    lines, ends = pieces[0::2], pieces[1::2] + [""]
    out = Fixed(dst, before=list(lines))
    for e in edits:
        k = e.where.get("line", 0) - 1
        if not 0 <= k < len(lines):
            out.failed.append((e, "找不到这一行"))
            continue
        changed, why = _text_cell(lines[k], e) if e.cell else _text_span(lines[k], e)
        if changed is None:
            out.failed.append((e, why))
        else:
            lines[k] = changed
            out.applied.append(e)
    out.after = list(lines)
    if dst is not None and out.applied:
        body = "".join(line + end for line, end in zip(lines, ends))
        encoded = body.encode(_writer(encoding))
        if encoding.startswith("utf-16") and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            encoded = data[:2] + body.encode("utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be")
        _write_bytes(dst, encoded)
    return out


def _writer(encoding: str) -> str:
    return {"utf-32": "utf-32", "utf-16": "utf-16"}.get(encoding, encoding)


def _text_cell(line: str, e: Edit) -> tuple[str | None, str]:
    sep = "|" if line.lstrip().startswith("|") else "\t"
    fields = line.split(sep)
    hits = [i for i, x in enumerate(fields) if x.replace("\u3000", " ").replace("\xa0", " ").strip() == e.old]
    # the reader's cell k of a row line is field k (Markdown: after the leading "|")
    col = e.where.get("col", 0) - (1 if sep == "\t" else 0)
    if col in hits and (sep == "|" or len(fields) > 2 or not line.startswith("\t")):
        hits = [col]
    elif e.old == "" and sep == "\t" and line.startswith("\t") and len(fields) == 2:
        hits = [1]  # one cell per line
    elif e.old == "" and sep == "|":
        hits = [i for i in hits if 0 < i < len(fields) - 1]
    if len(hits) != 1:
        return None, "这一行中找不到唯一的对应单元格（文本表格没有列位置），请手工修改"
    i = hits[0]
    fields[i] = fields[i].replace(e.old, e.new, 1) if e.old else (f" {e.new} " if sep == "|" else e.new)
    return sep.join(fields), ""


def _text_span(line: str, e: Edit) -> tuple[str | None, str]:
    spans = _spans(line, e)
    if not spans:
        return None, "这一行中找不到要修改的文字"
    for start, end in reversed(spans):
        line = line[:start] + e.new + line[end:]
    return line, ""


def _write_bytes(dst: str, data: bytes) -> None:
    import tempfile

    directory = os.path.dirname(os.path.abspath(dst))
    fd, tmp = tempfile.mkstemp(suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
