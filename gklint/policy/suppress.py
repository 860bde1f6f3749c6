"""Accepted deviations written into the report itself (like ruff's noqa and Vale's comments):

- .docx: a Word comment `gklint: ignore GK501 理由…` ignores those codes on the paragraph, cell, row or
  table it is anchored on;
- text / Markdown / HTML: a line `gklint: ignore GK501 理由…` (or `<!-- gklint: ignore … -->`) ignores
  them on the next paragraph or table.

A directive without a reason is GK005; one that suppresses nothing (or names no code) is GK006, like RUF100.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gklint.document import Paragraph, Table
from gklint.findings import Finding

_DIRECTIVE = re.compile(r"^\s*(?:<!--\s*)?gklint\s*[:：]\s*ignore(?![A-Za-z])(?P<rest>.*?)\s*(?:-->)?\s*$",
                        re.I | re.S)
_CODE = re.compile(r"^[\s,，、;；]*(GK\d+)(?!\d)", re.I)


@dataclass
class Directive:
    codes: tuple[str, ...]
    reason: str
    route: str  # "comment" (a Word comment) or "line" (a line in text, Markdown or HTML)
    where: dict  # location of the directive itself, for GK005/GK006
    targets: list[dict] = field(default_factory=list)  # locations it covers (see _covers)
    used: bool = False

    def to_dict(self) -> dict:
        return {"codes": list(self.codes), "reason": self.reason, "route": self.route, "where": self.where,
                "targets": self.targets}

    @classmethod
    def from_dict(cls, d: dict) -> "Directive":
        return cls(tuple(d["codes"]), d["reason"], d["route"], d["where"], d["targets"])


def split(directives: list[Directive], later: set[str]) -> tuple[list[Directive], list[Directive]]:
    """Directives for the file's own findings, and those for the codes in `later` (the checks across years,
    which run after the whole batch is read): a directive naming both kinds of code goes to both, each with
    its own codes, so neither pass calls the other's codes unused."""
    now, after = [], []
    for d in directives:
        mine = tuple(c for c in d.codes if not any(code.startswith(c) for code in later))
        theirs = tuple(c for c in d.codes if c not in mine)
        if mine or not d.codes:
            now.append(Directive(mine, d.reason, d.route, d.where, d.targets))
        if theirs:
            after.append(Directive(theirs, d.reason, d.route, d.where, d.targets))
    return now, after


@dataclass
class Suppressed:
    finding: Finding
    by: str  # comment | line | baseline | config
    reason: str

    def to_dict(self) -> dict:
        return {**self.finding.to_dict(), "by": self.by, "reason": self.reason}

    @classmethod
    def from_dict(cls, d: dict) -> "Suppressed":
        return cls(Finding.from_dict(d), d.get("by", ""), d.get("reason", ""))


def parse(text: str) -> tuple[tuple[str, ...], str] | None:
    """(codes, reason) of a `gklint: ignore` directive; None when the text is not one."""
    m = _DIRECTIVE.match(text or "")
    if not m:
        return None
    rest, codes = m.group("rest"), []
    while (c := _CODE.match(rest)) is not None:
        codes.append(c.group(1).upper())
        rest = rest[c.end():]
    reason = rest.strip().lstrip(":：-—,，、;；").strip()
    return tuple(codes), reason


def take_directives(doc) -> tuple[list[Directive], list]:
    """The directives of a read document, and its blocks without the directive lines, so that no rule and
    no section binding ever sees them."""
    if doc.reader.startswith("docx"):
        if not any("gklint" in (c.get("comment") or "").lower() for c in doc.comments):
            return [], doc.blocks  # the common case costs nothing
        return _docx_directives(doc.source), doc.blocks
    out, keep, pending = [], [], []
    for block in doc.blocks:
        parsed = parse(block.text) if isinstance(block, Paragraph) else None
        if parsed is not None:
            d = Directive(parsed[0], parsed[1], "line", _loc(block.loc))
            out.append(d)
            pending.append(d)
            continue
        for d in pending:  # the next element, as markdownlint's disable-next-line
            d.targets.append({"table_index": block.loc.table} if isinstance(block, Table) else _loc(block.loc))
        pending = []
        keep.append(block)
    return out, keep


def _loc(loc) -> dict:
    return {"line": loc.line} if loc.line is not None else {"para": loc.para}


