"""partyedu points_check [--repair]: prove the kept point totals equal a recompute from the ledger."""

from django.core.management.base import BaseCommand, CommandError

from partyedu.points import services


class Command(BaseCommand):
    help = "核对积分汇总与积分流水是否一致（--repair 按流水重建汇总）"

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="按积分流水重建汇总")

    def handle(self, *args, repair=False, **options):
        problems = services.check_totals()
        if not problems:
            self.stdout.write(self.style.SUCCESS("积分汇总与流水一致"))
            return
        for member_id, period, kept, expected in problems[:50]:
            self.stdout.write(f"党员 {member_id} {period}：汇总 {kept}，流水合计 {expected}")
        if repair:
            services.rebuild_totals()
            self.stdout.write(self.style.WARNING(f"已按流水重建汇总（{len(problems)} 处不一致）"))
            return
        raise CommandError(f"{len(problems)} 处积分汇总与流水不一致；可用 --repair 重建")
