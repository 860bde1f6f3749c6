"""Configuration: discovery from each file upward, --config, select/ignore, per-file-ignores, severity, errors."""

import json
import shutil

import pytest
from conftest import ROOT

from gklint.cli import main

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"  # GK503, GK304, GK504 (errors), GK402 (warning)
ALL = {"GK503", "GK304", "GK504", "GK402"}


def check(capsys, *argv) -> tuple[int, dict[str, set[str]], str]:
    """Exit code, codes found per file name, stderr."""
    code = main(["check", "--output-format", "json", *map(str, argv)])
    out, err = capsys.readouterr()
    files = json.loads(out)["files"] if out else []
    per_file = {}
    for f in files:
        rel = f["path"].split("/tree/", 1)[-1]
        per_file[rel] = {x["code"] for x in f["findings"] if x["severity"] != "info"}
    return code, per_file, err


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "tree"
    for rel in ("a.docx", "sub/b.docx", "plain/c.docx", "drafts/d.docx", "archive/2021/e.docx"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEFECTS, root / rel)
    (root / "gklint.toml").write_text(
        'ignore = ["GK5"]\n'
        'exclude = ["archive/"]\n'
        '[per-file-ignores]\n"drafts/*" = ["GK4"]\n', encoding="utf-8")
    (root / "sub" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.gklint]\nselect = ["GK3"]\n', encoding="utf-8")
    (root / "plain" / "pyproject.toml").write_text('[project]\nname = "y"\n', encoding="utf-8")  # no [tool.gklint]
    return root


def test_nearest_config_per_file(capsys, tree):
    code, found, _ = check(capsys, tree)
    assert code == 1
    assert found == {
        "a.docx": {"GK304", "GK402"},
        "sub/b.docx": {"GK304"},  # its own pyproject [tool.gklint]
        "plain/c.docx": {"GK304", "GK402"},  # a pyproject without [tool.gklint] is skipped
        "drafts/d.docx": {"GK304"},  # per-file-ignores
    }  # archive/ excluded


def test_dot_gklint_toml_is_found(capsys, tmp_path):
    shutil.copy(DEFECTS, tmp_path / "r.docx")
    (tmp_path / ".gklint.toml").write_text('select = ["GK402"]\n', encoding="utf-8")
    code, found, _ = check(capsys, tmp_path / "r.docx")
    assert list(found.values()) == [{"GK402"}]


def test_command_line_overrides_config(capsys, tree):
    _, found, _ = check(capsys, tree / "a.docx", "--select", "GK5,GK402")
    assert found["a.docx"] == {"GK503", "GK504", "GK402"}  # --select starts afresh
    _, found, _ = check(capsys, tree / "a.docx", "--extend-select", "GK503")
    assert found["a.docx"] == {"GK304", "GK402", "GK503"}  # more specific than ignore GK5
    _, found, _ = check(capsys, tree / "a.docx", "--ignore", "GK3")
    assert found["a.docx"] == {"GK402"}


def test_explicit_config_disables_discovery(capsys, tree, tmp_path):
    cfg = tmp_path / "only.toml"
    cfg.write_text('select = ["GK304"]\n', encoding="utf-8")
    _, found, _ = check(capsys, tree / "sub" / "b.docx", tree / "a.docx", "--config", cfg)
    assert found == {"sub/b.docx": {"GK304"}, "a.docx": {"GK304"}}


def test_severity_override_and_fail_on(capsys, tmp_path):
    shutil.copy(DEFECTS, tmp_path / "r.docx")
    (tmp_path / "gklint.toml").write_text('select = ["GK402"]\nfail-on = "error"\n', encoding="utf-8")
    code, _, _ = check(capsys, tmp_path / "r.docx")
    assert code == 0  # only a warning left, and fail-on = error
    (tmp_path / "gklint.toml").write_text('select = ["GK402"]\nfail-on = "error"\n[severity]\nGK4 = "error"\n',
                                          encoding="utf-8")
    code, _, _ = check(capsys, tmp_path / "r.docx")
    assert code == 1
    (tmp_path / "gklint.toml").write_text('ignore = ["GK"]\n', encoding="utf-8")
    code, found, _ = check(capsys, tmp_path / "r.docx")
    assert code == 0 and found == {str(tmp_path / "r.docx"): set()}


def test_gk001_cannot_be_ignored(capsys, tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    code, _, _ = check(capsys, tmp_path / "bad.docx", "--ignore", "GK")
    out = main(["check", str(tmp_path / "bad.docx"), "--ignore", "GK", "--output-format", "concise"])
    assert code == 3 and out == 3 and "GK001" in capsys.readouterr().out


def test_agency_kind_from_config(capsys, tmp_path):
    shutil.copy(DEFECTS, tmp_path / "r.docx")  # dated 2023-02-10: late for a department, in time for 本级政府
    (tmp_path / "gklint.toml").write_text('agency-kind = "government"\n', encoding="utf-8")
    _, found, _ = check(capsys, tmp_path / "r.docx")
    assert "GK402" not in list(found.values())[0]


def test_ruleset_path_is_relative_to_the_config(capsys, tmp_path):
    shutil.copy(DEFECTS, tmp_path / "r.docx")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "local.toml").write_text(
        '[ruleset]\nname = "local"\nextends = "gb2021"\n[rules.GK402]\nseverity = "error"\n', encoding="utf-8")
    (tmp_path / "gklint.toml").write_text('ruleset = "rules/local.toml"\nselect = ["GK4"]\n', encoding="utf-8")
    code = main(["check", str(tmp_path / "r.docx"), "--output-format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["files"][0]["template"] == "local"
    assert [f["severity"] for f in data["files"][0]["findings"] if f["code"] == "GK402"] == ["error"]


@pytest.mark.parametrize("content,needle", [
    ('selct = ["GK3"]\n', "selct"),
    ('select = ["X1"]\n', "X1"),
    ('fail-on = "never"\n', "fail-on"),
    ('[severity]\nGK402 = "fatal"\n', "GK402"),
    ('per-file-ignores = ["a"]\n', "per-file-ignores"),
    ('select = [\n', "TOML"),
    ('ruleset = "missing.toml"\n', "missing.toml"),
])
def test_config_errors_name_the_file_and_key(capsys, tmp_path, content, needle):
    shutil.copy(DEFECTS, tmp_path / "r.docx")
    (tmp_path / "gklint.toml").write_text(content, encoding="utf-8")
    code = main(["check", str(tmp_path / "r.docx")])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert needle in err and ("gklint.toml" in err or "missing.toml" in err)
    assert "Traceback" not in err


def test_show_settings(capsys, tree):
    code = main(["check", "--show-settings", str(tree / "sub" / "b.docx"), str(tree / "drafts" / "d.docx")])
    out = capsys.readouterr().out
    assert code == 0
    assert f"配置文件 {tree / 'sub' / 'pyproject.toml'}" in out and 'select = ["GK3"]' in out
    assert f"配置文件 {tree / 'gklint.toml'}" in out and '"drafts/*": ["GK4"]' in out


def test_missing_path(capsys, tmp_path):
    shutil.copy(DEFECTS, tmp_path / "r.docx")
    code = main(["check", str(tmp_path / "nope.docx"), str(tmp_path / "r.docx"), "--output-format", "concise"])
    out, err = capsys.readouterr()
    assert code == 2 and "nope.docx" in err and "GK304" in out  # the other file was still checked
