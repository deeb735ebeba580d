"""The echo server: payload POSTs, N-byte answers, delays, the body bound."""

import json

import httpx
import pytest

from edgecalc.measure.echo_server import serve_in_thread


@pytest.fixture
def echo():
    server, url = serve_in_thread(max_body_bytes=100_000)
    with httpx.Client(timeout=5.0) as client:
        yield client, url
    server.shutdown()
    server.server_close()


def test_post_is_read_and_counted(echo):
    client, url = echo
    answer = client.post(url, content=bytes(50_000))
    assert answer.status_code == 200
    assert json.loads(answer.content) == {"received_bytes": 50_000, "delay_ms": 0.0}


def test_get_and_post_return_the_asked_number_of_bytes(echo):
    client, url = echo
    assert len(client.get(url, params={"bytes": 12_345}).content) == 12_345
    assert len(client.post(f"{url}?bytes=7", content=b"abc").content) == 7


def test_delay_is_applied(echo):
    client, url = echo
    answer = client.get(url, params={"delay_ms": 60})
    assert answer.elapsed.total_seconds() >= 0.060
    assert json.loads(answer.content)["delay_ms"] == 60.0


def test_body_beyond_the_bound_is_refused_with_413(echo):
    client, url = echo
    answer = client.post(url, content=bytes(100_001))
    assert answer.status_code == 413


def test_bad_queries_are_400_and_the_connection_survives_for_the_next_client(echo):
    client, url = echo
    assert client.get(url, params={"bytes": "lots"}).status_code == 400
    assert client.get(url, params={"bytes": 100_001}).status_code == 400
    assert client.get(url, params={"delay_ms": -1}).status_code == 400
    assert client.get(url).status_code == 200


def test_no_file_is_served_whatever_the_path(echo):
    client, url = echo
    answer = client.get(url + "../../../../etc/passwd")
    assert answer.status_code == 200
    assert b"root" not in answer.content
    assert json.loads(answer.content)["received_bytes"] == 0


def test_binds_to_loopback_by_default(echo):
    _, url = echo
    assert url.startswith("http://127.0.0.1:")


def test_keeps_the_connection_alive():
    server, url = serve_in_thread()
    ports = set()
    try:
        with httpx.Client(timeout=5.0) as client:
            for _ in range(3):
                answer = client.get(url, extensions={"trace": _port_recorder(ports)})
                assert answer.status_code == 200
    finally:
        server.shutdown()
        server.server_close()
    assert len(ports) == 1  # one connect for three requests


def _port_recorder(opened: set):
    def record(event: str, info: dict) -> None:
        if event == "connection.connect_tcp.complete":
            opened.add(info["return_value"].get_extra_info("socket").getsockname()[1])

    return record
