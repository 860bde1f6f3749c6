"""`gklint serve`: the checker as a page in the browser (gklint/serve), for the people who never open a terminal."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from gklint.cli.common import EXIT_ERROR, EXIT_OK, Parser, error

INSTALL = "gklint serve 需要 starlette、uvicorn 和 python-multipart，请先安装：pip install 'gklint[serve]'"


def add(sub) -> None:
    sv = sub.add_parser("serve", help="启动网页版检查服务：在浏览器中上传报告、查看结果",
                        description="启动网页版检查服务：在浏览器中拖入报告即可检查，结果与 gklint check 相同。"
                                    "默认只允许本机访问；允许其他电脑访问（--host）时必须设置令牌。")
    sv.add_argument("--host", default="127.0.0.1", metavar="地址",
                    help="监听的地址（默认 127.0.0.1，只有本机能访问；0.0.0.0 让局域网中的电脑访问，需要 --token）")
    sv.add_argument("--port", type=int, default=8765, metavar="端口", help="监听的端口（默认 8765；0 表示任选一个空闲端口）")
    sv.add_argument("--token", metavar="令牌",
                    help="访问令牌：每个请求都要带上它（页面上登录一次即可）；也可用环境变量 GKLINT_TOKEN")
    sv.add_argument("--no-browser", action="store_true", help="启动后不自动打开浏览器")
    sv.add_argument("--config", metavar="路径", help="所有检查都使用这个配置文件（默认从当前目录向上查找）")
    sv.add_argument("--workers", type=int, metavar="N", help="同时检查的文件数（默认 CPU 核数，至少 2）")
    sv.add_argument("--time-limit", type=float, default=60.0, metavar="秒", help="每个文件的检查时间上限（默认 60 秒）")
    sv.add_argument("--max-file-size", type=float, default=50.0, metavar="MB", help="每个文件的大小上限（默认 50 MB）")
    sv.add_argument("--max-files", type=int, default=100, metavar="N", help="每次上传的文件数上限（默认 100）")
    sv.add_argument("--max-upload", type=float, default=500.0, metavar="MB", help="每次上传的总大小上限（默认 500 MB）")
    sv.add_argument("--store", metavar="文件夹",
                    help="收报：保存每份上传的报告及其检查结果（政务公开办收各科室的报告）；令牌用 users add 发放")
    sv.add_argument("--export", metavar="文件夹", help="与 --store 一起：把收到的全部报告和结果导出到这个文件夹，然后退出")
    sv.set_defaults(run=_serve)
    users = sv.add_subparsers(dest="serve_command", metavar="子命令", parser_class=Parser).add_parser(
        "users", help="收报服务的用户（科室、政务公开办）：添加、列出、撤销令牌",
        description="收报服务（--store）的用户：每个科室一个令牌，只能提交和查看本科室的报告；"
                    "政务公开办的令牌（--office）可以查看所有提交和汇总。")
    users.set_defaults(run=lambda args: users.print_help() or EXIT_ERROR)
    verbs = users.add_subparsers(dest="users_command", metavar="操作", parser_class=Parser)
    store = dict(metavar="文件夹", required=True, default=argparse.SUPPRESS,  # SUPPRESS: not over serve's own
                 help="收报数据所在的文件夹（与 gklint serve --store 相同）")
    add_ = verbs.add_parser("add", help="添加用户并显示其令牌（令牌只显示这一次）")
    add_.add_argument("name", metavar="名称", help="科室或单位名称，如 区教育局")
    add_.add_argument("--office", action="store_true", help="政务公开办：可查看所有科室的提交和汇总")
    add_.add_argument("--store", **store)
    add_.set_defaults(run=_users_add)
    list_ = verbs.add_parser("list", help="列出用户")
    list_.add_argument("--store", **store)
    list_.set_defaults(run=_users_list)
    remove = verbs.add_parser("remove", help="删除用户，撤销其令牌（已提交的报告保留）")
    remove.add_argument("name", metavar="名称")
    remove.add_argument("--store", **store)
    remove.set_defaults(run=_users_remove)


def _open(path: str, create: bool):
    from gklint.serve.store import StoreError, open_store

    try:
        return open_store(path, create)
    except StoreError as exc:
        error(str(exc))
        return None


def _users_add(args) -> int:
    from gklint.serve.store import StoreError

    store = _open(args.store, True)
    if store is None:
        return EXIT_ERROR
    try:
        token = store.add_user(args.name, "office" if args.office else "department")
    except StoreError as exc:
        return error(str(exc))
    who = "政务公开办用户（可查看所有提交和汇总）" if args.office else "科室（只能提交和查看本科室的报告）"
    print(f"已添加{who}：{args.name.strip()}")
    print("令牌如下，只显示这一次，请交给该用户（页面登录时输入，或作 Authorization: Bearer 令牌）：")
    print(token)
    return EXIT_OK


def _users_list(args) -> int:
    store = _open(args.store, False)
    if store is None:
        return EXIT_ERROR
    users = store.users()
    if not users:
        print("还没有用户：用 gklint serve users add 名称 --store 文件夹 添加")
    for u in users:
        role = "政务公开办" if u["role"] == "office" else "科室"
        print(f"{u['name']}  {role}  提交 {u['submissions']} 份")
    return EXIT_OK


def _users_remove(args) -> int:
    store = _open(args.store, False)
    if store is None:
        return EXIT_ERROR
    if not store.remove_user(args.name.strip()):
        return error(f"没有名为“{args.name.strip()}”的用户（gklint serve users list 可列出全部）")
    print(f"已撤销“{args.name.strip()}”的令牌；其已提交的报告保留在收报数据中")
    return EXIT_OK


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _serve(args) -> int:
    try:
        import python_multipart  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        return error(INSTALL)
    from gklint.policy.config import ConfigError, Overrides, Resolver
    from gklint.serve.app import Config, create_app
    from gklint.serve.checking import Server
    from gklint.serve.upload import MB, Limits

    token = args.token or os.environ.get("GKLINT_TOKEN") or None
    loopback = is_loopback(args.host)
    store = None
    if args.export and not args.store:
        return error("--export 需要与 --store 一起使用：导出哪一份收报数据")
    if args.store:
        if token:
            return error("--store 时每个用户有自己的令牌（gklint serve users add 发放），不能再用 --token 或 GKLINT_TOKEN")
        store = _open(args.store, not args.export)
        if store is None:
            return EXIT_ERROR
        if args.export:
            return _export(store, args.export)
    elif not loopback and not token:
        return error(f"--host {args.host} 不是本机地址，其他电脑也能访问这台服务：必须用 --token 令牌 或环境变量 "
                     "GKLINT_TOKEN 设置访问令牌，才能启动")
    if min(args.max_file_size, args.max_upload, args.max_files, args.time_limit) <= 0 or (args.workers or 1) < 1:
        return error("--max-file-size、--max-upload、--max-files、--time-limit 和 --workers 都应大于 0")
    server = Server(os.getcwd(), os.path.abspath(args.config) if args.config else None)
    try:  # a broken configuration is said now, not at the first upload
        Resolver(Overrides(), server.config).for_path(server.cwd)
    except ConfigError as exc:
        return error(f"配置错误：{exc}")
    sock = _listen(args.host, args.port)
    if isinstance(sock, str):
        return error(sock)
    port = sock.getsockname()[1]
    config = Config(token=token, loopback=loopback, server=server, time_limit=args.time_limit, store=store,
                    workers=args.workers or max(2, os.cpu_count() or 2),
                    limits=Limits(int(args.max_file_size * MB), args.max_files, int(args.max_upload * MB)))
    app = create_app(config)
    everywhere = args.host in ("0.0.0.0", "::", "[::]")
    shown = "127.0.0.1" if everywhere or args.host == "localhost" else args.host
    url = f"http://{f'[{shown.strip(chr(91) + chr(93))}]' if ':' in shown else shown}:{port}/"
    print(f"gklint serve 已启动：请在浏览器中打开 {url}", flush=True)
    if everywhere:
        print("局域网中的其他电脑：把地址中的 127.0.0.1 换成本机的 IP 地址；在页面上输入令牌登录。", flush=True)
    if store is not None:
        users, count = store.users(), len(store.submissions())
        print(f"收报数据：{store.root}（{len(users)} 个用户，{count} 份提交）；每个请求都需要用户的令牌。", flush=True)
        if not any(u["role"] == "office" for u in users):
            print(f"还没有政务公开办的令牌：gklint serve users add --office 名称 --store {args.store}", flush=True)
    print("按 Ctrl+C 停止。", flush=True)
    if not args.no_browser and loopback and _desktop():
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, [url]).start()

    class Server_(uvicorn.Server):
        def handle_exit(self, sig, frame):  # SIGTERM or Ctrl+C: running checks end now, answers go out
            app.state.pool.stop()
            super().handle_exit(sig, frame)

    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):  # uvicorn re-raises the signal after its shutdown: let it pass
        signal.signal(sig, lambda *_: None)
    uv = Server_(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=3))
    try:
        uv.run(sockets=[sock])
    finally:
        app.state.pool.stop()
        sock.close()
    print("gklint serve 已停止", file=sys.stderr, flush=True)
    return EXIT_OK


def _export(store, folder: str) -> int:
    from gklint.serve.export import ExportError, export

    try:
        n = export(store, folder)
    except ExportError as exc:
        return error(str(exc))
    print(f"已导出 {n} 份提交到 {folder}（submissions.json、users.json 和 files/ 中的原文件）")
    return EXIT_OK


def _listen(host: str, port: int):
    """A listening socket, or the reason (in Chinese) why there is none."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        return f"无法监听 {host}:{port}：{exc.strerror or exc}（端口被占用时可用 --port 换一个）"
    except OverflowError:
        sock.close()
        return f"--port {port}：端口应在 0 到 65535 之间"
    sock.set_inheritable(False)
    return sock


def _desktop() -> bool:
    return sys.platform in ("win32", "darwin") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))

