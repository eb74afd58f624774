"""Package boundaries, read from the source with `ast`: geo/ is a library that knows nothing of screens,
and dashboard/ reaches geo/ only through its front door, geo.api."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Top-level packages that geo/ must never import (submodules included).
FORBIDDEN_IN_GEO = frozenset({"dash", "flask", "plotly", "dashboard", "pingan_cli"})
#: Families of packages built on the ones above (dash_leaflet, flask_caching, ...).
FORBIDDEN_PREFIXES_IN_GEO = ("dash_", "flask_")
GEO_FRONT_DOOR = "geo.api"


@dataclass(frozen=True)
class ImportRef:
    """One imported module name and where it appears."""

    path: str
    line: int
    module: str  # absolute: "geo.crs" for `from geo import crs`, "geo.crs.x" for `from geo.crs import x`
    statement: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.statement}"


def _package_of(path: Path) -> str:
    """Dotted package that a file lives in, for resolving relative imports."""
    return ".".join(path.resolve().relative_to(ROOT).parts[:-1])


def _resolve(package: str, level: int, module: str | None) -> str:
    if level == 0:
        return module or ""
    base = package.split(".") if package else []
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, *([module] if module else [])])


def imports_in_source(source: str, *, path: str = "<snippet>", package: str = "") -> list[ImportRef]:
    """Every module a source file imports. `from X import name` is reported as X.name, since name may be
    a submodule; `importlib.import_module("X")` and `__import__("X")` with a literal count too."""
    found: list[ImportRef] = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            statement = _text_of(source, node)
            found += [ImportRef(path, node.lineno, alias.name, statement) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base, statement = _resolve(package, node.level, node.module), _text_of(source, node)
            found += [ImportRef(path, node.lineno, f"{base}.{alias.name}", statement) for alias in node.names]
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            first = node.args[0]
            assert isinstance(first, ast.Constant)
            found.append(ImportRef(path, node.lineno, str(first.value), _text_of(source, node)))
    return found


def _text_of(source: str, node: ast.AST) -> str:
    return " ".join((ast.get_source_segment(source, node) or "").split())


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    named = (isinstance(func, ast.Name) and func.id == "__import__") or (
        isinstance(func, ast.Attribute) and func.attr == "import_module"
    )
    return (
        named
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def geo_violations(refs: list[ImportRef]) -> list[ImportRef]:
    """Imports that a geo/ module must not make: UI frameworks and the packages above geo."""
    bad = []
    for ref in refs:
        top = ref.module.split(".")[0]
        if top in FORBIDDEN_IN_GEO or top.startswith(FORBIDDEN_PREFIXES_IN_GEO):
            bad.append(ref)
    return bad


def dashboard_violations(refs: list[ImportRef]) -> list[ImportRef]:
    """Imports that go around geo.api: any geo module but the front door, and bare `import geo`,
    which would let code reach geo.crs and the rest as attributes."""
    return [
        ref
        for ref in refs
        if ref.module.split(".")[0] == "geo"
        and ref.module != GEO_FRONT_DOOR
        and not ref.module.startswith(GEO_FRONT_DOOR + ".")
    ]


def _scan(folder: str) -> tuple[list[Path], list[ImportRef]]:
    files = sorted((ROOT / folder).rglob("*.py"))
    refs: list[ImportRef] = []
    for file in files:
        shown = str(file.relative_to(ROOT))
        refs += imports_in_source(file.read_text(encoding="utf-8"), path=shown, package=_package_of(file))
    return files, refs


def _report(bad: list[ImportRef], rule: str) -> str:
    lines = dict.fromkeys(f"  {ref}" for ref in bad)  # `from dash import html, dcc` is one line, not two
    return f"{rule}:\n" + "\n".join(lines)


# ---------------------------------------------------------------- the rules on the real tree


def test_geo_never_imports_ui_frameworks_or_the_packages_above_it() -> None:
    files, refs = _scan("geo")
    assert len(files) > 0, "found no .py files under geo/"
    assert ROOT / "geo" / "crs.py" in files
    bad = geo_violations(refs)
    assert not bad, _report(bad, "geo/ must not import dash, flask, plotly, dashboard or pingan_cli")


def test_dashboard_reaches_geo_only_through_geo_api() -> None:
    _, refs = _scan("dashboard")
    bad = dashboard_violations(refs)
    assert not bad, _report(bad, "dashboard/ may import geo only as `geo.api` / `from geo import api`")


#: geo/'s capability groups and the groups each may import; the top-level modules (api aside) are the base
#: every group may use. analysis works on stored tables and never reads source files; only the front door
#: sees every group; planning (the planners' workbench: impact and saves of candidate layouts) joins and
#: scores boundaries' candidates with intake's join and analysis' index; the demo builds on all of them
#: (its accounts included) and nothing but the CLI and the tests imports it; open311 (the GeoReport v2
#: documents, listing and POST intake) makes POSTed requests cases through intake's pipeline and keeps its
#: clients' keys on accounts' key ring; batch (archives and work over their partitions on Dask) runs
#: intake's join and analysis' index and coverage per partition; accounts (users, roles, machine keys,
#: masking, audit) needs only the store.
GEO_BASE = frozenset({"schema", "errors", "crs", "files", "store", "config"})
GEO_GROUP_IMPORTS: dict[str, frozenset[str]] = {
    "store": frozenset(),
    "boundaries": frozenset(),
    "intake": frozenset(),
    "analysis": frozenset(),
    "export": frozenset({"analysis"}),
    "routes": frozenset({"export"}),
    "planning": frozenset({"boundaries", "intake", "analysis"}),
    "demo": frozenset({"boundaries", "intake", "analysis", "export", "accounts"}),
    "open311": frozenset({"intake", "accounts"}),
    "batch": frozenset({"intake", "analysis"}),
    "accounts": frozenset(),
}
MAX_GEO_TOP_LEVEL_MODULES = 8


def _geo_group(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "geo" else None


def layering_violations(refs: list[ImportRef]) -> list[ImportRef]:
    """Imports between geo/'s groups that the table above does not allow."""
    bad = []
    for ref in refs:
        source = _geo_group(ref.path.removesuffix(".py").replace("/", "."))
        target = _geo_group(ref.module)
        if source is None or target is None or target == source or target in GEO_BASE:
            continue
        if source == "api":
            if target == "demo":
                bad.append(ref)
            continue
        if target not in GEO_GROUP_IMPORTS.get(source, frozenset()):
            bad.append(ref)
    return bad


