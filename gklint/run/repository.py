"""--pair-with-repository: a report named on the command line (as pre-commit names the staged files) is
compared with the same agency's report of the year before among the files git tracks in its work tree.

Only the facts of those earlier reports are used, never their findings. To keep a commit cheap, the tracked
files are read in tiers and the search stops once every report has its predecessor: first those whose path
names the year before and the agency (2022/某局.docx, 某局2022年报告.pdf: the agency as the report names
it, or the checked file's name without its digits), then the other files naming the year before, then those
whose path names no year at all; a file whose path names only other years is never read. Every file read goes through the result cache, so
the next commit reads nothing again."""

from __future__ import annotations

import os
import re
import subprocess

_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")


def years_named(path: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(path)}


def work_tree(path: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(path)), "rev-parse", "--show-toplevel"],
                             capture_output=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return os.path.realpath(out.decode("utf-8", "surrogateescape").strip())


def tracked(top: str) -> list[str]:
    """Paths (relative to `top`) of the files git tracks in the work tree `top`."""
    try:
        out = subprocess.run(["git", "-C", top, "ls-files", "-z", "--cached"], capture_output=True, timeout=60,
                             check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def tiers(results, suffixes: tuple[str, ...], excluded) -> list[list[str]]:
    """The tracked files that may hold the predecessor of one of `results`, cheapest first."""
    from gklint.run.engine import in_the_way

    wanted = {r.facts["year"] - 1 for r in results if r.facts and isinstance(r.facts.get("year"), int)}
    hints = {n for r in results if r.facts for n in [r.facts.get("agency"), *r.facts.get("aliases", []),
                                                     _stem(r.path)] if isinstance(n, str) and len(n) >= 2}
    checked = {os.path.realpath(r.path) for r in results}
    tops = {work_tree(r.path) for r in results if r.facts and isinstance(r.facts.get("year"), int)} - {None}
    agency, named, unnamed = [], [], []
    for top in sorted(tops):
        for rel in tracked(top):
            full = os.path.join(top, rel)
            if (not rel.lower().endswith(suffixes) or in_the_way(rel) or rel.endswith(".gklint.docx")
                    or os.path.realpath(full) in checked or not os.path.isfile(full) or excluded(full)):
                continue
            years = years_named(rel)
            shown = os.path.relpath(full)
            shown = full if shown.startswith("..") else shown  # messages name it as the user would
            if years & wanted:
                (agency if any(h in rel for h in hints) else named).append(shown)
            elif not years:
                unnamed.append(shown)
    return [t for t in (agency, named, unnamed) if t]


def _stem(path: str) -> str:
    """某区教育局2023.docx -> 某区教育局: a report's file name without its year, numbers and punctuation."""
    return re.sub(r"[\d\W_]+|年度?|报告|政府信息公开|工作", "", os.path.splitext(os.path.basename(path))[0])
