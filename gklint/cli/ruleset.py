"""`gklint ruleset check|test`: for rule-set authors."""

from __future__ import annotations

import sys

from gklint.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Parser


def add(sub) -> None:
    rs = sub.add_parser("ruleset", help="规则集作者用：校验规则集，运行它的样例",
                        description="规则集作者用：校验规则集，运行它的 [[tests]] 样例。")
    rs_sub = rs.add_subparsers(dest="action", metavar="操作", required=True, parser_class=Parser)
    rc = rs_sub.add_parser("check", help="列出规则集的全部问题（文件:行: 键: 说明）",
                           description="列出规则集的全部问题，每行“文件:行: 键: 说明”。")
    rc.add_argument("rulesets", nargs="+", metavar="文件|名称", help="规则集 .toml 文件或内置名称")
    rt = rs_sub.add_parser("test", help="运行规则集的 [[tests]] 样例", description="运行规则集的 [[tests]] 样例。")
    rt.add_argument("rulesets", nargs="+", metavar="文件|名称", help="规则集 .toml 文件或内置名称")
    rs.set_defaults(run=_ruleset)


def _ruleset(args) -> int:
    from gklint.run import authoring
    from gklint.output.text import clean

    status = EXIT_OK
    for ref in args.rulesets:
        if args.action == "check":
            problems = authoring.check(ref)
            for p in problems:
                print(clean(str(p)))
            print(f"{ref}: " + (f"{len(problems)} 个问题" if problems else "没有问题"), file=sys.stderr)
            status = max(status, EXIT_FINDINGS if problems else EXIT_OK)
            continue
        problems = authoring.check(ref)
        if problems:  # cases of a broken rule set cannot run
            for p in problems:
                print(clean(str(p)))
            status = EXIT_ERROR
            continue
        results = authoring.run_tests(ref)
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


