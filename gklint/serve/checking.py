"""What `POST /api/check` and `/api/annotate` do with an upload: the form fields read with the CLI's names,
the settings resolved as `gklint check` resolves them, the files checked by gklint.run.runner.run in worker
processes, then filtered and rendered exactly as `gklint check` does."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from gklint.policy.config import AGENCY_KINDS, ConfigError, Overrides, Resolver, Settings, parse
from gklint.serve.upload import FIELD_LIMIT, Upload, UploadError

FORMATS = {"json": "application/json", "html": "text/html", "csv": "text/csv"}
FIELDS = ("ruleset", "agency-kind", "config", "output-format", "progress", "keep")  # keep: --store only
UPLOADED_CONFIG = "上传的配置（config 字段）"


@dataclass(frozen=True)
class Server:
    """What the server was started with: its working directory (where a config file is looked for, as the
    CLI looks from its current directory) or the --config file for every request."""
    cwd: str
    config: str | None = None


@dataclass
class Options:
    ruleset: str | None = None
    agency_kind: str | None = None
    config_text: str | None = None
    output_format: str = "json"
    progress: bool = False


def options(up: Upload, output_formats=tuple(FORMATS)) -> Options:
    """The form fields; anything unknown or out of range is a 400 naming it."""
    from gklint.ruleset.loader import builtin_names

    unknown = sorted((set(up.fields) | set(up.file_fields)) - set(FIELDS) - {"file"})
    if unknown:
        raise UploadError(400, f"未知的表单字段：{'、'.join(unknown)}（可用：file、{'、'.join(FIELDS)}）")
    f = up.fields
    opts = Options(ruleset=f.get("ruleset") or None, agency_kind=f.get("agency-kind") or None,
                   output_format=f.get("output-format") or "json",
                   progress=f.get("progress", "").lower() in ("1", "true", "yes"))
    if opts.ruleset and opts.ruleset not in builtin_names():
        raise UploadError(400, f"ruleset：{opts.ruleset!r} 不是内置规则集（可用：{'、'.join(builtin_names())}）；"
                               "自定义规则集请写在服务器的配置文件中")
    if opts.agency_kind and opts.agency_kind not in AGENCY_KINDS:
        raise UploadError(400, f"agency-kind：{opts.agency_kind!r} 不是 {' / '.join(AGENCY_KINDS)} 之一")
    if opts.output_format not in output_formats:
        raise UploadError(400, f"output-format：{opts.output_format!r} 不是 {' / '.join(output_formats)} 之一")
    if "config" in up.file_fields:
        _, path = up.files[up.file_fields["config"][-1]]
        if os.path.getsize(path) > FIELD_LIMIT:
            raise UploadError(413, f"配置文件过大（最多 {FIELD_LIMIT // 1024} KB）")
        with open(path, "rb") as fh:
            opts.config_text = fh.read().decode("utf-8", "replace")
    elif "config" in f:
        opts.config_text = f["config"]
    return opts


def files(up: Upload) -> list[tuple[str, str]]:
    """The (uploaded name, private path) of the reports to check: the parts of field `file`."""
    return [up.files[i] for i in up.file_fields.get("file", [])]


def settings(opts: Options, server: Server) -> Settings:
    """The server's configuration (or the uploaded one instead, as --config replaces the search), the form's
    rule set and agency kind on top, and never the cache: nothing uploaded is kept."""
    from gklint.checks import catalog
    from gklint.ruleset.loader import RuleSetError, load

    overrides = Overrides(ruleset=opts.ruleset, agency_kind=opts.agency_kind, no_cache=True)
    try:
        if opts.config_text is not None:
            s = overrides.apply(_uploaded_config(opts.config_text))
        else:
            s = Resolver(overrides, server.config).for_path(server.cwd)
    except ConfigError as exc:
        raise UploadError(400, f"配置错误：{exc}") from None
    if s.ruleset:
        try:
            catalog([load(s.ruleset)])
        except RuleSetError as exc:
            raise UploadError(500, f"服务器上的规则集错误：{exc}") from None
    return s


def _uploaded_config(text: str) -> Settings:
    """A gklint.toml (or a pyproject.toml with [tool.gklint]) sent with the files. Keys that name files on
    the server (a rule set path, a baseline) are refused: the upload must not reach into the server's disk."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{UPLOADED_CONFIG}: TOML 语法错误：{exc}") from None
    if isinstance(data.get("tool"), dict) and "gklint" in data["tool"]:
        data = data["tool"]["gklint"]
    if not isinstance(data, dict):
        raise ConfigError(f"{UPLOADED_CONFIG}: [tool.gklint] 应为表")
    for key in ("baseline",):
        if key in data:
            raise ConfigError(f"{UPLOADED_CONFIG}: {key}：上传的配置不能引用服务器上的文件")
    ruleset = data.get("ruleset")
    if isinstance(ruleset, str) and (ruleset.endswith(".toml") or "/" in ruleset or "\\" in ruleset):
        raise ConfigError(f"{UPLOADED_CONFIG}: ruleset：上传的配置只能使用内置规则集名称")
    return parse(data, UPLOADED_CONFIG)


def check(up: Upload, s: Settings, pool, progress=None, across=None):
    """Check the uploaded reports: (results named by their uploaded names, stale baseline entries, seconds).
    `across(results, settings)`: called after the run's own checks across years, before what is shown is
    decided (the store pairs reports with its earlier ones there: gklint/serve/office.py)."""
    from gklint.policy import baseline
    from gklint.policy.apply import apply
    from gklint.run.runner import run

    start = time.perf_counter()
    named = files(up)
    paths = [p for _, p in named]
    results = run(paths, [s] * len(paths), 1, check_all=pool.check_all(dict((p, n) for n, p in named), progress))
    if across is not None:
        across(results, s)
    try:  # what is shown, as `gklint check` decides it (without --show-suppressed)
        stale = apply(results, [s] * len(results))
    except baseline.BaselineError as exc:
        raise UploadError(500, f"服务器上的基线文件错误：{exc}") from None
    for r in results:
        r.suppressed = []
    return results, stale, time.perf_counter() - start


def render(fmt: str, results, stale, elapsed: float) -> str:
    """The text `gklint check --output-format FMT` prints for these results."""
    from gklint import output

    return output.render(fmt, results, output.Run(elapsed, [], list(stale)))


def annotate(path: str, out: str, findings, ruleset: str | None = None) -> int:
    """In a worker: the annotated copy of `path` written to `out`; how many comments were placed."""
    from gklint.output.annotate import annotate_report
    from gklint.run.engine import read_report

    return len(annotate_report(read_report(path, ruleset)[1], out, findings).placed)


def fix(path: str, out: str, findings, ruleset: str | None = None) -> int:
    """In a worker: the safe fixes of `path` as tracked changes in `out` (as `gklint fix`); how many were made.
    Nothing to fix: the copy is the original, unchanged."""
    import shutil

    from gklint.checks import catalog
    from gklint.checks.fixes import plan
    from gklint.output.fix import fix_docx
    from gklint.run.engine import read_report

    rs, report = read_report(path, ruleset)
    edits = plan(findings, catalog([rs])).edits
    if not edits:
        shutil.copyfile(path, out)
        return 0
    return len(fix_docx(report.document.source, out, edits).applied)
