import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.datetime import from_excel

from partyedu.core.cn import (
    SORT_KEY_SEPARATOR,
    birth_date_from_citizen_id,
    chinese_sort_key,
    citizen_id_checksum,
    gender_from_citizen_id,
    mask_citizen_id,
    mask_mobile,
    normalize_text,
    parse_date,
    parse_optional_date,
    pinyin_keys,
    pinyin_search_text,
    validate_citizen_id,
    validate_mobile,
)

FULL_WIDTH = str.maketrans("0123456789-/.", "０１２３４５６７８９－／．")


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


def unrecognised(text: str) -> str:
    return re.escape(f"无法识别的日期“{text}”，请使用 2021-07-01 格式")


def reference_checksum(first17: str) -> str:
    # ISO 7064 MOD 11-2 written independently of the weight table in cn.py: weight of digit i is
    # 2^(17-i) mod 11, and the check value is whatever makes the full sum ≡ 1 (mod 11).
    total = sum(int(digit) * pow(2, 17 - i, 11) for i, digit in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_citizen_id(birth: datetime.date, region: str = "110105", sequence: str = "123") -> str:
    first17 = f"{region}{birth:%Y%m%d}{sequence}"
    return first17 + reference_checksum(first17)


# Examples from GB 11643-1999 itself.
STANDARD_ID = "11010519491231002X"
STANDARD_ID_BORN_1880 = "440524188001010014"


# ---------------------------------------------------------------------------
# normalize_text
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        (123, "123"),
        (13800138000.0, "13800138000.0"),
        ("  张三  ", "张三"),
        ("ＡＢＣ１２３", "ABC123"),
        ("张\u3000三", "张 三"),
        ("张\u00a0\u00a0三", "张 三"),
        ("第一\t\n 支部\r\n", "第一 支部"),
        ("张\u200b三", "张三"),
        ("\ufeff张三\u200c\u200d", "张三"),
        ("a \u200b b", "a b"),
        ("张\x00三\x7f", "张三"),
        ("第一\x0b支部\x1f", "第一 支部"),
        ("（第一党支部）", "(第一党支部)"),
    ],
)
def test_normalize_text(value, expected):
    assert normalize_text(value) == expected


MESSY_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(" \t\n\u00a0\u3000\u200b\u200c\u200d\ufeff\u2060ＡＺａｚ０９－／．张三·é\u0301¨"),
        st.characters(),
    )
)


@given(MESSY_TEXT)
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(MESSY_TEXT)
def test_normalize_text_leaves_only_single_inner_spaces(text):
    result = normalize_text(text)
    assert result == result.strip()
    assert "  " not in result
    assert not re.search(r"[^\S ]|[\u200b\u200c\u200d\ufeff\x00-\x1f\x7f]", result)


# ---------------------------------------------------------------------------
# parse_date / parse_optional_date
# ---------------------------------------------------------------------------

JULY_1 = datetime.date(2021, 7, 1)


@pytest.mark.parametrize(
    "value",
    [
        "2021-07-01",
        "2021-7-1",
        "2021/7/1",
        "2021/07/01",
        "2021.07.01",
        "2021.7.1",
        "2021年7月1日",
        "2021年07月01日",
        "2021 年 7 月 1 日",
        "2021-07-01 00:00:00",
        "2021-07-01T08:30:00",
        "2021/7/1 0:00",
        "2021年7月1日 08:00",
        "20210701",
        " 2021-07-01\u3000",
        "２０２１－０７－０１",
        "２０２１年７月１日",
        JULY_1,
        datetime.datetime(2021, 7, 1, 23, 59),
        44378,
        44378.0,
        44378.75,  # the fraction is a time of day
        20210701,  # typed as a number into a General-formatted cell
    ],
)
def test_parse_date_accepts(value):
    assert parse_date(value) == JULY_1


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, datetime.date(1900, 1, 1)),
        (59, datetime.date(1900, 2, 28)),
        (60, datetime.date(1900, 2, 28)),  # Excel's phantom 1900-02-29, as openpyxl reads it
        (61, datetime.date(1900, 3, 1)),
        (2958465, datetime.date(9999, 12, 31)),
    ],
)
def test_parse_date_excel_serial_edges(serial, expected):
    assert parse_date(serial) == expected


