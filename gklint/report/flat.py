"""Tables flattened into running text (a web page copied as text, a PDF extraction): cells and rows.

"一、本年新收政府信息公开申请数量 713000074二、上年结转…" holds a row's seven numbers as one run of digits.
A run is split into the row's values only where exactly one reading exists: every value without a
leading zero, and each 总计 column equal to the sum of the columns of its group. Anything else stays
unread — gklint never guesses a number.
"""

from __future__ import annotations

import re

from gklint.document import Loc

MAX_SPLIT_NODES = 5_000  # bound on the search for readings of one row (real rows need a few hundred)
MAX_DIGITS_PER_VALUE = 3  # on average: a longer run is not a row of counts run together, it is not read
# a number, or numbers joined by minus signs ("2648-18538": a signed cell run into others, kept unread)
_RUN = r"\d+(?:\.\d+)?(?:[-－—]\d+(?:\.\d+)?)*"
_TOKENS = re.compile(rf"{_RUN}|[^\d]+")
_LIST_NUMBER = re.compile(r"^[.．、](?=[^\d\s])")


def is_run(text: str) -> bool:
    """Digits that may hold several cells ('2648-18538')."""
    return bool(re.fullmatch(_RUN, text.strip()))


# a row label run into the previous one: "3.其他（七）总计", "…办理结果 （一）予以公开"
_LABEL_START = re.compile(r"(?<=\S)(?=[（(][一二三四五六七八九十][）)])|(?<=[^\s一二三四五六七八九十、])(?=[一二三四]、)")


_PAGE_NUMBER = re.compile(r"(?:^|(?<=\s))[—－-]\s*\d{1,3}\s*[—－-](?=\s|$)")


def flat_cells(paragraphs: list[tuple[str, Loc]]) -> list[tuple[str, Loc]]:
    """Running text -> label and number tokens in order. Words of a label stay together ("（六） 其他 处理");
    numbers are split at spaces; the digit before '.' numbers the next label ('1.属于国家秘密00000002.其他…'
    -> '1.属于国家秘密', '0000000', '2.其他…')."""
    out: list[tuple[str, Loc]] = []
    for text, loc in paragraphs:
        text = _PAGE_NUMBER.sub(" ", text)  # a PDF page footer ('— 4 —') run into the text is not a cell
        pieces = [p for p in _TOKENS.findall(text) if p.strip()]
        k = 0
        while k < len(pieces):
            piece = pieces[k].strip()
            nxt = pieces[k + 1].lstrip() if k + 1 < len(pieces) else ""
            if piece[0].isdecimal() and all(is_run(n) for n in piece.split()):
                if "." not in piece and _LIST_NUMBER.match(nxt):  # "…00000002" + ".其他…"
                    piece, pieces[k + 1] = piece[:-1], piece[-1] + nxt
                out += [(n, loc) for n in piece.split()]
            else:
                out += [(part.strip(), loc) for part in _LABEL_START.split(piece) if part.strip()]
            k += 1
    return out


def _groups(columns: list[str]) -> list[tuple[int, int]]:
    """(first, total) column indexes: a 总计 column sums the columns since the previous 总计."""
    out, start = [], 0
    for i, col in enumerate(columns):
        if col.rsplit("/", 1)[-1] == "总计":
            if i > start:
                out.append((start, i))
            start = i + 1
    return out


def split_digits(tokens: list[str], columns: list[str]) -> list[str] | None:
    """The one reading of run-together integer tokens as len(columns) values, or None (none or several)."""
    n = len(columns)
    digits = sum(len(t) for t in tokens)
    if not tokens or not all(t.isdecimal() for t in tokens) or not n <= digits <= n * MAX_DIGITS_PER_VALUE:
        return None
    if digits == n:  # one digit per column: the only reading, whatever it says
        return [d for t in tokens for d in t]
    groups = _groups(columns)
    found: list[list[str]] = []
    budget = [MAX_SPLIT_NODES]

    def consistent(values: list[str]) -> bool:
        for first, total in groups:
            if total < len(values) and sum(int(v) for v in values[first:total]) != int(values[total]):
                return False
        return True

    def walk(ti: int, pos: int, values: list[str]) -> None:
        if len(found) > 1 or budget[0] <= 0:
            return
        budget[0] -= 1
        if ti == len(tokens):
            if len(values) == n:
                found.append(list(values))
            return
        token = tokens[ti]
        left = sum(len(t) for t in tokens[ti + 1:])
        for end in range(pos + 1, len(token) + 1):
            piece = token[pos:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            values.append(piece)
            remaining = n - len(values)
            rest_chars = len(token) - end + left
            if consistent(values) and remaining <= rest_chars and (remaining > 0 or rest_chars == 0):
                if end == len(token):
                    walk(ti + 1, 0, values)
                elif remaining > 0:
                    walk(ti, end, values)
            values.pop()

    walk(0, 0, [])
    return found[0] if len(found) == 1 and budget[0] > 0 else None
