"""The rule kinds as data: each kind's parameters (name, type, allowed values, default, doc) and its checks.

`make_rule` validates every [rules.CODE] table against this registry before the kind module sees it, so a
misspelt `check`, a wrong type or an out-of-range value is a RuleSetError naming the key, never an
internal error at check time. docs/rules.md's table of kinds is generated from here (`kinds_table`).
"""

from __future__ import annotations

import re

# Plain classes, not dataclasses or NamedTuples: creating those classes costs time at every start, and
# startup time matters for a pre-commit hook.


class Param:
    __slots__ = ("name", "type", "doc", "default", "choices", "required")

    def __init__(self, name: str, type: str, doc: str, default=None, choices: tuple = (), required: bool = False):
        # type: "str", "bool", "regex", "str_list", "regex_list", "month_day", "for_each", "claims"
        self.name, self.type, self.doc, self.default = name, type, doc, default
        self.choices, self.required = choices, required  # choices: the allowed values (of "check")


class Kind:
    __slots__ = ("name", "doc", "params", "placeholders")

    def __init__(self, name: str, doc: str, params: tuple, placeholders: tuple | None = None):
        self.name, self.doc, self.params = name, doc, params
        self.placeholders = placeholders  # names `message` may use as {name}; None: the message is literal

    @property
    def checks(self) -> tuple:
        return next((p.choices for p in self.params if p.name == "check"), ())

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# Keys every rule may carry (they are not passed to the kind as parameters, except message and basis,
# which kinds that build their own text use).
COMMON = (
    Param("kind", "str", "规则类型（下表之一）", required=True),
    Param("name", "str", "英文短名（kebab-case），显示在 `gklint rules` 和 SARIF 中"),
    Param("severity", "str", "严重程度", "error", ("error", "warning", "info")),
    Param("summary", "str", "一句话说明（中文）"),
    Param("doc", "str", "`gklint rule CODE` 显示的说明"),
    Param("example", "str", "`gklint rule CODE` 显示的触发示例"),
    Param("remedy", "str", "`gklint rule CODE` 显示的修改方法（人工怎么改）"),
    Param("fix", "str", "`gklint fix` 能否自动修改：\"safe\"（默认即改）、\"unsafe\"（加 --unsafe-fixes 才改）；"
                        "不写则不自动修改。旧规则集中的其他文字视同 `remedy`"),
    Param("enabled", "bool", "`false` 停用（用于覆盖父规则集）", True),
    Param("message", "str", "问题说明，代替内置的文字"),
    Param("basis", "str", "法律依据，如“《条例》第四十九条”，显示在 `gklint rule CODE` 中（期限类规则也写入问题说明）"),
)
COMMON_ONLY = {"kind", "name", "severity", "summary", "doc", "example", "remedy", "fix", "enabled"}

_SECTIONS = "部分编号的数组，例如 [\"一\", \"五\"]"

