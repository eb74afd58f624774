"""The command-centre wall (/wall): ids, state (the URL's query), pure views, layout, callbacks, the heat
image and the kiosk's HTTP routes; page.py is what the app's router mounts."""
