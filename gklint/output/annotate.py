"""`gklint annotate`: a copy of the .docx with every finding as a Word comment where it belongs.

Written with lxml on the package itself (not python-docx): a finding on part of a sentence needs runs
split at character offsets, which python-docx's comment API (whole runs only) cannot do, and copying
every other part byte for byte keeps the draft's own comments, revisions and bookmarks untouched.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import tempfile
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from gklint.readers.docx import locate
from gklint.findings import Finding
from gklint.readers.docx.locate import COMMENTS_REL, DOC_RELS, DOCUMENT, W

AUTHOR, INITIALS = "gklint", "GK"
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
CONTENT_TYPES = "[Content_Types].xml"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass
class Placed:
    finding: Finding
    anchor: str  # "span", "paragraph", "cell", "table", "title"
    text: str  # the document text the comment is anchored on
    comment_id: str = ""


@dataclass
class Annotated:
    output: str
    placed: list[Placed] = field(default_factory=list)


def default_output(path: str) -> str:
    root, _ = os.path.splitext(path)
    return root + ".gklint.docx"


def comment_text(f: Finding) -> list[str]:
    """The comment's paragraphs: code and severity with the message, then expected/found."""
    lines = [f"{f.code}（{SEVERITY.get(f.severity, f.severity)}）{f.message}"]
    if f.expected is not None or f.found is not None:
        lines.append(f"应为：{f.expected if f.expected is not None else '—'}；"
                     f"实际：{f.found if f.found is not None else '—'}")
    return lines


def annotate(pkg, dst: str, findings: list[Finding], title_para: int | None = None,
             headings: dict[str, int] | None = None) -> Annotated:
    """Write `dst`, a copy of the package the reader read (`pkg`, gklint.readers.docx.package) with one
    comment per finding. `headings`: the paragraph of each section heading, for section findings that carry
    no paragraph of their own."""
    infos, parts = pkg.infos, dict(pkg.parts)
    root = locate.parse_xml(parts[DOCUMENT])
    locator = locate.Locator(root, locate.numbered(pkg))
    part = locate.comments_part(parts.get)
    croot = locate.parse_xml(parts[part]) if part in parts else etree.Element(
        W + "comments", nsmap={"w": locate.WNS})
    next_id = 1 + max((_int(e.get(W + "id")) for e in (*croot.iter(W + "comment"),
                       *root.iter(W + "commentRangeStart", W + "commentReference"))), default=-1)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = Annotated(dst)
    title = locator.paragraph(title_para) if title_para else None
    if title is None:
        title = next((p for p in root.iter(W + "p") if locator.text(p).strip()), None)
    for f in findings:
        if not ({"para", "table_index"} & set(f.location)) and (headings or {}).get(f.location.get("section")):
            f = copy.copy(f)
            f.location = {**f.location, "para": headings[f.location["section"]]}
        placed = _place(root, locator, f, title, str(next_id))
        if placed is None:
            continue
        placed.comment_id = str(next_id)
        croot.append(_comment(str(next_id), comment_text(f), stamp))
        out.placed.append(placed)
        next_id += 1
    parts[DOCUMENT] = _serialize(root)
    parts[part] = _serialize(croot)
    for name, change in ((CONTENT_TYPES, lambda d: _add_override(d, part)), (DOC_RELS, _add_relationship)):
        changed = change(parts.get(name))
        if changed is not None:
            parts[name] = changed
    _write(dst, infos, parts)
    return out


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _write(dst: str, infos, parts: dict) -> None:
    """All parts in their original order and compression, new ones at the end; atomically replaced."""
    directory = os.path.dirname(os.path.abspath(dst))
    try:
        fd, tmp = tempfile.mkstemp(suffix=".docx.tmp", dir=directory)
    except FileNotFoundError:  # name the folder, not the temporary file that could not be made in it
        raise FileNotFoundError(2, "输出目录不存在", directory) from None
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # a normal file for the clerk, not mkstemp's private 0600
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
            names = [i.filename for i in infos]
            for info in infos:
                out.writestr(info, parts[info.filename])
            for name in parts:
                if name not in names:
                    out.writestr(name, parts[name])
        from gklint.output.package import check_readable

        check_readable(tmp)  # a damaged source must not leave a copy that does not open
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _add_override(data: bytes | None, part: str) -> bytes | None:
    """[Content_Types].xml with the comments part declared; None when it already is."""
    root = locate.parse_xml(data) if data else etree.Element("{%s}Types" % CT_NS, nsmap={None: CT_NS})
    if any(o.get("PartName", "").lower() == "/" + part.lower() for o in root):
        return None
    o = etree.SubElement(root, "{%s}Override" % CT_NS)
    o.set("PartName", "/" + part)
    o.set("ContentType", COMMENTS_TYPE)
    return _serialize(root)


def _add_relationship(data: bytes | None) -> bytes | None:
    """document.xml.rels with a comments relationship; None when it already has one."""
    root = locate.parse_xml(data) if data else etree.Element("{%s}Relationships" % REL_NS, nsmap={None: REL_NS})
    if any(r.get("Type") == COMMENTS_REL for r in root):
        return None
    ids = {r.get("Id") for r in root}
    n = 1
    while f"rId{n}" in ids:
        n += 1
    r = etree.SubElement(root, "{%s}Relationship" % REL_NS)
    r.set("Id", f"rId{n}")
    r.set("Type", COMMENTS_REL)
    r.set("Target", "comments.xml")
    return _serialize(root)