@given(st.integers(min_value=1, max_value=2958465))
def test_parse_date_serials_agree_with_openpyxl(serial):
    assert parse_date(serial) == from_excel(serial).date()


@pytest.mark.parametrize(
    "value",
    [
        "44378",  # a serial that lost its number format: ambiguous, so refused
        "44378.0",
        "2021",
        "202171",
        "2021-07",
        "2021年7月",
        "07/01/2021",
        "21-7-1",
        "2021-07/01",
        "2021.07-01",
        "2021-07-01 下午",
        "2021-07-0100:00",
        "明天",
        "abc",
    ],
)
def test_parse_date_rejects_unrecognised_strings(value):
    with pytest.raises(ValueError, match=f"^{unrecognised(value)}$"):
        parse_date(value)


def test_parse_date_error_quotes_the_normalised_text():
    with pytest.raises(ValueError, match=f"^{unrecognised('2021-07')}$"):
        parse_date("\u3000２０２１－０７ ")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (-1, "-1"),
        (2958466, "2958466"),
        (123456789, "123456789"),
        (0.5, "0.5"),
        (20210701.5, "20210701.5"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (True, "True"),
    ],
)
def test_parse_date_rejects_out_of_range_numbers(value, shown):
    with pytest.raises(ValueError, match=f"^{unrecognised(shown)}$"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2021-02-30", "日期不存在：2021-02-30"),
        ("2021/2/29", "日期不存在：2021-02-29"),
        ("2021年13月1日", "日期不存在：2021-13-01"),
        ("2021.4.31", "日期不存在：2021-04-31"),
        ("20210230", "日期不存在：2021-02-30"),
        ("0000-01-01", "日期不存在：0000-01-01"),
        (20210230, "日期不存在：2021-02-30"),
    ],
)
def test_parse_date_rejects_impossible_dates(value, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        parse_date(value)


def test_parse_date_accepts_real_leap_day():
    assert parse_date("2020-02-29") == datetime.date(2020, 2, 29)


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", "\u200b"])
def test_parse_date_rejects_empty(value):
    with pytest.raises(ValueError, match="^日期为空$"):
        parse_date(value)


@pytest.mark.parametrize("value", [None, "", "  ", "\u3000"])
def test_parse_optional_date_empty_is_none(value):
    assert parse_optional_date(value) is None


def test_parse_optional_date_parses_and_still_rejects_garbage():
    assert parse_optional_date("2021年7月1日") == JULY_1
    assert parse_optional_date(44378) == JULY_1
    with pytest.raises(ValueError, match="^日期不存在：2021-02-30$"):
        parse_optional_date("2021-02-30")


DATE_FORMATS = [
    lambda d: f"{d:%Y-%m-%d}",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d:%Y/%m/%d}",
    lambda d: f"{d:%Y.%m.%d}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d:%Y}年{d:%m}月{d:%d}日",
    lambda d: f"{d:%Y-%m-%d} 00:00:00",
    lambda d: f"{d:%Y%m%d}",
]


@given(
    day=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
    fmt=st.sampled_from(DATE_FORMATS),
    wide=st.booleans(),
)
def test_parse_date_round_trips_every_format(day, fmt, wide):
    text = fmt(day)
    assert parse_date(full_width(text) if wide else text) == day


@given(st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 12, 31)))
def test_parse_date_round_trips_excel_serials(day):
    serial = (day - datetime.date(1899, 12, 30)).days
    assert parse_date(serial) == day
    assert parse_date(float(serial)) == day


