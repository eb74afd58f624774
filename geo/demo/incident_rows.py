"""The raw rows of each channel, as its file shows them: ids, times, labels, texts and coordinates.

- app.csv (grid workers' app, WGS84): event_id, reported_at 'YYYY-MM-DD HH:MM:SS', category,
  severity 1-3, serious 0/1, repeat_petition 0/1, description, reporter_name, reporter_phone, lon, lat,
  status, closed_at, outcome, pre_litigation 0/1;
- hotline.xlsx (12345 hotline, CGCS2000, Chinese headers, times as text like '2023/7/5 14:03'); about
  15 % of its rows give only an address (经度/纬度 empty), taken from the address library, sometimes
  without the county name, without the house number, or down to the village only;
- miniprogram.csv (citizens' WeChat mini-program, GCJ-02, ISO times).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.crs import from_wgs84
from geo.demo.incident_draws import CATEGORIES
from geo.demo.incident_labels import CATEGORY_LABEL, CLOSED, OUTCOME_LABEL, RAW_CRS, SATISFACTION_LABELS
from geo.demo.names import fake_names, fake_nicknames, fake_phones, weighted_sample
from geo.schema import AddressCol, Col, IncidentCategory, IncidentSource, Outcome

_ADDRESS_ONLY_SHARE: Final = 0.15

_TOPICS: Final = {
    IncidentCategory.NEIGHBOUR: (
        "楼上漏水",
        "噪音扰民",
        "占用楼道堆放杂物",
        "滴水檐和院墙",
        "饲养犬只扰民",
        "共用通道",
    ),
    IncidentCategory.MARRIAGE_FAMILY: (
        "家庭琐事",
        "子女抚养",
        "赡养老人费用分担",
        "离婚财产分割",
        "彩礼返还",
    ),
    IncidentCategory.BUSINESS: ("商品质量", "退款", "租金拖欠", "合伙分红", "预付卡消费"),
    IncidentCategory.PROPERTY_MANAGEMENT: (
        "物业费收取标准",
        "电梯长期故障",
        "小区停车位分配",
        "供暖温度不达标",
        "楼道照明无人维修",
    ),
    IncidentCategory.LAND: ("承包地边界", "灌溉用水分配", "土地流转费用", "宅基地使用权", "林地权属"),
    IncidentCategory.LABOUR_WAGES: ("拖欠工资", "未签订劳动合同", "工伤赔偿", "加班费未支付"),
    IncidentCategory.TRAFFIC: ("车辆剐蹭赔偿", "电动车与行人碰撞", "农用车事故", "停车刮擦"),
    IncidentCategory.OTHER: ("借款未还", "宠物伤人赔偿", "装修损坏管道", "相邻通行受阻"),
}
_GRASSLAND: Final = ("草场边界", "越界放牧", "草场承包流转", "牲畜饮水点使用")


def describe_disputes(
    rng: np.random.Generator, disputes: pd.DataFrame, pastoral: NDArray[np.bool_]
) -> list[str]:
    """A short description of each dispute, in the voice of its channel (grassland topics on the steppe)."""
    count = len(disputes)
    first = [n[0] for n in fake_names(rng, count)]
    second = [n[0] for n in fake_names(rng, count)]
    workers = rng.integers(2, 30, count)
    picks = rng.random(count)
    texts = []
    for i, (code, channel, is_open) in enumerate(
        zip(disputes["category"], disputes["channel"], disputes["status"] != CLOSED, strict=True)
    ):
        category = CATEGORIES[code]
        topics = _GRASSLAND if category is IncidentCategory.LAND and pastoral[i] else _TOPICS[category]
        topic = topics[int(picks[i] * len(topics))]
        if category is IncidentCategory.PROPERTY_MANAGEMENT:
            core = f"小区居民反映{topic}问题"
        elif category is IncidentCategory.LABOUR_WAGES:
            core = f"{workers[i]}名务工人员反映{topic}"
        elif category is IncidentCategory.MARRIAGE_FAMILY:
            core = f"{first[i]}某家庭因{topic}产生矛盾"
        elif category is IncidentCategory.BUSINESS:
            core = f"{first[i]}某与商户因{topic}产生纠纷"
        else:
            core = f"{first[i]}某与{second[i]}某因{topic}发生纠纷"
        if channel == IncidentSource.APP.value:
            texts.append(f"入户走访发现：{core}" + ("，正在调处" if is_open else ""))
        elif channel == IncidentSource.HOTLINE.value:
            texts.append(f"来电人反映：{core}，请求协调处理。")
        else:
            texts.append(f"{core}，希望有人管管。")
    return texts


def _daily_ids(prefix: str, times: pd.Series) -> list[str]:
    days = times.dt.strftime("%Y%m%d")
    sequence = days.groupby(days).cumcount() + 1
    return [f"{prefix}{d}{s:04d}" for d, s in zip(days, sequence, strict=True)]


def _excel_time(times: pd.Series) -> pd.Series:
    """Text as a 12345 export shows it: '2023/7/5 14:03' (no leading zeros in date and hour)."""
    text = (
        times.dt.year.astype("Int64").astype(str)
        + "/"
        + times.dt.month.astype("Int64").astype(str)
        + "/"
        + times.dt.day.astype("Int64").astype(str)
        + " "
        + times.dt.hour.astype("Int64").astype(str)
        + ":"
        + times.dt.strftime("%M")
    )
    return text.where(times.notna(), None)


def format_time(times: pd.Series, channel: IncidentSource) -> pd.Series:
    """Times as the channel's file writes them (None where a time is missing)."""
    if channel is IncidentSource.HOTLINE:
        return _excel_time(times)
    pattern = "%Y-%m-%dT%H:%M:%S+08:00" if channel is IncidentSource.MINIPROGRAM else "%Y-%m-%d %H:%M:%S"
    return times.dt.strftime(pattern).where(times.notna(), None)


