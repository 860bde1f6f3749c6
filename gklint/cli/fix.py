"""`gklint fix`: the corrections gklint is sure of, as tracked changes (修订) in a copy of the Word draft
(or edits in a copy of a text file); `--diff` shows them without writing. Exit codes as ruff's: 0 nothing
left, 1 findings remain for a person, 2 usage, configuration or a file that cannot be fixed."""

from __future__ import annotations

import os

from gklint.cli.common import (AGENCY_HELP, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, RULESET_HELP,
                               catalog_or_error, error)

FIXABLE = (".docx", ".txt", ".text", ".md", ".markdown")


def add(sub) -> None:
    fx = sub.add_parser("fix", help="把能确定的修改写成 Word 修订（另存副本），其余列出由人处理",
                        description="把 gklint 能确定的修改（如合计关系指出的那一个错误单元格）写成 Word 修订和批注，"
                                    "另存一份副本；原文件从不修改。文本文件（.txt .md）同样另存副本，编码不变。",
                        epilog="退出码：0 没有剩余问题，1 仍有问题需人工处理（--diff：有修改或有问题），"
                               "2 用法或配置错误、文件不存在、网页或 PDF（无法修改）。")
    fx.add_argument("paths", nargs="+", metavar="路径", help="要修改的 .docx、.txt、.md 文件或目录")
    fx.add_argument("-o", "--output", metavar="文件", help="输出的副本（只修改一个文件时；默认：文件名.gklint-fix.docx）")
    fx.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    fx.add_argument("--diff", action="store_true", help="只显示修改前后文字的差异（unified diff），不写任何文件")
    fx.add_argument("--unsafe-fixes", action="store_true",
                    help="也做不安全的修改（很可能正确但不确定，如正文数字按表格改正），请逐条核对")
    fx.add_argument("--config", metavar="路径", help="使用这个配置文件（不再向上查找）")
    fx.add_argument("--ruleset", metavar="名称|路径", help=RULESET_HELP)
    fx.add_argument("--agency-kind", choices=("auto", "department", "government"), help=AGENCY_HELP)
    fx.set_defaults(run=_fix)


def _fix(args) -> int:
    from gklint.policy.config import ConfigError, Overrides, Resolver
    from gklint.readers import SUFFIXES
    from gklint.run.runner import discover

    single = len(args.paths) == 1 and not os.path.isdir(args.paths[0])
    if args.output and not single:
        return error("-o 只能用于修改一个文件")
    for path in args.paths:
        if not os.path.exists(path):
            return error(f"{path}: 文件或目录不存在")
        if not os.path.isdir(path) and not path.lower().endswith(FIXABLE):
            return error(f"{path}: 无法修改这种文件；gklint fix 只修改 Word（.docx）和文本（.txt .md）文件"
                         "（网页、PDF 请用 gklint check 查看问题，或用 gklint annotate 给 Word 文档加批注）")
    try:
        resolver = Resolver(Overrides(ruleset=args.ruleset, agency_kind=args.agency_kind), args.config)
        found = discover(args.paths, resolver, SUFFIXES)
    except ConfigError as exc:
        return error(f"配置错误：{exc}")
    files = [f for f in found.files if f.lower().endswith(FIXABLE) and ".gklint-fix." not in os.path.basename(f)]
    cannot = [f for f in found.files if not f.lower().endswith(FIXABLE)]
    outputs = {}
    for f in files:
        out = args.output if single and args.output else _default_output(f)
        if not args.diff:
            if os.path.exists(out) and os.path.samefile(out, f):
                return error(f"{out}: 输出文件不能是原文件本身，原文件从不修改")
            if os.path.exists(out) and not args.force:
                return error(f"{out}: 已存在；加 --force 覆盖，或用 -o 指定另一个文件名")
        outputs[f] = out
    try:
        settings = [resolver.for_path(f) for f in files]
    except ConfigError as exc:
        return error(f"配置错误：{exc}")
    for ref in {s.ruleset for s in settings if s.ruleset}:
        if catalog_or_error(ref) is None:
            return EXIT_ERROR
    return _fix_files(args, files, settings, outputs, cannot)


def _default_output(path: str) -> str:
    from gklint.output.fix import default_output

    return default_output(path)


