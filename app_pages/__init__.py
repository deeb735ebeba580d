"""The Streamlit pages of edgecalc (``app.py`` declares the navigation)."""
