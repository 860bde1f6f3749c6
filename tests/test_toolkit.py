"""Template authors' toolkit: `gklint ruleset check/test`, the built-in and example cases, extending,
and a rule set shipped as a package used by the real pre-commit through additional_dependencies."""

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from test_precommit import GIT_ENV, git, snapshot

from gklint.cli import main
from gklint.ruleset.loader import load
from gklint.run.authoring import check, run_tests

EXAMPLE = ROOT / "examples" / "province" / "province.toml"


@pytest.mark.parametrize("ref", ["gb2021", "gb2019", str(EXAMPLE)])
def test_rule_sets_pass_their_own_check_and_cases(ref):
    assert check(ref) == []
    results = run_tests(ref)
    assert results and [r.name for r in results if not r.ok] == []


def test_every_national_rule_has_a_firing_case():
    import tomllib

    rs = load("gb2021")
    own = tomllib.loads(open(rs.path, encoding="utf-8").read())
    expected = {c for case in own["tests"] for c in case.get("expect", [])}
    assert set(rs.raw["rules"]) - expected == set()


def test_cli_reports_pass_and_fail(capsys, tmp_path):
    assert main(["ruleset", "test", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.count("PASS") == 7
    broken = tmp_path / "p.toml"
    shutil.copytree(EXAMPLE.parent / "cases", tmp_path / "cases")
    broken.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        'department_deadline = [1, 25]', 'department_deadline = [1, 31]'), encoding="utf-8")
    assert main(["ruleset", "test", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  GK402 1 月 28 日发布：国家期限内，本省期限外：缺少 GK402" in out


BROKEN = [  # (change to the example, the exact problem: line, key, message)
    (('kind = "content"\nname = "statistical-period-sentence"', 'kind = "contents"\nname = "statistical-period-sentence"'),
     "25: rules.SX101.kind: 未知的规则类型 'contents'（可用：sections, content, tables, cells, identity, dates, "
     "text_table, text_sums, patterns, across, template）"),
    (('section = "一"\npattern = \'平台建设\'', 'secton = "一"\npattern = \'平台建设\''),
     "41: rules.SX102.secton: 未知的键 'secton'（是不是 'section'？）（content 类规则允许：allow_none, basis, doc, elsewhere, enabled, example, expected, "
     "fix, kind, message, name, pattern, section, sections, severity, summary）"),
    (('T("数量", "行政复议/总计") <= 10', 'T("数量", "行政复议/合计") <= 10'),
     "53: rules.SX201.expr: 表 T4 没有列 '行政复议/合计'"),
    (('T("数量", "行政复议/总计") <= 10', 'T("数量", "行政复议/总计") <= open("x")'),
     None),  # checked below: an expression cannot call anything
    (("pattern = '平台建设'", "pattern = '平台建设('"),
     "42: rules.SX102.pattern: 正则表达式无效：missing ), unterminated subpattern at position 4"),
    (('[rules.GK102]\nseverity = "error"', '[rules.GK102]\nseverity = "error"\n\n[rules.GK102]\nseverity = "warning"'),
     "19: rules.GK102: 重复定义：rules.GK102 只能出现一次（Cannot declare ('rules', 'GK102') twice (at line 19, column 13)）"),
    (('expect = ["SX102"]', 'expect = ["SX103"]'),
     "71: tests[2].expect: 规则集中没有规则 'SX103'"),
    (('severity = "warning"\nsummary = "第一部分缺少', 'severity = "fatal"\nsummary = "第一部分缺少'),
     "39: rules.SX102.severity: 'fatal' 不是 error、warning 或 info"),
]


@pytest.mark.parametrize("change,problem", BROKEN)
def test_broken_copies_give_the_exact_problem(tmp_path, capsys, change, problem):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "province.toml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    assert main(["ruleset", "check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    if problem is None:
        assert len(out) == 1 and "rules.SX201.expr" in out[0]
    else:
        assert out == [f"{path}:{problem}"]


def test_extends_adds_sections_and_rows(tmp_path, capsys):
    """A child rule set adds a section (七) and a row to a parent table; both are checked."""
    child = tmp_path / "child.toml"
    child.write_text(
        '[ruleset]\nname = "child"\nextends = "gb2021"\n'
        '[[sections]]\nkey = "七"\ntitle = "附件"\n'
        '[tables.T3]\nrows = [{ key = "五", label = "五、本年不予受理数量", match = ["本年不予受理数量"] }]\n'
        '[[tests]]\nname = "缺少第七部分和新增行"\nfile = "' + str(ROOT / "rules" / "cases" / "gb2021-2022.txt") + '"\n'
        'expect = ["GK101", "GK202"]\n', encoding="utf-8")
    assert check(str(child)) == []
    rs = load(str(child))
    assert [s.key for s in rs.sections][-1] == "七"
    assert [r.key for r in rs.tables["T3"].rows][-1] == "五" and len(rs.tables["T3"].rows) > 20  # merged, not replaced
    results = run_tests(str(child))
    assert [r.ok for r in results] == [True], results


def test_rule_set_package_through_pre_commit(tmp_path):
    """A province ships its rule set as a package (entry point gklint.rulesets); a document repository's
    pre-commit hook uses it through additional_dependencies."""
    import os

    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pc-home"), "NO_COLOR": "1"}
    project = snapshot(tmp_path / "project", env)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True).stdout.strip()

    pkg = tmp_path / "gklint-province"
    (pkg / "gklint_province").mkdir(parents=True)
    shutil.copy(EXAMPLE, pkg / "gklint_province" / "province.toml")
    (pkg / "gklint_province" / "__init__.py").write_text(
        "from pathlib import Path\n\nRULESET = str(Path(__file__).parent / 'province.toml')\n", encoding="utf-8")
    (pkg / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "gklint-province"\nversion = "1.0"\n'
        '[project.entry-points."gklint.rulesets"]\nprovince = "gklint_province:RULESET"\n'
        '[tool.setuptools.package-data]\ngklint_province = ["*.toml"]\n', encoding="utf-8")

    docs = tmp_path / "docs"
    docs.mkdir()
    git(docs, "init", "-q", env=env)
    report = (ROOT / "examples" / "province" / "cases" / "report-2022.txt").read_text(encoding="utf-8")
    (docs / "报告.txt").write_text(report.replace("2023年1月20日", "2023年1月28日"), encoding="utf-8")
    (docs / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {project}\n  rev: {sha}\n  hooks:\n  - id: gklint\n"
        f"    args: [--ruleset, province, --agency-kind, department]\n"
        f"    additional_dependencies: ['{pkg}']\n", encoding="utf-8")
    git(docs, "add", "-A", env=env)
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    failed = subprocess.run(run, cwd=docs, env=env, capture_output=True, text=True, timeout=900)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "GK402" in failed.stdout and "2023年1月25日" in failed.stdout  # the province's deadline
    (docs / "报告.txt").write_text(report, encoding="utf-8")
    git(docs, "add", "-A", env=env)
    passed = subprocess.run(run, cwd=docs, env=env, capture_output=True, text=True, timeout=900)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_a_derived_rule_set_binds_once(tmp_path, monkeypatch):
    """Identify (year, layout) → choose the rule set → bind once with its sections and tables."""
    import gklint.run.engine as engine
    from gklint.run.engine import check_file

    calls = []
    real = engine.bind
    monkeypatch.setattr(engine, "bind", lambda doc, rs=None, known=None: calls.append(rs.name) or real(doc, rs, known))
    child = tmp_path / "child.toml"
    child.write_text('[ruleset]\nname = "child"\nextends = "gb2021"\n'
                     '[tables.T3]\nrows = [{ key = "五", label = "五、本年不予受理数量", match = ["本年不予受理数量"] }]\n',
                     encoding="utf-8")
    result = check_file(str(ROOT / "rules" / "cases" / "gb2021-2022.txt"), str(child))
    assert calls == ["child"]
    assert [f.location.get("row") for f in result.findings if f.code == "GK202"] == ["五"]
