"""The dashboard's only door to `geo`: modules here read the store through `geo.api` and hand pages plain
data, cached per store state."""

from dashboard.data.indicators import IndicatorData, Indicators
from dashboard.data.maps import AreaLayer, AreaMaps, AreaOverview
from geo.api import Level, StoreError

__all__ = ["AreaLayer", "AreaMaps", "AreaOverview", "IndicatorData", "Indicators", "Level", "StoreError"]
