"""/api/pull and /api/delete with the official Ollama Python client, downloading for real from a loopback stand-in
Hub (bench/download/hub_server.py serving the fixture model as org/smol and org/served) into an empty cache.

The server here is its own, not conftest's shared one: it needs HF_ENDPOINT pointed at the stand-in Hub and a cache
folder of its own. It serves hf://org/served/..., downloaded into that cache when it starts, so that deleting the
served model can be refused.
"""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import ollama
import pytest

from conftest import free_port, required_env, sha256_of, stop, wait_healthy

REPO = "org/smol"
FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL = f"hf://{REPO}/{FILENAME}"
SERVED = f"hf://org/served/{FILENAME}"
INTERRUPTED = f"hf://org/resumed/{FILENAME}"
ON_DEMAND = f"hf://org/ondemand/{FILENAME}"
# Per connection; the client opens 8, so the fixture (98 MB) takes about 1.5 s: slow enough to interrupt.
HUB_RATE = 8_000_000
HUB_SERVER = Path(__file__).resolve().parents[2] / "bench" / "download" / "hub_server.py"


@pytest.fixture(scope="module")
def fixture_digest():
    return sha256_of(required_env("BOTTICELLI_FIXTURE_MODEL"))


@pytest.fixture(scope="module")
def hub(fixture_digest):
    model = required_env("BOTTICELLI_FIXTURE_MODEL")
    process = subprocess.Popen(
        [sys.executable, str(HUB_SERVER), "--file", model, "--repo", REPO, "--repo", "org/served",
         "--repo", "org/resumed", "--repo", "org/ondemand", "--filename", FILENAME, "--sha256", fixture_digest, "--rate", str(HUB_RATE)],
        stdout=subprocess.PIPE, text=True)
    try:
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture(scope="module")
def cache_dir():
    with tempfile.TemporaryDirectory(prefix="botticelli-pull-cache-") as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def pull_server(hub, cache_dir):
    binary = required_env("BOTTICELLI_BINARY")
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="botticelli-pull-", suffix=".log", delete=False)
    environment = dict(os.environ, HF_ENDPOINT=hub)
    environment.pop("HF_HUB_OFFLINE", None)
    process = subprocess.Popen(
        [binary, "start", "--model", SERVED, "--port", str(port), "--parallel", "1", "--ctx-size", "1024",
         "--threads", "2", "--cache-dir", str(cache_dir)],
        stdout=log, stderr=subprocess.STDOUT, env=environment)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log.name)
        yield url
    finally:
        stop(process)
        os.unlink(log.name)


def cached_files(cache_dir: Path, repo: str = REPO):
    return sorted(path.name for path in cache_dir.glob(f"models--{repo.replace('/', '--')}/snapshots/*/*.gguf"))


def test_pull_then_delete(pull_server, cache_dir, fixture_digest):
    client = ollama.Client(host=pull_server)
    events = list(client.pull(MODEL, stream=True))
    statuses = [event.status for event in events]
    assert statuses[0] == "pulling manifest"
    assert statuses[-3:] == ["verifying sha256 digest", "writing manifest", "success"]
    progress = [event for event in events if event.total]
    assert progress, statuses
    assert {event.digest for event in progress} == {f"sha256:{fixture_digest}"}
    assert {event.status for event in progress} == {f"pulling {fixture_digest[:12]}"}
    assert progress[-1].completed == progress[-1].total == os.path.getsize(required_env("BOTTICELLI_FIXTURE_MODEL"))
    assert [event.completed for event in progress] == sorted(event.completed for event in progress)
    assert cached_files(cache_dir) == [FILENAME]
    blob = next(cache_dir.rglob(f"blobs/{fixture_digest}"))
    assert sha256_of(str(blob)) == fixture_digest
    # /metrics counts the bytes this pull brought from the Hub.
    with urllib.request.urlopen(pull_server + "/metrics") as reply:
        metrics = reply.read().decode()
    downloaded = [float(line.split()[-1]) for line in metrics.splitlines()
                  if line.startswith("botticelli_download_bytes_total")]
    assert downloaded and downloaded[0] >= os.path.getsize(required_env("BOTTICELLI_FIXTURE_MODEL")), downloaded

    # Cached now: success at once, without a request to the Hub's files.
    again = list(client.pull(MODEL, stream=True))
    assert again[-1].status == "success"
    size = os.path.getsize(required_env("BOTTICELLI_FIXTURE_MODEL"))
    assert [(event.completed, event.total) for event in again if event.total] == [(size, size)]
    assert client.pull(MODEL, stream=False).status == "success"

    assert client.delete(MODEL).status == "success"
    assert cached_files(cache_dir) == []
    with pytest.raises(ollama.ResponseError) as caught:
        client.delete(MODEL)
    assert caught.value.status_code == 404
    assert "not found" in caught.value.error


