"""The web application: the page, the API it uses, sign-in. Every route is in ROUTES; every request passes
`guard` (host and token) and leaves with the security headers. Uploads live in a private temporary directory
for the length of one request and are removed before (or, for a progress stream, as soon as the check ends)
the answer is complete."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from gklint import __version__
from gklint.serve import checking, office, page
from gklint.serve.store import Store, StoreError, User
from gklint.serve.upload import Limits, UploadError, receive
from gklint.serve.worker import Failed, Pool

COOKIE = "gklint_token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Download:
    """A copy of one uploaded .docx the page offers per file: a button, a route that answers with the .docx."""
    kind: str
    label: str
    route: str
    suffix: str  # the downloaded file's name: the uploaded name with this in place of .docx


# the copies of a checked .docx the page offers (its buttons are built from this list), each made by one route
DOWNLOADS = [Download("annotate", "带批注的副本", "/api/annotate", ".gklint.docx"),
             Download("fix", "修改后的副本（修订）", "/api/fix", ".gklint-fix.docx")]


@dataclass
class Config:
    token: str | None = None
    loopback: bool = True  # bound to a loopback address: requests must name it in Host (DNS rebinding)
    limits: Limits = field(default_factory=Limits)
    server: checking.Server = field(default_factory=lambda: checking.Server(os.getcwd()))
    workers: int = 2
    time_limit: float = 60.0
    store: Store | None = None  # --store: the reviewing office's server (every request needs a user's token)


ANYONE = User(0, "", "office")  # without a store: whoever passes the one token (or the loopback check)


def authorized(request: Request) -> User | None:
    """The one place that decides who may use the server, and as whom. With a store: the user whose token the
    request carries (`Authorization: Bearer …` or the sign-in cookie), on loopback too, so one department
    never reaches another's submissions. Without: anyone without a token (loopback only), else a request
    carrying it."""
    config = request.app.state.config
    given = request.headers.get("authorization", "")
    bearer = given[7:].strip() if given[:7].lower() == "bearer " else None
    if config.store is not None:
        if bearer is not None:
            return config.store.user_for_token(bearer)
        return config.store.user_for_cookie(request.cookies.get(COOKIE, ""))
    token = config.token
    if not token:
        return ANYONE
    if bearer is not None and hmac.compare_digest(bearer.encode(), token.encode()):
        return ANYONE
    return ANYONE if hmac.compare_digest(request.cookies.get(COOKIE, ""), _cookie_value(token)) else None


def _cookie_value(token: str) -> str:
    return hmac.new(token.encode(), b"gklint serve sign-in", hashlib.sha256).hexdigest()


def _error(status: int, message: str, **headers) -> JSONResponse:
    return JSONResponse({"error": message}, status, headers=headers or None)


# --- routes -----------------------------------------------------------------------------------------------

async def index(request: Request) -> Response:
    return Response(page.index(), media_type="text/html; charset=utf-8")


async def static(request: Request) -> Response:
    found = page.asset(request.path_params["name"])
    if found is None:
        return Response("未找到", 404, media_type="text/plain; charset=utf-8")
    body, media_type = found
    return Response(body, media_type=media_type)


async def sign_in(request: Request) -> Response:
    config = request.app.state.config
    token, store = config.token, config.store
    if request.method == "GET" or not (token or store):
        return Response(page.sign_in(), 200, media_type="text/html; charset=utf-8")
    if not (request.headers.get("content-length") or "0").isdigit() or int(request.headers["content-length"]) > 4096:
        return _error(413, "登录请求过大")
    form = await request.form()
    given = str(form.get("token", ""))
    if store is not None:
        user = await run_in_threadpool(store.user_for_token, given)
        cookie, home = (store.cookie(user), "/board" if user.office else "/") if user else (None, "/")
    else:
        ok = hmac.compare_digest(given.encode(), token.encode())
        cookie, home = (_cookie_value(token) if ok else None), "/"
    if cookie is None:
        await asyncio.sleep(1)  # guessing tokens is slow
        return Response(page.sign_in("令牌不正确，请重新输入"), 401, media_type="text/html; charset=utf-8")
    response = RedirectResponse(home, 303)
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict")
    return response


async def health(request: Request) -> Response:
    c = request.app.state.config
    answer = {"status": "ok", "version": __version__, "formats": list(checking.FORMATS),
              "downloads": [d.__dict__ for d in DOWNLOADS],
              "limits": {"file_size": c.limits.file_size, "files": c.limits.files,
                         "total": c.limits.total, "time_limit": c.time_limit}}
    if c.store is not None:  # the page says that uploads are kept, and to whom
        answer["store"] = {"user": request.state.user.name, "role": request.state.user.role}
    return JSONResponse(answer)


async def api_check(request: Request) -> Response:
    async def handle(up, directory):
        opts = checking.options(up)
        s = checking.settings(opts, request.app.state.config.server)
        if not checking.files(up):
            raise UploadError(400, "没有上传文件：把报告放在字段 file 中（可重复）")
        submit = _submission(request, up, opts)
        if opts.progress:
            return _progress(request, up, s, opts.output_format, directory, submit)
        body, ids = await run_in_threadpool(_checked, request, up, s, opts.output_format, None, submit)
        shutil.rmtree(directory, ignore_errors=True)
        headers = {"X-Gklint-Submissions": ",".join(ids)} if submit else None
        return Response(body, media_type=f"{checking.FORMATS[opts.output_format]}; charset=utf-8", headers=headers)

    return await _with_upload(request, handle)


def _submission(request: Request, up, opts) -> bool:
    """Whether this check is kept as submissions: with a store, unless the form says keep=0 (a check only)."""
    if request.app.state.config.store is None or up.fields.get("keep", "1").lower() in ("0", "false", "no"):
        return False
    if opts.config_text is not None:  # the office's configuration applies to every department's submission
        raise UploadError(400, "提交的报告按服务器的配置检查：不能同时上传 config（只检查、不提交时可用 keep=0）")
    return True


def _checked(request: Request, up, s, fmt: str, progress, submit: bool) -> tuple[str, list[str]]:
    """In a thread: check the upload (with a store: paired with its reports of the year before; to submit, each
    file kept before the answer exists); the answer in `fmt` (JSON with the submission ids) and the ids."""
    store, user, captured = request.app.state.config.store, getattr(request.state, "user", None), []
    across = office.across(store, user, captured) if store is not None else None
    results, stale, elapsed = checking.check(up, s, request.app.state.pool, progress, across)
    if not submit:
        return checking.render(fmt, results, stale, elapsed), []
    try:
        kept = office.keep(store, user, checking.files(up), results, captured, stale, elapsed, s)
    except (OSError, StoreError, sqlite3.Error) as exc:  # not kept: say so, never answer as if it were
        raise UploadError(507, f"检查已完成，但无法保存提交（{type(exc).__name__}: {exc}），请稍后重试") from None
    body = checking.render(fmt, results, stale, elapsed)
    return (office.with_ids(body, kept) if fmt == "json" else body), [sid for sid, _ in kept]


def _docx_copy(download: Download, make, what: str, header: str):
    """A route answering one uploaded .docx with a copy made from its check: `make(path, out, findings)` in a
    worker returns how many changes it wrote (comments, revisions)."""

    async def route(request: Request) -> Response:
        async def handle(up, directory):
            opts = checking.options(up, output_formats=("json",))
            named = checking.files(up)
            if len(named) != 1:
                raise UploadError(400, "请上传一个 .docx 文件（字段 file）")
            name, path = named[0]
            if not name.lower().endswith(".docx"):
                raise UploadError(400, f"{name}: 不是 .docx 文件；只能为 Word 文档生成{what}")
            s = checking.settings(opts, request.app.state.config.server)
            pool = request.app.state.pool
            results, _, _ = await run_in_threadpool(checking.check, up, s, pool)
            if results[0].unreadable:
                raise UploadError(422, f"{name}: {results[0].findings[0].message}，未生成{what}")
            out = os.path.join(directory, "copy.docx")
            try:
                changes = await run_in_threadpool(pool.call, make, path, out, results[0].findings, s.ruleset)
            except Failed as exc:
                raise UploadError(422, f"{name}: 无法生成{what}（{exc}）") from None
            with open(out, "rb") as fh:
                body = fh.read()
            return Response(body, media_type=DOCX, headers={
                "Content-Disposition": _attachment(name, download.suffix),
                header: str(changes), "X-Gklint-Findings": str(len(results[0].findings))})

        return await _with_upload(request, handle)

    return route


api_annotate = _docx_copy(DOWNLOADS[0], checking.annotate, "批注副本", "X-Gklint-Comments")
api_fix = _docx_copy(DOWNLOADS[1], checking.fix, "修改后的副本", "X-Gklint-Revisions")


ROUTES = [
    Route("/", index),
    Route("/login", sign_in, methods=["GET", "POST"]),
    Route("/static/{name}", static),
    Route("/api/health", health),
    Route("/api/check", api_check, methods=["POST"]),
    Route("/api/annotate", api_annotate, methods=["POST"]),
    Route("/api/fix", api_fix, methods=["POST"]),
    *office.ROUTES,  # the reviewing office's routes: 404 without --store
]
PUBLIC = ("/login", "/static/page.css")  # reachable without the token: the sign-in form and its look


# --- helpers ----------------------------------------------------------------------------------------------

async def _with_upload(request: Request, handle) -> Response:
    """Receive the upload into a new private directory, answer, remove the directory (unless `handle` handed
    it over to a progress stream, which removes it itself)."""
    directory = tempfile.mkdtemp(prefix="gklint-serve-")
    keep = False
    try:
        up = await receive(request, directory, request.app.state.config.limits)
        response = await handle(up, directory)
        keep = isinstance(response, StreamingResponse)
        return response
    except UploadError as exc:
        extra = {"Connection": "close"} if exc.status == 413 else {}
        return _error(exc.status, exc.message, **extra)
    except ClientDisconnect:
        return Response(status_code=400)
    finally:
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)


def _progress(request: Request, up, s, fmt: str, directory: str, submit: bool = False) -> StreamingResponse:
    """The page's view of a check: one JSON line when the upload is in, one per file as it is checked, and
    a last one carrying the answer in `fmt` (or the error)."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()
    put = lambda event: loop.call_soon_threadsafe(queue.put_nowait, event)  # noqa: E731
    names = [n for n, _ in checking.files(up)]

    def work():
        try:
            body, ids = _checked(request, up, s, fmt, lambda i, r: put(
                {"event": "file", "index": i, "path": r.path, "unreadable": r.unreadable, "skipped": r.skipped}),
                submit)
            shutil.rmtree(directory, ignore_errors=True)
            put({"event": "done", "format": fmt, "body": body, **({"submissions": ids} if submit else {})})
        except UploadError as exc:
            put({"event": "error", "status": exc.status, "error": exc.message})
        except Exception as exc:  # never a silent stall of the page
            put({"event": "error", "status": 500, "error": f"gklint 内部错误（{type(exc).__name__}: {exc}）"})
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    task = asyncio.ensure_future(run_in_threadpool(work))  # runs (and cleans up) even if nobody reads on

    async def lines():
        yield _line({"event": "start", "files": names})
        while True:
            event = await queue.get()
            yield _line(event)
            if event["event"] in ("done", "error"):
                break
        await task

    return StreamingResponse(lines(), media_type="application/x-ndjson; charset=utf-8")


