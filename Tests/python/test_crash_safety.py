"""Crash safety and full disks, against the real binary: kill -9 during downloads and configuration writes, and
downloads into a cache on a small tmpfs (the CLI's `models download` and the server's /api/pull).

The Hub is bench/download/hub_server.py serving the fixture model, slowed down so that a download can be interrupted.
Each test adds a row to RELIABILITY.md's table through `record` (see test_reliability.py). Mounting a tmpfs needs
root, which the test machines and CI have; anywhere else these tests fail with a message that says so.
`RELIABILITY_SEED` replays the random kill moments of a failed run (the seed is printed).
"""

import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import free_port, required_env, sha256_of, stop, wait_healthy
from test_reliability import record

ROOT = Path(__file__).resolve().parents[2]
HUB_SERVER = ROOT / "bench" / "download" / "hub_server.py"
REPO = "org/smol"
FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
NAME = f"hf://{REPO}/{FILENAME}"
SEED = int(os.environ.get("RELIABILITY_SEED", random.SystemRandom().randrange(1 << 32)))
print(f"test_crash_safety: RELIABILITY_SEED={SEED}", file=sys.stderr)


@pytest.fixture(scope="module")
def fixture():
    path = required_env("BOTTICELLI_FIXTURE_MODEL")
    return path, sha256_of(path), os.path.getsize(path)


@contextmanager
def hub(fixture, rate: int):
    """The stand-in hub serving the fixture as org/smol, at `rate` bytes per second per connection."""
    path, digest, _ = fixture
    process = subprocess.Popen(
        [sys.executable, str(HUB_SERVER), "--file", path, "--repo", REPO, "--filename", FILENAME, "--sha256", digest,
         "--rate", str(rate)], stdout=subprocess.PIPE, text=True)
    try:
        yield f"http://127.0.0.1:{int(process.stdout.readline())}"
    finally:
        stop(process)


@contextmanager
def tmpfs(megabytes: int):
    """A folder on a tmpfs of this size: a disk that fills up for real."""
    if os.geteuid() != 0:
        pytest.fail("the full-disk tests mount a small tmpfs, which needs root (CI and the test machines run as root); "
                    "run them as root")
    folder = tempfile.mkdtemp(prefix="botticelli-small-disk-")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", folder],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.fail(f"could not mount a {megabytes} MB tmpfs on {folder} for the full-disk tests: {mounted.stderr}")
    try:
        yield Path(folder)
    finally:
        subprocess.run(["umount", "-l", folder], check=False)
        os.rmdir(folder)


def environment(hub_url: str) -> dict:
    env = dict(os.environ, HF_ENDPOINT=hub_url)
    for name in ("HF_HUB_OFFLINE", "HF_TOKEN", "HTTPS_PROXY", "HTTP_PROXY"):
        env.pop(name, None)
    return env


def repo_folder(cache: Path) -> Path:
    return cache / f"models--{REPO.replace('/', '--')}"


def allocated_bytes(folder: Path) -> int:
    return sum(entry.stat().st_blocks * 512 for entry in folder.rglob("*") if entry.is_file())


def assert_cache_holds_only_verified_blobs(cache: Path, digest: str, complete: bool):
    """Every blob is named by its SHA-256 and has it; every snapshot link points at a blob; the file is there
    (complete) or only as a partial that no link points at."""
    blobs = repo_folder(cache) / "blobs"
    complete_blobs = [entry for entry in blobs.iterdir() if not entry.name.endswith((".incomplete", ".ranges"))] \
        if blobs.exists() else []
    for blob in complete_blobs:
        assert not blob.name.startswith("."), f"a stray file in the blobs folder: {blob}"
        assert sha256_of(blob) == blob.name, f"{blob} does not hold what its name says"
    links = list((repo_folder(cache) / "snapshots").glob("*/*")) if (repo_folder(cache) / "snapshots").exists() else []
    for link in links:
        assert link.is_symlink() and link.resolve().exists(), f"{link} points at nothing"
        assert link.resolve().name == digest and sha256_of(link) == digest, f"{link} does not point at the right blob"
    assert [blob.name for blob in complete_blobs] == ([digest] if complete else [])
    assert len(links) == (1 if complete else 0)


