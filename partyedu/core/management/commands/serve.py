import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "生产方式启动：gunicorn，进程数 = CPU 核数，静态文件由应用自身提供。Production server."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        # gthread: each worker keeps connections alive (a phone polling a live competition reuses its connection
        # instead of a TCP handshake per request) and overlaps the waits on PostgreSQL/Redis of its threads.
        parser.add_argument("--worker-class", default=os.environ.get("WORKER_CLASS", "gthread"))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("THREADS", "4")))
        parser.add_argument("--keep-alive", type=int, default=int(os.environ.get("KEEP_ALIVE", "5")))
        parser.add_argument("--no-migrate", action="store_true")
        # a restart of the same release (or a benchmark) need not compress every static file again
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(
        self, *args, bind, workers, worker_class, threads, keep_alive, no_migrate, no_collectstatic, **options
    ):
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
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if not gunicorn:
            raise CommandError("找不到 gunicorn，请先安装依赖")
        self.stdout.write(
            f"partyedu 正在 http://{bind} 上运行（{workers} 个进程，{worker_class}，每进程 {threads} 个线程）"
        )
        os.execv(
            gunicorn,
            [
                gunicorn,
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
                "--access-logfile",
                "-",
                "--timeout",
                "60",
            ],
        )
