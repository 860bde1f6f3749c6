"""`gklint check`: files found, checked, filtered, printed; the exit code."""

from __future__ import annotations

import os
import sys

from gklint import output
from gklint.cli.common import (AGENCY_HELP, EPILOG, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, FORMATS,
                               PROGRESS_FROM, RULESET_HELP, codes, emit, error)


def add(sub) -> None:
    ck = sub.add_parser("check", help="检查报告并列出问题", description=f"检查报告并列出问题。支持的格式：{FORMATS}。",
                        epilog=EPILOG)
    ck.add_argument("paths", nargs="*", metavar="路径",
                    help="文件或目录（目录递归查找支持的格式；默认当前目录）")
    ck.add_argument("--output-format", "--format", dest="format",
                    choices=output.NAMES,
                    help="输出格式（默认 full，或配置中的 output-format）")
    ck.add_argument("-o", "--output-file", metavar="文件", help="输出写入文件而不是标准输出")
    ck.add_argument("--select", type=codes, metavar="代码", help="只检查这些代码或前缀，逗号分隔，如 GK3,GK501")
    ck.add_argument("--extend-select", type=codes, default=(), metavar="代码", help="在选择之外再加上这些代码或前缀")
    ck.add_argument("--ignore", type=codes, default=(), metavar="代码", help="不检查这些代码或前缀")
    ck.add_argument("--fail-on", choices=("error", "warning"),
                    help="多低的级别使退出码为 1（默认 warning；info 从不）")
    ck.add_argument("--ruleset", metavar="名称|路径", help=RULESET_HELP)
    ck.add_argument("--agency-kind", choices=("auto", "department", "government"), help=AGENCY_HELP)
    ck.add_argument("--config", metavar="路径", help="所有文件都使用这个配置文件（不再向上查找）")
    ck.add_argument("--show-settings", action="store_true", help="打印每个路径最终生效的设置后退出")
    ck.add_argument("--statistics", action="store_true", help="只打印每个代码的问题数")
    ck.add_argument("-q", "--quiet", action="store_true", help="只打印问题：不打印汇总和进度")
    ck.add_argument("-j", "--jobs", type=_jobs, metavar="N", help="并行进程数（默认：8 个文件以上时用全部 CPU）")
    ck.add_argument("--no-cache", action="store_true", help="不读也不写结果缓存")
    ck.add_argument("--timeout", type=_seconds, metavar="秒",
                    help="每个文件的检查时间上限，超过时报告 GK007（未检查）并继续（默认 120，或配置中的 timeout；0 不限）")
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
    ck.add_argument("--pair-with-repository", action="store_true",
                    help="在 git 仓库中：把每份报告与仓库已跟踪文件中同一机关上一年度的报告做跨年度核对"
                         "（只用其数据，不报告它本身的问题；pre-commit 钩子默认开启）")
    ck.set_defaults(run=_check)


def _jobs(text: str) -> int:
    import argparse

    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"并行进程数应为正整数（1、2、…），而不是 {text!r}")
    return n


