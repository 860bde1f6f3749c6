"""Command line: the only place that wires readers, binding, rules and output together.

Imports are local to each command so that `gklint check` on a text file never loads docx2python or rich.
"""

from __future__ import annotations

import argparse
import os
import sys

from gklint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_FROM = 10  # files; fewer finish before a progress bar would be worth drawing


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


FORMATS = "Word（.docx）、文本（.txt .text .md .markdown）、网页（.html .htm）、PDF（.pdf，需要 pdfplumber）"
AGENCY_HELP = "发布期限：department 部门（1月31日），government 本级政府（3月31日），auto 按机关名称判断（默认）"
RULESET_HELP = "规则集：内置名称（pre2019、gb2019、gb2021）或 .toml 路径（默认按报告年度选择）"


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese headings and help (the office users read Chinese); argparse's own error details
    stay as argparse words them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, add_help=False, formatter_class=_Formatter, **kwargs)
        self._positionals.title, self._optionals.title = "参数", "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: 错误：{_chinese(message)}\n")


_ARGPARSE_ZH = (  # argparse's common messages, for the office users; anything else is shown as it is
    (r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$", r"参数 \1：无效的取值 \2（可选：\3）"),
    (r"^argument (\S+): invalid (\w+) value: (.+)$", r"参数 \1：无效的值 \3"),
    (r"^argument (\S+): expected one argument$", r"参数 \1 需要一个值"),
    (r"^the following arguments are required: (.+)$", r"缺少参数：\1"),
    (r"^unrecognized arguments: (.+)$", r"无法识别的参数：\1"),
)


def _chinese(message: str) -> str:
    import re

    for pattern, replacement in _ARGPARSE_ZH:
        if re.match(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gklint", description=f"政府信息公开工作年度报告的合规检查工具。支持的格式：{FORMATS}。",
                epilog="gklint 命令 -h 查看各命令的选项。退出码：0 没有问题，1 有问题，2 用法、配置或规则集错误、"
                       "文件不存在或无法读取。")
    p.add_argument("--version", action="version", version=f"gklint {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    ck = sub.add_parser("check", help="检查报告并列出问题", description=f"检查报告并列出问题。支持的格式：{FORMATS}。")
    ck.add_argument("paths", nargs="*", metavar="路径",
                    help="文件或目录（目录递归查找支持的格式；默认当前目录）")
    ck.add_argument("--output-format", "--format", dest="format",
                    choices=("full", "concise", "json", "sarif", "github", "junit", "html", "csv"),
                    help="输出格式（默认 full，或配置中的 output-format）")
    ck.add_argument("-o", "--output-file", metavar="文件", help="输出写入文件而不是标准输出")
    ck.add_argument("--select", type=_codes, metavar="代码", help="只检查这些代码或前缀，逗号分隔，如 GK3,GK501")
    ck.add_argument("--extend-select", type=_codes, default=(), metavar="代码", help="在选择之外再加上这些代码或前缀")
    ck.add_argument("--ignore", type=_codes, default=(), metavar="代码", help="不检查这些代码或前缀")
    ck.add_argument("--fail-on", choices=("error", "warning"),
                    help="多低的级别使退出码为 1（默认 warning；info 从不）")
    ck.add_argument("--ruleset", metavar="名称|路径", help=RULESET_HELP)
    ck.add_argument("--agency-kind", choices=("auto", "department", "government"), help=AGENCY_HELP)
    ck.add_argument("--config", metavar="路径", help="所有文件都使用这个配置文件（不再向上查找）")
    ck.add_argument("--show-settings", action="store_true", help="打印每个路径最终生效的设置后退出")
    ck.add_argument("--statistics", action="store_true", help="只打印每个代码的问题数")
    ck.add_argument("-q", "--quiet", action="store_true", help="只打印问题：不打印汇总和进度")
    ck.add_argument("-j", "--jobs", type=int, metavar="N", help="并行进程数（默认：8 个文件以上时用全部 CPU）")
    ck.add_argument("--no-cache", action="store_true", help="不读也不写结果缓存")
    ck.add_argument("--min-severity", choices=("info", "warning", "error"),
                    help="不显示低于这个级别的问题（默认 info，或配置中的 min-severity）")
    ck.add_argument("--exit-zero", action="store_true", help="照常输出，退出码总是 0")
    ck.add_argument("--baseline", metavar="文件", help="只报告基线文件中没有记录的问题，并列出基线中已不再出现的问题")
    ck.add_argument("--write-baseline", metavar="文件", help="把当前的全部问题记入基线文件，作为已接受的问题")
    ck.add_argument("--show-suppressed", action="store_true",
                    help="同时列出被批注、注释行、基线或配置忽略的问题及理由")
    ck.add_argument("--annotate", metavar="目录", help="为每个 .docx 在该目录中写一份带批注的副本")
    ck.add_argument("--previous", metavar="文件",
                    help="同一机关上一年度的报告：与它做跨年度核对（不写时，同一次检查中同一机关相邻年度的报告自动配对）")

    an = sub.add_parser("annotate", help="另存一份 .docx，把每个问题写成 Word 批注",
                        description="另存一份 .docx，把每个问题写成 Word 批注；原文件从不修改。")
    an.add_argument("file", metavar="文件", help="要加批注的 .docx")
    an.add_argument("-o", "--output", metavar="文件", help="输出的副本（默认：同目录下的 文件名.gklint.docx）")
    an.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    an.add_argument("--config", metavar="路径", help="使用这个配置文件（不再向上查找）")
    an.add_argument("--ruleset", metavar="名称|路径", help=RULESET_HELP)
    an.add_argument("--agency-kind", choices=("auto", "department", "government"), help=AGENCY_HELP)

    rl = sub.add_parser("rules", help="列出规则集的规则", description="列出规则集的规则。")
    rl.add_argument("--ruleset", default="gb2021", metavar="名称|路径", help="规则集（默认 gb2021）")
    rl.add_argument("--format", choices=("table", "json"), default="table", help="输出格式（默认 table）")
    ru = sub.add_parser("rule", help="说明一条规则：检查什么、为什么、示例、怎么改",
                        description="说明一条规则：检查什么、为什么、依据、示例、怎么改。")
    ru.add_argument("code", metavar="代码", help="规则代码，如 GK304")
    ru.add_argument("--ruleset", default="gb2021", metavar="名称|路径", help="规则集（默认 gb2021）")

    rs = sub.add_parser("ruleset", help="规则集作者用：校验规则集，运行它的样例",
                        description="规则集作者用：校验规则集，运行它的 [[tests]] 样例。")
    rs_sub = rs.add_subparsers(dest="action", metavar="操作", required=True, parser_class=_Parser)
    rc = rs_sub.add_parser("check", help="列出规则集的全部问题（文件:行: 键: 说明）",
                           description="列出规则集的全部问题，每行“文件:行: 键: 说明”。")
    rc.add_argument("rulesets", nargs="+", metavar="文件|名称", help="规则集 .toml 文件或内置名称")
    rt = rs_sub.add_parser("test", help="运行规则集的 [[tests]] 样例", description="运行规则集的 [[tests]] 样例。")
    rt.add_argument("rulesets", nargs="+", metavar="文件|名称", help="规则集 .toml 文件或内置名称")

    ex = sub.add_parser("extract", help="打印 gklint 对报告的理解（部分、日期、每个表格单元格）",
                        description=f"打印 gklint 对报告的理解（部分、日期、每个表格单元格）。支持的格式：{FORMATS}。")
    ex.add_argument("files", nargs="+", metavar="文件", help="报告文件")
    ex.add_argument("--format", choices=("markdown", "json"), default="markdown", help="输出格式（默认 markdown）")
    ex.add_argument("--show-suppressed", action="store_true", help="同时列出被忽略的问题及理由")
    return p


def _error(message: str) -> int:
    from gklint.output.text import clean

    print(f"gklint: {clean(message)}", file=sys.stderr)
    return EXIT_ERROR


def _extract(args) -> int:
    from gklint.document import ReadError
    from gklint.output.extract import to_json, to_markdown
    from gklint.readers import read
    from gklint.report.bind import bind

    reports, status = [], EXIT_OK
    for path in args.files:
        try:
            reports.append(bind(read(path)))
        except ReadError as exc:
            _error(f"{path}: GK001 无法读取：{exc}")
            status = EXIT_ERROR
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

    from gklint.config import ConfigError, Overrides, Resolver
    from gklint.output.extract import to_dict, to_markdown
    from gklint.output.text import clean, json_safe
    from gklint.runner import run
    from gklint.suppress import render

    try:
        resolver = Resolver(Overrides())
        paths = [r.document.path for r in reports]
        settings = [resolver.for_path(p) for p in paths]
    except ConfigError as exc:
        return _error(f"配置错误：{exc}")
    if any(s.ruleset and _catalog(s.ruleset) is None for s in settings):
        return EXIT_ERROR
    results = run(paths, settings, 1)
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


def _show_settings(args, resolver) -> int:
    import json

    for path in args.paths:
        s = resolver.for_path(path)
        print(f"# {path}: " + (f"配置文件 {s.source}" if s.source else "没有配置文件，使用默认设置"))
        for key, value in s.to_dict().items():
            if key not in ("source",):
                print(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return EXIT_OK


def _check(args) -> int:
    import time

    from gklint.config import ConfigError, Overrides, Resolver
    from gklint.readers import SUFFIXES
    from gklint.ruleset import RuleSetError, load
    from gklint.runner import default_jobs, discover, run

    start = time.perf_counter()
    overrides = Overrides(select=args.select, extend_select=args.extend_select, ignore=args.ignore,
                          fail_on=args.fail_on, ruleset=args.ruleset, agency_kind=args.agency_kind,
                          output_format=args.format, no_cache=args.no_cache, baseline=args.baseline,
                          min_severity=args.min_severity)
    try:
        resolver = Resolver(overrides, args.config)
        if args.show_settings:
            return _show_settings(args, resolver)
        found = discover(args.paths, resolver, SUFFIXES)
        files, missing = found.files, found.missing
        settings = [resolver.for_path(f) for f in files]
        base = resolver.for_path(".")
    except ConfigError as exc:
        return _error(f"配置错误：{exc}")
    from gklint.rules import catalog

    try:  # a broken rule set is the user's configuration error, reported once, before any file is read
        used = {s.ruleset for s in settings if s.ruleset}
        for ref in used:
            catalog([load(ref)])
        if _bad_selection([base] + settings, args):
            return EXIT_ERROR
    except RuleSetError as exc:
        return _error(f"规则集错误：{exc}")
    for path in missing:
        _error(f"{path}: 文件或目录不存在")
    for path in found.empty:
        _error(f"警告：{path} 中没有可检查的文件（.docx、.txt、.md、.html、.pdf）")

    jobs = args.jobs or default_jobs(len(files))
    show_progress = (not args.quiet and len(files) >= PROGRESS_FROM and sys.stderr.isatty()
                     and not os.environ.get("NO_COLOR"))
    previous = None
    if args.previous:
        if not os.path.isfile(args.previous):
            return _error(f"{args.previous}: --previous 指定的文件不存在")
        previous = (args.previous, resolver.for_path(args.previous))
    if show_progress:
        results = _run_with_progress(files, settings, jobs, previous)
    else:
        results = run(files, settings, jobs, previous=previous)
    from gklint import baseline
    from gklint.suppress import below

    if args.write_baseline:
        try:
            n = baseline.write(args.write_baseline, results)
        except baseline.BaselineError as exc:
            return _error(str(exc))
        print(f"已把 {len(results)} 个文件的 {n} 个问题写入基线 {args.write_baseline}"
              f"（之后用 --baseline {args.write_baseline} 只报告新问题）", file=sys.stderr)
        return EXIT_ERROR if missing or any(r.unreadable for r in results) else EXIT_OK
    try:
        stale = baseline.apply(results, settings)
    except baseline.BaselineError as exc:
        return _error(str(exc))
    for r, s in zip(results, settings):
        r.findings = [f for f in r.findings if not below(f, s.min_severity)]
        if not args.show_suppressed:
            r.suppressed = []
    if args.annotate:
        _annotate_batch(args.annotate, results)
    elapsed = time.perf_counter() - start

    fmt = args.format or base.output_format
    _emit(args, fmt, results, elapsed, found.unsupported, stale)

    if args.exit_zero:
        return EXIT_ERROR if missing else EXIT_OK
    if missing or any(r.unreadable for r in results):
        return EXIT_ERROR
    levels = {"warning": ("warning", "error"), "error": ("error",)}
    if any(f.severity in levels[s.fail_on] for r, s in zip(results, settings) for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _bad_selection(settings, args) -> bool:
    """A selected code or prefix that no rule set in use has checks nothing: an error, not a false all-clear."""
    from gklint.config import unknown_codes
    from gklint.rules import catalog
    from gklint.ruleset import NATIONAL, load

    from_cli = set(args.select or ()) | set(args.extend_select)
    seen, bad = set(), False
    for s in settings:
        if (s.select, s.extend_select, s.ruleset) in seen or (s.select == ("ALL",) and not s.extend_select):
            continue  # the default selection always exists: no rule set to load for it
        seen.add((s.select, s.extend_select, s.ruleset))
        refs = [s.ruleset] if s.ruleset else list(NATIONAL)  # by report year: any national rule set
        for code in unknown_codes(s, catalog([load(r) for r in refs])):
            where = "--select / --extend-select" if code in from_cli else f"{s.source}: select / extend-select"
            _error(f"{where}：{code!r} 不是所用规则集（{'、'.join(refs)}）中的规则代码或前缀"
                   "（gklint rules 列出全部规则）")
            bad = True
    return bad


def _annotate_batch(directory: str, results) -> None:
    """check --annotate DIR: an annotated copy of every readable .docx, its folders mirrored in DIR."""
    from gklint.annotate import annotate_file, default_output

    for r in results:
        if not r.path.lower().endswith(".docx"):
            _error(f"{r.path}: 不是 .docx 文件，只有 Word 文档可以加批注，未生成批注副本")
            continue
        if r.unreadable:
            _error(f"{r.path}: 无法读取，未生成批注副本")
            continue
        rel = os.path.relpath(os.path.abspath(r.path))
        if rel.startswith(".."):
            rel = os.path.basename(r.path)
        out = os.path.join(directory, default_output(rel))
        os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
        if os.path.exists(out) and os.path.samefile(out, r.path):
            _error(f"{out}: 与被检查的文件相同，不覆盖")
            continue
        try:
            annotate_file(r.path, out, r.findings)
        except OSError:
            raise
        except Exception as exc:  # a package gklint could read but cannot write comments into
            _error(f"{r.path}: 无法生成批注副本（{type(exc).__name__}: {exc}）")


def _annotate(args) -> int:
    from gklint.annotate import annotate_file, default_output
    from gklint.config import ConfigError, Overrides, Resolver
    from gklint.runner import run

    path = args.file
    if not os.path.isfile(path):
        return _error(f"{path}: 文件不存在")
    if not path.lower().endswith(".docx"):
        return _error(f"{path}: 不是 .docx 文件；gklint annotate 只能给 Word 文档加批注"
                      "（文本、网页、PDF 请用 gklint check 查看问题）")
    out = args.output or default_output(path)
    if os.path.exists(out) and os.path.samefile(out, path):
        return _error(f"{out}: 输出文件不能是原文件本身，原文件从不修改")
    if os.path.exists(out) and not args.force:
        return _error(f"{out}: 已存在；加 --force 覆盖，或用 -o 指定另一个文件名")
    try:
        resolver = Resolver(Overrides(ruleset=args.ruleset, agency_kind=args.agency_kind), args.config)
        settings = [resolver.for_path(path)]
    except ConfigError as exc:
        return _error(f"配置错误：{exc}")
    if settings[0].ruleset and _catalog(settings[0].ruleset) is None:
        return EXIT_ERROR
    results = run([path], settings, 1)
    from gklint import baseline
    from gklint.suppress import below

    try:
        baseline.apply(results, settings)
    except baseline.BaselineError as exc:
        return _error(str(exc))
    result = results[0]
    if result.unreadable:
        return _error(f"{path}: {result.findings[0].message}，未生成批注副本")
    findings = [f for f in result.findings if not below(f, settings[0].min_severity)]
    try:
        done = annotate_file(path, out, findings)
    except OSError:
        raise
    except Exception as exc:  # a package gklint could read but cannot write comments into
        return _error(f"{path}: 无法生成批注副本（{type(exc).__name__}: {exc}）")
    print(f"已写入 {out}：{len(done.placed)} 条批注"
          + (f"，{len(findings) - len(done.placed)} 个问题无法定位" if len(done.placed) < len(findings) else ""),
          file=sys.stderr)
    return EXIT_OK


def _run_with_progress(files, settings, jobs, previous):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from gklint.runner import run

    columns = (TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("check", total=len(files))
        return run(files, settings, jobs, advance=lambda: progress.advance(task), previous=previous)


def _rules_for(results) -> dict:
    from gklint.rules import catalog
    from gklint.ruleset import RuleSetError, load

    refs = sorted({r.ruleset_path for r in results if r.ruleset_path}) or ["gb2021"]
    loaded = []
    for ref in refs:
        try:
            loaded.append(load(ref))
        except RuleSetError:  # loaded fine for the check; gone since (a reinstall): describe the rest
            continue
    return catalog(loaded or [load("gb2021")])


def _emit(args, fmt, results, elapsed, unsupported=(), stale=()) -> None:
    from gklint.output import full, machine
    from gklint.suppress import render, render_stale

    summary_line = full.summary(results, elapsed, unsupported)
    if args.statistics:
        rows = machine.statistics(results, _rules_for(results))
        if fmt == "json":
            import json

            text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        else:
            text = machine.statistics_text(rows)
    elif fmt == "concise":
        text = machine.concise(results)
    elif fmt == "json":
        extra = {"baseline_stale": list(stale)} if stale else {}
        text = machine.to_json(results, {**full.totals(results), "not_checked": list(unsupported),
                                         "seconds": round(elapsed, 3), **extra})
    elif fmt == "sarif":
        text = machine.sarif(results, _rules_for(results))
    elif fmt == "github":
        text = machine.github(results)
    elif fmt == "junit":
        text = machine.junit(results, elapsed)
    elif fmt == "html":
        from gklint.output import html
        text = html.render(results, elapsed, unsupported)
    elif fmt == "csv":
        from gklint.output.csvout import to_csv
        text = to_csv(results)
    else:
        lines = full.render(results, elapsed, quiet=True)
        if not args.output_file and not os.environ.get("NO_COLOR") and (sys.stdout.isatty()
                                                                       or os.environ.get("FORCE_COLOR")):
            from rich.console import Console

            full.print_rich(lines, Console(highlight=False))
            text = None
        else:
            text = full.to_plain(lines)
    if fmt in ("full", "concise") and not args.statistics:
        tail = (render(results) if args.show_suppressed else "") + render_stale(stale)
        if text is None:
            sys.stdout.write(tail)
        else:
            text += tail
    elif stale:
        sys.stderr.write(render_stale(stale))
    if text is not None:
        if args.output_file:
            with open(args.output_file, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            sys.stdout.write(text)
    if not args.quiet and (fmt in ("full", "concise") or args.output_file):
        print(summary_line, file=sys.stderr)


def _rules(args) -> int:
    import json

    from gklint.output.full import SEVERITY_NAME
    from gklint.output.text import pad, truncate, width

    rules = _catalog(args.ruleset)
    if rules is None:
        return EXIT_ERROR
    if args.format == "json":
        print(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity, "kind": r.kind,
                           "summary": r.summary} for r in rules.values()], ensure_ascii=False, indent=2))
        return EXIT_OK
    wn = max(width(r.name) for r in rules.values())
    print(f"规则集 {args.ruleset}：{len(rules)} 条规则（gklint rule 代码 查看说明）")
    for r in rules.values():
        print(f"{r.code}  {pad(r.name, wn)}  {pad(SEVERITY_NAME[r.severity], 4)}  {truncate(r.summary, 72)}")
    return EXIT_OK


def _catalog(ref: str) -> dict | None:
    """The rules of a rule set by code; None (after saying why) when it cannot be loaded."""
    from gklint.rules import catalog
    from gklint.ruleset import RuleSetError, load

    try:
        return catalog([load(ref)])
    except RuleSetError as exc:
        _error(f"规则集错误：{exc}")
        return None


def _rule(args) -> int:
    rules = _catalog(args.ruleset)
    if rules is None:
        return EXIT_ERROR
    rule = rules.get(args.code.upper())
    if rule is None:
        return _error(f"规则集 {args.ruleset} 中没有规则 {args.code}（gklint rules 列出全部规则）")
    from gklint.output.full import SEVERITY_NAME

    kind = KIND_NAMES.get(rule.kind, rule.kind)
    print(f"{rule.code} {rule.name}（{SEVERITY_NAME[rule.severity]}，{kind}类规则 {rule.kind}）\n\n{rule.summary}")
    for title, text in (("说明", rule.doc), ("依据", rule.basis), ("示例", rule.example), ("修改", rule.fix)):
        if text:
            print(f"\n{title}：{text}")
    return EXIT_OK


KIND_NAMES = {"sections": "部分", "content": "内容", "tables": "统计表", "cells": "单元格", "identity": "合计关系",
              "dates": "日期", "text_table": "正文与表格", "text_sums": "正文合计", "patterns": "文字模式",
              "template": "格式版本", "engine": "引擎"}


def _ruleset(args) -> int:
    from gklint import ruleset_tools
    from gklint.output.text import clean

    status = EXIT_OK
    for ref in args.rulesets:
        if args.action == "check":
            problems = ruleset_tools.check(ref)
            for p in problems:
                print(clean(str(p)))
            print(f"{ref}: " + (f"{len(problems)} 个问题" if problems else "没有问题"), file=sys.stderr)
            status = max(status, EXIT_FINDINGS if problems else EXIT_OK)
            continue
        problems = ruleset_tools.check(ref)
        if problems:  # cases of a broken rule set cannot run
            for p in problems:
                print(clean(str(p)))
            status = EXIT_ERROR
            continue
        results = ruleset_tools.run_tests(ref)
        for r in results:
            if r.ok:
                print(f"PASS  {clean(r.name)}")
            else:
                why = r.error or "；".join(x for x in (r.missing and f"缺少 {', '.join(r.missing)}",
                                                      r.unexpected and f"不应出现 {', '.join(r.unexpected)}") if x)
                print(f"FAIL  {clean(r.name)}：{clean(why)}" + (f"（实际：{', '.join(r.found)}）" if not r.error else ""))
        failed = sum(1 for r in results if not r.ok)
        print(f"{ref}: {len(results)} 个样例，{len(results) - failed} 个通过，{failed} 个失败", file=sys.stderr)
        status = max(status, EXIT_FINDINGS if failed else EXIT_OK)
    return status


COMMANDS = {"check": _check, "extract": _extract, "rules": _rules, "rule": _rule, "ruleset": _ruleset,
            "annotate": _annotate}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command == "check" and not any(x.startswith("-") for x in extra):
        args.paths = args.paths + extra  # paths after options: check a --jobs 2 b
    elif extra:
        parser.error(f"无法识别的参数：{' '.join(extra)}")
    if args.command == "check" and not args.paths:
        args.paths = ["."]  # the default only when no path is given at all: an explicit "." is kept
    if args.command not in COMMANDS:
        parser.print_help()
        return EXIT_ERROR
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("gklint: 已中断，检查未完成，没有输出结果", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): not an error, and nothing more to say
        return EXIT_OK
    except OSError as exc:  # -o to a directory that does not exist, a full disk …
        return _error(f"{exc.filename or ''}: {exc.strerror or exc}")
