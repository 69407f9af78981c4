from django import template

from partyedu.core.cn import mask_citizen_id, mask_mobile

register = template.Library()


@register.filter
def mask_id(value: str) -> str:
    return mask_citizen_id(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return mask_mobile(value) if value else ""
