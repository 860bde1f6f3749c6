"""bind: Document + the national schemas -> Report (year, dates, sections, tables)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from gklint.document import Document, Loc, Paragraph, Table
from gklint.findings import table_name
from gklint.numbers import DATE_RE, ISO_DATE_RE, find_dates, make_date
from gklint.readers.html import without_site_name
from gklint.report import agency
from gklint.report.labels import heading_number, norm
from gklint.report.model import DateFound, Period, Report, Section
from gklint.report.tables import (bind_flat, bind_stream, bind_table, columns_by_position, continues, merge_tables,
                                  named, signature_score, table_text, unreadable_reason, without_repeated_header)
from gklint.ruleset.loader import RuleSet, SectionSpec, layouts

_SUBHEAD = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．])")
_YEAR = re.compile(r"(\d{4}|[〇零○OoＯ一二三四五六七八九]{4})\s*年")
_PUBLISHED = re.compile(r"(?:(?:发布|印发|成文|公开|生成)(?:日期|时间)\s*[:：]?|(?:^|(?<=\s))(?:日期|时间)\s*[:：])\s*")
_PERIOD_HINT = re.compile(r"统计(?:期限|时限|时间段|时间|区间|期间|周期)")
_PERIOD = re.compile(
    r"(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?\s*(?:起)?\s*(?:至|到|—|－|-|～|~)\s*"
    r"(?:(?P<y2>\d{4})\s*年\s*)?(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
HEADING_MAX = 40  # the longest section heading with its number (a variant of 四 has 30 characters)
HEADING_EXTRA = 8  # characters a heading may carry beyond a known title ("（2022年度）", "第二十条第（一）项")
AGENCY_LINE_MAX = 30  # the agency line of a 落款 above its date
TITLE_MAX = 60  # a title longer than this is a sentence
TITLE_SEARCH = 8  # paragraphs before the first heading or table in which the title is looked for
PUBLISHED_SEARCH = 12  # paragraphs at the top where a page's "发布日期：" line stands
STREAM_CELL_MAX = 60  # a paragraph longer than this is running text, not one cell of a loose table


def identify(doc: Document) -> Report:
    """The title (report year, agency) and the table layout: what chooses the rule set, found before anything
    is bound, so that binding happens once, with that rule set's sections and tables; `bind` reuses them."""
    report = Report(document=doc)
    _title(report)
    report.layout, report.layout_scores = detect_layout(doc, layouts())
    return report


def bind(doc: Document, ruleset: RuleSet | None = None, known: Report | None = None) -> Report:
    """Sections and tables as `ruleset` describes them (the national template when None); the tables with the
    national layout the document's tables have when the rule set's layout is another (GK207 says so).
    `known`: what `identify` found; reused where binding would find the same (nothing was split off)."""
    schemas = layouts()
    sections = (ruleset or schemas[-1]).sections
    blocks = split_run_in_headings(doc.blocks, sections)
    same = known is not None and len(blocks) == len(doc.blocks)  # identify saw these very blocks
    doc = replace(doc, blocks=blocks)  # the reader's Document is left as it was read
    report = Report(document=doc)
    report.sections = find_sections(doc, sections)
    if same and _title_before_headings(known, report):
        report.title, report.title_loc, report.year, report.agency = (known.title, known.title_loc, known.year,
                                                                     known.agency)
    else:
        _title(report)
    _publication(report)
    _agency(report)
    if report.publication is None:
        _page_date(report)
    _period(report)
    if same:
        report.layout, report.layout_scores = known.layout, known.layout_scores
    else:
        report.layout, report.layout_scores = detect_layout(doc, schemas)
    schema = next((s for s in schemas if s.layout == report.layout), schemas[-1])
    if ruleset is not None and ruleset.tables and report.layout in (None, ruleset.layout):
        schema = ruleset  # a province's rule set may add rows: bind with its own tables
    set_tables(report, bind_tables(doc, report, schema))
    return report


