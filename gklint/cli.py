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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            return _extract(args)
        _parser().print_help()
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
