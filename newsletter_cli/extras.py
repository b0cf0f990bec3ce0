"""Optional packages: what to type when one a command needs is not installed.

``pip install newsletter`` leaves out what only one feature uses: Playwright for
``preview --screenshot`` and psycopg for a shared journal on PostgreSQL. They come with
the extras ``newsletter[screenshots]`` and ``newsletter[team]`` (``make`` installs both).
"""

from __future__ import annotations

from newsletter_cli.errors import ConfigError

#: The extra of pyproject.toml that brings each optional package (as pip spells it).
EXTRAS = {
    "playwright": ("screenshots", "playwright"),
    "psycopg": ("team", '"psycopg[binary]"'),
}


def missing(package: str, feature: str) -> ConfigError:
    """The error for ``feature`` (e.g. "preview --screenshot") without ``package``."""
    extra, requirement = EXTRAS[package]
    return ConfigError(
        f"{feature} needs the optional package {package}: "
        f"pipx inject newsletter {requirement} (or pip install \"newsletter[{extra}]\")"
    )
