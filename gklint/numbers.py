"""Cell values, Chinese numerals and dates.

Values are Decimal, never float: 23.0910 万元 must compare exactly, and a blank cell is not 0.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# NFKC leaves these minus-like dashes alone.
_DASHES = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-", "\uff0d": "-"})
_SPACE_RE = re.compile(r"\s+")
PLACEHOLDERS = frozenset({"/", "-", "—", "——", "--", "无", "－", "\\", "×", "*", "＊"})
_NUMBER_RE = re.compile(
    r"^(?P<sign>[+-]|增加|减少|增|减|上升|下降)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>万元|亿元|元|件|个|条|项|次|人次|%)?$"
)
_NEGATIVE_SIGNS = {"-", "减", "减少", "下降"}
# a footnote mark after a figure: circled/parenthesised/dingbat numbers, superscript digits, '*', '注1', '[1]'.
# Taken off before NFKC, which would make '47①' read 471 and '40²' 402.
_MARK_RE = re.compile(
    r"(?<=[\d%件个条项次元])\s*(?P<mark>[\u2460-\u249b\u24ea-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]"
    r"|[\u00b9\u00b2\u00b3\u2070-\u2079]+|[*＊※]{1,3}|[(（\[［]?注\s*[\d①-⑳]{1,2}[)）\]］]?|[\[［]\d{1,2}[\]］])$"
)


@dataclass(frozen=True)
class Value:
    """One table cell as a value: kind is number, blank, placeholder or text."""

    raw: str
    kind: str
    number: Decimal | None = None
    unit: str | None = None
    sign: str | None = None
    mark: str | None = None  # a footnote mark printed after the figure ('①', '²', '*'), not part of the value

    @property
    def is_number(self) -> bool:
        return self.kind == "number"

    def show(self) -> str:
        if self.kind == "blank":
            return "（空白）"
        return self.raw


def clean(text: str) -> str:
    """NFKC, dash map, no whitespace: the form numbers and labels are compared in."""
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", text).translate(_DASHES))


def parse_value(text: str) -> Value:
    raw = text.strip().replace("\u3000", "").strip()
    m = _MARK_RE.search(raw)
    if m and m.start() > 0:
        value = parse_value(raw[: m.start()])
        if value.kind == "number":
            return Value(raw, "number", value.number, value.unit, value.sign, m.group("mark").strip())
    s = clean(text)
    if not s:
        return Value(raw, "blank")
    if s in PLACEHOLDERS or set(s) <= {"-", "—", "/"}:
        return Value(raw, "placeholder")
    m = _NUMBER_RE.match(s)
    if not m:
        return Value(raw, "text")
    try:
        number = Decimal(m.group("num").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return Value(raw, "text")
    sign = m.group("sign")
    if sign in _NEGATIVE_SIGNS:
        number = -number
    return Value(raw, "number", number, m.group("unit"), sign)


def looks_like_value(text: str) -> bool:
    """True for a number or a placeholder: what fills a value cell, as opposed to a label."""
    return parse_value(text).kind in ("number", "placeholder")


# --- Chinese numerals (enough for headings, dates and counts up to 9999) ---

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "0": 0, "一": 1, "二": 2, "两": 2,
              "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "〇零○一二三四五六七八九十百千两"


def cn_to_int(text: str) -> int | None:
    """'十二' -> 12, '二十一' -> 21, '一百零五' -> 105, '二〇二一' -> 2021 (digit by digit)."""
    text = text.strip()
    if not text:
        return None
    if text.isdecimal() or unicodedata.normalize("NFKC", text).isdecimal():  # "²" is a digit int() refuses
        return int(unicodedata.normalize("NFKC", text))
    if not any(ch in _CN_UNITS for ch in text):
        if all(ch in _CN_DIGITS for ch in text):
            return int("".join(str(_CN_DIGITS[ch]) for ch in text))
        return None
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def int_to_cn(n: int) -> str:
    """12 -> '十二' (Word's chineseCounting), 1..9999."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    out = ""
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, unit_value)
        if q:
            out += digits[q] + unit
        elif out and n:
            out += "零" if not out.endswith("零") else ""
    if n:
        out += digits[n]
    return out


# --- dates ---

_NUM = rf"(?:\d{{1,4}}|[{CN_NUMERAL_CHARS}]{{1,4}})"
DATE_RE = re.compile(
    rf"(?P<y>\d{{4}}|[〇零○OoＯ一二三四五六七八九]{{4}})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*[日号]"
)
ISO_DATE_RE = re.compile(r"(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})")


def make_date(y: str, m: str, d: str) -> dt.date | None:
    yi, mi, di = cn_to_int(y), cn_to_int(m), cn_to_int(d)
    if yi is None or mi is None or di is None:
        return None
    try:
        return dt.date(yi, mi, di)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Every full date in text as (date, start, end); Chinese and ISO forms."""
    norm = unicodedata.normalize("NFKC", text)
    found = []
    for rx in (DATE_RE, ISO_DATE_RE):
        for m in rx.finditer(norm):
            d = make_date(m.group("y"), m.group("m"), m.group("d"))
            if d is not None:
                found.append((d, m.start(), m.end()))
    return sorted(found, key=lambda t: t[1])


INT_RE = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+"  # a count in running text, thousands separated or not ('1,248')


def to_int_text(text: str) -> str:
    """'1,248' -> '1248' (what a claim pattern's number group captured)."""
    return text.replace(",", "").replace("，", "")