def _docx_directives(pkg) -> list[Directive]:
    from gklint.readers.docx import locate

    try:
        root = locate.parse_xml(pkg.parts[locate.DOCUMENT])
        found = locate.comments(pkg, root)
        locator = locate.Locator(root, locate.numbered(pkg))
    except Exception:  # the reader has already read this file; a comment we cannot place is only lost
        return []
    out = []
    for c in found:
        parsed = parse(c.text.split("\n", 1)[0])
        if parsed is None:
            continue
        codes, reason = parsed
        reason = " ".join(x for x in (reason, c.text.split("\n", 1)[1].strip() if "\n" in c.text else "") if x)
        targets = [t for t in (locator.where(p) for p in c.paragraphs) if t]
        targets += _whole_rows(locator, targets)
        out.append(Directive(codes, reason, "comment", targets[0] if targets else {}, targets))
    return out


def _whole_rows(locator, targets: list[dict]) -> list[dict]:
    """A comment that spans every cell of a row covers the row (and of every row, the table)."""
    from gklint.readers.docx.locate import table_grid

    extra, by_table = [], {}
    for t in targets:
        if "grid_row" in t:
            by_table.setdefault(t["table_index"], set()).add((t["grid_row"], t["grid_col"]))
    for k, covered in by_table.items():
        tbl = locator.table(k)
        if tbl is None:
            continue
        grid = table_grid(tbl)
        hit = {id(grid[rc]) for rc in covered if rc in grid}
        rows = sorted({r for r, _ in grid})
        full = [r for r in rows if {id(tc) for (rr, _), tc in grid.items() if rr == r} <= hit]
        extra += [{"table_index": k, "grid_row": r} for r in full]
        if rows and full == rows:
            extra.append({"table_index": k})
    return extra


def resolve_sections(directives: list[Directive], report) -> None:
    """A directive on a section heading covers the findings about that section."""
    if not directives or report is None:
        return
    for d in directives:
        for s in report.sections:
            here = _loc(s.loc) if s.loc and (s.loc.line is not None or s.loc.para is not None) else None
            if here and here in d.targets:
                d.targets.append({"section": s.key})


def _covers(target: dict, loc: dict) -> bool:
    if "section" in target:
        return loc.get("section") == target["section"]
    if "table_index" in target:
        if loc.get("table_index") != target["table_index"]:
            return False
        if "grid_row" not in target:
            return True
        if loc.get("grid_row") != target["grid_row"]:
            return False
        return "grid_col" not in target or loc.get("grid_col") in (None, target["grid_col"])
    if "table_index" in loc:
        return False
    if "line" in target:
        return loc.get("line") == target["line"]
    return loc.get("para") is not None and loc.get("para") == target.get("para")


def covering(f: Finding, directives: list[Directive]) -> Directive | None:
    """The first directive that covers the finding (never an unreadable file's GK001)."""
    if f.code == "GK001":
        return None
    return next((d for d in directives if any(f.code.startswith(c) for c in d.codes)
                 and any(_covers(t, f.location) for t in d.targets)), None)


def apply(findings: list[Finding], directives: list[Directive]) -> tuple[list[Finding], list[Suppressed]]:
    """Findings not covered by a directive (plus GK005/GK006 about the directives), and those covered."""
    if not directives:
        return findings, []
    kept, suppressed = [], []
    for f in findings:
        d = covering(f, directives)
        if d is None:
            kept.append(f)
        else:
            d.used = True
            suppressed.append(Suppressed(f, d.route, d.reason))
    for d in directives:
        kept += _about(d)
    return sorted(kept, key=Finding.sort_key), suppressed


def _about(d: Directive) -> list[Finding]:
    kind = "批注" if d.route == "comment" else "注释行"
    codes = "、".join(d.codes)
    if not d.codes:
        return [Finding("GK006", "info", f"忽略{kind}没有写规则代码，不忽略任何问题（应写成“gklint: ignore GK501 理由”）",
                        dict(d.where), found="gklint: ignore " + d.reason)]
    out = []
    if not d.reason:
        out.append(Finding("GK005", "info", f"忽略{kind}（{codes}）没有写理由；请写明为什么接受这一偏差",
                           dict(d.where), expected="gklint: ignore 代码 理由", found=f"gklint: ignore {' '.join(d.codes)}"))
    if not d.used:
        out.append(Finding("GK006", "info", f"忽略{kind}（{codes}）所在位置没有这些问题，可以删除",
                           dict(d.where), found=f"gklint: ignore {' '.join(d.codes)} {d.reason}".strip()))
    return out


def below(f: Finding, min_severity: str) -> bool:
    """Under the display threshold (--min-severity); an unreadable file is always shown."""
    from gklint.findings import SEVERITIES

    return f.code != "GK001" and SEVERITIES.index(f.severity) < SEVERITIES.index(min_severity)
