"""check one file: read -> bind -> rules. Never raises for a bad input file."""

from __future__ import annotations

from dataclasses import dataclass, field

from gklint.document import ReadError
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
    suppressed: list = field(default_factory=list)  # gklint.policy.suppress.Suppressed: accepted deviations
    agency: str = ""  # report.agency and report.layout, kept when the report itself is dropped (workers, cache)
    layout: str | None = None
    facts: dict | None = None  # what the next year's report is compared with (gklint/checks/across.py)

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


def check_document(doc, ruleset: str | None = None, agency_kind: str = "auto"):
    """Identify the report, choose its rule set, bind once with it and run it: (rule set, report, findings)."""
    from gklint import checks
    from gklint.checks.identity import regroup

    rs = choose_ruleset(*identify(doc), ruleset)
    report = bind(doc, rs)
    findings = checks.run(report, rs, checks.Context(rs, agency_kind))
    findings = regroup(report, rs, findings)  # one wrong cell behind several identity findings: one finding
    findings += [Finding("GK004", "info", note, {}) for note in doc.notes]  # converted, a part not read …
    if any(f.code == "GK002" for f in findings):  # not a report at all: "section 一 missing" etc. is noise
        findings = [f for f in findings if f.code.startswith("GK00")]
    return rs, report, sorted(findings, key=Finding.sort_key)


def check_file(path: str, ruleset: str | None = None, agency_kind: str = "auto") -> FileResult:
    result = FileResult(path)
    try:
        doc = read(path)
    except ReadError as exc:
        result.unreadable = True
        result.findings.append(Finding("GK001", "error", f"无法读取文件：{exc}", {}))
        return result
    from gklint.policy import suppress

    directives = suppress.take_directives(doc)
    rs, report, result.findings = check_document(doc, ruleset, agency_kind)
    suppress.resolve_sections(directives, report)
    directives, later = suppress.split(directives, across.codes(rs))
    result.findings, result.suppressed = suppress.apply(result.findings, directives)
    result.template, result.ruleset_path, result.report_year, result.report = rs.name, rs.path, report.year, report
    result.agency, result.layout = report.agency, report.layout
    if not looks_like_report(report):
        result.skipped, result.findings, result.suppressed, result.template = True, [], [], None
    else:
        result.facts = across.facts(report)
        result.facts["directives"] = [d.to_dict() for d in later]  # applied to the findings across years
    return result


def looks_like_report(report) -> bool:
    """Any sign of an annual report: a title naming a year's report, two section headings, a statistics table.
    A file with none (a README, meeting notes) is skipped and counted, never a finding; GK002 is for files
    that look like a report but cannot be understood."""
    return bool((report.title and report.year) or len(report.sections) >= 2 or report.tables)
