"""Chinese full-text search for the materials library, the same on SQLite and PostgreSQL.

Neither database segments Chinese words, and `LIKE '%…%'` reads every row, so the platform keeps its own
inverted index (`SearchToken`): every character bigram and every single character of the normalised text, and
ASCII words as whole lowercase tokens. A query is tokenised the same way; a material matches when it holds every
query token, found by walking the rarest query token's index rows (visibility is on the index row) and probing
the others per candidate (materials_selectors.library). Bigrams that are all present but not next to each other
("党建…工作" for "建工") are false positives, dropped by checking the page of results against the text itself.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from partyedu.core.cn import normalize_text

# Runs of letters/digits; inside a run, ASCII words and non-ASCII (Chinese) stretches are tokenised differently.
_RUN_RE = re.compile(r"[^\W_]+")
_PART_RE = re.compile(r"[a-z0-9]+|[^\x00-\x7f]+")
MAX_TOKEN = 32


def normalize(text: object) -> str:
    """Full-width → half-width, one kind of space, lower case: the form both the index and queries use."""
    return normalize_text(text).lower()


def _parts(text: str):
    for run in _RUN_RE.findall(text):
        yield from _PART_RE.findall(run)


def text_tokens(text: str) -> set[str]:
    """Index tokens of already normalised text: ASCII words, and each Chinese character and adjacent pair."""
    tokens: set[str] = set()
    for part in _parts(text):
        if part.isascii():
            tokens.add(part[:MAX_TOKEN])
            continue
        tokens.update(part)
        tokens.update(part[i : i + 2] for i in range(len(part) - 1))
    return tokens


def document_tokens(title: str, *texts: str) -> dict[str, bool]:
    """token → whether it occurs in the title."""
    result = dict.fromkeys(text_tokens(normalize(title)), True)
    for text in texts:
        for token in text_tokens(normalize(text)):
            result.setdefault(token, False)
    return result


def query_tokens(query: str) -> list[str]:
    """The tokens a material must all hold: bigrams of Chinese stretches (the character itself when the stretch is
    one character long) and ASCII words."""
    tokens: list[str] = []
    for part in _parts(normalize(query)):
        if part.isascii():
            found = [part[:MAX_TOKEN]]
        elif len(part) == 1:
            found = [part]
        else:
            found = [part[i : i + 2] for i in range(len(part) - 1)]
        tokens.extend(t for t in found if t not in tokens)
    return tokens


def query_terms(query: str) -> list[str]:
    """The stretches of the query that must appear verbatim (after normalisation) in a material's text."""
    return [part for part in _parts(normalize(query))]


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else ch


def fold(text: str) -> str:
    """Like `normalize`, character for character: positions in the result are positions in `text`, so the text
    can be shown as written (full-width punctuation kept) and marked where the normalised query matched."""
    return "".join(_fold_char(ch) for ch in text)


def matches(terms: list[str], *texts: str) -> bool:
    haystack = "\n".join(fold(t) for t in texts)
    return all(term in haystack for term in terms)


def _mark(text: str, terms: list[str]) -> str:
    """Escape `text` and wrap every occurrence of the terms in <mark>, comparing in normalised lower case."""
    lowered = fold(text)
    if not terms:
        return escape(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = lowered.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = lowered.find(term, start + len(term))
    spans.sort()
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def highlight(text: str, terms: list[str]):
    return mark_safe(_mark(text, terms))  # noqa: S308 - _mark escapes everything it does not wrap


def snippet(text: str, terms: list[str], *, before: int = 30, width: int = 120):
    """The window of text around the first match, matches in <mark>, everything else escaped."""
    lowered = fold(text)
    first = min((i for i in (lowered.find(t) for t in terms) if i != -1), default=-1)
    start = max(0, first - before) if first != -1 else 0
    window = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(escape(prefix) + _mark(window, terms) + escape(suffix))  # noqa: S308 - escaped in _mark
