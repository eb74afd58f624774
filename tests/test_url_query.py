"""The URL state every page keeps: a link written by one page state reads back as the same values."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.components.url_query import Changeable, QueryValues, query_string
from dashboard.i18n import DEFAULT_LANGUAGE


def test_the_last_of_a_repeated_key_counts_and_an_absent_key_reads_empty() -> None:
    query = QueryValues("?area=620902&area=%20620921%20&lang=en-GB")
    assert (query.one("area"), query.one("month"), query.lang()) == ("620921", "", "en")


def test_an_unknown_or_missing_language_is_the_default() -> None:
    assert QueryValues("?lang=fr").lang() == QueryValues(None).lang() == DEFAULT_LANGUAGE


def test_a_blank_value_is_kept_only_when_asked() -> None:
    assert "layers" not in QueryValues("?layers=").values
    assert QueryValues("?layers=", keep_blank=True).values["layers"] == [""]


def test_the_query_leaves_the_default_language_out_and_is_empty_when_nothing_is_set() -> None:
    assert query_string([("area", "620902")], DEFAULT_LANGUAGE) == "?area=620902"
    assert query_string([("cat", "land,labour")], "en", safe=",") == "?cat=land,labour&lang=en"
    assert query_string([], DEFAULT_LANGUAGE) == ""
    assert query_string([], "en") == "?lang=en"


def test_but_changes_a_copy() -> None:
    @dataclass(frozen=True)
    class Page(Changeable):
        area: str
        lang: str = DEFAULT_LANGUAGE

    before = Page("620902")
    assert before.but(lang="en") == Page("620902", "en") and before.lang == DEFAULT_LANGUAGE
