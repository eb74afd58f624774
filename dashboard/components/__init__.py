"""Pieces shared by pages: the warning-coloured area layer and its legend, KPI tiles and trend charts."""
