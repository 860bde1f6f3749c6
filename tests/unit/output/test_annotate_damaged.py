"""annotate on a damaged .docx (issue 25): a copy is written only when it is a package that opens; otherwise
the reason is said and nothing is written (no copy, no temporary file)."""

import re
import warnings
import zipfile

import pytest
from conftest import ROOT
from test_hostile import rezip

from gklint.cli import main
from gklint.output.validate import problem

GOOD = ROOT / "examples" / "report-2022-defects.docx"


def content_types() -> str:
    return zipfile.ZipFile(GOOD).read("[Content_Types].xml").decode()


def damaged(tmp_path, kind: str):
    src = tmp_path / f"{kind}.docx"
    if kind == "application-xml":
        ct = re.sub(r'(PartName="/word/document.xml" ContentType=")[^"]+', r"\1application/xml", content_types())
        return rezip(GOOD, src, replace={"[Content_Types].xml": ct.encode()}), "application/xml"
    if kind == "no-content-types":
        return rezip(GOOD, src, drop=("[Content_Types].xml",)), "未声明"
    if kind == "no-styles":
        return rezip(GOOD, src, drop=("word/styles.xml",)), "word/styles.xml 不存在"
    with zipfile.ZipFile(GOOD) as zin, zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zout:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Duplicate name": the point of this file
            for info in zin.infolist():
                zout.writestr(info.filename, zin.read(info.filename))
            zout.writestr("word/document.xml", zin.read("word/document.xml"))
    return src, "重复的部件 word/document.xml"


@pytest.mark.parametrize("kind", ["application-xml", "no-content-types", "no-styles", "duplicates"])
def test_no_copy_of_a_damaged_package(tmp_path, capsys, kind):
    src, reason = damaged(tmp_path, kind)
    out = tmp_path / "out" / "copy.docx"
    out.parent.mkdir()
    before = src.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["annotate", str(src), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert reason in err and "未写入任何文件" in err, err
    assert "Traceback" not in err
    assert list(out.parent.iterdir()) == []  # neither the copy nor a temporary file
    assert src.read_bytes() == before


def test_a_sound_copy_is_still_written_and_opens(tmp_path, capsys):
    import docx
    from docx2python import docx2python

    out = tmp_path / "copy.docx"
    assert main(["annotate", str(GOOD), "-o", str(out)]) == 0
    assert problem(str(out)) is None
    assert len(docx.Document(str(out)).paragraphs) > 10
    with docx2python(str(out)) as dx:
        assert dx.body_pars
    assert "4 条批注" in capsys.readouterr().err


def test_package_problems_are_named(tmp_path):
    assert problem(str(GOOD)) is None
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"not a zip")
    assert "zip" in problem(str(junk))
