"""--show-suppressed in the line formats (each accepted finding, by which route, and the reason) and the
baseline's entries that no longer occur."""

from __future__ import annotations

from gklint.findings import describe
from gklint.output.full import SEVERITY_NAME
from gklint.output.text import clean

ROUTES = {"comment": "Word 批注", "line": "文中注释行", "baseline": "基线文件", "config": "配置文件"}


def render(results) -> str:
    """--show-suppressed in the line formats: each accepted finding, by which route, and the reason."""
    out = []
    for r in results:
        for x in r.suppressed:
            f = x.finding
            n = f.location.get("line") or f.location.get("para") or 0
            where = describe(f.location)
            why = ROUTES.get(x.by, x.by) + (f"：{x.reason}" if x.reason else "（没有写理由）")
            out.append(f"{clean(r.path)}:{n}: {f.code} [已忽略 {SEVERITY_NAME[f.severity]}] {clean(f.message)}"
                       + (f"（{clean(where)}）" if where else "") + f" —— {clean(why)}")
    if not out:
        return ""
    return f"已忽略的问题（{len(out)} 个）：\n" + "".join(line + "\n" for line in out)


def render_stale(stale) -> str:
    """Baseline entries that no longer occur: fixed, so they can leave the baseline."""
    if not stale:
        return ""
    lines = [f"{clean(e['path'])}: {clean(e.get('key') or e.get('code', ''))}" for e in stale]
    return (f"基线中有 {len(stale)} 个问题已不再出现（已修正？可重新运行 --write-baseline 更新基线）：\n"
            + "".join("  " + line + "\n" for line in lines))
