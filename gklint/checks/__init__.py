"""Rule kinds (Python, one module each) and the rule instances a rule set declares in TOML."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from gklint.findings import Finding, excerpt
from gklint.checks.registry import COMMON_ONLY, problems
from gklint.checks.registry import KINDS as _REGISTRY
from gklint.ruleset.loader import RuleSet, RuleSetError, located_error, suggest

KINDS = tuple(_REGISTRY)  # the order rules run in


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
    remedy: str = ""  # how a person corrects it, shown by `gklint rule`
    basis: str = ""  # the legal basis (《条例》第四十九条), shown by `gklint rule`
    message: str = ""  # the rule set's own wording of the finding, replacing the kind's
    fix: str = ""  # "safe", "unsafe" or "": whether `gklint fix` may correct its findings (gklint/checks/fixes.py)

    def finding(self, message: str, location: dict, expected=None, found=None, text=None, span=None) -> Finding:
        """`text` and `span` (start, end): the paragraph a text finding is about and the offending part."""
        snippet, rel = excerpt(text, *(span or (0, 0))) if text else (None, None)
        if self.message and self.kind not in _OWN_MESSAGE:
            message = self.message
        return Finding(self.code, self.severity, message, location,
                       None if expected is None else str(expected), None if found is None else str(found),
                       snippet, rel)


_OWN_MESSAGE = ("content", "identity", "across")  # kinds that fill `message` in themselves (placeholders)


@dataclass
class Context:
    ruleset: RuleSet
    agency_kind: str = "auto"  # "department", "government" (本级政府) or "auto" (from the agency's name)


# Findings the engine itself raises, not a rule set (so they cannot be disabled).
ENGINE_RULES = {
    "GK001": Rule("GK001", "engine", "unreadable", "error", "文件无法读取，或不是 gklint 支持的格式",
                  doc="文件为空、损坏、加密、格式不支持（或 .doc、.wps 而本机没有 LibreOffice）或编码无法识别时报告，说明具体原因。"
                      "此问题不能通过 ignore 关闭：无法检查的文件不应被当作合格。",
                  example="把旧版 Word 的 .doc 文件改名为 .docx 后检查。",
                  remedy="用 Word 或 WPS 另存为 .docx，或导出为 UTF-8 文本后再检查。"),
    "GK007": Rule("GK007", "engine", "limit-reached", "error", "文件超出检查上限（大小或时间），未检查",
                  doc="文件超出 gklint 的检查上限时报告，说明是哪一项上限和文件的实际大小：文本或网页超过 20 MB、"
                      "PDF 超过 200 页、表格合计超过 30000 行或 300000 个单元格、Word 正文超过 100000 个 XML 元素，"
                      "或检查时间超过 --timeout（配置项 timeout，默认 120 秒）。这些上限远大于任何一份年度报告，"
                      "只为让一个异常的文件不会拖住整批检查或服务器。此问题不能通过 ignore 关闭：未检查的文件不应被当作合格。",
                  example="检查一个带有 10 万行表格的网页。",
                  remedy="确认文件是年度报告本身（不是数据附件、合订本）；确有需要时把附件拆出去，或用更大的 --timeout。"),
    "GK004": Rule("GK004", "engine", "read-note", "info", "文件经过转换读取，或其中有一部分内容无法读取",
                  doc="说明 gklint 是怎样读取这个文件的：.doc、.wps、.odt、.rtf 由 LibreOffice 转换为 .docx 后检查"
                      "（位置指转换后的段落和表格）；Word 文档的正文嵌入在 altChunk 中（HTML 或另一个文档）时说明已读取"
                      "或无法读取的嵌入内容。无法读取的内容不检查，因此不会产生错误，但也不能说它没有问题。",
                  example="用 WPS 保存的“2023年年度报告.wps”。",
                  remedy="通常无需处理；要避免转换带来的差异，可在 Word/WPS 中另存为 .docx。"),
    "GK005": Rule("GK005", "engine", "suppression-without-reason", "info", "忽略批注或注释行没有写理由",
                  doc="Word 批注“gklint: ignore 代码 理由”或文本中的同名注释行只写了规则代码、没有写理由时报告。"
                      "被忽略的问题仍然忽略；写明理由便于审核人员判断这一偏差为什么可以接受。",
                  example="在表格单元格上添加批注“gklint: ignore GK304”。",
                  remedy="在代码后写明理由，例如“gklint: ignore GK304 本单位复议案件含上年结转，经法制科确认”。"),
    "GK006": Rule("GK006", "engine", "unused-suppression", "info", "忽略批注或注释行没有忽略任何问题",
                  doc="忽略批注或注释行所在的位置（段落、单元格、行或表格）没有它列出的问题，或者没有写规则代码时报告"
                      "（类似 ruff 的 RUF100）。问题修正后应删除不再需要的忽略，以免以后掩盖新的问题。",
                  example="“gklint: ignore GK503 暂缺数据”所在段落的占位内容已经填写。",
                  remedy="删除这条批注或注释行；如确需保留，检查规则代码是否写对、批注是否加在出问题的位置上。"),
    # not a rule set's: `gklint rollup --region-report` compares the region's report with its departments' sums
    "GK605": Rule("GK605", "rollup", "region-total-mismatch", "warning",
                  "区域报告的统计表数字与各部门报告之和不一致",
                  doc="gklint rollup 把同一年度各部门报告的表二、表三、表四逐个单元格相加；用 --region-report 指定本级"
                      "（县、区、市）的报告时，区域报告中与合计不一致的每个单元格报告一次，写出两个数字、相差多少和汇总了"
                      "几份部门报告。有部门报告未能计入的单元格（不是数字、该行不完整、表格无法读取）和区域报告中为空白或"
                      "无法读取的单元格不比较，只在说明中列出，不当作不一致。只有 gklint rollup 报告这个问题，gklint check 不报告。"
                      "区域报告的数字可能还包括没有单独报告的单位（如乡镇、街道），因此是警告而不是错误。",
                  example="表三「（七）总计」「总计」列：区域报告为 120，22 份部门报告之和为 118，相差 2。",
                  remedy="核对区域报告的数字与各部门报告；部门报告有误的，请部门更正；确有未单独报告的单位的，在区域报告中说明。"),
}


def catalog(rulesets) -> dict[str, Rule]:
    """Every rule of the given rule sets by code (the first rule set wins), plus the engine's."""
    out = dict(ENGINE_RULES)
    for rs in rulesets:
        for rule in rules_of(rs):
            out.setdefault(rule.code, rule)
    return dict(sorted(out.items()))


