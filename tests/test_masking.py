"""Personal fields as a viewer without the personal-fields right sees them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from geo.api import PERSONAL_FIELDS, mask_field, masked_frame, masked_record


@pytest.mark.parametrize(("field", "value", "shown"), [
    ("reporter_name", "张三丰", "张**"),
    ("person_name", "欧阳娜娜", "欧***"),
    ("reporter_name", " 李 ", "李"),
    ("reporter_phone", "13800138000", "138****8000"),
    ("phone", "+86 138-0013-8000", "138****8000"),
    ("phone", "0937-2612345", "093****2345"),
    ("phone", "2612345", "***2345"),
    ("phone", "110", "***"),
    ("id_number", "62090219800101123X", "**************123X"),
    ("address", "肃州区南大街15号3单元402", "肃州区南大街" + "*" * 9),
    ("address", "东大街１号", "东大街**"),
    ("address", "测试路壹号院", "测试路***"),
    ("address", "金塔县东关街道金园村三组5号", "金塔县东关街" + "*" * 8),
    ("address", "城东某处附近", "城东某***"),
    ("address", "甲", "*"),
    ("description", "邻居张三每晚噪音，电话13800138000", "***"),
    ("reporter_name", None, ""),
    ("reporter_phone", math.nan, ""),
    ("address", "   ", ""),
])
def test_each_kind_of_personal_field_keeps_only_what_tells_cases_apart(field, value, shown) -> None:
    assert mask_field(field, value) == shown


def test_every_personal_field_has_a_mask_that_hides_it() -> None:
    secret = "张三丰13800138000东大街1号"
    for field in PERSONAL_FIELDS:
        assert mask_field(field, secret) != secret, field


def test_a_frame_is_masked_column_by_column_and_shown_whole_with_the_right() -> None:
    frame = pd.DataFrame({"incident_id": ["app:1"], "category": ["land"], "reporter_name": ["张三丰"],
                          "reporter_phone": ["13800138000"], "description": ["<script>alert(1)</script>"]})
    masked = masked_frame(frame, personal_fields=False)
    assert masked.to_dict("records") == [{"incident_id": "app:1", "category": "land", "reporter_name": "张**",
                                          "reporter_phone": "138****8000", "description": "***"}]
    assert masked_frame(frame, personal_fields=True).equals(frame)
    assert frame["reporter_name"].iloc[0] == "张三丰", "the caller's frame is left as it was"
    assert masked_record(frame.iloc[0].to_dict(), personal_fields=False)["reporter_name"] == "张**"
