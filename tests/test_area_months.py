"""Reading stored times into local months."""

from __future__ import annotations

import pandas as pd

from geo.analysis.area_months import as_local_times


def test_times_that_mix_zones_with_wall_clock_ones_are_each_read_in_their_own_zone() -> None:
    """A store half-way through an upgrade holds UTC times beside Beijing wall-clock ones; pandas alone
    refuses the mix ("Mixed timezones detected")."""
    text = pd.Series(["2026-10-31T16:30:00Z", "2026-11-01 00:10:00", "2026-11-01T09:00:00+09:00", None, "x"])
    local = as_local_times(text)
    assert list(local[:3]) == [pd.Timestamp("2026-11-01 00:30"), pd.Timestamp("2026-11-01 00:10"),
                               pd.Timestamp("2026-11-01 08:00")]
    assert local[3:].isna().all()
