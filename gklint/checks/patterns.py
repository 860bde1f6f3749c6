"""GK503 leftover placeholders (XX, blank before a unit, the template's （文字描述…）)."""

from __future__ import annotations

import re

from gklint.findings import location



def validate(rule, ruleset, where):
    from gklint.ruleset.loader import RuleSetError

    pats = rule.params.get("patterns")
    if not isinstance(pats, list) or not pats:
        raise RuleSetError("应为非空的正则表达式数组", key=f"{where}.patterns")
    for i, p in enumerate(pats):
        try:
            re.compile(p)
        except (re.error, TypeError) as exc:
            raise RuleSetError(f"正则表达式无效：{exc}", key=f"{where}.patterns[{i}]") from None


def check(report, rule, ctx):
    rxs = [re.compile(p) for p in rule.params["patterns"]]
    for p in report.document.paragraphs:
        for rx in rxs:
            m = rx.search(p.text)
            if m:
                yield rule.finding(f"疑似未替换的占位内容“{m.group(0)}”", location(p.loc),
                                   expected="实际内容", found=m.group(0), text=p.text, span=m.span())
                break

