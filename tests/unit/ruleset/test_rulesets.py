"""Rule sets are data: the expression language and validation errors that name file and key."""

from decimal import Decimal

import pytest
from conftest import seed

from gklint.run.engine import check_file
from gklint.ruleset.expr import ExprError, Ref, parse, render
from gklint.checks import rules_of
from gklint.ruleset.loader import RuleSetError, load


def test_expression_parses_to_data():
    e = parse('T("(七)", "$") == sum(T(#result, "$")) + 0')
    assert e.op == "=="
    assert e.left == (("+", Ref("(七)", "$")),)
    assert e.right == (("+", ("sum", Ref("#result", "$"))), ("+", Decimal(0)))
    assert render(e.left, "自然人") == "(七)"


@pytest.mark.parametrize("text,message", [
    ('T("一", "$") + T("二", "$")', "比较运算符"),
    ('__import__("os").system("x") == 1', "无法识别|不认识"),
    ('open("x") == 1', "不认识"),
    ('T("一") == 1', "应为 ,"),
    ('T(#result, "$") == 1', "sum"),
    ('T("一", "$") == 1 1', "多余"),
    ("", "为空"),
    ('T("一", "$") == ;', "无法识别"),
])
def test_malformed_expressions(text, message):
    with pytest.raises(ExprError, match=message):
        parse(text)


def _ruleset(tmp_path, body: str):
    path = tmp_path / "local.toml"
    path.write_text('[ruleset]\nname = "local"\nextends = "gb2021"\n' + body, encoding="utf-8")
    load.cache_clear()
    return str(path)


@pytest.mark.parametrize("body,message", [
    ('[rules.GK301]\nexpr = \'T("一", "$") == T("不存在", "$")\'\n', r"rules\.GK301\.expr：表 T3 没有行 '不存在'"),
    ('[rules.GK503]\npatterns = ["(未闭合"]\n', r"rules\.GK503\.patterns\[0\]：正则表达式无效"),
    ('[rules.GK999]\nkind = "magic"\n', r"rules\.GK999\.kind：未知的规则类型 'magic'"),
    ('[rules.GK101]\nlevel = "error"\n', r"rules\.GK101\.level：未知的键 'level'"),
    ('[rules.GK101]\nseverity = "fatal"\n', r"rules\.GK101\.severity"),
    ('[colours]\nred = 1\n', r"未知的顶层键 'colours'"),
])
def test_validation_errors_name_file_rule_and_key(tmp_path, body, message):
    path = _ruleset(tmp_path, body)
    with pytest.raises(RuleSetError, match=message) as exc:
        rules_of(load(path))
    assert "local.toml" in str(exc.value)


def test_a_rule_can_be_disabled_or_regraded(tmp_path):
    path = _ruleset(tmp_path, '[rules.GK102]\nseverity = "error"\n[rules.GK404]\nenabled = false\n')
    findings = check_file(str(seed("002")), ruleset=path).findings
    assert {(f.code, f.severity) for f in findings} == {("GK102", "error")}


def test_builtin_rules_are_valid():
    for name in ("gb2019", "gb2021"):
        assert len(rules_of(load(name))) >= 25
