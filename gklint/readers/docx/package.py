"""A .docx read once: the file's bytes, its zip checked for bombs and entity attacks, every part in memory.

Checking, comment directives and annotating all work from this one read (the file is opened once per run
of a command). The Package travels with the Document (`Document.source`) inside the process that read it."""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from dataclasses import dataclass, field

from gklint.document import LimitError, ReadError

DOCUMENT = "word/document.xml"
MAX_PART_BYTES = 32 * 1024 * 1024  # the largest real report seen has a 0.8 MB document.xml; a zip bomb has GBs
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_RATIO = 200  # Word XML compresses 5–20×; thousands means a bomb
MAX_OLE_SCAN = 4 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# docx2python walks document.xml element by element (~50-150 µs each, linear): the official template has
# 8 000 elements, the largest real report seen ~30 000; 100 000 is about 15 s on a busy machine.
MAX_ELEMENTS = 100_000


@dataclass
class Package:
    path: str
    data: bytes  # the file as it is on disk
    infos: list  # zipfile.ZipInfo of every entry, in the file's order
    parts: dict[str, bytes]  # every entry's bytes
    normalised: bytes | None = None  # document.xml as Word shows it (stamped: see locate.numbered); None: as is
    hidden: frozenset = frozenset()  # character styles that hide text
    cache: dict = field(default_factory=dict)  # what is derived once (locate.numbered)

    def get(self, name: str) -> bytes | None:
        return self.parts.get(name)

    def read(self, name: str) -> bytes:  # as zipfile.ZipFile.read, for code written against a zip
        return self.parts[name]


def open_package(path) -> Package:
    """Read `path` (a file name, or a file object: a .docx embedded in another) once and refuse what is not a
    plausible, safe .docx before any XML parser sees it."""
    if not isinstance(path, str):
        data, path = path.read(MAX_TOTAL_BYTES + 1), ""
        if len(data) > MAX_TOTAL_BYTES:
            raise ReadError(f"嵌入的 .docx 超过上限 {MAX_TOTAL_BYTES} 字节，拒绝读取")
    else:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_TOTAL_BYTES:  # its parts would unpack past the limit anyway
                raise ReadError(f".docx 文件有 {size} 字节，超过上限 {MAX_TOTAL_BYTES} 字节，拒绝读取")
            data = fh.read()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            _check_sizes(infos)
            if DOCUMENT not in {i.filename for i in infos}:
                raise ReadError(".docx 中缺少 word/document.xml，不是完整的 Word 文档")
            parts = {}
            for info in infos:
                parts[info.filename] = _read_bounded(zf, info)
                if info.filename.endswith((".xml", ".rels")):
                    _check_xml(info.filename, parts[info.filename])
            _check_elements(parts[DOCUMENT])
    except zipfile.BadZipFile as exc:
        raise ReadError(_damaged(data, exc)) from None
    except zlib.error as exc:  # a flipped bit in a compressed part: "invalid distance too far back"
        raise ReadError(f".docx 已损坏：压缩的部件无法解压（{exc}）；请用 Word/WPS 打开并另存，或重新导出") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, ValueError) as exc:
        raise ReadError(f".docx 的 zip 结构无法读取（{exc}）") from None
    return Package(path, data, infos, parts)


def _check_sizes(infos: list) -> None:
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise ReadError(f".docx 中的 {info.filename} 解压后声明为 {info.file_size} 字节"
                            f"（压缩比 {ratio:.0f}），超过上限，疑似 zip 炸弹，拒绝读取")
    if total > MAX_TOTAL_BYTES:
        raise ReadError(f".docx 解压后共 {total} 字节，超过上限 {MAX_TOTAL_BYTES} 字节，拒绝读取")


def _read_bounded(zf: zipfile.ZipFile, info) -> bytes:
    """At most the declared size (+1 to notice a lie); zipfile checks the CRC of what it inflates."""
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise ReadError(f".docx 中的 {info.filename} 实际大小超过声明，文件已损坏或被篡改")
    return data


def _check_elements(data: bytes) -> None:
    """Count start tags (a byte count, no parse): beyond MAX_ELEMENTS docx2python would take minutes."""
    n = data.count(b"<") - data.count(b"</") - data.count(b"<?") - data.count(b"<!")
    if n > MAX_ELEMENTS:
        rows = data.count(b"<w:tr>") + data.count(b"<w:tr ")
        raise LimitError(f"word/document.xml 有约 {n} 个 XML 元素（其中表格行 {rows} 行），超过 gklint 的上限 "
                         f"{MAX_ELEMENTS} 个（国家模板约 8000 个）")


def _damaged(data: bytes, exc: Exception) -> str:
    """A zip whose entries cannot be read (bad CRC, bad header) is damaged; one that is no zip at all is
    described by _not_a_zip (an old .doc, an encrypted file …)."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        return f".docx 已损坏：zip 中的部件无法读取（{exc}）；请用 Word/WPS 打开并另存，或重新导出"
    return _not_a_zip(data)


def _check_xml(name: str, data: bytes) -> None:
    """Word never writes a DTD; one in a .docx can only be an entity attack (XXE, billion laughs)."""
    head = data[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        text = data.decode("utf-16", "replace")
    else:
        text = data.decode("utf-8", "replace")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ReadError(f".docx 中的 {name} 含有 DTD 或实体声明（Word 从不这样写），"
                        "可能是 XXE 或实体膨胀攻击，拒绝读取")


def _not_a_zip(data: bytes) -> str:
    if data[:8] != OLE_MAGIC:
        return "不是有效的 .docx（zip）文件，可能已损坏或被截断"
    # OLE directory entries hold stream names in UTF-16LE
    head = data[:MAX_OLE_SCAN]
    if "EncryptedPackage".encode("utf-16-le") in head or "EncryptionInfo".encode("utf-16-le") in head:
        return "是设置了打开密码的（加密的）.docx，gklint 无法读取；请在 Word/WPS 中取消密码后另存为 .docx"
    return ("是旧版 Word .doc 或 WPS 文档（OLE 复合文档），不是 .docx；请在 Word/WPS 中另存为 .docx，"
            "或用 `soffice --headless --convert-to docx 文件名` 转换后再检查")
