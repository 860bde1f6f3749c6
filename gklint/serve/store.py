"""The reviewing office's store (`gklint serve --store PATH`): one SQLite file and the uploaded files.

PATH/gklint.sqlite holds the users (departments and the office, tokens only as sha256), every submission
(who, when, which agency and year, the findings as `gklint check --output-format json` gives them per file,
the FileResult in the cache's serialised form for the checks across years) and the expected agencies.
PATH/files/ holds each uploaded file under its submission id, never under the uploaded name.

Durability: WAL with synchronous=FULL; a file is written to a temporary name, fsynced and renamed before its
row is inserted, and the rows of one upload are one transaction committed before the answer is sent, so an
answered submission survives a SIGKILL of the server. Each call opens its own connection: the server's
threads never share one."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

SCHEMA_VERSION = 1
DB_NAME = "gklint.sqlite"
FILES = "files"
ROLES = ("department", "office")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, user_id INTEGER NOT NULL,
    department TEXT NOT NULL, submitted_at TEXT NOT NULL, file TEXT NOT NULL, stored TEXT NOT NULL,
    size INTEGER NOT NULL, sha256 TEXT NOT NULL, agency TEXT NOT NULL, agency_key TEXT NOT NULL,
    year INTEGER, ruleset TEXT, unreadable INTEGER NOT NULL, counts TEXT NOT NULL, codes TEXT NOT NULL,
    findings TEXT NOT NULL, result TEXT NOT NULL, changes TEXT);
CREATE INDEX IF NOT EXISTS submissions_user ON submissions (user_id, seq);
CREATE INDEX IF NOT EXISTS submissions_year ON submissions (year, agency_key, seq);
CREATE TABLE IF NOT EXISTS expected (key TEXT PRIMARY KEY, name TEXT NOT NULL, added_at TEXT NOT NULL);
"""


