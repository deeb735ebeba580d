"""edgecalc in the browser: navigation only; each page lives in app_pages/.

Run with ``make app`` (binds to 127.0.0.1). Pages turn widgets into overrides, call edgecalc and
render its figures; the library never imports streamlit.
"""

import logging

import streamlit as st

st.set_page_config(page_title="edgecalc", page_icon=":material/hub:", layout="wide")

pages = [
    st.Page("app_pages/decide.py", title="Decide", icon=":material/balance:", default=True),
    st.Page("app_pages/measure.py", title="Measure", icon=":material/network_ping:"),
    st.Page("app_pages/operations.py", title="Operations", icon=":material/settings_suggest:"),
    st.Page("app_pages/uncertainty.py", title="Uncertainty", icon=":material/ssid_chart:"),
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page("app_pages/assumptions.py", title="Assumptions", icon=":material/fact_check:"),
]

page = st.navigation(pages)
try:
    page.run()
except Exception as exc:  # a page must never show a traceback; the log keeps it
    logging.getLogger("edgecalc.app").exception("page %s failed", page.title)
    st.error(
        f"Something went wrong on this page ({type(exc).__name__}): {exc}", icon=":material/error:"
    )
