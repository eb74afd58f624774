"""A signed-in browser for benchmarks that load pages: an account of the run's own in the benchmark's copy
of the store, and the sign-in through the form before anything is timed."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.api import add_user, city_code_of, open_store, read_users, set_password

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

USER = "bench-viewer"


def bench_account(store: Path) -> tuple[str, str]:
    """A leader of the whole city with a fresh password in `store` (a benchmark's own copy)."""
    opened = open_store(store)
    password = secrets.token_urlsafe(12)
    if USER in set(read_users(opened)["user_id"]):
        set_password(opened, USER, password)
    else:
        counties = opened.read_areas(levels=["county"])["code"]
        add_user(opened, USER, password, role="leader", area_scope=city_code_of(str(counties.iloc[0])))
    return USER, password


def sign_in(context: BrowserContext, url: str, account: tuple[str, str]) -> None:
    """Sign the browser context in at `url` as a person would, through the form (the session cookie is
    then the context's)."""
    context.request.get(f"{url}/login")
    token = next(c["value"] for c in context.cookies(url) if c["name"] == "_csrf_token")
    answer: Any = context.request.post(f"{url}/login", max_redirects=0, form={
        "user": account[0], "password": account[1], "_csrf_token": token})
    if answer.status != 302:
        raise RuntimeError(f"sign-in at {url} answered {answer.status}")
