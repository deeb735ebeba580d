"""Hostile and careless uploads in the app (issue 10, items 1, 15 and 18), through AppTest.

A scenario upload may not make the server read its files: ``cloud.rtt.measurement`` may name
only the shipped scenarios' folder and the session's own measurement folder, and nothing of a
server file reaches the screen. A measurement upload gets an error naming the file and the
field, never a traceback. Errors never quote what edgecalc did not write.
"""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import edgecalc
from app_pages import measure_files, state, tables

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT_S = 120
GOOD = (ROOT / "scenarios" / state.DEFAULT_SCENARIO).read_bytes()
SECRET = "hunter2-do-not-show"


@pytest.fixture
def server_secret(tmp_path: Path, tiny_measurement) -> Path:
    """A file on the server that a visitor must never see: valid JSON, a measurement in form."""
    path = tmp_path / "secret.json"
    m = tiny_measurement(host=SECRET, site=SECRET)
    path.write_text(m.to_json().replace('"tool"', f'"api_token": "{SECRET}", "tool"'))
    return path


def _with_measurement(path: str) -> bytes:
    return GOOD + f"\ncloud:\n  rtt:\n    measurement: {path}\n".encode()


@pytest.mark.parametrize("how", ["absolute", "relative with .."])
def test_an_upload_cannot_read_a_measurement_file_on_the_server(how, server_secret) -> None:
    name = str(server_secret)
    if how != "absolute":
        name = os.path.relpath(server_secret, Path.cwd())
        assert ".." in name
    scenario, error = state.read_upload(_with_measurement(name), "up.yaml")
    assert scenario is None
    assert "up.yaml" in error and "cloud.rtt.measurement" in error
    assert "other files on the server cannot be read" in error
    assert SECRET not in error and "api_token" not in error
    assert str(server_secret.parent) not in error  # not even where it is


def test_the_library_still_reads_any_measurement_file(tmp_path, tiny_measurement) -> None:
    # The restriction is the app's: the command line and library read the user's own files.
    elsewhere = tmp_path / "elsewhere" / "site.json"
    elsewhere.parent.mkdir()
    elsewhere.write_text(tiny_measurement().to_json())
    scenario_file = tmp_path / "s.yaml"
    scenario_file.write_bytes(
        GOOD.replace(b"extends: base/", f"extends: {ROOT}/scenarios/base/".encode())
        + f"\ncloud:\n  rtt:\n    measurement: {elsewhere}\n".encode()
    )
    result = edgecalc.evaluate(scenario_file)
    assert any("RTT measured by edgecalc measure" in r for r in result.decision.reasons)


