"""Starts botticelli_server on the fixture model for the compatibility tests (one server for the whole session)."""

import hashlib
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, log_path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"botticelli_server exited early:\n{open(log_path).read()}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"botticelli_server did not become healthy:\n{open(log_path).read()}")


def stop(process: subprocess.Popen) -> None:
    """Ends a server started by a test: SIGTERM, then SIGKILL if it has not exited within 20 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sha256_of(path) -> str:
    """The SHA-256 of a file, read a MiB at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run these tests through `make test`")
    return value


@pytest.fixture(scope="session")
def server_url():
    binary = required_env("BOTTICELLI_BINARY")
    model = required_env("BOTTICELLI_FIXTURE_MODEL")
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="botticelli-compat-", suffix=".log", delete=False)
    cache = tempfile.TemporaryDirectory(prefix="botticelli-compat-cache-")
    # An empty cache, offline: /api/pull and /api/delete (which schemathesis calls with names it makes up) can neither
    # download from the internet nor remove anything from the user's cache; a pull of a name not cached answers 404.
    process = subprocess.Popen(
        [binary, "start", "--model", model, "--port", str(port), "--parallel", "2", "--ctx-size", "4096",
         "--threads", "2", "--cache-dir", cache.name],
        stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, HF_HUB_OFFLINE="1"))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log.name)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        os.unlink(log.name)
        cache.cleanup()


@pytest.fixture(scope="session")
def model_id(server_url):
    import json
    with urllib.request.urlopen(server_url + "/v1/models") as reply:
        return json.load(reply)["data"][0]["id"]
