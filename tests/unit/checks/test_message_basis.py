"""A rule may carry its own `message` and legal `basis` (date rules too); the national ones name the 条例
article; a deadline a rule set moves is not credited to the 条例."""

import json

import pytest
from conftest import ROOT

from gklint.cli import main
from gklint.ruleset.loader import load

CASE = ROOT / "examples" / "province" / "cases" / "report-2022.txt"


@pytest.fixture
def late(tmp_path):
    path = tmp_path / "late.txt"
    text = CASE.read_text(encoding="utf-8")
    assert "2023年1月20日" in text
    path.write_text(text.replace("2023年1月20日", "2023年2月10日"), encoding="utf-8")
    return path


def _gk402(capsys, tmp_path, report, body=None):
    argv = ["check", "--no-cache", "--agency-kind", "department", "--output-format", "json", str(report)]
    if body is not None:
        rs = tmp_path / "local.toml"
        rs.write_text('[ruleset]\nname = "local"\nextends = "gb2021"\n[rules.GK402]\n' + body, encoding="utf-8")
        load.cache_clear()
        argv += ["--ruleset", str(rs)]
    main(argv)
    findings = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    return [f["message"] for f in findings if f["code"] == "GK402"]


def test_the_national_deadline_names_the_article(capsys, tmp_path, late):
    (message,) = _gk402(capsys, tmp_path, late)
    assert "《条例》第四十九条" in message


def test_a_moved_deadline_is_not_credited_to_the_article(capsys, tmp_path, late):
    (message,) = _gk402(capsys, tmp_path, late, "department_deadline = [1, 25]\n")
    assert "2023年1月25日" in message and "第四十九条" not in message


def test_a_moved_deadline_with_its_own_basis(capsys, tmp_path, late):
    (message,) = _gk402(capsys, tmp_path, late, 'department_deadline = [1, 25]\nbasis = "某省第八条"\n')
    assert "某省第八条" in message and "第四十九条" not in message


def test_a_date_rule_takes_its_own_message(capsys, tmp_path, late):
    assert _gk402(capsys, tmp_path, late, 'message = "本省要求按时发布年度报告"\n') == ["本省要求按时发布年度报告"]


@pytest.mark.parametrize("code,article", [("GK101", "第五十条"), ("GK402", "第四十九条"), ("GK401", "第四十九条")])
def test_rule_shows_the_basis(capsys, code, article):
    assert main(["rule", code]) == 0
    assert f"依据：《条例》{article}" in capsys.readouterr().out


def test_rule_and_rules_speak_chinese(capsys):
    main(["rule", "GK304"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("GK304 ") and "错误" in first and "合计关系类" in first and "error" not in first
    main(["rules"])
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines and all(any(s in line for s in ("错误", "警告", "提示")) for line in lines)
    assert not any(" error " in line or " warning " in line for line in lines)
