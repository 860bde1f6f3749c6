"""Checks across years: each report paired with the same agency's report of the year before (both in the run,
or the one given with --previous), then compared by the rule set's `across` rules (gklint/checks/across.py).
Runs after every file is read, before what is shown is decided (gklint/policy/apply.py)."""

from __future__ import annotations

import os
import re
import unicodedata

from gklint.findings import Finding


def agency_key(name: str, renamed: dict[str, str]) -> str:
    """The name reports of one agency share: no spaces or full-width forms, a renamed agency's new name."""
    key = re.sub(r"^关于", "", re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or "")))
    seen = set()
    while key in renamed and key not in seen:  # old -> new, also through several renamings
        seen.add(key)
        key = renamed[key]
    return key


_PLACE_PREFIX = re.compile(r"^[^省市区县]{1,7}(?:省|市|自治区|自治州|地区|盟)$")  # 淮安市, 江苏省, 江苏省淮安市
_LOCAL = re.compile(r"^.{1,8}?(?:[区县市旗镇乡]|街道)")  # a place name first: 洪泽区…, not 市场监督管理局


def same_agency(a: str, b: str) -> bool:
    """'淮安市洪泽区人民政府' and '洪泽区人民政府': one name is the other with the province or city in front
    (titles write it one year and leave it out the next). The shorter name must name a place of its own."""
    short, long = sorted((a, b), key=len)
    if short == long or len(short) < 5 or not long.endswith(short) or not _LOCAL.match(short):
        return False
    prefix = long[: -len(short)]
    return bool(_PLACE_PREFIX.match(prefix) or re.fullmatch(r"[^省]{1,7}省[^市]{1,7}市", prefix))


def _comparable(r) -> bool:
    """A report with facts whose rule set compares years (pre2019's does not: no national format before).
    Not one gklint could not understand (GK002, a page with only its title): that finding says so, once."""
    from gklint.checks.across import codes
    from gklint.ruleset.loader import RuleSetError, load

    if not r.facts or r.skipped or r.unreadable or any(f.code == "GK002" for f in r.findings):
        return False
    try:
        return bool(codes(load(r.ruleset_path or r.template)))
    except RuleSetError:
        return False


def pairs(results, renamed: dict[str, str]) -> list[tuple[int, int]]:
    """(report, its predecessor) as indexes into results: same agency, consecutive years. Of several files
    for the previous year (the same report as .txt and .html), the one of the same format, else the first."""
    names: dict[int, set[str]] = {}  # the agency as the title names it, and its other names in the report
    by_key: dict[tuple[str, int], list[int]] = {}
    for i, r in enumerate(results):
        if _comparable(r) and r.facts.get("agency") and r.facts.get("year"):
            names[i] = {agency_key(n, renamed) for n in [r.facts["agency"], *r.facts.get("aliases", [])]}
            for name in names[i]:
                by_key.setdefault((name, r.facts["year"]), []).append(i)
    out = []
    for i, own in names.items():
        year = results[i].facts["year"]
        before = sorted({j for name in own for j in by_key.get((name, year - 1), [])})
        if not before:
            before = sorted({j for (other, y), js in by_key.items() if y == year - 1
                             and any(same_agency(name, other) for name in own) for j in js})
        if before:
            suffix = os.path.splitext(results[i].path)[1].lower()
            out.append((i, min(before, key=lambda j: (os.path.splitext(results[j].path)[1].lower() != suffix,
                                                      results[j].path))))
    return sorted(out)


def _names(facts: dict, renamed: dict[str, str]) -> set[str]:
    return {agency_key(n, renamed) for n in [facts.get("agency"), *facts.get("aliases", [])] if n}


def other_agency(cur_facts: dict, prev_facts: dict, renamed: dict[str, str]) -> bool:
    """Both reports name their agency and no name of one is a name of the other (as pairs() matches them)."""
    own, theirs = _names(cur_facts, renamed), _names(prev_facts, renamed)
    if not own or not theirs or own & theirs:
        return False
    return not any(same_agency(a, b) for a in own for b in theirs)


def explicit_problem(cur, prev, renamed: dict[str, str] | None = None) -> str:
    """Why `prev` (given with --previous) cannot be compared with `cur`, or ''."""
    if prev.unreadable:
        reason = prev.findings[0].message if prev.findings else "无法读取"
        return f"--previous 指定的 {prev.path} 无法读取（{reason}）"
    not_understood = next((f for f in prev.findings if f.code == "GK002"), None)
    if not_understood:
        return f"--previous 指定的 {prev.path} 无法检查（{not_understood.message}）"
    if not _comparable(prev):
        return f"--previous 指定的 {prev.path} 不像年度报告（没有标题、部分标题或统计表）"
    if other_agency(cur.facts, prev.facts, renamed or {}):
        return (f"--previous 指定的 {prev.path} 是另一机关（{prev.facts['agency']}）的报告，本报告是"
                f"{cur.facts['agency']}的报告，不作跨年度核对；如系同一机关更名，请在 gklint.toml 的 "
                f"renamed-agencies 中写明旧名和新名")
    year, before = cur.facts.get("year"), prev.facts.get("year")
    if not year or not before:
        return f"{'本报告' if not year else prev.path}的年度无法确定"
    if before != year - 1:
        return f"--previous 指定的 {prev.path} 是{before}年度的报告，本报告是{year}年度，应为{year - 1}年度的报告"
    return ""


def check_across(results, settings, previous=None) -> None:
    """Add the findings across years to the results they are about. `previous`: the FileResult of
    --previous (then every report is compared with it, and no other pairing is made)."""
    renamed = {old: new for s in settings for old, new in s.renamed_agencies}
    if previous is not None:
        todo = [(r, previous, explicit_problem(r, previous, renamed)) for r in results
                if _comparable(r) and os.path.realpath(r.path) != os.path.realpath(previous.path)]
    else:
        todo = [(results[i], results[j], "") for i, j in pairs(results, renamed)]
    for cur, prev, problem in todo:
        _compare(cur, prev, problem)


def _compare(cur, prev, problem: str) -> None:
    from gklint.checks.across import check_pair
    from gklint.policy.apply import own_shown
    from gklint.ruleset.loader import load

    try:
        rs = load(cur.ruleset_path or cur.template)
        new = check_pair(cur.facts, prev.facts, prev.path, rs, own_shown(cur), problem)
        cur.compared = True
    except Exception as exc:  # noqa: BLE001 - a bug here must not end the run; say so plainly
        new = [Finding("GK001", "error", f"gklint 内部错误（跨年度检查，{type(exc).__name__}: {exc}），"
                                         "请把这两个文件报告给 gklint 维护者", {})]
    cur.findings = sorted(cur.findings + new, key=Finding.sort_key)