def _fix_files(args, files, settings, outputs, cannot) -> int:
    from gklint.checks import catalog
    from gklint.output import fix as fixout
    from gklint.policy import baseline
    from gklint.policy.apply import apply
    from gklint.checks.fixes import plan
    from gklint.ruleset.loader import load
    from gklint.run.runner import run

    results = run(files, settings, 1, keep_reports=True)  # fixed from this check: each file is read once
    try:
        apply(results, settings)
    except baseline.BaselineError as exc:
        return error(str(exc))
    status, totals = EXIT_OK, {"fixed": 0, "files": 0, "left": 0, "hidden": 0}
    reasons: dict[str, int] = {}
    for r, s in zip(results, settings):
        if r.unreadable:
            error(f"{r.path}: {r.findings[0].message}，未修改")
            status = status if status == EXIT_ERROR else EXIT_UNREADABLE  # as check: 2, then 3, then 1
            continue
        findings = r.findings
        if r.skipped or not findings:
            continue
        rules = catalog([load(r.ruleset_path or r.template)])
        p = plan(findings, rules, args.unsafe_fixes)
        docx = r.path.lower().endswith(".docx")
        try:
            done = (fixout.fix_docx if docx else fixout.fix_text)(r.report.document.source if docx else r.path,
                                                                  None if args.diff else outputs[r.path], p.edits)
        except fixout.FixError as exc:
            error(f"{r.path}: {exc}")
            status = EXIT_ERROR
            continue
        except Exception as exc:  # a package gklint could read but cannot edit
            error(f"{r.path}: 无法生成修改后的副本（{type(exc).__name__}: {exc}）")
            status = EXIT_ERROR
            continue
        left = [(x.finding, x.reason) for x in p.left] + [(e.finding, why) for e, why in done.failed]
        _report(args, r.path, outputs[r.path], done, p, left)
        totals["fixed"] += len(done.applied) + (len(p.resolved) if done.applied else 0)
        totals["files"] += bool(done.applied)
        totals["left"] += len(left) + (0 if done.applied else len(p.resolved))
        totals["hidden"] += p.unsafe_hidden
        for _, why in left:
            reasons[why] = reasons.get(why, 0) + 1
        if left or (args.diff and done.applied) or (p.resolved and not done.applied):
            status = max(status, EXIT_FINDINGS) if status != EXIT_ERROR else status
    for path in cannot:
        print(f"{path}: 网页或 PDF 无法修改，请用 gklint check 查看问题")
    if len(files) + len(cannot) > 1 or cannot:
        _summary(args, totals, reasons, len(cannot))
    if cannot and status == EXIT_OK:
        status = EXIT_FINDINGS
    return status


def _report(args, path, out, done, p, left) -> None:
    if args.diff:
        from gklint.output.fix import unified_diff

        text = unified_diff(os.path.basename(path), done)
        if text:
            print(text)
    verb = "可修改" if args.diff else "已修改"
    head = f"{path}：{verb} {len(done.applied)} 个问题"
    if done.applied and not args.diff:
        head += f"，写入 {out}（Word 中在“审阅”里逐条接受或拒绝）" if out.lower().endswith(".docx") else f"，写入 {out}"
    if left:
        head += f"；{len(left)} 个需人工处理"
    print(head)
    for e in done.applied:
        shown = e.old or "空白"
        print(f"  {verb} {e.finding.code} {shown} → {e.new}{'（不安全）' if e.safety == 'unsafe' else ''}：{e.why}")
    for f in p.resolved if done.applied else ():
        print(f"  随之解决 {f.code} {f.message}")
    for f, why in left:
        print(f"  需人工 {f.code} {f.message}（{why}）")


def _summary(args, totals, reasons, cannot: int) -> None:
    verb = "可修改" if args.diff else "修改了"
    line = f"共{verb} {totals['fixed']} 个问题（{totals['files']} 个文件），{totals['left']} 个问题需人工处理"
    if reasons:
        line += "：" + "；".join(f"{n} 个{why}" for why, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
    if cannot:
        line += f"；{cannot} 个网页或 PDF 文件无法修改"
    print(line)
    if totals["hidden"] and not args.unsafe_fixes:
        print(f"另有 {totals['hidden']} 个不安全的修改，加 --unsafe-fixes 才会做（请逐条核对）")

