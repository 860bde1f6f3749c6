"""Every output gklint prints for the bundled examples and the test corpus, written to one folder, so that two
commits can be compared byte for byte (a restructuring must not change a single byte of output).

    python benchmarks/same_output.py OUT_DIR            # with the gklint on PATH
    diff -r OUT_BEFORE OUT_AFTER                         # nothing = the same behaviour

Elapsed times and the temporary folder are the only things normalised."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {"examples": ["examples"], "real": ["tests/data/real"], "pdf": ["tests/data/pdf"],
        "series": ["tests/data/series"], "seeds": ["tests/data/seeds"], "html": ["tests/data/html"],
        "libreoffice": ["tests/data/libreoffice"], "hostile": ["tests/data/hostile"]}
FORMATS = ["full", "concise", "json", "sarif", "github", "junit", "html", "csv"]
SECONDS = re.compile(r'("seconds": |用时 |time=")[0-9.]+|[0-9]+\.[0-9]+ ?(秒|s\b)|(id="run-date">)[^<]*')


def _run(argv: list[str], cwd: Path) -> str:
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=600,
                       env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "NO_COLOR": "1",
                            "COLUMNS": "100", "GKLINT_CACHE_DIR": str(cwd / ".cache")})
    return SECONDS.sub(r"\1\3<t>", f"$ {' '.join(argv)}\n[exit {p.returncode}]\n{p.stdout}\n--- stderr\n{p.stderr}")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for folder in {p for paths in SETS.values() for p in paths}:
            shutil.copytree(ROOT / folder, work / folder)
        for name, paths in SETS.items():
            for fmt in FORMATS:
                text = _run(["gklint", "check", "--no-cache", "--output-format", fmt, *paths], work)
                (out / f"check-{name}.{fmt}").write_text(text, encoding="utf-8")
            text = _run(["gklint", "check", "--no-cache", "--statistics", "--show-suppressed", *paths], work)
            (out / f"check-{name}.statistics").write_text(text, encoding="utf-8")
            files = sorted(str(p.relative_to(work)) for path in paths for p in (work / path).rglob("*") if p.is_file())
            for fmt in ("json", "markdown"):
                text = _run(["gklint", "extract", "--format", fmt, *files], work)
                (out / f"extract-{name}.{fmt}").write_text(text, encoding="utf-8")
            for f in files:
                if f.endswith(".docx"):
                    dst = work / "annotated" / (f.replace("/", "_"))
                    dst.parent.mkdir(exist_ok=True)
                    text = _run(["gklint", "annotate", "--force", "-o", str(dst), f], work)
                    parts = ""
                    if dst.exists():
                        with zipfile.ZipFile(dst) as z:
                            parts = "".join(f"\n=== {n}\n" + z.read(n).decode("utf-8", "replace")
                                            for n in sorted(z.namelist()) if n.startswith("word/"))
                    stamp = re.sub(r'w:date="[^"]*"', 'w:date="<d>"', text.replace(str(work), "<tmp>") + parts)
                    (out / f"annotate-{f.replace('/', '_')}.txt").write_text(stamp, encoding="utf-8")
    print(f"{len(list(out.iterdir()))} files written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
