"""The JSON API under /api/v1/: the same services, selectors and access rules as the pages.

Routes live beside their app (``partyedu/orgs/api.py``, ``partyedu/members/api.py``); this module holds what
they share: who the caller is, how errors are told, and the offline docs page.
"""

import json

from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.openapi.docs import Swagger
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from partyedu.accounts.services import user_for_api_token
from partyedu.members.api import router as members_router
from partyedu.orgs.api import router as orgs_router

UNAUTHENTICATED = "请先登录，或在请求头中提供有效的令牌：Authorization: Bearer <令牌>"
FORBIDDEN = "您没有权限进行此操作"
NOT_FOUND = "没有找到该记录"
INVALID = "数据校验未通过"


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_api_token(token)
        if user is None:
            # A caller who sent a token meant to use it: a wrong or revoked one is a 401, not a silent fall-back
            # to whatever browser session happens to be open.
            raise AuthenticationError()
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's login session. Its writes must carry the CSRF token: a cookie is sent by the browser on
    any site's behalf, a bearer token is not, so only this scheme needs the check.

    Unlike ninja's ``django_auth``, CSRF is checked only once we know a session is logged in, so an anonymous
    or wrongly-tokened POST is told 401 (who are you), not 403 (CSRF).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=False)

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF 校验失败，请刷新页面后重试")
        return request.user


class OfflineSwagger(Swagger):
    """Swagger UI from ninja's own static files, never from a CDN: the platform runs on a government intranet.

    ninja falls back to its CDN template when "ninja" is not in INSTALLED_APPS; we always render the local one,
    so a missing app is a loud error rather than a page that quietly fetches from the internet. Its template
    keeps the settings in a JSON data block and starts from a static init script, so our CSP (script-src
    'self', no inline) needs no exemption.
    """

    def __init__(self):
        # The online validator badge would send our schema's URL to validator.swagger.io.
        super().__init__(settings={"validatorUrl": None, "persistAuthorization": False})

    def render_page(self, request, api, **kwargs):
        if not apps.is_installed("ninja"):
            raise ImproperlyConfigured("接口文档需要 ninja 的静态文件：请把 'ninja' 加入 INSTALLED_APPS")
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            # "Try it out" with the browser session writes, so Swagger must send the CSRF token with them.
            "add_csrf": True,
        }
        return render(request, self.template, context)


api = NinjaAPI(
    title="党员教育培训管理平台 API",
    version="1",
    description=(
        "组织与党员数据接口。认证：个人中心生成的令牌，请求头 `Authorization: Bearer <令牌>`；"
        "或已登录的浏览器会话（写操作需带 `X-CSRFToken`）。\n\n"
        "错误：401 未登录或令牌无效；403 无权限；404 不存在或无权查看；"
        '422 数据校验未通过，形如 `{"detail": "数据校验未通过", "errors": {"字段": ["说明"]}}`。'
    ),
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    docs=OfflineSwagger(),
)
api.add_router("/orgs", orgs_router)
api.add_router("/members", members_router)


# --- errors: always JSON, always Chinese ------------------------------------------------------------------
def _invalid(request, errors: dict[str, list[str]]):
    return api.create_response(request, {"detail": INVALID, "errors": errors}, status=422)


@api.exception_handler(ValidationError)
def service_validation_error(request, exc: ValidationError):
    # Services raise either {field: messages} or a bare message about the whole record.
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return _invalid(request, errors)


# pydantic's messages are English; the people reading these responses (and the integrators' logs) are not.
REQUEST_ERROR_MESSAGES = {
    "missing": "此项为必填项",
    "json_invalid": "请求内容不是有效的 JSON",
    "model_attributes_type": "请求内容应为 JSON 对象",
    "dict_type": "请求内容应为 JSON 对象",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_long": "内容过长",
    "date_parsing": "日期格式不正确，请使用 2021-07-01 格式",
    "date_from_datetime_parsing": "日期格式不正确，请使用 2021-07-01 格式",
    "date_from_datetime_inexact": "日期格式不正确，请使用 2021-07-01 格式",
    "date_type": "日期格式不正确，请使用 2021-07-01 格式",
    "literal_error": "不是有效的选项",
    "enum": "不是有效的选项",
    "list_type": "应为列表",
    "extra_forbidden": "不支持此字段",
}


@api.exception_handler(RequestValidationError)
def request_validation_error(request, exc: RequestValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # loc is ("body", "payload", "birth_date") or ("query", "page"): the last name is the field.
        names = [part for part in error.get("loc", ()) if isinstance(part, str)]
        field = names[-1] if len(names) > 1 and names[-1] != "payload" else NON_FIELD_ERRORS
        message = REQUEST_ERROR_MESSAGES.get(error.get("type"), "数据格式不正确")
        if message not in errors.setdefault(field, []):
            errors[field].append(message)
    return _invalid(request, errors)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    # Our lookups raise Http404 with a Chinese message; Django's own say "No … matches the given query".
    message = str(exc) if exc.args and not str(exc).isascii() else NOT_FOUND
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    message = str(exc) if exc.args and not str(exc).isascii() else FORBIDDEN
    return api.create_response(request, {"detail": message}, status=403)


HTTP_ERROR_MESSAGES = {
    400: "请求内容无法解析，请发送有效的 JSON",
    403: FORBIDDEN,
    429: "请求过于频繁，请稍后再试",
}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc, AuthenticationError):
        response = api.create_response(request, {"detail": UNAUTHENTICATED}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    # ninja's own messages ("Cannot parse request body", "Forbidden") are English; ours are not.
    message = (
        exc.message if not exc.message.isascii() else HTTP_ERROR_MESSAGES.get(exc.status_code, exc.message)
    )
    return api.create_response(request, {"detail": message}, status=exc.status_code)