# ---------------------------------------------------------------------------
# Citizen ID
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        STANDARD_ID,
        "11010519491231002x",
        " 110105 19491231 002X ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105\u00a019491231\u200b002x",
    ],
)
def test_validate_citizen_id_normalises(value):
    assert validate_citizen_id(value) == STANDARD_ID


def test_validate_citizen_id_accepts_integer_cells():
    citizen_id = make_citizen_id(datetime.date(1990, 1, 1), sequence="001")
    assert citizen_id[-1] != "X"
    assert validate_citizen_id(int(citizen_id)) == citizen_id


@pytest.mark.parametrize(
    "value",
    [None, "", "1101051949123100", "110105491231002", "11010519491231002X1", 1.1010519491231e17],
)
def test_validate_citizen_id_rejects_wrong_length(value):
    with pytest.raises(ValueError, match="^身份证号应为18位$"):
        validate_citizen_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002Y",
        "1101051949123100XX",
        "X10105194912310021",
        "11010519491231-02X",
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",
    ],
)
def test_validate_citizen_id_rejects_bad_characters(value):
    with pytest.raises(ValueError, match="^身份证号格式不正确$"):
        validate_citizen_id(value)


@pytest.mark.parametrize(
    "first17",
    [
        "11010519491331002",  # month 13
        "11010520210230002",  # 30 February
        "11010520210700002",  # day 0
        "11010518991231002",  # before 1900
        STANDARD_ID_BORN_1880[:17],
    ],
)
def test_validate_citizen_id_rejects_invalid_birth_dates(first17):
    with pytest.raises(ValueError, match="^身份证号中的出生日期无效$"):
        validate_citizen_id(first17 + reference_checksum(first17))


def test_validate_citizen_id_rejects_birth_in_the_future():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValueError, match="^身份证号中的出生日期无效$"):
        validate_citizen_id(make_citizen_id(tomorrow))


def test_validate_citizen_id_accepts_birth_today_and_on_1900_01_01():
    for birth in (datetime.date.today(), datetime.date(1900, 1, 1)):
        citizen_id = make_citizen_id(birth)
        assert validate_citizen_id(citizen_id) == citizen_id


def test_validate_citizen_id_reports_expected_check_character():
    with pytest.raises(ValueError, match=r"^身份证号校验位错误（应为 X）$"):
        validate_citizen_id("110105194912310021")
    with pytest.raises(ValueError, match=r"^身份证号校验位错误（应为 3）$"):
        validate_citizen_id("44052419800101001X")


@pytest.mark.parametrize(
    ("first17", "expected"),
    [(STANDARD_ID[:17], "X"), (STANDARD_ID_BORN_1880[:17], "4"), ("00000000000000000", "1")],
)
def test_citizen_id_checksum(first17, expected):
    assert citizen_id_checksum(first17) == expected


@pytest.mark.parametrize("value", ["", "1101051949123100", "110105194912310021", "1101051949123100A", 12345])
def test_citizen_id_checksum_needs_17_digits(value):
    with pytest.raises(ValueError, match="^身份证号格式不正确$"):
        citizen_id_checksum(value)


def test_birth_date_and_gender_from_citizen_id():
    assert birth_date_from_citizen_id(STANDARD_ID) == datetime.date(1949, 12, 31)
    assert gender_from_citizen_id(STANDARD_ID) == "female"  # 17th digit 2
    male = make_citizen_id(datetime.date(1985, 6, 15), sequence="017")
    assert gender_from_citizen_id(male) == "male"
    assert birth_date_from_citizen_id(male.lower()) == datetime.date(1985, 6, 15)


def test_birth_date_and_gender_validate_first():
    with pytest.raises(ValueError, match=r"^身份证号校验位错误（应为 X）$"):
        birth_date_from_citizen_id("110105194912310021")
    with pytest.raises(ValueError, match="^身份证号应为18位$"):
        gender_from_citizen_id("123")


