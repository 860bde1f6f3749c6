"""Hostile and broken input: each file gets a clear GK001 naming the problem, the run goes on, inputs untouched."""

import os
import resource
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import DATA, ROOT

from gklint.cli import main
from gklint.policy.config import Settings
from gklint.run.runner import run

GOOD = ROOT / "examples" / "report-2022-defects.docx"  # GK503, GK304, GK504, GK402


def rezip(src, dst, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()):
    """A copy of a real .docx with some parts replaced or removed."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, (replace or {}).get(info.filename, zin.read(info.filename)))
    return dst


def document_xml() -> bytes:
    with zipfile.ZipFile(GOOD) as z:
        return z.read("word/document.xml")


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>
<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""


def xxe(target: str) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{target}">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>').encode()


def bomb(dst, size: int):
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                fh.write(chunk)
    return dst


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """{file name: (expected code, words the message must contain)}, written into one directory."""
    d = tmp_path_factory.mktemp("hostile")
    secret = d.parent / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    cases = {}

    def add(name, data, code, words):
        (d / name).write_bytes(data) if data is not None else None
        cases[name] = (code, words)

    add("empty.docx", b"", "GK001", "为空")
    add("empty.txt", b"", "GK001", "为空")
    add("random.docx", os.urandom(4096), "GK001", "不是有效的 .docx")
    add("random.txt", os.urandom(4096), "GK001", "")
    add("random.html", b"\0" + os.urandom(4096), "GK001", "不是网页")
    add("random.pdf", os.urandom(4096), "GK001", "")
    add("random-no-nul.txt", bytes(b for b in os.urandom(8192) if b >= 0x80), "GK001", "编码")
    add("truncated.docx", GOOD.read_bytes()[: GOOD.stat().st_size // 2], "GK001", "损坏或被截断")
    bomb(d / "bomb.docx", 200 << 20)
    cases["bomb.docx"] = ("GK001", "zip 炸弹")
    rezip(GOOD, d / "ratio-bomb.docx", {"word/document.xml": b"<a>" + b" " * (4 << 20) + b"</a>"})
    cases["ratio-bomb.docx"] = ("GK001", "zip 炸弹")
    rezip(GOOD, d / "laughs.docx", {"word/document.xml": LAUGHS})
    cases["laughs.docx"] = ("GK001", "实体")
    rezip(GOOD, d / "xxe.docx", {"word/document.xml": xxe(str(secret))})
    cases["xxe.docx"] = ("GK001", "XXE")
    rezip(GOOD, d / "xxe-utf16.docx", {"word/document.xml": xxe(str(secret)).decode().replace(
        'version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")})
    cases["xxe-utf16.docx"] = ("GK001", "XXE")
    rezip(GOOD, d / "no-document.docx", drop=("word/document.xml",))
    cases["no-document.docx"] = ("GK001", "word/document.xml")
    broken_ns = document_xml().replace(b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"', b"")
    rezip(GOOD, d / "no-namespace.docx", {"word/document.xml": broken_ns})
    cases["no-namespace.docx"] = ("GK001", "docx2python")
    shutil.copy(DATA / "hostile" / "encrypted-password-secret.docx", d / "encrypted.docx")
    cases["encrypted.docx"] = ("GK001", "加密")
    shutil.copy(DATA / "hostile" / "legacy.doc", d / "legacy-renamed.docx")
    cases["legacy-renamed.docx"] = ("GK001", "旧版 Word .doc")
    shutil.copy(DATA / "hostile" / "legacy.doc", d / "legacy.doc")  # found in the folder and named: checked once
    big = d / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 << 20)  # 50 MB (sparse zeros)
    cases["big.txt"] = ("GK007", "上限 20 MB")  # a size limit, not a damaged file
    os.mkfifo(d / "pipe.txt")
    cases["pipe.txt"] = ("GK001", "不是普通文件")
    os.symlink("loop.txt", d / "loop.txt")
    cases["loop.txt"] = ("GK001", "符号链接循环")
    os.symlink(".", d / "again")  # a directory loop: walked once, not forever
    shutil.copy(GOOD, d / "good.docx")
    cases["good.docx"] = ("GK304", "")
    return d, cases


def snapshot(d):
    out = {}
    for name in os.listdir(d):
        p = d / name
        st = os.lstat(p)
        data = p.read_bytes() if p.is_file() and not p.is_symlink() and not name.endswith("pipe.txt") else None
        out[name] = (st.st_mtime_ns, st.st_size, data)
    return out


def test_hostile_corpus(capsys, corpus):
    d, cases = corpus
    before = snapshot(d)
    code = main(["check", str(d), "--output-format", "concise", "--jobs", "2",
                 *[str(d / n) for n in ("loop.txt", "legacy.doc", "random.pdf")]])
    out, err = capsys.readouterr()
    assert code == 3
    assert "Traceback" not in out + err and "TOP-SECRET" not in out + err
    lines = out.splitlines()
    for name, (code_, words) in cases.items():
        mine = [line for line in lines if line.startswith(f"{d / name}:")]
        assert any(f" {code_} " in line and words in line for line in mine), (name, mine)
    assert len([line for line in lines if line.startswith(f"{d / 'good.docx'}:")]) == 4  # checked once
    # named on the command line, a .doc is read through LibreOffice (tests/scenario/test_formats.py), and says so
    assert any(line.startswith(f"{d / 'legacy.doc'}:") and "LibreOffice" in line for line in lines)
    assert snapshot(d) == before  # nothing written, renamed or deleted
    assert sorted(os.listdir(d)) == sorted(before)


def test_file_deleted_during_the_run(tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    shutil.copy(GOOD, a)
    shutil.copy(GOOD, b)
    files = [str(a), str(b)]
    a.unlink()  # after discovery, before checking
    results = run(files, [Settings(cache=False)] * 2, jobs=1)
    assert results[0].unreadable and "被删除" in results[0].findings[0].message
    assert {f.code for f in results[1].findings} >= {"GK304"}


def _limit_memory():
    limit = 1 << 30  # 1 GiB of address space: docx2python and lxml need a few hundred MB at most
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_memory_stays_bounded_on_bombs(corpus):
    d, _ = corpus
    names = ["bomb.docx", "ratio-bomb.docx", "laughs.docx", "xxe.docx", "good.docx"]
    p = subprocess.run([sys.executable, "-m", "gklint", "check", "--no-cache", "--output-format", "concise",
                        *[str(d / n) for n in names]], capture_output=True, text=True, timeout=300,
                       preexec_fn=_limit_memory)
    assert p.returncode == 3, p.stderr
    assert "MemoryError" not in p.stderr and "Traceback" not in p.stderr
    assert p.stdout.count("GK001") == 4 and "GK304" in p.stdout
