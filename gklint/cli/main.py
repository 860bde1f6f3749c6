"""Command line: the parser and the dispatch; each command is one module of this package (its `add` builds
its subparser, its `run` runs it). Imports are local to each command so that `gklint check` on a text file
never loads docx2python or rich."""

from __future__ import annotations

import argparse
import sys

from gklint import __version__
from gklint.cli import annotate, check, extract, fix, rollup, rules, ruleset, serve
from gklint.cli.common import (EPILOG, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, FORMATS, Parser,
                               error, option_hint)

COMMANDS = (check, fix, annotate, rules, ruleset, extract, rollup, serve)  # in the order `gklint -h` lists them


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="gklint", description=f"政府信息公开工作年度报告的合规检查工具。支持的格式：{FORMATS}。",
                epilog="gklint 命令 -h 查看各命令的选项。" + EPILOG)
    p.add_argument("--version", action="version", version=f"gklint {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for command in COMMANDS:
        command.add(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from gklint.run.signals import Terminated, handled

    with handled():
        try:
            return _main(argv)
        except KeyboardInterrupt:
            print("gklint: 已中断（SIGINT），检查未完成，没有输出结果", file=sys.stderr)
            return EXIT_INTERRUPTED
        except Terminated:
            print("gklint: 已终止（SIGTERM），检查未完成，没有输出结果", file=sys.stderr)
            return EXIT_TERMINATED


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command == "check" and not any(x.startswith("-") for x in extra):
        args.paths = args.paths + extra  # paths after options: check a --jobs 2 b
    elif extra:
        parser.error(f"无法识别的参数：{' '.join(extra)}{option_hint(parser, args.command, extra)}")
    if args.command == "check" and not args.paths:
        args.paths = ["."]  # the default only when no path is given at all: an explicit "." is kept
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    try:
        return args.run(args)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): not an error, and nothing more to say
        return EXIT_OK
    except OSError as exc:  # -o to a directory that does not exist, a full disk …
        return error(f"{exc.filename or ''}: {exc.strerror or exc}")

