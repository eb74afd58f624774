"""The per-client token bucket, on a clock the test moves."""

from __future__ import annotations

from dashboard.open311.limits import RateLimiter


def test_a_client_bursts_then_keeps_to_its_rate_and_others_are_not_held() -> None:
    now = [100.0]
    limiter = RateLimiter(2.0, 3, clock=lambda: now[0])
    assert [limiter.wait_needed("app") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.wait_needed("app") == 0.5  # one token comes back every half second
    assert limiter.wait_needed("hotline") == 0.0
    now[0] += 0.5
    assert limiter.wait_needed("app") == 0.0
    assert limiter.wait_needed("app") > 0
