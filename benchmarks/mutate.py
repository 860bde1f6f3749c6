"""A bounded mutation run over the bundled examples and the real corpus (issue 25).

    python benchmarks/mutate.py                 # 3000 cases, seed 25
    python benchmarks/mutate.py --cases 200 --seed 7 --json figures.json

Each case mutates one input — a bit flipped in a compressed zip part, a truncation, an XML element deleted
or duplicated, a text mutation (a huge number, superscript digits, control characters, a long line, another
encoding) — and checks it in process as `gklint check` does (the runner's worker function, with the time
limit), renders the outputs, and for a .docx that was read writes an annotated copy. A case fails when it
gives an internal error, raises, passes the time limit, or leaves a copy that python-docx or docx2python
cannot open. Prints the figures: cases, seconds, findings by code, failures (with the seed to replay one).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))  # docgen, drafts, hostile: the tests' generators

TIME_LIMIT = 60.0  # seconds per case (check + outputs); gklint's own default is 120


def inputs() -> list[Path]:
    found = sorted(ROOT.glob("examples/**/*.docx")) + sorted((ROOT / "examples").glob("**/*.txt"))
    real = ROOT / "tests" / "data" / "real"
    found += sorted(real.glob("*.txt")) + sorted(real.glob("*.html")) + sorted(real.glob("*.docx"))
    return [p for p in found if not p.name.endswith(".gklint.docx")]


# --- mutations: each takes (rng, bytes, suffix) and returns bytes and a short description ---

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
CONTROL = ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\u200b", "\ufeff", "\u202e", "\ud800"]


def text_mutation(rng: random.Random, text: str) -> tuple[str, str]:
    kind = rng.choice(["huge", "superscript", "control", "long_line", "digits_everywhere", "exponent"])
    digits = [i for i, ch in enumerate(text) if ch.isdigit()] or [len(text) // 2]
    at = rng.choice(digits)
    if kind == "huge":
        return text[:at] + "9" * rng.choice([30, 400, 5000]) + text[at:], kind
    if kind == "superscript":
        end = at + rng.randint(1, 6)
        return text[:at] + text[at:end].translate(SUPERSCRIPT) + "²²²" + text[end:], kind
    if kind == "control":
        return text[:at] + rng.choice(CONTROL) * rng.randint(1, 3) + text[at:], kind
    if kind == "long_line":
        piece = text[max(0, at - 40):at + 40].replace("\n", "")
        return text[:at] + piece * rng.choice([500, 5000]) + text[at:], kind
    if kind == "exponent":
        return text[:at] + "1E+999999" + text[at:], kind
    return "".join(ch if not ch.isdigit() else rng.choice("0123456789٣３²") for ch in text), kind


def mutate_text_file(rng: random.Random, data: bytes, suffix: str) -> tuple[bytes, str]:
    kind = rng.choice(["text", "text", "text", "encoding", "truncate", "bitflip"])
    if kind == "truncate":
        return data[:rng.randrange(1, max(2, len(data)))], "truncate"
    if kind == "bitflip":
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        return bytes(b), "bitflip"
    text = data.decode("utf-8", "replace")
    if kind == "encoding":
        enc = rng.choice(["gb18030", "utf-16", "utf-16-le", "utf-8-sig", "big5", "latin-1"])
        return text.encode(enc, "replace"), f"encoding:{enc}"
    new, what = text_mutation(rng, text)
    return new.encode("utf-8", "surrogatepass"), f"text:{what}"


_XML_INVALID = __import__("re").compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x7f-\x9f]")


def _rezip(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for info in zin.infolist():
                for name, content in change(info.filename, zin.read(info.filename)):
                    zout.writestr(name, content)
    return out.getvalue()


def mutate_docx(rng: random.Random, data: bytes, suffix: str) -> tuple[bytes, str]:
    kind = rng.choice(["bitflip_compressed", "truncate", "xml_delete", "xml_duplicate", "xml_text", "xml_text",
                       "drop_part", "duplicate_entry", "content_type"])
    if kind == "truncate":
        return data[:rng.randrange(1, len(data))], kind
    if kind == "bitflip_compressed":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = rng.choice([i for i in z.infolist() if i.compress_size > 0])
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        b = bytearray(data)
        i = start + rng.randrange(max(1, info.compress_size))
        b[i] ^= 1 << rng.randrange(8)
        return bytes(b), f"{kind}:{info.filename}"
    if kind == "drop_part":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            victim = rng.choice(z.namelist())
        return _rezip(data, lambda n, c: [] if n == victim else [(n, c)]), f"{kind}:{victim}"
    if kind == "duplicate_entry":
        return _rezip(data, lambda n, c: [(n, c), (n, c)] if n == "word/document.xml" else [(n, c)]), kind
    if kind == "content_type":
        return _rezip(data, lambda n, c: [(n, c.replace(b"document.main+xml", b"xml"))] if n == "[Content_Types].xml"
                      else [(n, c)]), kind

    from lxml import etree

    def change(name, content):
        if name != "word/document.xml":
            return [(name, content)]
        root = etree.fromstring(content)
        elements = list(root.iter())
        if kind == "xml_text":
            texts = [e for e in elements if e.text and e.tag.endswith("}t")]
            if texts:
                e = rng.choice(texts)
                e.text = _XML_INVALID.sub("", text_mutation(rng, e.text)[0])  # what XML can hold at all
        else:
            e = rng.choice(elements[1:])
            parent = e.getparent()
            if kind == "xml_delete":
                parent.remove(e)
            else:
                e.addnext(__import__("copy").deepcopy(e))
        return [(name, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))]

    return _rezip(data, change), kind


# --- one case ---

def run_case(path: Path, workdir: Path) -> tuple[list, list[str], float]:
    """(findings, problems, seconds) for one mutated file."""
    from gklint.output import full, machine
    from gklint.run.runner import Job, _work

    problems = []
    start = time.perf_counter()
    result = _work(Job(str(path), None, "auto", TIME_LIMIT))
    for f in result.findings:
        if "内部错误" in f.message:
            problems.append(f"internal error: {f.message}")
        if f.code == "GK007" and "检查时间" in f.message:
            problems.append("over the time limit")
    try:
        full.to_plain(full.render([result], 0.0, quiet=True))
        machine.concise([result])
        machine.to_json([result], {})
    except Exception:  # noqa: BLE001
        problems.append("output: " + traceback.format_exc(limit=-3))
    if path.suffix == ".docx" and not result.unreadable and not result.skipped:
        problems += annotate_case(path, workdir, result.findings)
    return result.findings, problems, time.perf_counter() - start


def annotate_case(path: Path, workdir: Path, findings) -> list[str]:
    import docx
    from docx2python import docx2python

    from gklint.output.annotate import annotate_report
    from gklint.output.validate import PackageError
    from gklint.run.engine import read_report
    from gklint.run.deadline import TimeLimit, limit

    out = workdir / "annotated.docx"
    out.unlink(missing_ok=True)
    try:
        with limit(TIME_LIMIT):
            annotate_report(read_report(str(path))[1], str(out), findings)
    except PackageError:
        return [] if not out.exists() else ["annotate refused but wrote a copy"]
    except TimeLimit:
        return ["annotate over the time limit"]
    except Exception:  # noqa: BLE001
        return ["annotate: " + traceback.format_exc(limit=-3)]
    problems = []
    try:
        docx.Document(str(out))
    except Exception as exc:  # noqa: BLE001
        problems.append(f"copy does not open with python-docx: {type(exc).__name__}: {exc}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with docx2python(str(out)) as dx:
                dx.body_pars
    except Exception as exc:  # noqa: BLE001
        problems.append(f"copy does not open with docx2python: {type(exc).__name__}: {exc}")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=25)
    ap.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    ap.add_argument("--keep", metavar="DIR", help="keep the inputs of failing cases here")
    args = ap.parse_args(argv)
    summary = mutation_run(args.cases, args.seed, Path(args.keep) if args.keep else None, progress=True)
    print(json.dumps({k: v for k, v in summary.items() if k != "failures"}, ensure_ascii=False, indent=1))
    for f in summary["failures"]:
        print(f"FAIL case {f['case']} ({f['source']}, {f['mutation']}): {f['problems']}")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if summary["failures"] else 0


def mutation_run(cases: int, seed: int, keep: Path | None = None, progress: bool = False) -> dict:
    sources = inputs()
    blobs = {p: p.read_bytes() for p in sources}
    by_code: Counter = Counter()
    by_mutation: Counter = Counter()
    failures, slowest = [], (0.0, "")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in range(cases):
            rng = random.Random(f"{seed}:{n}")  # each case replays alone from (seed, n)
            src = rng.choice(sources)
            mutate = mutate_docx if src.suffix == ".docx" else mutate_text_file
            data, what = mutate(rng, blobs[src], src.suffix)
            case = work / f"case{src.suffix}"
            case.write_bytes(data)
            try:
                findings, problems, seconds = run_case(case, work)
            except BaseException:  # noqa: BLE001 - a traceback out of the worker function is the bug we look for
                findings, problems, seconds = [], ["raised: " + traceback.format_exc(limit=-4)], 0.0
            by_mutation[what.split(":")[0]] += 1
            by_code.update(f.code for f in findings)
            if seconds > slowest[0]:
                slowest = (seconds, f"case {n} {src.name} {what}")
            if problems:
                failures.append({"case": n, "source": str(src.relative_to(ROOT)), "mutation": what,
                                 "problems": problems})
                if keep:
                    keep.mkdir(parents=True, exist_ok=True)
                    (keep / f"case{n}{src.suffix}").write_bytes(data)
            if progress and (n + 1) % 100 == 0:
                print(f"{n + 1}/{cases} cases, {time.perf_counter() - start:.0f} s, {len(failures)} failing",
                      file=sys.stderr)
    return {"cases": cases, "seed": seed, "inputs": len(sources), "seconds": round(time.perf_counter() - start, 1),
            "slowest_case": {"seconds": round(slowest[0], 2), "case": slowest[1]},
            "mutations": dict(by_mutation.most_common()), "findings_by_code": dict(sorted(by_code.items())),
            "failures": failures}


if __name__ == "__main__":
    sys.exit(main())
