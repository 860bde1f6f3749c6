"""HTML: one self-contained page for the reviewing office — a sortable, filterable summary of every file and,
per file, the findings as the full terminal report shows them. No network, no external asset (it opens from a
USB stick); every piece of document text goes through `_t` (control characters shown, then HTML-escaped), and
a Content-Security-Policy lets only this module's own script run, so even a missed escape could not run one."""

from __future__ import annotations

import base64
import hashlib
import html
from datetime import datetime, timezone

from gklint import __version__
from gklint.findings import describe
from gklint.output.full import SEVERITY_NAME, cell_grid, summary
from gklint.output.summary import MAIN_CODES, SHOWN, file_summary, rule_sets
from gklint.output.text import clean

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin:1.5em 0 .3em;word-break:break-all}
.meta,.about,.where{color:#666}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}
#summary th{cursor:pointer;background:#f3f3f3;white-space:nowrap}
#summary th[data-sort=asc]::after{content:" ▲"}#summary th[data-sort=desc]::after{content:" ▼"}
#summary td.num{text-align:right}#summary td.path{word-break:break-all}
.finding{margin:.6em 0 .9em 1em}.code{font-weight:bold}
.sev-error{color:#b00;font-weight:bold}.sev-warning{color:#a60}.sev-info{color:#067}
.snippet{background:#fafafa;padding:.2em .4em}mark{background:#fdd;color:#b00;text-decoration:underline}
table.cells td{text-align:right}table.cells td:first-child{text-align:left}
table.cells td.bad{background:#fdd;color:#b00;font-weight:bold}
.expected{color:#070}.found{color:#b00}#filters{margin:.8em 0}
"""

SCRIPT = """
(function () {
  var table = document.getElementById("summary");
  var heads = table.tHead.rows[0].cells;
  function key(row, i, numeric) {
    var text = row.cells[i].textContent;
    return numeric ? (text === "" ? -1 : Number(text)) : text;
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    th.addEventListener("click", function () {
      var numeric = th.getAttribute("data-type") === "num";
      var dir = th.getAttribute("data-sort") === "asc" ? "desc" : "asc";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("data-sort"); });
      th.setAttribute("data-sort", dir);
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, i, numeric), y = key(b, i, numeric);
        var c = numeric ? x - y : String(x).localeCompare(String(y), "zh");
        return dir === "asc" ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var codeBox = document.getElementById("code-filter"), sevBox = document.getElementById("severity-filter");
  function matches(code, sev) {
    return (codeBox.value === "" || code === codeBox.value) && (sevBox.value === "" || sev === sevBox.value);
  }
  function filter() {
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var pairs = row.getAttribute("data-findings").split(" ").filter(Boolean);
      var any = codeBox.value === "" && sevBox.value === "";
      pairs.forEach(function (p) { var cs = p.split(":"); if (matches(cs[0], cs[1])) { any = true; } });
      row.hidden = !any;
      if (any) { shown += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("section.file"), function (sec) {
      var visible = 0;
      Array.prototype.forEach.call(sec.querySelectorAll(".finding"), function (f) {
        var ok = matches(f.getAttribute("data-code"), f.getAttribute("data-severity"));
        f.hidden = !ok;
        if (ok) { visible += 1; }
      });
      sec.hidden = visible === 0;
    });
    document.getElementById("shown").textContent = "显示 " + shown + " 个文件";
  }
  codeBox.addEventListener("change", filter);
  sevBox.addEventListener("change", filter);
  filter();
})();
"""

COLUMNS = [("文件", "text"), ("机关", "text"), ("年度", "num"), ("规则集", "text"),
           ("错误", "num"), ("警告", "num"), ("提示", "num"), ("主要问题", "text")]


def _t(text) -> str:
    """Document text made inert twice over: control and bidi characters shown as escapes, then HTML-escaped."""
    return html.escape(clean("" if text is None else str(text)), quote=True)


def render(results, elapsed: float | None = None, unsupported=(), now: datetime | None = None) -> str:
    """The page; `unsupported` are the old .doc/.wps files found and not checked (named in the totals line)."""
    now = now or datetime.now(timezone.utc)
    checked = [r for r in results if not r.skipped]
    summaries = [file_summary(r) for r in checked]
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>gklint 年度报告检查结果</title>", f"<style>{STYLE}</style></head><body>",
           "<h1>政府信息公开工作年度报告检查结果</h1>",
           f'<p class="meta">检查时间 <span id="run-date">{now.strftime("%Y-%m-%d %H:%M UTC")}</span> · '
           f'gklint <span id="version">{_t(__version__)}</span> · 规则集 '
           f'<span id="rulesets">{_t("、".join(rule_sets(results)) or "—")}</span></p>',
           f'<p id="totals">{_t(summary(results, elapsed, unsupported))}</p>']
    out += _filters(checked)
    out += _summary_table(checked, summaries)
    for i, (r, s) in enumerate(zip(checked, summaries)):
        if r.findings and not r.unreadable:
            out += _file_section(i, r, s)
    out += _unreadable(checked)
    out += _skipped([r for r in results if r.skipped])
    out += [f"<script>{SCRIPT}</script>", "</body></html>"]
    return "\n".join(out) + "\n"


def html_output(results, run) -> str:
    return render(results, run.elapsed, run.unsupported)


def _filters(results) -> list[str]:
    codes = sorted({f.code for r in results for f in r.findings})
    code_opts = "".join(f'<option value="{_t(c)}">{_t(c)}</option>' for c in codes)
    sev_opts = "".join(f'<option value="{s}">{SEVERITY_NAME[s]}</option>' for s in SHOWN)
    return ['<div id="filters"><label>问题代码 <select id="code-filter"><option value="">全部</option>'
            f'{code_opts}</select></label> <label>严重程度 <select id="severity-filter"><option value="">全部'
            f'</option>{sev_opts}</select></label> <span id="shown"></span></div>']


def _summary_table(results, summaries: list[dict]) -> list[str]:
    heads = "".join(f'<th data-type="{kind}">{name}</th>' for name, kind in COLUMNS)
    out = ['<table id="summary"><thead><tr>' + heads + "</tr></thead><tbody>"]
    for i, (r, s) in enumerate(zip(results, summaries)):
        pairs = " ".join(sorted({f"{f.code}:{f.severity}" for f in r.findings}))
        ruleset = "无法读取" if s["unreadable"] else (s["template"] or "")
        if s["layout"] and s["template"] and s["layout"] != s["template"]:
            ruleset += f"（表格 {s['layout']}）"
        codes = " ".join(s["codes"][:MAIN_CODES]) + (" …" if len(s["codes"]) > MAIN_CODES else "")
        path = _t(s["path"])
        if r.findings and not r.unreadable:  # the file has a section below
            path = f'<a href="#f{i}">{path}</a>'
        c = s["counts"]
        out.append(f'<tr data-findings="{_t(pairs)}"><td class="path">{path}</td>'
                   f'<td class="agency">{_t(s["agency"])}</td><td class="year num">{_t(s["year"] or "")}</td>'
                   f'<td class="ruleset">{_t(ruleset)}</td><td class="num error">{c["error"]}</td>'
                   f'<td class="num warning">{c["warning"]}</td><td class="num info">{c["info"]}</td>'
                   f'<td class="codes">{_t(codes)}</td></tr>')
    out.append("</tbody></table>")
    return out


def _file_section(i: int, r, s: dict) -> list[str]:
    about = [s["agency"], s["year"] and f"{s['year']}年度", r.template and f"规则集 {r.template}",
             f"{len(r.findings)} 个问题"]
    out = [f'<section class="file" id="f{i}" data-path="{_t(r.path)}"><h2>{_t(r.path)}</h2>',
           f'<p class="about">{_t(" · ".join(str(a) for a in about if a))}</p>']
    for f in r.findings:
        out += _finding(f)
    out.append("</section>")
    return out


def _finding(f) -> list[str]:
    sev = SEVERITY_NAME.get(f.severity, f.severity)
    out = [f'<div class="finding" data-code="{_t(f.code)}" data-severity="{_t(f.severity)}">',
           f'<p class="head"><span class="code">{_t(f.code)}</span> <span class="sev sev-{_t(f.severity)}">'
           f'{_t(sev)}</span> <span class="message">{_t(f.message)}</span></p>']
    where = describe(f.location)
    if where:
        out.append(f'<p class="where">位置：<span class="location">{_t(where)}</span></p>')
    if f.snippet:
        s, e = f.span or (0, 0)
        out.append(f'<p class="snippet">{_t(f.snippet[:s])}<mark>{_t(f.snippet[s:e])}</mark>'
                   f'{_t(f.snippet[e:])}</p>')
    drawn = cell_grid(f)
    if drawn:
        header, rows, mark = drawn
        out.append('<table class="cells"><thead><tr>' + "".join(f"<th>{_t(h)}</th>" for h in header)
                   + "</tr></thead><tbody>")
        for n, row in enumerate(rows):
            cells = "".join(f'<td class="bad">{_t(v)}</td>' if mark == (n, j) else f"<td>{_t(v)}</td>"
                            for j, v in enumerate(row))
            out.append(f"<tr>{cells}</tr>")
        out.append("</tbody></table>")
    if f.expected is not None or f.found is not None:
        out.append(f'<p class="expect">应为 <span class="expected">{_t(f.expected or "—")}</span>，实际 '
                   f'<span class="found">{_t(f.found or "—")}</span></p>')
    out.append("</div>")
    return out


def _unreadable(results) -> list[str]:
    bad = [r for r in results if r.unreadable]
    if not bad:
        return []
    out = ['<h2 id="unreadable">无法读取的文件</h2><ul class="unreadable">']
    for r in bad:
        reason = r.findings[0].message if r.findings else ""
        out.append(f'<li><span class="path">{_t(r.path)}</span>：<span class="reason">{_t(reason)}</span></li>')
    return out + ["</ul>"]


def _skipped(results) -> list[str]:
    if not results:
        return []
    out = ['<h2 id="skipped">跳过的非年报文件</h2><p class="meta">没有年度报告的标题、部分标题或统计表，未检查。</p>'
           '<ul class="skipped">']
    out += [f'<li class="path">{_t(r.path)}</li>' for r in results]
    return out + ["</ul>"]
