"""Plain-text building blocks shared by every output: escaping document text, CJK widths, small tables."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls, DEL, and bidi/zero-width format characters that can reorder or hide text on a terminal
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")  # json escapes the rest


def clean(text: str, keep_newlines: bool = False) -> str:
    """Document text made inert: every control or bidi character is shown as an escape (\\x1b, \\u202e)."""
    def sub(m):
        ch = m.group(0)
        if keep_newlines and ch == "\n":
            return ch
        if ch in "\t\n\r":
            return " "
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
    return _UNSAFE.sub(sub, str(text))


def json_safe(dumped: str) -> str:
    """JSON text with the characters above escaped as \\uXXXX: the same data, inert on a terminal."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


def width(text: str) -> int:
    """Terminal columns: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def truncate(text: str, cols: int) -> str:
    if width(text) <= cols:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > cols - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, cols: int, align: str = "left") -> str:
    gap = max(0, cols - width(text))
    return " " * gap + text if align == "right" else text + " " * gap


def grid(header: list[str], rows: list[list[str]]) -> list[str]:
    """A box-drawn table as lines; cells must already be clean and short."""
    cols = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda left, mid, right: left + mid.join("─" * (c + 2) for c in cols) + right  # noqa: E731
    body = lambda r: "│" + "│".join(" " + pad(x, c, "left" if i == 0 else "right") + " "  # noqa: E731
                                    for i, (x, c) in enumerate(zip(r, cols))) + "│"
    return [line("┌", "┬", "┐"), body(header), line("├", "┼", "┤"), *map(body, rows), line("└", "┴", "┘")]


def underline(snippet: str, span: tuple[int, int]) -> str:
    """A line of ^ under span of snippet (CJK-width aware)."""
    start, end = span
    return " " * width(snippet[:start]) + "^" * max(1, width(snippet[start:end]))