def _seconds(text: str) -> float:
    import argparse

    from gklint.policy.config import ConfigError, timeout_value

    try:
        return timeout_value(float(text), "--timeout")
    except (ValueError, ConfigError):
        raise argparse.ArgumentTypeError(f"应为秒数（正数，0 表示不限），而不是 {text!r}") from None


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

    from gklint.policy.config import ConfigError, Overrides, Resolver
    from gklint.readers import SUFFIXES, listed_suffixes
    from gklint.ruleset.loader import RuleSetError, load
    from gklint.run.runner import default_jobs, discover, run

    start = time.perf_counter()
    overrides = Overrides(select=args.select, extend_select=args.extend_select, ignore=args.ignore,
                          fail_on=args.fail_on, ruleset=args.ruleset, agency_kind=args.agency_kind,
                          output_format=args.format, no_cache=args.no_cache, baseline=args.baseline,
                          min_severity=args.min_severity, timeout=args.timeout)
    try:
        resolver = Resolver(overrides, args.config)
        if args.show_settings:
            return _show_settings(args, resolver)
        found = discover(args.paths, resolver, SUFFIXES)
        files, missing = found.files, found.missing
        settings = [resolver.for_path(f) for f in files]
        base = resolver.for_path(".")
    except ConfigError as exc:
        return error(f"配置错误：{exc}")
    why = None if args.statistics else output.unusable(args.format or base.output_format, args.output_file,
                                                       sys.stdout)
    if why:
        return error(why)
    from gklint.checks import catalog

    try:  # a broken rule set is the user's configuration error, reported once, before any file is read
        used = {s.ruleset for s in settings if s.ruleset}
        for ref in used:
            catalog([load(ref)])
        if _bad_selection([base] + settings, args):
            return EXIT_ERROR
    except RuleSetError as exc:
        return error(f"规则集错误：{exc}")
    for path in missing:
        error(f"{path}: 文件或目录不存在")
    for path in found.empty:
        error(f"警告：{path} 中没有可检查的文件（{listed_suffixes()}）")

    jobs = args.jobs or default_jobs(len(files))
    show_progress = (not args.quiet and len(files) >= PROGRESS_FROM and sys.stderr.isatty()
                     and not os.environ.get("NO_COLOR"))
    previous = None
    if args.previous:
        if not os.path.isfile(args.previous):
            return error(f"{args.previous}: --previous 指定的文件不存在")
        if files and all(os.path.realpath(f) == os.path.realpath(args.previous) for f in files):
            return error(f"{args.previous}: --previous 指定的就是要检查的报告本身，无法与自身比较；"
                         "请指定同一机关上一年度的报告")
        previous = (args.previous, resolver.for_path(args.previous))
    context = _repository_context(resolver, SUFFIXES) if args.pair_with_repository and not previous else None
    if show_progress:
        results = _run_with_progress(files, settings, jobs, previous, context, args.jobs)
    else:
        results = run(files, settings, jobs, previous=previous, context=context, context_jobs=args.jobs)
    from gklint.policy import baseline
    from gklint.policy.apply import apply

    try:
        stale = apply(results, settings, use_baseline=not args.write_baseline)
    except baseline.BaselineError as exc:
        return error(str(exc))
    if args.write_baseline:
        try:
            n = baseline.write(args.write_baseline, results)
        except baseline.BaselineError as exc:
            return error(str(exc))
        unread = sum(1 for r in results if r.unreadable)
        print(f"已把 {len(results)} 个文件的 {n} 个问题写入基线 {args.write_baseline}"
              f"（之后用 --baseline {args.write_baseline} 只报告新问题）"
              + (f"；{unread} 个文件无法读取，未记入基线" if unread else ""), file=sys.stderr)
        return EXIT_ERROR if missing else EXIT_UNREADABLE if any(r.unreadable for r in results) else EXIT_OK
    hidden = sum(1 for r in results for x in r.suppressed if x.by == "baseline")
    if not args.show_suppressed:
        for r in results:
            r.suppressed = []
    if args.annotate:
        _annotate_batch(args.annotate, results, settings)
    elapsed = time.perf_counter() - start

    fmt = args.format or base.output_format
    _emit(args, fmt, results, elapsed, found.unsupported, stale, hidden)

    if args.exit_zero:
        return EXIT_ERROR if missing else EXIT_OK
    if missing:
        return EXIT_ERROR
    if any(r.unreadable for r in results):
        return EXIT_UNREADABLE
    levels = {"warning": ("warning", "error"), "error": ("error",)}
    if any(f.severity in levels[s.fail_on] for r, s in zip(results, settings) for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _bad_selection(settings, args) -> bool:
    """A selected code or prefix that no rule set in use has checks nothing: an error, not a false all-clear."""
    from gklint.policy.config import unknown_codes
    from gklint.checks import catalog
    from gklint.ruleset.loader import NATIONAL, load

    from_cli = set(args.select or ()) | set(args.extend_select)
    seen, bad = set(), False
    for s in settings:
        if (s.select, s.extend_select, s.ruleset) in seen or (s.select == ("ALL",) and not s.extend_select):
            continue  # the default selection always exists: no rule set to load for it
        seen.add((s.select, s.extend_select, s.ruleset))
        refs = [s.ruleset] if s.ruleset else list(NATIONAL)  # by report year: any national rule set
        rules = catalog([load(r) for r in refs])
        for code in unknown_codes(s, rules):
            import difflib

            where = "--select / --extend-select" if code in from_cli else f"{s.source}: select / extend-select"
            close = difflib.get_close_matches(code, list(rules), n=1, cutoff=0.6)
            error(f"{where}：{code!r} 不是所用规则集（{'、'.join(refs)}）中的规则代码或前缀"
                  + (f"（是不是 {close[0]}？）" if close else "") + "（gklint rules 列出全部规则）")
            bad = True
    return bad


def _annotate_batch(directory: str, results, settings) -> None:
    """check --annotate DIR: an annotated copy of every readable .docx, its folders mirrored in DIR. Checked in
    worker processes or taken from the cache, each file is read once more here, in this process."""
    from gklint.output.annotate import annotate_report, default_output
    from gklint.run.engine import read_report

    for r, s in zip(results, settings):
        if not r.path.lower().endswith(".docx"):
            error(f"{r.path}: 不是 .docx 文件，只有 Word 文档可以加批注，未生成批注副本")
            continue
        if r.unreadable:
            error(f"{r.path}: 无法读取，未生成批注副本")
            continue
        rel = os.path.relpath(os.path.abspath(r.path))
        if rel.startswith(".."):
            rel = os.path.basename(r.path)
        out = os.path.join(directory, default_output(rel))
        os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
        if os.path.exists(out) and os.path.samefile(out, r.path):
            error(f"{out}: 与被检查的文件相同，不覆盖")
            continue
        try:
            annotate_report(read_report(r.path, s.ruleset)[1], out, r.findings)
        except OSError:
            raise
        except Exception as exc:  # a package gklint could read but cannot write comments into
            error(f"{r.path}: 无法生成批注副本（{type(exc).__name__}: {exc}）")


def _repository_context(resolver, suffixes):
    """--pair-with-repository: where the earlier reports of the checked ones may be (run/repository.py)."""
    from gklint.run.repository import tiers

    def context(results):
        found = tiers(results, suffixes, lambda f: resolver.for_path(f).excluded(f))
        return [[(f, resolver.for_path(f)) for f in tier] for tier in found]
    return context


def _run_with_progress(files, settings, jobs, previous, context=None, context_jobs=None):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from gklint.run.runner import run

    columns = (TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("check", total=len(files))
        return run(files, settings, jobs, advance=lambda: progress.advance(task), previous=previous, context=context,
                   context_jobs=context_jobs)


def _rules_for(results) -> dict:
    from gklint.checks import catalog
    from gklint.ruleset.loader import RuleSetError, load

    refs = sorted({r.ruleset_path for r in results if r.ruleset_path}) or ["gb2021"]
    loaded = []
    for ref in refs:
        try:
            loaded.append(load(ref))
        except RuleSetError:  # loaded fine for the check; gone since (a reinstall): describe the rest
            continue
    return catalog(loaded or [load("gb2021")])


def _emit(args, fmt, results, elapsed, unsupported=(), stale=(), hidden=0) -> None:
    from gklint.output import full, machine
    from gklint.output.suppressed import render, render_stale

    summary_line = full.summary(results, elapsed, unsupported, hidden)
    width = None if args.output_file else full.terminal_width()  # drawn tables fit a terminal, not a file
    if args.statistics:
        rows = machine.statistics(results, _rules_for(results))
        if fmt == "json":
            import json

            text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        else:
            text = machine.statistics_text(rows)
    elif fmt == "full" and not args.output_file and not os.environ.get("NO_COLOR") and (
            sys.stdout.isatty() or os.environ.get("FORCE_COLOR")):
        from rich.console import Console

        full.print_rich(full.render(results, elapsed, quiet=True, width=width), Console(highlight=False))
        text = None
    else:
        text = output.render(fmt, results, output.Run(elapsed, list(unsupported), list(stale),
                                                       lambda: _rules_for(results), width))
    line_format = output.get(fmt).line
    if line_format and not args.statistics:
        tail = (render(results) if args.show_suppressed else "") + render_stale(stale)
        if text is None:
            sys.stdout.write(tail)
        else:
            text += tail
    elif stale:
        sys.stderr.write(render_stale(stale))
    if text is not None:
        emit(text, args.output_file)
    if not args.quiet and (line_format or args.output_file):
        print(summary_line, file=sys.stderr)


