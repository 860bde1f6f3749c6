"""Rule kinds (Python, one module each) and the rule instances a rule set declares in TOML."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from gklint.findings import SEVERITIES, Finding, excerpt
from gklint.ruleset import RuleSet, RuleSetError

KINDS = ("sections", "content", "tables", "cells", "identity", "dates", "text_table", "text_sums", "patterns",
         "template")
_COMMON_KEYS = {"kind", "name", "severity", "summary", "doc", "example", "fix", "enabled"}


@dataclass
class Rule:
    code: str
    kind: str
    name: str
    severity: str
    summary: str
    params: dict = field(default_factory=dict)
    doc: str = ""
    example: str = ""
    fix: str = ""

    def finding(self, message: str, location: dict, expected=None, found=None, text=None, span=None) -> Finding:
        """`text` and `span` (start, end): the paragraph a text finding is about and the offending part."""
        snippet, rel = excerpt(text, *(span or (0, 0))) if text else (None, None)
        return Finding(self.code, self.severity, message, location,
                       None if expected is None else str(expected), None if found is None else str(found),
                       snippet, rel)


@dataclass
class Context:
    ruleset: RuleSet
    agency_kind: str = "auto"  # "department", "government" (本级政府) or "auto" (from the agency's name)


# Findings the engine itself raises, not a rule set (so they cannot be disabled).
ENGINE_RULES = {
    "GK001": Rule("GK001", "engine", "unreadable", "error", "文件无法读取，或不是 gklint 支持的格式",
                  doc="文件为空、损坏、加密、格式不支持（.doc、.wps）或编码无法识别时报告，说明具体原因。"
                      "此问题不能通过 ignore 关闭：无法检查的文件不应被当作合格。",
                  example="把旧版 Word 的 .doc 文件改名为 .docx 后检查。",
                  fix="用 Word 或 WPS 另存为 .docx，或导出为 UTF-8 文本后再检查。"),
    "GK005": Rule("GK005", "engine", "suppression-without-reason", "info", "忽略批注或注释行没有写理由",
                  doc="Word 批注“gklint: ignore 代码 理由”或文本中的同名注释行只写了规则代码、没有写理由时报告。"
                      "被忽略的问题仍然忽略；写明理由便于审核人员判断这一偏差为什么可以接受。",
                  example="在表格单元格上添加批注“gklint: ignore GK304”。",
                  fix="在代码后写明理由，例如“gklint: ignore GK304 本单位复议案件含上年结转，经法制科确认”。"),
    "GK006": Rule("GK006", "engine", "unused-suppression", "info", "忽略批注或注释行没有忽略任何问题",
                  doc="忽略批注或注释行所在的位置（段落、单元格、行或表格）没有它列出的问题，或者没有写规则代码时报告"
                      "（类似 ruff 的 RUF100）。问题修正后应删除不再需要的忽略，以免以后掩盖新的问题。",
                  example="“gklint: ignore GK503 暂缺数据”所在段落的占位内容已经填写。",
                  fix="删除这条批注或注释行；如确需保留，检查规则代码是否写对、批注是否加在出问题的位置上。"),
}


def catalog(rulesets) -> dict[str, Rule]:
    """Every rule of the given rule sets by code (the first rule set wins), plus the engine's."""
    out = dict(ENGINE_RULES)
    for rs in rulesets:
        for rule in rules_of(rs):
            out.setdefault(rule.code, rule)
    return dict(sorted(out.items()))


def make_rule(code: str, spec, ruleset: RuleSet) -> Rule | None:
    """One [rules.CODE] entry, validated against its kind's keys; None when it is disabled."""
    where = f"{ruleset.path}: rules.{code}"
    if not isinstance(spec, dict):
        raise RuleSetError(f"{where} 必须是表（table）")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise RuleSetError(f"{where}.kind：未知的规则类型 {kind!r}（可用：{', '.join(KINDS)}）")
    module = importlib.import_module(f"gklint.rules.{kind}")
    allowed = _COMMON_KEYS | set(getattr(module, "PARAMS", ()))
    for key in spec:
        if key not in allowed:
            raise RuleSetError(f"{where}：未知的键 {key!r}（{kind} 类规则允许：{', '.join(sorted(allowed))}）")
    severity = spec.get("severity", "error")
    if severity not in SEVERITIES:
        raise RuleSetError(f"{where}.severity：{severity!r} 不是 error、warning 或 info")
    rule = Rule(code, kind, spec.get("name", code), severity, spec.get("summary", ""),
                {k: v for k, v in spec.items() if k not in _COMMON_KEYS},
                spec.get("doc", ""), spec.get("example", ""), spec.get("fix", ""))
    if hasattr(module, "validate"):
        module.validate(rule, ruleset, where)
    return rule if spec.get("enabled", True) is not False else None


_VALIDATED: dict[int, tuple[RuleSet, list[Rule]]] = {}  # rule sets are immutable once loaded


def rules_of(ruleset: RuleSet) -> list[Rule]:
    """The enabled rules of a rule set, validated (once per process)."""
    hit = _VALIDATED.get(id(ruleset))
    if hit and hit[0] is ruleset:
        return hit[1]
    out = [r for code, spec in ruleset.raw.get("rules", {}).items() if (r := make_rule(code, spec, ruleset))]
    _VALIDATED[id(ruleset)] = (ruleset, out)
    return out


def run(report, ruleset: RuleSet, ctx: Context) -> list[Finding]:
    by_kind: dict[str, list[Rule]] = {}
    for rule in rules_of(ruleset):
        by_kind.setdefault(rule.kind, []).append(rule)
    findings: list[Finding] = []
    for kind in KINDS:
        if kind in by_kind:
            module = importlib.import_module(f"gklint.rules.{kind}")
            for rule in by_kind[kind]:
                findings.extend(module.check(report, rule, ctx))
    return findings