def download(binary: str, hub_url: str, cache: Path, force: bool = False):
    return subprocess.Popen(
        [binary, "models", "download", NAME, "--cache-dir", str(cache)] + (["--force"] if force else []),
        env=environment(hub_url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def fill_up(folder: Path, leave: int) -> Path:
    """Writes a file that leaves `leave` bytes free on the file system of `folder`."""
    filler = folder / "filler"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        remaining = max(0, free - leave)
        block = b"\1" * (1 << 20)
        while remaining > 0:
            try:
                remaining -= os.write(descriptor, block[:remaining])
            except OSError:
                break  # the download took the rest meanwhile
    finally:
        os.close(descriptor)
    return filler


def test_cli_download_into_a_full_disk(fixture):
    binary = required_env("BOTTICELLI_BINARY")
    _, digest, size = fixture
    with hub(fixture, rate=3_000_000) as hub_url:
        # Too small from the start: the preflight says how much is needed, before a byte is written.
        with tmpfs(48) as disk:
            cache = disk / "hub"
            result = download(binary, hub_url, cache)
            _, error = result.communicate(timeout=120)
            assert result.returncode != 0
            assert re.search(r"its download needs 98 MB of disk and [0-9.]+ MB is free", error), error
            # Past the model store's check (--force), the downloader's own refuses before writing a byte.
            result = download(binary, hub_url, cache, force=True)
            _, error = result.communicate(timeout=120)
            assert result.returncode != 0
            assert re.search(r"needs 98 MB more, but only [0-9.]+ MB are free", error), error
            assert_cache_holds_only_verified_blobs(cache, digest, complete=False)

        # Room at the start, but another program fills the disk during the transfer: the write fails with ENOSPC.
        with tmpfs(160) as disk:
            cache = disk / "hub"
            process = download(binary, hub_url, cache)
            deadline = time.monotonic() + 60
            while allocated_bytes(disk) < 16 << 20 and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            assert process.poll() is None, f"the download ended before the disk was filled: {process.stderr.read()}"
            filler = fill_up(disk, leave=1 << 20)
            _, error = process.communicate(timeout=120)
            assert process.returncode != 0
            assert "the disk is full" in error and "more" in error and "run the command again to resume" in error, error
            assert_cache_holds_only_verified_blobs(cache, digest, complete=False)

            # Space again: the rerun resumes from the partial and verifies the whole file.
            filler.unlink()
            rerun = download(binary, hub_url, cache)
            output, error = rerun.communicate(timeout=300)
            assert rerun.returncode == 0, error
            assert_cache_holds_only_verified_blobs(cache, digest, complete=True)
            assert not list((repo_folder(cache) / "blobs").glob("*.incomplete"))
    record("a full disk during `models download` (too small from the start, with and without --force; filled by "
           "another program mid-transfer)", 3,
           f"exit 1 saying how much more the {size // 1_000_000} MB file needs and what is free; no blob, no link; "
           "after freeing space the rerun resumed and verified")


def pull(url: str, name: str, timeout: float = 300):
    """The lines of a streamed /api/pull."""
    call = urllib.request.Request(url + "/api/pull", data=json.dumps({"model": name}).encode(), method="POST",
                                  headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(call, timeout=timeout) as reply:
        return [json.loads(line) for line in reply.read().splitlines() if line.strip()]


def start_server(hub_url: str, cache: Path):
    binary = required_env("BOTTICELLI_BINARY")
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="botticelli-crash-safety-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [binary, "start", "--model", required_env("BOTTICELLI_FIXTURE_MODEL"), "--port", str(port), "--parallel", "1",
         "--ctx-size", "1024", "--threads", "2", "--cache-dir", str(cache)],
        stdout=log, stderr=subprocess.STDOUT, env=environment(hub_url))
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, log.name)
    return process, url, log.name


