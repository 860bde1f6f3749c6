"""Settings: gklint.toml / .gklint.toml / pyproject.toml [tool.gklint], found from each file upward, like ruff."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace

from gklint import output
from gklint.findings import SEVERITIES, Finding

CONFIG_NAMES = ("gklint.toml", ".gklint.toml", "pyproject.toml")
AGENCY_KINDS = ("auto", "department", "government")
UNIGNORABLE = ("GK001", "GK007")
CODE_OR_PREFIX = re.compile(r"^[A-Z]{2,6}\d{0,3}$")  # rule codes are 2–6 capitals and three digits  # an unreadable file is never silently skipped


class ConfigError(Exception):
    """A configuration file or option gklint cannot use; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("ALL",)  # every rule of the rule set in use, whatever its prefix (GK, ZJ, SX…)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, codes), globs relative to root
    severity: tuple[tuple[str, str], ...] = ()  # (code or prefix, severity)
    fail_on: str = "warning"
    ruleset: str | None = None  # name, or a path already made absolute
    exclude: tuple[str, ...] = ()
    agency_kind: str = "auto"
    output_format: str = "full"
    cache: bool = True
    baseline: str | None = None  # accepted findings (gklint check --write-baseline), a path made absolute
    min_severity: str = "info"  # findings below this are not shown (Vale's MinAlertLevel)
    renamed_agencies: tuple[tuple[str, str], ...] = ()  # (old name, new name): one agency across years
    timeout: float = 120.0  # seconds per file (gklint/run/deadline.py), generous: a report takes ~1 s; 0: none
    root: str = "."  # directory of the config file: globs and paths are relative to it
    source: str | None = None  # the config file, None for defaults

    def to_dict(self) -> dict:
        out = {f.name.replace("_", "-"): getattr(self, f.name) for f in fields(self)}
        for key, value in out.items():
            if key in ("per-file-ignores", "severity", "renamed-agencies"):
                out[key] = {k: list(v) if isinstance(v, tuple) else v for k, v in value}
            elif isinstance(value, tuple):
                out[key] = list(value)
        return out

    def enabled(self, code: str, path: str | None = None) -> bool:
        if code in UNIGNORABLE:
            return True
        ignore = list(self.ignore)
        if path is not None:
            rel = relative(path, self.root)
            for glob, codes in self.per_file_ignores:
                if _glob_match(rel, glob):
                    ignore += codes
        # the most specific prefix wins, and ignore wins a tie (ruff's rule)
        return _longest(code, self.select + self.extend_select) > _longest(code, tuple(ignore))

    def apply(self, findings: list[Finding], path: str) -> list[Finding]:
        """Selected findings, re-graded by the severity overrides."""
        out = []
        for f in findings:
            # a finding that names one wrong cell for several identities stands for each of their codes
            codes = [f.code] + [x["code"] for x in f.location.get("identities", []) if isinstance(x, dict)]
            if not any(self.enabled(code, path) for code in codes):
                continue
            best = max(((len(p), sev) for p, sev in self.severity if f.code.startswith(p)), default=None)
            out.append(replace(f, severity=best[1]) if best and f.code not in UNIGNORABLE else f)
        return out

    def why_disabled(self, code: str, path: str) -> str:
        """For --show-suppressed: which setting turned `code` off for `path`."""
        rel = relative(path, self.root)
        globs = [g for g, codes in self.per_file_ignores if _glob_match(rel, g) and _longest(code, codes) >= 0]
        where = f"（{self.source}）" if self.source else ""
        if globs:
            return f"per-file-ignores「{globs[0]}」{where}"
        if _longest(code, self.ignore) >= 0:
            return f"ignore{where}"
        return f"未被 select 选中{where}"

    def excluded(self, path: str) -> bool:
        rel = relative(path, self.root)
        return any(_glob_match(rel, g) for g in self.exclude)


def _longest(code: str, prefixes: tuple[str, ...]) -> int:
    """How specific the best match is: ALL matches every code, less specifically than any prefix."""
    return max((0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or code.startswith(p)), default=-1)


