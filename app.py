"""edgecalc in the browser: navigation, and what a link could not use; each page lives in
app_pages/.

Run with ``make app`` (binds to 127.0.0.1). Pages turn widgets into overrides, call edgecalc and
render its figures; the library never imports streamlit.
"""

import logging

import streamlit as st

from app_pages import share, state

st.set_page_config(page_title="edgecalc", page_icon=":material/hub:", layout="wide")

pages = [
    st.Page("app_pages/decide.py", title="Decide", icon=":material/balance:", default=True),
    st.Page("app_pages/measure.py", title="Measure", icon=":material/network_ping:"),
    st.Page("app_pages/operations.py", title="Operations", icon=":material/settings_suggest:"),
    st.Page("app_pages/uncertainty.py", title="Uncertainty", icon=":material/ssid_chart:"),
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page("app_pages/assumptions.py", title="Assumptions", icon=":material/fact_check:"),
]


def link_warning() -> None:
    """Read the link the session opened with (once) and, above whichever page it opens, say
    what in it could not be used (``app_pages/share.py`` quotes the link in code spans only)."""
    state.init()
    body = share.link_warning()
    if body:
        st.warning(body, icon=":material/link_off:")


def failure_text(exc: BaseException) -> str:
    """What a visitor reads when a page fails: the error's kind, never its message (which
    could quote anything, such as a value read from a file on the server)."""
    return (
        f"Something went wrong on this page ({type(exc).__name__}); the server's log has the "
        "details."
    )


page = st.navigation(pages)
try:
    link_warning()
    page.run()
except Exception as exc:  # a page must never show a traceback; the log keeps it
    logging.getLogger("edgecalc.app").exception("page %s failed", page.title)
    st.error(failure_text(exc), icon=":material/error:")