def chat(url: str) -> dict:
    body = {"messages": [{"role": "user", "content": "Say hi"}], "max_tokens": 4, "temperature": 0}
    call = urllib.request.Request(url + "/v1/chat/completions", data=json.dumps(body).encode(), method="POST",
                                  headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(call, timeout=120) as reply:
        return json.loads(reply.read())


def test_server_pull_into_a_full_disk_keeps_serving(fixture):
    _, digest, _ = fixture
    with hub(fixture, rate=3_000_000) as hub_url, tmpfs(160) as disk:
        cache = disk / "hub"
        process, url, log = start_server(hub_url, cache)
        try:
            call = urllib.request.Request(url + "/api/pull", data=json.dumps({"model": NAME}).encode(), method="POST",
                                          headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(call, timeout=300) as reply:
                lines = []
                filler = None
                for line in reply:
                    lines.append(json.loads(line))
                    if filler is None and allocated_bytes(disk) >= 16 << 20:
                        filler = fill_up(disk, leave=1 << 20)
            assert filler is not None, lines
            error = lines[-1].get("error", "")
            assert "the disk is full" in error and "more" in error, lines[-3:]
            assert chat(url)["choices"][0]["message"]["content"] is not None
            assert_cache_holds_only_verified_blobs(cache, digest, complete=False)

            filler.unlink()
            assert pull(url, NAME)[-1] == {"status": "success"}
            assert_cache_holds_only_verified_blobs(cache, digest, complete=True)
            assert process.poll() is None
        finally:
            stop(process)
            os.unlink(log)
    record("a full disk during /api/pull (filled by another program mid-transfer)", 1,
           "the stream's last line said the disk is full and how much more was needed; the server kept answering "
           "chat; no blob; the next pull resumed and verified")


def test_server_killed_during_pulls_resumes_with_a_verified_cache(fixture):
    _, digest, size = fixture
    generator = random.Random(SEED)
    kills = int(os.environ.get("RELIABILITY_PULL_KILLS", "3"))
    with hub(fixture, rate=1_500_000) as hub_url, tempfile.TemporaryDirectory(prefix="botticelli-kill-") as folder:
        cache = Path(folder) / "hub"
        kept = []
        for attempt in range(kills):
            process, url, log = start_server(hub_url, cache)
            try:
                # Kill at a random point of the part still missing.
                already = allocated_bytes(cache) if cache.exists() else 0
                target = already + generator.uniform(0.1, 0.8) * (size - already)
                call = urllib.request.Request(url + "/api/pull", data=json.dumps({"model": NAME}).encode(),
                                              method="POST", headers={"Content-Type": "application/json"})
                reply = urllib.request.urlopen(call, timeout=300)
                deadline = time.monotonic() + 120
                while allocated_bytes(cache) < target and time.monotonic() < deadline:
                    time.sleep(0.01)
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
                reply.close()
            finally:
                stop(process)
                os.unlink(log)
            assert_cache_holds_only_verified_blobs(cache, digest, complete=False)
            kept.append(allocated_bytes(cache))
        process, url, log = start_server(hub_url, cache)
        try:
            assert pull(url, NAME)[-1] == {"status": "success"}
            assert_cache_holds_only_verified_blobs(cache, digest, complete=True)
        finally:
            stop(process)
            os.unlink(log)
    assert kept == sorted(kept), f"a restart lost bytes already fetched: {kept}"
    record("kill -9 of the server during /api/pull, restarted each time", kills,
           "after each kill no blob and no link, only the partial, which grew from kill to kill; the last pull "
           "resumed and verified")


CONFIG_PADDING = "".join(f"# padding {index:05d}: a long comment, so that writing the file takes a while\n"
                         for index in range(4000))


def test_kill_during_configuration_writes_leaves_the_old_file_or_the_new(tmp_path):
    """`config init --force` and `models select --yes` (the write the server's first `start` does too), each
    killed with SIGKILL at a random moment of its run: the file is then exactly the old text or the new one."""
    binary = required_env("BOTTICELLI_BINARY")
    generator = random.Random(SEED)
    attempts = int(os.environ.get("RELIABILITY_CONFIG_KILLS", "48"))
    path = tmp_path / "config.toml"
    old = CONFIG_PADDING + "[server]\nport = 8123\n"
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    commands = {
        "config init": [binary, "config", "init", "--force", "--config", str(path)],
        "models select": [binary, "models", "select", "--yes", "--config", str(path), "--cache-dir",
                          str(tmp_path / "hub")],
        "start": [binary, "start", "--yes", "--config", str(path), "--cache-dir", str(tmp_path / "hub"),
                  "--port", "0"],
    }
    # The new text and the run time of each command, from a run to the end.
    expected = {}
    for name, command in commands.items():
        path.write_text(old)
        started = time.monotonic()
        subprocess.run(command, env=env, capture_output=True, timeout=120)
        expected[name] = (path.read_text(), time.monotonic() - started)
        assert expected[name][0] != old, name
    outcomes = {"old": 0, "new": 0}
    interrupted_writes = 0
    seen = set()
    for attempt in range(attempts):
        name = list(commands)[attempt % len(commands)]
        new, duration = expected[name]
        path.write_text(old)
        process = subprocess.Popen(commands[name], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Anywhere in the run, weighted to its end, where the write is.
        time.sleep(duration * generator.choice([generator.uniform(0, 1.1), generator.uniform(0.8, 1.05)]))
        process.send_signal(signal.SIGKILL)
        process.wait()
        text = path.read_text()
        assert text in (old, new), f"{name} killed (attempt {attempt}, seed {SEED}) left a file that is neither " \
                                   f"the old text nor the new ({len(text)} characters)"
        tomllib.loads(text)
        outcomes["old" if text == old else "new"] += 1
        leftovers = {entry for entry in os.listdir(tmp_path) if entry.startswith(".config.toml.tmp-")}
        interrupted_writes += bool(leftovers - seen)
        seen |= leftovers
    # The next write removes what killed writers left.
    subprocess.run(commands["config init"], env=env, capture_output=True, timeout=120, check=True)
    assert sorted(entry for entry in os.listdir(tmp_path) if entry.startswith(".")) == []
    record("kill -9 during a configuration write (`config init`, `models select`, the first `start`)", attempts,
           f"the file was always the old text ({outcomes['old']}) or the new ({outcomes['new']}), and parsed; "
           f"{interrupted_writes} kills landed mid-write (a temporary file was left); the next write removed those")