class StoreError(Exception):
    """The store cannot be used (not a store, a newer schema, a name taken); the message is Chinese."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str  # "department" or "office"
    token_hash: str = ""

    @property
    def office(self) -> bool:
        return self.role == "office"


@dataclass
class Incoming:
    """One checked upload to keep: its private copy and what the check made of it."""
    name: str  # as uploaded
    path: str  # the private file (removed with the upload's directory after the answer)
    file: dict  # the file's entry of `gklint check --output-format json`
    result: dict  # the FileResult in the cache's form (gklint.run.cache.to_data)
    agency_key: str
    year: int | None


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Store:
    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        self.db = os.path.join(self.root, DB_NAME)
        self.files = os.path.join(self.root, FILES)
        self._write = threading.Lock()  # one writer at a time in this process; SQLite's lock across processes

    # --- connections ---------------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.db, timeout=30, isolation_level=None)
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")  # an answered submission survives a crash or power loss
        con.execute("PRAGMA foreign_keys=ON")
        return con

    @contextmanager
    def _read(self):
        con = self._connect()
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def _transaction(self):
        with self._write:
            con = self._connect()
            try:
                con.execute("BEGIN IMMEDIATE")
                try:
                    yield con
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                con.execute("COMMIT")
            finally:
                con.close()

    # --- users and sign-in ---------------------------------------------------------------------------------

    def add_user(self, name: str, role: str = "department") -> str:
        """A new user; its token (shown once: only its hash is kept)."""
        name = name.strip()
        if not name or len(name) > 100 or any(ord(c) < 32 for c in name):
            raise StoreError("名称不能为空、不能含控制字符、最多 100 个字")
        if role not in ROLES:
            raise StoreError(f"未知的角色：{role}")
        token = secrets.token_urlsafe(32)
        with self._transaction() as con:
            if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise StoreError(f"已有名为“{name}”的用户；要换令牌，请先 users remove 再 users add")
            con.execute("INSERT INTO users (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
                        (name, role, token_hash(token), now()))
        return token

    def remove_user(self, name: str) -> bool:
        """Revoke a user's token (its submissions stay, under its name)."""
        with self._transaction() as con:
            return con.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount > 0

    def users(self) -> list[dict]:
        with self._read() as con:
            rows = con.execute("SELECT u.name, u.role, u.created_at, (SELECT count(*) FROM submissions s "
                               "WHERE s.user_id = u.id) AS submissions FROM users u ORDER BY u.role DESC, u.name")
            return [dict(r) for r in rows]

    def user_for_token(self, token: str) -> User | None:
        if not token or len(token) > 200:
            return None
        digest = token_hash(token)
        with self._read() as con:
            row = con.execute("SELECT id, name, role, token_hash FROM users WHERE token_hash = ?", (digest,)).fetchone()
        if row is None or not hmac.compare_digest(row["token_hash"], digest):
            return None
        return User(row["id"], row["name"], row["role"], row["token_hash"])

    def _secret(self) -> bytes:
        with self._read() as con:
            return bytes.fromhex(con.execute("SELECT value FROM meta WHERE key = 'secret'").fetchone()[0])

    def cookie(self, user: User) -> str:
        """The sign-in cookie: the user's id and an HMAC of its token hash under the store's secret; a removed
        user's cookie stops working with its token."""
        mac = hmac.new(self._secret(), f"{user.id}:{user.token_hash}".encode(), hashlib.sha256).hexdigest()
        return f"{user.id}.{mac}"

    def user_for_cookie(self, value: str) -> User | None:
        uid, _, mac = (value or "").partition(".")
        if not uid.isdigit() or len(uid) > 12 or not mac:
            return None
        with self._read() as con:
            row = con.execute("SELECT id, name, role, token_hash FROM users WHERE id = ?", (int(uid),)).fetchone()
        if row is None:
            return None
        user = User(row["id"], row["name"], row["role"], row["token_hash"])
        return user if hmac.compare_digest(self.cookie(user), value) else None

    # --- submissions ---------------------------------------------------------------------------------------

    def add_submissions(self, user: User, incoming: list[Incoming]) -> list[tuple[str, dict | None]]:
        """Keep each checked file as a submission of `user`, all in one transaction: (id, changes) per file,
        changes = what differs from this user's latest earlier submission of the same agency and year."""
        os.makedirs(self.files, exist_ok=True)
        staged = []
        try:
            for item in incoming:
                sid = secrets.token_hex(8)
                suffix = os.path.splitext(os.path.basename(item.path))[1]  # the private name's safe suffix
                stored = sid + suffix
                size, digest = _copy_durably(item.path, os.path.join(self.files, stored))
                staged.append((sid, stored, size, digest, item))
            _sync_dir(self.files)
            out = []
            with self._transaction() as con:
                when = now()
                for sid, stored, size, digest, item in staged:
                    changes = None
                    if item.agency_key and item.year:
                        before = con.execute("SELECT id, codes FROM submissions WHERE user_id = ? AND agency_key = ? "
                                             "AND year = ? ORDER BY seq DESC LIMIT 1",
                                             (user.id, item.agency_key, item.year)).fetchone()
                        if before is not None:
                            changes = _changes(before["id"], json.loads(before["codes"]), item.file)
                    con.execute(
                        "INSERT INTO submissions (id, user_id, department, submitted_at, file, stored, size, sha256, "
                        "agency, agency_key, year, ruleset, unreadable, counts, codes, findings, result, changes) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (sid, user.id, user.name, when, item.name, stored, size, digest,
                         item.file.get("agency") or "", item.agency_key, item.year, item.file.get("template"),
                         int(bool(item.result.get("unreadable"))), json.dumps(_counts(item.file)),
                         json.dumps([f["code"] for f in item.file.get("findings", [])]),
                         json.dumps(item.file, ensure_ascii=False), json.dumps(item.result, ensure_ascii=False),
                         None if changes is None else json.dumps(changes)))
                    out.append((sid, changes))
            return out
        except BaseException:  # not kept: no file without its row
            for sid, stored, *_ in staged:
                _unlink(os.path.join(self.files, stored))
            raise

    def submissions(self, user: User | None = None, year: int | None = None) -> list[dict]:
        """The rows (without findings) the user may see: its own, or every one for the office (user None too)."""
        where, args = [], []
        if user is not None and not user.office:
            where.append("user_id = ?")
            args.append(user.id)
        if year is not None:
            where.append("year = ?")
            args.append(year)
        sql = f"SELECT * FROM submissions {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY seq"
        with self._read() as con:
            return [_row(r) for r in con.execute(sql, args)]

    def submission(self, sid: str, user: User | None = None, full: bool = True) -> dict | None:
        """One submission the user may see (None: not there, or another department's: the caller says 404)."""
        with self._read() as con:
            r = con.execute("SELECT * FROM submissions WHERE id = ?", (str(sid)[:64],)).fetchone()
        if r is None or (user is not None and not user.office and r["user_id"] != user.id):
            return None
        return _row(r, full)

    def file_path(self, row: dict) -> str:
        return os.path.join(self.files, row["stored"])

    def previous_year(self, agency_key: str, year: int, user: User):
        """Candidates for the report before (year - 1), best first: the same agency key before others, the user's
        own before other departments', the latest first. Rows with `result` (the cache form)."""
        with self._read() as con:  # a generator: rows are read (and restored by the caller) until one pairs
            rows = con.execute("SELECT * FROM submissions WHERE year = ? AND unreadable = 0 ORDER BY "
                               "agency_key = ? DESC, user_id = ? DESC, seq DESC", (year - 1, agency_key, user.id))
            for r in rows:
                yield _row(r, True)

    # --- the agencies the office expects a report from ---------------------------------------------------

    def add_expected(self, names: list[tuple[str, str]]) -> int:
        """(name, key) pairs; how many were new."""
        with self._transaction() as con:
            before = con.total_changes
            con.executemany("INSERT OR IGNORE INTO expected (key, name, added_at) VALUES (?, ?, ?)",
                            [(k, n, now()) for n, k in names if k])
            return con.total_changes - before

    def remove_expected(self, key: str) -> bool:
        with self._transaction() as con:
            return con.execute("DELETE FROM expected WHERE key = ?", (key,)).rowcount > 0

    def expected(self) -> list[dict]:
        with self._read() as con:
            return [dict(r) for r in con.execute("SELECT key, name FROM expected ORDER BY name")]

    def integrity(self) -> str:
        with self._read() as con:
            return con.execute("PRAGMA integrity_check").fetchone()[0]


