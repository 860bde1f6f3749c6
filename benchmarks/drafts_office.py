"""One-off check that the Word-draft variants of tests/helpers/drafts.py are documents an office suite accepts:
LibreOffice converts each to PDF (and optionally saves it again as .docx, which gklint then checks).
Needs LibreOffice (`apt-get install libreoffice-writer-nogui`); CI does not have it, so this is not a test.

    python benchmarks/drafts_office.py OUTDIR [--roundtrip]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))  # docgen, drafts, hostile: the tests' generators


def main() -> int:
    from drafts import DEFECTS, VARIANTS, auto_numbered, base_report, make_variant

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--roundtrip", action="store_true", help="also save each through LibreOffice as .docx and check it")
    args = ap.parse_args()
    src = args.outdir / "docx"
    src.mkdir(parents=True, exist_ok=True)
    base = base_report(src / "base.docx")
    files = [base, auto_numbered(base, src / "auto_numbered.docx")]
    files += [make_variant(base, src / f"{name}.docx", edit) for name, edit in VARIANTS.items()]
    files += [make_variant(base, src / f"{name}.docx", edit) for name, (edit, _) in DEFECTS.items()]
    bad = 0
    for fmt, outdir in [("pdf", args.outdir / "pdf")] + ([("docx:MS Word 2007 XML", args.outdir / "lo")]
                                                           if args.roundtrip else []):
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)],
                       capture_output=True, timeout=1800)
        suffix = ".pdf" if fmt == "pdf" else ".docx"
        for f in files:
            out = outdir / (f.stem + suffix)
            ok = out.is_file() and out.stat().st_size > 0
            bad += not ok
            print(f"{fmt.split(':')[0]:5} {'ok' if ok else 'FAILED':6} {f.name}")
    if args.roundtrip:
        from gklint.run.engine import check_file

        for f in files:
            out = args.outdir / "lo" / f.name
            if out.is_file():
                codes = [(x.code, x.severity) for x in check_file(str(out)).findings]
                print(f"gklint {f.name} (LibreOffice-saved): {codes}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
