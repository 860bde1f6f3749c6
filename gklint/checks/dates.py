"""GK401 dated before the year ended · GK402 published after the deadline · GK403 statistical period
not the report year · GK404 no publication date found · GK405 a year in the text contradicts the report year."""

from __future__ import annotations

import datetime as dt
import re

from gklint.document import Paragraph
from gklint.findings import location

_GOVERNMENT = re.compile(r"政府$")  # 某县人民政府, 某区政府
# a region's own report (a county, a district, a development zone: 平潭综合实验区, 某某新区管委会)
_REGION = re.compile(r"(省|市|区|县|州|旗|盟|实验区|开发区|新区|管委会|管理委员会)$")
_DEPARTMENT = re.compile(r"(局|委员会|委|办公厅|办公室|办|厅|中心|院|所|站|队|处|署|馆|会|社|司|部|公司|集团|学校|大学)$")


def agency_kind(agency: str) -> str | None:
    """'government' (本级政府 report: 3月31日), 'department' (1月31日), None when the name does not say."""
    name = re.sub(r"[（(][^）)]*[）)]$", "", agency or "")
    if _GOVERNMENT.search(name) or re.search(r"(管委会|管理委员会)$", name):  # before 会$: a zone's government
        return "government"
    if re.search(r"街道(办事处)?$", name):  # neither a 政府部门 nor a 本级政府 in 第四十九条: the later date
        return None
    if _DEPARTMENT.search(name):
        return "department"
    if _REGION.search(name):
        return "government"
    return None


def _deadline(report, rule, ctx) -> tuple[dt.date, str]:
    kind = ctx.agency_kind
    if kind == "auto":  # an agency whose kind the name does not tell gets the later deadline: no false alarm
        kind = agency_kind(report.agency) or "government"
    month, day = rule.params.get(f"{kind}_deadline", [1, 31] if kind == "department" else [3, 31])
    label = "县级以上人民政府部门" if kind == "department" else "本级政府"
    return dt.date(report.year + 1, month, day), label


def _said(pub) -> str:
    return pub.source if pub.source.endswith("日期") else f"{pub.source}日期"


def check(report, rule, ctx):
    what = rule.params.get("check")
    y = report.year
    pub = report.publication
    if what == "no_date":
        if pub is None:
            yield rule.finding("未找到发布日期或落款日期，无法检查是否按时发布", location(),
                               expected="落款日期或“发布日期：”", found="（未找到）")
        return
    if y is None:
        return
    if what == "before_year_end":
        # the 落款 counts too when a page's 发布日期 is given: "2019年1月3日" under a 2019 report
        for d in {id(x): x for x in (pub, report.signed) if x is not None}.values():
            if d.date <= dt.date(y, 12, 31):
                yield rule.finding(f"{_said(d)} {d.date:%Y年%-m月%-d日} 早于{y}年度结束，"
                                   f"{y}年度报告应在{y + 1}年发布（是否沿用了上一年的日期？）", location(d.loc),
                                   expected=f"{y + 1}年1月1日之后", found=d.text)
    elif what == "after_deadline" and pub is not None and pub.date > dt.date(y, 12, 31):
        deadline, label = _deadline(report, rule, ctx)
        if pub.date > deadline:
            basis = rule.params.get("basis", "《条例》第四十九条")
            yield rule.finding(f"{_said(pub)} {pub.date:%Y年%-m月%-d日} 晚于{label}年度报告的发布期限 "
                               f"{deadline:%Y年%-m月%-d日}（{basis}）", location(pub.loc),
                               expected=f"不晚于{deadline:%Y年%-m月%-d日}", found=pub.text)
    elif what == "period" and report.period is not None:
        p = report.period
        if p.start is None or p.end is None:
            return
        if (p.start, p.end) != (dt.date(y, 1, 1), dt.date(y, 12, 31)):
            yield rule.finding(f"统计期限 {p.start:%Y年%-m月%-d日}至{p.end:%Y年%-m月%-d日} 不是报告年度 {y} 年全年",
                               location(p.loc), expected=f"{y}年1月1日至12月31日",
                               found=f"{p.start:%Y年%-m月%-d日}至{p.end:%Y年%-m月%-d日}")
    elif what == "year_in_text":
        yield from _year_in_text(report, rule, y)


_ACTIVITY = "主动公开|收到|受理|办结|办理|答复|新收|公开政府信息|发布信息|制作|获取"
# the report naming its own year wrongly: "编制完成2024年度报告" in a 2023 report
_OWN_REPORT = re.compile(r"(?:编制|编写|形成|完成|发布|本)[^。；\d]{0,8}?(?P<year>\d{4})\s*年度?"
                         r"(?:政府信息公开(?:工作)?)?(?:年度)?报告")


def _year_in_text(report, rule, y):
    """Statements about this year's work that cite another year: a copied report."""
    wrong = {str(y - 1), str(y + 1)}
    rx = re.compile(rf"(?:本机关|本单位|我单位|本局|我局|本委|我委|本办|我办|本厅|我厅|本中心|我中心|全年|本年度?)?"
                    rf"\s*(?P<year>\d{{4}})\s*年度?[^。；\d]{{0,12}}?(?:{_ACTIVITY})")
    for p in _preamble(report):
        for m in _OWN_REPORT.finditer(p.text):
            if m.group("year") in wrong:
                yield rule.finding(f"写的是“{m.group(0).strip()}”，与报告年度 {y} 年不符（是否沿用了其他年度的报告？）",
                                   location(p.loc), expected=f"{y}年度", found=f"{m.group('year')}年度",
                                   text=p.text, span=m.span("year"))
    for key in rule.params.get("sections", ["一"]):
        s = report.section(key)
        if s is None:
            continue
        for p in s.paragraphs:
            for m in rx.finditer(p.text):
                after = p.text[m.end("year"):m.end("year") + 3]
                if m.group("year") in wrong and not after.lstrip().startswith(("年1月", "年12月")):
                    yield rule.finding(f"第{key}部分写的是“{m.group(0).strip()}”，与报告年度 {y} 年不符"
                                       "（是否沿用了其他年度的报告？）", location(p.loc, section=key),
                                       expected=f"{y}年", found=f"{m.group('year')}年", text=p.text,
                                       span=m.span("year"))


def _preamble(report):
    """The paragraphs before the first section heading (the title excluded)."""
    doc = report.document
    first = min((s.block_range[0] - 1 for s in report.sections), default=len(doc.blocks))
    for block in doc.blocks[:first]:
        if isinstance(block, Paragraph) and block.loc != report.title_loc:
            yield block
