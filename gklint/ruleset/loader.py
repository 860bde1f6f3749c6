"""Rule sets: TOML files describing a template (sections, tables, rows, columns) and its rules.

A rule set may `extends` another (a built-in name or a path); tables and sections of the child replace
the parent's by key. Every problem is a RuleSetError naming the file and the key.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path



class RuleSetError(Exception):
    """A rule set that cannot be used: the file, line and key are fields, set where the problem is found."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None, key: str | None = None):
        super().__init__(message)
        self.message, self.path, self.line, self.key = message, path, line, key

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.path and self.line else (self.path or "")
        text = f"{self.key}：{self.message}" if self.key else self.message
        return f"{where}: {text}" if where else text


def suggest(word, names, what: str = "可用", shown: int = 40) -> str:
    """'（是不是 'T3'？可用：T2、T3、T4）': the closest names to a misspelt key and the valid ones, for authors."""
    import difflib

    names = [str(n) for n in dict.fromkeys(names)]
    close = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    guess = f"是不是 {close[0]!r}？" if close else ""
    listed = "、".join(names[:shown]) + (f" 等 {len(names)} 个" if len(names) > shown else "")
    return f"（{guess}{what}：{listed}）" if names else (f"（{guess}）" if guess else "")


def located_error(path, key: str | None, message: str, sources=None) -> RuleSetError:
    """A RuleSetError for `key` (dotted: rules.GK301.expr), with the line where that key is written: in the
    first of `sources` (the file and the rule sets it extends, child first) that has it."""
    for src in sources or (path,):
        line = find_line(str(src), key) if key else None
        if line:
            return RuleSetError(message, path=str(src), line=line, key=key)
    return RuleSetError(message, path=str(path) if path else None, key=key)


@dataclass
class SectionSpec:
    key: str
    title: str
    variants: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)  # words that make a numbered heading this section


@dataclass
class RowSpec:
    key: str
    label: str
    match: list[str] = field(default_factory=list)
    exact: list[str] = field(default_factory=list)
    columns: list[str] | None = None  # per-row columns (table 二); None: the table's columns
    tags: list[str] = field(default_factory=list)
    unit: str | None = None
    signed: list[str] = field(default_factory=list)  # columns that may be negative (本年增/减)
    decimal: list[str] = field(default_factory=list)  # columns that may have decimals (amounts)


@dataclass
class TableSpec:
    key: str
    title: str
    section: str
    signature: list[str]
    rows: list[RowSpec]
    columns: list[str] = field(default_factory=list)
    column_variants: dict[str, list[str]] = field(default_factory=dict)
    unlabeled: bool = False  # one data row without a row label (table 四)

    def row(self, key: str) -> RowSpec | None:
        return next((r for r in self.rows if r.key == key), None)

    def columns_of(self, row: RowSpec) -> list[str]:
        return row.columns if row.columns is not None else self.columns


@dataclass
class RuleSet:
    name: str
    path: str
    description: str = ""
    layout: str | None = None
    years: tuple[int, int] | None = None
    layout_markers: list[str] = field(default_factory=list)
    sections: list[SectionSpec] = field(default_factory=list)
    tables: dict[str, TableSpec] = field(default_factory=dict)
    raw: dict = field(default_factory=dict)  # the merged TOML, for the rule kinds
    sources: tuple[str, ...] = ()  # this file and the files it extends, child first: where keys are written


_TOP_KEYS = {"ruleset", "sections", "tables", "rules", "settings", "tests"}
_RULESET_KEYS = {"name", "extends", "layout", "description", "years", "layout_markers"}
_SECTION_KEYS = {"key", "title", "variants", "keywords"}
_TABLE_KEYS = {"title", "section", "signature", "rows", "columns", "column_variants", "unlabeled"}
_ROW_KEYS = {"key", "label", "match", "exact", "columns", "tags", "unit", "signed", "decimal"}


def builtin_dir() -> Path:
    here = Path(__file__).resolve().parent.parent  # gklint/
    installed = here / "builtin_rules"  # the wheel maps rules/ here
    return installed if installed.is_dir() else here.parent / "rules"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml") if p.stem != "base")


def _locate(ref: str, relative_to: Path | None) -> Path:
    if ref.endswith(".toml") or "/" in ref or "\\" in ref:
        p = Path(ref)
        if not p.is_absolute() and relative_to is not None:
            p = relative_to.parent / p
        return p
    p = builtin_dir() / f"{ref}.toml"
    if p.exists():
        return p
    found = _entry_point(ref)
    if found is None:
        names = builtin_names() + sorted(_entry_points())
        raise located_error(relative_to, "ruleset.extends" if relative_to else None,
                     f"没有名为 {ref!r} 的规则集（可用：{', '.join(names)}；也可以给出 .toml 路径）")
    return found