def _title_before_headings(known: Report, report: Report) -> bool:
    """identify looked for the title without sections; bind looks only above the first heading. The same
    title is found when identify's title (or none: fewer paragraphs cannot find one) is above it."""
    if known.title_loc is None:
        return True
    headings = {s.loc for s in report.sections}
    for block in report.document.blocks:
        if block.loc == known.title_loc:
            return True
        if block.loc in headings:
            return False
    return False


def set_tables(report: Report, bound: dict) -> None:
    """Tables bound as the national format go to report.tables; the rest, with the reason, to report.unread,
    so that no rule checks rows or cells of a table that was not understood."""
    report.tables, report.unread = {}, {}
    for key, bt in bound.items():
        columns_by_position(bt)
        reason = unreadable_reason(bt)
        if reason:
            report.unread[key] = (bt, reason)
        else:
            report.tables[key] = bt


# --- sections ---

HEAD_WINDOW = 30  # a heading run into its paragraph ends within this many characters ("四、…情况行政复议…")
_HEAD_END = re.compile(r"情况|事项|措施|计划")
_BODY_YEAR = re.compile(r"(?<![\d，。；])(?=\d{4}\s*年)")  # a heading followed at once by "2024年，…"


def _norm_prefix_len(raw: str, target: str) -> int | None:
    """How many characters of `raw` normalise to `target` (None when raw does not start with it)."""
    acc = ""
    for i, ch in enumerate(raw):
        acc += norm(ch)
        if acc == target:
            return i + 1
        if not target.startswith(acc):
            return None
    return None


def _heading_end(text: str, specs: list[SectionSpec]) -> int | None:
    """Where a numbered heading run into the text of its paragraph ends, if it is one."""
    end = _title_end(text, specs)
    if end is not None:
        return end
    number, rest = heading_number(text)
    if not number:
        return None
    offset = len(text) - len(rest)
    m = _HEAD_END.search(rest[:HEAD_WINDOW]) or _BODY_YEAR.search(rest[:HEAD_WINDOW])
    if m and any(_has_keywords(rest[:m.end()], spec) for spec in specs):
        return offset + m.end()
    return None


_GLUED = re.compile(r"(?<=[。；;！!？?])\s*(?=[一二三四五六七八九十]{1,2}\s*[、.．])")


def _title_end(text: str, specs: list[SectionSpec]) -> int | None:
    """Where a numbered heading that starts `text` with a section's full title (or variant) ends."""
    number, rest = heading_number(text)
    if not number:
        return None
    offset = len(text) - len(rest)
    for spec in specs:
        for title in [spec.title] + spec.variants:
            n = _norm_prefix_len(rest, norm(title))
            if n is not None:
                return offset + n
    return None


def split_run_in_headings(blocks: list, specs: list[SectionSpec]) -> list:
    """'二、主动公开政府信息情况第二十条…' (a heading run into what follows, as in text flattened from a web
    page or a heading typed in the first line of its paragraph) -> the heading and the rest; and
    '…业务工作水平。六、其他需要报告的事项' (a heading glued to the paragraph before it, as a PDF converted
    to Word has it) -> the paragraph and the heading. Glued or short, only a section's full title counts."""
    out = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            out.append(block)
            continue
        pieces = _split_glued(block.text, specs)
        pics = block.pictures
        for k, piece in enumerate(pieces):
            if len(piece) > HEADING_MAX:
                end = _heading_end(piece, specs)
            else:
                end = _title_end(piece, specs)
            rest = piece[end:].lstrip(" \t\u3000。：:") if end else ""
            style, number = (block.style, block.auto_number) if k == 0 else ("", "")
            if end and rest:
                out.append(Paragraph(piece[:end].strip(), block.loc, style, number))
                out.append(Paragraph(rest, block.loc, block.style, pictures=pics))
            elif len(pieces) == 1:
                block.pictures = pics
                out.append(block)
            else:
                out.append(Paragraph(piece, block.loc, style, number, pictures=pics if k == len(pieces) - 1 else 0))
    return out


