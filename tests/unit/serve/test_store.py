"""The office store (gklint/serve/store.py) on its own: tokens only as hashes, ids never reused, a newer schema
refused, resubmissions compared, expected agencies read from a CSV as offices write it."""

import sqlite3

import pytest

from gklint.serve.office import parse_expected
from gklint.serve.store import SCHEMA_VERSION, StoreError, _changes, open_store, token_hash


def test_tokens_are_kept_only_as_hashes_and_removed_users_stay_out(tmp_path):
    store = open_store(str(tmp_path / "s"))
    token = store.add_user("教育局")
    user = store.user_for_token(token)
    assert user.name == "教育局" and not user.office and store.user_for_token(token + "x") is None
    assert token.encode() not in (tmp_path / "s" / "gklint.sqlite").read_bytes()
    assert user.token_hash == token_hash(token)
    cookie = store.cookie(user)
    assert store.user_for_cookie(cookie) == user and token not in cookie
    for forged in ("", "1", "1.", f"2.{cookie.split('.')[1]}", "x.y", "9" * 40 + ".ab"):
        assert store.user_for_cookie(forged) is None
    assert store.remove_user("教育局") and store.user_for_token(token) is None and store.user_for_cookie(cookie) is None
    store.add_user("财政局")  # a new user never takes a removed one's id (its submissions)
    assert store.user_for_token(token) is None and {u["name"] for u in store.users()} == {"财政局"}
    with sqlite3.connect(tmp_path / "s" / "gklint.sqlite") as con:
        assert [r[0] for r in con.execute("SELECT id FROM users")] == [2]
    with pytest.raises(StoreError, match="已有名为“财政局”"):
        store.add_user("财政局")
    with pytest.raises(StoreError):
        store.add_user("坏\n名")


def test_a_store_from_a_newer_gklint_is_refused(tmp_path):
    open_store(str(tmp_path / "s"))
    with sqlite3.connect(tmp_path / "s" / "gklint.sqlite") as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="更新版本"):
        open_store(str(tmp_path / "s"))
    assert open_store(str(tmp_path / "s2")).integrity() == "ok"


def test_changes_since_the_last_submission():
    file = {"findings": [{"code": "GK301"}, {"code": "GK402"}, {"code": "GK402"}]}
    assert _changes("abc", ["GK301", "GK304", "GK402"], file) == {"since": "abc", "fixed": ["GK304"],
                                                                  "new": ["GK402"]}


@pytest.mark.parametrize("text, names", [
    ("某区教育局\n某区财政局\n\n", ["某区教育局", "某区财政局"]),
    ("\ufeff序号,机关名称,联系人\n1,某区教育局,张三\n2, 某区财政局 ,李四\n", ["某区教育局", "某区财政局"]),
    ("agency\n某区教育局\n", ["某区教育局"]),
    ("", []),
])
def test_expected_agencies_from_a_list_or_a_table(text, names):
    assert parse_expected(text) == names
