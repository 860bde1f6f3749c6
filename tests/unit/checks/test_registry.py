"""The kind registry: every broken rule (misspelt key or check value, wrong type, out-of-range value) is a
RuleSetError with file, line and key, shown by `gklint ruleset check`; `gklint check` with such a rule set
is a configuration error (exit 2), never GK001 内部错误; docs/rules.md's table of kinds is generated."""

import re
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from gklint.cli import main
from gklint.checks.registry import KINDS, kinds_table
from gklint.ruleset.loader import RuleSetError, load

SEED = SEEDS[0]
HEAD = '[ruleset]\nname = "broken"\nextends = "gb2021"\n\n'

# (rule table body, the key `ruleset check` must name); each body is one [rules.XX901] of a kind
BROKEN = [
    ('kind = "sectons"\n', "kind"),
    ('kind = "sections"\ncheck = "mising"\n', "check"),
    ('kind = "sections"\nchek = "missing"\n', "chek"),
    ('kind = "sections"\ncheck = 1\n', "check"),
    ('kind = "tables"\ncheck = "colums"\n', "check"),
    ('kind = "cells"\ncheck = "blnk"\n', "check"),
    ('kind = "dates"\ncheck = "after_dedline"\n', "check"),
    ('kind = "dates"\n', "check"),  # a required parameter missing
    ('kind = "dates"\ncheck = "after_deadline"\ndepartment_deadline = [1]\n', "department_deadline"),
    ('kind = "dates"\ncheck = "after_deadline"\ndepartment_deadline = [13, 1]\n', "department_deadline"),
    ('kind = "dates"\ncheck = "after_deadline"\ngovernment_deadline = [2, 30]\n', "government_deadline"),
    ('kind = "dates"\ncheck = "after_deadline"\ngovernment_deadline = "3-31"\n', "government_deadline"),
    ('kind = "dates"\ncheck = "year_in_text"\nsections = "一"\n', "sections"),
    ('kind = "dates"\ncheck = "year_in_text"\nsections = ["九"]\n', "sections"),
    ('kind = "dates"\ncheck = "after_deadline"\nbasis = 49\n', "basis"),
    ('kind = "template"\ncheck = "titel"\n', "check"),
    ('kind = "template"\ncheck = "title"\npattern = "(年度"\n', "pattern"),
    ('kind = "content"\nsections = ["一"]\nallow_none = "六"\n', "allow_none"),
    ('kind = "content"\npattern = "x"\nelsewhere = "yes"\n', "elsewhere"),
    ('kind = "content"\npattern = "x"\nsection = "十"\n', "section"),
    ('kind = "content"\npatern = "x"\n', "patern"),
    ('kind = "patterns"\npatterns = "XX"\n', "patterns"),
    ('kind = "patterns"\npatterns = []\n', "patterns"),
    ('kind = "patterns"\npatterns = ["ok", "(bad"]\n', "patterns[1]"),
    ('kind = "text_sums"\nclosing = ["其他"]\n', "closing"),
    ('kind = "text_table"\nclaims = "x"\n', "claims"),
    ('kind = "text_table"\nclaims = [{ pattern = "(?P<n>\\\\d+)", cells = [["T3", "无此行", "总计"]] }]\n',
     "claims[0].cells"),
    ('kind = "identity"\ntable = "T3"\n', "expr"),
    ('kind = "identity"\ntable = "T9"\nexpr = \'T("一", "$") == 1\'\n', "table"),
    ('kind = "identity"\ntable = "T3"\nexpr = \'T("一", "$") == 1\'\nfor_each = 3\n', "for_each"),
    ('kind = "text_table"\nclaims = [{ pattern = "(?P<n>\\\\d+)件", cells = [["T3", "一", "总计"]], context = 1 }]\n',
     "claims[0].context"),
    ('kind = "identity"\ntable = "T3"\nexpr = \'T("一", "$") == 1\'\nmessage = "{lhs} 与 {foo}"\n', "message"),
    ('kind = "identity"\ntable = "T3"\nexpr = \'T("一", "$") == 1\'\nmessage = "{diff:d} 件"\n', "message"),
    ('kind = "identity"\ntable = "T3"\nexpr = \'T("一", "$") == 1\'\nmessage = "相差 {diff"\n', "message"),
    ('kind = "sections"\nseverity = "fatal"\n', "severity"),
    ('kind = "sections"\nenabled = "no"\n', "enabled"),
    ('kind = "sections"\nmessage = ["x"]\n', "message"),
]


def _write(tmp_path, body: str) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(HEAD + "[rules.XX901]\n" + body, encoding="utf-8")
    load.cache_clear()
    return path