def test_geo_groups_import_only_what_their_layer_allows() -> None:
    _, refs = _scan("geo")
    bad = layering_violations(refs)
    assert not bad, _report(bad, "a geo/ group imports a group it must not (see GEO_GROUP_IMPORTS)")


def test_only_the_cli_and_tests_import_the_demo() -> None:
    _, refs = _scan("dashboard")
    _, geo_refs = _scan("geo")
    refs += [ref for ref in geo_refs if not ref.path.startswith("geo/demo/")]
    bad = [ref for ref in refs if ref.module == "geo.demo" or ref.module.startswith("geo.demo.")]
    assert not bad, _report(bad, "only pingan_cli/ and tests/ may import geo.demo")


def test_geo_keeps_few_top_level_modules() -> None:
    modules = sorted(p.name for p in (ROOT / "geo").glob("*.py") if p.name != "__init__.py")
    assert len(modules) <= MAX_GEO_TOP_LEVEL_MODULES, f"geo/ has {len(modules)} top-level modules: {modules}"


@pytest.mark.parametrize(
    ("path", "snippet"),
    [
        ("geo/analysis/x.py", "from geo.intake.readers import read_raw_table"),
        ("geo/intake/x.py", "from geo.export.mapdata import area_geojson"),
        ("geo/api.py", "from geo.demo import build_demo_store"),
        ("geo/boundaries/x.py", "from geo.analysis import heat"),
    ],
)
def test_layering_checker_catches_imports_across_layers(path: str, snippet: str) -> None:
    package = ".".join(path.split("/")[:-1])
    assert layering_violations(imports_in_source(snippet, path=path, package=package))


def test_layering_checker_allows_the_base_and_own_group() -> None:
    source = "from geo.schema import Col\nfrom geo.store import Store\nfrom geo.analysis.heat import x\n"
    refs = imports_in_source(source, path="geo/analysis/y.py", package="geo.analysis")
    assert layering_violations(refs) == []


#: Files every page package has (dashboard/README.md).
PAGE_MODULES = ("ids.py", "state.py", "views.py", "layout.py", "callbacks.py", "page.py")
#: Store and geometry work belongs to geo/: page packages and shared components never import these.
FORBIDDEN_IN_PAGES = frozenset(
    {"shapely", "geopandas", "pyogrio", "fiona", "sqlite3", "sqlalchemy", "psycopg"}
)


def _page_packages() -> list[Path]:
    return sorted(path.parent for path in (ROOT / "dashboard").glob("*/page.py"))