def _comment(cid: str, lines: list[str], stamp: str):
    c = etree.Element(W + "comment")
    c.set(W + "id", cid)
    c.set(W + "author", AUTHOR)
    c.set(W + "date", stamp)
    c.set(W + "initials", INITIALS)
    for k, line in enumerate(lines):
        p = etree.SubElement(c, W + "p")
        if k == 0:
            etree.SubElement(etree.SubElement(p, W + "r"), W + "annotationRef")
        t = etree.SubElement(etree.SubElement(p, W + "r"), W + "t")
        t.text = _xml_safe(line)
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return c


def _xml_safe(text: str) -> str:
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


# --- where a finding goes ------------------------------------------------------------------------------

def _place(root, locator, f: Finding, title, cid: str) -> Placed | None:
    loc = f.location
    if loc.get("table_index"):
        tc = locator.cell(loc["table_index"], loc.get("grid_row"), loc.get("grid_col"))
        if tc is not None and tc.find(W + "p") is not None:
            pars = tc.findall(W + "p")
            _mark(pars[0], None, pars[-1], None, cid)
            return Placed(f, "cell", "\n".join(locator.text(p) for p in pars))
        tbl = locator.table(loc["table_index"])
        first = next(iter(tbl.iter(W + "p")), None) if tbl is not None else None
        if first is not None:
            _mark(first, None, first, None, cid)
            return Placed(f, "table", locator.text(first))
    p = locator.paragraph(loc.get("para")) if loc.get("para") else None
    if p is not None:
        span = _span(locator.text(p), f)
        if span:
            _mark(p, span[0], p, span[1], cid, locator.numbers.hidden)
            return Placed(f, "span", locator.text(p)[span[0]:span[1]])
        _mark(p, None, p, None, cid)
        return Placed(f, "paragraph", locator.text(p))
    if title is None:
        return None
    _mark(title, None, title, None, cid)
    return Placed(f, "title", locator.text(title))


def _span(text: str, f: Finding) -> tuple[int, int] | None:
    """The characters of the paragraph the finding is about: its span within the snippet, else `found`."""
    if f.snippet and f.span:
        core = f.snippet.removeprefix("…").removesuffix("…")
        lead = len(f.snippet) - len(f.snippet.removeprefix("…"))
        start, end = f.span[0] - lead, f.span[1] - lead
        at = text.find(core)
        if at >= 0 and 0 <= start < end <= len(core):
            return at + start, at + end
        needle = f.snippet[f.span[0]:f.span[1]]
        if needle and text.count(needle) == 1:
            at = text.find(needle)
            return at, at + len(needle)
    if f.found and len(f.found) < len(text) and text.count(f.found) == 1:
        at = text.find(f.found)
        return at, at + len(f.found)
    return None


def _mark(p_start, start: int | None, p_end, end: int | None, cid: str, hidden: frozenset = frozenset()) -> None:
    """commentRangeStart at character `start` of p_start (None: its beginning), commentRangeEnd at `end`
    of p_end (None: its end), then the reference run that shows the comment."""
    e = _boundary(p_end, end, hidden)
    marker = etree.Element(W + "commentRangeEnd")
    marker.set(W + "id", cid)
    _insert(p_end, e, marker)
    ref = etree.Element(W + "r")
    etree.SubElement(ref, W + "commentReference").set(W + "id", cid)
    top = marker
    while top.getparent() is not p_end:
        top = top.getparent()
    top.addnext(ref)
    s = "begin" if start is None else _boundary(p_start, start, hidden)
    marker = etree.Element(W + "commentRangeStart")
    marker.set(W + "id", cid)
    _insert(p_start, s, marker)


def _insert(p, before, marker) -> None:
    if before is None:
        p.append(marker)
    elif before == "begin":
        ppr = p.find(W + "pPr")
        p.insert(0 if ppr is None else p.index(ppr) + 1, marker)
    else:
        before.addprevious(marker)


def _boundary(p, offset: int | None, hidden: frozenset = frozenset()):
    """The element a marker at character `offset` goes in front of ('begin' / None for the paragraph's
    beginning / end); a run is split in two when the offset falls inside it."""
    if offset is None:
        return None
    if offset == 0:
        return "begin"
    pos = 0
    for t in locate.visible(p, hidden):
        length = 1 if t.tag == W + "tab" else len(t.text or "")
        if pos + length <= offset:
            pos += length
            continue
        run = t.getparent()
        if run.tag != W + "r":
            return None
        k = offset - pos
        if k == 0 and _first_content(run) is t:
            return run
        return _split(run, t, k)
    return None


def _first_content(run):
    return next((c for c in run if c.tag != W + "rPr"), None)


def _split(run, t, k: int):
    """Split `run` before character k of its child `t`; returns the second run."""
    second = copy.deepcopy(run)
    index = list(run).index(t)
    for c in list(run)[index + 1:]:
        run.remove(c)
    kids = list(second)
    for c in kids[:index]:
        if c.tag != W + "rPr":
            second.remove(c)
    t2 = kids[index]
    if t.tag == W + "t":
        text = t.text or ""
        t.text, t2.text = text[:k], text[k:]
        for x in (t, t2):
            x.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    else:  # a tab: k is 0, the tab belongs to the second run
        run.remove(t)
    run.addnext(second)
    return second


def annotate_report(report, out: str, findings: list[Finding]) -> Annotated:
    """Annotate a checked .docx into `out` from its check's report (kept in the process that read it): the
    package the reader read, the title and the section headings binding found."""
    title = report.title_loc.para if report.title_loc else None
    headings = {s.key: s.loc.para for s in report.sections if s.loc and s.loc.para}
    return annotate(report.document.source, out, findings, title, headings)
