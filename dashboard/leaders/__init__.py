"""The leaders' map (/): drill-down from the city to a grid, warning colours, incident layers and the panel
that explains an area's colour; page.py is what the app's router mounts."""
