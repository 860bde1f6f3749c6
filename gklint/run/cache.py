"""Result cache: an unchanged file checked with the same rule set and gklint version is not read again.

Key: sha256 of the file's bytes + a fingerprint of the merged rule set(s) + agency kind + gklint version.
Entries are small JSON files under `.gklint_cache/` (or $GKLINT_CACHE_DIR); findings are stored before
select/ignore/severity are applied, so changing those settings needs no re-check. Any cache I/O problem
just means a miss: the cache can never make a run fail.
"""

from __future__ import annotations

import json
import os
import stat
from functools import lru_cache

from gklint import __version__
from gklint.run.engine import FileResult
from gklint.checks.across import FACTS_VERSION
from gklint.findings import Finding

DIR_NAME = ".gklint_cache"


def cache_dir() -> str:
    return os.environ.get("GKLINT_CACHE_DIR") or os.path.join(os.getcwd(), DIR_NAME)


@lru_cache(maxsize=None)
def ruleset_fingerprint(ref: str | None) -> str:
    """The merged rule set as data, so an edited rule set (or anything it extends) changes the key."""
    import hashlib  # here: a --no-cache run never needs it

    from gklint.ruleset.loader import builtin_names, load

    refs = [ref] if ref else builtin_names()  # by report year: any built-in may be chosen
    # the files' locations too: entries name the rule set file, which a reinstall may move or remove
    data = [[load(r).sources, load(r).raw] for r in refs]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """gklint's own modules (name, size, mtime): an edited checkout never reuses findings of older code."""
    import hashlib  # here: a --no-cache run never needs it

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # gklint/
    stamps = []
    for folder, _dirs, names in os.walk(root):
        for name in sorted(names):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                stamps.append(f"{os.path.relpath(os.path.join(folder, name), root)}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(stamps)).encode()).hexdigest()


def key(path: str, ruleset: str | None, agency_kind: str) -> str | None:
    import hashlib  # here: a --no-cache run never needs it

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # opening a pipe would block; the reader reports it
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256") if hasattr(hashlib, "file_digest") else \
                hashlib.sha256(fh.read())
    except OSError:
        return None  # unreadable now: let the checker report it
    suffix = os.path.splitext(path)[1].lower()  # the reader is chosen by suffix: the same bytes as .doc and .wps differ
    parts = (digest.hexdigest(), suffix, ruleset_fingerprint(ruleset), agency_kind, __version__, code_fingerprint())
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _entry(k: str) -> str:
    return os.path.join(cache_dir(), __version__, k[:2], k + ".json")


def get(k: str, path: str) -> FileResult | None:
    """The cached result, or None (a miss) for a missing, broken or stale entry: nothing in an entry may fail
    a run, whoever wrote it (an older gklint, a crash half-way, a hand edit)."""
    try:
        with open(_entry(k), encoding="utf-8") as fh:
            return from_data(json.load(fh), path)
    except Exception:  # noqa: BLE001 - any malformed entry is a miss
        return None


def from_data(d: dict, path: str) -> FileResult | None:
    """A result from its serialised form (`to_data`), named `path`; None when the data is malformed or stale.
    Also how `gklint serve --store` restores a stored report's facts."""
    try:
        from gklint.policy.suppress import Directive, Suppressed

        result = FileResult(path, d["template"], d.get("ruleset_path"), d["report_year"],
                            [Finding.from_dict(f) for f in d["findings"]], d["unreadable"], skipped=d["skipped"],
                            suppressed=[Suppressed.from_dict(x) for x in d.get("suppressed", [])],
                            agency=d.get("agency", ""), layout=d.get("layout"), facts=d.get("facts"),
                            directives=[Directive.from_dict(x) for x in d.get("directives", [])])
        return result if _valid(result) else None
    except Exception:  # noqa: BLE001 - any malformed entry is a miss
        return None


def to_data(result: FileResult) -> dict:
    """The serialised form of a result (JSON-ready): the cache entry."""
    return {"template": result.template, "ruleset_path": result.ruleset_path, "report_year": result.report_year,
            "unreadable": result.unreadable, "skipped": result.skipped,
            "agency": result.agency, "layout": result.layout, "facts": result.facts,
            "findings": [f.to_dict() for f in result.findings],
            "suppressed": [x.to_dict() for x in result.suppressed],
            "directives": [x.to_dict() for x in result.directives]}


def _valid(r: FileResult) -> bool:
    """Every field has the type later stages rely on, and the rule set file still exists."""
    from gklint.findings import SEVERITIES

    if not (isinstance(r.template, (str, type(None))) and isinstance(r.report_year, (int, type(None)))
            and isinstance(r.unreadable, bool) and isinstance(r.skipped, bool)):
        return False
    if r.facts is not None and not (isinstance(r.facts, dict) and r.facts.get("version") == FACTS_VERSION
                                    and isinstance(r.facts.get("tables"), dict)
                                    and isinstance(r.facts.get("sentences"), list)):
        return False
    if r.ruleset_path is not None and not (isinstance(r.ruleset_path, str) and os.path.isfile(r.ruleset_path)):
        return False
    return all(isinstance(f.code, str) and f.severity in SEVERITIES and isinstance(f.message, str)
               and isinstance(f.location, dict)
               and all(isinstance(v, (str, type(None))) for v in (f.expected, f.found, f.snippet))
               and (f.span is None or (len(f.span) == 2 and all(type(i) is int for i in f.span)))
               for f in r.findings + [x.finding for x in r.suppressed])


def put(k: str, result: FileResult) -> None:
    if cache_dir() in _unwritable:
        return
    entry = _entry(k)
    data = to_data(result)
    tmp = f"{entry}.{os.getpid()}.tmp"
    try:
        _prepare(os.path.dirname(entry))
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, entry)  # atomic: parallel runs never see half an entry
    except OSError as exc:  # read-only, full disk, a file where a folder should be: the check goes on
        _unwritable.add(cache_dir())
        _remove(tmp)  # half an entry on a full disk
        import sys

        print(f"gklint: 警告：结果缓存 {cache_dir()} 无法写入（{_why(exc)}），本次运行不再写缓存；"
              "检查照常进行（可用 --no-cache 或 GKLINT_CACHE_DIR 指定别的目录）", file=sys.stderr)
    except BaseException:  # interrupted half-way (SIGINT, SIGTERM): leave no half-written file behind
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


_unwritable: set[str] = set()  # cache folders that failed, said once: every later file would fail the same way


def _why(exc: OSError) -> str:
    import errno

    return {errno.ENOSPC: "磁盘已满", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "只读文件系统",
            errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENOTDIR: "路径中有同名的文件",
            errno.EEXIST: "路径中有同名的文件"}.get(exc.errno, exc.strerror or str(exc))


def _prepare(directory: str) -> None:
    root = cache_dir()
    if not os.path.isdir(root):
        os.makedirs(root, exist_ok=True)
        with open(os.path.join(root, ".gitignore"), "w") as fh:  # never committed by accident, as ruff does
            fh.write("# created by gklint\n*\n")
        with open(os.path.join(root, "CACHEDIR.TAG"), "w") as fh:
            fh.write("Signature: 8a477f597d28d172789f06886806bc55\n# gklint result cache\n")
    os.makedirs(directory, exist_ok=True)
