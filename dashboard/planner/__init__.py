"""The planners' workbench at /planner: edit one area's grid boundaries, validate, preview, save."""