def _line_of(path: Path, key: str) -> int:
    """The line a problem with `key` must point at: the key's own line, else the rule's header."""
    name = key.split("[")[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    own = [i + 1 for i, line in enumerate(lines) if line.startswith(f"{name} =")]
    return own[0] if own else lines.index("[rules.XX901]") + 1


@pytest.mark.parametrize("body,key", BROKEN)
def test_ruleset_check_names_file_line_and_key(tmp_path, capsys, body, key):
    path = _write(tmp_path, body)
    assert main(["ruleset", "check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out, "no problem reported"
    expected = f"{path}:{_line_of(path, key)}: rules.XX901.{key}: "
    assert any(line.startswith(expected) for line in out), (expected, out)


@pytest.mark.parametrize("body,key", BROKEN)
def test_a_broken_rule_never_reaches_check(tmp_path, capsys, body, key):
    path = _write(tmp_path, body)
    status = main(["check", "--no-cache", "--ruleset", str(path), str(SEED)])
    captured = capsys.readouterr()
    assert status == 2
    assert "规则集错误" in captured.err and f"rules.XX901.{key}" in captured.err
    assert "GK001" not in captured.out + captured.err and "内部错误" not in captured.out + captured.err


@pytest.mark.parametrize("body,key", BROKEN[:6])
def test_the_error_carries_its_fields(tmp_path, body, key):
    from gklint.checks import rules_of

    path = _write(tmp_path, body)
    with pytest.raises(RuleSetError) as exc:
        rules_of(load(str(path)))
    err = exc.value
    assert (err.path, err.line, err.key) == (str(path), _line_of(path, key), f"rules.XX901.{key}")
    assert err.message and err.key not in err.message


def test_a_problem_in_an_extended_file_points_into_that_file(tmp_path, capsys):
    parent = tmp_path / "parent.toml"
    parent.write_text(HEAD + '[rules.XX901]\nkind = "cells"\ncheck = "blnk"\n', encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('[ruleset]\nname = "child"\nextends = "parent.toml"\n\n[rules.GK102]\nseverity = "error"\n',
                     encoding="utf-8")
    load.cache_clear()
    assert main(["ruleset", "check", str(child)]) == 1
    assert capsys.readouterr().out.startswith(f"{parent}:7: rules.XX901.check: 'blnk' 不是 ")


@pytest.mark.parametrize("years", ["[2021]", '["2021", "2022"]', "[2022, 2021]", "[1, 2]", "2021"])
def test_years_are_validated(tmp_path, capsys, years):
    path = tmp_path / "y.toml"
    path.write_text(f'[ruleset]\nname = "y"\nextends = "gb2021"\nyears = {years}\n', encoding="utf-8")
    load.cache_clear()
    assert main(["ruleset", "check", str(path)]) == 1
    assert capsys.readouterr().out.startswith(f"{path}:4: ruleset.years: ")


def test_every_check_value_of_the_builtin_rule_sets_is_registered():
    from gklint.checks import rules_of

    for name in ("pre2019", "gb2019", "gb2021"):
        for rule in rules_of(load(name)):
            checks = KINDS[rule.kind].checks
            param = KINDS[rule.kind].param("check")
            value = rule.params.get("check", param.default if param else None)
            # identity: no `check` is the ordinary identity; `check = "not_evaluated"` is GK305
            assert not checks or value in checks or (value is None and not param.required), (name, rule.code)


def test_docs_table_of_kinds_is_generated_from_the_registry():
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    start, end = "<!-- kinds: generated by python -m gklint.checks.registry -->\n", "<!-- kinds: end -->"
    assert start in doc and end in doc, "docs/rules.md lost its generated-table markers"
    assert doc.split(start, 1)[1].split(end, 1)[0] == kinds_table(), \
        "docs/rules.md is stale: run python -m gklint.checks.registry"
    for kind in KINDS.values():
        for p in kind.params:
            assert f"`{p.name}`" in kinds_table()


HOSTILE = [0, -1, 1.5, True, "", "x", "(", "{x}", [], [1], ["x"], ["一"], [1, 31], [13, 40], {"a": 1}]
MINIMAL = {"sections": {}, "content": {"pattern": "x"}, "tables": {}, "cells": {},
           "identity": {"table": "T3", "expr": 'T("一", "$") == T("一", "$")'}, "dates": {"check": "after_deadline"},
           "text_table": {}, "text_sums": {}, "patterns": {"patterns": ["x"]}, "template": {"check": "title"},
           "across": {"table": "T3", "expr": 'T("二", "$") == P("四", "$")'}}


def _toml(value) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


@pytest.mark.parametrize("kind,param", [(k.name, p.name) for k in KINDS.values() for p in k.params])
def test_any_value_of_any_parameter_is_a_rule_set_error_or_runs(tmp_path, capsys, kind, param):
    """Whatever a template author writes, `check` either refuses the rule set (exit 2, naming the key) or runs
    it: never GK001 内部错误."""
    extra = []
    if kind == "across":  # rules across years run only with the previous year's report
        before = tmp_path / "previous.txt"
        text = SEED.read_text(encoding="utf-8")
        year = int(re.search(r"(20\d\d)年", text).group(1))
        before.write_text(text.replace(f"{year}年", f"{year - 1}年"), encoding="utf-8")
        extra = ["--previous", str(before)]
    for value in HOSTILE:
        spec = {"kind": kind, **MINIMAL[kind], param: value}
        path = _write(tmp_path, "".join(f"{k} = {_toml(v)}\n" for k, v in spec.items()))
        status = main(["check", "--no-cache", "--ruleset", str(path), str(SEED)] + extra)
        captured = capsys.readouterr()
        shown = captured.out + captured.err
        assert "内部错误" not in shown and "Traceback" not in shown, (param, value, shown)
        assert status in (0, 1, 2), (param, value)
        if status == 2:
            assert "规则集错误" in captured.err and "broken.toml:" in captured.err and "rules.XX901." in captured.err
