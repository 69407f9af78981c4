"""The member's next meeting, for the tile on his home page (the home view belongs to core and stays unaware)."""

from django import template

from partyedu.meetings import selectors

register = template.Library()


@register.simple_tag
def next_meeting(member):
    if member is None:
        return None
    return selectors.upcoming_for_member(member).first()
