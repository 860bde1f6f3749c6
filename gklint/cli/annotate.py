"""`gklint annotate`: a copy of one .docx with every finding as a Word comment."""

from __future__ import annotations

import os
import sys

from gklint.cli.common import (AGENCY_HELP, EXIT_ERROR, EXIT_OK, EXIT_UNREADABLE, RULESET_HELP, catalog_or_error,
                               error)


def add(sub) -> None:
    an = sub.add_parser("annotate", help="另存一份 .docx，把每个问题写成 Word 批注",
                        description="另存一份 .docx，把每个问题写成 Word 批注；原文件从不修改。")
    an.add_argument("file", metavar="文件", help="要加批注的 .docx")
    an.add_argument("-o", "--output", metavar="文件", help="输出的副本（默认：同目录下的 文件名.gklint.docx）")
    an.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    an.add_argument("--config", metavar="路径", help="使用这个配置文件（不再向上查找）")
    an.add_argument("--ruleset", metavar="名称|路径", help=RULESET_HELP)
    an.add_argument("--agency-kind", choices=("auto", "department", "government"), help=AGENCY_HELP)
    an.set_defaults(run=_annotate)


def _convert_hint(path: str) -> str:
    """The way forward for an old .doc or a .wps: save it as .docx, in Word/WPS or with LibreOffice."""
    import shlex

    kind = "WPS 文字（.wps）" if path.lower().endswith(".wps") else "旧版 Word（.doc）"
    folder = os.path.dirname(path) or "."
    return (f"{path}: 是{kind}文件，gklint annotate 只能给 .docx 加批注。请先转换为 .docx：用 Word 或 WPS 打开，"
            f"“另存为”Word 文档（*.docx）；或运行 soffice --headless --convert-to docx --outdir "
            f"{shlex.quote(folder)} {shlex.quote(path)}，再对生成的 .docx 运行 gklint annotate")


def _annotate(args) -> int:
    from gklint.output.annotate import annotate_report, default_output
    from gklint.policy.config import ConfigError, Overrides, Resolver
    from gklint.run.runner import run

    path = args.file
    if not os.path.isfile(path):
        return error(f"{path}: 文件不存在")
    if path.lower().endswith((".doc", ".wps")):
        return error(_convert_hint(path))
    if not path.lower().endswith(".docx"):
        return error(f"{path}: 不是 .docx 文件；gklint annotate 只能给 Word 文档加批注"
                      "（文本、网页、PDF 请用 gklint check 查看问题）")
    out = args.output or default_output(path)
    folder = os.path.dirname(out)
    if folder and not os.path.isdir(folder):
        if os.path.exists(folder):
            return error(f"{folder}: 不是目录，无法写入输出文件")
        return error(f"输出目录不存在：{folder}")
    if os.path.exists(out) and os.path.samefile(out, path):
        return error(f"{out}: 输出文件不能是原文件本身，原文件从不修改")
    if os.path.exists(out) and not args.force:
        return error(f"{out}: 已存在；加 --force 覆盖，或用 -o 指定另一个文件名")
    try:
        resolver = Resolver(Overrides(ruleset=args.ruleset, agency_kind=args.agency_kind), args.config)
        settings = [resolver.for_path(path)]
    except ConfigError as exc:
        return error(f"配置错误：{exc}")
    if settings[0].ruleset and catalog_or_error(settings[0].ruleset) is None:
        return EXIT_ERROR
    results = run([path], settings, 1, keep_reports=True)  # annotated from this check: the file is read once
    from gklint.policy import baseline
    from gklint.policy.apply import apply

    try:
        apply(results, settings)
    except baseline.BaselineError as exc:
        return error(str(exc))
    result = results[0]
    if result.unreadable:
        error(f"{path}: {result.findings[0].message}，未生成批注副本")
        return EXIT_UNREADABLE
    findings = result.findings
    try:
        done = annotate_report(result.report, out, findings)
    except OSError:
        raise
    except Exception as exc:  # a package gklint could read but cannot write comments into
        return error(f"{path}: 无法生成批注副本（{type(exc).__name__}: {exc}）")
    print(f"已写入 {out}：{len(done.placed)} 条批注"
          + (f"，{len(findings) - len(done.placed)} 个问题无法定位" if len(done.placed) < len(findings) else ""),
          file=sys.stderr)
    return EXIT_OK


