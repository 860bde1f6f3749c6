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
    """A box-drawn table as lines; cells must already be clean and short. A header cell may hold "\n": its
    lines are drawn one under the other (a wrapped column name)."""
    head = [h.split("\n") for h in header]
    depth = max((len(h) for h in head), default=1)
    cols = [max([width(x) for x in head[i]] + [width(r[i]) for r in rows]) for i in range(len(header))]
    line = lambda left, mid, right: left + mid.join("─" * (c + 2) for c in cols) + right  # noqa: E731
    body = lambda r: "│" + "│".join(" " + pad(x, c, "left" if i == 0 else "right") + " "  # noqa: E731
                                    for i, (x, c) in enumerate(zip(r, cols))) + "│"
    titles = [body([h[k] if k < len(h) else "" for h in head]) for k in range(depth)]
    return [line("┌", "┬", "┐"), *titles, line("├", "┼", "┤"), *map(body, rows), line("└", "┴", "┘")]


def wrap2(text: str) -> str:
    """A column name on two lines of about half its width: after a "/" when it has one ("行政复议/\n总计")."""
    if "/" in text.strip("/"):
        head, tail = text.rsplit("/", 1)
        return f"{head}/\n{tail}"
    half, used = width(text) / 2, 0
    for i, ch in enumerate(text):
        used += width(ch)
        if used >= half:
            return text[:i + 1] + ("\n" + text[i + 1:] if text[i + 1:] else "")
    return text


def underline(snippet: str, span: tuple[int, int]) -> str:
    """A line of ^ under span of snippet (CJK-width aware)."""
    start, end = span
    return " " * width(snippet[:start]) + "^" * max(1, width(snippet[start:end]))


def fit_excerpt(before: str, marked: str, after: str, cols: int | None) -> tuple[str, str, str]:
    """The sentence cut to `cols` terminal columns around its marked part: a long marked part keeps its
    head and tail ("…" between), so the line of ^ under it is never wider than what is shown."""
    if cols is None or width(before + marked + after) <= cols:
        return before, marked, after
    cols = max(cols, 20)
    if width(marked) > cols - 8:  # room for a little context either side
        keep = (cols - 9) // 2
        tail = _tail(marked, keep)
        marked = truncate(marked, keep + 1)[:-1] + "…" + tail
    room = cols - width(marked)
    left = min(width(before), max(room // 2, room - width(after)))
    before = "…" + _tail(before, left - 1) if width(before) > left else before
    after = truncate(after, room - width(before))
    if width(after) > room - width(before):  # not even one character
        after = ""
    return before, marked, after


def _tail(text: str, cols: int) -> str:
    """The end of `text` that fits in `cols` columns."""
    out, used = [], 0
    for ch in reversed(text):
        if used + width(ch) > cols:
            break
        out.append(ch)
        used += width(ch)
    return "".join(reversed(out))
