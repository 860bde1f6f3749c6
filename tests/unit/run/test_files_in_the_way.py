"""Files in the way and files gklint cannot read: editors' lock and temporary files are skipped and counted
like other non-report files; a .doc/.wps/.odt/.rtf is checked (the reader decides) whether found in a folder
or named; exit 3 says some files could not be read, 2 stays for usage errors; a baseline says what it hid."""

import json
import shutil

import pytest
from conftest import ROOT, seed

from gklint.cli import main
from gklint.run.engine import in_the_way

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"
CLEAN = ROOT / "examples" / "report-2022.docx"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # the start of an old Word .doc

IN_THE_WAY = {  # as Word, LibreOffice, WPS, Emacs and Vim leave them beside an open 报告.docx
    "~$报告.docx": b"\x06user  " + b"\0" * 150,
    ".~lock.报告.docx#": "用户,host,/home/user,07.12.2026 10:00;".encode(),
    "报告.docx~": CLEAN.read_bytes()[:3000],
    ".#报告.docx": b"user@host.1234:1700000000",
    "#报告.docx#": b"PK\x03\x04 half saved",
    "~WRL0001.tmp": b"\0" * 900,
    "报告.tmp": b"temporary",
    ".报告.docx.swp": b"b0VIM 9.0",
}


def run(capsys, *args):
    code = main(["check", "--no-cache", "--output-format", "json", *map(str, args)])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


@pytest.mark.parametrize("name", IN_THE_WAY)
def test_an_editors_lock_or_temporary_file_is_never_a_report(name):
    assert in_the_way(f"/docs/2022/{name}")


@pytest.mark.parametrize("name", ["报告.docx", "2022年报告.pdf", "~报告.docx", "报告#1.txt", "lock.md"])
def test_a_report_is_not_in_the_way(name):
    assert not in_the_way(f"/docs/{name}")


def test_lock_and_temporary_files_are_skipped_in_folders_and_when_named(tmp_path, capsys):
    shutil.copy(CLEAN, tmp_path / "报告.docx")
    for name, data in IN_THE_WAY.items():
        (tmp_path / name).write_bytes(data)
    code, out, err = run(capsys, tmp_path)
    assert code == 0, out
    skipped = {f["path"].rsplit("/", 1)[1] for f in out["files"] if f["skipped"]}
    assert skipped == {"~$报告.docx", ".#报告.docx"}  # the others have suffixes no folder search picks
    assert out["summary"]["skipped"] == 2
    # pre-commit passes each staged file by name
    code, out, err = run(capsys, *sorted(tmp_path.iterdir()))
    assert code == 0 and not any(f["findings"] for f in out["files"]), out
    assert out["summary"]["skipped"] == len(IN_THE_WAY)
    main(["check", "--no-cache", *map(str, sorted(tmp_path.iterdir()))])
    assert "跳过 8 个非年报文件" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".odt", ".rtf"])
def test_a_file_gklint_cannot_read_counts_the_same_in_a_folder_and_by_name(tmp_path, capsys, suffix):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / f"报告{suffix}").write_bytes(OLE)
    by_folder = run(capsys, folder)
    by_name = run(capsys, folder / f"报告{suffix}")
    assert by_folder[0] == by_name[0] == 3
    assert by_folder[1]["files"] == by_name[1]["files"]
    (finding,) = by_name[1]["files"][0]["findings"]
    assert finding["code"] == "GK001"
    assert "没有可检查的文件" not in by_folder[2]


def test_exit_codes_usage_before_unreadable_before_findings(tmp_path, capsys):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    assert run(capsys, CLEAN)[0] == 0
    assert run(capsys, DEFECTS)[0] == 1
    assert run(capsys, DEFECTS, bad)[0] == 3
    assert run(capsys, DEFECTS, bad, tmp_path / "missing.docx")[0] == 2
    with pytest.raises(SystemExit) as exc:
        main(["check", "--output-format", "yaml", str(CLEAN)])
    assert exc.value.code == 2


def test_write_baseline_with_an_unreadable_file_exits_3_and_says_what_it_recorded(tmp_path, capsys):
    shutil.copy(DEFECTS, tmp_path / "r.docx")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    code = main(["check", "--no-cache", str(tmp_path), "--write-baseline", str(tmp_path / "bl.json")])
    err = capsys.readouterr().err
    recorded = len(json.loads((tmp_path / "bl.json").read_text(encoding="utf-8"))["entries"])
    assert code == 3 and recorded >= 4
    assert f"已把 2 个文件的 {recorded} 个问题写入基线" in err and "1 个文件无法读取，未记入基线" in err

    code = main(["check", "--no-cache", str(tmp_path / "r.docx"), "--baseline", str(tmp_path / "bl.json")])
    assert code == 0 and f"基线隐藏了 {recorded} 个问题" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["-h"], ["check", "-h"]])
def test_the_help_lists_every_exit_code(capsys, argv):
    with pytest.raises(SystemExit):
        main(argv)
    out = " ".join(capsys.readouterr().out.split())
    for words in ("0 没有问题", "1 有问题", "2 用法、配置或规则集错误", "3 有文件无法读取", "130", "143"):
        assert words in out, words


def test_a_text_report_beside_its_lock_file(tmp_path, capsys):
    shutil.copy(seed("001"), tmp_path / "r.txt")
    (tmp_path / ".~lock.r.txt#").write_bytes(b"x")
    code, out, _ = run(capsys, tmp_path / "r.txt", tmp_path / ".~lock.r.txt#")
    assert code == 1 and [f["skipped"] for f in out["files"]] == [False, True]


def test_every_command_gives_3_for_a_file_it_cannot_read(tmp_path, capsys):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(CLEAN.read_bytes()[:2000])
    assert main(["extract", str(bad)]) == 3
    assert main(["annotate", str(bad)]) == 3
    assert main(["check", "--no-cache", str(bad)]) == 3
    assert capsys.readouterr().err.count("broken.docx") >= 2
