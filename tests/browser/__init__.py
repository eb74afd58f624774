"""Tests that drive the dashboard in headless Chromium (see conftest.py for the harness)."""