def _labels(values: pd.Series, table: Mapping[Outcome, str]) -> list[str | None]:
    # A column of enum members may come back as plain strings (pandas' string dtype), NaN where empty.
    return [table[Outcome(v)] if isinstance(v, str) and v else None for v in values]


def _blank_where(mask: NDArray[np.bool_], values: NDArray[np.generic]) -> NDArray[np.object_]:
    """The values as objects, with None (an empty cell) where the mask is true."""
    blanked = np.asarray(values, dtype=object).copy()
    blanked[mask] = None
    return blanked


def app_rows(rng: np.random.Generator, d: pd.DataFrame) -> pd.DataFrame:
    """Rows of the grid workers' app export."""
    pre = np.isin(d["outcome"].to_numpy(), [Outcome.PRE_LITIGATION_MEDIATED, Outcome.PRE_LITIGATION_FAILED])
    return pd.DataFrame(
        {
            "event_id": _daily_ids("WG", d["reported_at"]),
            "reported_at": format_time(d["reported_at"], IncidentSource.APP),
            "category": [CATEGORY_LABEL[CATEGORIES[c]] for c in d["category"]],
            "severity": d["severity"].to_numpy(),
            "serious": d["serious"].to_numpy().astype(int),
            "repeat_petition": d["repeat_petition"].to_numpy().astype(int),
            "description": d["description"].to_numpy(),
            "reporter_name": fake_names(rng, len(d)),
            "reporter_phone": fake_phones(rng, len(d)),
            "lon": np.round(d["x"].to_numpy(), 6).astype(object),
            "lat": np.round(d["y"].to_numpy(), 6).astype(object),
            "status": d["status"].to_numpy(),
            "closed_at": format_time(d["closed_at"], IncidentSource.APP).to_numpy(),
            "outcome": _labels(d["outcome"], OUTCOME_LABEL),
            "pre_litigation": pre.astype(int),
        }
    )


def _address_text(
    rng: np.random.Generator,
    rows: NDArray[np.intp],
    addresses: gpd.GeoDataFrame,
    names: Mapping[str, str],
    variants: NDArray[np.object_],
    p: list[float],
) -> list[str]:
    """The caller's address: full, or without the county, without the number, or the village only."""
    chosen = rng.choice(variants, len(rows), p=p)
    picked = addresses.iloc[rows]
    texts = []
    for variant, (county, township, village, road, number) in zip(
        chosen,
        picked[
            [Col.COUNTY_CODE, Col.TOWNSHIP_CODE, Col.VILLAGE_CODE, AddressCol.ROAD, AddressCol.NUMBER]
        ].itertuples(index=False),
        strict=True,
    ):
        head = ("" if variant == "no_county" else names[county]) + names[township] + names[village]
        tail = {"village": "", "no_number": road}.get(variant, f"{road}{number}号")
        texts.append(head + tail)
    return texts


