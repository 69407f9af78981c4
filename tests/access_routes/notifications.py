from partyedu.notifications.services import notify

from ..access_rules import Foreign, Own


def other_notification(c):
    return {"pk": notify(c.education_admin, title="县教育局机关第一党支部 2026年10月 未召开支委会").pk}


ROUTES = {
    "notifications:list": Own(must_not_show=("县教育局",)),
    "notifications:open": Foreign(other_notification),
    "notifications:read": Foreign(other_notification, methods=("post",)),
    "notifications:read_all": Own(methods=("post",)),
}
