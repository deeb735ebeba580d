"""JSON output that is always valid JSON: :func:`edgecalc.json_text.dumps`, named here too for
the renderers (it lives at the top so that ``results/`` can write JSON without ``render/``)."""

from __future__ import annotations

from ..json_text import dumps

__all__ = ["dumps"]
