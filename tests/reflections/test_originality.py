"""The originality check on its own: normalisation, disguised copies, passages mapped back to the text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from partyedu.reflections import originality as o

from .texts import ORIGINAL, OTHER, disguise, interleave


def sources():
    return [
        o.Source("reflection:1", "原文", ORIGINAL, "0001"),
        o.Source("reflection:2", "另一篇", OTHER, "0002"),
    ]


def test_normalising_folds_full_width_and_drops_punctuation_and_spaces():
    norm, offsets = o.normalize("学习，　Ａ１ 心得！")
    assert norm == "学习a1心得"
    assert [("学习，　Ａ１ 心得！")[i] for i in offsets] == ["学", "习", "Ａ", "１", "心", "得"]


def test_a_copy_with_shuffled_punctuation_and_full_width_characters_is_found():
    report = o.compare(disguise(ORIGINAL), sources())
    assert report.percent >= 95
    assert report.matches[0].source.key == "reflection:1"
    assert len(report.matches) == 1


def test_the_bands_of_a_disguised_copy_are_nearly_the_same():
    assert len(set(o.band_keys(ORIGINAL)) & set(o.band_keys(disguise(ORIGINAL)))) >= 30


def test_a_copy_with_a_sentence_inserted_in_every_paragraph_is_still_detected():
    copy = interleave(ORIGINAL)
    assert set(o.band_keys(ORIGINAL)) & set(o.band_keys(copy)), "the LSH index must offer it as a candidate"
    report = o.compare(copy, sources())
    assert 70 <= report.percent < 95
    # the inserted sentences split every paragraph into passages
    assert len(report.matches[0].passages) >= 5


def test_passages_map_back_to_the_original_texts_on_both_sides():
    copy = interleave(ORIGINAL)
    match = o.compare(copy, sources()).matches[0]
    first = match.passages[0]
    mine = copy[first["mine"][0] : first["mine"][1]]
    theirs = ORIGINAL[first["theirs"][0] : first["theirs"][1]]
    assert o.normalized(mine) == o.normalized(theirs)
    assert mine.startswith("通过这次集中学习")


def test_an_own_text_has_no_overlap():
    report = o.compare("我在社区报到后参加了垃圾分类宣传，挨家挨户发放资料，收获很大。" * 3, sources())
    assert report.percent == 0
    assert report.matches == []


def test_quoting_the_studied_material_does_not_count():
    quote = "全面从严治党永远在路上，党的自我革命永远在路上，决不能有松劲歇脚、疲劳厌战的情绪。"
    text = quote + "我的体会是要从自身做起，严守纪律规矩，在日常工作中时时自省。"
    source = o.Source("reference:9", "一篇范文", quote + "其他内容都不一样的范文正文在这里继续写下去。")
    counted = o.compare(text, [source])
    assert counted.percent > 40
    excused = o.compare(text, [source], quoted=quote)
    assert excused.percent == 0
    assert excused.quoted_chars >= len(o.normalized(quote)) - 1


def test_template_phrases_are_flagged_once_each():
    assert o.template_phrases("下面是小编为大家整理的心得体会范文，仅供参考。") == [
        "下面是小编为大家整理的",
        "仅供参考",
        "范文",
    ]
    assert o.template_phrases(ORIGINAL) == []


def full_width(text: str) -> str:
    """ASCII letters, digits and spaces as the full-width forms a Chinese input method types."""
    return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


PIECES = st.sampled_from(
    ["学习", "贯彻", "党的二十大", "精神", "2024年", "GDP", "第3季度", "12345", "APP", "心得", "的", "在"]
)
PUNCT = st.sampled_from(["，", "。", ",", ".", "；", "、", " ", "！", "\n", "：", "——", "“", "”"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(PIECES, PUNCT), min_size=4, max_size=60), st.randoms(use_true_random=False))
def test_full_width_characters_and_reshuffled_punctuation_make_no_difference(parts, rnd):
    original = "".join(word + mark for word, mark in parts)
    # the copy: every word typed full-width, every punctuation mark replaced by another (or dropped)
    marks = ["，", "。", "", "；", "　", "\n\n", "！"]
    copy = "".join(full_width(word) + rnd.choice(marks) for word, _ in parts)
    assert o.normalized(copy) == o.normalized(original)
    assert o.band_keys(copy) == o.band_keys(original)
    assert o.char_count(copy) == o.char_count(original)


def test_a_full_width_copy_of_a_text_with_figures_and_latin_letters_is_a_complete_match():
    text = "2024年全县完成GDP增长6.5%，我们在APP上开展了12期线上学习。" * 4
    copy = full_width(text).replace("，", ",")
    report = o.compare(copy, [o.Source("reflection:7", "原文", text, "0001")])
    assert report.percent == 100.0
    passage = report.matches[0].passages[0]
    assert copy[passage["mine"][0] : passage["mine"][1]].startswith("２０２４年")