def open_store(root: str, create: bool = True) -> Store:
    """The store at `root` (made when missing and `create`); StoreError when it is something else."""
    if os.path.exists(root) and not os.path.isdir(root):
        raise StoreError(f"{root} 不是文件夹")
    if not create and not os.path.isfile(os.path.join(root, DB_NAME)):
        raise StoreError(f"{root} 中没有收报数据（{DB_NAME}）")
    try:
        os.makedirs(os.path.join(root, FILES), exist_ok=True)
        store = Store(root)
        with store._write:
            con = store._connect()
            try:
                con.executescript(SCHEMA)  # idempotent: every statement is IF NOT EXISTS
            finally:
                con.close()
        with store._transaction() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                con.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                con.execute("INSERT INTO meta VALUES ('secret', ?)", (secrets.token_hex(32),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise StoreError(f"{root} 由更新版本的 gklint 创建（数据版本 {row[0]}），请升级 gklint")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{os.path.join(root, DB_NAME)} 无法打开（{exc}）") from None
    except OSError as exc:
        raise StoreError(f"{root}: {exc.strerror or exc}") from None
    return store


def _row(r: sqlite3.Row, full: bool = False) -> dict:
    d = {"id": r["id"], "agency": r["agency"], "year": r["year"], "file": r["file"], "department": r["department"],
         "submitted_at": r["submitted_at"], "counts": json.loads(r["counts"]), "codes": json.loads(r["codes"]),
         "ruleset": r["ruleset"], "size": r["size"], "sha256": r["sha256"], "unreadable": bool(r["unreadable"]),
         "changes": json.loads(r["changes"]) if r["changes"] else None}
    d["agency_key"], d["stored"], d["user_id"] = r["agency_key"], r["stored"], r["user_id"]
    if full:
        d["findings"] = json.loads(r["findings"])
        d["result"] = json.loads(r["result"])
    return d


PUBLIC_KEYS = ("id", "agency", "year", "file", "department", "submitted_at", "counts", "codes", "ruleset", "size",
               "sha256", "unreadable", "changes")


def public(row: dict, findings: bool = False) -> dict:
    """What the API shows of a row (no private file name, no cache form)."""
    d = {k: row[k] for k in PUBLIC_KEYS}
    if findings:
        d["findings"] = row["findings"].get("findings", [])
        d["file_result"] = {k: v for k, v in row["findings"].items() if k != "findings"}
    return d


def _counts(file: dict) -> dict:
    counts = dict(file.get("counts") or {})
    counts["findings"] = len(file.get("findings", []))
    return counts


def _changes(since: str, before: list[str], file: dict) -> dict:
    old, new = Counter(before), Counter(f["code"] for f in file.get("findings", []))
    return {"since": since, "fixed": sorted((old - new).elements()), "new": sorted((new - old).elements())}


def _copy_durably(src: str, dst: str) -> tuple[int, str]:
    tmp = dst + ".tmp"
    digest, size = hashlib.sha256(), 0
    with open(src, "rb") as fi, open(tmp, "xb") as fo:
        while chunk := fi.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            fo.write(chunk)
        fo.flush()
        os.fsync(fo.fileno())
    os.replace(tmp, dst)
    return size, digest.hexdigest()


def _sync_dir(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # Windows: no directory handles; the rename is durable enough there
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
