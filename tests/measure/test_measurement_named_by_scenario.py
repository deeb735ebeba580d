"""A measurement file named by a scenario (``cloud.rtt: {measurement: FILE}``) that is bad:
``edgecalc evaluate`` names the file and the field and exits with an error, never a traceback
(issue 10, items 2 and 15)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from edgecalc.cli import main

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "hand-worked.yaml"


def _scenario(tmp_path: Path, measurement: str) -> Path:
    text = FIXTURE.read_text().replace(
        "  rtt: {ms: 20}\n", f"  rtt: {{measurement: '{measurement}'}}\n"
    )
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return path


def _edited(tiny_measurement, edit) -> str:
    data = tiny_measurement().to_dict()
    edit(data)
    return json.dumps(data)


def _failed(data):
    for s in data["samples"]:
        s.update(ok=False, kind="timeout", phases_ms={}, status=None)


CASES = {
    "an all-failed run": (_failed, ["site.json", "no successful warm sample"]),
    "a negative phase time": (
        lambda d: d["samples"][2]["phases_ms"].update(ttfb=-34.4),
        ["site.json", "samples[2].phases_ms.ttfb", "-34.4"],
    ),
    "from {}": (lambda d: d.update({"from": {}}), ["from.lat"]),
    "tool a string": (lambda d: d.update(tool="x"), ["tool"]),
    "created in 2999": (lambda d: d.update(created_at="2999-01-01T00:00:00Z"), ["future"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_measurement_file_is_named_with_its_field(case, tiny_measurement, tmp_path, capsys):
    edit, expected = CASES[case]
    (tmp_path / "site.json").write_text(_edited(tiny_measurement, edit))
    code = main(["evaluate", str(_scenario(tmp_path, "site.json"))])
    err = capsys.readouterr().err
    assert code != 0
    assert "cloud.rtt.measurement" in err and "Traceback" not in err
    for text in expected:
        assert text in err, (text, err)


def test_dev_zero_as_a_measurement_is_refused_at_once(tmp_path, capsys):
    code = main(["evaluate", str(_scenario(tmp_path, "/dev/zero"))])
    err = capsys.readouterr().err
    assert code != 0 and "not a regular file" in err


def test_a_fifo_as_a_measurement_does_not_block(tmp_path, capsys):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code = main(["evaluate", str(_scenario(tmp_path, str(fifo)))])
    err = capsys.readouterr().err
    assert code != 0 and "not a regular file" in err


def test_a_huge_measurement_file_is_refused_by_its_size(tmp_path, capsys):
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(33 * 1024 * 1024)  # sparse: 33 MiB of zeros, above the 32 MiB limit
    code = main(["evaluate", str(_scenario(tmp_path, str(big)))])
    err = capsys.readouterr().err
    assert code != 0 and "larger than the limit of 33,554,432 bytes" in err
