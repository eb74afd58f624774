"""The dashboard served from a PostGIS store, unchanged: the same pages, the same colours and the same wall
as from the GeoPackage it was copied from, and a write to the database reaches them without a restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures.accounts import sign_in
from fixtures.demo_copy import demo_store_in

from dashboard.app import create_app, stop_background_work
from dashboard.data import Providers
from dashboard.settings import Settings
from geo.api import Layer, migrate_store, open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_store_in(tmp_path_factory.mktemp("serve-postgis"))


def test_pages_colours_and_the_wall_from_postgis_equal_those_from_the_geopackage(
    demo: Path, postgis_url: Callable[[], str], tmp_path: Path
) -> None:
    url = postgis_url()
    migrate_store(open_store(demo), open_store(url))
    settings = Settings.from_env({}, store=url, cache_dir=tmp_path / "cache")
    assert settings.store == url  # a URL stays text
    app = create_app(settings)
    try:
        client = sign_in(app.server.test_client(), "admin")
        for page in ("/", "/wall", "/coverage", "/routes"):
            assert client.get(page).status_code == 200, page
        served = app.server.extensions["pingan.providers"]
        local = Providers.from_settings(Settings.from_env({}, store=demo, cache_dir=tmp_path / "local"))
        month = local.indicators.data().scores["month"].max()
        for level in ("county", "township", "grid"):
            assert served.indicators.colours(month, level) == local.indicators.colours(month, level), level
        assert served.wall.digest().scopes.keys() == local.wall.digest().scopes.keys()
        city = served.wall.digest().city.code
        before = served.wall.digest().scopes[city].kpis

        incidents = open_store(url).read(Layer.INCIDENTS)
        newest = incidents.nlargest(2, "reported_at")  # in the wall's month
        extra = newest.assign(source_id=["PG1", "PG2"], incident_id=["PG1", "PG2"])
        open_store(url).write({Layer.INCIDENTS.value: extra}, mode="append")
        after = served.wall.digest().scopes[city].kpis
        assert after.incidents == before.incidents + 2  # counted at the next look, no restart
    finally:
        stop_background_work(app.server)
