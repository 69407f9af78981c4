import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "生产方式启动：granian（或 gunicorn），进程数 = CPU 核数，静态文件由应用自身提供。Production server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        # granian parses HTTP and keeps connections alive in Rust: at a live competition's thousand requests a
        # second, gunicorn's Python HTTP layer cost as much CPU as Django itself (docs/benchmarks.md).
        parser.add_argument(
            "--server", choices=["granian", "gunicorn"], default=os.environ.get("SERVER", "granian")
        )
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        # gunicorn only: gthread keeps connections alive (a phone polling a live competition reuses its
        # connection instead of a TCP handshake per request)
        parser.add_argument("--worker-class", default=os.environ.get("WORKER_CLASS", "gthread"))
        # per process: threads overlap the waits on PostgreSQL/Redis of their requests, but share one GIL; on 2
        # cores 2 threads served live-competition answers faster than 4 (docs/benchmarks.md)
        parser.add_argument("--threads", type=int, default=int(os.environ.get("THREADS", "2")))
        parser.add_argument(
            "--keep-alive",
            type=int,
            default=int(os.environ.get("KEEP_ALIVE", "5")),
            help="gunicorn only (granian keeps HTTP/1 connections open until the client closes them)",
        )
        # the reverse proxy in front usually keeps the access log; a line per request costs CPU at peak load
        parser.add_argument(
            "--access-log", action="store_true", default=os.environ.get("ACCESS_LOG", "") not in {"", "0"}
        )
        parser.add_argument("--no-migrate", action="store_true")
        # a restart of the same release (or a benchmark) need not compress every static file again
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, server, bind, workers, threads, no_migrate, no_collectstatic, **options):
        from partyedu.core.production import require_production_secret

        try:
            require_production_secret()
        except Exception as exc:
            raise CommandError(str(exc)) from exc
        if settings.DEBUG:
            self.stderr.write(self.style.WARNING("注意：DEBUG 已开启，生产环境请关闭"))
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=1)
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        program = shutil.which(server, path=os.path.dirname(sys.executable)) or shutil.which(server)
        if not program:
            raise CommandError(f"找不到 {server}，请先安装依赖")
        argv = (self.granian_argv if server == "granian" else self.gunicorn_argv)(
            program, bind, workers, threads, **options
        )
        self.stdout.write(
            f"partyedu 正在 http://{bind} 上运行（{server}，{workers} 个进程，每进程 {threads} 个线程）"
        )
        self.stdout.flush()
        os.execv(program, argv)

    @staticmethod
    def granian_argv(program, bind, workers, threads, *, keep_alive, access_log, **options):
        host, _, port = bind.rpartition(":")
        argv = [
            program,
            "--interface",
            "wsgi",
            "--host",
            host or "127.0.0.1",
            "--port",
            port,
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-ws",
            "--respawn-failed-workers",
        ]
        if access_log:
            argv.append("--access-log")
        return [*argv, "partyedu.wsgi:application"]

    @staticmethod
    def gunicorn_argv(program, bind, workers, threads, *, worker_class, keep_alive, access_log, **options):
        argv = [
            program,
            "partyedu.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--keep-alive",
            str(keep_alive),
            "--timeout",
            "60",
        ]
        if access_log:
            argv += ["--access-logfile", "-"]
        return argv
