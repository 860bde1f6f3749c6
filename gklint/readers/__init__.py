"""Readers: bytes -> Document, one module per input format."""

from __future__ import annotations

import os

from gklint.document import Document, ReadError

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
SUFFIXES = (".docx",) + TEXT_SUFFIXES


def read(path: str) -> Document:
    """Read any supported file; every failure is a ReadError with a message in Chinese."""
    suffix = os.path.splitext(path)[1].lower()
    try:
        if suffix == ".docx":
            from gklint.readers.docx import read_docx

            return read_docx(path)
        if suffix in TEXT_SUFFIXES:
            from gklint.readers.text import read_text

            return read_text(path)
    except OSError as exc:
        raise ReadError(f"无法读取文件：{exc.strerror or exc}") from None
    if suffix in (".doc", ".wps"):
        raise ReadError(f"不支持旧版 {suffix} 格式；请在 Word/WPS 中另存为 .docx，"
                        "或运行 `soffice --headless --convert-to docx 文件名` 转换后再检查")
    raise ReadError(f"不支持的文件类型 {suffix or '(无扩展名)'}；支持 {', '.join(SUFFIXES)}")
