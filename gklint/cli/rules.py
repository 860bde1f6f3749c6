"""`gklint rules` and `gklint rule CODE`: the rules of a rule set and one rule's documentation."""

from __future__ import annotations

from gklint.cli.common import EXIT_ERROR, EXIT_OK, catalog_or_error, error


def add(sub) -> None:
    rl = sub.add_parser("rules", help="列出规则集的规则", description="列出规则集的规则。")
    rl.add_argument("--ruleset", default="gb2021", metavar="名称|路径", help="规则集（默认 gb2021）")
    rl.add_argument("--format", choices=("table", "json"), default="table", help="输出格式（默认 table）")
    ru = sub.add_parser("rule", help="说明一条规则：检查什么、为什么、示例、怎么改",
                        description="说明一条规则：检查什么、为什么、依据、示例、怎么改。")
    ru.add_argument("code", metavar="代码", help="规则代码，如 GK304")
    ru.add_argument("--ruleset", default="gb2021", metavar="名称|路径", help="规则集（默认 gb2021）")
    rl.set_defaults(run=_rules)
    ru.set_defaults(run=_rule)


def _rules(args) -> int:
    import json

    from gklint.output.full import SEVERITY_NAME
    from gklint.output.text import pad, truncate, width

    rules = catalog_or_error(args.ruleset)
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


def _rule(args) -> int:
    rules = catalog_or_error(args.ruleset)
    if rules is None:
        return EXIT_ERROR
    rule = rules.get(args.code.upper())
    if rule is None:
        return error(f"规则集 {args.ruleset} 中没有规则 {args.code}（gklint rules 列出全部规则）")
    from gklint.output.full import SEVERITY_NAME

    from gklint.checks.registry import TITLES

    kind = TITLES.get(rule.kind, rule.kind)
    print(f"{rule.code} {rule.name}（{SEVERITY_NAME[rule.severity]}，{kind}类规则 {rule.kind}）\n\n{rule.summary}")
    for title, text in (("说明", rule.doc), ("依据", rule.basis), ("示例", rule.example), ("修改", rule.remedy),
                        ("自动修改", FIX_NAMES.get(rule.fix, "") if rule.kind != "engine" else "")):
        if text:
            print(f"\n{title}：{text}")
    return EXIT_OK


FIX_NAMES = {"safe": "gklint fix 可自动修改（安全：只在答案唯一时修改）",
             "unsafe": "gklint fix --unsafe-fixes 可自动修改（不安全：很可能正确，请逐条核对）",
             "": "无（gklint fix 不修改此类问题，需人工处理）"}
