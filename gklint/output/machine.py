"""Line and machine formats: concise, JSON, SARIF 2.1.0, GitHub Actions annotations, JUnit XML, statistics."""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from gklint import __version__
from gklint.findings import describe
from gklint.output.full import SEVERITY_NAME
from gklint.output.text import clean, json_safe

SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _line(f) -> int | None:
    return f.location.get("line")


def _described(f) -> str:
    """The message with its location in words: 'message（表三 （七）总计 「总计」列）'."""
    where = describe(f.location)
    return f.message + (f"（{where}）" if where else "")


def concise(results) -> str:
    """path:N: CODE [级别] message — N the line (text) or paragraph (Word); `path: CODE …` for the whole file."""
    out = []
    for r in results:
        for f in r.findings:
            n = f.location.get("line") or f.location.get("para")
            where = f"{clean(r.path)}:{n}:" if n else f"{clean(r.path)}:"  # a whole-file finding has no line
            out.append(f"{where} {f.code} [{SEVERITY_NAME[f.severity]}] {clean(_described(f))}")
    return "".join(line + "\n" for line in out)


def file_dict(r) -> dict:
    """One file of the JSON output (the xlsx workbook is built from these too)."""
    from gklint.output.summary import file_summary

    s = file_summary(r)
    return {**r.to_dict(), "agency": s["agency"], "counts": s["counts"], "layout": s["layout"]}


def to_json(results, summary: dict) -> str:
    files = [file_dict(r) for r in results]
    return json_safe(json.dumps({"files": files, "summary": summary},
                                ensure_ascii=False, indent=2)) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(results) -> str:
    """::error file=…,line=…,title=GK301::message — a docx has no lines, so its annotations are file-level."""
    out = []
    for r in results:
        for f in r.findings:
            props = [f"file={_escape_prop(clean(r.path))}"]
            if _line(f):
                props.append(f"line={_line(f)}")
            props.append(f"title={_escape_prop(f.code)}")
            text = clean(_described(f))
            if f.expected is not None:
                text += f" 应为 {clean(f.expected)}，实际 {clean(f.found or '—')}"
            out.append(f"::{GITHUB_LEVEL[f.severity]} {','.join(props)}::{_escape_data(text)}")
    return "".join(line + "\n" for line in out)


def _uri(path: str) -> str:
    uri = quote(path.replace(os.sep, "/"), safe="/")
    return "file://" + uri if os.path.isabs(path) else uri


def sarif(results, rules: dict) -> str:
    """SARIF 2.1.0; rule metadata for every rule of the rule sets used (and GK001)."""
    ids = sorted(rules)
    index = {code: i for i, code in enumerate(ids)}
    driver_rules = []
    for code in ids:
        rule = rules[code]
        help_text = "\n\n".join(x for x in (rule.doc, rule.example and f"示例：{rule.example}",
                                            rule.remedy and f"修改：{rule.remedy}") if x) or rule.summary
        driver_rules.append({
            "id": code, "name": rule.name,
            "shortDescription": {"text": rule.summary or rule.name},
            "fullDescription": {"text": rule.doc or rule.summary or rule.name},
            "help": {"text": help_text},
            "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
            "properties": {"kind": rule.kind},
        })
    out = []
    for r in results:
        for f in r.findings:
            physical: dict = {"artifactLocation": {"uri": _uri(r.path)}}
            if _line(f):
                physical["region"] = {"startLine": _line(f)}
                if f.snippet:
                    physical["region"]["snippet"] = {"text": f.snippet}
            logical = describe(f.location)
            location: dict = {"physicalLocation": physical}
            if logical:
                location["logicalLocations"] = [{"fullyQualifiedName": logical, "kind": "element"}]
            result = {"ruleId": f.code, "level": SARIF_LEVEL[f.severity], "message": {"text": f.message},
                      "locations": [location],
                      "properties": {k: v for k, v in (("expected", f.expected), ("found", f.found),
                                                       ("location", f.location), ("agency", r.agency or None),
                                                       ("report_year", r.report_year)) if v is not None}}
            if f.code in index:
                result["ruleIndex"] = index[f.code]
            if f.location.get("previous"):  # a check across years: the other report's cell
                result["relatedLocations"] = [_related(f.location["previous"])]
            out.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "gklint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://github.com/gklint/gklint", "rules": driver_rules}},
            "results": out,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json_safe(json.dumps(log, ensure_ascii=False, indent=2)) + "\n"


