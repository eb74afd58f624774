"""Element ids of the planner page."""

from __future__ import annotations

from enum import StrEnum


class Ids(StrEnum):
    URL = "planner-url"
    TOKEN = "planner-token"
    SELECTED = "planner-selected"
    PARENT = "planner-parent"
    TOOL = "planner-tool"
    MODE = "planner-mode"
    APPLY = "planner-apply"
    UNDO = "planner-undo"
    CLEAR = "planner-clear"
    MESSAGE = "planner-message"
    PRIMER = "planner-primer"  # a tiny map whose EditControl loads Leaflet.draw before the real one
    PRIMER_EDIT = "planner-primer-edit"
    MAP = "planner-map"
    GRIDS = "planner-grids"
    PROBLEMS = "planner-problems"
    DRAW_GROUP = "planner-draw-group"
    EDIT = "planner-edit"
    GRID_TABLE = "planner-grid-table"
    PROBLEM_LIST = "planner-problem-list"
    IMPACT = "planner-impact"
    EFFECTIVE = "planner-effective"
    AUTHOR = "planner-author"
    REASON = "planner-reason"
    SAVE = "planner-save"
    SAVE_MESSAGE = "planner-save-message"
    EXPORT = "planner-export"
    DOWNLOAD = "planner-download"
    HISTORY = "planner-history"
    VERSION = "planner-version"
    DIFF = "planner-diff"
    ROLLBACK = "planner-rollback"
    DIFF_TABLE = "planner-diff-table"
    DIFF_LAYER = "planner-diff-layer"  # the earlier version's grids that differ, outlined on the map
