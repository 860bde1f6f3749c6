"""What is shown: one step, after every check (the checks across years included), in this order:

1. directives written in the report (`gklint: ignore` comments and lines), with GK005/GK006 about them; a
   directive for the checks across years (GK60x) counts only when the report was compared with last year's;
2. the configuration: select, extend-select, ignore, per-file-ignores;
3. the baseline file;
4. the display threshold (min-severity): below it a finding is not shown at all.

What steps 1–3 take out is kept in `suppressed`, with why (--show-suppressed lists it)."""

from __future__ import annotations

from gklint.findings import Finding
from gklint.policy import suppress
from gklint.policy.suppress import Suppressed


def apply(results, settings, use_baseline: bool = True, use_min_severity: bool = True) -> list[dict]:
    """Apply the steps to each result (settings[i] belongs to results[i]); returns the baseline's entries that
    no longer occur. `use_baseline=False` stops after step 2 (what --write-baseline records)."""
    for r, s in zip(results, settings):
        _directives(r)
        _config(r, s)
    if not use_baseline:
        return []
    from gklint.policy import baseline  # hashing and JSON: only when a baseline is in use

    stale = baseline.apply(results, settings) if any(s.baseline for s in settings) else []
    if use_min_severity:
        for r, s in zip(results, settings):
            r.findings = [f for f in r.findings if not suppress.below(f, s.min_severity)]
    return stale


def across_codes(result) -> set[str]:
    """The codes of the checks across years in the result's rule set (their directives wait for a pair)."""
    from gklint.checks.across import codes
    from gklint.ruleset.loader import RuleSetError, load

    try:
        return codes(load(result.ruleset_path or result.template)) if result.template else set()
    except RuleSetError:
        return set()


def own_shown(result) -> list[Finding]:
    """The report's own findings that its directives leave shown (what the checks across years may rely on)."""
    if not result.directives:
        return result.findings
    now, _later = suppress.split(result.directives, across_codes(result))
    return [f for f in result.findings if suppress.covering(f, now) is None]


def _directives(r) -> None:
    if not r.directives:
        return
    later_codes = across_codes(r)
    now, later = suppress.split(r.directives, later_codes)
    own, hidden = suppress.apply([f for f in r.findings if f.code not in later_codes], now)
    across = [f for f in r.findings if f.code in later_codes]
    if r.compared:
        across, hidden_across = suppress.apply(across, later)
        hidden += hidden_across
    r.findings = sorted(own + across, key=Finding.sort_key)
    r.suppressed = r.suppressed + hidden


def _config(r, s) -> None:
    by_config = [Suppressed(f, "config", s.why_disabled(f.code, r.path)) for f in r.findings
                 if not s.enabled(f.code, r.path)]
    r.suppressed = [x for x in r.suppressed if s.enabled(x.finding.code, r.path)] + by_config
    r.findings = s.apply(r.findings, r.path)
