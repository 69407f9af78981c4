"""The Chinese-aware originality check: normalisation, character shingles, MinHash-LSH bands, exact overlap.

Plain Python, no database: services.py and bench/originality.py use it alike.

- normalise: NFKC (full-width → half-width), lower case, drop every character that is not a letter or digit
  (punctuation, spaces, line breaks), remembering where each kept character came from in the original text;
- shingles: the hashes (crc32) of every 8-character window of the normalised text;
- signature: a MinHash of 128 values by one-permutation hashing (each shingle hash lands in one of 128 bins by a
  multiplicative hash, the bin keeps its minimum; empty bins borrow the next filled one), which costs one pass
  over the shingles instead of 128;
- bands: 64 bands of 2 values, each hashed to a signed 64-bit integer that names the band too; two texts whose
  Jaccard similarity is 0.3 (a third of a text copied from one source) share a band with probability
  1 - (1 - 0.3²)⁶⁴ ≈ 0.998, at 0.5 practically always; unrelated texts (Jaccard ≈ 0.001) almost never;
- overlap: for the candidates the bands find, the exact set of shared shingles, merged into passages and mapped
  back to offsets in both original texts.
"""

from __future__ import annotations

import unicodedata
import zlib
from dataclasses import dataclass, field

K = 8  # characters per shingle
BINS = 128
ROWS = 2
BANDS = BINS // ROWS  # 64
EMPTY = 0xFFFFFFFF

TEMPLATE_PHRASES = (
    "下面是小编为大家整理的",
    "小编为大家整理",
    "以下是小编",
    "仅供参考",
    "范文",
    "欢迎阅读",
    "希望对大家有所帮助",
    "本文由",
    "转载请注明",
    "免费下载",
    "精选",
    "篇一",
)


_FOLD: dict[str, str] = {}


def _fold(ch: str) -> str:
    """NFKC + lower case of one character, without punctuation and spaces; memoised (a text has few distinct
    characters, and this runs on every character of a million texts in the benchmark)."""
    folded = _FOLD.get(ch)
    if folded is None:
        folded = "".join(c for c in unicodedata.normalize("NFKC", ch).lower() if c.isalnum())
        if len(_FOLD) < 100_000:
            _FOLD[ch] = folded
    return folded


def normalize(text: str) -> tuple[str, list[int]]:
    """The comparable form of `text` and, for each of its characters, the offset it came from in `text`."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text or ""):
        folded = _FOLD.get(ch)
        if folded is None:
            folded = _fold(ch)
        if folded:
            chars.append(folded)
            offsets.extend([i] * len(folded))
    return "".join(chars), offsets


_TABLE: dict[int, str] = {}


def normalized(text: str) -> str:
    """normalize() without the offsets, at C speed: one translate() with the folds of the text's characters."""
    if not text:
        return ""
    missing = [ch for ch in set(text) if ord(ch) not in _TABLE]
    for ch in missing:
        if len(_TABLE) < 100_000:
            _TABLE[ord(ch)] = _fold(ch)
        else:  # pragma: no cover - only for adversarial input with an enormous alphabet
            return normalize(text)[0]
    return text.translate(_TABLE)


def char_count(text: str) -> int:
    """字数 as the minimum length counts it: letters and digits (汉字 included), no punctuation or spaces."""
    return len(normalized(text))


def shingle_hashes(norm: str) -> list[int]:
    """The crc32 of each K-character window (of the UTF-32 encoding); a text shorter than K has its whole self as
    one shingle."""
    if not norm:
        return []
    data = norm.encode("utf-32-le")
    if len(norm) < K:
        return [zlib.crc32(data)]
    view = memoryview(data)
    crc = zlib.crc32
    width = 4 * K
    return [crc(view[i : i + width]) for i in range(0, len(data) - width + 4, 4)]


def signature(hashes) -> list[int]:
    """One-permutation MinHash: the bin of a shingle is the top 7 bits of a multiplicative hash of its crc, the
    value its crc; each bin keeps its minimum. Empty bins borrow the next filled bin's value (densification)."""
    bins = [EMPTY] * BINS
    for h in set(hashes):
        b = ((h * 0x9E3779B1) & 0xFFFFFFFF) >> 25
        if h < bins[b]:
            bins[b] = h
    if all(v == EMPTY for v in bins):
        return bins
    out = list(bins)
    for b in range(BINS):
        if bins[b] == EMPTY:
            d = 1
            while bins[(b + d) % BINS] == EMPTY:
                d += 1
            out[b] = (bins[(b + d) % BINS] + d * 0x01000193) & 0xFFFFFFFE  # even: never EMPTY
    return out