KINDS = {k.name: k for k in (
    Kind("sections", "六个部分：缺少、编号、其他写法、顺序", (
        Param("check", "str", "检查什么", "missing", ("missing", "numbering", "wording", "order")),
    )),
    Kind("content", "部分内容为空；或必须出现的文字（如信息处理费、统计期限说明）", (
        Param("sections", "str_list", f"内容不能为空的部分（{_SECTIONS}）", []),
        Param("allow_none", "str_list", "允许只写“无”的部分", []),
        Param("pattern", "regex", "必须出现的文字（正则，用 re.search 在段落文字中查找：段落之间以换行连接，"
                                  "不含表格单元格；`^` `$` 是整段文字的首尾）"),
        Param("section", "str", "在哪一部分查找 `pattern`（不写则全文）"),
        Param("expected", "str", "问题中“应为”的文字"),
        Param("elsewhere", "bool", "`pattern` 出现在其他部分也算", False),
    )),
    Kind("tables", "统计表：缺表、缺行、缺列、行的数值不全、无法读取", (
        Param("check", "str", "检查什么", "table", ("table", "rows", "columns", "incomplete", "readable", "wording", "marks")),
    )),
    Kind("cells", "单元格：空白或“/”；非数字、负数、小数件数", (
        Param("check", "str", "检查什么", "blank", ("blank", "invalid")),
    )),
    Kind("identity", "合计关系（表达式语言）；`check = \"not_evaluated\"`：按表汇总未能检查的合计关系（GK305）", (
        Param("check", "str", "不写：检查 `expr`；\"not_evaluated\"：汇总本规则集中未能检查的合计关系（不写其他键）",
              None, ("not_evaluated",)),
        Param("table", "str", "表的键，如 \"T3\"（不写 `check` 时必填）"),
        Param("expr", "str", "等式，如 'T(\"合计\", $) == sum(T(#result, $))'（不写 `check` 时必填）"),
        Param("for_each", "for_each", "`$` 依次代表：\"column\"、\"row\" 或列表"),
    ), placeholders=("lhs", "rhs", "left", "right", "diff", "item")),
    Kind("dates", "发布日期、法定期限（可改为本地更早的期限）、统计期限、正文年份", (
        Param("check", "str", "检查什么", None, ("no_date", "before_year_end", "after_deadline", "period",
                                                 "year_in_text"), required=True),
        Param("department_deadline", "month_day", "部门报告的期限 [月, 日]（次年）", [1, 31]),
        Param("government_deadline", "month_day", "本级政府报告的期限 [月, 日]（次年）", [3, 31]),
        Param("sections", "str_list", f"`year_in_text` 查找的部分（{_SECTIONS}）", ["一"]),
    )),
    Kind("text_table", "正文数字与表格一致", (
        Param("claims", "claims", "数组：每项有 `pattern`（含命名组 `n`）、`cells`（[表, 行, 列] 的数组，求和）、"
                                  "`what`、`context`、`carryover_cells`；或 `contradicts = true`", []),
        Param("sections", "str_list", f"查找的部分（{_SECTIONS}）", ["一", "六"]),
    )),
    Kind("text_sums", "正文中“共 N 件，其中 …”的分项之和", (
        Param("closing", "regex", "表示“其他”的分项（正则）", "其他|其它"),
    )),
    Kind("patterns", "不应出现的文字（占位符、模板残留）", (
        Param("patterns", "regex_list", "正则表达式数组（非空）", required=True),
    )),
    Kind("across", "跨年度：与同一机关上一年度的报告比较（两份报告在同一次检查中，或用 --previous 指定）", (
        Param("check", "str", "不写：检查 `expr`；\"carried_text\"：沿用上年含年份或数字的句子；\"same_tables\"：统计表与上年"
                              "完全相同；\"not_evaluated\"：汇总未能核对的部分（GK600）", None,
              ("carried_text", "same_tables", "not_evaluated")),
        Param("table", "str", "表的键，如 \"T3\"（不写 `check` 时必填）"),
        Param("expr", "str", "等式，`P(\"行\", \"列\")` 是上一年度报告的单元格，如 'T(\"二\", \"$\") == P(\"四\", \"$\")'"),
        Param("for_each", "for_each", "`$` 依次代表：\"column\"、\"row\" 或列表"),
        Param("sections", "str_list", f"`carried_text` 比较的部分（{_SECTIONS}）", ["一", "五", "六"]),
        Param("note", "str", "接在问题说明后的提示（例如哪些情况下可以不一致）"),
    )),
    Kind("template", "格式版本：可识别、2019 年前的格式、版式与年度、标题", (
        Param("check", "str", "检查什么", None, ("recognisable", "pre2019", "layout", "title"), required=True),
        Param("pattern", "regex", "`title`：标题应符合的正则"),
    )),
)}

# what `gklint rule CODE` calls each kind (engine: GK00x, reported by gklint itself)
TITLES = {"sections": "部分", "content": "内容", "tables": "统计表", "cells": "单元格", "identity": "合计关系",
          "dates": "日期", "text_table": "正文与表格", "text_sums": "正文合计", "patterns": "文字模式",
          "template": "格式版本", "engine": "引擎", "rollup": "区域汇总"}


def _type_error(p: Param, value) -> str | None:
    """Why `value` is not a valid `p`, or None."""
    t = p.type
    if t == "str":
        if not isinstance(value, str):
            return f"应为字符串，而不是 {_show(value)}"
    elif t == "bool":
        if not isinstance(value, bool):
            return f"应为 true 或 false，而不是 {_show(value)}"
    elif t == "regex":
        if not isinstance(value, str):
            return f"应为正则表达式字符串，而不是 {_show(value)}"
        return _regex_error(value)
    elif t in ("str_list", "regex_list"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"应为字符串数组，而不是 {_show(value)}"
        if t == "regex_list":
            if not value:
                return "应为非空的正则表达式数组"
    elif t == "month_day":
        if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)):
            return f"应为 [月, 日]，例如 [1, 31]，而不是 {_show(value)}"
        import datetime as dt

        try:
            dt.date(2024, value[0], value[1])  # a leap year: [2, 29] is a valid deadline
        except ValueError:
            return f"{value[0]}月{value[1]}日 不是有效的日期"
    elif t == "for_each":
        if value not in ("column", "row") and not (isinstance(value, list) and value
                                                   and all(isinstance(v, str) for v in value)):
            return f"应为 \"column\"、\"row\" 或字符串数组，而不是 {_show(value)}"
    elif t == "claims":
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return "应为表的数组（[[rules.CODE.claims]]）"
    if p.choices and value not in p.choices:
        guess = _close(value, p.choices) if isinstance(value, str) else ""
        return f"{value!r} 不是 {'、'.join(p.choices[:-1])} 或 {p.choices[-1]}{guess}"
    return None


