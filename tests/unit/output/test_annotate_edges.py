"""`gklint annotate` at its edges: an output folder that does not exist is named (not the temporary file that
could not be made in it); an old .doc or a .wps is answered with how to convert it, and that way works."""

import os
import shlex
import shutil
import subprocess
import zipfile

import pytest
from conftest import DATA, ROOT

from gklint.cli import main
from gklint.output.annotate import annotate_report
from gklint.run.engine import read_report

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"
LEGACY = DATA / "hostile" / "legacy.doc"


def test_output_into_a_missing_folder_names_the_folder(tmp_path, capsys):
    src = tmp_path / "报告.docx"
    shutil.copy(DEFECTS, src)
    missing = tmp_path / "没有这个目录"
    assert main(["annotate", str(src), "-o", str(missing / "报告.gklint.docx")]) == 2
    err = capsys.readouterr().err
    assert err == f"gklint: 输出目录不存在：{missing}\n" and ".tmp" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx"]


def test_output_into_a_file_that_is_not_a_folder(tmp_path, capsys):
    src = tmp_path / "报告.docx"
    shutil.copy(DEFECTS, src)
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    assert main(["annotate", str(src), "-o", str(tmp_path / "plain" / "out.docx")]) == 2
    assert "plain: 不是目录" in capsys.readouterr().err


def test_the_writer_names_the_missing_folder_too(tmp_path):
    """The check --annotate batch and other callers of the writer: the folder, not tmpXXXX.docx.tmp."""
    with pytest.raises(FileNotFoundError) as exc:
        annotate_report(read_report(str(DEFECTS))[1], str(tmp_path / "gone" / "x.docx"), [])
    assert exc.value.filename == str(tmp_path / "gone") and ".tmp" not in str(exc.value)


@pytest.mark.parametrize("suffix,kind", [(".doc", "旧版 Word（.doc）"), (".wps", "WPS 文字（.wps）")])
def test_an_old_word_file_gets_the_way_to_convert_it(tmp_path, capsys, suffix, kind):
    src = tmp_path / f"年度 报告{suffix}"
    shutil.copy(LEGACY, src)
    assert main(["annotate", str(src)]) == 2
    err = capsys.readouterr().err
    assert kind in err and "另存为" in err and "soffice --headless --convert-to docx" in err
    assert shlex.quote(str(src)) in err  # a name with a space, quoted to paste into a shell
    assert sorted(p.name for p in tmp_path.iterdir()) == [src.name]


@pytest.mark.slow
def test_the_printed_conversion_works_and_the_result_is_annotated(tmp_path, capsys):
    src = tmp_path / "legacy.doc"
    shutil.copy(LEGACY, src)
    assert main(["annotate", str(src)]) == 2
    err = capsys.readouterr().err
    command = shlex.split(err[err.index("soffice"):err.index("，再对")])
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"  # not another test's running soffice
    p = subprocess.run([command[0], profile, *command[1:]], capture_output=True, text=True, timeout=180,
                       cwd=tmp_path)
    converted = tmp_path / "legacy.docx"
    assert p.returncode == 0 and converted.is_file(), p.stderr
    assert main(["annotate", str(converted)]) == 0
    assert zipfile.is_zipfile(tmp_path / "legacy.gklint.docx") and os.path.getsize(src) > 0
