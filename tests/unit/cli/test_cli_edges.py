"""The edges of the command line: misspelt options and choices, -j 0, whole-file findings in concise output,
the drawn table and the marked sentence fitted to the terminal width."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from gklint.cli import main
from gklint.output.text import width

CASE = ROOT / "rules" / "cases" / "gb2021-2022.txt"


def _usage_error(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as exc:
        main(list(map(str, argv)))
    assert exc.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("argv,hint", [
    (["check", "--ouput-format", "json"], "--ouput-format 是不是 --output-format？"),
    (["check", "--selct", "GK3"], "--selct 是不是 --select？"),
    (["check", "--no-cahce=1"], "--no-cahce 是不是 --no-cache？"),
    (["annotate", "--ouput", "x.docx"], "--ouput 是不是 --output？"),
    (["check", "--output-format", "jsn"], "（是不是 json？）"),
    (["chek", "x.docx"], "（是不是 check？）"),
])
def test_a_misspelt_option_or_choice_gets_did_you_mean(capsys, argv, hint):
    err = _usage_error(capsys, *argv, str(CASE))
    assert hint in err and "Traceback" not in err


def test_an_unknown_option_with_nothing_close_gets_no_guess(capsys):
    err = _usage_error(capsys, "check", "--zzzz", str(CASE))
    assert "无法识别的参数：--zzzz" in err and "是不是" not in err


def test_the_did_you_mean_reaches_a_real_process():
    p = subprocess.run([sys.executable, "-m", "gklint", "check", "--selct", "GK3", str(CASE)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "是不是 --select？" in p.stderr


@pytest.mark.parametrize("jobs", ["0", "-3", "two"])
def test_jobs_must_be_a_positive_number(capsys, jobs):
    err = _usage_error(capsys, "check", "--no-cache", "-j", jobs, str(CASE))
    assert f"参数 -j/--jobs：并行进程数应为正整数（1、2、…），而不是 '{jobs}'" in err


def test_jobs_one_and_two_still_run(capsys):
    assert main(["check", "--no-cache", "-j", "2", "-q", str(CASE), str(CASE)]) == 0


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a docx")
    return path


def test_concise_gives_a_whole_file_finding_no_line_number(capsys, broken):
    assert main(["check", "--no-cache", "--output-format", "concise", str(broken)]) == 3
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{broken}: GK001 [错误] ") and ":0:" not in line


def test_whole_file_findings_stay_valid_in_sarif_and_github(capsys, broken):
    main(["check", "--no-cache", "--output-format", "sarif", str(broken)])
    (result,) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"].endswith("broken.docx") and "region" not in physical
    main(["check", "--no-cache", "--output-format", "github", str(broken)])
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("::error file=") and "line=" not in line and ",title=GK001::" in line


@pytest.fixture
def wrong_row_total(tmp_path):
    """表三's row （四）1 with a total of 11 for 9 + 1: a finding that draws all seven columns of 表三."""
    text = CASE.read_text(encoding="utf-8")
    row = "1.本机关不掌握相关政府信息\t9\t1\t0\t0\t0\t0\t10"
    assert row in text
    path = tmp_path / "t3.txt"
    path.write_text(text.replace(row, row[:-2] + "11"), encoding="utf-8")
    return path


def _drawing(out: str) -> list[str]:
    return [x for x in out.splitlines() if x.lstrip()[:1] in ("┌", "│", "├", "└")]


def test_the_drawn_table_fits_a_100_column_terminal(capsys, monkeypatch, wrong_row_total):
    monkeypatch.delenv("COLUMNS", raising=False)
    main(["check", "--no-cache", str(wrong_row_total)])
    whole = _drawing(capsys.readouterr().out)
    assert max(map(width, whole)) > 100  # a pipe or a file gets the table as it is

    monkeypatch.setenv("COLUMNS", "100")
    main(["check", "--no-cache", str(wrong_row_total)])
    drawn = _drawing(capsys.readouterr().out)
    assert max(map(width, drawn)) <= 100
    header = "\n".join(drawn[1:3])
    for name in ("自然人", "商业", "企业", "社会公", "益组织", "其他", "总计"):  # long names on two lines
        assert name in header
    assert any("11 → 10" in x for x in drawn)
    # the columns in the table's order (the 总计 of rows with shorter labels sits further left in a text report)
    assert drawn[1].index("其他") < drawn[1].index("总计")


def test_a_narrow_terminal_keeps_the_marked_column_and_the_total(capsys, monkeypatch, wrong_row_total):
    monkeypatch.setenv("COLUMNS", "60")
    main(["check", "--no-cache", str(wrong_row_total)])
    drawn = _drawing(capsys.readouterr().out)
    assert max(map(width, drawn)) <= 60
    assert "…" in drawn[1] and "总计" in drawn[1] and any("11 → 10" in x for x in drawn)


def test_a_long_marked_span_is_clipped_with_its_caret_line(capsys, monkeypatch, tmp_path):
    filler = "本单位需要在这里填写具体情况包括但不限于各项工作措施" * 6
    text = CASE.read_text(encoding="utf-8").replace(
        "改进情况：建立发布台账，按月通报。", f"改进情况：建立发布台账，按月通报。（文字描述{filler}）")
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "100")
    main(["check", "--no-cache", str(path)])
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, x in enumerate(lines) if x.strip().startswith("^"))
    sentence, carets = lines[at - 1], lines[at]
    assert width(sentence) <= 100 and width(carets) <= width(sentence)
    assert "…" in sentence and sentence.rstrip().endswith("工作措施）")  # the head and the tail of the placeholder
    start = width(carets) - width(carets.lstrip())
    assert width(sentence[:sentence.index("（文字描述")]) == start  # the carets begin under the marked part
    expected = next(x for x in lines if x.strip().startswith("应为"))
    assert width(expected) <= 100
