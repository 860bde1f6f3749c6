"""`gklint extract`: what binding understood of each file."""

from __future__ import annotations

from gklint.cli.common import EXIT_ERROR, EXIT_OK, EXIT_UNREADABLE, FORMATS, catalog_or_error, error


def add(sub) -> None:
    ex = sub.add_parser("extract", help="打印 gklint 对报告的理解（部分、日期、每个表格单元格）",
                        description=f"打印 gklint 对报告的理解（部分、日期、每个表格单元格）。支持的格式：{FORMATS}。")
    ex.add_argument("files", nargs="+", metavar="文件", help="报告文件")
    ex.add_argument("--format", choices=("markdown", "json"), default="markdown", help="输出格式（默认 markdown）")
    ex.add_argument("--show-suppressed", action="store_true", help="同时列出被忽略的问题及理由")
    ex.set_defaults(run=_extract)


def _extract(args) -> int:
    from gklint.document import ReadError
    from gklint.output.extract import to_json, to_markdown
    from gklint.policy.config import ConfigError, Overrides, Resolver
    from gklint.run.engine import read_report

    try:
        resolver = Resolver(Overrides())
        settings = [resolver.for_path(p) for p in args.files]
    except ConfigError as exc:
        return error(f"配置错误：{exc}")
    if any(s.ruleset and catalog_or_error(s.ruleset) is None for s in settings):
        return EXIT_ERROR
    reports, status = [], EXIT_OK
    for path, s in zip(args.files, settings):
        try:  # bound as check binds it: with the rule set check chooses
            reports.append(read_report(path, s.ruleset)[1])
        except ReadError as exc:
            error(f"{path}: GK001 无法读取：{exc}")
            status = EXIT_UNREADABLE
    from gklint.output.text import clean, json_safe

    if args.show_suppressed:
        return _extract_suppressed(args, reports, status)
    if args.format == "json":
        if reports:
            print(json_safe(to_json(reports)))
    else:
        print(clean("\n".join(to_markdown(r) for r in reports), keep_newlines=True), end="")
    return status


def _extract_suppressed(args, reports, status: int) -> int:
    import json

    from gklint.policy.config import ConfigError, Overrides, Resolver
    from gklint.output.extract import to_dict, to_markdown
    from gklint.output.text import clean, json_safe
    from gklint.policy.apply import apply
    from gklint.output.suppressed import render
    from gklint.run.runner import run

    try:
        resolver = Resolver(Overrides())
        paths = [r.document.path for r in reports]
        settings = [resolver.for_path(p) for p in paths]
    except ConfigError as exc:
        return error(f"配置错误：{exc}")
    if any(s.ruleset and catalog_or_error(s.ruleset) is None for s in settings):
        return EXIT_ERROR
    results = run(paths, settings, 1)
    apply(results, settings, use_baseline=False)
    if args.format == "json":
        data = [{**to_dict(rep), "suppressed": [x.to_dict() for x in res.suppressed]}
                for rep, res in zip(reports, results)]
        if data:
            print(json_safe(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)))
        return status
    for rep, res in zip(reports, results):
        text = to_markdown(rep) + "\n## 已忽略的问题\n\n" + (render([res]) or "（没有）\n")
        print(clean(text, keep_newlines=True), end="")
    return status
