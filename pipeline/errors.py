"""The error hierarchy: every failure is transient (worth retrying) or permanent."""
from __future__ import annotations


class ParallaxError(Exception):
    """Base of every error Parallax raises on purpose."""

    transient: bool = False


class TransientError(ParallaxError):
    """A failure that may go away if the same work is tried again later."""

    transient = True


class PermanentError(ParallaxError):
    """A failure that trying again will not change."""


class ConfigError(PermanentError):
    """The configuration is invalid; the message names the file, the key and the problem."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        super().__init__(f"{path}: {key}: {problem}")
        self.path = path
        self.key = key
        self.problem = problem
