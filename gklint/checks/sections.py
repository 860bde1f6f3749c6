"""GK101 required section missing · GK102 heading numbered differently or misspelt · GK103 sections out of
order · GK105 heading worded differently (recognised by its number and key words)."""

from __future__ import annotations

from gklint.findings import location
from gklint.numbers import cn_to_int
from gklint.report.labels import heading_number, norm



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
        yield from _numbering(report, rule)
        for s in report.sections:
            near = _near_miss(s, specs) if s.matched_by == "keywords" else None
            if near:
                yield rule.finding(f"第{s.key}部分标题“{s.heading}”与模板只差一个字，疑似错别字，模板为“{s.key}、{near}”",
                                   location(s.loc, section=s.key), expected=f"{s.key}、{near}", found=s.heading)
    elif what == "wording":  # another wording with the section's number and key words: the section, said once
        for s in report.sections:
            if s.matched_by == "keywords" and not _near_miss(s, specs):
                yield rule.finding(f"第{s.key}部分标题“{s.heading}”与模板措辞不同（模板为“{s.key}、{s.title}”），"
                                   "按编号和关键词识别为第{s.key}部分".replace("{s.key}", s.key),
                                   location(s.loc, section=s.key), expected=f"{s.key}、{s.title}", found=s.heading)
    elif what == "order":
        order = [spec.key for spec in specs]
        seen = [s.key for s in report.sections if s.key in order]
        for a, b in zip(seen, seen[1:]):
            if order.index(b) < order.index(a):
                s = found[b]
                yield rule.finding(f"第{b}部分出现在第{a}部分之后，顺序与模板不符", location(s.loc, section=b),
                                   expected="一、二、三、四、五、六", found="、".join(seen))


def _numbering(report, rule):
    """Unnumbered or misnumbered headings; several shifted by the same amount (a part inserted or left
    out before them) are one finding."""
    shifted: dict[int, list] = {}
    for s in report.sections:
        if s.number == s.key:
            continue
        have, want = cn_to_int(s.number) if s.number else None, cn_to_int(s.key)
        if have is not None and want is not None:
            shifted.setdefault(have - want, []).append(s)
            continue
        shown = f"编号“{s.number}、”" if s.number else "没有编号"
        yield rule.finding(f"第{s.key}部分标题“{s.heading}”{shown}，模板为“{s.key}、{s.title}”",
                           location(s.loc, section=s.key), expected=f"{s.key}、{s.title}", found=s.heading)
    for delta, group in shifted.items():
        first = group[0]
        if len(group) == 1:
            yield rule.finding(f"第{first.key}部分标题“{first.heading}”编号“{first.number}、”，模板为“{first.key}、{first.title}”",
                               location(first.loc, section=first.key), expected=f"{first.key}、{first.title}",
                               found=first.heading)
            continue
        way = "多" if delta > 0 else "少"
        names = "、".join(s.key for s in group)
        yield rule.finding(f"第{names}部分的编号都比模板{way}{abs(delta)}（如“{first.heading}”，模板为“{first.key}、"
                           f"{first.title}”），可能多出或缺少了一个部分", location(first.loc, section=first.key),
                           expected="、".join(f"{s.key}、" for s in group), found="、".join(f"{s.number}、" for s in group))


_CONNECTORS = set("与和及、并")


def _near_miss(section, specs) -> str | None:
    """The template title a heading misses by one character ("行政法复议"), not by a connector ("复议与诉讼")."""
    _, rest = heading_number(section.heading)
    have = norm(rest)
    spec = next((sp for sp in specs if sp.key == section.key), None)
    for title in ([spec.title] + spec.variants) if spec else []:
        diff = _one_edit(have, norm(title))
        if diff is not None and diff not in _CONNECTORS:
            return title
    return None


def _one_edit(a: str, b: str) -> str | None:
    """The character by which a and b differ when one insertion, deletion or substitution makes them equal."""
    if a == b or abs(len(a) - len(b)) > 1:
        return None
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i] if a[i + 1:] == b[i + 1:] else None
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i] if longer[i + 1:] == shorter[i:] else None
