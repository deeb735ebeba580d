"""``edgecalc measure`` refuses bad input with a message and exit code 2, never a traceback
(issue 10, items 4, 7 for measure's own sizes, and 16), and ``--out`` keeps a file's mode."""

from __future__ import annotations

import argparse
import os
import stat

import pytest

from edgecalc.cli import main
from edgecalc.commands.measure_cli import add_measure_parser


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1", "not a valid URL"),
        ("http://127.0.0.1:104101/", "port 104101 is outside 1 to 65535"),
        ("http://127.0.0.1:0/", "port 0 is outside 1 to 65535"),
        ("ftp://127.0.0.1/", "not an http:// or https:// URL"),
        ("http://2130706433/", "four decimal numbers"),
        ("http://user:s3cret@127.0.0.1:9/", "user name or password"),
    ],
)
def test_a_url_that_cannot_be_measured_is_a_usage_error(url, message, capsys):
    assert main(["measure", url, "--samples", "1", "--deadline", "2"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert "s3cret" not in err  # a password is never echoed


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--deadline", "inf", "must be above 0 to 86,400 s"),
        ("--deadline", "nan", "must be above 0 to 86,400 s"),
        ("--deadline", "0", "must be above 0"),
        ("--timeout", "1e308", "must be above 0 to 86,400 s"),
        ("--pause", "-1", "must be from 0 to 60 s"),
        ("--samples", "100000000", "must be from 1 to 10,000"),
        ("--samples", "1.5", "expected a whole number"),
        ("--payload-bytes", "1e10", "expected a whole number"),
        ("--payload-bytes", "10000000000", "must be from 0 to 67,108,864"),
        ("--concurrency", "1000", "must be from 1 to 64"),
    ],
)
def test_an_out_of_range_setting_is_refused_before_anything_is_sent(flag, value, message, capsys):
    parser = argparse.ArgumentParser(prog="edgecalc")
    add_measure_parser(parser.add_subparsers())
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["measure", "http://127.0.0.1:9/", flag, value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_out_naming_a_folder_is_refused_before_measuring(tmp_path, capsys):
    # The URL would take the whole deadline; the refusal comes first, at once.
    assert main(["measure", "http://127.0.0.1:9/", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "cannot write --out" in err and "is a folder" in err


def test_out_under_a_file_is_refused(tmp_path, capsys):
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert main(["measure", "http://127.0.0.1:9/", "--out", str(plain / "m.json")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600])
def test_out_keeps_the_mode_of_the_file_it_replaces(mode, echo_url, tmp_path, capsys):
    out = tmp_path / "site.json"
    out.write_text("{}")
    out.chmod(mode)
    argv = ["measure", echo_url, "--samples", "1", "--pause", "0", "--out", str(out)]
    assert main(argv) == 0
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert '"edgecalc_measurement": 1' in out.read_text()


def test_a_new_out_file_gets_the_umask_mode(echo_url, tmp_path, capsys):
    out = tmp_path / "new.json"
    umask = os.umask(0o022)
    try:
        assert main(["measure", echo_url, "--samples", "1", "--pause", "0", "--out", str(out)]) == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # 0666 less the umask 022, not 0600