def test_pull_of_a_missing_file_is_a_404(pull_server):
    client = ollama.Client(host=pull_server)
    with pytest.raises(ollama.ResponseError) as caught:
        list(client.pull(f"hf://{REPO}/missing.gguf", stream=True))
    assert caught.value.status_code == 404


def test_served_model_and_local_files_are_not_deleted(pull_server, cache_dir):
    client = ollama.Client(host=pull_server)
    with pytest.raises(ollama.ResponseError) as caught:
        client.delete(SERVED)
    assert caught.value.status_code == 400
    assert "being served" in caught.value.error
    assert cached_files(cache_dir, "org/served") == [FILENAME]
    model = required_env("BOTTICELLI_FIXTURE_MODEL")
    with pytest.raises(ollama.ResponseError) as caught:
        client.delete(model)
    assert caught.value.status_code == 400
    assert os.path.exists(model)


def test_disconnect_cancels_the_download_and_the_next_pull_resumes(pull_server, cache_dir, fixture_digest):
    host, port = pull_server.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("POST", "/api/pull", json.dumps({"model": INTERRUPTED}), {"Content-Type": "application/json"})
    reply = connection.getresponse()
    assert reply.status == 200
    assert json.loads(reply.readline())["status"] == "pulling manifest"
    assert json.loads(reply.readline())["status"].startswith("pulling ")
    reply.close()
    connection.close()
    # Uninterrupted, the download would be done in about 1.5 s.
    time.sleep(4)
    blobs = cache_dir / "models--org--resumed" / "blobs"
    assert not (blobs / fixture_digest).exists()
    assert (blobs / f"{fixture_digest}.incomplete").exists()

    client = ollama.Client(host=pull_server)
    events = [event for event in client.pull(INTERRUPTED, stream=True)]
    assert events[-1].status == "success"
    progress = [event for event in events if event.total]
    assert progress[0].completed > 0, "the second pull started from nothing"
    assert progress[-1].completed == progress[-1].total
    assert sha256_of(str(blobs / fixture_digest)) == fixture_digest
    assert client.delete(INTERRUPTED).status == "success"


def running_models(client) -> list:
    return [model.model for model in client.ps().models]


def test_a_pulled_model_is_loaded_on_demand_and_unloaded_by_keep_alive(pull_server):
    client = ollama.Client(host=pull_server)
    chat = {"messages": [{"role": "user", "content": "Hi"}], "options": {"num_predict": 8, "temperature": 0}}
    # Not downloaded: the answer says how to get it, and nothing is downloaded behind the client's back.
    with pytest.raises(ollama.ResponseError) as caught:
        client.chat(model=ON_DEMAND, **chat)
    assert caught.value.status_code == 404
    assert "pull it first" in caught.value.error
    assert client.pull(ON_DEMAND, stream=False).status == "success"

    # Named by a client, it is loaded beside the model the server started with; both run.
    assert client.chat(model=ON_DEMAND, **chat).message.content
    assert set(running_models(client)) == {SERVED, ON_DEMAND}
    assert ON_DEMAND in [model.model for model in client.list().models]
    expiry = {model.model: model.expires_at for model in client.ps().models}
    assert expiry[ON_DEMAND].year == time.gmtime().tm_year, "a 5-minute keep-alive expires this year"
    with urllib.request.urlopen(pull_server + "/status") as reply:
        assert {model["id"] for model in json.load(reply)["models"]} == {SERVED, ON_DEMAND}
    # The OpenAI route serves it by the same name.
    request = urllib.request.Request(
        pull_server + "/v1/chat/completions", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"model": ON_DEMAND, "max_tokens": 4, "messages": chat["messages"]}).encode())
    with urllib.request.urlopen(request) as reply:
        assert json.load(reply)["model"] == ON_DEMAND
    # Loaded, it cannot be deleted.
    with pytest.raises(ollama.ResponseError) as caught:
        client.delete(ON_DEMAND)
    assert caught.value.status_code == 400

    # keep_alive 0 unloads it once the request is done, as Ollama does; the default model stays.
    assert client.generate(model=ON_DEMAND, prompt="", keep_alive=0).done_reason == "unload"
    deadline = time.monotonic() + 10
    while ON_DEMAND in running_models(client) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert running_models(client) == [SERVED]
    assert client.delete(ON_DEMAND).status == "success"
    # A client may not make the server open a file by its path.
    with pytest.raises(ollama.ResponseError) as caught:
        client.chat(model=required_env("BOTTICELLI_FIXTURE_MODEL"), **chat)
    assert caught.value.status_code == 404