_MASK64 = (1 << 64) - 1
_BAND_SALT = [(i * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & _MASK64 for i in range(BANDS)]


def bands(sig: list[int]) -> list[int]:
    """One signed 64-bit key per band: the band's values side by side, xor a salt per band (so equal values in
    different bands are different keys); empty signatures (no text) have no bands."""
    if not sig or all(v == EMPTY for v in sig):
        return []
    keys = []
    for i in range(BANDS):
        a, b = sig[i * ROWS], sig[i * ROWS + 1]
        k = ((a << 32) | b) ^ _BAND_SALT[i]
        keys.append(k - (1 << 64) if k >= 1 << 63 else k)
    return keys


def band_keys(text: str) -> list[int]:
    return bands(signature(shingle_hashes(normalized(text))))


def template_phrases(text: str) -> list[str]:
    norm = normalized(text)
    found = [p for p in TEMPLATE_PHRASES if normalized(p) in norm]
    return [p for p in found if not any(p != q and p in q for q in found)]


# ---------------------------------------------------------------------------------------------------------------
# exact overlap


@dataclass
class Source:
    key: str  # "reflection:12" / "reference:3"
    title: str
    text: str
    path: str = ""  # the organisation path of a reflection (visibility); "" for the reference corpus
    extra: dict = field(default_factory=dict)


@dataclass
class Match:
    source: Source
    percent: float
    passages: list[dict]  # {"mine": [start, end], "theirs": [start, end]} in original offsets


@dataclass
class Report:
    percent: float
    matches: list[Match]
    quoted_chars: int
    total_chars: int
    phrases: list[str]


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """Runs of True shingle positions as (first, last) pairs."""
    runs, start = [], None
    for i, f in enumerate(flags):
        if f and start is None:
            start = i
        elif not f and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(flags) - 1))
    return runs


def _span(norm_len: int, first: int, last: int) -> tuple[int, int]:
    return first, min(norm_len, last + K)


def _original(offsets: list[int], start: int, end: int) -> list[int]:
    return [offsets[start], offsets[end - 1] + 1]


def compare(text: str, sources: list[Source], *, quoted: str = "", min_percent: float = 1.0) -> Report:
    """Overlap of `text` with each source and with all together, material quotes (`quoted`) not counted."""
    norm, offsets = normalize(text)
    hashes = shingle_hashes(norm)
    n = len(norm)
    quoted_set = set(shingle_hashes(normalized(quoted))) if quoted else set()
    is_quote = [h in quoted_set for h in hashes]
    quoted_chars = [False] * n
    for first, last in _runs(is_quote):
        s, e = _span(n, first, last)
        for i in range(s, e):
            quoted_chars[i] = True
    counted = n - sum(quoted_chars)
    covered_all = [False] * n
    matches: list[Match] = []
    for source in sources:
        s_norm, s_offsets = normalize(source.text)
        s_hashes = shingle_hashes(s_norm)
        first_pos: dict[int, int] = {}
        for i, h in enumerate(s_hashes):
            first_pos.setdefault(h, i)
        hit = [h in first_pos and not q for h, q in zip(hashes, is_quote, strict=True)]
        covered = [False] * n
        passages = []
        for first, last in _runs(hit):
            s, e = _span(n, first, last)
            for i in range(s, e):
                if not quoted_chars[i]:
                    covered[i] = True
            piece = norm[s:e]
            at = s_norm.find(piece)
            if at < 0:
                at = first_pos[hashes[first]]
                t_end = min(len(s_norm), at + (e - s))
            else:
                t_end = at + len(piece)
            passages.append({"mine": _original(offsets, s, e), "theirs": _original(s_offsets, at, t_end)})
        share = sum(covered)
        percent = 100.0 * share / counted if counted else 0.0
        if percent >= min_percent:
            for i, c in enumerate(covered):
                if c:
                    covered_all[i] = True
            matches.append(Match(source, round(percent, 1), passages))
    matches.sort(key=lambda m: -m.percent)
    total = 100.0 * sum(covered_all) / counted if counted else 0.0
    return Report(round(total, 1), matches, sum(quoted_chars), n, template_phrases(text))