def test_pages_are_feature_packages_not_modules_under_pages() -> None:
    assert not (ROOT / "dashboard" / "pages").exists(), "dashboard/pages/ is gone: a page is a package"
    packages = _page_packages()
    assert {path.name for path in packages} >= {"leaders", "wall"}
    missing = [f"dashboard/{path.name}/{name}" for path in packages for name in PAGE_MODULES
               if not (path / name).is_file()]
    assert not missing, f"every page package has {', '.join(PAGE_MODULES)}; missing: {', '.join(missing)}"


def test_every_page_package_is_mounted() -> None:
    from dashboard.app import PAGES

    mounted = {module.__name__ for module in PAGES.values()}
    assert mounted == {f"dashboard.{path.name}.page" for path in _page_packages()}


def test_pages_and_components_leave_stores_and_geometry_to_geo() -> None:
    refs = [ref for folder in [*(f"dashboard/{p.name}" for p in _page_packages()), "dashboard/components"]
            for ref in _scan(folder)[1]]
    bad = [ref for ref in refs if ref.module.split(".")[0] in FORBIDDEN_IN_PAGES]
    assert not bad, _report(bad, "page packages and dashboard/components/ read data only from providers")


# ---------------------------------------------------------------- the checker itself


@pytest.mark.parametrize(
    "snippet",
    [
        "import dash",
        "from dash import html, dcc",
        "import plotly.express as px",
        "from plotly.graph_objects import Figure",
        "import flask",
        "import dash_leaflet as dl",
        "from dashboard.data import load",
        "import pingan_cli.main",
        "def f():\n    import plotly\n",
        "import importlib\nimportlib.import_module('dash')",
    ],
)
def test_checker_catches_forbidden_imports_in_geo(snippet: str) -> None:
    bad = geo_violations(imports_in_source(snippet, path="geo/example.py", package="geo"))
    assert bad
    assert str(bad[0]).startswith("geo/example.py:")


@pytest.mark.parametrize(
    "snippet",
    [
        "import numpy as np",
        "from geo.crs import to_wgs84",
        "from . import crs",
        "import folium",
        "import dashing",
    ],
)
def test_checker_allows_library_imports_in_geo(snippet: str) -> None:
    assert geo_violations(imports_in_source(snippet, path="geo/example.py", package="geo")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "import geo.crs",
        "from geo.crs import to_wgs84",
        "from geo import crs",
        "from geo import api, store",
        "import geo",
        "from geo.schema import Col",
        "__import__('geo.store')",
    ],
)
def test_checker_catches_dashboard_imports_around_geo_api(snippet: str) -> None:
    assert dashboard_violations(imports_in_source(snippet, path="dashboard/x.py", package="dashboard"))


@pytest.mark.parametrize(
    "snippet",
    [
        "import geo.api",
        "import geo.api as api",
        "from geo import api",
        "from geo.api import Col, to_wgs84",
        "from .data import cached",
        "import dash",
        "import geopandas",
    ],
)
def test_checker_allows_the_front_door_in_dashboard(snippet: str) -> None:
    assert dashboard_violations(imports_in_source(snippet, path="dashboard/x.py", package="dashboard")) == []


def test_violation_message_names_the_file_line_and_import() -> None:
    source = "import numpy\n\nfrom plotly import express as px\n"
    (bad,) = {
        str(ref) for ref in geo_violations(imports_in_source(source, path="geo/heat.py", package="geo"))
    }
    assert bad == "geo/heat.py:3: from plotly import express as px"


def test_relative_imports_resolve_against_the_file_package() -> None:
    refs = imports_in_source(
        "from ..geo import crs", path="dashboard/pages/map.py", package="dashboard.pages"
    )
    assert "dashboard.geo.crs" in {ref.module for ref in refs}
    refs = imports_in_source("from .. import store", path="geo/sub/x.py", package="geo.sub")
    assert "geo.store" in {ref.module for ref in refs}


def test_the_dashboard_does_no_geometry_and_no_sql() -> None:
    """dashboard/data/ reads the store through its typed calls and gets GeoJSON from geo."""
    _, refs = _scan("dashboard")
    bad = [ref for ref in refs if ref.module.split(".")[0] in {"shapely", "pyogrio", "sqlite3", "psycopg"}]
    assert not bad, _report(bad, "dashboard/ leaves geometry and SQL to geo/")
    sql = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "dashboard").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "where=" in line or " IS NULL" in line or "SELECT " in line
    ]
    assert not sql, f"SQL text in dashboard/: {', '.join(sql)}"