def make_rule(code: str, spec, ruleset: RuleSet) -> Rule | None:
    """One [rules.CODE] entry, validated against its kind in the registry; None when it is disabled.
    Every problem is a RuleSetError with the file, line and key where it is written."""
    return _make_rule(code, spec, ruleset, f"rules.{code}")


def rule_problems(code: str, spec, ruleset: RuleSet) -> list[RuleSetError]:
    """Every problem of one rule (for `gklint ruleset check`), not only the first."""
    where = f"rules.{code}"
    if not isinstance(spec, dict) or spec.get("kind") not in KINDS:
        try:
            _make_rule(code, spec, ruleset, where)
        except RuleSetError as exc:
            return [exc]
    errors = [_error(ruleset, f"{where}.{key}", message)
              for key, message in problems(_REGISTRY[spec["kind"]], spec)]
    if not errors:
        try:
            _make_rule(code, spec, ruleset, where)
        except RuleSetError as exc:
            errors.append(exc)
    return errors


def _error(ruleset: RuleSet, key: str, message: str) -> RuleSetError:
    return located_error(ruleset.path, key, message, ruleset.sources)


def _make_rule(code: str, spec, ruleset: RuleSet, where: str) -> Rule | None:
    if not isinstance(spec, dict):
        raise _error(ruleset, where, "必须是表（table）")
    kind = spec.get("kind")
    if kind not in KINDS:
        hint = "缺少 kind" if kind is None else f"未知的规则类型 {kind!r}"
        raise _error(ruleset, f"{where}.kind", hint + suggest(kind if isinstance(kind, str) else "", KINDS))
    found = problems(_REGISTRY[kind], spec)
    if found:
        key, message = found[0]
        raise _error(ruleset, f"{where}.{key}", message)
    known = [s.key for s in ruleset.sections]
    for key in ("sections", "allow_none", "section"):
        value = spec.get(key)
        for k in ([value] if isinstance(value, str) else value or []):
            if k not in known:
                raise _error(ruleset, f"{where}.{key}", f"没有部分 {k!r}{suggest(k, known, '本规则集的部分')}")
    remedy, fix = _remedy_and_fix(spec)
    rule = Rule(code, kind, spec.get("name", code), spec.get("severity", "error"), spec.get("summary", ""),
                {k: v for k, v in spec.items() if k not in COMMON_ONLY},
                spec.get("doc", ""), spec.get("example", ""), remedy, spec.get("basis", ""),
                spec.get("message", ""), fix)
    module = importlib.import_module(f"gklint.checks.{kind}")
    if hasattr(module, "validate"):
        try:
            module.validate(rule, ruleset, where)
        except RuleSetError as exc:  # the kind's own checks (expression references, claims): add the line
            if exc.path is None and exc.key:
                raise _error(ruleset, exc.key, exc.message) from None
            raise
    return rule if spec.get("enabled", True) is not False else None


FIXES = ("safe", "unsafe")


def _remedy_and_fix(spec: dict) -> tuple[str, str]:
    """(remedy text, fix availability). Before `remedy` existed, `fix` was that text; a rule set written
    then still loads: a `fix` that is not "safe"/"unsafe" is its remedy and offers no automatic fix."""
    fix = spec.get("fix", "")
    if fix in FIXES:
        return spec.get("remedy", ""), fix
    return spec.get("remedy", "") or fix, ""


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
        if kind in by_kind and kind != "across":  # across has no check: two reports, after the run (pairing.py)
            module = importlib.import_module(f"gklint.checks.{kind}")
            for rule in by_kind[kind]:
                findings.extend(module.check(report, rule, ctx))
    return findings
