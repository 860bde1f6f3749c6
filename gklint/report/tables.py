"""Bind document tables (or loose cell paragraphs) to the template's rows and columns.

Rows are recognised by their labels, never by position: a row's label cells (including group labels
inherited through vertical merges) are matched against each template row's phrases, the longest match
wins. Values are the cells after the label; a row with fewer values than the template has columns is
kept as incomplete instead of being shifted into the wrong columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from gklint.document import Cell, Loc, Table
from gklint.numbers import looks_like_value, parse_value
from gklint.report.flat import flat_cells, is_run, split_digits
from gklint.report.labels import key as label_key
from gklint.report.labels import norm
from gklint.report.model import BoundCell, BoundRow, BoundTable
from gklint.ruleset.loader import RowSpec, TableSpec


HEADER_RUN_IN = 12  # a label part longer than twice this has header words run into it (flattened text)


@dataclass
class RawRow:
    parts: list[tuple[str, Loc]] = field(default_factory=list)  # label cells
    values: list[tuple[str, Loc]] = field(default_factory=list)  # cells after the label

    @property
    def loc(self) -> Loc | None:
        first = (self.parts or self.values or [(None, None)])[0]
        return first[1]

    @property
    def label(self) -> str:
        return " ".join(t for t, _ in self.parts)


def table_text(table: Table) -> str:
    return "".join(c.text for row in table.rows for c in row)


def rows_from_table(table: Table) -> list[RawRow]:
    """Split each grid row into label cells and value cells; vertical merges inherit the label above."""
    above: dict[int, str] = {}
    out = []
    for row in table.rows:
        slots: list[tuple[str, Loc, bool]] = []  # text, loc, inherited
        for c, cell in enumerate(row):
            if cell.kind in ("h", "x"):
                continue
            if cell.kind == "v":
                slots.append((above.get(c, ""), cell.loc, True))
            else:
                above[c] = cell.text
                slots.append((cell.text, cell.loc, False))
        first_value = next((k for k, (t, _, inh) in enumerate(slots) if not inh and looks_like_value(t)), len(slots))
        label_end = -1
        for k in range(first_value):
            text = slots[k][0]
            if text.strip():
                label_end = k
        raw = RawRow()
        raw.parts = [(t, loc) for t, loc, _ in slots[: label_end + 1] if t.strip()]
        raw.values = [("" if inh else t, loc) for t, loc, inh in slots[label_end + 1:]]
        out.append(raw)
    return out


def _score(parts: list[str], row: RowSpec) -> int:
    best = 0
    for phrase in row.match:
        p = norm(phrase)
        if p and any(p in part for part in parts):
            best = max(best, len(p))
    for phrase in row.exact:
        p = norm(phrase)
        if any(p == part for part in parts):
            best = max(best, len(p))
    return best


def match_row(parts: list[str], spec: TableSpec, used: set[str] | None = None) -> tuple[RowSpec | None, bool]:
    """The template row these label parts name (longest phrase wins), and whether a `match`
    phrase (not only an `exact` one, like 总计 that is also a column header) named it."""
    keys = [label_key(p) for p in parts]
    best, best_score = None, 0
    for row in spec.rows:
        if used and row.key in used:
            continue
        s = _score(keys, row)
        if s > best_score:
            best, best_score = row, s
    if best is None:
        return None, False
    strong = any(norm(p) and any(norm(p) in k for k in keys) for p in best.match)
    return best, strong


SIMILAR_MAX = 2  # edits between a printed row label and the template's that still name the row
SIMILAR_MIN_LEN = 6  # shorter labels ('其他', '总计') are too alike to be told apart by a character or two


def similar_row(parts: list[str], spec: TableSpec, used: set[str] | None = None) -> RowSpec | None:
    """The one template row whose label a printed label misses by at most SIMILAR_MAX edits
    ('其他法律和行政法规禁止公开'), when no other row is as close; None otherwise."""
    keys = [label_key(p) for p in parts if len(label_key(p)) >= SIMILAR_MIN_LEN]
    if not keys:
        return None
    scored = []
    for row in spec.rows:
        if used and row.key in used:
            continue
        own = label_key(row.label.split()[-1])
        if len(own) >= SIMILAR_MIN_LEN:
            scored.append((min(_distance(k, own, SIMILAR_MAX) for k in keys), row))
    scored.sort(key=lambda t: t[0])
    if not scored or scored[0][0] > SIMILAR_MAX or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 as soon as it is certainly larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def rows_from_stream(cells: list[tuple[str, Loc]], spec: TableSpec) -> list[RawRow]:
    """Rows from cells with no row structure (one cell per paragraph, empty cells dropped):
    a label after values starts a new row, and so does a second row label before any value."""
    rows: list[RawRow] = []
    cur = RawRow()
    seen_value = False
    for text, loc in cells:
        if looks_like_value(text) or is_run(text):
            cur.values.append((text, loc))
            seen_value = True
            continue
        starts_row = bool(cur.values)
        if not starts_row and seen_value and cur.parts:
            own, _ = match_row([text], spec)
            have, _ = match_row([t for t, _ in cur.parts], spec)
            starts_row = own is not None and have is not None and own.key != have.key
        if starts_row:
            rows.append(cur)
            cur = RawRow()
        cur.parts.append((text, loc))
    if cur.parts or cur.values:
        rows.append(cur)
    return rows


def _fit(values: list[tuple[str, Loc]], n: int) -> list[tuple[str, Loc]]:
    """Drop blank cells at either end that are label or border fillers, never more than needed."""
    vals = list(values)
    while len(vals) > n and not vals[0][0].strip():
        vals.pop(0)
    while len(vals) > n and not vals[-1][0].strip():
        vals.pop()
    return vals


def _bound_row(row: RowSpec, columns: list[str], raw: RawRow, label: str, runs: bool = False) -> BoundRow:
    vals = _fit(raw.values, len(columns))
    joined = None
    if runs and len(vals) < len(columns) and vals:  # digits run together in flattened text
        tokens = [t.strip() for t, _ in vals if t.strip()]
        split = split_digits(tokens, columns)
        if split is None:
            joined = " ".join(tokens)
        else:
            vals = [(t, vals[0][1]) for t in split]
    complete = len(vals) == len(columns)
    parsed = [BoundCell(parse_value(t), loc) for t, loc in vals]
    b = BoundRow(key=row.key, label=label, loc=raw.loc or Loc(), expected=len(columns),
                 found=[c for c in parsed if complete or c.value.kind != "blank"])
    if complete:
        b.cells = dict(zip(columns, parsed))
        b.recovered = runs and len(raw.values) != len(vals)
    else:
        b.incomplete = True
        b.unsplit = joined
    return b


def _label_from_match(raw: RawRow, row: RowSpec, flat: bool = False) -> tuple[str, Loc | None]:
    """The printed label from the part that names the row on (drops header words absorbed before it)."""
    for k, (part, loc) in enumerate(raw.parts):
        if _score([label_key(part)], row):
            # header words run into the label in flattened text: start the label at the row's own words
            own = row.label.split()[-1]
            starts = [] if part.startswith(own) else [part.find(p) for p in [own, *row.match] if part.find(p) > 0]
            first = part[min(starts):] if starts and (flat or len(part) > 2 * HEADER_RUN_IN) else part
            return " ".join([first] + [t for t, _ in raw.parts[k + 1:]]), loc
    return raw.label, raw.loc


def _text_values_back(raw: RawRow, row: RowSpec, n: int) -> RawRow:
    """A text value ('约1200') right after the row label was taken for a label; give it back."""
    idx = next((k for k, (part, _) in enumerate(raw.parts) if _score([label_key(part)], row)), None)
    if idx is None or idx == len(raw.parts) - 1 or len(raw.values) >= n:
        return raw
    trailing = raw.parts[idx + 1:]
    if len(trailing) + len(_fit(raw.values, n)) != n:
        return raw
    return RawRow(parts=raw.parts[: idx + 1], values=trailing + raw.values)


def _completes(label: str, more: str, row: RowSpec) -> bool:
    """Does `more` finish a label wrapped onto the next line ('补正后申请内容仍' + '不明确')?"""
    full = label_key(row.label.split()[-1])
    return full not in label_key(label) and full in label_key(label + more)


HEADER_WORDS_MIN = 3  # a row with no values naming this many columns or rows is a header, not a data row


def _header_like(raw: RawRow, spec: TableSpec) -> bool:
    """No values, and cells naming several different columns or rows ("项目 本年新收件数 上年结转件数 …")."""
    if any(t.strip() for t, _ in raw.values):
        return False
    names = {norm(c.rsplit("/", 1)[-1]) for c in spec.columns} | {norm(w) for r in spec.rows for w in r.columns or []}
    named = set()
    for t, _ in raw.parts:
        row, _strong = match_row([t], spec)
        named.add(norm(t) if norm(t) in names else row.key if row else None)
    return len(named - {None}) >= HEADER_WORDS_MIN


def bind_rows(raw_rows: list[RawRow], spec: TableSpec, loc: Loc, exact: bool, source: str) -> BoundTable:
    runs = source == "flat"
    bt = BoundTable(key=spec.key, title=spec.title, loc=loc, exact=exact, source=source, spec=spec)
    header: list[str] = []
    used: set[str] = set()
    in_body = False
    last: tuple[BoundRow, RowSpec] | None = None
    for raw in raw_rows:
        parts = [t for t, _ in raw.parts]
        if spec.unlabeled:
            # run-together digits (flattened text) hold up to one value per digit
            numbers = sum(len(t.strip()) if runs and t.strip().isdecimal() else 1 for t, _ in raw.values if t.strip())
            wide = numbers * 2 >= len(spec.columns) or (not parts and len(raw.values) * 2 >= len(spec.columns))
            if not used and wide:
                row = spec.rows[0]
                bt.rows[row.key] = _bound_row(row, spec.columns, raw, "", runs)
                used.add(row.key)
            if not used or wide:
                header += parts
            continue
        if in_body and _header_like(raw, spec):
            continue  # a header printed again inside the body (an OCR'd page, a continued table)
        row, strong = match_row(parts, spec, used)
        if not in_body:
            if row is None or not strong:
                header += parts + [t for t, _ in raw.values]
                continue
            in_body = True
            header += parts  # loose cells: the header words precede the first row label
        wording = None
        if row is None and any(t.strip() for t, _ in raw.values):
            row = similar_row(parts, spec, used)  # a label a character or two off the template's
            wording = row.label.split()[-1] if row is not None else None
        if row is None:
            if any(t.strip() for t, _ in raw.values):
                bt.extra_rows.append(BoundRow(key="", label=" ".join(parts), loc=raw.loc or loc,
                                              found=[BoundCell(parse_value(t), l) for t, l in raw.values if t.strip()]))
            elif last is not None and len(parts) == 1 and _completes(last[0].label, parts[0], last[1]):
                last[0].label += parts[0]
            continue
        used.add(row.key)
        raw = _text_values_back(raw, row, len(spec.columns_of(row)))
        label, label_loc = _label_from_match(raw, row, runs) if wording is None else raw.parts[-1]
        bound = _bound_row(row, spec.columns_of(row), raw, label, runs)
        bound.loc = label_loc or bound.loc
        bound.wording = wording
        bt.rows[row.key] = bound
        last = (bound, row)
    bt.missing_rows = [r.key for r in spec.rows if r.key not in bt.rows]
    head = norm("".join(header))
    for col in spec.columns:
        names = [col] + spec.column_variants.get(col, [])
        if not any(all(norm(seg) in head for seg in name.split("/")) for name in names):
            bt.missing_columns.append(col)
    return bt


def bind_table(table: Table, spec: TableSpec) -> BoundTable:
    return bind_rows(rows_from_table(table), spec, table.loc, table.exact, "table")


def bind_stream(cells: list[tuple[str, Loc]], spec: TableSpec, loc: Loc) -> BoundTable:
    return bind_rows(rows_from_stream(cells, spec), spec, loc, False, "paragraphs")


def bind_flat(paragraphs: list[tuple[str, Loc]], spec: TableSpec, loc: Loc) -> BoundTable:
    """A table flattened into running text: label and number tokens, digit runs split where unique."""
    return bind_rows(rows_from_stream(flat_cells(_from_signature(paragraphs, spec)), spec), spec, loc, False, "flat")


def _from_signature(paragraphs: list[tuple[str, Loc]], spec: TableSpec) -> list[tuple[str, Loc]]:
    """The text from the table's first signature word on: the section's prose before it ("涵盖政策及规范性
    文件类8条" ahead of 表二's "第二十条…") is not a row."""
    for k, (text, loc) in enumerate(paragraphs):
        starts = [i for i in (text.find(word) for word in spec.signature) if i >= 0]
        if starts:
            return [(text[min(starts):], loc)] + paragraphs[k + 1:]
    return paragraphs


def columns_by_position(bt: BoundTable) -> None:
    """Header text lost or replaced ("数据1 … 数据6 总计" from OCR) while the rows hold all their values in
    the national order: the columns are known by position. Recorded once (header_note) instead of a GK203
    per column."""
    n_rows = len(bt.spec.rows)
    complete = [r for r in bt.rows.values() if not r.incomplete]
    if (bt.missing_columns and n_rows > 1 and len(complete) * 2 >= n_rows
            and len(complete) * 5 >= 4 * len(bt.rows)):
        bt.header_note = f"表头中找不到 {len(bt.missing_columns)} 列的名称，各行数值个数与国家格式相符，按列的顺序读取"
        bt.missing_columns = []


def unreadable_reason(bt: BoundTable) -> str | None:
    """Why a bound table is not the national table as far as gklint can tell (None when it is): its header
    or its row labels were not recognised, so nothing bound from it can be trusted."""
    spec = bt.spec
    n_rows, n_cols = len(spec.rows), len(spec.columns) or 1
    if len(bt.missing_columns) * 3 > n_cols:  # a column or two lost is GK203; a third of them, another table
        shown = "、".join(c.replace("/", "·") for c in bt.missing_columns[:4])
        more = " 等" if len(bt.missing_columns) > 4 else ""
        return f"表头中找不到 {len(bt.missing_columns)} 列（{shown}{more}）"
    if not bt.exact and len(bt.missing_rows) * 2 >= n_rows and n_rows > 1:  # a Word table lost rows: GK202
        return f"找不到 {len(bt.missing_rows)}/{n_rows} 行的行标签"
    if len(bt.rows) > 1 and all(r.incomplete for r in bt.rows.values()):
        return "没有一行的数值个数与列数相符"
    return None


def signature_score(text: str, spec: TableSpec) -> int:
    t = norm(text)
    return sum(1 for s in spec.signature if norm(s) in t)


_CONTINUED = ("续表", "续上表", "接上表", "上接")


def _row_text(row: list[Cell]) -> str:
    return norm("".join(c.text for c in row if c.kind == "o"))


def _has_value(row: list[Cell]) -> bool:
    return any(c.kind == "o" and looks_like_value(c.text) for c in row)


def header_rows(table: Table) -> set[str]:
    """The texts of the rows before the first row with a value: the table's header."""
    out = set()
    for row in table.rows:
        if _has_value(row):
            break
        if _row_text(row):
            out.add(_row_text(row))
    return out


def _is_repeat(row: list[Cell], header: set[str]) -> bool:
    text = _row_text(row)
    return not _has_value(row) and (text in header or text.startswith(_CONTINUED))


def _header_words(row: list[Cell], words: str) -> bool:
    """A header row laid out differently on the next page: every one of its (two or more) cells is a
    heading of the first part ('自然人', '法人或其他组织', '总计')."""
    cells = [norm(c.text) for c in row if c.kind == "o" and norm(c.text)]
    return not _has_value(row) and len(cells) >= 2 and all(c in words for c in cells)


def drop_repeated_header(first: Table, rows: list[list[Cell]], leading: bool = True) -> list[list[Cell]]:
    """`rows` without the rows that repeat `first`'s header (or say '续表'): a header printed again after a
    page break, in a second table object or inside the same one. Other rows are kept as they are.
    `leading`: `rows` start a new part, whose rows before the first number may regroup the header cells."""
    header = header_rows(first)
    if not header:
        return rows
    words = "".join(header)
    lead = next((k for k, row in enumerate(rows) if _has_value(row)), len(rows)) if leading else 0
    return [row for k, row in enumerate(rows)
            if not (_is_repeat(row, header) or (k < lead and _header_words(row, words)))]


def _values_blank(row: list[Cell], label_cols: int) -> bool:
    return not any(c.text.strip() for c in row[label_cols:] if c.kind == "o")


def _label_cols(row: list[Cell]) -> int:
    """Grid columns before the first value cell of a row (its label part)."""
    return next((k for k, c in enumerate(row) if c.kind == "o" and looks_like_value(c.text)), len(row))


def _join_split_row(last: list[Cell], first: list[Cell], spec: TableSpec | None) -> list[Cell] | None:
    """One row cut by a page break: its label (or the start of it) at the end of part 1, its numbers (or the
    rest of its label) at the start of part 2. Joined cell by cell, and only when both halves have the same
    cells in the value part and never both fill one of them."""
    if len(last) != len(first) or not any(c.text.strip() for c in last):
        return None
    cut = min(_label_cols(last), _label_cols(first))
    if any(a.kind != b.kind or a.kind != "o" for a, b in zip(last[cut:], first[cut:])):
        return None  # a full-width caption row, or another layout: not the other half of this row
    label = [c.text for c in first[:cut] if c.kind == "o" and c.text.strip()]
    if label and spec is not None:
        mine = match_row(label, spec)[0]
        before = match_row([c.text for c in last[:cut] if c.kind == "o" and c.text.strip()], spec)[0]
        if mine is not None and before is not None and mine.key != before.key:
            return None  # two rows of their own, not two halves of one
    last_values, first_values = not _values_blank(last, cut), not _values_blank(first, cut)
    if first_values and last_values:
        return None
    if not first_values and not label:
        return None
    joined = []
    for a, b in zip(last, first):
        keep = b if b.text.strip() and not a.text.strip() else a
        text = a.text + b.text if a.kind == "o" and b.kind == "o" else (a.text or b.text)
        joined.append(Cell(text, keep.loc, a.kind if a.kind == "o" or not b.text else b.kind))
    return joined


def merge_tables(first: Table, second: Table, spec: TableSpec | None = None) -> Table:
    """A table continued after a break: repeated header rows (and a '续表' row) dropped, a row cut in two by
    the break joined again."""
    rows = drop_repeated_header(first, second.rows)
    head = list(first.rows)
    if head and rows:
        joined = _join_split_row(head[-1], rows[0], spec)
        if joined is not None:
            head[-1], rows = joined, rows[1:]
    return Table(rows=head + rows, loc=first.loc, exact=first.exact and second.exact)


def without_repeated_header(table: Table, spec: TableSpec | None = None) -> Table:
    """A table whose header is printed again further down (a converted PDF, one table object per report);
    a row cut in two by that header is joined again."""
    n = next((k for k, row in enumerate(table.rows) if _has_value(row)), len(table.rows))
    header = header_rows(table)
    if not header:
        return table
    rows, cut = list(table.rows[:n]), False
    for row in table.rows[n:]:
        if _is_repeat(row, header):
            cut = True
            continue
        joined = _join_split_row(rows[-1], row, spec) if cut and len(rows) > n else None
        if joined is not None:
            rows[-1] = joined
        else:
            rows.append(row)
        cut = False
    if len(rows) == len(table.rows):
        return table
    return Table(rows=rows, loc=table.loc, exact=table.exact)


def named(table: Table, name: str) -> Table:
    """The table with its Word-like name ('表三') in every location; the parts after a break are '表三（续）'."""
    first = table.loc.table

    def rename(loc: Loc) -> Loc:
        return replace(loc, table_name=name if loc.table in (None, first) else f"{name}（续）")

    rows = [[Cell(c.text, rename(c.loc), c.kind) for c in row] for row in table.rows]
    return Table(rows=rows, loc=rename(table.loc), exact=table.exact)


def continues(first: Table, second: Table) -> bool:
    """Does `second` print `first`'s header again (a table continued on the next page)?"""
    header = header_rows(first)
    lead = next((k for k, row in enumerate(second.rows) if _has_value(row)), len(second.rows))
    return bool(header) and any(_row_text(row) in header for row in second.rows[:lead])
