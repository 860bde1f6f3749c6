"""gklint benchmark: latency of one file, per-stage time, batch throughput, cache, peak memory — each against
its floor (`python -c pass`, a bare docx2python parse), measured in one run on this machine.

    python benchmarks/run.py            # 200 reports (needs the test extra: python-docx)
    python benchmarks/run.py --n 40     # quicker

The corpus is generated from the official template (tests/helpers/docgen.py) under benchmarks/corpus/ (git-ignored):
N distinct .docx reports (different agency names, so the cache cannot share entries) and the same reports as
.txt (paragraphs, and table rows as tab-separated lines, in document order).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))  # docgen, drafts, hostile: the tests' generators

PY = sys.executable
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR", "FORCE_COLOR")}


def generate(corpus: Path, n: int) -> tuple[list[Path], list[Path]]:
    from docgen import as_text, build_docx

    docx_dir, txt_dir = corpus / "docx", corpus / "txt"
    if docx_dir.is_dir() and len(list(docx_dir.glob("*.docx"))) == n:
        return sorted(docx_dir.glob("*.docx")), sorted(txt_dir.glob("*.txt"))
    shutil.rmtree(corpus, ignore_errors=True)
    docx_dir.mkdir(parents=True)
    txt_dir.mkdir(parents=True)
    for i in range(n):
        path = build_docx(docx_dir / f"report-{i:04d}.docx", agency=f"某市第{i + 1}局")
        (txt_dir / f"report-{i:04d}.txt").write_text(as_text(path), encoding="utf-8")
    return sorted(docx_dir.glob("*.docx")), sorted(txt_dir.glob("*.txt"))


def word_draft(corpus: Path) -> Path:
    """A report as a Word draft (tests/helpers/drafts.py `everything`: revisions, content controls, TOC, text box …),
    the case where gklint rewrites document.xml in memory before docx2python reads it."""
    from drafts import VARIANTS, base_report, make_variant

    return make_variant(base_report(corpus / "draft-base.docx"), corpus / "draft.docx", VARIANTS["everything"])


def wall(cmd: list[str], runs: int, env=None) -> float:
    """Median wall time of a fresh process (after one warm-up run that also writes .pyc files)."""
    subprocess.run(cmd, capture_output=True, env=env or ENV)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env or ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return total


def timed_batch(cmd: list[str], env) -> tuple[float, int]:
    """Wall time and peak resident memory of the whole process tree (sampled every 20 ms)."""
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.02)

    t = threading.Thread(target=sample)
    t.start()
    proc.wait()
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    return elapsed, peak


def stages(files: list[Path]) -> dict[str, float]:
    """Mean per-file time of each stage, in process (imports and rule-set parsing already done)."""
    from gklint import checks
    from gklint.run.engine import FileResult, choose_ruleset
    from gklint.findings import Finding
    from gklint.output.machine import concise
    from gklint.readers import read
    from gklint.report.bind import bind, identify
    from gklint.checks.across import facts

    acc = {"read": 0.0, "bind": 0.0, "check": 0.0, "emit": 0.0}
    for path in [files[0], *files]:  # the first one warms up
        t0 = time.perf_counter()
        doc = read(str(path))
        t1 = time.perf_counter()
        known = identify(doc)
        rs = choose_ruleset(known.year, known.layout, None)
        report = bind(doc, rs, known)
        t2 = time.perf_counter()
        findings = sorted(checks.run(report, rs, checks.Context(rs)), key=Finding.sort_key)
        facts(report)  # kept for the checks across years
        t3 = time.perf_counter()
        concise([FileResult(str(path), rs.name, rs.path, report.year, findings)])
        t4 = time.perf_counter()
        if path is not files[0] or acc["read"]:
            for k, v in zip(acc, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                acc[k] += v
    return {k: v / len(files) for k, v in acc.items()}


def docx2python_in_process(files: list[Path]) -> float:
    from docx2python import docx2python

    docx2python(str(files[0])).body
    start = time.perf_counter()
    for f in files:
        docx2python(str(f)).body
    return (time.perf_counter() - start) / len(files)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="reports in the corpus (default 200)")
    ap.add_argument("--runs", type=int, default=7, help="runs per single-file timing (median)")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args()

    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}", flush=True)
    t = time.perf_counter()
    docx_files, txt_files = generate(HERE / "corpus", args.n)
    print(f"corpus: {len(docx_files)} .docx + {len(txt_files)} .txt ({time.perf_counter() - t:.1f} s)", flush=True)
    one_docx, one_txt = str(docx_files[0]), str(txt_files[0])
    gk = [PY, "-m", "gklint", "check", "--no-cache", "--output-format", "concise"]

    r: dict[str, float] = {}
    r["python -c pass"] = wall([PY, "-c", "pass"], args.runs)
    r["bare docx2python, fresh process"] = wall(
        [PY, "-c", "import sys\nfrom docx2python import docx2python\ndocx2python(sys.argv[1]).body", one_docx], args.runs)
    r["gklint check .docx (concise)"] = wall([*gk, one_docx], args.runs)
    draft = str(word_draft(HERE / "corpus"))
    bare = "import sys\nfrom docx2python import docx2python\ndocx2python(sys.argv[1]).body"
    r["bare docx2python, fresh process, Word draft"] = wall([PY, "-c", bare, draft], args.runs)
    r["gklint check Word draft (concise)"] = wall([*gk, draft], args.runs)
    r["gklint check .txt (concise, piped)"] = wall([*gk, one_txt], args.runs)
    r["gklint check .txt (full, piped)"] = wall([*gk[:-2], one_txt], args.runs)
    sample = docx_files[: min(20, len(docx_files))]
    r["bare docx2python, in process, per file"] = docx2python_in_process(sample)
    per_stage = stages(sample)
    per_stage_txt = stages(txt_files[: len(sample)])

    # the files by name: benchmarks/corpus/ is git-ignored, and a directory in a git work tree is searched
    # for the files git does not ignore (as ruff does), which would leave nothing to check
    batch = [PY, "-m", "gklint", "check", "-q", "--output-format", "concise", *map(str, docx_files)]
    with tempfile.TemporaryDirectory() as cache_dir:
        env = {**ENV, "GKLINT_CACHE_DIR": cache_dir}
        r["batch --jobs 1"], rss1 = timed_batch([*batch, "--jobs", "1", "--no-cache"], env)
        r["batch --jobs 2"], rss2 = timed_batch([*batch, "--jobs", "2", "--no-cache"], env)
        r["batch --jobs 2, cold cache"], _ = timed_batch([*batch, "--jobs", "2"], env)
        r["batch --jobs 2, warm cache"], rss_cached = timed_batch([*batch, "--jobs", "2"], env)

    n = len(docx_files)
    ratios = {
        "docx check / fresh docx2python (target <= 1.25)":
            r["gklint check .docx (concise)"] / r["bare docx2python, fresh process"],
        "Word draft check / fresh docx2python (target <= 1.25)":
            r["gklint check Word draft (concise)"] / r["bare docx2python, fresh process, Word draft"],
        "txt check / python -c pass (target <= 6)": r["gklint check .txt (concise, piped)"] / r["python -c pass"],
        "jobs 2 / jobs 1 throughput (target >= 1.7)": r["batch --jobs 1"] / r["batch --jobs 2"],
        "cold / warm cache (target >= 10)": r["batch --jobs 2, cold cache"] / r["batch --jobs 2, warm cache"],
    }
    print("\n| measurement | seconds |\n|---|---|")
    for k, v in r.items():
        print(f"| {k} | {v:.3f} |")
    print(f"\nthroughput: --jobs 1 {n / r['batch --jobs 1']:.1f} reports/s, --jobs 2 {n / r['batch --jobs 2']:.1f} reports/s")
    print("\n| stage (mean per file, in process) | .docx ms | .txt ms |\n|---|---|---|")
    for k in per_stage:
        print(f"| {k} | {per_stage[k] * 1000:.1f} | {per_stage_txt[k] * 1000:.1f} |")
    print(f"\npeak memory of the process tree: --jobs 1 {rss1 / 2**20:.0f} MB, --jobs 2 {rss2 / 2**20:.0f} MB "
          f"(target <= 250), warm cache {rss_cached / 2**20:.0f} MB")
    print("\n| ratio | value |\n|---|---|")
    for k, v in ratios.items():
        print(f"| {k} | {v:.2f} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"seconds": r, "stages_docx": per_stage, "stages_txt": per_stage_txt,
                                               "peak_rss_mb": {"jobs1": rss1 / 2**20, "jobs2": rss2 / 2**20},
                                               "ratios": ratios}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
