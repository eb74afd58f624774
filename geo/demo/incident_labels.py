"""How each intake channel writes a dispute: the Chinese labels, the file columns, file names and CRSs.

The demo's raw files use these tables when they are written, and the ingest profiles read the same
labels back (geo/config/sources/_labels.toml).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from geo.schema import IncidentCategory, IncidentSource, IncidentStatus, Outcome

CATEGORY_LABELS: Final[Mapping[str, IncidentCategory]] = MappingProxyType(
    {
        "邻里纠纷": IncidentCategory.NEIGHBOUR,
        "婚姻家庭纠纷": IncidentCategory.MARRIAGE_FAMILY,
        "经营纠纷": IncidentCategory.BUSINESS,
        "物业纠纷": IncidentCategory.PROPERTY_MANAGEMENT,
        "土地纠纷": IncidentCategory.LAND,
        "劳资纠纷": IncidentCategory.LABOUR_WAGES,
        "交通事故纠纷": IncidentCategory.TRAFFIC,
        "其他纠纷": IncidentCategory.OTHER,
    }
)
OUTCOME_LABELS: Final[Mapping[str, Outcome]] = MappingProxyType(
    {
        "调解成功": Outcome.MEDIATED,
        "调解不成": Outcome.MEDIATION_FAILED,
        "诉前调解成功": Outcome.PRE_LITIGATION_MEDIATED,
        "诉前调解不成": Outcome.PRE_LITIGATION_FAILED,
        "诉讼": Outcome.LITIGATED,
        "咨询答复": Outcome.ADVISED,
    }
)
STATUS_LABELS: Final[Mapping[str, IncidentStatus]] = MappingProxyType(
    {"待受理": IncidentStatus.OPEN, "处理中": IncidentStatus.IN_PROGRESS, "已办结": IncidentStatus.CLOSED}
)
DIVERSION_LABELS: Final[Mapping[str, bool]] = MappingProxyType({"是": True, "否": False})
SATISFACTION_LABELS: Final = ("满意", "基本满意", "不满意")

#: The labels the generators write, by schema value.
CATEGORY_LABEL: Final = {c: label for label, c in CATEGORY_LABELS.items()}
OUTCOME_LABEL: Final = {o: label for label, o in OUTCOME_LABELS.items()}
CLOSED, IN_PROGRESS, OPEN = "已办结", "处理中", "待受理"

APP_COLUMNS: Final = (
    "event_id",
    "reported_at",
    "category",
    "severity",
    "serious",
    "repeat_petition",
    "description",
    "reporter_name",
    "reporter_phone",
    "lon",
    "lat",
    "status",
    "closed_at",
    "outcome",
    "pre_litigation",
)
HOTLINE_COLUMNS: Final = (
    "工单编号",
    "来电时间",
    "诉求类型",
    "诉求内容",
    "事发地址",
    "经度",
    "纬度",
    "办理状态",
    "办结时间",
    "满意度",
    "处理结果",
    "诉前分流",
    "来电人",
    "联系电话",
)
MINIPROGRAM_COLUMNS: Final = (
    "report_id",
    "submitted_at",
    "type",
    "content",
    "lng",
    "lat",
    "nickname",
    "phone",
    "status",
    "finished_at",
    "result",
)
RAW_FILE_NAMES: Final[Mapping[IncidentSource, str]] = MappingProxyType(
    {
        IncidentSource.APP: "app.csv",
        IncidentSource.HOTLINE: "hotline.xlsx",
        IncidentSource.MINIPROGRAM: "miniprogram.csv",
    }
)
#: The CRS each channel's coordinates are in (names of geo.crs.CRS_NAMES).
RAW_CRS: Final[Mapping[IncidentSource, str]] = MappingProxyType(
    {IncidentSource.APP: "wgs84", IncidentSource.HOTLINE: "cgcs2000", IncidentSource.MINIPROGRAM: "gcj02"}
)
#: Raw columns holding personal data, and the geo.schema.PERSONAL_FIELDS name each one becomes.
RAW_PERSONAL_COLUMNS: Final[Mapping[IncidentSource, Mapping[str, str]]] = MappingProxyType(
    {
        IncidentSource.APP: MappingProxyType(
            {
                "description": "description",
                "reporter_name": "reporter_name",
                "reporter_phone": "reporter_phone",
            }
        ),
        IncidentSource.HOTLINE: MappingProxyType(
            {
                "诉求内容": "description",
                "事发地址": "address",
                "来电人": "reporter_name",
                "联系电话": "reporter_phone",
            }
        ),
        IncidentSource.MINIPROGRAM: MappingProxyType(
            {"content": "description", "nickname": "reporter_name", "phone": "reporter_phone"}
        ),
    }
)
#: (id, status, outcome) columns per channel.
KEY_COLUMNS: Final = {
    IncidentSource.APP: ("event_id", "status", "outcome"),
    IncidentSource.HOTLINE: ("工单编号", "办理状态", "处理结果"),
    IncidentSource.MINIPROGRAM: ("report_id", "status", "result"),
}
#: (longitude, latitude) columns per channel.
COORDINATE_COLUMNS: Final = {
    IncidentSource.APP: ("lon", "lat"),
    IncidentSource.HOTLINE: ("经度", "纬度"),
    IncidentSource.MINIPROGRAM: ("lng", "lat"),
}
#: The report time column per channel.
TIME_COLUMN: Final = {
    IncidentSource.APP: "reported_at",
    IncidentSource.HOTLINE: "来电时间",
    IncidentSource.MINIPROGRAM: "submitted_at",
}
#: The category column per channel.
CATEGORY_COLUMN: Final = {
    IncidentSource.APP: "category",
    IncidentSource.HOTLINE: "诉求类型",
    IncidentSource.MINIPROGRAM: "type",
}
