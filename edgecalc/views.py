"""Where a result asks how to draw itself: the notebook (Jupyter) HTML view, registered by the
package root so that ``results/`` never imports ``render/``.

``results.Result._repr_html_`` calls :data:`html_view`; ``edgecalc/__init__.py`` sets it to a
function that loads ``render.html`` only when a notebook draws a result. ``None`` (no view)
makes Jupyter fall back to the plain-text repr.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

html_view: Callable[[Any], str] | None = None
"""The result's HTML table for Jupyter, or None for the plain-text repr."""
