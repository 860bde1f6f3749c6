"""`gklint serve --store PATH --export DIR`: everything the store holds, as plain files an office can archive
or open without gklint: files/<department>/<agency>/<year>-<id>-<uploaded name>, submissions.json (every row
with its findings), users.json (names and roles; never a token or its hash)."""

from __future__ import annotations

import json
import os
import re
import shutil

from gklint.serve.store import Store, public


class ExportError(Exception):
    """The export cannot be written; the message is Chinese."""


def safe_part(name: str, fallback: str) -> str:
    """One path component from a label: no separators, control characters or leading dots."""
    part = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "_", name or "").strip().lstrip(".")
    return part[:80] or fallback


def export(store: Store, folder: str) -> int:
    """Write the export into `folder` (new or empty); how many submissions."""
    if os.path.exists(folder) and (not os.path.isdir(folder) or os.listdir(folder)):
        raise ExportError(f"{folder} 已存在且不是空文件夹：请指定一个新的文件夹")
    rows, out = store.submissions(), []
    try:
        os.makedirs(folder, exist_ok=True)
        for row in rows:
            full = store.submission(row["id"])
            rel = os.path.join("files", safe_part(row["department"], "未知科室"),
                              safe_part(row["agency"], "未识别机关"),
                              f"{row['year'] or '未知年度'}-{row['id']}-{safe_part(os.path.basename(row['file'].replace(chr(92), '/')), 'report')}")
            os.makedirs(os.path.join(folder, os.path.dirname(rel)), exist_ok=True)
            shutil.copyfile(store.file_path(row), os.path.join(folder, rel))
            out.append({**public(full, findings=True), "exported_file": rel.replace(os.sep, "/")})
        with open(os.path.join(folder, "submissions.json"), "w", encoding="utf-8") as fh:
            json.dump(out, fh, ensure_ascii=False, indent=2)
        with open(os.path.join(folder, "users.json"), "w", encoding="utf-8") as fh:
            json.dump(store.users(), fh, ensure_ascii=False, indent=2)
    except OSError as exc:
        raise ExportError(f"{exc.filename or folder}: {exc.strerror or exc}") from None
    return len(rows)
