"""Baseline: today's findings recorded as accepted, so that only new ones are reported (like ruff's
--add-noqa or a Vale/markdownlint baseline for legacy drafts).

A finding is recorded by a fingerprint that survives edits elsewhere in the report: the file (relative to
the baseline file), the code, and where it is in report terms — table key, row key, column, or section
and the offending text — never a paragraph number or a line, which move whenever anything above changes.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field

from gklint.policy.config import relative
from gklint.findings import Finding

FORMAT = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message names the file."""


def key(f: Finding) -> str:
    """Where the finding is, in words that do not depend on paragraph numbering."""
    loc = f.location
    parts = [f.code]
    if loc.get("table") or loc.get("table_index"):
        parts.append(f"表 {loc.get('table') or '#' + str(loc.get('table_index'))}")
        parts.append(f"行 {loc['row']}" if loc.get("row") else f"行#{loc.get('grid_row', '')}")
        parts.append(f"列 {loc['column']}" if loc.get("column") else f"列#{loc.get('grid_col', '')}")
    elif loc.get("section"):
        parts.append(f"第{loc['section']}部分")
    if not (loc.get("table") or loc.get("table_index")):
        text = f.snippet[f.span[0]:f.span[1]] if f.snippet and f.span else f.found
        if text:
            parts.append(f"「{text}」")
    return " ".join(str(p) for p in parts)


def relpath(path: str, baseline_file: str) -> str:
    return relative(path, os.path.dirname(os.path.abspath(baseline_file)))


def fingerprint(rel: str, f: Finding) -> str:
    import hashlib  # here: a run without a baseline never needs it

    return hashlib.sha256(f"{rel}\0{key(f)}".encode()).hexdigest()[:16]


def write(baseline_file: str, results) -> int:
    """Record every finding of `results` (an unreadable file is never accepted); returns how many."""
    entries = []
    for r in results:
        rel = relpath(r.path, baseline_file)
        for f in r.findings:
            if f.code in ("GK001", "GK007"):  # a file not read or not checked
                continue
            entries.append({"path": rel, "code": f.code, "key": key(f), "fingerprint": fingerprint(rel, f),
                            "message": f.message})
    data = {"gklint_baseline": FORMAT, "entries": entries}
    try:
        with open(baseline_file, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    except OSError as exc:
        raise BaselineError(f"{baseline_file}: 无法写入基线文件（{exc.strerror or exc}）") from None
    return len(entries)


@dataclass
class Baseline:
    path: str
    entries: list[dict] = field(default_factory=list)
    left: Counter = field(default_factory=Counter)  # fingerprints not yet matched in this run

    def take(self, rel: str, f: Finding) -> bool:
        fp = fingerprint(rel, f)
        if self.left[fp] > 0:
            self.left[fp] -= 1
            return True
        return False

    def stale(self, checked: set[str]) -> list[dict]:
        """Entries of files checked in this run that matched no finding: fixed, or changed beyond recognition."""
        left = Counter(self.left)
        out = []
        for e in reversed(self.entries):
            if e["path"] in checked and left[e["fingerprint"]] > 0:
                left[e["fingerprint"]] -= 1
                out.append(e)
        return list(reversed(out))


def load(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise BaselineError(f"{path}: 基线文件不存在（用 gklint check --write-baseline {path} 生成）") from None
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: 无法读取基线文件（{exc}）") from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or data.get("gklint_baseline") != FORMAT or not all(
            isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("fingerprint"), str)
            for e in entries):
        raise BaselineError(f"{path}: 不是 gklint 基线文件（应由 gklint check --write-baseline 生成）")
    return Baseline(path, entries, Counter(e["fingerprint"] for e in entries))


def apply(results, settings) -> list[dict]:
    """Move findings recorded in each file's baseline to `suppressed`; returns the stale entries
    (each with the baseline file), so a fixed finding can be dropped from the baseline."""
    from gklint.policy.suppress import Suppressed

    loaded: dict[str, Baseline] = {}
    checked: dict[str, set[str]] = {}
    for r, s in zip(results, settings):
        if not s.baseline:
            continue
        if s.baseline not in loaded:
            loaded[s.baseline] = load(s.baseline)
        bl = loaded[s.baseline]
        rel = relpath(r.path, s.baseline)
        shown = os.path.relpath(s.baseline)
        shown = s.baseline if shown.startswith("..") else shown
        checked.setdefault(s.baseline, set()).add(rel)
        kept = []
        for f in r.findings:
            if f.code not in ("GK001", "GK007") and bl.take(rel, f):
                r.suppressed.append(Suppressed(f, "baseline", shown))
            else:
                kept.append(f)
        r.findings = kept
    return [{**e, "baseline": path} for path, bl in loaded.items() for e in bl.stale(checked.get(path, set()))]
