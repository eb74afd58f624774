"""Deterministic fakes for the demo: random streams, weighted draws, person names, phones and nicknames.

Every person in the demo is invented: names are drawn from common surnames and given-name characters
(Mongolian names in 肃北, Kazakh names in 阿克塞, as transliterated in Chinese), phone numbers from
mobile prefixes with random digits. Any likeness to a real person is chance.
"""

from __future__ import annotations

import zlib
from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: A seed as every demo generator takes it: an int (each generator then draws from its own stream,
#: so the order of calls does not matter) or a numpy Generator used as given.
Seed = int | np.random.Generator

NameStyle = Literal["han", "mongol", "kazakh"]

_SURNAMES: Final = tuple(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹易常武乔贺"
)
_GIVEN: Final = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宁春梅海燕雪慧鹏飞鑫宇浩然"
    "佳欣怡晨子涵思雨博瑞俊凯嘉琪晓东福贵德成永祥兴旺荣庆学忠有生"
)
_MONGOL: Final = tuple(  # a word list reads best as one string
    "巴特尔 其木格 额尔敦 乌云 那仁 格日勒 苏和 孟克 斯琴 图雅 宝音 达来 乌兰 "  # noqa: SIM905
    "朝鲁 阿拉坦 敖登 满都拉 吉日嘎拉 萨仁 呼和 布和 娜布其".split()
)
_KAZAKH: Final = tuple(  # a word list reads best as one string
    "阿依古丽 努尔兰 叶尔兰 加娜尔 别克 哈力木 木拉提 阿斯哈尔 古丽娜尔 赛力克 "  # noqa: SIM905
    "达吾列提 热依拉 叶尔波拉提 巴合提 哈布力 阿曼 胡安 玛依拉".split()
)
_MOBILE_PREFIXES: Final = tuple(  # a word list reads best as one string
    "130 131 133 135 136 137 138 139 150 151 153 155 "  # noqa: SIM905
    "157 158 159 177 180 181 182 186 187 189 191 199".split()
)
_NICK_HEADS: Final = tuple("快乐的 安静的 路过的 热心的 平凡的 勇敢的 小 老 大".split())  # noqa: SIM905
_NICK_TAILS: Final = tuple("小鱼 清风 向日葵 胡杨 骆驼 月亮 沙枣 星星 居民 邻居 石头".split())  # noqa: SIM905
_NICK_FIXED: Final = tuple("平安是福 酒泉人 Sunny 阳光 静待花开 追风 一路向西 a小雨 Leo".split())  # noqa: SIM905
#: Counties where part of the people have Mongolian or Kazakh names, with the style and that share.
_LOCAL_STYLES: Final[dict[str, tuple[NameStyle, float]]] = {
    "620923": ("mongol", 0.7),
    "620924": ("kazakh", 0.6),
}


def as_rng(seed: Seed, stream: str) -> np.random.Generator:
    """A generator for one named purpose: an int seed gives each stream its own independent sequence."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng([int(seed), zlib.crc32(stream.encode("utf-8"))])


def weighted_sample(rng: np.random.Generator, weights: ArrayLike, count: int) -> NDArray[np.intp]:
    """`count` distinct indices in ascending order, drawn without replacement with probability proportional
    to weight (exponential keys, Efraimidis-Spirakis); indices of zero weight are drawn last."""
    weights = np.asarray(weights, dtype=np.float64)
    keys = np.full(len(weights), -np.inf)
    positive = weights > 0
    keys[positive] = np.log(1.0 - rng.random(int(positive.sum()))) / weights[positive]
    return np.sort(np.argsort(-keys, kind="stable")[:count])


def fake_names(rng: np.random.Generator, count: int, style: NameStyle = "han") -> np.ndarray:
    """`count` invented person names (object array of str)."""
    if style == "mongol":
        return np.asarray(_MONGOL, dtype=object)[rng.integers(0, len(_MONGOL), count)]
    if style == "kazakh":
        return np.asarray(_KAZAKH, dtype=object)[rng.integers(0, len(_KAZAKH), count)]
    surnames = np.asarray(_SURNAMES, dtype=object)[
        np.minimum(rng.geometric(0.04, count) - 1, len(_SURNAMES) - 1)
    ]
    first = np.asarray(_GIVEN, dtype=object)[rng.integers(0, len(_GIVEN), count)]
    second = np.asarray(_GIVEN, dtype=object)[rng.integers(0, len(_GIVEN), count)]
    two_character = rng.random(count) < 0.65
    return surnames + np.where(two_character, first + second, first)


def fake_phones(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` invented 11-digit mobile numbers (object array of str)."""
    prefixes = np.asarray(_MOBILE_PREFIXES, dtype=object)[rng.integers(0, len(_MOBILE_PREFIXES), count)]
    digits = rng.integers(0, 100_000_000, count)
    return prefixes + np.char.zfill(digits.astype(str), 8).astype(object)


def fake_nicknames(rng: np.random.Generator, count: int) -> np.ndarray:
    """WeChat-style nicknames: a few fixed favourites, the rest built from two parts."""
    built = (
        np.asarray(_NICK_HEADS, dtype=object)[rng.integers(0, len(_NICK_HEADS), count)]
        + np.asarray(_NICK_TAILS, dtype=object)[rng.integers(0, len(_NICK_TAILS), count)]
    )
    fixed = np.asarray(_NICK_FIXED, dtype=object)[rng.integers(0, len(_NICK_FIXED), count)]
    return np.where(rng.random(count) < 0.3, fixed, built)


def local_people(
    rng: np.random.Generator, county_codes: NDArray[np.str_]
) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """Names and phones of people living in the given counties (Mongolian or Kazakh names for part of
    肃北's and 阿克塞's people)."""
    names = fake_names(rng, len(county_codes))
    for county, (style, share) in _LOCAL_STYLES.items():
        local = np.flatnonzero((county_codes == county) & (rng.random(len(county_codes)) < share))
        names[local] = fake_names(rng, len(local), style)
    return names, fake_phones(rng, len(county_codes))
