"""Outputs: what a run found, in the formats users read. A new format is one function `(results, run) -> str`
in its module and one FORMATS entry: `--output-format`, its help and the config's `output-format` follow.
A binary format's function returns bytes (a workbook): it is written to a file or a pipe, never a terminal."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Format:
    name: str
    function: str  # "module:function", imported when the format is used
    line: bool = False  # a line format: --show-suppressed and stale baseline entries follow it, the summary line too
    binary: bool = False  # returns bytes, not text
    requires: tuple[str, str] | None = None  # (module, pip extra) of an optional library the format needs


@dataclass
class Run:
    """What a format may show of the run besides the results."""
    elapsed: float
    unsupported: list = field(default_factory=list)  # files found but not checked
    stale: list = field(default_factory=list)  # baseline entries that no longer occur
    rules: object = None  # () -> the rules of the rule sets used, by code (SARIF describes them)
    width: int | None = None  # the terminal's columns the drawn tables fit in; None: as wide as they are


FORMATS = (
    Format("full", "gklint.output.full:as_text", line=True),
    Format("concise", "gklint.output.machine:concise_output", line=True),
    Format("json", "gklint.output.machine:json_output"),
    Format("sarif", "gklint.output.machine:sarif_output"),
    Format("github", "gklint.output.machine:github_output"),
    Format("junit", "gklint.output.machine:junit_output"),
    Format("html", "gklint.output.html:html_output"),
    Format("csv", "gklint.output.csvout:csv_output"),
    Format("xlsx", "gklint.output.xlsx:xlsx_output", binary=True, requires=("openpyxl", "xlsx")),
)
NAMES = tuple(f.name for f in FORMATS)


def get(name: str) -> Format:
    return next(f for f in FORMATS if f.name == name)


def render(name: str, results, run: Run) -> str | bytes:
    module, function = get(name).function.split(":")
    return getattr(importlib.import_module(module), function)(results, run)


def unusable(name: str, output_file: str | None, stdout) -> str | None:
    """Why the format cannot be written here (in Chinese), before any file is checked; None when it can."""
    f = get(name)
    if f.requires:
        module, extra = f.requires
        try:
            importlib.import_module(module)
        except ImportError:
            return f"输出格式 {name} 需要 {module}，请先安装：pip install 'gklint[{extra}]'"
    if f.binary and not output_file and stdout.isatty():
        return f"输出格式 {name} 是二进制文件，不能打印到终端：请用 -o 指定输出文件，如 -o 结果.{name}"
    return None