def _related(prev: dict) -> dict:
    physical: dict = {"artifactLocation": {"uri": _uri(prev["path"])}}
    if prev.get("line"):
        physical["region"] = {"startLine": prev["line"]}
    return {"id": 1, "physicalLocation": physical,
            "message": {"text": f"{prev.get('year')}年报告 " + describe(prev)}}


def _xml_text(s: str) -> str:
    return clean(s, keep_newlines=True)  # XML 1.0 cannot carry control characters at all


def junit(results, elapsed: float | None = None) -> str:
    """One test case per file: a failure lists its findings, an unreadable file is an error."""
    import xml.etree.ElementTree as ET

    failures = sum(1 for r in results if r.findings and not r.unreadable)
    errors = sum(1 for r in results if r.unreadable)
    attrs = {"name": "gklint", "tests": str(len(results)), "failures": str(failures), "errors": str(errors),
             "time": f"{elapsed or 0:.3f}"}
    suites = ET.Element("testsuites", attrs)
    suite = ET.SubElement(suites, "testsuite", attrs)
    for r in results:
        case = ET.SubElement(suite, "testcase", {"classname": "gklint", "name": _xml_text(r.path),
                                                 "file": _xml_text(r.path)})
        if not r.findings:
            continue
        body = "\n".join(f"{f.code} [{f.severity}] {_described(f)}" for f in r.findings)
        tag = "error" if r.unreadable else "failure"
        codes = sorted({f.code for f in r.findings})
        el = ET.SubElement(case, tag, {"type": ",".join(codes),
                                       "message": _xml_text(f"{len(r.findings)} 个问题：{r.findings[0].message}")})
        el.text = _xml_text(body)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def statistics(results, rules: dict) -> list[dict]:
    counts: dict[str, dict] = {}
    for r in results:
        for f in r.findings:
            c = counts.setdefault(f.code, {"code": f.code, "severity": f.severity, "count": 0, "files": set()})
            c["count"] += 1
            c["files"].add(r.path)
    rows = sorted(counts.values(), key=lambda c: (-c["count"], c["code"]))
    for c in rows:
        c["files"] = len(c["files"])
        rule = rules.get(c["code"])
        c["name"] = rule.name if rule else ""
        c["summary"] = rule.summary if rule else ""
    return rows


def statistics_text(rows: list[dict]) -> str:
    from gklint.output.text import pad, width

    if not rows:
        return ""
    wn = max(width(str(r["count"])) for r in rows)
    lines = [f"{pad(str(r['count']), wn, 'right')}\t{r['code']}\t[{SEVERITY_NAME[r['severity']]}]\t{r['files']} 个文件\t{r['summary']}"
             for r in rows]
    return "".join(line + "\n" for line in lines)


# --- the FORMATS table's entries (gklint/output/__init__.py) ---

def concise_output(results, run) -> str:
    return concise(results)


def json_output(results, run) -> str:
    from gklint.output import full

    extra = {"baseline_stale": list(run.stale)} if run.stale else {}
    return to_json(results, {**full.totals(results), "not_checked": list(run.unsupported),
                             "seconds": round(run.elapsed, 3), **extra})


def sarif_output(results, run) -> str:
    return sarif(results, run.rules())


def github_output(results, run) -> str:
    return github(results)


def junit_output(results, run) -> str:
    return junit(results, run.elapsed)