def _line(event: dict) -> str:
    from gklint.output.text import json_safe

    return json_safe(json.dumps(event, ensure_ascii=False)) + "\n"


def _attachment(uploaded: str, suffix: str) -> str:
    stem = os.path.splitext(re.split(r"[\\/]", uploaded)[-1])[0] or "report"
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", stem)[:80] + suffix
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(stem + suffix, safe='')}"


# --- the application ----------------------------------------------------------------------------------------

def _host_ok(headers, config: Config) -> bool:
    if config.token or config.store is not None or not config.loopback:
        return True
    host = headers.get("host", "")
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name.lower() in LOOPBACK_HOSTS


class Guard:
    """ASGI middleware: the Host check, the token (with `authorized`), the security headers on every answer."""

    def __init__(self, app, config: Config):
        self.app, self.config = app, config
        digest = base64.b64encode(hashlib.sha256(_report_script().encode()).digest()).decode()
        report = f"'sha256-{digest}'"
        # the results are the HTML report shown in a sandboxed frame from a blob: URL, which inherits this
        # policy: its one script is allowed by hash, its <style> by 'unsafe-inline'; nothing else runs
        self.page_csp = (f"default-src 'none'; script-src 'self' {report}; style-src 'self' 'unsafe-inline'; "
                         "connect-src 'self'; img-src 'self' data:; frame-src blob:; form-action 'self'; "
                         "base-uri 'none'; frame-ancestors 'none'")
        self.api_csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src {report}; frame-ancestors 'none'"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        path = scope["path"]
        is_api = path.startswith("/api/")
        csp = self.api_csp if is_api else self.page_csp

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"content-security-policy",)]
                headers += [(b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
                            (b"cache-control", b"no-store")]
                message = {**message, "headers": headers}
            await send(message)

        if not _host_ok(request.headers, self.config):
            response = _error(403, "只接受以 127.0.0.1 或 localhost 访问（防止 DNS 重绑定）")
        elif path not in PUBLIC and not _identify(scope, request):
            if is_api:
                response = _error(401, "需要令牌：请求头 Authorization: Bearer 令牌，或先在页面登录",
                                  **{"WWW-Authenticate": "Bearer"})
            else:
                response = Response(page.sign_in(), 401, media_type="text/html; charset=utf-8")
        else:
            return await self.app(scope, receive, send_with_headers)
        await response(scope, receive, send_with_headers)


def _identify(scope, request: Request) -> User | None:
    user = authorized(request)
    scope.setdefault("state", {})["user"] = user  # request.state.user in the routes
    return user


def _report_script() -> str:
    from gklint.output.html import SCRIPT

    return SCRIPT


def create_app(config: Config) -> Starlette:
    app = Starlette(routes=ROUTES)
    app.state.config = config
    app.state.pool = Pool(config.workers, config.time_limit)
    app.add_middleware(Guard, config=config)
    return app
