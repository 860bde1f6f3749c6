"""`gklint rollup`: a region's totals of its departments' 表二、表三、表四 (output/rollup.py adds them up), and
the region's own report compared with them (GK605)."""

from __future__ import annotations

import os
import sys

from gklint.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, emit, error

ROLLUP_FORMATS = ("text", "json", "xlsx", "docx")
BINARY = ("xlsx", "docx")


def add(sub) -> None:
    ro = sub.add_parser(
        "rollup", help="汇总各部门报告的表二、表三、表四（区域合计），并与区域报告核对",
        description="把同一年度各部门报告的表二、表三、表四逐个单元格相加，得到区域（县、区、市）的合计；"
                    "用 --region-report 指定本级的报告时，列出其中与合计不一致的单元格（GK605）。"
                    "只汇总多数报告所属年度的报告；未汇总的文件和未计入的单元格都会列出原因。",
        epilog="退出码：0 已汇总（区域报告与合计一致）；1 区域报告有与合计不一致的单元格；2 用法错误或没有可汇总的报告；"
               "3 有文件无法读取（其余文件照常汇总）。")
    ro.add_argument("paths", nargs="+", metavar="路径", help="各部门的报告：文件或目录（目录递归查找支持的格式）")
    ro.add_argument("--region-report", metavar="文件", help="本级（区域）的报告：与合计逐格核对")
    ro.add_argument("--output-format", "--format", dest="format", choices=ROLLUP_FORMATS, default="text",
                    help="输出格式（默认 text；xlsx、docx 需要 -o 文件）")
    ro.add_argument("-o", "--output-file", metavar="文件", help="输出写入文件而不是标准输出")
    ro.set_defaults(run=_rollup)


def _rollup(args) -> int:
    import time

    from gklint import output
    from gklint.policy.config import ConfigError, Overrides, Resolver
    from gklint.readers import SUFFIXES
    from gklint.output.rollup import compare
    from gklint.run.rollup import read_reports, sum_files
    from gklint.run.runner import discover

    start = time.perf_counter()
    if args.format in BINARY and not args.output_file and sys.stdout.isatty():
        return error(f"输出格式 {args.format} 是二进制文件，不能打印到终端：请用 -o 指定输出文件，如 -o 汇总.{args.format}")
    if args.format == "xlsx":
        why = output.unusable("xlsx", "-", sys.stdout)
        if why:
            return error(why)
    try:
        resolver = Resolver(Overrides())
        found = discover(args.paths, resolver, SUFFIXES)
    except ConfigError as exc:
        return error(f"配置错误：{exc}")
    for path in found.missing:
        error(f"{path}: 文件或目录不存在")
    if found.missing:
        return EXIT_ERROR
    if args.region_report and not os.path.isfile(args.region_report):
        return error(f"{args.region_report}: --region-report 指定的文件不存在")
    region_path = os.path.realpath(args.region_report) if args.region_report else None
    files = [f for f in found.files if os.path.realpath(f) != region_path]  # the region is not its own part
    summed = sum_files(files, lambda path: resolver.for_path(path).ruleset)
    rollup, unreadable = summed.rollup, summed.unreadable
    if rollup is None:
        for x in summed.not_read:
            error(f"{x['path']}: {x['reason']}")
        error("没有可汇总的年度报告")
        return EXIT_UNREADABLE if unreadable else EXIT_ERROR

    region = None
    if args.region_report:
        region_reports, region_not_read, region_unreadable = read_reports(
            [args.region_report], lambda path: resolver.for_path(path).ruleset)
        if not region_reports:
            error(f"{args.region_report}: 区域报告{region_not_read[0]['reason']}")
            return EXIT_UNREADABLE if region_unreadable else EXIT_ERROR
        region_report = region_reports[0]
        findings, notes = compare(rollup, region_report)
        if region_report.year and region_report.year != rollup.year:
            notes.insert(0, f"区域报告是{region_report.year}年度的报告，部门报告是{rollup.year}年度的")
        region = (region_report, findings, notes)

    text = _render(args.format, rollup, region, time.perf_counter() - start)
    emit(text, args.output_file)
    if args.output_file or args.format in BINARY:
        from gklint.output.rollup_files import heading

        print(heading(rollup) + (f"区域报告有 {len(region[1])} 个单元格与合计不一致。" if region else ""),
              file=sys.stderr)
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if region and region[1] else EXIT_OK


def _render(fmt: str, rollup, region, elapsed: float):
    from gklint.output import rollup_files

    if fmt == "xlsx":
        return rollup_files.as_xlsx(rollup)
    if fmt == "docx":
        return rollup_files.as_docx(rollup)
    result = _result(region) if region else None
    if fmt == "json":
        import json

        from gklint.output.machine import file_dict
        from gklint.output.text import json_safe

        data = rollup.to_dict()
        if region:
            data["region"] = {**file_dict(result), "notes": region[2]}
        return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
    text = rollup_files.as_text(rollup)
    if region:
        from gklint import output

        report, findings, notes = region
        text += f"\n# 与区域报告核对：{report.document.path}\n\n"
        text += "\n".join(f"说明：{n}" for n in notes) + ("\n" if notes else "")
        if findings:
            text += output.render("full", [result], output.Run(elapsed))
        text += f"区域报告有 {len(findings)} 个单元格与 {len(rollup.reports)} 份部门报告之和不一致。\n" if findings \
            else f"区域报告与 {len(rollup.reports)} 份部门报告之和一致。\n"
    return text


def _result(region):
    """The region's report as a checked file, so its findings print as `gklint check` prints them."""
    from gklint.run.engine import FileResult

    report, findings, _notes = region
    return FileResult(report.document.path, template=report.layout, report_year=report.year, findings=findings,
                      report=report, agency=report.agency, layout=report.layout)
