from .selectors import unread_count


def unread(request):
    """The number of unread alerts for the navigation badge: one COUNT query, nothing for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