CHECK_CHARS = "0123456789X"


@st.composite
def citizen_id_parts(draw):
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date.today()))
    sequence = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    return f"{region}{birth:%Y%m%d}{sequence}", birth


@given(citizen_id_parts())
def test_any_well_formed_citizen_id_validates(parts):
    first17, birth = parts
    check = citizen_id_checksum(first17)
    assert check == reference_checksum(first17)
    citizen_id = first17 + check
    assert validate_citizen_id(citizen_id) == citizen_id
    assert validate_citizen_id(citizen_id.lower()) == citizen_id
    assert birth_date_from_citizen_id(citizen_id) == birth
    assert gender_from_citizen_id(citizen_id) == ("male" if int(first17[16]) % 2 else "female")


@given(citizen_id_parts())
def test_every_other_check_character_is_rejected(parts):
    first17, _ = parts
    right = citizen_id_checksum(first17)
    for wrong in CHECK_CHARS.replace(right, ""):
        with pytest.raises(ValueError, match=rf"^身份证号校验位错误（应为 {right}）$"):
            validate_citizen_id(first17 + wrong)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (STANDARD_ID, "110105********002X"),
        ("11010519491231002x", "110105********002X"),
        (" 110105 19491231 002X", "110105********002X"),
        ("", ""),
        (None, ""),
        # Not a valid ID, still masked for display rather than raising.
        ("110105491231002", "110105*****1002"),
        ("1234567890", "**********"),
    ],
)
def test_mask_citizen_id(value, expected):
    assert mask_citizen_id(value) == expected


# ---------------------------------------------------------------------------
# Mobile numbers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13800138000",
        " 138 0013 8000 ",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+86-138-0013-8000",
        "+8613800138000",
        "8613800138000",
        "008613800138000",
        "１３８００１３８０００",
        "138\u00a00013\u00a08000",
        13800138000,
        13800138000.0,
    ],
)
def test_validate_mobile_accepts(value):
    assert validate_mobile(value) == "13800138000"


@pytest.mark.parametrize(
    "value",
    [
        "12800138000",  # no 12x mobile prefix
        "10800138000",
        "23800138000",
        "1380013800",
        "138001380001",
        "+8713800138000",
        "86 12800138000",
        "010-12345678",
        "1380013800a",
        "phone",
        13800138000.5,
        True,
    ],
)
def test_validate_mobile_rejects(value):
    with pytest.raises(ValueError, match="^手机号格式不正确$"):
        validate_mobile(value)


@pytest.mark.parametrize("value", [None, "", "  ", " - "])
def test_validate_mobile_rejects_empty(value):
    with pytest.raises(ValueError, match="^手机号为空$"):
        validate_mobile(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800138000", "138****8000"),
        ("+86 138-0013-8000", "138****8000"),
        (13800138000.0, "138****8000"),
        ("", ""),
        (None, ""),
        ("12345", "*****"),
    ],
)
def test_mask_mobile(value, expected):
    assert mask_mobile(value) == expected


# ---------------------------------------------------------------------------
# Pinyin
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三", "zhangsan", "zs"),
        ("张 三", "zhangsan", "zs"),
        ("  王小明\u3000", "wangxiaoming", "wxm"),
        ("吕布", "lvbu", "lb"),
        ("阿依古丽·买买提", "ayigulimaimaiti", "ayglmmt"),
        ("阿依古丽•买买提", "ayigulimaimaiti", "ayglmmt"),
        ("阿依古丽.买买提", "ayigulimaimaiti", "ayglmmt"),
        ("阿依古丽・买买提", "ayigulimaimaiti", "ayglmmt"),
        ("Tom Li", "tomli", "tl"),
        ("ＴＯＭ", "tom", "t"),
        ("José 张", "josezhang", "jz"),
        ("张三2", "zhangsan2", "zs2"),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_pinyin_keys(name, full, initials):
    assert pinyin_keys(name) == (full, initials)


