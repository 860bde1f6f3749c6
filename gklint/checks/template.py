"""GK002 not an annual report · GK207 template version does not match the year · GK505 title form."""

from __future__ import annotations

import re

from gklint.findings import location

_NAMES = {"gb2019": "2019 版格式（国办公开办函〔2019〕60号）", "gb2021": "2021 版格式（国办公开办函〔2021〕30号）"}


def check(report, rule, ctx):
    what = rule.params.get("check")
    if what == "recognisable":
        # a file with no sign of a report at all is skipped by the engine, not reported
        if report.title and report.year and not report.sections and not report.tables and not report.unread:
            yield rule.finding(f"标题“{report.title}”像一份年度报告，但没有找到六个部分的标题或统计表，无法检查",
                               location(report.title_loc), expected="六个部分和三张统计表", found="（无法识别）")
    elif what == "pre2019":
        if report.year is not None and report.year < 2019:
            yield rule.finding(f"{report.year}年度报告早于国家统一格式（2019年度起施行），不检查六个部分、统计表和勾稽关系，"
                               "只检查日期和占位内容", location(report.title_loc), expected="2019年度及以后的报告",
                               found=f"{report.year}年度")
    elif what == "layout":
        # the layout the year calls for, whatever rule set was chosen (a province's extends one of them)
        wanted = None if report.year is None else "gb2019" if report.year <= 2020 else "gb2021"
        if report.layout and wanted and report.layout != wanted:
            if wanted == "gb2021":
                why = f"{report.year}年度报告应使用 {_NAMES['gb2021']}，但统计表是 {_NAMES['gb2019']}（沿用了旧模板？）"
            else:
                why = f"{report.year}年度报告应使用 {_NAMES['gb2019']}，但统计表是 {_NAMES['gb2021']}（该格式 2021 年才发布，报告年度是否写错？）"
            first = next(iter(report.tables.values()), None)
            yield rule.finding(why, location(first.loc if first else None), expected=_NAMES[wanted],
                               found=_NAMES.get(report.layout, report.layout))
    elif what == "title":
        pattern = rule.params.get("pattern", r"^(?:.+\d{4}年度?|\d{4}年度?.+)政府信息公开工作年度报告$")
        title = re.sub(r"\s+", "", report.title)
        if report.title and not re.search(pattern, title):
            yield rule.finding(f"标题“{report.title}”不是标准形式“（机关名称）XXXX年政府信息公开工作年度报告”",
                               location(report.title_loc), expected="（机关名称）XXXX年政府信息公开工作年度报告",
                               found=report.title)
        elif not report.title:
            yield rule.finding("未找到报告标题", location(), expected="（机关名称）XXXX年政府信息公开工作年度报告",
                               found="（未找到）")
