"""The app's pages import ``app_pages`` from the project folder, as ``streamlit run`` does."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
