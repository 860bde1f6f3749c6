"""Accept or reject the tracked changes of a .docx, as Word's 审阅 pane does, for the tests of `gklint fix`:
accept keeps w:ins content and drops w:del; reject drops w:ins and keeps w:del content (w:delText back to
w:t). `author` limits it to one author's changes. `libreoffice_accept_all` does it through LibreOffice
(a Basic macro in a private profile: headless conversion alone keeps revisions)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _resolve(src: Path, dst: Path, keep: str, drop: str, author: str | None) -> Path:
    with zipfile.ZipFile(src) as zf:
        infos = zf.infolist()
        parts = {i.filename: zf.read(i) for i in infos}
    root = etree.fromstring(parts["word/document.xml"])
    mine = (lambda e: author is None or e.get(W + "author") == author)
    for e in [e for e in root.iter(W + drop) if mine(e)]:
        if e.getparent() is not None:
            e.getparent().remove(e)
    for e in [e for e in root.iter(W + keep) if mine(e)]:
        for x in e.iter(W + "delText", W + "delInstrText"):
            x.tag = W + ("t" if x.tag == W + "delText" else "instrText")
        parent = e.getparent()
        at = parent.index(e)
        for k, child in enumerate(list(e)):
            parent.insert(at + k, child)
        parent.remove(e)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, parts[info.filename])
    return Path(dst)


def accept(src: Path, dst: Path, author: str | None = None) -> Path:
    return _resolve(src, dst, "ins", "del", author)


def reject(src: Path, dst: Path, author: str | None = None) -> Path:
    return _resolve(src, dst, "del", "ins", author)


MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub AcceptAll(src As String, dst As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), "_blank", 0, args())
  dispatcher = createUnoService("com.sun.star.frame.DispatchHelper")
  dispatcher.executeDispatch(doc.getCurrentController().getFrame(), ".uno:AcceptAllTrackedChanges", "", 0, Array())
  Dim out(0) As New com.sun.star.beans.PropertyValue
  out(0).Name = "FilterName"
  out(0).Value = "MS Word 2007 XML"
  doc.storeToURL(ConvertToURL(dst), out())
  doc.close(True)
End Sub
</script:module>
"""


def libreoffice_accept_all(src: Path, dst: Path, workdir: Path) -> Path:
    profile = workdir / "lo-profile"
    url = f"-env:UserInstallation=file://{profile}"
    if not (profile / "user" / "basic" / "Standard").exists():
        subprocess.run(["soffice", url, "--headless", "--terminate_after_init"], timeout=180, capture_output=True,
                       check=True)
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(MACRO, encoding="utf-8")
    subprocess.run(["soffice", url, "--headless", f'macro:///Standard.Module1.AcceptAll("{src}","{dst}")'],
                   timeout=180, capture_output=True, check=True)
    assert Path(dst).exists(), "LibreOffice wrote nothing"
    return Path(dst)


def libreoffice_pdf(src: Path, outdir: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{outdir / 'lo-pdf-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(src)], timeout=180, capture_output=True,
                   check=True)
    return outdir / (Path(src).stem + ".pdf")


def have_libreoffice() -> bool:
    return shutil.which("soffice") is not None
