"""Readers: bytes -> Document, one module per input format. A new format is its module and one READERS entry:
file discovery, the help texts and `read` follow from the table."""

from __future__ import annotations

import errno
import importlib
import os
import stat
from dataclasses import dataclass

from gklint.document import Document, ReadError


@dataclass(frozen=True)
class Reader:
    name: str  # as the help names the format
    suffixes: tuple[str, ...]
    function: str  # "module:function", imported when a file of this format is read
    note: str = ""  # shown in the help after the suffixes
    listed: tuple[str, ...] = ()  # the suffixes named where a message lists them briefly (default: the first)


READERS = (
    Reader("Word", (".docx",), "gklint.readers.docx.reader:read_docx"),
    Reader("文本", (".txt", ".text", ".md", ".markdown"), "gklint.readers.text:read_text", listed=(".txt", ".md")),
    Reader("网页", (".html", ".htm"), "gklint.readers.html:read_html"),
    Reader("PDF", (".pdf",), "gklint.readers.pdf:read_pdf"),
    Reader("旧版 Word、WPS、ODT、RTF", (".doc", ".wps", ".odt", ".rtf"), "gklint.readers.convert:read_converted",
           note="由 LibreOffice 转换", listed=()),
)
SUFFIXES = tuple(s for r in READERS for s in r.suffixes)


def formats_help() -> str:
    """'Word（.docx）、文本（.txt .text .md .markdown）、…' for the help texts."""
    return "、".join(f"{r.name}（{' '.join(r.suffixes)}" + (f"，{r.note}" if r.note else "") + "）" for r in READERS)


def listed_suffixes() -> str:
    """'.docx、.txt、.md、.html、.pdf': the formats in brief, for messages."""
    return "、".join(s for r in READERS for s in (r.listed or r.suffixes[:1]))


_ERRNO = {errno.ENOENT: "文件不存在（可能在检查过程中被删除或移动）", errno.EACCES: "没有读取权限",
          errno.ELOOP: "符号链接循环", errno.EISDIR: "是目录，不是文件"}


def os_error(exc: OSError) -> str:
    return _ERRNO.get(exc.errno, f"操作系统错误：{exc.strerror or exc}")


def read(path: str) -> Document:
    """Read any supported file; every failure is a ReadError with a message in Chinese."""
    suffix = os.path.splitext(path)[1].lower()
    try:
        st = os.stat(path)
    except OSError as exc:  # deleted during the run, a symlink loop, no permission …
        raise ReadError(os_error(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise ReadError("不是普通文件（目录、管道或设备文件），不读取")
    if st.st_size == 0:
        raise ReadError("文件为空（0 字节）")
    reader = next((r for r in READERS if suffix in r.suffixes), None)
    if reader is not None:
        module, function = reader.function.split(":")
        try:
            return getattr(importlib.import_module(module), function)(path)
        except OSError as exc:
            raise ReadError(os_error(exc)) from None
    raise ReadError(f"不支持的文件类型 {suffix or '(无扩展名)'}；支持 {', '.join(SUFFIXES)}")
