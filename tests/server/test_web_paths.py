"""Request paths that try to leave the served folders, sent raw on a socket to a real
server (``live_server``): an HTTP client, and ``TestClient``, would normalise the dots away."""

from __future__ import annotations

import socket

import pytest


@pytest.mark.parametrize(
    "raw_path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2fpyproject.toml",
        "/id/../../etc/passwd",
        "/dump.nq.gz/../../etc/passwd",
    ],
)
def test_no_path_outside_is_served(live_server: str, raw_path: str) -> None:
    # Sent raw on a socket: an HTTP client would normalise the dots away.
    host, port = live_server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(f"GET {raw_path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 404), answer[:200]
    assert b"root:" not in answer and b"[project]" not in answer

