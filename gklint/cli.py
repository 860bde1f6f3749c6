"""Command line: the only place that wires readers, binding, rules and output together."""

from __future__ import annotations

import argparse
import sys

from gklint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gklint", description="Lint 政府信息公开工作年度报告 (.docx, .txt, .md).")
    p.add_argument("--version", action="version", version=f"gklint {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    ck = sub.add_parser("check", help="check reports and print findings")
    ck.add_argument("paths", nargs="+", metavar="PATH", help="files or directories (searched recursively)")
    ck.add_argument("--format", "--output-format", dest="format", choices=("concise", "json"), default="concise")
    ck.add_argument("--fail-on", choices=("error", "warning"), default="warning",
                    help="lowest severity that makes the exit code 1 (info never does)")
    ck.add_argument("--ruleset", metavar="NAME|PATH", help="rule set to apply (default: by report year)")
    ck.add_argument("--agency-kind", choices=("auto", "department", "government"), default="auto",
                    help="deadline: department (1月31日) or 本级政府 report (3月31日)")
    ex = sub.add_parser("extract", help="print what gklint understood of a report (sections, dates, every table cell)")
    ex.add_argument("files", nargs="+", metavar="FILE")
    ex.add_argument("--format", choices=("markdown", "json"), default="markdown")
    return p


def _extract(args) -> int:
    from gklint.document import ReadError
    from gklint.output.extract import to_json, to_markdown
    from gklint.readers import read
    from gklint.report.bind import bind
    from gklint.ruleset import RuleSetError

    reports, status = [], EXIT_OK
    for path in args.files:
        try:
            reports.append(bind(read(path)))
        except ReadError as exc:
            print(f"{path}: GK001 无法读取：{exc}", file=sys.stderr)
            status = EXIT_ERROR
        except RuleSetError as exc:
            print(f"gklint: 规则集错误：{exc}", file=sys.stderr)
            return EXIT_ERROR
    if args.format == "json":
        if reports:
            print(to_json(reports))
    else:
        print("\n".join(to_markdown(r) for r in reports), end="")
    return status


def _files(paths: list[str]) -> tuple[list[str], list[str]]:
    """Expand directories to the supported files below them; missing paths are reported back."""
    import os

    from gklint.readers import SUFFIXES

    files, missing = [], []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files += [os.path.join(root, n) for n in sorted(names) if n.lower().endswith(SUFFIXES)]
        elif os.path.exists(path):
            files.append(path)
        else:
            missing.append(path)
    return files, missing


def _check(args) -> int:
    import json

    from gklint.engine import check_file
    from gklint.findings import describe
    from gklint.ruleset import RuleSetError

    files, missing = _files(args.paths)
    for path in missing:
        print(f"gklint: {path}: 文件或目录不存在", file=sys.stderr)
    results = []
    try:
        for path in files:
            results.append(check_file(path, args.ruleset, args.agency_kind))
    except RuleSetError as exc:
        print(f"gklint: 规则集错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        print(json.dumps({"files": [r.to_dict() for r in results]}, ensure_ascii=False, indent=2))
    else:
        for r in results:
            for f in r.findings:
                where = describe(f.location)
                print(f"{r.path}:{f.location.get('line') or f.location.get('para') or 0}: {f.code} [{f.severity}] "
                      f"{f.message}" + (f"（{where}）" if where else ""))
        n = sum(len(r.findings) for r in results)
        print(f"检查了 {len(results)} 个文件，发现 {n} 个问题。", file=sys.stderr)
    levels = ("warning", "error") if args.fail_on == "warning" else ("error",)
    if missing or any(r.unreadable for r in results):
        return EXIT_ERROR
    if any(f.severity in levels for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "check":
            return _check(args)
        _parser().print_help()
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
