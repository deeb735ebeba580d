"""A small install: the library and CLI need no Streamlit; ``edgecalc app`` says how to get
the app, and moves to a free port (and says so) when the one asked for is taken."""

from __future__ import annotations

import socket
import subprocess
import sys
import tomllib
from pathlib import Path

from edgecalc.cli import main
from edgecalc.commands import app

ROOT = Path(__file__).resolve().parents[1]


def test_streamlit_and_pyarrow_are_in_the_app_extra_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = " ".join(project["dependencies"])
    assert "streamlit" not in core and "pyarrow" not in core
    extras = project["optional-dependencies"]
    assert any(d.startswith("streamlit") for d in extras["app"])
    assert any(d.startswith("pyarrow") for d in extras["app"])
    assert "edgecalc[app]" in extras["test"]  # the app tests need it


def test_the_cli_runs_where_streamlit_cannot_be_imported():
    # sys.modules[name] = None makes every import of it fail, as on an install without the extra
    code = (
        "import sys; sys.modules['streamlit'] = None\n"
        "from edgecalc.cli import main\n"
        "sys.exit(main(['validate', 'scenarios/factory-visual-qc.yaml']) * 10 "
        "+ main(['app']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr  # validate 0, app 2 (usage: the extra is missing)
    assert "factory-visual-qc.yaml: ok" in proc.stdout
    assert "pip install 'edgecalc[app]'" in proc.stderr


def test_a_taken_port_moves_the_app_and_says_so(monkeypatch, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert app.free_port("127.0.0.1", port) not in (None, port)
        ran = {}

        def fake_run(command, cwd, check):
            ran["command"] = command
            return subprocess.CompletedProcess(command, 0)

        monkeypatch.setattr(app.subprocess, "run", fake_run)
        assert main(["app", "--port", str(port)]) == 0
    out = capsys.readouterr().out
    moved = int(ran["command"][ran["command"].index("--server.port") + 1])
    assert moved != port
    assert f"port {port} is in use, so the app moves to port {moved}" in out
    assert f"http://127.0.0.1:{moved}" in out
    assert ran["command"][ran["command"].index("--server.address") + 1] == "127.0.0.1"
