def unread(request):
    """Filled in by the notifications work: the number of unread alerts for the navigation badge."""
    return {}
