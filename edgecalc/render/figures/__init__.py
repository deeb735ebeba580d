"""Every plotly figure edgecalc draws: one palette, one layout (no streamlit).

The figures of a Result live in :mod:`.result`; Monte Carlo, sensitivity and sweep charts in
:mod:`.uncertainty`; the rollout curve in :mod:`.operations`; measured round trips in
:mod:`.measurement`. The names below are the ones the app, the HTML report and notebooks call.
"""

from .result import *  # noqa: F403
from .result import __all__ as _result_all

__all__ = list(_result_all)


def __getattr__(name: str):
    from . import result

    return getattr(result, name)
