"""Helpers for Chinese roster data: text clean-up, dates, citizen ID and mobile numbers, pinyin keys.

Everything here is plain Python (plus ``pypinyin``) so it can be used from models, forms, the
spreadsheet importer and tests alike. Validation errors are ``ValueError`` with a Simplified
Chinese message that can be shown to the user as is.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata

from pypinyin import Style, lazy_pinyin

__all__ = [
    "SORT_KEY_SEPARATOR",
    "birth_date_from_citizen_id",
    "chinese_sort_key",
    "citizen_id_checksum",
    "gender_from_citizen_id",
    "mask_citizen_id",
    "mask_mobile",
    "normalize_name",
    "normalize_text",
    "parse_date",
    "parse_optional_date",
    "pinyin_keys",
    "pinyin_search_text",
    "validate_citizen_id",
    "validate_mobile",
]

# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

# Zero-width characters are removed rather than turned into spaces: they are invisible, so text
# pasted from web pages or chat apps ("张\u200b三") must end up equal to what the user sees ("张三").
# Control characters (other than the whitespace ones, handled below) go too: they come from broken
# spreadsheet cells, and PostgreSQL refuses to store NUL at all.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u180e\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_WHITESPACE_RE = re.compile(r"\s+")


def normalize_text(value: object) -> str:
    """Return ``value`` as clean single-line text.

    NFKC folds full-width digits, letters and punctuation to their half-width forms; every kind of
    whitespace (NBSP, ideographic space, tabs, newlines …) becomes one ordinary space.
    """
    if value is None:
        return ""
    text = _INVISIBLE_RE.sub("", str(value))
    text = unicodedata.normalize("NFKC", text)
    return _WHITESPACE_RE.sub(" ", text).strip()


# Printed rosters pad two-character names with an ideographic space to line them up with three-character ones
# (王　五 above 欧阳娜娜); the space is layout, not part of the name.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_HAN_RE = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")


def normalize_name(value: object) -> str:
    """A person's name as clean text, without the spaces typed between its Chinese characters."""
    return _SPACE_BETWEEN_HAN_RE.sub("", normalize_text(value))


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

# Excel's 1900 date system counts 1900-02-29, a day that never existed. openpyxl (which reads our
# spreadsheets) resolves serials below 60 from one epoch and the rest from the day before it, so we
# do the same to agree with dates it has already converted.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_EPOCH_BEFORE_LEAP_BUG = datetime.date(1899, 12, 31)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31

_TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?"
# re.ASCII: other scripts' digits survive NFKC and must not count as digits here.
_DATE_PATTERNS = (
    re.compile(
        r"(?P<y>\d{4}) ?(?P<sep>[-/.]) ?(?P<m>\d{1,2}) ?(?P=sep) ?(?P<d>\d{1,2})" + _TIME_SUFFIX,
        re.ASCII,
    ),
    re.compile(r"(?P<y>\d{4}) ?年 ?(?P<m>\d{1,2}) ?月 ?(?P<d>\d{1,2})(?: ?日)?" + _TIME_SUFFIX, re.ASCII),
    # Only the full eight-digit form: a bare number such as "44378" is more likely a serial that
    # lost its cell format than a date, and guessing would silently store a wrong date.
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})", re.ASCII),
)


def _unrecognised_date(text: str) -> ValueError:
    return ValueError(f"无法识别的日期“{text}”，请使用 2021-07-01 格式")


def _make_date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"日期不存在：{year:04d}-{month:02d}-{day:02d}") from None


