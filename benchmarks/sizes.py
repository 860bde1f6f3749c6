"""Time and memory against size (issue 25): whole `gklint check` processes on generated hostile inputs.

    python benchmarks/sizes.py                  # every shape and size below; --only txt-rows to pick some
    python benchmarks/sizes.py --json sizes.json

Shapes (tests/helpers/hostile.py builds them from the official template): a table of 1k, 5k, 20k extra rows as .txt,
.html and .docx; a text of 1, 5, 20 MB as one long paragraph and as a whole page flattened onto one line;
PDFs of 50 and 200 pages (LibreOffice converts a generated .docx). Each file is checked by a fresh process
under /usr/bin/time -v (wall seconds, maximum resident set); the table gives the ratio to the previous size of
the same shape next to the ratio of the sizes, and what gklint answered (findings, or GK007 at a limit).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))  # docgen, drafts, hostile: the tests' generators

import hostile  # noqa: E402

MB = 1_000_000
SHAPES = {  # name -> (builder(path, size), suffix, sizes, unit)
    "txt-rows": (hostile.many_rows_text, ".txt", [1000, 5000, 20000], "rows"),
    "html-rows": (hostile.many_rows_html, ".html", [1000, 5000, 20000], "rows"),
    "docx-rows": (lambda p, n: hostile.many_rows_docx(p, n), ".docx", [100, 200, 300, 1000, 5000, 20000], "rows"),
    "txt-long-line": (lambda p, n: hostile.long_line_text(p, n // 3), ".txt", [1 * MB, 5 * MB, 20 * MB], "bytes"),
    "txt-flat-page": (lambda p, n: hostile.flat_text(p, n // 3), ".txt", [1 * MB, 5 * MB, 20 * MB], "bytes"),
    "pdf-pages": (lambda p, n: hostile.pages_pdf(p, n), ".pdf", [50, 200], "pages"),
}


def measure(path: Path, timeout: int) -> dict:
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "gklint", "check", "--no-cache", "--output-format",
           "concise", str(path)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "mb": None, "answer": f"over {timeout} s"}
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    codes = re.findall(r":\d+: (GK\d+) ", p.stdout)
    answer = "GK007 (limit)" if "GK007" in codes else (
        f"{len(codes)} findings" + (f" ({', '.join(sorted(set(codes)))})" if codes else ""))
    if "Traceback" in p.stderr or "内部错误" in p.stdout:
        answer = "INTERNAL ERROR"
    return {"seconds": round(seconds, 2), "mb": round(int(rss.group(1)) / 1024), "answer": answer}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", choices=list(SHAPES), help="shapes to measure (default: all)")
    ap.add_argument("--dir", default=str(HERE / "sizes"), help="where the generated inputs go (kept between runs)")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in args.only or SHAPES:
        build, suffix, sizes, unit = SHAPES[name]
        if suffix == ".pdf" and not shutil.which("soffice"):
            print(f"{name}: skipped (no soffice)", file=sys.stderr)
            continue
        previous = None
        for size in sizes:
            path = work / f"{name}-{size}{suffix}"
            if not path.exists():
                built = build(path, size)
                if Path(built) != path:
                    os.replace(built, path)
            row = {"shape": name, "size": size, "unit": unit, "file_kb": path.stat().st_size // 1024,
                   **measure(path, args.timeout)}
            if previous and previous["seconds"] and row["seconds"]:
                row["size_ratio"] = round(size / previous["size"], 1)
                row["time_ratio"] = round(row["seconds"] / previous["seconds"], 1)
            rows.append(row)
            previous = row
            print(f"{name:14} {size:>9} {unit:5} {row['file_kb']:>7} KB {row['seconds']!s:>7} s {row['mb']!s:>5} MB"
                  f"  x{row.get('size_ratio', '')} -> x{row.get('time_ratio', '')}  {row['answer']}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
