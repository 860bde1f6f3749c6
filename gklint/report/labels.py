"""Label normalisation: what makes '（三）不予\\n公开', '(三) 不予公开' and '(三)不予公开' the same label."""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[\s\"'“”‘’「」『』《》<>·•:：,，.。;；、]")
_NUMBERING = re.compile(
    r"^(?:第?[一二三四五六七八九十]+[、.．)）]|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.、．)）](?!\d)|第[一二三四五六七八九十]+部分)"
)
_HEAD_NUMBER = re.compile(
    r"^\s*(?:(?P<cn>[一二三四五六七八九十]+)\s*[、.．,，]|第(?P<part>[一二三四五六七八九十]+)部分[、:：\s]*)"
)


def norm(text: str) -> str:
    """NFKC, no whitespace, no quotes or light punctuation: the form labels are compared in."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def strip_numbering(text: str) -> str:
    """'（三）不予公开' -> '不予公开'; '1.属于国家秘密' -> '属于国家秘密' (input already NFKC-ed or not)."""
    s = unicodedata.normalize("NFKC", text).strip()
    prev = None
    while prev != s:
        prev = s
        s = _NUMBERING.sub("", s).strip()
    return s


def key(text: str) -> str:
    """Numbering stripped and normalised."""
    return norm(strip_numbering(text))


def heading_number(text: str) -> tuple[str, str]:
    """('三', rest) for '三、收到…' or '第三部分 …'; ('', text) when the heading is unnumbered."""
    m = _HEAD_NUMBER.match(unicodedata.normalize("NFKC", text))
    if not m:
        return "", text.strip()
    return (m.group("cn") or m.group("part")), unicodedata.normalize("NFKC", text)[m.end():].strip()
