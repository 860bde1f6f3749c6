"""Readers: bytes -> Document, one module per input format."""

from __future__ import annotations

import errno
import os
import stat

from gklint.document import Document, ReadError

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = (".docx",) + TEXT_SUFFIXES + HTML_SUFFIXES + (".pdf",)


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
    try:
        if suffix == ".docx":
            from gklint.readers.docx.reader import read_docx

            return read_docx(path)
        if suffix in TEXT_SUFFIXES:
            from gklint.readers.text import read_text

            return read_text(path)
        if suffix in HTML_SUFFIXES:
            from gklint.readers.html import read_html

            return read_html(path)
        if suffix == ".pdf":
            from gklint.readers.pdf import read_pdf

            return read_pdf(path)
        if suffix in (".doc", ".wps", ".odt", ".rtf"):
            from gklint.readers.convert import read_converted

            return read_converted(path)
    except OSError as exc:
        raise ReadError(os_error(exc)) from None
    raise ReadError(f"不支持的文件类型 {suffix or '(无扩展名)'}；支持 {', '.join(SUFFIXES)}")
