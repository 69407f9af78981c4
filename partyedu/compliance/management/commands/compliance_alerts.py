import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partyedu.compliance import services
from partyedu.compliance.tasks import send_compliance_alerts
from partyedu.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "组织生活落实情况提醒：对上一个已结束的月、季度、年度未落实规则的党组织，以及连续三次缺席、"
        "连续六个月未参加组织生活的党员，提醒所在组织及上级（至单位）的党务工作者和支部书记。"
        "同一事项只提醒一次，可重复运行。建议每天 8:00 运行 partyedu compliance_alerts"
        "（crontab：0 8 * * * partyedu compliance_alerts）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天检查（YYYY-MM-DD），默认今天")
        parser.add_argument("--root", type=int, help="只检查这个组织（id）及其下级，默认全部")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务进程执行，而不是立即执行")

    def handle(self, *args, date=None, root=None, enqueue=False, **options):
        try:
            on = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from None
        roots = (
            Organization.objects.filter(pk=root) if root else Organization.objects.filter(parent__isnull=True)
        )
        if root and not roots.exists():
            raise CommandError(f"没有 id 为 {root} 的组织")
        for org in roots.order_by("path"):
            if enqueue:
                send_compliance_alerts.enqueue(org.pk, on.isoformat())
                self.stdout.write(f"{org.name}：已加入后台任务队列")
                continue
            s = services.send_alerts(org, on)
            self.stdout.write(
                f"{org.name}（{on:%Y-%m-%d}）：未落实 {s.missed} 项，连续缺席 {s.absences} 人，"
                f"六个月未参加组织生活 {s.inactive} 人；新发提醒 {s.created} 条"
            )
