"""The identity expression language, parsed by gklint itself (no eval, no way to call Python).

    expr    := side ('==' | '!=' | '<=' | '>=' | '<' | '>') side
    side    := term (('+' | '-') term)*
    term    := NUMBER | cell | 'sum' '(' cells ')'
    cell    := ('T' | 'P') '(' STRING ',' STRING ')'  row key, column key (P: the previous year's report,
                                                     only in cross-year rules, kind = "across")
    cells   := 'T' '(' ('#' TAG | STRING) ',' ('#' TAG | STRING) ')'

Inside strings, '$' stands for the current item of the rule's for_each (a column, a row or a listed name).
`#result` selects every row tagged "result" in the rule set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"]*\"|'[^']*')|(?P<tag>#[^\s,()]+)"
                    r"|(?P<op>==|!=|<=|>=|[-+<>(),])|(?P<name>[A-Za-z_]\w*))")
COMPARATORS = ("==", "!=", "<=", ">=", "<", ">")


class ExprError(ValueError):
    """A malformed expression; the message says where."""


@dataclass(frozen=True)
class Ref:
    row: str  # a row key, or '#tag'
    col: str  # a column key, or '#tag'
    previous: bool = False  # P(...): the cell of the previous year's report


@dataclass(frozen=True)
class Expr:
    left: tuple  # ((sign, term), ...) where term is Decimal, Ref or ('sum', Ref)
    op: str
    right: tuple
    source: str

    def refs(self) -> list[Ref]:
        out = []
        for side in (self.left, self.right):
            for _, term in side:
                if isinstance(term, Ref):
                    out.append(term)
                elif isinstance(term, tuple):
                    out.append(term[1])
        return out


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"第 {pos + 1} 个字符处无法识别：{text[pos:pos + 10]!r}")
        kind = m.lastgroup
        value = m.group(kind)
        out.append((kind, value[1:-1] if kind == "str" else value))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (kind and tok[0] != kind) or (value and tok[1] != value):
            want = value or kind or "更多内容"
            got = "表达式结尾" if tok is None else repr(tok[1])
            raise ExprError(f"此处应为 {want}，实际是 {got}")
        self.i += 1
        return tok

    def parse(self) -> Expr:
        left = self.side()
        tok = self.peek()
        if tok is None or tok[1] not in COMPARATORS:
            raise ExprError("缺少比较运算符（==、!=、<=、>=、<、>）")
        self.i += 1
        right = self.side()
        if self.peek() is not None:
            raise ExprError(f"多余的内容：{self.peek()[1]!r}")
        return Expr(tuple(left), tok[1], tuple(right), self.text)

    def side(self) -> list:
        terms = [("+", self.term())]
        while (tok := self.peek()) is not None and tok[1] in ("+", "-"):
            self.i += 1
            terms.append((tok[1], self.term()))
        return terms

    def term(self):
        tok = self.peek()
        if tok is None:
            raise ExprError("表达式不完整")
        if tok[0] == "num":
            self.i += 1
            return Decimal(tok[1])
        if tok == ("name", "sum"):
            self.i += 1
            self.take(value="(")
            ref = self.ref(allow_tags=True)
            self.take(value=")")
            return ("sum", ref)
        if tok in (("name", "T"), ("name", "P")):
            return self.ref(allow_tags=False)
        raise ExprError(f"不认识的 {tok[1]!r}：只能使用数字、T(\"行\", \"列\")、P(\"行\", \"列\") 和 sum(...)")

    def ref(self, allow_tags: bool) -> Ref:
        name = self.take("name")[1]
        if name not in ("T", "P"):
            raise ExprError(f"此处应为 T 或 P，实际是 {name!r}")
        self.take(value="(")
        row = self.key(allow_tags)
        self.take(value=",")
        col = self.key(allow_tags)
        self.take(value=")")
        return Ref(row, col, name == "P")

    def key(self, allow_tags: bool) -> str:
        tok = self.peek()
        if tok is not None and tok[0] == "tag":
            if not allow_tags:
                raise ExprError(f"{tok[1]} 只能用在 sum(...) 里")
            self.i += 1
            return tok[1]
        return self.take("str")[1]


def parse(text: str) -> Expr:
    """The expression, parsed once per process: validating the rule set parses it, every check after that
    gets the same (immutable) Expr."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("表达式为空")
    if len(text) > 2000:
        raise ExprError("表达式过长")
    return _parsed(text)


@lru_cache(maxsize=1024)
def _parsed(text: str) -> Expr:
    return _Parser(text).parse()


def side_value(side: tuple, item: str, cells_of) -> tuple[Decimal, list[tuple[str, object]]]:
    """One side's value for `item` — the one evaluator of identities (one report) and of the checks across
    years (two): constants as written, each reference the sum of `cells_of(ref, item)` ([(number, cell)]).
    Returns (value, [(sign, cell)]) with every cell that took part."""
    total, used = Decimal(0), []
    for sign, term in side:
        if isinstance(term, Decimal):
            value = term
        else:
            found = cells_of(term[1] if isinstance(term, tuple) else term, item)
            value = sum((number for number, _ in found), Decimal(0))
            used += [(sign, cell) for _, cell in found]
        total = total + value if sign == "+" else total - value
    return total, used


def compare(op: str, a: Decimal, b: Decimal) -> bool:
    return {"==": a == b, "!=": a != b, "<=": a <= b, ">=": a >= b, "<": a < b, ">": a > b}[op]


def render(side: tuple, item: str) -> str:
    """The side as people read it: T("一","$") + T("二","$") -> 一+二."""
    out = []
    for k, (sign, term) in enumerate(side):
        if isinstance(term, Decimal):
            text = str(term)
        elif isinstance(term, Ref):
            text = _short(term, item)
        else:
            text = f"Σ{_short(term[1], item)}"
        out.append(text if k == 0 and sign == "+" else f"{sign}{text}")
    return "".join(out)


def _short(ref: Ref, item: str) -> str:
    row, col = ref.row.replace("$", item), ref.col.replace("$", item)
    if ref.col == "$" or col == item and "$" in ref.col:
        return row.lstrip("#")
    if ref.row == "$" or row == item and "$" in ref.row:
        return col.rsplit("/", 1)[-1]
    return f"{row}·{col}"