def _entry_points() -> dict:
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group="gklint.rulesets")}


def _entry_point(name: str) -> Path | None:
    """A rule set shipped as a package: entry point `name = "pkg:RULESET"` (a path, or a function returning one)."""
    ep = _entry_points().get(name)
    if ep is None:
        return None
    try:
        target = ep.load()
        target = target() if callable(target) else target
    except Exception as exc:  # a broken third-party package must not crash gklint
        raise RuleSetError(f"规则集包 {name!r}（{ep.value}）无法加载：{type(exc).__name__}: {exc}") from None
    path = Path(str(target))
    if not path.is_file():
        raise RuleSetError(f"规则集包 {name!r}（{ep.value}）给出的文件不存在：{path}")
    return path


def read_toml(path, error: type[Exception] = RuleSetError, what: str = "规则集") -> dict:
    """A TOML file (rule set or config); every failure is `error` naming the file."""
    if sys.version_info >= (3, 11):  # imported here: a run answered from compiled rule sets never needs it
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        if error is RuleSetError:
            raise RuleSetError(f"无法读取{what}：{exc.strerror or exc}", path=str(path)) from None
        raise error(f"{path}: 无法读取{what}：{exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        if error is RuleSetError:
            at = re.search(r"\(at line (\d+)", str(exc))  # tomllib gives the position only in its text
            dup = re.search(r"Cannot declare \(([^)]*)\) twice", str(exc))
            key = ".".join(re.findall(r"'([^']*)'", dup[1])) if dup else "TOML"
            message = f"重复定义：{key} 只能出现一次（{exc}）" if dup else f"TOML 语法错误：{exc}"
            raise RuleSetError(message, path=str(path), line=int(at[1]) if at else None, key=key) from None
        raise error(f"{path}: TOML 语法错误：{exc}") from None


_DEADLINES = {"department_deadline", "government_deadline"}


def _merge(parent: dict, child: dict) -> dict:
    """Child over parent: tables and rules merge by key, sections by key, other values replace."""
    out = dict(parent)
    for key, value in child.items():
        if key in ("tables", "rules") and isinstance(value, dict):
            merged = dict(parent.get(key, {}))
            for name, spec in value.items():
                base = merged.get(name, {})
                if isinstance(spec, dict) and isinstance(base, dict):
                    if key == "rules" and "basis" in base and "basis" not in spec and _DEADLINES & set(spec):
                        base = {k: v for k, v in base.items() if k != "basis"}  # a moved deadline is not the 条例's
                        spec = {**spec, "basis": "本规则集规定的期限"}
                    spec = {**base, **spec}
                    if key == "tables" and isinstance(base.get("rows"), list) and "rows" in value[name]:
                        spec["rows"] = _merge_by_key(base["rows"], value[name]["rows"])
                merged[name] = spec
            out[key] = merged
        elif key == "sections" and isinstance(value, list):
            out[key] = _merge_by_key(parent.get("sections", []), value)
        elif key == "ruleset":
            out[key] = {**{k: v for k, v in parent.get(key, {}).items() if k != "name"}, **value}
        else:
            out[key] = value
    return out


def _merge_by_key(parent: list, child: list) -> list:
    """Sections or rows: a child entry with a parent's key changes it, a new key is appended."""
    if not all(isinstance(x, dict) for x in parent + child):
        return child  # malformed: let validation name the entry
    by_key = {x.get("key"): x for x in parent}
    order = [x.get("key") for x in parent]
    for x in child:
        if x.get("key") not in by_key:
            order.append(x.get("key"))
        by_key[x.get("key")] = {**by_key.get(x.get("key"), {}), **x}
    return [by_key[k] for k in order]


def _raw(path: Path, seen: tuple[Path, ...] = (), chain: list | None = None) -> dict:
    path = path.resolve()
    if chain is not None:
        chain.append(str(path))
    if path in seen:
        raise located_error(seen[-1], "ruleset.extends", f"extends 形成循环：{' -> '.join(str(p) for p in seen + (path,))}")
    data = read_toml(path)
    for key in data:
        if key not in _TOP_KEYS:
            raise located_error(path, key, f"未知的顶层键 {key!r}（允许：{', '.join(sorted(_TOP_KEYS))}）")
    parent_ref = data.get("ruleset", {}).get("extends")
    if parent_ref:
        if not isinstance(parent_ref, str):
            raise located_error(path, "ruleset.extends", "必须是字符串")
        return _merge(_raw(_locate(parent_ref, path), seen + (path,), chain), data)
    return data


def _key(where: str) -> str:
    """'[ruleset]' -> 'ruleset'; 'tables.T3.rows[0]' stays as it is."""
    return where[1:-1] if where.startswith("[") and where.endswith("]") else where


def find_line(path: str, key: str) -> int | None:
    """The line of a dotted key (rules.GK301.expr, tables.T3.rows[2]): its table header, then the key."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    parts = re.findall(r"\[\d+\]|[^.\[\]]+", key)
    names = [p for p in parts if not p.startswith("[")]
    for n in range(len(names), 0, -1):
        header = re.escape(".".join(names[:n]))
        rx = re.compile(rf"^\s*\[\[?\s*{header}\s*\]\]?\s*(#.*)?$")
        hits = [i for i, line in enumerate(lines) if rx.match(line)]
        if not hits:
            continue
        index = next((int(p[1:-1]) for p in parts if p.startswith("[")), 0)
        start = hits[index] if index < len(hits) else hits[0]
        for name in names[n:n + 1]:
            for j in range(start + 1, len(lines)):
                if lines[j].lstrip().startswith("["):
                    break
                if re.match(rf"^\s*{re.escape(name)}\s*=", lines[j]):
                    return j + 1
        return start + 1
    if names:  # a key set inline at the top level (e.g. in [ruleset]), or a dotted key (rules.X.kind = …)
        rx = re.compile(rf"^\s*({re.escape(key)}|{re.escape(names[-1])})\s*=")
        return next((i + 1 for i, line in enumerate(lines) if rx.match(line)), None)
    return None


def _check_keys(path: Path, where: str, table: dict, allowed: set[str]) -> None:
    if not isinstance(table, dict):
        raise located_error(path, _key(where), "必须是表（table）")
    for key in table:
        if key not in allowed:
            raise located_error(path, f"{_key(where)}.{key}", f"未知的键 {key!r}{suggest(key, sorted(allowed), '允许')}")


def _str_list(path: Path, where: str, value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise located_error(path, where, "必须是字符串数组")
    return list(value)


def _need(path: Path, where: str, table: dict, key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise located_error(path, where, f"缺少字符串键 {key!r}")
    return value


def _new_entry(path: Path, where: str, key, entry: dict, named: str, siblings: list, what: str, needs: str) -> None:
    """A table, row or section key the rule sets it extends do not have is a new one and needs its own
    `named` field (title, label). Usually it is a misspelt key ([tables.T33] for T3): say so before
    "缺少字符串键 'title'"."""
    others = [x for x in siblings if x != key]
    if isinstance(entry, dict) and not entry.get(named) and others and isinstance(key, str):
        raise located_error(path, where, f"没有{what} {key!r}{suggest(key, others, f'已有的{what}')}；"
                                         f"要新增{what}，须写 {needs}")


def compiled_dir() -> str:
    """Parsed rule sets, per user (never in a checked-out repository: entries are only ever data)."""
    import os

    base = os.environ.get("GKLINT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "gklint")
    return os.path.join(base, "rulesets")


def _content(path: str) -> str:
    with open(path, "rb") as fh:
        return fh.read().decode("utf-8", "surrogateescape")


def _entry(path: Path) -> str:
    import os
    import zlib

    # the name only spreads entries; each entry names its file and is checked against it
    return os.path.join(compiled_dir(), f"{path.stem}-{zlib.crc32(str(path).encode()):08x}.json")


def _compiled(path: Path, chain: list[str]) -> dict | None:
    """The merged TOML of `path` and the files it extends as parsed by an earlier run, when every one of those
    files still has the content it had then (keyed by content: an edit is a miss). Saves importing tomllib and
    parsing at every start; any problem with an entry is a miss."""
    import json

    try:
        with open(_entry(path), encoding="utf-8") as fh:
            entry = json.load(fh)
        sources, raw = entry["sources"], entry["raw"]
        if not (isinstance(raw, dict) and sources and sources[0][0] == str(path)):
            return None
        if any(_content(src) != text for src, text in sources):  # the files' whole text: no hashing at start
            return None
    except Exception:  # noqa: BLE001 - missing, unreadable, malformed or stale: parse the TOML
        return None
    chain.extend(src for src, _ in sources)
    return raw


def _store(path: Path, chain: list[str], raw: dict) -> None:
    import json
    import os

    try:
        data = json.dumps({"sources": [[src, _content(src)] for src in chain], "raw": raw}, ensure_ascii=False)
        entry = _entry(path)
        os.makedirs(os.path.dirname(entry), exist_ok=True)
        tmp = f"{entry}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, entry)
    except (OSError, TypeError, ValueError):  # read-only home, a TOML datetime JSON cannot hold: parse next time
        pass


@lru_cache(maxsize=32)
def load(ref: str) -> RuleSet:
    """Load a rule set by built-in name or path; parsed once per process."""
    path = _locate(ref, None).resolve()
    chain: list[str] = []
    try:
        return _load(path, chain)
    except RuleSetError as exc:
        if exc.line is None and exc.key and chain:  # a merged key: the line in the file that wrote it
            raise located_error(path, exc.key, exc.message, chain) from None
        raise


def _load(path: Path, chain: list[str]) -> RuleSet:
    raw = _compiled(path, chain)
    if raw is None:
        raw = _raw(path, chain=chain)
        _store(path, chain, raw)
    meta = raw.get("ruleset", {})
    _check_keys(path, "[ruleset]", meta, _RULESET_KEYS)
    rs = RuleSet(name=meta.get("name") or path.stem, path=str(path), description=meta.get("description", ""),
                 layout=meta.get("layout"), raw=raw, sources=tuple(chain),
                 layout_markers=_str_list(path, "ruleset.layout_markers", meta.get("layout_markers")))
    if rs.layout not in (None, "gb2019", "gb2021"):  # the table layouts binding knows
        raise located_error(path, "ruleset.layout", f"{rs.layout!r} 不是可用的版式（可用：gb2019、gb2021）")
    years = meta.get("years")
    if years is not None:
        if not (isinstance(years, list) and len(years) == 2 and all(type(y) is int for y in years)
                and 1990 <= years[0] <= years[1] <= 9999):
            raise located_error(path, "ruleset.years", "必须是两个整数 [起始年, 结束年]，起始年不大于结束年")
        rs.years = (years[0], years[1])
    for i, s in enumerate(raw.get("sections", [])):
        where = f"sections[{i}]"
        _check_keys(path, where, s, _SECTION_KEYS)
        _new_entry(path, where, s.get("key"), s, "title", [x.get("key") for x in raw.get("sections", [])
                                                           if isinstance(x, dict) and x.get("title")], "部分", "title")
        rs.sections.append(SectionSpec(_need(path, where, s, "key"), _need(path, where, s, "title"),
                                       _str_list(path, f"{where}.variants", s.get("variants")),
                                       _str_list(path, f"{where}.keywords", s.get("keywords"))))
    for tkey, t in raw.get("tables", {}).items():
        where = f"tables.{tkey}"
        _check_keys(path, where, t, _TABLE_KEYS)
        _new_entry(path, where, tkey, t, "title", sorted(k for k, v in raw["tables"].items()
                                                         if isinstance(v, dict) and v.get("title")), "表",
                   "title、section 和 rows")
        rows = []
        for j, r in enumerate(t.get("rows", [])):
            rw = f"{where}.rows[{j}]"
            _check_keys(path, rw, r, _ROW_KEYS)
            _new_entry(path, rw, r.get("key"), r, "label", [x.get("key") for x in t.get("rows", [])
                                                            if isinstance(x, dict) and x.get("label")], "行", "label")
            label = _need(path, rw, r, "label")
            match = _str_list(path, f"{rw}.match", r.get("match"))
            exact = _str_list(path, f"{rw}.exact", r.get("exact"))
            if not match and not exact:
                match = [label]
            cols = r.get("columns")
            rows.append(RowSpec(_need(path, rw, r, "key"), label, match, exact,
                                _str_list(path, f"{rw}.columns", cols) if cols is not None else None,
                                _str_list(path, f"{rw}.tags", r.get("tags")), r.get("unit"),
                                _str_list(path, f"{rw}.signed", r.get("signed")),
                                _str_list(path, f"{rw}.decimal", r.get("decimal"))))
        keys = [r.key for r in rows]
        dup = {k for k in keys if keys.count(k) > 1}
        if dup:
            raise located_error(path, f"{where}.rows", f"行键重复：{', '.join(sorted(dup))}")
        variants = t.get("column_variants", {})
        rs.tables[tkey] = TableSpec(tkey, _need(path, where, t, "title"), _need(path, where, t, "section"),
                                    _str_list(path, f"{where}.signature", t.get("signature")), rows,
                                    _str_list(path, f"{where}.columns", t.get("columns")),
                                    {k: _str_list(path, f"{where}.column_variants.{k}", v)
                                     for k, v in variants.items()}, bool(t.get("unlabeled", False)))
    return rs


NATIONAL = ("pre2019", "gb2019", "gb2021")


def for_year(year: int | None) -> RuleSet:
    """The national rule set whose `years` hold the report year (gb2021, the current one, when unknown)."""
    if year is not None:
        for name in NATIONAL:
            rs = load(name)
            if rs.years and rs.years[0] <= year <= rs.years[1]:
                return rs
    return load("gb2021")


def layouts() -> list[RuleSet]:
    """The national rule sets whose table layouts a document is compared against."""
    return [load("gb2019"), load("gb2021")]