def test_an_unforeseen_error_names_the_file_but_never_its_text(monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise KeyError(f"api_token: {SECRET}")

    monkeypatch.setattr(state, "read_scenario_text_tree", broken)
    scenario, error = state.read_upload(GOOD, "up.yaml")
    assert scenario is None
    assert error.startswith("up.yaml: ") and "KeyError" in error
    assert SECRET not in error and "please report it" in error


# -- measurement uploads --------------------------------------------------------------------


def _file(edit):
    """An edit of a valid measurement file, made into bytes by :func:`_bytes`."""
    return edit


def _set(path: list, value):
    def edit(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return edit


# Each: the file, and what the error must name (file name is checked for all).
BAD_MEASUREMENTS = {
    "from {}": (_file(_set(["from"], {})), ["from.lat", "required"]),
    "tool a string": (_file(_set(["tool"], "x")), ["tool"]),
    "a list where a mapping belongs": (_file(_set(["settings"], [1, 2])), ["settings"]),
    "a string sample index": (_file(_set(["samples", 1, "sample"], "1")), ["samples[1].sample"]),
    "a negative phase time": (
        _file(_set(["samples", 2, "phases_ms", "ttfb"], -34.4)),
        ["samples[2].phases_ms.ttfb", "greater than or equal to 0", "-34.4"],
    ),
    "a NaN phase time": (
        _file(_set(["samples", 2, "phases_ms", "ttfb"], float("nan"))),
        ["samples[2].phases_ms.ttfb", "finite"],
    ),
    "created in 2999": (
        _file(_set(["created_at"], "2999-01-01T00:00:00Z")),
        ["created_at", "lies in the future"],
    ),
    "an unknown key": (_file(_set(["extra"], 1)), ["extra", "not permitted"]),
    "a sample naming no target": (
        _file(_set(["samples", 0, "target"], "http://elsewhere/")),
        ["samples[0].target names no target"],
    ),
    "a failed sample without a kind": (
        _file(_set(["samples", 0, "ok"], False)),
        ["samples[0]", "needs a kind"],
    ),
    "credentials in a target": (
        _file(_set(["targets", 0, "url"], "http://user:pw@127.0.0.1:9/")),
        ["targets[0].url", "user name or password"],
    ),
    "nested 100,000 deep": (
        b'{"edgecalc_measurement": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        ["nested"],
    ),
    "nested 20 deep": (_file(_set(["floor"], json.loads("[" * 20 + "]" * 20))), ["nested"]),
    "too large": (b" " * (5 * 1024 * 1024 + 1), ["limited to"]),
}


def on_measure_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state[state.SOURCE] = state.shipped_source(state.DEFAULT_SCENARIO)
    at.run()
    return at.switch_page("app_pages/measure.py").run()


def _bytes(data_or_edit, make) -> bytes:
    if isinstance(data_or_edit, bytes):
        return data_or_edit
    data = make().to_dict()
    data_or_edit(data)
    return json.dumps(data).encode()


@pytest.mark.parametrize("case", sorted(BAD_MEASUREMENTS))
def test_a_bad_measurement_upload_names_file_and_field(case, tiny_measurement) -> None:
    data_or_edit, expected = BAD_MEASUREMENTS[case]
    data = _bytes(data_or_edit, tiny_measurement)
    at = on_measure_page()
    at.file_uploader(key="ec.measure.upload").set_value(("site.json", data, "application/json"))
    at.run()
    assert not at.exception, at.exception
    shown = [e.value for e in at.error]
    assert len(shown) == 1, shown
    assert shown[0].startswith("Not imported: " + tables.text("site.json: ")), shown
    for text in expected:  # shown as text (tables.text)
        assert tables.text(text) in shown[0], (text, shown[0])
    assert "cloud.rtt" not in at.session_state[state.OVERRIDES]


def test_an_all_failed_run_imports_and_says_there_is_no_rtt(tiny_measurement) -> None:
    failed = [
        s | {"ok": False, "kind": "timeout", "phases_ms": {}, "status": None}
        for s in tiny_measurement().samples
    ]
    data = tiny_measurement(samples=failed).to_json().encode()
    at = on_measure_page()
    at.file_uploader(key="ec.measure.upload").set_value(("dead.json", data, "application/json"))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("nothing to use as the RTT" in w.value for w in at.warning)


def test_a_new_file_replaces_the_last_files_error(tiny_measurement) -> None:
    at = on_measure_page()
    uploader = at.file_uploader(key="ec.measure.upload")
    uploader.set_value(("first.json", b"{not json", "application/json")).run()
    assert next(e.value for e in at.error).startswith(
        "Not imported: first" + tables.text(".json: ")
    )
    big = b" " * (5 * 1024 * 1024 + 1)
    at.file_uploader(key="ec.measure.upload").set_value(("big.json", big, "application/json"))
    at.run()
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and shown[0].startswith("Not imported: big" + tables.text(".json: "))
    assert "first" not in shown[0]
    good = tiny_measurement().to_json().encode()
    at.file_uploader(key="ec.measure.upload").set_value(("good.json", good, "application/json"))
    at.run()
    assert not at.error, [e.value for e in at.error]


# -- per-session measurement folders --------------------------------------------------------


def test_a_session_folder_goes_when_the_session_does(tmp_path) -> None:
    session: dict = {}
    folder = measure_files.session_folder(session, parent=tmp_path)
    (folder / "measurement-x.json").write_text("{}")
    assert measure_files.session_folder(session, parent=tmp_path) == folder  # one per session
    assert measure_files.allowed_roots(session, ROOT / "scenarios")[-1] == folder
    del session  # the server drops the session's state
    gc.collect()
    assert not folder.exists()


def test_measurements_may_come_from_the_configured_scenario_roots(tmp_path, monkeypatch) -> None:
    """One rule for uploads: a folder an upload may extend may also hold its measurements."""
    monkeypatch.setenv("EDGECALC_SCENARIO_ROOTS", str(tmp_path))
    assert measure_files.allowed_roots({}, ROOT / "scenarios") == (ROOT / "scenarios", tmp_path)


def test_old_session_folders_are_swept_when_a_new_one_is_made(tmp_path) -> None:
    keep: dict = {}
    old = measure_files.session_folder(keep, parent=tmp_path)
    day_and_a_bit_ago = time.time() - measure_files.MAX_AGE_S - 60
    os.utime(old, (day_and_a_bit_ago, day_and_a_bit_ago))
    unrelated = tmp_path / "not-a-session"
    unrelated.mkdir()
    os.utime(unrelated, (day_and_a_bit_ago, day_and_a_bit_ago))
    fresh: dict = {}
    new = measure_files.session_folder(fresh, parent=tmp_path)
    assert not old.exists() and new.exists() and unrelated.exists()


def test_a_used_measurement_lives_in_the_session_folder_and_is_readable(
    tiny_measurement,
) -> None:
    at = on_measure_page()
    good = tiny_measurement().to_json().encode()
    at.file_uploader(key="ec.measure.upload").set_value(("good.json", good, "application/json"))
    at.run()
    at.button(key="ec.measure.use").click().run()
    assert not at.exception
    used = Path(at.session_state[state.OVERRIDES]["cloud.rtt"]["measurement"])
    owner = at.session_state[measure_files.OWNER_KEY]
    assert used.parent == owner.path and used.parent.parent == measure_files.PARENT
    assert not at.error, [e.value for e in at.error]
    owner.remove()
    assert not used.exists()