def _date_from_number(value: int | float) -> datetime.date:
    text = str(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise _unrecognised_date(text)
    if 1 <= value < _EXCEL_MAX_SERIAL + 1:
        serial = math.floor(value)  # a fraction is the time of day
        epoch = _EXCEL_EPOCH_BEFORE_LEAP_BUG if serial < 60 else _EXCEL_EPOCH
        return epoch + datetime.timedelta(days=serial)
    # People often type 20210701 into a General-formatted cell; it cannot be a serial (too large),
    # so reading it as YYYYMMDD is unambiguous.
    if value == int(value) and 10_000_000 <= value <= 99_999_999:
        number = int(value)
        return _make_date(number // 10_000, number // 100 % 100, number % 100)
    raise _unrecognised_date(text)


def parse_date(value: object) -> datetime.date:
    """Parse a date from a form field or spreadsheet cell; raise ``ValueError`` if impossible."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    # bool is an int subclass, but True is not "serial 1"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _date_from_number(value)
    text = normalize_text(value)
    if not text:
        raise ValueError("日期为空")
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _make_date(int(match["y"]), int(match["m"]), int(match["d"]))
    raise _unrecognised_date(text)


def parse_optional_date(value: object) -> datetime.date | None:
    """Like :func:`parse_date`, but an empty value means "no date" instead of an error."""
    if value is None or (isinstance(value, str) and not normalize_text(value)):
        return None
    return parse_date(value)


# ---------------------------------------------------------------------------
# Citizen ID (居民身份证号码, GB 11643-1999)
# ---------------------------------------------------------------------------

_CITIZEN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CITIZEN_ID_CHECK_CHARS = "10X98765432"
_CITIZEN_ID_RE = re.compile(r"[0-9]{17}[0-9X]")
_FIRST17_RE = re.compile(r"[0-9]{17}")
_EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def _clean_citizen_id(value: object) -> str:
    return normalize_text(value).replace(" ", "").upper()


def citizen_id_checksum(first17: str) -> str:
    """Return the check character ("0"–"9" or "X") for the first 17 digits of a citizen ID."""
    if not isinstance(first17, str) or not _FIRST17_RE.fullmatch(first17):
        raise ValueError("身份证号格式不正确")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _CITIZEN_ID_WEIGHTS, strict=True))
    return _CITIZEN_ID_CHECK_CHARS[total % 11]


def validate_citizen_id(value: object) -> str:
    """Return the normalised 18-character citizen ID or raise ``ValueError``."""
    citizen_id = _clean_citizen_id(value)
    if len(citizen_id) != 18:
        raise ValueError("身份证号应为18位")
    if not _CITIZEN_ID_RE.fullmatch(citizen_id):
        raise ValueError("身份证号格式不正确")
    try:
        birth = datetime.date(int(citizen_id[6:10]), int(citizen_id[10:12]), int(citizen_id[12:14]))
    except ValueError:
        raise ValueError("身份证号中的出生日期无效") from None
    if not _EARLIEST_BIRTH_DATE <= birth <= datetime.date.today():
        raise ValueError("身份证号中的出生日期无效")
    expected = citizen_id_checksum(citizen_id[:17])
    if citizen_id[17] != expected:
        raise ValueError(f"身份证号校验位错误（应为 {expected}）")
    return citizen_id


def birth_date_from_citizen_id(citizen_id: object) -> datetime.date:
    """Birth date encoded in a citizen ID (validated first, so garbage raises ``ValueError``)."""
    citizen_id = validate_citizen_id(citizen_id)
    return datetime.date(int(citizen_id[6:10]), int(citizen_id[10:12]), int(citizen_id[12:14]))


def gender_from_citizen_id(citizen_id: object) -> str:
    """``"male"`` or ``"female"`` from the 17th digit (odd for men)."""
    citizen_id = validate_citizen_id(citizen_id)
    return "male" if int(citizen_id[16]) % 2 else "female"


def _mask_middle(text: str, keep_start: int, keep_end: int) -> str:
    # Too short to show both ends without revealing nearly everything: hide it all.
    if len(text) <= keep_start + keep_end:
        return "*" * len(text)
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[len(text) - keep_end :]


def mask_citizen_id(citizen_id: object) -> str:
    """``110105********123X``: region and last four stay visible, the birth date is hidden.

    Never raises, because it is used for display, including of bad data awaiting correction.
    """
    return _mask_middle(_clean_citizen_id(citizen_id), 6, 4)


# ---------------------------------------------------------------------------
# Mobile numbers
# ---------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_MOBILE_WITH_PREFIX_RE = re.compile(r"(?:\+86|0086|86)?(?P<number>[0-9]{11})")
# Dash look-alikes that survive NFKC (hyphen, non-breaking hyphen, figure/en/em dash, minus).
_MOBILE_DELIMITERS_RE = re.compile("[ \\-\u2010\u2011\u2012\u2013\u2014\u2212]")


def validate_mobile(value: object) -> str:
    """Return an 11-digit mainland mobile number or raise ``ValueError``."""
    if isinstance(value, bool):
        raise ValueError("手机号格式不正确")
    # Excel hands numeric cells over as floats; "13800138000.0" must not fail the digit check.
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        value = int(value)
    text = _MOBILE_DELIMITERS_RE.sub("", normalize_text(value))
    if not text:
        raise ValueError("手机号为空")
    match = _MOBILE_WITH_PREFIX_RE.fullmatch(text)
    if not match or not _MOBILE_RE.fullmatch(match["number"]):
        raise ValueError("手机号格式不正确")
    return match["number"]


def mask_mobile(mobile: object) -> str:
    """``138****8000``. Never raises: unrecognised input is masked as well as its length allows."""
    try:
        text = validate_mobile(mobile)
    except ValueError:
        text = normalize_text(mobile).replace(" ", "")
    return _mask_middle(text, 3, 4)


# ---------------------------------------------------------------------------
# Pinyin
# ---------------------------------------------------------------------------

# pypinyin picks the everyday reading, which is wrong for several surnames. Keys are matched
# against the start of the name, longest first, so 尉迟 wins over 尉 and 长孙 over 长.
_SURNAME_READINGS = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "长孙": ("zhang", "sun"),
    "单": ("shan",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "区": ("ou",),
    "查": ("zha",),
    "曾": ("zeng",),
    "盖": ("ge",),
    "乐": ("yue",),
    "召": ("shao",),
    "折": ("she",),
    "种": ("chong",),
    "覃": ("qin",),
    "繁": ("po",),
    "翟": ("zhai",),
    "缪": ("miao",),
    "尉": ("yu",),
    "员": ("yun",),
    "黑": ("he",),
    "长": ("chang",),
    "秘": ("bi",),
    "句": ("gou",),
    "阚": ("kan",),
    "隗": ("wei",),
    "蔚": ("yu",),
    "郇": ("xun",),
    "洗": ("xian",),
    "宓": ("fu",),
    "能": ("nai",),
    "祭": ("zhai",),
    "蕃": ("pi",),
    "适": ("kuo",),
    "粘": ("nian",),
    "卜": ("bu",),
    "薄": ("bo",),
    "乜": ("nie",),
    "么": ("yao",),
}
_SURNAMES_LONGEST_FIRST = sorted(_SURNAME_READINGS, key=len, reverse=True)

# Separators inside a name: spaces and the middle-dot look-alikes used in transliterated names
# (阿依古丽·买买提), as typed by different input methods.
_NAME_SEPARATORS_RE = re.compile("[\\s.·•‧・∙⋅]+")


def _fold_accents(word: str) -> str:
    # "José" should be found by typing "jose", as pinyin itself is searched without tones.
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _name_words(name: object) -> list[str]:
    """Lower-case words of a name: one pinyin syllable per Chinese character, other runs as typed."""
    text = normalize_text(name)
    syllables: list[str] = []
    for surname in _SURNAMES_LONGEST_FIRST:
        if text.startswith(surname):
            syllables.extend(_SURNAME_READINGS[surname])
            text = text[len(surname) :]
            break
    syllables.extend(lazy_pinyin(text, style=Style.NORMAL, errors="default"))
    words: list[str] = []
    for chunk in syllables:
        words.extend(_fold_accents(word) for word in _NAME_SEPARATORS_RE.split(chunk.lower()) if word)
    return [word for word in words if word]


def pinyin_keys(name: object) -> tuple[str, str]:
    """``("zhangsan", "zs")`` for 张三: full toneless pinyin and initials, both lower case."""
    words = _name_words(name)
    return "".join(words), "".join(word[0] for word in words)


def pinyin_search_text(name: object) -> str:
    """``"zhangsan zs"``: one string for ``startswith``/``contains`` searches on either form."""
    full, initials = pinyin_keys(name)
    return f"{full} {initials}" if full else ""


# The key holds only [0-9a-z], so that every collation a database may have (C, en_US, zh_CN, ICU) orders it as
# plain bytes do: locale collations skip spaces and punctuation, which would merge syllable boundaries
# (李娜 "li na" must sort before 林 "lin"). Each syllable is padded with "0" to the longest pinyin syllable
# (zhuang, 6 letters); "0" sorts below every letter, so 张 sorts before 张三 and li before lin.
SYLLABLE_WIDTH = 6
SORT_KEY_SEPARATOR = "1"
_SORT_NOISE_RE = re.compile(r"[^0-9a-z]+")


def chinese_sort_key(name: object) -> str:
    """Sort key that orders names as a zh (pinyin) collation does, under any database collation.

    ``"zhang0san0001" + code points``: the padded syllables, a separator, then the characters' code points in
    hex, so that homophones (张三, 章三) still have distinct, stable keys.
    """
    text = normalize_text(name)
    if not text:
        return ""
    words = [_SORT_NOISE_RE.sub("", word.lower()) for word in _name_words(text)]
    syllables = "".join(word.ljust(SYLLABLE_WIDTH, "0") for word in words if word)
    return syllables + SORT_KEY_SEPARATOR + "".join(f"{ord(ch):06x}" for ch in text)
