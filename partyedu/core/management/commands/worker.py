import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from partyedu.core import schedule


class Command(BaseCommand):
    help = (
        "运行后台任务进程（导入、导出、报表、提醒），并按时把每日提醒等定时任务加入队列。"
        "Runs the background task worker and enqueues the recurring jobs when they are due."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完当前队列后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="空闲时轮询间隔（秒）")

    def handle(self, *args, batch=False, interval=1.0, **options):
        # One process, no threads: enqueue what is due, work the queue until it is empty, wait, again.
        while True:
            for key in schedule.enqueue_due():
                self.stdout.write(f"定时任务已加入队列：{key}")
            call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
            if batch:
                return
            time.sleep(interval)