def hotline_rows(
    rng: np.random.Generator,
    d: pd.DataFrame,
    addresses: gpd.GeoDataFrame,
    names: Mapping[str, str],
    grid_codes: NDArray[np.str_],
) -> tuple[pd.DataFrame, NDArray[np.bool_]]:
    """Rows of the 12345 export and which of them give an address only."""
    tied = np.flatnonzero(d["address"].to_numpy() >= 0)
    address_only = np.zeros(len(d), dtype=bool)
    address_only[tied[weighted_sample(rng, np.ones(len(tied)), round(_ADDRESS_ONLY_SHARE * len(d)))]] = True
    text = np.empty(len(d), dtype=object)
    with_coordinates = np.setdiff1d(tied, np.flatnonzero(address_only))
    only = np.flatnonzero(address_only)
    kinds = np.array(["full", "no_county", "no_number", "village"], dtype=object)
    address = d["address"].to_numpy()
    text[only] = _address_text(rng, address[only], addresses, names, kinds, [0.55, 0.25, 0.10, 0.10])
    text[with_coordinates] = _address_text(
        rng, address[with_coordinates], addresses, names, kinds[:2], [0.7, 0.3]
    )
    untied = np.flatnonzero(address < 0)  # a grid without doorplates: the caller names the village
    text[untied] = [
        names[c[:6]] + names[c[:9]] + names[c[:12]] for c in grid_codes[d["grid"].to_numpy()[untied]]
    ]
    closed = (d["status"] == CLOSED).to_numpy()
    pre = np.isin(d["outcome"].to_numpy(), [Outcome.PRE_LITIGATION_MEDIATED, Outcome.PRE_LITIGATION_FAILED])
    satisfaction = rng.choice(np.array(SATISFACTION_LABELS, dtype=object), len(d), p=[0.82, 0.13, 0.05])
    frame = pd.DataFrame(
        {
            "工单编号": _daily_ids("GD", d["reported_at"]),
            "来电时间": format_time(d["reported_at"], IncidentSource.HOTLINE).to_numpy(),
            "诉求类型": [CATEGORY_LABEL[CATEGORIES[c]] for c in d["category"]],
            "诉求内容": d["description"].to_numpy(),
            "事发地址": text,
            "经度": _blank_where(address_only, np.round(d["x"].to_numpy(), 6)),
            "纬度": _blank_where(address_only, np.round(d["y"].to_numpy(), 6)),
            "办理状态": d["status"].to_numpy(),
            "办结时间": format_time(d["closed_at"], IncidentSource.HOTLINE).to_numpy(),
            "满意度": _blank_where(~closed, satisfaction),
            "处理结果": _labels(d["outcome"], OUTCOME_LABEL),
            "诉前分流": _blank_where(~closed, np.where(pre, "是", "否")),
            "来电人": fake_names(rng, len(d)),
            "联系电话": fake_phones(rng, len(d)),
        }
    )
    return frame, address_only


def miniprogram_rows(rng: np.random.Generator, d: pd.DataFrame) -> pd.DataFrame:
    """Rows of the mini-program export, with positions in GCJ-02; a fifth of the reporters leave no phone."""
    lng, lat = from_wgs84(d["x"].to_numpy(), d["y"].to_numpy(), RAW_CRS[IncidentSource.MINIPROGRAM])
    phones = fake_phones(rng, len(d))
    return pd.DataFrame(
        {
            "report_id": _daily_ids("XCX", d["reported_at"]),
            "submitted_at": format_time(d["reported_at"], IncidentSource.MINIPROGRAM).to_numpy(),
            "type": [CATEGORY_LABEL[CATEGORIES[c]] for c in d["category"]],
            "content": d["description"].to_numpy(),
            "lng": np.round(lng, 6).astype(object),
            "lat": np.round(lat, 6).astype(object),
            "nickname": fake_nicknames(rng, len(d)),
            "phone": _blank_where(rng.random(len(d)) >= 0.8, phones),
            "status": d["status"].to_numpy(),
            "finished_at": format_time(d["closed_at"], IncidentSource.MINIPROGRAM).to_numpy(),
            "result": _labels(d["outcome"], OUTCOME_LABEL),
        }
    )
