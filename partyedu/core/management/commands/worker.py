from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "运行后台任务进程（导入、导出、报表、提醒）。Runs the background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完当前队列后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="空闲时轮询间隔（秒）")

    def handle(self, *args, batch=False, interval=1.0, **options):
        args = ["--interval", str(interval), "--queue-name", "*"]
        if batch:
            args += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *args)
