"""`gklint serve`: the checker as a page in the browser (gklint/serve), for the people who never open a terminal."""

from __future__ import annotations

import ipaddress
import os
import sys

from gklint.cli.common import EXIT_OK, error

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
    sv.set_defaults(run=_serve)


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
    if not loopback and not token:
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
    config = Config(token=token, loopback=loopback, server=server, time_limit=args.time_limit,
                    workers=args.workers or max(2, os.cpu_count() or 2),
                    limits=Limits(int(args.max_file_size * MB), args.max_files, int(args.max_upload * MB)))
    app = create_app(config)
    everywhere = args.host in ("0.0.0.0", "::", "[::]")
    shown = "127.0.0.1" if everywhere or args.host == "localhost" else args.host
    url = f"http://{f'[{shown.strip(chr(91) + chr(93))}]' if ':' in shown else shown}:{port}/"
    print(f"gklint serve 已启动：请在浏览器中打开 {url}", flush=True)
    if everywhere:
        print("局域网中的其他电脑：把地址中的 127.0.0.1 换成本机的 IP 地址；在页面上输入令牌登录。", flush=True)
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

