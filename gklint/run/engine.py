"""check one file: read -> bind -> rules. Never raises for a bad input file."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from gklint.document import LimitError, ReadError
from gklint.findings import Finding
from gklint.readers import read
from gklint.report.bind import bind, identify
from gklint.checks import across
from gklint.ruleset.loader import RuleSet, for_year, load


@dataclass
class FileResult:
    path: str
    template: str | None = None  # the rule set applied
    ruleset_path: str | None = None
    report_year: int | None = None
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False
    report: object = None
    skipped: bool = False  # no sign of being an annual report (a README, notes): not checked, counted
    timed_out: bool = False  # stopped by the time limit (GK007): never cached
    suppressed: list = field(default_factory=list)  # gklint.policy.suppress.Suppressed: accepted deviations
    agency: str = ""  # report.agency and report.layout, kept when the report itself is dropped (workers, cache)
    layout: str | None = None
    facts: across.Facts | None = None  # what the next year's report is compared with (gklint/checks/across.py)
    directives: list = field(default_factory=list)  # gklint.policy.suppress.Directive, applied by policy.apply
    compared: bool = False  # compared with last year's report (pairing): its directives for GK60x count

    def to_dict(self) -> dict:
        d = {"path": self.path, "template": self.template, "report_year": self.report_year,
             "skipped": self.skipped, "findings": [f.to_dict() for f in self.findings]}
        if self.suppressed:
            d["suppressed"] = [s.to_dict() for s in self.suppressed]
        return d


def choose_ruleset(year: int | None, layout: str | None, ref: str | None) -> RuleSet:
    if ref:
        return load(ref)
    if year is None and layout:
        return load(layout)
    return for_year(year)


def understand(doc, ruleset: str | None = None):
    """Identify the report, choose its rule set and bind once with it: (rule set, report)."""
    known = identify(doc)
    rs = choose_ruleset(known.year, known.layout, ruleset)
    return rs, bind(doc, rs, known)


def read_report(path: str, ruleset: str | None = None):
    """A file read and bound as `check` binds it (directive lines out, the rule set check chooses):
    (rule set, report). Raises ReadError."""
    from gklint.policy import suppress

    doc = read(path)
    _directives, blocks = suppress.take_directives(doc)
    return understand(replace(doc, blocks=blocks), ruleset)


def check_document(doc, ruleset: str | None = None, agency_kind: str = "auto"):
    """Bind once with the report's rule set and run it: (rule set, report, findings)."""
    from gklint import checks
    from gklint.checks.forced import forced_blanks
    from gklint.checks.identity import regroup
    from gklint.checks.text_table import reconcile

    rs, report = understand(doc, ruleset)
    findings = checks.run(report, rs, checks.Context(rs, agency_kind))
    findings = regroup(report, rs, findings)  # one wrong cell behind several identity findings: one finding
    findings = forced_blanks(report, rs, findings)  # a blank total its parts force: GK205 says the number
    findings = reconcile(findings)  # a sentence agreeing with a blamed cell's correction: no second finding
    findings += [Finding("GK004", "info", note, {}) for note in doc.notes]  # converted, a part not read …
    if any(f.code == "GK002" for f in findings):  # not a report at all: "section 一 missing" etc. is noise
        findings = [f for f in findings if f.code.startswith("GK00")]
    return rs, report, sorted(findings, key=Finding.sort_key)


def check_file(path: str, ruleset: str | None = None, agency_kind: str = "auto") -> FileResult:
    result = FileResult(path)
    if in_the_way(path):  # never a report, whatever its suffix: skipped and counted, not read
        result.skipped = True
        return result
    try:
        doc = read(path)
    except LimitError as exc:  # too large to check in bounded time and memory: not checked, said once
        result.unreadable = True
        result.findings.append(Finding("GK007", "error", f"超出检查上限，未检查：{exc}", {}))
        return result
    except ReadError as exc:
        result.unreadable = True
        result.findings.append(Finding("GK001", "error", f"无法读取文件：{exc}", {}))
        return result
    from gklint.policy import suppress

    directives, blocks = suppress.take_directives(doc)
    rs, report, result.findings = check_document(replace(doc, blocks=blocks), ruleset, agency_kind)
    suppress.resolve_sections(directives, report)
    result.template, result.ruleset_path, result.report_year, result.report = rs.name, rs.path, report.year, report
    result.agency, result.layout = report.agency, report.layout
    if not looks_like_report(report):
        result.skipped, result.findings, result.template = True, [], None
    else:
        result.directives = directives
        result.facts = across.facts(report)
    return result


def looks_like_report(report) -> bool:
    """Any sign of an annual report: a title naming a year's report, two section headings, a statistics table.
    A file with none (a README, meeting notes) is skipped and counted, never a finding; GK002 is for files
    that look like a report but cannot be understood."""
    return bool((report.title and report.year) or len(report.sections) >= 2 or report.tables)


def in_the_way(path: str) -> bool:
    """An editor's lock, temporary or backup file beside a report: Word's owner file `~$报告.docx` and its
    `~WRL0001.tmp`, LibreOffice's `.~lock.报告.docx#`, Emacs's `.#报告.docx` and `#报告.docx#`, `报告.docx~`,
    Vim's `.报告.docx.swp`. They come and go while a report is open and are never reports."""
    import os

    name = os.path.basename(path)
    return (name.startswith(("~$", ".~lock.", ".#")) or name.endswith("~") or (name[:1] == name[-1:] == "#")
            or name.lower().endswith((".tmp", ".swp")))
