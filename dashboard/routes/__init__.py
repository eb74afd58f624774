"""The routes page: service-team trips to the herders' camps (see page.py)."""
