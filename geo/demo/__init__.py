"""The demo dataset's front door: a generated Jiuquan that reproduces the seed's figures.

Only the command line and the tests import it; the library and the dashboard never depend on the demo.
"""

from __future__ import annotations

from geo.demo.accounts import DemoAccount, add_demo_accounts
from geo.demo.build import build_demo_store
from geo.demo.check import check_demo_store
from geo.demo.hierarchy import generate_hierarchy
from geo.demo.plan import SEED as DEMO_SEED
from geo.demo.province import province_areas, province_incidents
from geo.demo.province_services import province_services

__all__ = ["DEMO_SEED", "DemoAccount", "add_demo_accounts", "build_demo_store", "check_demo_store",
           "generate_hierarchy", "province_areas", "province_incidents", "province_services"]
