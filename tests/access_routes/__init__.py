"""Route tables of later apps for tests/test_access_everywhere.py: one module per app, each with a ROUTES dict
of route name → Public() / Own(...) / Foreign(...) (see tests/access_rules.py). The `county` fixture of
tests/conftest.py is what `Foreign.kwargs` receives; "another branch" is county.education_branch and its members,
tried by county.finance_secretary and county.finance_member_user."""

import importlib
import pkgutil


def modules():
    for info in pkgutil.iter_modules(__path__):
        yield importlib.import_module(f"{__name__}.{info.name}")