def _split_glued(text: str, specs: list[SectionSpec]) -> list[str]:
    """The text cut before each numbered section title that follows the end of a sentence."""
    cuts = [m.start() for m in _GLUED.finditer(text) if m.start() > 0 and _title_end(text[m.end():], specs)]
    if not cuts:
        return [text]
    bounds = [0] + cuts + [len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def _heading_match(text: str, spec: SectionSpec) -> bool:
    k = norm(text).rstrip("。")
    for title in [spec.title] + spec.variants:
        t = norm(title)
        if k == t or (t in k and len(k) - len(t) <= HEADING_EXTRA):
            return True
    return False


def _has_keywords(text: str, spec: SectionSpec) -> bool:
    k = norm(text)
    return any(norm(w) in k for w in spec.keywords)


def _strong_keywords(text: str, spec: SectionSpec) -> bool:
    """Two of a section's key words, or one of four characters or more: enough to know a renumbered heading."""
    k = norm(text)
    found = [w for w in spec.keywords if norm(w) in k]
    return len(found) >= 2 or any(len(norm(w)) >= 4 for w in found)


def find_sections(doc: Document, specs: list[SectionSpec]) -> list[Section]:
    """A section's heading is a short paragraph that carries its title (or a known variant), numbered or not,
    or one numbered with the section's number that carries its key words ("五、存在的主要问题及整改措施").
    Titles win over key words, then the section's own number, then document order after the previous
    section: an extra part inserted or two parts swapped does not make every later section "missing"."""
    # (priority, index, paragraph, number, rest, by): lower priority is better
    candidates: dict[str, list[tuple]] = {}
    for i, block in enumerate(doc.blocks):
        if not isinstance(block, Paragraph) or len(block.text) > HEADING_MAX or _SUBHEAD.match(block.text):
            continue
        number, rest = heading_number(block.text)
        if any(ch in rest.rstrip("。") for ch in "，,；;。"):  # a sentence or a line of one, not a heading
            continue
        for spec in specs:
            if _heading_match(rest, spec):
                prio, by = (0 if number == spec.key else 1), "title"
            elif number == spec.key and _has_keywords(rest, spec):
                prio, by = 2, "keywords"
            elif number and _strong_keywords(rest, spec):  # renumbered ("六、存在的主要问题及整改措施")
                prio, by = 3, "keywords"
            else:
                continue
            candidates.setdefault(spec.key, []).append((prio, i, block, number, rest, by))
    chosen, used, pos = [], set(), -1
    for spec in specs:
        cands = sorted((c for c in candidates.get(spec.key, []) if c[1] not in used),
                       key=lambda c: (c[0], c[1] <= pos, c[1]))
        if cands:
            best = cands[0]
            chosen.append((best, spec))
            used.add(best[1])
            pos = best[1]
    chosen.sort(key=lambda c: c[0][1])
    sections = []
    for k, ((_prio, i, par, number, _rest, by), spec) in enumerate(chosen):
        end = chosen[k + 1][0][1] if k + 1 < len(chosen) else len(doc.blocks)
        paras = [b for b in doc.blocks[i + 1:end] if isinstance(b, Paragraph)]
        sections.append(Section(spec.key, spec.title, par.text, number, par.loc, paras, (i + 1, end), by,
                                sum(b.pictures for b in doc.blocks[i:end] if isinstance(b, Paragraph))))
    if sections:
        _drop_signature(sections[-1])
    return sections


def _is_date_line(text: str) -> bool:
    s = unicodedata.normalize("NFKC", text).strip()
    for rx in (DATE_RE, ISO_DATE_RE):
        m = rx.search(s)
        if m and len(s) - (m.end() - m.start()) <= 2:
            return True
    return False


def _signature_date_line(text: str) -> bool:
    """'临江市生态环境局\t\t2023年2月20日': the agency and the date of the 落款 on one line, the date at the
    end after tabs or spaces, the agency a short name, not a sentence."""
    s = unicodedata.normalize("NFKC", text).strip()
    s = re.split(r"[。；;]", s)[-1]  # flattened text: the 落款 after the last sentence of its paragraph
    for rx in (DATE_RE, ISO_DATE_RE):
        last = None
        for last in rx.finditer(s):
            pass
        if last is None or s[last.end():].strip(" )）"):
            continue
        agency = s[: last.start()]
        if (agency[-1:].isspace() and 0 < len(agency.strip()) <= 40
                and not re.search(r"[。；;，,：:！？!?]", agency)):
            return True
    return False


def _drop_signature(last: Section) -> None:
    """The 落款 (agency name and date) closes the document; it is not content of section 六."""
    paras = last.paragraphs
    while paras and (_is_date_line(paras[-1].text) or _signature_date_line(paras[-1].text)):
        text = paras.pop().text
        alone = _is_date_line(text)
        if alone and paras and len(paras[-1].text) <= AGENCY_LINE_MAX and not paras[-1].text.endswith(("。", "；", ";")):
            paras.pop()
        # flattened text: "无 平潭综合实验区公安局 2020年1月17日" — the content before the agency stays
        dates = [] if alone else list(DATE_RE.finditer(text)) + list(ISO_DATE_RE.finditer(text))
        before = text[:max(m.start() for m in dates)].rstrip().rsplit(None, 1) if dates else []
        if len(before) == 2 and before[0].strip():
            paras.append(Paragraph(before[0].strip(), last.loc))
            break


# --- title, year, dates ---

def _looks_like_title(text: str) -> bool:
    """A title names a (year's) report and is not a sentence ("根据《条例》…编制本报告。" is not)."""
    t = text.strip()
    if len(t) > TITLE_MAX or t.endswith(("。", "；", "，")) or re.match(r"^(根据|按照|依据|本报告|本年度报告)", t):
        return False
    return bool("报告" in t and _YEAR.search(t) or re.search(r"年度?报告$", t))


def _title(report: Report) -> None:
    doc = report.document
    first_heading = min((s.loc for s in report.sections), key=lambda l: (l.line or 0, l.para or 0), default=None)
    pars = []
    for block in doc.blocks:
        if isinstance(block, Table):
            break
        if first_heading is not None and block.loc == first_heading:
            break
        pars.append(block)
        if len(pars) >= TITLE_SEARCH:
            break
    for k, p in enumerate(pars):
        text = _title_at_start(p.text)
        if _looks_like_title(text):
            title, loc = re.sub(r"^标题\s*[:：]\s*", "", without_site_name(text.strip())), p.loc
            prev = pars[k - 1].text.strip() if k > 0 else ""
            # a title wrapped over two lines: "2024 年上海市科委政府信息公开工作" + "年度报告"
            wrapped = re.match(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年", title) or len(title) <= 8
            if wrapped and prev and len(prev) <= HEADING_MAX and not prev.endswith(("。", "；", "：", ":")):
                title, loc = prev + title, pars[k - 1].loc
            report.title, report.title_loc = title, loc
            break
    if not report.title:  # a page saved or converted to Word: its headline further down, below the site's menus
        _page_title(report, first_heading)
    if not report.title and doc.reader.startswith("html") and doc.properties.get("title"):  # the page's headline
        report.title = doc.properties["title"]
    text = unicodedata.normalize("NFKC", report.title)
    m = _YEAR.search(text)
    if m:
        year = make_date(m.group(1), "1", "1")
        report.year = year.year if year else None
    report.agency = agency.from_title(report.title)


PAGE_TITLE_SEARCH = 80  # paragraphs before the first heading of a converted page (menus, breadcrumbs …)
_TITLE_RUN_IN = re.compile(r"^(.{6,60}?年度?报告)\s*(?=根据|按照|依据|本年度报告|本报告)")
_PAGE_LABEL = re.compile(r"^(?:正文|全文|附件\d?)\s+(?=\d{4}\s*年)")


def _title_at_start(text: str) -> str:
    """'正文 2025 年某办公厅政府信息公开 工作年度报告 本年度报告根据…' (a title run into the preamble, as pandoc
    joins a PDF extraction's lines): the title; other text as it is."""
    m = _TITLE_RUN_IN.match(text.strip())
    return _PAGE_LABEL.sub("", m.group(1)) if m and len(text) > TITLE_MAX else text


def _page_title(report: Report, first_heading) -> None:
    """The last line before the first heading that is a report's title (a page's headline comes after the site's
    menus and breadcrumbs, and after the <title> line a converter puts first), its site name dropped."""
    found, prev = None, None
    for block in report.document.blocks[:PAGE_TITLE_SEARCH]:
        if isinstance(block, Table) or (first_heading is not None and block.loc == first_heading):
            break
        text = without_site_name(block.text.strip())
        if _looks_like_title(text) and re.search(r"年度?报告$", text) and _YEAR.search(text):
            found = (text, block.loc)
            # the agency's name on the line above a title that starts with the year ('某局' + '2020年…报告')
            if prev is not None and re.match(r"^\s*\d{4}\s*年", text) and 2 < len(prev.text) <= AGENCY_LINE_MAX \
                    and not re.search(r"[。；;：:，,〔〕\d]", prev.text):
                found = (prev.text.strip() + text, prev.loc)
        prev = block
    if found:
        report.title, report.title_loc = found


def _agency(report: Report) -> None:
    """The title's agency, else (most certain first) the web page's headline (a page's line above the title
    may be the site's name), a line above the title that holds only a name, the preamble's '现将某局2023年…
    报告公布', the 落款, the preamble's '本报告由某局编制' (the last two: a government's office may sign or
    compile the government's report, so an office's name there is not taken, see agency.signature).
    The 落款 or preamble's other name of the title's agency ('上海市科学技术委员会') goes to agency_aliases."""
    doc = report.document
    blocks = doc.blocks
    at = next((i for i, b in enumerate(blocks) if report.title_loc is not None and b.loc == report.title_loc), None)
    start = report.sections[0].block_range[0] - 1 if report.sections else len(blocks)
    preamble = [b.text for b in blocks[(at + 1 if at is not None else 0):start][:TITLE_SEARCH]
                if isinstance(b, Paragraph)]
    signed = _signature_agency(report)
    headline = doc.properties.get("title", "") if doc.reader.startswith("html") else ""
    if report.agency:
        for other in (agency.published(preamble), agency.clean(signed), agency.from_title(headline)):
            if agency.alias(report.agency, other) and other not in report.agency_aliases:
                report.agency_aliases.append(other)
        return
    above = blocks[at - 1] if at else None
    for found in (lambda: agency.from_title(headline),
                  lambda: agency.clean(above.text) if isinstance(above, Paragraph) else "",
                  lambda: agency.published(preamble),
                  lambda: agency.signature(signed),
                  lambda: agency.compiled(preamble)):
        report.agency = found()
        if report.agency:
            return


def _signature_agency(report: Report) -> str:
    """The agency of the 落款: the line above its date, or what stands before the date that ends a line
    ('某局\t\t2023年2月20日'; flattened text: '…情况。 某局2022年1月7日'). Unchecked: agency.clean decides."""
    lines = _closing_lines(report)
    for k, (text, _loc) in enumerate(lines):
        if _is_date_line(text):
            return lines[k + 1][0] if k + 1 < len(lines) else ""
        s = re.split(r"[。；;]", unicodedata.normalize("NFKC", text).strip())[-1]
        dates = [m for rx in (DATE_RE, ISO_DATE_RE) for m in rx.finditer(s) if not s[m.end():].strip(" )）")]
        if dates:
            before = s[:min(m.start() for m in dates)].split()
            return before[-1] if before else ""
    return ""


def _publication(report: Report) -> None:
    """'发布日期：' near the top, else the 落款 date at the end (alone, after the agency on its line, in a
    table cell or text box, or a date field's result), else a date in brackets under the title."""
    pars = report.document.paragraphs
    report.signed = _signed(report, pars)
    # a converted page: the date line under the headline, below the site's menus (the title may be its <title> line)
    heads = [k for k, p in enumerate(pars[:PAGE_TITLE_SEARCH])
             if k >= PUBLISHED_SEARCH and report.title and without_site_name(p.text.strip()) == report.title]
    near_title = [q for k in heads[:1] for q in pars[k + 1:k + 4]]
    for p in pars[:PUBLISHED_SEARCH] + near_title:
        m = _PUBLISHED.search(unicodedata.normalize("NFKC", p.text))
        if m:
            dates = [d for d in find_dates(p.text) if d[1] >= m.start()]
            if dates:
                report.publication = DateFound(dates[0][0], p.loc, "发布日期", p.text.strip())
                return
    report.publication = report.signed


def _signed(report: Report, pars: list[Paragraph]) -> DateFound | None:
    """The date the report is signed: the 落款 at the end, else a date in brackets under the title."""
    for text, loc in _closing_lines(report):
        if _is_date_line(text) or _signature_date_line(text):
            dates = find_dates(text)
            if dates:
                return DateFound(dates[-1][0], loc, "落款", text.strip())
    return _dated_under_title(report, pars)


_BRACKETED_DATE = re.compile(r"^[(（]\s*([^()（）]{6,20})\s*[)）]$")


def _dated_under_title(report: Report, pars: list[Paragraph]) -> DateFound | None:
    """'（2023年2月20日）' on its own line right under the title, as official documents print it."""
    start = next((k + 1 for k, p in enumerate(pars) if p.loc == report.title_loc), None)
    for p in pars[start:start + 2] if start is not None else pars[:6]:
        m = _BRACKETED_DATE.match(unicodedata.normalize("NFKC", p.text).strip())
        if m and _is_date_line(m.group(1)):
            dates = find_dates(m.group(1))
            if dates:
                return DateFound(dates[0][0], p.loc, "标题下日期", p.text.strip())
    return None


def _closing_lines(report: Report, n: int = 6) -> list[tuple[str, object]]:
    """The last `n` lines of the document, last first: paragraphs, and the cells of a small table at the
    end (a 落款 laid out in a borderless table); never the title or a heading and what precedes them."""
    doc = report.document
    stop = {s.block_range[0] - 1 for s in report.sections}  # by position: flattened text shares one Loc
    stop |= {next((i for i, b in enumerate(doc.blocks) if b.loc == report.title_loc), -1)}
    out: list[tuple[str, object]] = []
    for i in range(len(doc.blocks) - 1, -1, -1):
        block = doc.blocks[i]
        if i in stop:
            break
        if isinstance(block, Paragraph):
            out.append((block.text, block.loc))
        elif len(block.rows) > 4 or any(sum(c.kind == "o" for c in row) > 3 for row in block.rows):
            continue  # a statistics table (perhaps attached after the 落款), not a 落款 laid out in a table
        else:
            for row in reversed(block.rows):
                for cell in reversed(row):
                    if cell.kind == "o" and cell.text.strip():
                        out += [(line, cell.loc) for line in reversed(cell.text.split("\n")) if line.strip()]
        if len(out) >= n:
            break
    return out[:n]


def _page_date(report: Report) -> None:
    """A web page's own publication date (its PubDate meta tag) when the text carries none."""
    stamp = report.document.properties.get("published", "")
    dates = find_dates(stamp)
    if dates:
        report.publication = DateFound(dates[0][0], report.title_loc or Loc(), "网页发布日期", stamp)


def _period(report: Report) -> None:
    for p in report.document.paragraphs:
        text = unicodedata.normalize("NFKC", p.text)
        hint = _PERIOD_HINT.search(text)
        if not hint:
            continue
        m = _PERIOD.search(text, max(0, hint.start() - 60))
        if m:
            start = make_date(m.group("y1"), m.group("m1"), m.group("d1"))
            end = make_date(m.group("y2") or m.group("y1"), m.group("m2"), m.group("d2"))
            report.period = Period(start, end, p.loc, p.text.strip())
            return
        report.period = Period(None, None, p.loc, p.text.strip())
        return


# --- tables ---

def _table_corpus(doc: Document, schemas: list[RuleSet]) -> str:
    tables = doc.tables
    if tables:
        return norm("".join(table_text(t) for t in tables))
    # loose cells, or a table flattened into a long paragraph that carries a table's signature
    signatures = {norm(s) for schema in schemas for spec in schema.tables.values() for s in spec.signature}
    normed = (norm(p.text) for p in doc.paragraphs)  # once per paragraph, not once per signature
    return "".join(t for t in normed if len(t) <= 40 or any(s in t for s in signatures))


def detect_layout(doc: Document, schemas: list[RuleSet]) -> tuple[str | None, dict[str, int]]:
    corpus = _table_corpus(doc, schemas)
    scores = {s.layout: sum(1 for m in s.layout_markers if norm(m) in corpus) for s in schemas if s.layout}
    if not scores or max(scores.values()) == 0:
        return None, scores
    best = max(scores.values())
    winners = [k for k, v in scores.items() if v == best]
    return (winners[0] if len(winners) == 1 else None), scores


def bind_tables(doc: Document, report: Report, schema: RuleSet) -> dict:
    order = [s.key for s in schema.sections]
    specs = dict(sorted(schema.tables.items(), key=lambda kv: order.index(kv[1].section)
                        if kv[1].section in order else len(order)))
    assigned: dict[str, Table] = {}
    last_key: str | None = None
    heading_idx = {s.block_range[0] - 1 for s in report.sections}
    since_heading = False
    for i, block in enumerate(doc.blocks):
        if i in heading_idx:
            since_heading = True
        if not isinstance(block, Table):
            continue
        if last_key is not None and not since_heading and continues(assigned[last_key], block):
            # the header printed again after a page break: the same table, even with its signature
            assigned[last_key] = merge_tables(assigned[last_key], block, specs[last_key])
            continue
        text = table_text(block)
        scored = sorted(((signature_score(text, spec), key) for key, spec in specs.items() if key not in assigned),
                        reverse=True)
        if scored and scored[0][0] > 0:
            last_key = scored[0][1]
            assigned[last_key] = block
        elif last_key is not None and not since_heading:
            assigned[last_key] = merge_tables(assigned[last_key], block, specs[last_key])
        since_heading = False
    bound = {}
    for key, spec in specs.items():
        if key in assigned:
            table = named(without_repeated_header(assigned[key], spec), table_name(key) or spec.title)
            bound[key] = bind_table(table, spec)
            continue
        section = report.section(spec.section)
        if section is None:
            continue
        paras = [(p.text, p.loc) for p in section.paragraphs]
        long = "".join(t for t, _ in paras if len(t) > STREAM_CELL_MAX)
        cells = [(t, loc) for t, loc in paras if len(t) <= STREAM_CELL_MAX]
        if long and signature_score(long, spec) > 0:  # the table runs on in the text (a flattened page)
            bound[key] = bind_flat(paras, spec, paras[0][1])
        elif cells and signature_score("".join(t for t, _ in cells), spec) > 0:
            bound[key] = bind_stream(cells, spec, cells[0][1])
    return bound

