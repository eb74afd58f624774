"""What each page and callback needs, declared where it is registered.

A page declares its need (`NEED` in its page module) and every callback it registers needs the same;
the app's own callbacks (the router, the stale banner) declare that any signed-in viewer may call them,
and the router checks the page's need itself. A callback nobody declared is refused (403): the guard
fails closed, and tests/test_access_matrix.py fails on one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import dash

from dashboard.data.accounts import Viewer
from geo.api import Right


@dataclass(frozen=True)
class Need:
    """A right (None: any signed-in viewer), and whether the page shows the whole city, so that only a
    viewer whose scope is the whole city may open it (the wall, mediation coverage, service routes)."""

    right: Right | None
    city_wide: bool = False

    def met_by(self, viewer: Viewer) -> bool:
        if self.right is not None and not viewer.may(self.right):
            return False
        return viewer.city_wide or not self.city_wide

    def __str__(self) -> str:
        right = self.right.value if self.right else "any viewer"
        return right + (" (whole city)" if self.city_wide else "")


ANY_VIEWER: Final = Need(None)


class CallbackRights:
    """Callback output key (as Dash's callback map and a callback request name it) -> what it needs."""

    def __init__(self) -> None:
        self._needs: dict[str, Need] = {}

    def declare(self, app: dash.Dash, need: Need, register: Callable[[], None]) -> None:
        """Run `register` (which adds callbacks to `app`) and declare that each callback it added needs
        `need`."""
        before = set(app.callback_map)
        register()
        for output in set(app.callback_map) - before:
            self._needs[output] = need

    def need_of(self, output: str) -> Need | None:
        """What the callback with `output` needs; None when it was never declared."""
        return self._needs.get(output)

    def undeclared(self, app: dash.Dash) -> list[str]:
        return sorted(set(app.callback_map) - set(self._needs))

    def declared(self) -> dict[str, Need]:
        return dict(self._needs)
