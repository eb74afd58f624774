"""The two looks of the dashboard's shared pieces: "light" for the leaders' map on a desk, "dark" for the
command-centre wall seen from across a room. A piece takes `theme=` and keeps one shape for both."""

from __future__ import annotations

from typing import Final, Literal

Theme = Literal["light", "dark"]

#: Font stacks with the CJK faces first; the wall names more of them because kiosks vary.
FONT_FAMILY: Final[dict[Theme, str]] = {
    "light": "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif",
    "dark": '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif',
}
