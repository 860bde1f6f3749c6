"""GK506 a total in the narrative that its listed parts do not add up to.

"主动公开政府信息120条，其中规范性文件10条、…、其他信息80条": when the list ends with an "其他…" part it
claims to cover the whole, so the parts must add up to the total. A list without such a closing part may
leave things out ("其中规范性文件10条") and is not checked.
"""

from __future__ import annotations

import re

from gklint.findings import location

# at most 12 digits (or a thousands-separated number), from the start of a run: a run of 20 000 digits must not
# be tried from each of its digits (quadratic), nor reach int() (which refuses over 4 300 digits)
_NUMBER = r"\d{1,3}(?:,\d{3}){1,4}|\d{1,12}"
_TOTAL = re.compile(rf"(?<![\d,])(?P<total>{_NUMBER})\s*(?P<unit>条|件|个|项|次)[\s，,：:（(]{{0,3}}其中\s*[:：]?\s*")
PART_LABEL_MAX = 40  # the national category names run long ("扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施…")
_PART = re.compile(rf"(?P<label>[^，,。；;\d（）()]{{1,{PART_LABEL_MAX}}}?)\s*(?P<n>{_NUMBER})(?!\d)\s*(?P<unit>条|件|个|项|次)")
_SEP = re.compile(r"\s*[，,、；;]\s*")


def _parts(text: str, pos: int, unit: str) -> tuple[list[tuple[str, int]], int]:
    parts, end = [], pos
    while True:
        m = _PART.match(text, pos)
        if not m or m.group("unit") != unit:
            break
        parts.append((m.group("label").strip(), int(m.group("n").replace(",", ""))))
        end = m.end()
        sep = _SEP.match(text, end)
        if not sep:
            break
        pos = sep.end()
    return parts, end


def check(report, rule, ctx):
    closing = re.compile(rule.params.get("closing", "其他|其它"))
    for p in report.document.paragraphs:
        for m in _TOTAL.finditer(p.text):
            parts, end = _parts(p.text, m.end(), m.group("unit"))
            if len(parts) < 2 or not closing.search(parts[-1][0]):
                continue
            total, added = int(m.group("total").replace(",", "")), sum(n for _, n in parts)
            if added == total:
                continue
            unit = m.group("unit")
            shown = "+".join(str(n) for _, n in parts)
            yield rule.finding(f"正文说共 {total}{unit}，但“其中”列出的各项之和为 {shown}={added}{unit}，相差 {abs(total - added)}",
                               location(p.loc), expected=str(total), found=str(added), text=p.text,
                               span=(m.start("total"), end))
