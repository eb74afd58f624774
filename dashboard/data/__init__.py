"""The dashboard's only door to `geo`: modules here read the store through `geo.api` and hand pages plain
data, cached per store state."""

from dashboard.data.indicators import AreaKpis, IndicatorData, Indicators
from dashboard.data.leaders import IncidentFilter, IncidentLayers
from dashboard.data.maps import AreaFiles, AreaLayer, AreaMaps, AreaNode, AreaOverview, AreaTree
from dashboard.data.providers import Providers
from geo.api import Level, StoreError

__all__ = [
    "AreaFiles",
    "AreaKpis",
    "AreaLayer",
    "AreaMaps",
    "AreaNode",
    "AreaOverview",
    "AreaTree",
    "IncidentFilter",
    "IncidentLayers",
    "IndicatorData",
    "Indicators",
    "Level",
    "Providers",
    "StoreError",
]
