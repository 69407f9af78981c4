"""`partyedu seed --scale county --seed 1`: fill an empty database with a fictional county to try the platform on."""

import time

from django.core.management.base import BaseCommand, CommandError

from partyedu.demo.seeding import SCALES, SeedRefused, seed_demo
from partyedu.members.models import MemberStatus


class Command(BaseCommand):
    help = "生成演示数据：一个虚构县（或市）的机关工委、单位、党组织、党员和演示账号。只能用于空数据库。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="county",
            help="规模：small（测试用，约200人）、county（约120个单位、1万人）、city（约600个单位、5万人）",
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子：种子相同，生成的数据完全相同")

    def handle(self, *args, scale, seed, **options):
        started = time.perf_counter()
        try:
            result = seed_demo(scale, seed, progress=lambda step: self.stdout.write(f"  …{step}"))
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        statuses = "、".join(
            f"{MemberStatus(status).label} {count:,}" for status, count in result.members_by_status.items()
        )
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"已生成演示数据：{result.committee_name}（规模 {scale}，种子 {seed}，用时 {seconds:.1f} 秒）"
            )
        )
        write(
            f"  单位 {result.agencies:,} 个；党组织 {result.organizations:,} 个，其中党支部 {result.branches:,} 个、党小组 {result.groups:,} 个"
        )
        write(f"  人员 {result.members:,} 名：{statuses}")
        write(
            f"  其中离退休 {result.retired:,} 名、流动党员 {result.mobile:,} 名、"
            f"需送学上门 {result.needs_home_delivery:,} 名"
        )
        write("")
        write("演示账号（仅供演示，请勿用于正式环境）：")
        for role_label, username, phone, password in result.logins:
            phone_note = f"，也可用手机号 {phone} 登录" if phone else ""
            write(
                f"  {role_label}：用户名 {username}，密码 {password}{phone_note}（{result.login_scopes[username]}）"
            )
