"""GK104 section empty where content is required · GK504 信息处理费 not reported in 六."""

from __future__ import annotations

import re

from gklint.document import Table
from gklint.findings import location

PARAMS = ("sections", "allow_none", "section", "pattern")
_NONE = re.compile(r"^[\s。.]*(无|暂无|没有|无其他需要报告的事项)[\s。.]*$")


def validate(rule, ruleset, where):
    from gklint.ruleset import RuleSetError

    if "pattern" in rule.params:
        try:
            re.compile(rule.params["pattern"])
        except re.error as exc:
            raise RuleSetError(f"{where}.pattern：正则表达式无效：{exc}") from None


def check(report, rule, ctx):
    if "pattern" in rule.params:  # a section must mention something (信息处理费)
        s = report.section(rule.params.get("section", "六"))
        if s is not None and not re.search(rule.params["pattern"], s.text):
            yield rule.finding(f"第{s.key}部分未报告{rule.params.get('what', '信息处理费')}收取情况"
                               "（例如“本年度未收取信息处理费”）", location(s.loc, section=s.key),
                               expected="信息处理费收取情况", found=s.text[:40] or "（空）")
        return
    allow_none = set(rule.params.get("allow_none", []))
    for key in rule.params.get("sections", []):
        s = report.section(key)
        if s is None:
            continue
        start, end = s.block_range
        has_table = any(isinstance(b, Table) for b in report.document.blocks[start:end])
        text = s.text.strip()
        if has_table or (text and not (_NONE.match(text) and key not in allow_none)):
            continue
        found = "“无”" if text else "（空）"
        yield rule.finding(f"第{s.key}部分“{s.title}”没有内容（{found}）", location(s.loc, section=s.key),
                           expected="该部分的文字内容", found=found)
