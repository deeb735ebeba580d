"""What an editor shows: every shipped scenario and base file opened in yaml-language-server
(the YAML extension of VS Code and others) over LSP, with the schema its first line names.
No diagnostics on the shipped files; a misspelt key is flagged on its line.

The server is an npm package that .ci/run installs into tests/.node (`npm install --prefix
tests/.node yaml-language-server@1`); without it these tests are skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .lsp import YamlLanguageServer

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(
    os.environ.get(
        "EDGECALC_YAML_LANGUAGE_SERVER",
        ROOT / "tests" / ".node" / "node_modules" / ".bin" / "yaml-language-server",
    )
)
SHIPPED = sorted((ROOT / "scenarios").rglob("*.yaml"))

pytestmark = pytest.mark.skipif(
    not SERVER.exists(), reason=f"yaml-language-server is not installed at {SERVER}"
)


@pytest.fixture(scope="module")
def server():
    with YamlLanguageServer(SERVER) as s:
        yield s


def test_no_shipped_file_shows_a_diagnostic(server):
    found = server.diagnostics(SHIPPED)
    shown = {p.relative_to(ROOT).as_posix(): d for p, d in found.items() if d}
    assert shown == {}, shown


def test_a_misspelt_key_is_flagged_on_its_line(server, tmp_path):
    text = (ROOT / "scenarios" / "factory-visual-qc.yaml").read_text(encoding="utf-8")
    schema = (ROOT / "schemas" / "scenario.schema.json").as_posix()
    text = text.replace("$schema=../schemas/scenario.schema.json", f"$schema={schema}")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("  peak_to_average:", "  peak_to_averag:"), encoding="utf-8")
    line = 1 + text.splitlines().index("  peak_to_average: 1.5")
    assert server.diagnostics([bad])[bad] == [
        f"line {line}: Property peak_to_averag is not allowed."
    ]
