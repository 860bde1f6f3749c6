"""The neutral document model every reader produces. Readers know nothing about annual reports."""

from __future__ import annotations

from dataclasses import dataclass, field


class ReadError(Exception):
    """A file that cannot be read; becomes a GK001 finding, never a traceback."""


class LimitError(ReadError):
    """A file beyond one of gklint's size limits (docs/limits.md); becomes one GK007 finding, never a hang."""


# Far beyond any annual report (表三 has about 30 rows, a whole report under 100 table rows and under 2 000
# cells), low enough that one hostile file cannot hold a worker for minutes or take gigabytes.
MAX_TABLE_ROWS = 30_000  # all tables of one document together
MAX_TABLE_CELLS = 300_000


@dataclass(frozen=True)
class Loc:
    """Where something is: line (text files, 1-based), paragraph (docx, 1-based),
    table (1-based, in document order) with grid row/col (1-based). table_name: the name binding gave
    the table ('表三'); without one a table is '第3张表格'."""

    line: int | None = None
    para: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    page: int | None = None  # PDF page (1-based)
    table_name: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.table is not None:
            where = (f"第{self.row}行" if self.row is not None else "") + \
                (f"第{self.col}列" if self.col is not None else "")
            parts.append((self.table_name or f"第{self.table}张表格") + where)
        if self.line is not None:
            parts.append(f"第{self.line}行" if self.table is None else f"(文本第{self.line}行)")
        elif self.para is not None and self.table is None:
            parts.append(f"第{self.para}段")
        return " ".join(parts)

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Cell:
    """A grid slot. kind: 'o' origin, 'h' horizontal-span filler, 'v' vertical-merge continuation,
    'x' absent (w:gridBefore). Only origins carry text of their own."""

    text: str
    loc: Loc
    kind: str = "o"


@dataclass
class Paragraph:
    text: str
    loc: Loc
    style: str = ""
    auto_number: str = ""  # the numbering Word renders in front of the text, if any
    pictures: int = 0  # pictures in it or on lines of their own after it (a table pasted as a picture)


@dataclass
class Table:
    rows: list[list[Cell]]
    loc: Loc
    exact: bool = True  # False when row/column structure was recovered from plain text


@dataclass
class Document:
    path: str
    reader: str
    blocks: list[Paragraph | Table] = field(default_factory=list)
    encoding: str | None = None
    properties: dict = field(default_factory=dict)
    comments: list[dict] = field(default_factory=list)
    source: object = field(default=None, repr=False, compare=False)  # the reader's own read (a .docx Package)
    notes: list[str] = field(default_factory=list)  # how it was read (converted, parts not read): a GK004 info each

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def check_table_size(rows: int, cells: int = 0, at_least: bool = False) -> None:
    """LimitError beyond MAX_TABLE_ROWS / MAX_TABLE_CELLS; readers call it early, before building the cells."""
    more = "至少" if at_least else "共"
    if rows > MAX_TABLE_ROWS:
        raise LimitError(f"表格{more}有 {rows} 行，超过 gklint 的上限 {MAX_TABLE_ROWS} 行（年度报告的表格合计不到 100 行）")
    if cells > MAX_TABLE_CELLS:
        raise LimitError(f"表格{more}有 {cells} 个单元格，超过 gklint 的上限 {MAX_TABLE_CELLS} 个")


def number_tables(blocks: list[Paragraph | Table]) -> list[Paragraph | Table]:
    """Give tables their 1-based number in document order, and cells their row/col in the table."""
    tables = [b for b in blocks if isinstance(b, Table)]
    check_table_size(sum(len(t.rows) for t in tables), sum(len(r) for t in tables for r in t.rows))
    k = 0
    for block in blocks:
        if isinstance(block, Table):
            k += 1
            block.loc = Loc(line=block.loc.line, para=block.loc.para, table=k, page=block.loc.page)
            for r, row in enumerate(block.rows, 1):
                for c, cell in enumerate(row, 1):
                    cell.loc = Loc(line=cell.loc.line, para=cell.loc.para, table=k, row=r, col=c, page=cell.loc.page)
    return blocks
