"""What binding understood of a document: the Report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gklint.document import Document, Loc, Paragraph
from gklint.numbers import Value


@dataclass
class BoundCell:
    value: Value
    loc: Loc


@dataclass
class BoundRow:
    key: str
    label: str  # the label as printed in the document
    loc: Loc
    cells: dict[str, BoundCell] = field(default_factory=dict)  # column key -> cell; empty if incomplete
    found: list[BoundCell] = field(default_factory=list)  # every value cell found, in order
    expected: int = 0
    incomplete: bool = False
    recovered: bool = False  # values split from digits run together (flattened text), the one reading
    unsplit: str | None = None  # digits run together that have no single reading as the row's values
    wording: str | None = None  # the template's label when the printed one is a character or two off it

    def value(self, col: str) -> Value | None:
        c = self.cells.get(col)
        return c.value if c else None


@dataclass
class BoundTable:
    key: str
    title: str
    loc: Loc
    exact: bool
    rows: dict[str, BoundRow] = field(default_factory=dict)
    missing_rows: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    extra_rows: list[BoundRow] = field(default_factory=list)
    source: str = "table"  # "table", "paragraphs" (one cell per paragraph) or "flat" (running text)
    spec: object = None  # the TableSpec (of the detected layout) it was bound with
    header_note: str | None = None  # how the columns were known when the header was not recognised


@dataclass
class Section:
    key: str
    title: str  # the template's title
    heading: str  # the heading as printed
    number: str  # the number as printed ('' when unnumbered)
    loc: Loc
    paragraphs: list[Paragraph] = field(default_factory=list)
    block_range: tuple[int, int] = (0, 0)  # [start, end) indexes into Document.blocks after the heading
    matched_by: str = "title"  # "title" (the template's title or a known variant) or "keywords"
    pictures: int = 0  # pictures in the part (a table pasted as a picture is content, but cannot be read)

    @property
    def numbered(self) -> bool:
        return bool(self.number)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass
class DateFound:
    date: dt.date
    loc: Loc
    source: str  # "发布日期" line, "落款", ...
    text: str


@dataclass
class Period:
    start: dt.date | None
    end: dt.date | None
    loc: Loc
    text: str


@dataclass
class Report:
    document: Document
    title: str = ""
    title_loc: Loc | None = None
    agency: str = ""
    agency_aliases: list[str] = field(default_factory=list)  # other names the report gives itself (its 落款's)
    year: int | None = None
    layout: str | None = None  # table layout detected from the tables themselves
    layout_scores: dict[str, int] = field(default_factory=dict)
    publication: DateFound | None = None  # the page's 发布日期, else the 落款
    signed: DateFound | None = None  # the 落款 (or the date under the title), even when a 发布日期 is given
    period: Period | None = None
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, BoundTable] = field(default_factory=dict)
    unread: dict[str, tuple[BoundTable, str]] = field(default_factory=dict)  # found but not understood: why

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)
