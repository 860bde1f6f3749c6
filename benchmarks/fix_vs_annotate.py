"""`gklint fix` against `gklint annotate` on the same report, whole processes side by side (the same process
model: one file, settings from config, the runner in-process). Acceptance: fix costs at most 1.3x annotate.

    python benchmarks/fix_vs_annotate.py [runs]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))  # docgen, drafts, hostile: the tests' generators


def main(runs: int = 7) -> float:
    from docgen import build_docx, consistent_data, narrative

    with tempfile.TemporaryDirectory() as tmp:
        data = consistent_data()
        data["t3"]["一"][6] += 1  # one blamed cell: fix has an edit to make, annotate a comment to write
        data["t4"][4] = None
        src = build_docx(Path(tmp) / "report.docx", data=data, text=narrative(consistent_data(), 2022))
        cmds = {"annotate": [sys.executable, "-m", "gklint", "annotate", str(src), "-o", f"{tmp}/a.docx", "--force"],
                "fix": [sys.executable, "-m", "gklint", "fix", str(src), "-o", f"{tmp}/f.docx", "--force"]}
        ratios = []
        for cache in ("cold", "warm"):  # cold: a fresh result cache each run (a clerk's first run); warm: cached
            times: dict[str, list[float]] = {k: [] for k in cmds}
            for k in range(runs):
                for name, cmd in cmds.items():  # interleaved, so load on the machine hits both alike
                    where = f"{tmp}/cache-{name}-{k}" if cache == "cold" else f"{tmp}/cache"
                    env = {"GKLINT_CACHE_DIR": where, "PATH": "/usr/bin:/bin"}
                    start = time.perf_counter()
                    subprocess.run(cmd, capture_output=True, timeout=120, env=env, cwd=ROOT)
                    times[name].append(time.perf_counter() - start)
            med = {k: statistics.median(v) for k, v in times.items()}
            ratios.append(med["fix"] / med["annotate"])
            print(f"{cache}: annotate {med['annotate']:.2f} s, fix {med['fix']:.2f} s (median of {runs}): "
                  f"fix/annotate = {ratios[-1]:.2f}")
    return max(ratios)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
