"""GK104 section empty where content is required · required text: GK504 信息处理费 in 六, or any sentence a
rule set requires (in one section, or anywhere in the report when no section is given)."""

from __future__ import annotations

import re

from gklint.document import Table
from gklint.findings import location

_NONE = re.compile(r"^[\s。.]*(无|暂无|没有|无其他需要报告的事项)[\s。.]*$")


def validate(rule, ruleset, where):
    from gklint.ruleset.loader import RuleSetError, suggest

    known = [s.key for s in ruleset.sections]
    keys = rule.params.get("sections", [])
    if not isinstance(keys, list) or not all(k in known for k in keys):
        raise RuleSetError(f"应为部分编号的数组，例如 [\"一\", \"五\"]（本规则集的部分：{'、'.join(known)}）",
                           key=f"{where}.sections")
    if "section" in rule.params and rule.params["section"] not in known:
        section = rule.params["section"]
        raise RuleSetError(f"没有部分 {section!r}{suggest(section, known, '本规则集的部分')}", key=f"{where}.section")

    if "pattern" in rule.params:
        try:
            re.compile(rule.params["pattern"])
        except re.error as exc:
            raise RuleSetError(f"正则表达式无效：{exc}", key=f"{where}.pattern") from None


def check(report, rule, ctx):
    if "pattern" in rule.params:  # required text
        key = rule.params.get("section")
        s = report.section(key) if key else None
        if key and s is None:
            return  # the missing section is GK101's finding
        text = s.text if s else "\n".join(p.text for p in report.document.paragraphs)
        if rule.params.get("elsewhere") and re.search(rule.params["pattern"], _outside_tables(report, ctx)):
            return  # said in a part of its own or in another section: reported, if not where the template puts it
        if not re.search(rule.params["pattern"], text):
            where = f"第{key}部分" if key else "报告中"
            yield rule.finding(rule.params.get("message", f"{where}缺少规定的内容（{rule.summary}）"),
                               location(s.loc if s else None, section=key),
                               expected=rule.params.get("expected", rule.summary), found=text[:40].strip() or "（空）")
        return
    allow_none = set(rule.params.get("allow_none", []))
    for key in rule.params.get("sections", []):
        s = report.section(key)
        if s is None:
            continue
        start, end = s.block_range
        has_table = any(isinstance(b, Table) for b in report.document.blocks[start:end])
        text = s.text.strip()
        if has_table or s.pictures or (text and not (_NONE.match(text) and key not in allow_none)):
            continue
        found = "“无”" if text else "（空）"
        yield rule.finding(f"第{s.key}部分“{s.title}”没有内容（{found}）", location(s.loc, section=s.key),
                           expected="该部分的文字内容", found=found)


def _outside_tables(report, ctx) -> str:
    """The text outside the parts that hold the statistics tables (whose labels, in a flattened copy, are
    paragraphs too: "逾期未按收费通知要求缴纳费用" is a row of 表三, not a statement)."""
    table_parts = {spec.section for spec in ctx.ruleset.tables.values()}
    inside = {id(p) for s in report.sections if s.key in table_parts for p in s.paragraphs}
    return "\n".join(p.text for p in report.document.paragraphs if id(p) not in inside)
