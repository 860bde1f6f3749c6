"""What every command shares: exit codes, the Chinese argparse, help texts, error lines."""

from __future__ import annotations

import argparse
import sys

from gklint.readers import formats_help

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_UNREADABLE = 3  # some files could not be read (the others were checked): not a usage error
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report them
EPILOG = ("退出码：0 没有问题；1 有问题（达到 --fail-on 的级别）；2 用法、配置或规则集错误，或路径不存在；"
          "3 有文件无法读取（其余文件照常检查并输出）；130 被 SIGINT（Ctrl-C）中断；143 被 SIGTERM 终止。"
          "几种情况同时出现时取靠前的：2，其次 3，其次 1。")
PROGRESS_FROM = 10  # files; fewer finish before a progress bar would be worth drawing


def codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


FORMATS = formats_help()
AGENCY_HELP = "发布期限：department 部门（1月31日），government 本级政府（3月31日），auto 按机关名称判断（默认）"
RULESET_HELP = "规则集：内置名称（pre2019、gb2019、gb2021）或 .toml 路径（默认按报告年度选择）"


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with Chinese headings and help (the office users read Chinese); argparse's own error details
    stay as argparse words them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, add_help=False, formatter_class=_Formatter, **kwargs)
        self._positionals.title, self._optionals.title = "参数", "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: 错误：{_chinese(message)}{_choice_hint(message)}\n")


_ARGPARSE_ZH = (  # argparse's common messages, for the office users; anything else is shown as it is
    (r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$", r"参数 \1：无效的取值 \2（可选：\3）"),
    (r"^argument (\S+): invalid (\w+) value: (.+)$", r"参数 \1：无效的值 \3"),
    (r"^argument (\S+): expected one argument$", r"参数 \1 需要一个值"),
    (r"^the following arguments are required: (.+)$", r"缺少参数：\1"),
    (r"^unrecognized arguments: (.+)$", r"无法识别的参数：\1"),
    (r"^argument (\S+): (.+)$", r"参数 \1：\2"),  # our own type checks (-j 0): already in Chinese
)


def _choice_hint(message: str) -> str:
    """'（是不是 json？）' for a misspelt choice (--output-format jsn); argparse words the list of choices with
    or without quotes depending on the Python version."""
    import difflib
    import re

    m = re.match(r"^argument \S+: invalid choice: '?([^']*?)'? \(choose from (.+)\)$", message)
    if not m or "maybe you meant" in message:
        return ""
    choices = [c.strip().strip("'") for c in m.group(2).split(",")]
    close = difflib.get_close_matches(m.group(1), choices, n=1, cutoff=0.6)
    return f"（是不是 {close[0]}？）" if close else ""


def _chinese(message: str) -> str:
    import re

    for pattern, replacement in _ARGPARSE_ZH:
        if re.match(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


def option_hint(parser: argparse.ArgumentParser, command: str | None, words: list[str]) -> str:
    """'（是不是 --output-format？）' for misspelt options, from the command's own options (argparse before
    Python 3.12 suggests nothing, and none suggests options; --foo=1 is matched on --foo)."""
    import difflib

    parsers = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            parsers.append(action.choices[command])
    options = sorted({o for p in parsers for o in p._option_string_actions if o.startswith("--")})
    hints = []
    for word in words:
        name = word.split("=", 1)[0]
        if name.startswith("--"):
            close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
            if close:
                hints.append(f"{name} 是不是 {close[0]}？")
    return f"（{'；'.join(hints)}）" if hints else ""


def error(message: str) -> int:
    from gklint.output.text import clean

    print(f"gklint: {clean(message)}", file=sys.stderr)
    return EXIT_ERROR


def catalog_or_error(ref: str) -> dict | None:
    """The rules of a rule set by code; None (after saying why) when it cannot be loaded."""
    from gklint.checks import catalog
    from gklint.ruleset.loader import RuleSetError, load

    try:
        return catalog([load(ref)])
    except RuleSetError as exc:
        error(f"规则集错误：{exc}")
        return None


def emit(text, output_file: str | None) -> None:
    """Text or a binary file (a workbook, a Word document) to `output_file`, else to stdout (a binary format
    reaches here only for a pipe: a terminal was refused before)."""
    binary = isinstance(text, bytes)
    if output_file:
        with open(output_file, "wb") if binary else open(output_file, "w", encoding="utf-8") as fh:
            fh.write(text)
    elif binary:
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)
