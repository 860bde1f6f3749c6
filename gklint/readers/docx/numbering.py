"""Render Word auto-numbering (一、 （一） 1.) that docx2python drops or prints as '--'.

Reads numbering.xml and styles.xml with lxml and keeps Word's counters: numbering can come from the
paragraph's own w:numPr or from its style chain (zh-CN Word writes heading styles with ids like '1').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gklint.numbers import int_to_cn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "taiwaneseCounting",
               "taiwaneseCountingThousand", "ideographDigital"):
        return int_to_cn(n)
    if fmt in ("ideographTraditional",):
        return _TIANGAN[(n - 1) % 10]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) - 0x30 + 0xFF10) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).lower() if fmt == "lowerRoman" else _roman(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """Word's list definitions plus running counters, fed paragraph by paragraph in order."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    style_num: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    style_level: dict[tuple[str, str], int] = field(default_factory=dict)  # (absId, styleId) -> ilvl
    counters: dict[str, list[int]] = field(default_factory=dict)
    style_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_xml(cls, numbering_xml: bytes | None, styles_xml: bytes | None) -> "Numbering":
        from lxml import etree

        num = cls()
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        if numbering_xml:
            root = etree.fromstring(numbering_xml, parser)
            for absn in root.iter(W + "abstractNum"):
                aid = absn.get(W + "abstractNumId")
                levels = {}
                for lvl in absn.findall(W + "lvl"):
                    ilvl = int(lvl.get(W + "ilvl", "0"))
                    level = _Level()
                    if (e := lvl.find(W + "numFmt")) is not None:
                        level.fmt = e.get(W + "val", "decimal")
                    if (e := lvl.find(W + "lvlText")) is not None:
                        level.text = e.get(W + "val", "")
                    if (e := lvl.find(W + "start")) is not None:
                        level.start = _int(e.get(W + "val"), 1)
                    if (e := lvl.find(W + "pStyle")) is not None:
                        num.style_level[(aid, e.get(W + "val"))] = ilvl
                    levels[ilvl] = level
                num.abstract[aid] = levels
            for n in root.iter(W + "num"):
                ref = n.find(W + "abstractNumId")
                overrides = {}
                for ov in n.findall(W + "lvlOverride"):
                    so = ov.find(W + "startOverride")
                    if so is not None:
                        overrides[_int(ov.get(W + "ilvl"), 0)] = _int(so.get(W + "val"), 1)
                if ref is not None:
                    num.nums[n.get(W + "numId")] = (ref.get(W + "val"), overrides)
        if styles_xml:
            root = etree.fromstring(styles_xml, parser)
            based: dict[str, str] = {}
            own: dict[str, tuple[str, int | None]] = {}
            for st in root.iter(W + "style"):
                sid = st.get(W + "styleId")
                if (name := st.find(W + "name")) is not None:
                    num.style_names[sid] = name.get(W + "val", "")
                if (b := st.find(W + "basedOn")) is not None:
                    based[sid] = b.get(W + "val")
                npr = st.find(f"{W}pPr/{W}numPr")
                if npr is not None and (nid := npr.find(W + "numId")) is not None:
                    il = npr.find(W + "ilvl")
                    own[sid] = (nid.get(W + "val"), _int(il.get(W + "val"), 0) if il is not None else None)
            for sid in set(own) | set(based):
                cur, seen = sid, set()
                while cur and cur not in own and cur not in seen:
                    seen.add(cur)
                    cur = based.get(cur)
                if cur in own:
                    num.style_num[sid] = own[cur]
        return num

    def render(self, p_elem, style_id: str) -> str:
        """The number Word shows in front of this paragraph ('' if none); advances the counters."""
        num_id, ilvl = None, None
        ppr = p_elem.find(W + "pPr") if p_elem is not None else None
        npr = ppr.find(W + "numPr") if ppr is not None else None
        if npr is not None:
            if (e := npr.find(W + "numId")) is not None:
                num_id = e.get(W + "val")
            if (e := npr.find(W + "ilvl")) is not None:
                ilvl = _int(e.get(W + "val"), 0)
        if num_id is None and style_id in self.style_num:
            num_id, ilvl = self.style_num[style_id]
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        abs_id, overrides = self.nums[num_id]
        if ilvl is None:
            ilvl = self.style_level.get((abs_id, style_id), 0)
        levels = self.abstract.get(abs_id, {})
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        if counts[ilvl] == 0:
            counts[ilvl] = overrides.get(ilvl, levels[ilvl].start)
        else:
            counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            level = levels.get(k, _Level())
            value = counts[k] or overrides.get(k, level.start)
            return format_number(value, level.fmt)

        return re.sub(r"%([1-9])", sub, levels[ilvl].text)


def _int(v: str | None, default: int) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default
