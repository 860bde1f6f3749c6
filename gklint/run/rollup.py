"""Region totals from files: each file read (an editor's lock file or a file that is no report is listed with
the reason, never summed), the year most reports are of chosen, the rest added up by gklint.output.rollup.
`gklint rollup` and the office server's 汇总 downloads share it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Summed:
    rollup: object = None  # gklint.output.rollup.Rollup; None: no report to add up
    not_read: list[dict] = field(default_factory=list)  # {"path", "reason"}, in the order of the files
    unreadable: bool = False  # some file could not be read at all


def read_reports(files: list[str], ruleset_for):
    """(reports, not read with the reason, whether a file could not be read at all); `ruleset_for(path)` names
    the rule set a file is checked with (its configuration's)."""
    from gklint.document import ReadError
    from gklint.run.engine import in_the_way, looks_like_report, read_report

    reports, not_read, unreadable = [], [], False
    for path in files:
        if in_the_way(path):  # an editor's lock or backup file beside a report: listed, never read
            not_read.append({"path": path, "reason": "编辑器的锁定、临时或备份文件，不是报告"})
            continue
        try:
            report = read_report(path, ruleset_for(path))[1]
        except ReadError as exc:
            not_read.append({"path": path, "reason": f"无法读取：{exc}"})
            unreadable = True
            continue
        if not looks_like_report(report):
            not_read.append({"path": path, "reason": "不是年度报告（没有年度报告的标题、部分标题或统计表）"})
            continue
        reports.append(report)
    return reports, not_read, unreadable


def sum_files(files: list[str], ruleset_for) -> Summed:
    from gklint.output.rollup import total, why_not_summed, year_of

    reports, not_read, unreadable = read_reports(files, ruleset_for)
    year = year_of(reports)
    summed = []
    for r in reports:
        why = why_not_summed(r, year)
        if why:
            not_read.append({"path": r.document.path, "reason": why})
        else:
            summed.append(r)
    order = {f: i for i, f in enumerate(files)}
    not_read.sort(key=lambda x: order.get(x["path"], 0))
    return Summed(total(summed, not_read) if summed else None, not_read, unreadable)