def relative(path: str, root: str) -> str:
    """`path` relative to `root`, with '/' (globs, baseline entries)."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return rel.replace(os.sep, "/")


def _glob_match(rel: str, glob: str) -> bool:
    """gitignore-like: a glob without '/' matches any path component; otherwise the relative path."""
    import fnmatch  # here: most runs have no globs
    glob = glob.rstrip("/")
    if "/" not in glob:
        return any(fnmatch.fnmatchcase(part, glob) for part in rel.split("/"))
    glob = glob.removeprefix("./")
    return fnmatch.fnmatchcase(rel, glob) or fnmatch.fnmatchcase(rel, glob + "/*")


def _codes(value, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise ConfigError(f"{where}：应为规则代码或前缀的列表，例如 [\"GK3\", \"GK501\"]")
    for c in value:
        if not (c == "ALL" or CODE_OR_PREFIX.match(c)):
            raise ConfigError(f"{where}：{c!r} 不是规则代码或前缀（形如 GK、GK3、GK301、ZJ101）")
    return tuple(value)


def _choice(value, choices, where: str) -> str:
    if value not in choices:
        raise ConfigError(f"{where}：{value!r} 不是 {' / '.join(choices)} 之一")
    return value


def parse(data: dict, source: str | None, base: Settings = Settings()) -> Settings:
    """Settings from a [tool.gklint]-style table; every unknown key is an error naming it."""
    root = os.path.dirname(os.path.abspath(source)) if source else base.root
    where = lambda key: f"{source}: {key}"  # noqa: E731
    values: dict = {"root": root, "source": source}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name in ("select", "extend_select", "ignore"):
            values[name] = _codes(value, where(key))
        elif name == "per_file_ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where(key)}：应为表，例如 {{\"archive/**\" = [\"GK4\"]}}")
            values[name] = tuple((g, _codes(c, where(f"{key}.{g}"))) for g, c in value.items())
        elif name == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where(key)}：应为表，例如 {{GK404 = \"warning\"}}")
            values[name] = tuple((_codes(c, where(f"{key}.{c}"))[0], _choice(s, SEVERITIES, where(f"{key}.{c}")))
                                 for c, s in value.items())
        elif name == "fail_on":
            values[name] = _choice(value, ("error", "warning"), where(key))
        elif name == "agency_kind":
            values[name] = _choice(value, AGENCY_KINDS, where(key))
        elif name == "output_format":
            values[name] = _choice(value, output.NAMES, where(key))
        elif name == "exclude":
            if not isinstance(value, list) or not all(isinstance(g, str) for g in value):
                raise ConfigError(f"{where(key)}：应为路径模式的列表，例如 [\"drafts/\", \"*.md\"]")
            values[name] = tuple(value)
        elif name == "ruleset":
            if not isinstance(value, str):
                raise ConfigError(f"{where(key)}：应为规则集名称或 .toml 路径")
            is_path = value.endswith(".toml") or "/" in value
            values[name] = os.path.normpath(os.path.join(root, value)) if is_path else value
        elif name == "baseline":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where(key)}：应为基线文件的路径，例如 \"gklint-baseline.json\"")
            values[name] = os.path.normpath(os.path.join(root, value))
        elif name == "min_severity":
            values[name] = _choice(value, SEVERITIES, where(key))
        elif name == "renamed_agencies":
            if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
                raise ConfigError(f"{where(key)}：应为表：旧名称 = 新名称，例如 {{\"某市经济发展局\" = \"某市经济发展和科技局\"}}")
            values[name] = tuple(value.items())
        elif name == "timeout":
            values[name] = timeout_value(value, where(key))
        elif name == "cache":
            if not isinstance(value, bool):
                raise ConfigError(f"{where(key)}：应为 true 或 false")
            values[name] = value
        else:
            known = "select, extend-select, ignore, per-file-ignores, severity, fail-on, ruleset, exclude, " \
                    "agency-kind, output-format, cache, baseline, min-severity, renamed-agencies, timeout"
            raise ConfigError(f"{where(key)}：未知的配置项 {key!r}（可用：{known}）")
    return replace(base, **values)


def timeout_value(value, where: str) -> float:
    """Seconds per file: a positive number, or 0 for no limit."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        raise ConfigError(f"{where}：应为每个文件的检查时间上限（秒），正数，0 表示不限，例如 120")
    return float(value)


def read_file(path: str) -> Settings:
    from gklint.ruleset.loader import read_toml

    data = read_toml(path, ConfigError, "配置文件")
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("gklint", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.gklint] 应为表")
    return parse(data, path)


def find_config(directory: str) -> str | None:
    """The nearest config file at or above `directory`; a pyproject.toml counts only with [tool.gklint]."""
    directory = os.path.abspath(directory)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                if name != "pyproject.toml" or _has_tool_table(candidate):
                    return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return b"[tool.gklint" in fh.read()
    except OSError:
        return False


def settings_for_dir(directory: str) -> Settings:
    found = find_config(directory)
    return read_file(found) if found else Settings(root=os.path.abspath("."))


@dataclass
class Overrides:
    """Command-line options; each replaces (or for extend-select and ignore, extends) the file's setting."""
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    ruleset: str | None = None
    agency_kind: str | None = None
    output_format: str | None = None
    no_cache: bool = False
    baseline: str | None = None
    min_severity: str | None = None
    timeout: float | None = None

    def apply(self, s: Settings) -> Settings:
        changes: dict = {}
        ignore = s.ignore
        if self.select is not None:  # a command-line selection starts afresh, as in ruff
            changes["select"], changes["extend_select"], ignore = self.select, (), ()
        if self.extend_select:
            changes["extend_select"] = changes.get("extend_select", s.extend_select) + self.extend_select
        changes["ignore"] = ignore + self.ignore
        for name in ("fail_on", "agency_kind", "output_format", "min_severity", "timeout"):
            if getattr(self, name) is not None:
                changes[name] = getattr(self, name)
        if self.ruleset is not None:
            changes["ruleset"] = self.ruleset
        if self.baseline is not None:
            changes["baseline"] = os.path.abspath(self.baseline)
        if self.no_cache:
            changes["cache"] = False
        return replace(s, **changes)


class Resolver:
    """Settings for each file: `--config` for all, or the nearest config file; command-line options on top.
    Cached per directory for one run only, so an edited config is seen by the next run in the same process."""

    def __init__(self, overrides: Overrides, config_path: str | None = None):
        self.overrides = overrides
        self.fixed = overrides.apply(read_file(config_path)) if config_path else None
        self._by_dir: dict[str, Settings] = {}

    def for_path(self, path: str) -> Settings:
        if self.fixed is not None:
            return self.fixed
        directory = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        if directory not in self._by_dir:
            self._by_dir[directory] = self.overrides.apply(settings_for_dir(directory))
        return self._by_dir[directory]


def unknown_codes(settings: Settings, known) -> list[str]:
    """The codes and prefixes of select / extend-select that match no rule of the rule sets in use."""
    return [c for c in settings.select + settings.extend_select
            if c != "ALL" and not any(code.startswith(c) for code in known)]
