"""The Result of an evaluation (with provenance) and the diff of two Results."""

from .result import Result

__all__ = ["Result"]
