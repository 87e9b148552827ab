"""Loads Troika's test fixtures for the tests under tests/ and in addons' tests/ folders."""

pytest_plugins = ["tests.fixtures"]
