"""Which documents can be generated: kind → how to check a request, how to build the file, what to call it.

Each app registers its kinds in its AppConfig.ready (the ledger here, the reading club's archive in
partyedu.readingclub), so the reports app knows nothing of what they contain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}

# progress(done, total): builders call it as they go; the page shows the percentage.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReportKind:
    code: str
    label: str
    extension: str
    # build(report, progress) → the file's bytes; raise ValidationError for a message the user should read.
    build: Callable[..., bytes]
    # filename(report) → the name the download gets.
    filename: Callable[..., str]
    # authorize(user, organization, params) → cleaned params; raises Http404 / PermissionDenied /
    # ValidationError. Checked for every request, whichever page it comes from.
    authorize: Callable[..., dict]
    # Offered on the generic request form (organisation + year); other kinds are requested from their pages.
    on_form: bool = False
    description: str = ""

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.extension, "application/octet-stream")


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> ReportKind:
    return _KINDS[code]


def label_of(code: str) -> str:
    kind = _KINDS.get(code)
    return kind.label if kind else code


def form_kinds() -> list[ReportKind]:
    return [k for k in _KINDS.values() if k.on_form]
