"""One catalogue of visible strings, the same keys in both languages."""

from __future__ import annotations

import re

import pytest

from dashboard.i18n import CATALOGUE, DEFAULT_LANGUAGE, LANGUAGES, language, other_language, text


def _placeholders(template: str) -> set[str]:
    return set(re.findall(r"{(\w+)(?:[:!][^}]*)?}", template))


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    zh, en = CATALOGUE["zh-CN"], CATALOGUE["en"]

    assert set(zh) == set(en), sorted(set(zh) ^ set(en))
    for key in zh:
        assert _placeholders(zh[key]) == _placeholders(en[key]), key
        assert zh[key].strip() and en[key].strip(), key


def test_chinese_is_the_default_and_english_is_the_other() -> None:
    assert DEFAULT_LANGUAGE == "zh-CN" and LANGUAGES == ("zh-CN", "en")
    assert [language(v) for v in (None, "", "zh", "EN", "en-GB", "fr")] == [
        "zh-CN",
        "zh-CN",
        "zh-CN",
        "en",
        "en",
        "zh-CN",
    ]
    assert other_language("zh-CN") == "en" and other_language("en") == "zh-CN"


def test_text_fills_in_values_and_names_a_missing_key() -> None:
    assert text("en", "panel.households", count="1,200") == "1,200 households"
    assert text("zh-CN", "panel.households", count="1,200") == "1,200 户"
    with pytest.raises(KeyError, match=r"no string 'no\.such' in the en catalogue"):
        text("en", "no.such")
