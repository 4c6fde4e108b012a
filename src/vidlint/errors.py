"""vidlint's exceptions: each carries a one-line reason fit for a terminal."""

from __future__ import annotations


class VidlintError(Exception):
    """Base class for every error vidlint raises on purpose."""


class ProbeError(VidlintError):
    """A source could not be read at all (missing, permission denied, a directory, timed out)."""


class RulePackError(VidlintError):
    """A rule pack file is malformed; the message names the file and the rule."""


class ConfigError(VidlintError):
    """A configuration file (vidlint.toml, ``[tool.vidlint]``) or an override is invalid; the message
    names the file or the rule."""


class UnknownMarketplaceError(VidlintError):
    """No rule pack with that id."""
