"""Legacy and other word-processor formats (.doc, .wps, .odt, .rtf) through LibreOffice.

`soffice --headless --convert-to docx` runs in a private, temporary user profile (a clerk's open LibreOffice,
or another gklint worker, never shares or locks it), with a time limit, writing into a temporary directory; the
original is only read. The .docx is then read like any other, and the Document says it was converted: its
locations are paragraphs and tables of the converted text, which match the original as Word/WPS shows it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from gklint.document import Document, ReadError

SUFFIXES = (".doc", ".wps", ".odt", ".rtf")
TIMEOUT = 120  # seconds; a 40-page .doc converts in 2–5 s, the first start of a fresh profile takes longer
_NAMES = {".doc": "旧版 Word（.doc）", ".wps": "WPS 文字（.wps）", ".odt": "OpenDocument（.odt）", ".rtf": "RTF（.rtf）"}
INSTALL = ("需要 LibreOffice 才能读取{what}文件，但找不到 soffice；请安装（Debian/Ubuntu："
           "`apt-get install libreoffice-writer-nogui`），或在 Word/WPS 中另存为 .docx 后再检查")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_converted(path: str, timeout: float | None = None) -> Document:
    """Convert a copy of `path` to .docx with LibreOffice and read that; the Document notes the conversion."""
    from gklint.readers.docx.reader import read_docx

    suffix = os.path.splitext(path)[1].lower()
    what = _NAMES.get(suffix, suffix)
    exe = soffice()
    if exe is None:
        raise ReadError(INSTALL.format(what=what))
    limit = timeout or float(os.environ.get("GKLINT_CONVERT_TIMEOUT", TIMEOUT))
    with tempfile.TemporaryDirectory(prefix="gklint-convert-") as tmp:
        work = Path(tmp)
        # a copy with a plain name: soffice reads the original's name from argv, and a name starting with
        # '-' or holding odd characters must not be taken for an option; the original is never opened for writing
        src = work / f"input{suffix}"
        shutil.copyfile(path, src)
        out = work / "out"
        cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--nologo", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=limit, cwd=tmp, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ReadError(f"LibreOffice 转换{what}超过 {limit:.0f} 秒仍未完成，已放弃；"
                            "请在 Word/WPS 中另存为 .docx 后再检查") from None
        except OSError as exc:
            raise ReadError(f"无法启动 LibreOffice（{exc}）；请在 Word/WPS 中另存为 .docx 后再检查") from None
        converted = out / "input.docx"
        if not converted.exists() or converted.stat().st_size == 0:
            said = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            why = f"（{said[-1][:120]}）" if said else ""
            raise ReadError(f"LibreOffice 无法转换此{what}文件{why}：文件可能已损坏、加密或不是{what}；"
                            "请在 Word/WPS 中打开并另存为 .docx 后再检查")
        doc = read_docx(str(converted))
    doc.path = path
    doc.reader = f"{doc.reader}，由 LibreOffice 从 {suffix} 转换"
    doc.notes.append(f"{what}文件由 LibreOffice 转换为 .docx 后检查；位置（第几段、第几张表格）指转换后的文字，"
                     "与在 Word/WPS 中看到的一致，个别版式（文本框、域）可能与原文件略有不同")
    return doc
