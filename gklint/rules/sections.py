"""GK101 required section missing · GK102 heading numbered differently · GK103 sections out of order."""

from __future__ import annotations

from gklint.findings import location

PARAMS = ("check",)  # "missing", "numbering" or "order"


def check(report, rule, ctx):
    specs = ctx.ruleset.sections
    what = rule.params.get("check", "missing")
    found = {s.key: s for s in report.sections}
    if what == "missing":
        for spec in specs:
            if spec.key not in found:
                yield rule.finding(f"缺少第{spec.key}部分“{spec.key}、{spec.title}”", location(section=spec.key),
                                   expected=f"{spec.key}、{spec.title}", found="（未找到）")
    elif what == "numbering":
        for s in report.sections:
            if s.number != s.key:
                shown = f"编号“{s.number}、”" if s.number else "没有编号"
                yield rule.finding(f"第{s.key}部分标题“{s.heading}”{shown}，模板为“{s.key}、{s.title}”",
                                   location(s.loc, section=s.key), expected=f"{s.key}、{s.title}", found=s.heading)
    elif what == "order":
        order = [spec.key for spec in specs]
        seen = [s.key for s in report.sections if s.key in order]
        for a, b in zip(seen, seen[1:]):
            if order.index(b) < order.index(a):
                s = found[b]
                yield rule.finding(f"第{b}部分出现在第{a}部分之后，顺序与模板不符", location(s.loc, section=b),
                                   expected="一、二、三、四、五、六", found="、".join(seen))
