"""What a Chinese office user reads: help in Chinese listing every format, severities in Chinese in the line
formats, NO_COLOR as plain text, rule-set paths relative to the working directory."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT

from gklint.cli import main

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"
COMMANDS = [[], ["check"], ["annotate"], ["rules"], ["rule"], ["ruleset"], ["ruleset", "check"],
            ["ruleset", "test"], ["extract"], ["rollup"]]
ENGLISH = ("usage:", "show this help", "positional arguments", "options:", "optional arguments", "(default:")


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a) or "gklint")
def test_help_is_chinese(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0 and out.startswith("用法：")
    assert not any(word in out for word in ENGLISH), out
    if argv in ([], ["check"], ["extract"]):
        for suffix in (".docx", ".txt", ".md", ".html", ".htm", ".pdf"):
            assert suffix in out


def test_concise_and_statistics_severities_are_chinese(capsys):
    main(["check", "--no-cache", "--output-format", "concise", str(DEFECTS)])
    out = capsys.readouterr().out
    assert "GK304 [错误]" in out and "GK402 [警告]" in out and "[error]" not in out
    main(["check", "--no-cache", "--statistics", str(DEFECTS)])
    assert "[错误]" in capsys.readouterr().out


def test_machine_formats_keep_english_keys(capsys):
    main(["check", "--no-cache", "--output-format", "json", str(DEFECTS)])
    assert '"severity": "error"' in capsys.readouterr().out


def test_no_color_means_plain_text_even_when_colour_is_forced():
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "1"}
    p = subprocess.run([sys.executable, "-m", "gklint", "check", "--no-cache", str(DEFECTS)], capture_output=True,
                       text=True, env=env, timeout=120)
    assert p.returncode == 1 and "GK304" in p.stdout and "\x1b[" not in p.stdout + p.stderr
    env.pop("NO_COLOR")
    p = subprocess.run([sys.executable, "-m", "gklint", "check", "--no-cache", str(DEFECTS)], capture_output=True,
                       text=True, env=env, timeout=120)
    assert "\x1b[" in p.stdout  # the same run with colour forced and NO_COLOR unset is coloured


def test_ruleset_check_prints_paths_relative_to_the_working_directory(tmp_path, monkeypatch, capsys):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.toml").write_text('[ruleset]\nname = "b"\nextends = "gb2021"\n[rules.GK102]\n'
                                               'severity = "fatal"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["ruleset", "check", str(tmp_path / "sub" / "bad.toml")]) == 1
    assert capsys.readouterr().out.startswith(os.path.join("sub", "bad.toml") + ":5: rules.GK102.severity: ")


@pytest.mark.parametrize("argv,words", [
    (["check", "--format", "x"], "无效的取值 'x'"),
    (["check", "-j", "x"], "并行进程数应为正整数（1、2、…），而不是 'x'"),
    (["rule"], "缺少参数"),
    (["check", "a", "--nope"], "无法识别的参数：--nope"),
])
def test_usage_errors_are_chinese(capsys, argv, words):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and words in err and "错误：" in err
