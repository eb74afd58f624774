"""One module per dashboard page; each exposes `layout(...)` built from plain data."""
