"""Shared test setup: offline, no telemetry, and a fresh store folder for every test."""

import pytest


@pytest.fixture(autouse=True)
def _offline_store(tmp_path, monkeypatch):
    """Keep every test offline and point the store at the test's own tmp folder."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    monkeypatch.setenv("CASEGRAPH_STORE", str(tmp_path / ".casegraph"))
