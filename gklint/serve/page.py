"""The page's files (package data in gklint/serve/static: no asset from the network) and the sign-in form."""

from __future__ import annotations

import html
from functools import lru_cache
from importlib import resources

ASSETS = {"page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8",
          "board.js": "text/javascript; charset=utf-8"}


@lru_cache(maxsize=None)
def _read(name: str) -> bytes:
    return resources.files("gklint.serve").joinpath("static", name).read_bytes()


def index() -> bytes:
    return _read("index.html")


def board() -> bytes:
    """The office's board (gklint serve --store): its data comes from /api/board through static/board.js."""
    return _read("board.html")


def asset(name: str) -> tuple[bytes, str] | None:
    if name not in ASSETS:
        return None
    return _read(name), ASSETS[name]


def notice(message: str) -> str:
    """A page saying one thing (a department asking for the board): the look of the sign-in page."""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/static/page.css\">"
            "<title>gklint 年度报告检查</title></head><body><main class=\"sign-in\">"
            f"<p class=\"error\" role=\"alert\">{html.escape(message)}</p><p><a href=\"/\">返回上传页面</a></p>"
            "</main></body></html>\n")


def sign_in(message: str = "") -> str:
    note = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/static/page.css\">"
            "<title>登录 · gklint 年度报告检查</title></head><body><main class=\"sign-in\">"
            "<h1>政府信息公开工作年度报告检查</h1><p>这台检查服务需要令牌。令牌由启动服务的同事提供。</p>"
            f"{note}<form method=\"post\" action=\"/login\"><label>令牌 <input type=\"password\" name=\"token\" "
            "id=\"token\" autocomplete=\"current-password\" required autofocus></label> "
            "<button type=\"submit\">登录</button></form></main></body></html>\n")
