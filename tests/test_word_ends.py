"""Where the last class word or break word ends: the reversed search discovery cuts names with,
on sentences from the corpus plans."""

from __future__ import annotations

from livekg.loaders.word_ends import WordEnds

CLASS_WORDS = WordEnds(["中心", "数据中心", "基地", "园"],
                       reversed_closing=r"[）)][^（）()]{1,12}[（(]")


def test_the_last_class_word_ends_the_name_not_the_first():
    # Pingtan 岚综管综〔2017〕171号: the centre, not the text after it
    text = "按计划推进金井湾市民运动中心建设"
    assert text[:CLASS_WORDS.last_end(text)] == "按计划推进金井湾市民运动中心"


def test_a_closing_qualifier_belongs_to_the_class_word_before_it():
    # Nanchong's OPC plan (tests/corpus/city-2026-nanchong-opc.txt)
    text = "依托南充现代物流园、保税物流中心（B 型）"
    assert CLASS_WORDS.last_end(text) == len(text)
    # Shandong 2021: the centre's own bracket, not a longer word inside it
    text = "加快国家健康医疗大数据中心（北方）"
    assert CLASS_WORDS.last_end(text) == len(text)


def test_a_bracket_after_no_class_word_is_not_a_qualifier():
    # Pingtan's new-pollutants plan: 区农业农村中心（区供销社） ends in its centre's qualifier;
    # the bracket without the centre before it ends nothing
    text = "区社会事业局、区市场监管局、区农业农村中心（区供销社）"
    assert CLASS_WORDS.last_end(text) == len(text)
    assert CLASS_WORDS.last_end(text, text.index("中心") + 2, len(text)) is None


def test_only_words_wholly_inside_the_stretch_count():
    text = "按计划推进金井湾市民运动中心建设"
    centre = text.index("中心")
    # the stretch cuts the centre in two: no class word lies in it, and none before it
    assert CLASS_WORDS.last_end(text, 0, centre + 1) is None
    # a stretch starting inside the centre holds none either
    assert CLASS_WORDS.last_end(text, centre + 1, len(text)) is None
    assert CLASS_WORDS.last_end(text, centre, len(text)) == centre + 2


def test_overlapping_words_give_the_rightmost_end():
    # Jinan 2021: 园 ends 齐鲁软件园 and 产业园 alike; the last one counts
    breaks = WordEnds(["依托", "等", "托"])
    text = "依托齐鲁软件园、明湖国际信息技术产业园、数字经济产业园等载体"
    assert breaks.last_end(text) == text.index("等") + 1
    assert breaks.last_end(text, 0, text.index("等")) == 2   # 依托 and 托 both end at 2
    assert CLASS_WORDS.last_end(text, 0, text.index("等")) == text.index("等")


def test_no_words_never_match():
    assert WordEnds([]).last_end("依托齐鲁软件园") is None

