"""A minimal Language Server Protocol client over stdio: open YAML files in
yaml-language-server and collect the diagnostics it publishes, as an editor would."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

SETTINGS = {"validate": True, "schemaStore": {"enable": False}, "hover": True}
"""The editor's yaml.* settings: validation on, no schemas fetched from the web."""


class YamlLanguageServer:
    """``yaml-language-server --stdio`` as a subprocess; use as a context manager."""

    def __init__(self, executable: Path) -> None:
        self._proc = subprocess.Popen(
            [str(executable), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._send(
            id=1,
            method="initialize",
            params={
                "processId": None,
                "rootUri": None,
                "capabilities": {"workspace": {"configuration": True}},
            },
        )
        self._send(method="initialized", params={})
        self._send(
            method="workspace/didChangeConfiguration", params={"settings": {"yaml": SETTINGS}}
        )

    def __enter__(self) -> YamlLanguageServer:
        return self

    def __exit__(self, *exc) -> None:
        self._proc.kill()
        self._proc.wait(timeout=10)
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None:
                pipe.close()

    def diagnostics(self, files: list[Path], timeout_s: float = 60.0) -> dict[Path, list[str]]:
        """Open ``files`` and return each one's diagnostics as ``"line N: message"``; waits
        until every file has a report and a quiet second has passed (the server re-publishes
        once it has loaded a schema)."""
        for path in files:
            self._send(
                method="textDocument/didOpen",
                params={
                    "textDocument": {
                        "uri": path.as_uri(),
                        "languageId": "yaml",
                        "version": 1,
                        "text": path.read_text(encoding="utf-8"),
                    }
                },
            )
        uris = {path.as_uri(): path for path in files}
        found: dict[Path, list[str]] = {}
        deadline = time.monotonic() + timeout_s
        quiet_until = 0.0
        while time.monotonic() < deadline:
            if len(found) == len(files) and time.monotonic() > quiet_until:
                break
            try:
                message = self._inbox.get(timeout=0.2)
            except queue.Empty:
                continue
            method = message.get("method")
            if method == "textDocument/publishDiagnostics":
                uri = message["params"]["uri"]
                if uri in uris:
                    found[uris[uri]] = [
                        f"line {d['range']['start']['line'] + 1}: {d['message']}"
                        for d in message["params"]["diagnostics"]
                    ]
                    quiet_until = time.monotonic() + 1.0
            elif method == "workspace/configuration":
                items = message["params"]["items"]
                self._send(id=message["id"], result=[SETTINGS] * len(items))
            elif method is not None and "id" in message:
                self._send(id=message["id"], result=None)
        missing = [p.name for p in files if p not in found]
        if missing:
            raise TimeoutError(f"no diagnostics within {timeout_s:g} s for {missing}")
        return found

    def _send(self, **message: Any) -> None:
        data = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self._proc.stdin is not None
        self._proc.stdin.write(f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
        self._proc.stdin.flush()

    def _read(self) -> None:
        try:
            self._read_messages()
        except (OSError, ValueError):  # the pipe closed: the server was stopped
            return

    def _read_messages(self) -> None:
        out = self._proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is not None:
                self._inbox.put(json.loads(out.read(length)))
