"""The real-report corpus: what gklint reports on each published report against what a person found.

tests/data/real/expectations.toml holds, per file, the codes of the error- and warning-level defects a careful
reader found by hand (`expect`: each must be reported) and codes a reviewer could defend either way (`allow`:
may be reported). Anything else at error or warning level is a false alarm. Info findings are not compared.

    python tests/helpers/ecosystem.py            # the table for a person to review; exit 1 when a file differs
    python tests/helpers/ecosystem.py FILE...    # only these corpus files
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "data" / "real"
EXPECTATIONS = ROOT / "expectations.toml"


def load() -> dict[str, dict]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib
    with open(EXPECTATIONS, "rb") as fh:
        return tomllib.load(fh)["files"]


@dataclass
class Outcome:
    name: str
    year: int | None
    got: list[str]  # error/warning codes reported, sorted, one per code
    info: list[str]
    missing: list[str]  # expected but not reported
    unexpected: list[str]  # reported, neither expected nor allowed
    wrong_year: bool

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.wrong_year)


def check(name: str, exp: dict) -> Outcome:
    from gklint.run.engine import check_file

    result = check_file(str(ROOT / name))
    got = sorted({f.code for f in result.findings if f.severity in ("error", "warning")})
    info = sorted({f.code for f in result.findings if f.severity == "info"})
    expected, allowed = set(exp.get("expect", [])), set(exp.get("expect", [])) | set(exp.get("allow", []))
    return Outcome(name, result.report_year, got, info, sorted(expected - set(got)),
                   sorted(set(got) - allowed), exp.get("year") not in (None, result.report_year))


def table(outcomes: list[Outcome], expectations: dict) -> str:
    head = ("file", "year", "expected", "allowed", "got (error/warning)", "info", "verdict")
    rows = []
    for o in outcomes:
        exp = expectations[o.name]
        verdict = "ok" if o.ok else "; ".join(
            ([f"missing {','.join(o.missing)}"] if o.missing else []) +
            ([f"false {','.join(o.unexpected)}"] if o.unexpected else []) +
            ([f"year {o.year} != {exp.get('year')}"] if o.wrong_year else []))
        rows.append((o.name, str(o.year), ",".join(sorted(set(exp.get("expect", [])))) or "-",
                     ",".join(exp.get("allow", [])) or "-", ",".join(o.got) or "-", ",".join(o.info) or "-", verdict))
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head] + rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    good = sum(o.ok for o in outcomes)
    lines.append(f"\n{good}/{len(outcomes)} files as expected")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    expectations = load()
    names = argv or list(expectations)
    outcomes = [check(n, expectations[n]) for n in names]
    print(table(outcomes, expectations))
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
