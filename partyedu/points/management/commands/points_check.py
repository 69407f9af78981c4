"""partyedu points_check [--repair]: prove the kept point totals (per member and per organisation) equal a recompute
from the ledger."""

from django.core.management.base import BaseCommand, CommandError

from partyedu.orgs.models import Organization
from partyedu.points import services


class Command(BaseCommand):
    help = "核对积分汇总（党员、组织）与积分流水是否一致（--repair 按流水重建汇总）"

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="按积分流水重建汇总")

    def handle(self, *args, repair=False, **options):
        problems = services.check_totals()
        org_problems = services.check_org_totals()
        if not problems and not org_problems:
            self.stdout.write(self.style.SUCCESS("积分汇总（党员、组织）与流水一致"))
            return
        for member_id, period, kept, expected in problems[:50]:
            self.stdout.write(f"党员 {member_id} {period}：汇总 {kept}，流水合计 {expected}")
        names = dict(
            Organization.objects.filter(pk__in=[o for o, *_ in org_problems[:50]]).values_list("pk", "name")
        )
        for org_id, period, kept, expected in org_problems[:50]:
            self.stdout.write(
                f"组织 {names.get(org_id, org_id)} {period}：汇总 {kept.total}分/{kept.entries}条/"
                f"{kept.participants}人，流水 {expected.total}分/{expected.entries}条/{expected.participants}人"
            )
        count = len(problems) + len(org_problems)
        if repair:
            services.rebuild_totals()  # members' and organisations'
            self.stdout.write(self.style.WARNING(f"已按流水重建汇总（{count} 处不一致）"))
            return
        raise CommandError(f"{count} 处积分汇总与流水不一致；可用 --repair 重建")
