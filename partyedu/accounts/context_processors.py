from .access import Access, Capability


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = Access.of(user)
    return {
        "access": access,
        "nav": {
            "is_worker": access.is_worker,
            "members": access.has(Capability.VIEW_MEMBERS) and access.is_worker,
            "import": access.has(Capability.IMPORT_ROSTER),
            "orgs": access.has(Capability.VIEW_ORG),
        },
    }
