"""For rule-set authors: `gklint ruleset check` (every problem, with file, line and key) and
`gklint ruleset test` (the [[tests]] cases of a rule set: sample reports and the codes they must produce)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gklint.ruleset.loader import RuleSetError, find_line, load

CODE = re.compile(r"^[A-Z]{2,6}\d{3}$")
TEST_KEYS = {"name", "file", "text", "replace", "expect", "not_expect", "agency_kind",
             "previous_file", "previous_text", "previous_replace"}  # previous_*: last year's report (GK60x)


@dataclass
class Problem:
    path: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        return f"{_relative(self.path)}:{self.line or 0}: {self.key}: {self.message}"


def _relative(path: str) -> str:
    """Relative to the working directory when the file is below it, as compilers print paths."""
    import os

    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


def _problem(exc: RuleSetError, default_path: str) -> Problem:
    """A RuleSetError's own fields (path, line and key are set where the problem is found)."""
    return Problem(exc.path or default_path, exc.line, exc.key or "-", exc.message)


def check(ref: str) -> list[Problem]:
    """Every problem of a rule set: structure first (it stops there), then each rule and each test case."""
    from gklint.checks import rule_problems

    path = str(Path(ref).resolve()) if ref.endswith(".toml") else ref
    try:
        rs = load.__wrapped__(ref)  # uncached: the author is editing the file
    except RuleSetError as exc:
        return [_problem(exc, path)]
    problems = []
    own = _own(rs)
    for code, spec in rs.raw.get("rules", {}).items():
        if not CODE.match(code):
            problems.append(Problem(rs.path, find_line(rs.path, f"rules.{code}"), f"rules.{code}",
                                    f"规则代码 {code!r} 应为 2–6 个大写字母加三位数字（如 GK301、ZJ101）"))
        problems.extend(_problem(exc, rs.path) for exc in rule_problems(code, spec, rs))
    for i, case in enumerate(own.get("tests", [])):
        where = f"tests[{i}]"
        if not isinstance(case, dict):
            problems.append(Problem(rs.path, find_line(rs.path, where), where, "应为表（[[tests]]）"))
            continue
        for k in case:
            if k not in TEST_KEYS:
                problems.append(Problem(rs.path, find_line(rs.path, f"{where}.{k}"), f"{where}.{k}",
                                        f"未知的键 {k!r}（允许：{', '.join(sorted(TEST_KEYS))}）"))
        if ("file" in case) == ("text" in case):
            problems.append(Problem(rs.path, find_line(rs.path, where), where, "需要 file 或 text 之一"))
        if "previous_replace" in case and ("previous_file" in case) == ("previous_text" in case):
            problems.append(Problem(rs.path, find_line(rs.path, where), where,
                                    "previous_replace 需要 previous_file 或 previous_text 之一"))
        for k in ("expect", "not_expect"):
            for code in case.get(k, []):
                if code not in rs.raw.get("rules", {}) and code not in ("GK001", "GK002"):
                    problems.append(Problem(rs.path, find_line(rs.path, f"{where}.{k}"), f"{where}.{k}",
                                            f"规则集中没有规则 {code!r}"))
    return problems


def _own(rs) -> dict:
    """The rule set file's own TOML (tests are not inherited)."""
    from gklint.ruleset.loader import read_toml

    return read_toml(rs.path)


@dataclass
class CaseResult:
    name: str
    ok: bool
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    error: str = ""


def run_tests(ref: str) -> list[CaseResult]:
    rs = load(ref)
    base = Path(rs.path).parent
    results = []
    for i, case in enumerate(_own(rs).get("tests", [])):
        name = case.get("name", f"tests[{i}]")
        try:
            findings = _run_case(case, base, name, rs)
        except Exception as exc:  # a broken case is a failed case, not a crash
            results.append(CaseResult(name, False, error=f"{type(exc).__name__}: {exc}"))
            continue
        found = sorted({f.code for f in findings})
        missing = [c for c in case.get("expect", []) if c not in found]
        unexpected = [c for c in case.get("not_expect", []) if c in found]
        results.append(CaseResult(name, not missing and not unexpected, missing, unexpected, found))
    return results


def _case_doc(case: dict, base: Path, name: str, prefix: str = ""):
    """The document of a case (`file`, `text`, `replace`), or of its previous year's report (`previous_…`)."""
    from gklint.readers import read
    from gklint.readers.text import decode, read_text

    file, text, replace = (case.get(prefix + k) for k in ("file", "text", "replace"))
    if file is not None and not str(file).endswith((".txt", ".md")):
        if replace:
            raise ValueError(f"{prefix}replace 只能用于文本样例（.txt / .md 或 text）")
        return read(str(base / file))
    text = text if text is not None else decode((base / file).read_bytes())[0]
    for old, new in replace or []:
        if old not in text:
            raise ValueError(f"{prefix}replace：样例中找不到 {old!r}")
        text = text.replace(old, new)
    return read_text(f"{name}.txt", text.encode("utf-8"))


def _run_case(case: dict, base: Path, name: str, rs) -> list:
    """The findings of one case: the report's own, and with a previous year's report those across years."""
    from gklint.run.engine import check_document
    from gklint.checks.across import check_pair, facts

    kind = case.get("agency_kind", "auto")
    _, report, findings = check_document(_case_doc(case, base, name), rs.path, kind)
    if "previous_file" in case or "previous_text" in case:
        _, before, _ = check_document(_case_doc(case, base, name, "previous_"), rs.path, kind)
        findings += check_pair(facts(report), facts(before), "上一年度样例", rs, findings)
    return findings
