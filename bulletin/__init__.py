"""Compile the monthly Word bulletin of a trade-union social-work project from YAML data."""

__version__ = "0.1.0"
