"""One line per file for the reviewing office: agency, year, rule set, counts and the main codes. The JSON,
HTML and CSV outputs all take it from here, so the three always agree."""

from __future__ import annotations

from collections import Counter

from gklint.findings import SEVERITIES

SHOWN = SEVERITIES[::-1]  # the most severe first, as the summary table's columns
MAIN_CODES = 5  # the summary table names this many codes; the findings below list them all


def by_frequency(codes) -> list[str]:
    """The distinct codes, the most frequent first (then by code): the order every summary names them in."""
    return [c for c, _ in sorted(Counter(codes).items(), key=lambda kv: (-kv[1], kv[0]))]


def file_summary(r) -> dict:
    counts = {s: sum(1 for f in r.findings if f.severity == s) for s in SHOWN}
    return {"path": r.path, "agency": r.agency or "", "year": r.report_year, "template": r.template,
            "layout": r.layout, "counts": counts,
            "codes": by_frequency(f.code for f in r.findings),
            "unreadable": r.unreadable, "skipped": r.skipped,
            "reason": r.findings[0].message if r.unreadable and r.findings else ""}


def rule_sets(results) -> list[str]:
    """The rule sets the run applied, by name."""
    return sorted({r.template for r in results if r.template and not r.skipped})
