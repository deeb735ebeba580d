"""The app's pages, as ``app.py`` lists them, for the tests that run every page."""

PAGES = [
    "app_pages/decide.py",
    "app_pages/measure.py",
    "app_pages/operations.py",
    "app_pages/uncertainty.py",
    "app_pages/compare.py",
    "app_pages/assumptions.py",
]
