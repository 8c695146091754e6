"""Starting, watching and stopping the two servers under test.

Each server runs in its own process group with its output in a log file. A server is stopped with SIGTERM and,
after a grace period, SIGKILL to its whole group, so an interrupted benchmark leaves nothing running.
"""

import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil


def die_with_parent() -> None:
    """Runs in the child before exec: on Linux, SIGKILL the server if the benchmark itself is killed outright."""
    if sys.platform.startswith("linux"):
        set_parent_death_signal = 1  # PR_SET_PDEATHSIG
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)


class BenchmarkError(Exception):
    """A failure that ends the benchmark, with a message that says what to do."""


@dataclass(frozen=True)
class ServerSettings:
    """What both servers share: the model, threads, total context, parallel sequences."""

    model: str
    threads: int
    context_size: int
    parallel: int


@dataclass(frozen=True)
class ServerKind:
    """How to start one server: `name` is "ours" or "llama-server"."""

    name: str
    binary: str
    port: int

    def command(self, settings: ServerSettings) -> list[str]:
        if self.name == "ours":
            return [
                self.binary, "start", "--model", settings.model, "--host", "127.0.0.1", "--port", str(self.port),
                "--parallel", str(settings.parallel), "--threads", str(settings.threads),
                "--ctx-size", str(settings.context_size), "--offline",
            ]  # fmt: skip
        # -np with an explicit count keeps llama-server's KV cache split per sequence (no --kv-unified), as ours is;
        # prompt caching (cache_prompt) is on by default for every request.
        return [
            self.binary, "-m", settings.model, "--host", "127.0.0.1", "--port", str(self.port),
            "-np", str(settings.parallel), "-t", str(settings.threads), "-c", str(settings.context_size),
            "--no-kv-unified",
        ]  # fmt: skip

    def environment(self, scratch: Path) -> dict[str, str]:
        """The caller's environment without either server's own settings, so only the flags above count."""
        environment = {
            key: value for key, value in os.environ.items() if not key.startswith(("BOTTICELLI_", "LLAMA_ARG_", "HF_"))
        }
        if self.name == "ours":
            # An empty cache and configuration: ours must never reach for the network or a user's settings.
            (scratch / "hf-cache").mkdir(exist_ok=True)
            config = scratch / "config.toml"
            config.touch()
            environment.update(
                HF_HUB_CACHE=str(scratch / "hf-cache"), HF_HUB_OFFLINE="1", BOTTICELLI_CONFIG=str(config)
            )
        return environment

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def require_free_port(port: int, name: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR as the servers set it: a previous run's TIME_WAIT connections do not count, a listener does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise BenchmarkError(
                f"port {port} for {name} is in use ({error.strerror}); stop what listens there "
                f"(`ss -ltnp 'sport = :{port}'` shows it) or pick other ports with BENCH_PORT=N "
                "(ours gets N, llama-server N+1)"
            ) from None


class RunningServer:
    """A started server process; use as a context manager so it is always stopped."""

    def __init__(self, kind: ServerKind, settings: ServerSettings, log_directory: Path, label: str):
        require_free_port(kind.port, kind.name)
        self.kind = kind
        self.scratch = Path(tempfile.mkdtemp(prefix=f"bench-{kind.name}-", dir=log_directory))
        self.log_path = log_directory / f"{label}.log"
        self._log = open(self.log_path, "wb")
        self.spawned = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                kind.command(settings),
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=kind.environment(self.scratch),
                cwd=self.scratch,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        except OSError as error:
            self._log.close()
            raise BenchmarkError(f"could not start {kind.name} ({kind.binary}): {error}") from None
        self.psutil_process = psutil.Process(self.process.pid)

    def __enter__(self) -> "RunningServer":
        return self

    def __exit__(self, *_) -> None:
        self.stop()

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join("    " + line for line in text[-lines:])

    def check_alive(self) -> None:
        code = self.process.poll()
        if code is not None:
            raise BenchmarkError(
                f"{self.kind.name} exited with status {code}; the end of {self.log_path}:\n{self.log_tail()}"
            )

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Polls /health until it answers 200 while our process is still alive."""
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with urllib.request.urlopen(self.kind.base_url + "/health", timeout=2) as response:
                    if response.status == 200:
                        self.check_alive()  # not someone else's server on this port
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        raise BenchmarkError(
            f"{self.kind.name} did not answer {self.kind.base_url}/health within {timeout:.0f} s; "
            f"the end of {self.log_path}:\n{self.log_tail()}"
        )

    def cpu_seconds(self) -> float:
        try:
            times = self.psutil_process.cpu_times()
            return times.user + times.system
        except psutil.Error:
            return 0.0

    def wait_idle(self, timeout: float = 300.0) -> tuple[float, bool]:
        """Waits until the server uses under 5% of a core over half a second.

        Returns the seconds it took and whether it got there. After a timed window the benchmark closes the
        connections still open: a server that drops the work of clients that went away settles at once, one that
        carries on for nobody shows it here.
        """
        started = time.monotonic()
        last = self.cpu_seconds()
        while time.monotonic() - started < timeout:
            time.sleep(0.5)
            self.check_alive()
            now = self.cpu_seconds()
            if now - last < 0.025:
                return time.monotonic() - started, True
            last = now
        return time.monotonic() - started, False

    def resident_bytes(self) -> int:
        try:
            return self.psutil_process.memory_info().rss
        except psutil.Error:
            return 0

    def peak_resident_bytes(self) -> int:
        """VmHWM: the highest resident set size of the process's life so far (Linux)."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def stop(self, grace: float = 10.0) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        # Anything left in the group (the server, or a child it started) goes now.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()
