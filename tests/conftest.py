"""Shared pytest options.

``--regen-golden`` rewrites the golden files under ``tests/golden/`` from the current output
(``pytest tests/test_golden.py --regen-golden``); review the diff before committing it.
"""


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/* from the current output instead of comparing",
    )
