import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from partyedu.orgs.models import Organization


class Command(BaseCommand):
    help = "一条命令体验平台：迁移数据库、空库时生成示范县数据、启动后台任务进程和网站（http://127.0.0.1:8000）。"

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--scale", default="county", choices=["small", "county", "city"])
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-server", action="store_true", help="只准备数据，不启动网站（测试用）")

    def handle(self, *args, addr, scale, seed, no_server, **options):
        from partyedu.demo.seeding import DEMO_PASSWORD, demo_logins, seed_demo

        call_command("migrate", interactive=False, verbosity=0)
        if not Organization.objects.exists():
            self.stdout.write(f"数据库为空，正在生成示范数据（{scale}），请稍候……")
            result = seed_demo(scale, seed, progress=lambda step: self.stdout.write(f"  …{step}"))
            self.stdout.write(
                f"已生成：{result.organizations} 个党组织，{result.members} 名党员，"
                f"近一年 {result.meetings} 次组织生活记录"
            )
        logins = demo_logins()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"党员教育培训管理平台已就绪：http://{addr}/"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for role_label, username, phone, _password in logins:
            extra = f"，或手机号 {phone}" if phone else ""
            self.stdout.write(f"  {role_label}：用户名 {username}{extra}")
        self.stdout.write("")
        if no_server:
            return
        worker = subprocess.Popen([sys.executable, "-m", "partyedu", "worker"], env=os.environ.copy())
        try:
            call_command("runserver", addr, use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
