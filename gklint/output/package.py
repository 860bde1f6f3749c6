"""Writing a copy of a Word package, shared by `gklint annotate` (comments) and `gklint fix` (tracked
changes): parts are edited with lxml and every other zip entry is copied as it is, in its original order
and compression, so the draft's own comments, revisions and bookmarks stay untouched.
"""

from __future__ import annotations

import copy
import os
import tempfile
import zipfile

from lxml import etree

from gklint.readers.docx import locate
from gklint.output.validate import check_readable
from gklint.readers.docx.locate import COMMENTS_REL, DOC_RELS, DOCUMENT, W

AUTHOR, INITIALS = "gklint", "GK"
CONTENT_TYPES = "[Content_Types].xml"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _write(dst: str, infos, parts: dict, check=None) -> None:
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
        check_readable(tmp)  # a damaged source must not leave a copy that does not open
        if check is not None:
            check(tmp)  # raises when the copy is not fit to be written: nothing replaces dst
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_copy(dst: str, infos, parts: dict, root, croot, comments_part: str, check=None) -> None:
    """The edited document.xml and comments part into the package (its content types and relationships
    declaring the comments part when it is new), written to `dst` as _write writes it."""
    parts[DOCUMENT] = _serialize(root)
    parts[comments_part] = _serialize(croot)
    for name, change in ((CONTENT_TYPES, lambda d: _add_override(d, comments_part)), (DOC_RELS, _add_relationship)):
        changed = change(parts.get(name))
        if changed is not None:
            parts[name] = changed
    _write(dst, infos, parts, check)


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
