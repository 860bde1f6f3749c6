"""Is a written .docx a package Word (and python-docx, docx2python) opens? Checked on annotate's copy before
it replaces the output, so a damaged source never leaves a copy that does not open."""

from __future__ import annotations

import posixpath
import zipfile

MAIN_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
              "application/vnd.ms-word.document.macroEnabled.main+xml",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
              "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


class PackageError(ValueError):
    """The copy would not open; the message says why, in Chinese."""


def problem(path: str) -> str | None:
    """Why the package at `path` would not open, or None when it is sound."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            dupes = sorted({n for n in names if names.count(n) > 1}) if len(set(names)) < len(names) else []
            if dupes:
                return f"zip 中有重复的部件 {'、'.join(dupes)}"
            bad = zf.testzip()
            if bad:
                return f"部件 {bad} 校验失败"
            return _content_problem(zf, set(names))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return f"无法作为 zip 读回（{exc}）"


def _content_problem(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    from gklint.readers.docx import locate

    if "[Content_Types].xml" not in names:
        return "缺少 [Content_Types].xml"
    types = locate.parse_xml(zf.read("[Content_Types].xml"))
    defaults = {d.get("Extension", "").lower(): d.get("ContentType") for d in types if d.tag.endswith("Default")}
    overrides = {o.get("PartName", "").lower(): o.get("ContentType") for o in types if o.tag.endswith("Override")}

    def content_type(part: str) -> str | None:
        return overrides.get("/" + part.lower()) or defaults.get(part.rsplit(".", 1)[-1].lower())

    main = None
    for rels in sorted(n for n in names if n.endswith(".rels") and "_rels/" in n):
        base = posixpath.dirname(posixpath.dirname(rels))  # word/_rels/document.xml.rels -> word
        for r in locate.parse_xml(zf.read(rels)):
            target = r.get("Target") or ""
            if r.get("TargetMode") == "External" or not target:
                continue
            part = posixpath.normpath(target[1:] if target.startswith("/") else posixpath.join(base, target))
            if part not in names:
                return f"{rels} 引用的部件 {part} 不存在"
            if rels == "_rels/.rels" and r.get("Type") == OFFICE_DOCUMENT:
                main = part
    if main is None:
        return "_rels/.rels 中没有指向正文（officeDocument）的关系"
    if content_type(main) not in MAIN_TYPES:
        return f"[Content_Types].xml 把正文 {main} 声明为 {content_type(main) or '（未声明）'}，不是 Word 正文类型"
    return None


def check_readable(path: str) -> None:
    """PackageError unless the package is sound and docx2python reads its body back."""
    found = problem(path)
    if found is None:
        try:
            import warnings

            from docx2python import docx2python

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with docx2python(path) as dx:
                    dx.body_pars
        except Exception as exc:  # docx2python and lxml raise many kinds
            found = f"docx2python 无法读回（{type(exc).__name__}: {exc}）"
    if found:
        raise PackageError(f"写出的批注副本无法打开：{found}；未写入任何文件（请先在 Word/WPS 中打开原文件另存一份再试）")