@pytest.mark.parametrize(
    ("surname", "reading"),
    [
        ("单", "shan"),
        ("解", "xie"),
        ("仇", "qiu"),
        ("朴", "piao"),
        ("区", "ou"),
        ("查", "zha"),
        ("曾", "zeng"),
        ("盖", "ge"),
        ("乐", "yue"),
        ("召", "shao"),
        ("折", "she"),
        ("种", "chong"),
        ("覃", "qin"),
        ("繁", "po"),
        ("翟", "zhai"),
        ("缪", "miao"),
        ("尉", "yu"),
        ("员", "yun"),
        ("黑", "he"),
        ("万俟", "mo qi"),
        ("尉迟", "yu chi"),
        ("长孙", "zhang sun"),
    ],
)
def test_pinyin_keys_use_surname_readings(surname, reading):
    syllables = reading.split()
    assert pinyin_keys(f"{surname}伟") == ("".join(syllables) + "wei", "".join(s[0] for s in syllables) + "w")
    padded = "".join(s.ljust(6, "0") for s in [*syllables, "wei"])
    assert chinese_sort_key(f"{surname}伟").startswith(padded + "1")


def test_surname_reading_applies_only_at_the_start_of_the_name():
    assert pinyin_keys("单雄信") == ("shanxiongxin", "sxx")
    assert pinyin_keys("李单") == ("lidan", "ld")
    assert pinyin_keys("曾") == ("zeng", "z")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("张三", "zhangsan zs"), ("曾国藩", "zengguofan zgf"), ("", ""), ("  ", "")],
)
def test_pinyin_search_text(name, expected):
    assert pinyin_search_text(name) == expected


def test_pinyin_search_text_supports_prefix_and_contains_search():
    text = pinyin_search_text("欧阳修")
    assert text.startswith("ouyang")
    assert " oyx" in text


def test_chinese_sort_key_format():
    assert chinese_sort_key("张三") == "zhang0san000" + SORT_KEY_SEPARATOR + "005f20004e09"
    assert chinese_sort_key(" 张\u3000三 ").startswith("zhang0san0001")
    assert chinese_sort_key("阿依古丽·买买提").startswith("a00000yi0000gu0000li0000mai000mai000ti00001")
    assert chinese_sort_key("") == ""
    assert chinese_sort_key(None) == ""


def test_chinese_sort_key_orders_by_pinyin():
    names = ["赵六", "张三", "陈二", "阿大", "白一"]
    assert sorted(names, key=chinese_sort_key) == ["阿大", "白一", "陈二", "张三", "赵六"]


def test_chinese_sort_key_sorts_surname_zeng_under_z():
    names = ["张三", "曾伟", "杨一", "陈二", "赵六"]
    assert sorted(names, key=chinese_sort_key) == ["陈二", "杨一", "曾伟", "张三", "赵六"]


def test_chinese_sort_key_sorts_shorter_name_and_syllable_first():
    assert sorted(["张三", "张", "张三丰"], key=chinese_sort_key) == ["张", "张三", "张三丰"]
    # syllable by syllable, as zh collation does: li-na before lin
    assert sorted(["林", "李娜"], key=chinese_sort_key) == ["李娜", "林"]


def test_chinese_sort_key_breaks_homophone_ties_by_name():
    assert chinese_sort_key("张三") != chinese_sort_key("章三")
    assert sorted(["章三", "张三"], key=chinese_sort_key) == sorted(["章三", "张三"])


@given(st.text())
def test_chinese_sort_key_is_database_safe(name):
    key = chinese_sort_key(name)
    assert "\x00" not in key
    # only [0-9a-z]: every database collation then orders it as bytes do
    assert re.fullmatch(r"[0-9a-z]*", key)
    assert key == "" or SORT_KEY_SEPARATOR in key
