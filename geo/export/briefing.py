"""Briefing exports: a self-contained HTML map of one view and its tables as CSV, packed in one zip.

Stock folium pages load Leaflet, jQuery and Bootstrap from CDNs, which a command centre cannot reach. The
map here needs Leaflet alone, so the page's CDN links are dropped and Leaflet's JS and CSS are written
into the page from the files of the `xstatic-leaflet` package (Leaflet 1.9, BSD-2): the file opens from
a USB stick on a machine with no network.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import folium
import pandas as pd
import shapely
import xstatic.pkg.leaflet
from shapely.geometry import shape

from geo.errors import GeoInputError
from geo.files import csv_text
from geo.schema import WarningLevel

LEAFLET_DIR: Final = Path(xstatic.pkg.leaflet.BASE_DIR)
NO_LEVEL: Final = "none"  # legend key of areas without a warning level
#: A tag that would load something from elsewhere (links a reader may click are fine).
_REMOTE: Final = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE
)


def _inline_leaflet(figure: folium.Figure) -> None:
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    figure.header.add_child(folium.Element(f"<style>{css}</style>"), name="leaflet_css_inline")
    figure.header.add_child(folium.Element(f"<script>{js}</script>"), name="leaflet_js_inline")


def _checked_features(collection: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    if collection.get("type") != "FeatureCollection" or not isinstance(collection.get("features"), list):
        raise GeoInputError(f"briefing {name}: expected a GeoJSON FeatureCollection")
    features = list(collection["features"])
    if name == "areas" and not features:
        raise GeoInputError("briefing areas: the FeatureCollection is empty; a briefing needs areas to draw")
    missing = [i for i, f in enumerate(features) if "code" not in (f.get("properties") or {})]
    if missing:
        raise GeoInputError(f"briefing {name}: feature(s) {missing[:5]} have no 'code' property")
    return features


def _legend(labels: Mapping[str, str], colours: Mapping[str, str], title: str) -> str:
    rows = "".join(
        f'<li><span style="background:{html.escape(colours[key])}"></span>{html.escape(labels[key])}</li>'
        for key in [*(w.value for w in WarningLevel), NO_LEVEL]
        if key in labels and key in colours
    )
    return (
        '<div class="briefing-legend"><strong>' + html.escape(title) + "</strong><ul>" + rows + "</ul></div>"
    )


_PAGE_STYLE: Final = """<style>
html, body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.leaflet-container { background: #eef2f6; }
.briefing-title { position: fixed; top: 12px; left: 60px; z-index: 1000; color: #14304f;
  background: rgba(255,255,255,.95); padding: 10px 16px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(20,48,79,.25); }
.briefing-title h1 { margin: 0; font-size: 20px; }
.briefing-title p { margin: 4px 0 0; font-size: 13px; color: #4b6584; }
.briefing-legend { position: fixed; bottom: 24px; right: 16px; z-index: 1000; color: #14304f; font-size: 13px;
  background: rgba(255,255,255,.95); padding: 10px 14px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(20,48,79,.25); }
.briefing-legend ul { margin: 6px 0 0; padding: 0; list-style: none; }
.briefing-legend li { line-height: 22px; }
.briefing-legend span { display: inline-block; width: 18px; height: 12px; margin-right: 8px;
  vertical-align: middle; border: 1px solid #55657a; }
</style>"""


def briefing_html(
    areas: Mapping[str, Any],
    *,
    levels: Mapping[str, str],
    colours: Mapping[str, str],
    labels: Mapping[str, str],
    title: str,
    subtitle: str,
    legend_title: str,
    outline: Mapping[str, Any] | None = None,
) -> str:
    """A self-contained HTML page with `areas` coloured by warning level, a title and a legend.

    Parameters
    ----------
    areas
        FeatureCollection whose features carry ``code`` and ``name`` properties (EPSG:4490 degrees).
    levels
        code -> red / yellow / blue; areas without one get the ``none`` colour.
    colours, labels
        Fill colour and legend text per warning level and ``none``.
    title, subtitle, legend_title
        Text shown on the page (the subtitle usually says the month and when it was made).
    outline
        Optional FeatureCollection drawn as bold outlines over the areas (the parent area).
    """
    features = _checked_features(areas, "areas")
    unknown = sorted({str(v) for v in levels.values()} - {w.value for w in WarningLevel})
    if unknown:
        allowed = ", ".join(w.value for w in WarningLevel)
        raise GeoInputError(
            f"briefing levels: unknown warning level(s) {', '.join(unknown)}: allowed are {allowed}"
        )
    fallback = colours.get(NO_LEVEL, "#d5dbe3")
    coloured = []
    for feature in features:
        properties = dict(feature["properties"])
        level = levels.get(str(properties["code"]))
        properties["fill"] = colours.get(level, fallback) if level else fallback
        # folium's tooltip writes values as HTML: escape them so a name is shown, never run.
        properties["label"] = html.escape(str(properties.get("name", "")))
        properties["warning"] = html.escape(labels.get(level or NO_LEVEL, ""))
        coloured.append({"type": "Feature", "properties": properties, "geometry": feature["geometry"]})
    west, south, east, north = shapely.total_bounds([shape(f["geometry"]) for f in coloured])

    figure = folium.Figure()
    page = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        tiles=None,
        zoom_start=8,
        control_scale=True,
        prefer_canvas=True,
    )
    page.default_js, page.default_css = [], []  # no CDN links: Leaflet is inlined below
    figure.add_child(page)
    _inline_leaflet(figure)
    figure.header.add_child(folium.Element(_PAGE_STYLE), name="briefing_style")
    folium.GeoJson(
        {"type": "FeatureCollection", "features": coloured},
        name="areas",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.7,
            "color": "#ffffff",
            "weight": 1.2,
        },
        tooltip=folium.GeoJsonTooltip(fields=["label", "warning"], labels=False),
    ).add_to(page)
    if outline is not None and _checked_features(outline, "outline"):
        folium.GeoJson(
            dict(outline),
            name="outline",
            interactive=False,
            style_function=lambda f: {"fill": False, "color": "#14304f", "weight": 3},
        ).add_to(page)
    page.fit_bounds([[south, west], [north, east]], padding=(16, 16))
    banner = f'<div class="briefing-title"><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></div>'
    figure.html.add_child(folium.Element(banner + _legend(labels, colours, legend_title)))
    text = figure.render()
    remote = _REMOTE.search(text)
    if remote:  # a folium upgrade that adds a CDN link must not go unnoticed
        raise RuntimeError(
            f"briefing page still links outside the file: {text[remote.start() : remote.end() + 60]}"
        )
    return text


def briefing_archive(
    page: str, tables: Mapping[str, pd.DataFrame], *, page_name: str = "briefing.html"
) -> bytes:
    """A zip with the HTML page and each table as ``<name>.csv`` (UTF-8 with a byte order mark, so Excel
    reads the Chinese text; text cells that would run as formulas are neutralised, see geo.files)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(page_name, page)
        for name, table in tables.items():
            if not re.fullmatch(r"[\w.-]{1,64}", name):
                raise GeoInputError(f"briefing table name {name!r}: use letters, digits, '.', '_' or '-'")
            archive.writestr(f"{name}.csv", csv_text(table).encode("utf-8-sig"))
    return buffer.getvalue()
