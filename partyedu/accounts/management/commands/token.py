"""Personal API tokens from the command line, for integrations set up by the administrator on the server.

manage.py token issue <用户名> --name "对接人事系统"   prints the token once; only its hash is kept
manage.py token list <用户名>
manage.py token revoke <令牌编号>
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partyedu.accounts import services
from partyedu.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "签发、查看、作废个人接口令牌"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{issue,list,revoke}")
        issue = sub.add_parser("issue", help="为用户签发新令牌（令牌只显示这一次）")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help="令牌用途，例如“对接人事系统”")
        listing = sub.add_parser("list", help="列出用户的令牌")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="作废一个令牌")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”")
        return user

    def _issue(self, *, username, name, **_):
        user = self._user(username)
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能签发令牌")
        try:
            token, raw = services.issue_api_token(user, name)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stderr.write(
            f"已为 {user.username} 签发令牌 #{token.pk}（{token.name}）。令牌只显示这一次，请妥善保存："
        )
        # The token alone on stdout, so that `manage.py token issue … > file` captures just the secret.
        self.stdout.write(raw)

    def _list(self, *, username, **_):
        user = self._user(username)
        tokens = list(user.api_tokens.all())
        if not tokens:
            self.stdout.write(f"{user.username} 没有令牌")
            return
        for token in tokens:
            state = (
                "有效" if token.is_active else f"已作废 {timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M}"
            )
            used = (
                f"{timezone.localtime(token.last_used_at):%Y-%m-%d %H:%M}"
                if token.last_used_at
                else "从未使用"
            )
            self.stdout.write(
                f"#{token.pk}\t{token.prefix}…\t{token.name}\t"
                f"签发 {timezone.localtime(token.created_at):%Y-%m-%d %H:%M}\t最近使用 {used}\t{state}"
            )

    def _revoke(self, *, token_id, **_):
        token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"没有编号为 {token_id} 的令牌")
        was_active = token.is_active
        services.revoke_api_token(token)
        if was_active:
            self.stdout.write(f"已作废令牌 #{token.pk}（{token.user.username}：{token.name}）")
        else:
            self.stdout.write(f"令牌 #{token.pk} 早已作废")
