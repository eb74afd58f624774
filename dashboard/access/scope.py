"""The providers each request's pages are given: cut to the viewer's scope.

Pages read everything through their providers, so handing them providers cut to the viewer's area
(`Providers.scoped`) keeps every area outside it off the page without a check in each view. Outside a
request (the start-up's first views, the background preparation) and for viewers of the whole city, the
providers are the app's own.
"""

from __future__ import annotations

import threading
from typing import Any

from dashboard.access.sessions import current_viewer
from dashboard.data import Providers


class ViewerProviders:
    """Looks like `Providers`; each attribute is read from the providers of the current viewer's scope."""

    def __init__(self, base: Providers) -> None:
        self._base = base
        self._lock = threading.Lock()
        self._by_scope: dict[str, Providers] = {}

    def current(self) -> Providers:
        viewer = current_viewer()
        if viewer is None or viewer.city_wide:
            return self._base
        with self._lock:
            if viewer.scope not in self._by_scope:
                self._by_scope[viewer.scope] = self._base.scoped(viewer.scope)
            return self._by_scope[viewer.scope]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.current(), name)
