import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partyedu.accounts.services import create_user, grant_role
from partyedu.orgs.models import Organization, OrganizationKind
from partyedu.orgs.services import create_organization


class Command(BaseCommand):
    help = "生产环境首次使用：建立机关工委并开通工委管理员账号（其余组织、党员可在页面上建立或导入）。"

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="机关工委名称，例如：某某县直属机关工作委员会")
        parser.add_argument("--unit", default="", help="所属单位，例如：中共某某县委直属机关工作委员会")
        parser.add_argument("--admin", required=True, help="工委管理员的用户名")
        parser.add_argument("--phone", default="", help="工委管理员的手机号（可用于登录）")

    @transaction.atomic
    def handle(self, *args, committee, unit, admin, phone, **options):
        if Organization.objects.filter(parent__isnull=True, name=committee).exists():
            raise CommandError(f"“{committee}”已存在")
        password = secrets.token_urlsafe(9)
        try:
            root = create_organization(
                name=committee,
                kind=OrganizationKind.WORKING_COMMITTEE,
                parent=None,
                unit_name=unit or committee,
            )
            user = create_user(username=admin, password=password, phone=phone, display_name="工委管理员")
            grant_role(user, root, "committee_admin")
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"已建立“{root.name}”"))
        self.stdout.write(
            f"工委管理员：用户名 {admin}，初始密码 {password}（仅显示一次，请登录后在“个人中心”修改）"
        )
