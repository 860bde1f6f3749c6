"""Selection: the chosen rule set's rules run whatever their prefix; select / extend-select accept any code
or prefix of the rule sets in use and reject one that exists nowhere (exit 2, naming it)."""

import json
import shutil

import pytest
from conftest import ROOT

from gklint.cli import main

PROVINCE = ROOT / "examples" / "province"


@pytest.fixture
def defective(tmp_path):
    """The province's own case with the statistical-period sentence removed: SX101 must fire."""
    text = (PROVINCE / "cases" / "report-2022.txt").read_text(encoding="utf-8")
    sentence = "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。\n"
    assert sentence in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace(sentence, ""), encoding="utf-8")
    return path


def _codes(capsys, *argv):
    status = main(["check", "--no-cache", "--output-format", "json", *argv])
    out = capsys.readouterr().out
    return status, {f["code"] for f in json.loads(out)["files"][0]["findings"]} if out else set()


def test_the_rule_sets_own_rules_run_without_any_select(capsys, defective):
    status, codes = _codes(capsys, "--ruleset", str(PROVINCE / "province.toml"), str(defective))
    assert status == 1 and "SX101" in codes


def test_a_config_may_select_the_provincial_prefix(capsys, tmp_path, defective):
    (tmp_path / "gklint.toml").write_text(f'ruleset = "{PROVINCE / "province.toml"}"\nselect = ["GK4"]\n'
                                          'extend-select = ["SX"]\n', encoding="utf-8")
    status, codes = _codes(capsys, str(defective))
    assert status == 1 and "SX101" in codes and not any(c.startswith("GK1") for c in codes)


def test_ignore_of_a_prefix_beats_the_default_selection(capsys, tmp_path, defective):
    (tmp_path / "gklint.toml").write_text(f'ruleset = "{PROVINCE / "province.toml"}"\nignore = ["SX"]\n',
                                          encoding="utf-8")
    status, codes = _codes(capsys, str(defective))
    assert "SX101" not in codes


@pytest.mark.parametrize("argv,name", [
    (["--select", "NOPE"], "NOPE"),
    (["--select", "GK999"], "GK999"),
    (["--extend-select", "ZJ"], "ZJ"),
    (["--select", "GK3,XYZ"], "XYZ"),
])
def test_a_selection_that_matches_nothing_is_an_error(capsys, argv, name):
    status = main(["check", "--no-cache", *argv, str(PROVINCE / "cases" / "report-2022.txt")])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert repr(name) in captured.err


def test_a_config_selection_that_matches_nothing_names_the_config(capsys, tmp_path, defective):
    shutil.copy(defective, tmp_path / "r.txt")
    (tmp_path / "gklint.toml").write_text('extend-select = ["ZJ"]\n', encoding="utf-8")
    status = main(["check", "--no-cache", str(tmp_path / "r.txt")])
    err = capsys.readouterr().err
    assert status == 2 and "gklint.toml" in err and "'ZJ'" in err


def test_a_provincial_prefix_is_valid_when_its_rule_set_is_in_use(capsys, defective):
    status, codes = _codes(capsys, "--ruleset", str(PROVINCE / "province.toml"), "--select", "SX1",
                           str(defective))
    assert status == 1 and codes == {"SX101"}
