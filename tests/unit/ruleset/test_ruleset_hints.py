"""Rule-set authors: a misspelt table, row, column, section, kind, parameter or check value is answered with the
closest names ("是不是 'T3'？") and the valid ones; docs/rules.md documents the fields of sections, tables and rows
and its example rule set validates and behaves as documented."""

import re

import pytest
from conftest import ROOT

from gklint.cli import main
from gklint.ruleset.loader import _ROW_KEYS, _SECTION_KEYS, _TABLE_KEYS

HEAD = '[ruleset]\nname = "mine"\nextends = "gb2021"\n\n'
DOC = ROOT / "docs" / "rules.md"
CASE = ROOT / "rules" / "cases" / "gb2021-2022.txt"

# (rule-set body after HEAD, the key named, what the message must say)
MISSPELT = [
    ('[tables.T33]\ncolumns = ["自然人"]\n', "tables.T33", ["没有表 'T33'", "是不是 'T3'？", "已有的表：T2、T3、T4"]),
    ('[tables.T3]\nrows = [{ key = "(三)９", match = ["x"] }]\n', "tables.T3.rows[25]",
     ["没有行 '(三)９'", "是不是 '(三)8'", "已有的行：一、二、(一)"]),
    ('[[sections]]\nkey = "六 "\nkeywords = ["x"]\n', "sections[6]", ["没有部分 '六 '", "是不是 '六'？"]),
    ('[tables.T3]\nrows = [{ key = "一", lable = "x" }]\n', "tables.T3.rows[0].lable", ["是不是 'label'？", "允许："]),
    ('[rules.XX901]\nkind = "identiy"\n', "rules.XX901.kind", ["是不是 'identity'？", "可用：sections、content"]),
    ('[rules.XX901]\nkind = "sections"\ncheck = "mising"\n', "rules.XX901.check", ["是不是 'missing'？"]),
    ('[rules.XX901]\nkind = "identity"\ntable = "T4"\nexpr = \'T("数量", "行政复议/合计") == 0\'\n',
     "rules.XX901.expr", ["没有列 '行政复议/合计'", "是不是 '行政复议/总计'", "列：行政复议/结果维持、"]),
    ('[rules.XX901]\nkind = "identity"\ntable = "T33"\nexpr = \'T("一", "总计") == 0\'\n', "rules.XX901.table",
     ["没有表 'T33'", "是不是 'T3'？"]),
    ('[rules.XX901]\nkind = "identity"\ntable = "T3"\nexpr = \'T("(三)9", "总计") == 0\'\n', "rules.XX901.expr",
     ["没有行 '(三)9'", "是不是 '(三)8'", "行：一、二、"]),
    ('[rules.XX901]\nkind = "identity"\ntable = "T3"\nexpr = \'sum(T(#reslt, "总计")) == 0\'\n', "rules.XX901.expr",
     ["没有带标签 'reslt' 的行", "是不是 'result'？"]),
    ('[rules.XX901]\nkind = "content"\npattern = "x"\nsection = "六部分"\n', "rules.XX901.section",
     ["没有部分 '六部分'", "本规则集的部分：一、二、三、四、五、六"]),
    ('[rules.XX901]\nkind = "text_table"\n'
     'claims = [{ pattern = "(?P<n>\\\\d+)件", cells = [["T4", "数量", "行政复议/合计"]] }]\n',
     "rules.XX901.claims[0].cells", ["没有列 '行政复议/合计'", "是不是 '行政复议/总计'"]),
    ('[rules.XX901]\nkind = "text_table"\n'
     'claims = [{ pattern = "(?P<n>\\\\d+)件", cels = [["T3", "一", "总计"]] }]\n',
     "rules.XX901.claims[0]", ["每条应有 pattern 和 cells"]),
    ('[rules.XX901]\nkind = "content"\nsectons = ["一"]\n', "rules.XX901.sectons", ["是不是 'sections'？"]),
]


@pytest.mark.parametrize("body,key,says", MISSPELT)
def test_a_misspelt_name_gets_the_closest_names_and_the_valid_ones(tmp_path, capsys, body, key, says):
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + body, encoding="utf-8")
    assert main(["ruleset", "check", str(path)]) == 1
    out = capsys.readouterr().out
    (line,) = [x for x in out.splitlines() if f" {key}: " in x]
    assert line.startswith(f"{path}:") and all(s in line for s in says), line
    assert "缺少字符串键" not in out


def test_a_claim_with_a_wrong_column_was_silently_never_checked_and_is_now_an_error(tmp_path, capsys):
    """A claim's column was not validated: a wrong one made the claim compare nothing, without a word."""
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + MISSPELT[11][0], encoding="utf-8")
    assert main(["check", "--no-cache", "--ruleset", str(path), str(CASE)]) == 2
    assert "规则集错误" in capsys.readouterr().err


def test_the_docs_name_every_field_of_sections_tables_and_rows():
    text = DOC.read_text(encoding="utf-8")
    for key in _SECTION_KEYS | _TABLE_KEYS | _ROW_KEYS:
        assert f"| `{key}` |" in text or f"`{key}`（" in text or f"`{key}`、" in text, key
    fields = text.split("**行**", 1)[1].split("**新增一行的后果**", 1)[0]
    assert {k for k in re.findall(r"^\| `(\w+)` \|", fields, re.M)} == _ROW_KEYS


def _doc_example() -> str:
    after = DOC.read_text(encoding="utf-8").split("**新增一行的后果**", 1)[1]
    return re.search(r"```toml\n(.*?)```", after, re.S).group(1)


def test_the_documented_example_rule_set_validates_and_does_what_the_docs_say(tmp_path, capsys):
    path = tmp_path / "province.toml"
    path.write_text(_doc_example(), encoding="utf-8")
    assert main(["ruleset", "check", str(path)]) == 0
    capsys.readouterr()
    # a report without the added row: GK202 and one GK305 for the 8 identities that use it (as documented)
    assert main(["check", "--no-cache", "--ruleset", str(path), "--output-format", "concise", str(CASE)]) == 1
    out = capsys.readouterr().out
    codes = re.findall(r": (GK\d{3}|SX\d{3}) ", out)
    assert codes == ["GK202", "GK305"] and "9 项勾稽关系未能检查" in out  # 8 national ones and SX301
    assert "共 8 项未能检查（下例的规则集还有自己的 SX301 用到这一行，共 9 项）" in DOC.read_text(encoding="utf-8")
    # a report with the row: it counts in （七）总计 (one more result, totals unchanged: GK302 on 自然人 and 总计)
    lines = CASE.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, x in enumerate(lines) if "8.属于行政查询事项" in x)
    lines.insert(at + 1, "\t\t9.属于本省规定的其他情形\t1\t0\t0\t0\t0\t0\t1\n")
    report = tmp_path / "with.txt"
    report.write_text("".join(lines), encoding="utf-8")
    assert main(["check", "--no-cache", "--ruleset", str(path), "--output-format", "concise", str(report)]) == 1
    out = capsys.readouterr().out
    assert re.findall(r": (GK\d{3}) ", out) == ["GK302", "GK302"] and "GK202" not in out


def test_a_misspelt_rule_code_in_select_gets_the_closest_code(capsys):
    assert main(["check", "--no-cache", "--select", "GK3O1", str(CASE)]) == 2
    err = capsys.readouterr().err
    assert "'GK3O1' 不是所用规则集" in err and "是不是 GK301？" in err
