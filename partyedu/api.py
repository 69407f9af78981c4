"""The JSON API under /api/v1/: the same services, selectors and access rules as the pages."""

from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from partyedu.accounts.services import user_for_api_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="党员教育培训管理平台 API",
    version="1",
    description="组织与党员数据接口。认证：个人中心生成的令牌，请求头 `Authorization: Bearer <令牌>`；或已登录的浏览器会话。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)