def _placeholder_error(text: str, names: tuple) -> str | None:
    """A message the kind fills in with str.format: only its own {name}s, nothing that could fail at check time."""
    import string

    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        return f"花括号不配对（{exc}）；要写花括号本身请写 {{{{ 和 }}}}"
    for f, spec, conv in fields:
        if f not in names or spec or conv:
            return f"不认识的占位符 {{{f}}}（可用：{'、'.join('{' + n + '}' for n in names)}）"
    return None


_CLAIM_TYPES = {"pattern": str, "what": str, "context": str, "cells": list, "carryover_cells": list,
                "contradicts": bool}


def _claim_errors(claim: dict):
    """Types of a text_table claim's fields (its structure and references are checked by the kind)."""
    for k, t in _CLAIM_TYPES.items():
        if k in claim and not isinstance(claim[k], t):
            yield k, f"应为{ {str: '字符串', list: '数组', bool: 'true 或 false'}[t]}，而不是 {_show(claim[k])}"


def _regex_error(text: str) -> str | None:
    try:
        re.compile(text)
    except re.error as exc:
        return f"正则表达式无效：{exc}"
    return None


def _show(value) -> str:
    names = {str: "字符串", bool: "布尔值", int: "整数", float: "小数", list: "数组", dict: "表"}
    return f"{names.get(type(value), type(value).__name__)} {value!r}"


def problems(kind: Kind, spec: dict) -> list[tuple[str, str]]:
    """(key, message) for every key of a rule table that does not fit its kind; [] when it is valid."""
    out = []
    own = {p.name: p for p in kind.params}
    common = {p.name: p for p in COMMON}
    for key, value in spec.items():
        p = own.get(key) or common.get(key)
        if p is None:
            allowed = ", ".join(sorted(set(own) | set(common)))
            hint = _close(key, set(own) | set(common))
            out.append((key, f"未知的键 {key!r}{hint}（{kind.name} 类规则允许：{allowed}）"))
            continue
        why = _type_error(p, value)
        if why is None and key == "message" and kind.placeholders is not None:
            why = _placeholder_error(value, kind.placeholders)
        if why is None and p.type == "claims":
            out.extend((f"{key}[{i}].{k}", w) for i, claim in enumerate(value) for k, w in _claim_errors(claim))
            continue
        if why:
            out.append((key, why))
        elif p.type == "regex_list":
            out.extend((f"{key}[{i}]", w) for i, v in enumerate(value) if (w := _regex_error(v)) is not None)
    for p in kind.params:
        if p.required and p.name not in spec:
            out.append((p.name, f"{kind.name} 类规则必须有 {p.name}（{p.doc}）"))
    return out


def _close(word: str, names) -> str:
    import difflib

    match = difflib.get_close_matches(word, sorted(names), n=1)
    return f"（是不是 {match[0]!r}？）" if match else ""


def kinds_table() -> str:
    """The Markdown table of kinds in docs/rules.md (tests/unit/checks/test_registry.py fails when the doc is stale)."""
    lines = ["| kind | 参数（类型，默认值）：说明 | 检查 |", "|---|---|---|"]
    for k in KINDS.values():
        params = "；".join(_param_doc(p) for p in k.params)
        lines.append(f"| `{k.name}` | {params} | {k.doc} |")
    return "\n".join(lines) + "\n"


_TYPE_NAMES = {"str": "字符串", "bool": "布尔", "regex": "正则", "str_list": "字符串数组", "regex_list": "正则数组",
               "month_day": "[月, 日]", "for_each": "\"column\" / \"row\" / 数组", "claims": "表的数组"}


def _param_doc(p: Param) -> str:
    if p.choices:
        what = " \\| ".join(f'"{c}"' for c in p.choices)
        text = f"`{p.name}` = {what}"
    else:
        text = f"`{p.name}`（{_TYPE_NAMES[p.type]}）"
    if p.required:
        text += "，必填"
    elif p.default is not None:
        text += f"，默认 `{_toml(p.default)}`"
    return f"{text}：{p.doc}".replace("|", "\\|") if not p.choices else f"{text}：{p.doc}"


def _toml(value) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False).replace(",", ", ").replace(",  ", ", ")


MARK_START, MARK_END = "<!-- kinds: generated by python -m gklint.checks.registry -->\n", "<!-- kinds: end -->"


def write_doc(path: str = "docs/rules.md") -> None:
    """Replace the table of kinds between the markers in docs/rules.md."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    head, rest = text.split(MARK_START, 1)
    tail = rest.split(MARK_END, 1)[1]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(head + MARK_START + kinds_table() + MARK_END + tail)


if __name__ == "__main__":
    write_doc()
