#!/usr/bin/env python3
"""The HTTP benchmark (`make bench`): our server next to llama-server, same model, same settings, same workload.

Usage: run.py --ours BINARY --llama-server BINARY --model MODEL.gguf [--download-json FILE] [--output FILE]

1. Cold start: each server is started from nothing and timed to its first successful completion, alternating.
2. Both servers are started and warmed up; then every scenario runs A B A B (ours, llama-server, ours, ...), one
   server at a time, while the other sits idle.
3. The result file (bench/results/latest.json by default) holds the settings, the machine, every round of every
   scenario, and the figures with their ratios and goals; bench/http/report.py turns it into BENCHMARKS.md.
Settings come from the environment: see settings.py (BENCH_QUICK=1 for a smoke run of a few minutes).
"""

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

import aiohttp

import machine
import scenarios
from client import stream_request
from figures import figures
from servers import BenchmarkError, RunningServer, ServerKind, ServerSettings
from settings import BenchmarkSettings
from workload import Workload, calibrate


def log(message: str) -> None:
    print(f"bench [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def session() -> aiohttp.ClientSession:
    # A new connection for every request, for both servers: llama-server closes the connection after a streamed
    # response without saying so (no `Connection: close`), and aiohttp would otherwise reuse the dead socket and
    # fail with "Can not write request body". No cap on connections: each client of a scenario gets its own.
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, force_close=True))


async def first_completion(server: RunningServer, timeout: float = 120.0) -> float:
    """Seconds from spawning the server to its first successful one-token completion."""
    deadline = time.monotonic() + timeout
    body = {"messages": [{"role": "user", "content": "Hi"}], **Workload.sampling(1)}
    async with session() as client:
        while time.monotonic() < deadline:
            server.check_alive()
            record = await stream_request(client, server.kind.base_url, "chat", body, timeout=30)
            if record.ok:
                return record.finished - server.spawned
            await asyncio.sleep(0.01)
    raise BenchmarkError(f"{server.kind.name} gave no successful completion within {timeout:.0f} s of starting")


def cold_starts(kinds, server_settings, logs: Path, repeats: int) -> dict:
    """Alternating starts of each server; the first of each is not counted (it loads the binary and its libraries
    into the page cache, as the model file already is)."""
    results = {kind.name: [] for kind in kinds}
    for repeat in range(-1, repeats):
        for kind in kinds:
            label = f"cold-start-{kind.name}-{'unmeasured' if repeat < 0 else repeat}"
            with RunningServer(kind, server_settings, logs, label) as server:
                seconds = asyncio.run(first_completion(server))
            if repeat >= 0:
                results[kind.name].append(seconds)
            log(f"cold start {kind.name}: {seconds:.2f} s{' (not counted)' if repeat < 0 else ''}")
            time.sleep(0.5)
    return results


async def warm_up(server: RunningServer, workload: Workload, parallel: int) -> None:
    """A few requests, then one per sequence at once, so that every slot and code path has run before timing."""
    async with session() as client:
        for index in range(2):
            route, body = workload.decode_request(index)
            record = await stream_request(client, server.kind.base_url, route, dict(body, max_tokens=16))
            if not record.ok:
                raise BenchmarkError(f"{server.kind.name} failed a warm-up request: {record.error}")
        burst = []
        for number in range(parallel):
            route, body = workload.mixed_request("warm-up", number, 0, 64)
            burst.append(stream_request(client, server.kind.base_url, route, dict(body, max_tokens=32)))
        for record in await asyncio.gather(*burst):
            if not record.ok:
                raise BenchmarkError(f"{server.kind.name} failed a warm-up request: {record.error}")


async def memory_sampler(server: RunningServer, peaks: list[int]) -> None:
    """Keeps the highest resident set size seen, every 50 ms, in peaks[0]."""
    while True:
        peaks[0] = max(peaks[0], server.resident_bytes())
        await asyncio.sleep(0.05)


async def run_scenario(name: str, server: RunningServer, workload: Workload, settings: BenchmarkSettings) -> dict:
    base_url = server.kind.base_url
    async with session() as client:
        if name == "decode":
            return await scenarios.decode(client, base_url, workload, settings.decode_repeats)
        if name == "prompt":
            return await scenarios.prompt(
                client, base_url, workload, settings.prompt_repeats, settings.prompt_tokens, settings.prompt_generate
            )
        if name == "chat":
            return await scenarios.chat(client, base_url, workload, 0, settings.chat_turns, settings.chat_generate)
        clients = int(name.removeprefix("clients-"))
        if clients != 8:
            return await scenarios.concurrency(client, base_url, workload, clients, settings.duration_s)
        peaks = [server.resident_bytes()]
        result = await scenarios.concurrency(
            client, base_url, workload, clients, settings.duration_s, lambda: memory_sampler(server, peaks)
        )
        result["peak_rss_bytes"] = peaks[0]
        result["vm_hwm_bytes"] = server.peak_resident_bytes()
        return result


def settle(server: RunningServer, when: str) -> tuple[float, bool]:
    seconds, settled = server.wait_idle()
    if not settled:
        log(
            f"warning: {server.kind.name} was still busy {seconds:.0f} s {when} a scenario; the next figures "
            "may be disturbed"
        )
    return seconds, settled


def summary_line(name: str, result: dict) -> str:
    parts = []
    for key in (
        "tokens_per_second",
        "time_to_first_token_s",
        "time_to_first_token_p95_s",
        "total_s",
        "errors",
        "settle_s",
    ):
        if result.get(key) is not None:
            value = result[key]
            parts.append(f"{key}={value:.3f}" if isinstance(value, float) else f"{key}={value}")
    if "peak_rss_bytes" in result:
        parts.append(f"peak_rss={result['peak_rss_bytes'] / 1048576:.0f}MiB")
    return f"{name}: " + " ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", required=True, help="the botticelli_server binary")
    parser.add_argument("--ours-build", default="unknown", help="how ours was built (release, debug), for the report")
    parser.add_argument("--llama-server", required=True, help="llama.cpp's llama-server binary")
    parser.add_argument("--model", required=True, help="the .gguf both serve")
    parser.add_argument("--llama-version", default="", help="which llama.cpp, for the report")
    parser.add_argument("--download-json", help="bench/download/run.sh's JSON result, to include")
    parser.add_argument("--output", default="bench/results/latest.json")
    parser.add_argument("--logs", help="folder for the servers' logs (default: a new one under /tmp)")
    arguments = parser.parse_args()

    settings = BenchmarkSettings.from_environment()
    for label, path in (("--ours", arguments.ours), ("--llama-server", arguments.llama_server)):
        if not Path(path).is_file():
            raise BenchmarkError(f"{label} {path}: no such file")
    if not Path(arguments.model).is_file():
        raise BenchmarkError(f"--model {arguments.model}: no such file (make fixture fetches it)")
    logs = Path(arguments.logs) if arguments.logs else Path(f"/tmp/botticelli-bench-{time.strftime('%Y%m%d-%H%M%S')}")
    logs.mkdir(parents=True, exist_ok=True)
    log(f"servers' logs in {logs}")

    server_settings = ServerSettings(arguments.model, settings.threads, settings.context_size, settings.parallel)
    kinds = [
        ServerKind("ours", arguments.ours, settings.port),
        ServerKind("llama-server", arguments.llama_server, settings.port + 1),
    ]
    started = time.monotonic()
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine.describe(),
        "commit": machine.commit(),
        "llama_cpp": arguments.llama_version or machine.llama_version(arguments.llama_server),
        "ours_build": arguments.ours_build,
        "settings": settings.as_json(),
        "commands": {kind.name: kind.command(server_settings) for kind in kinds},
    }

    result["cold_start_s"] = cold_starts(kinds, server_settings, logs, settings.cold_start_repeats)

    names = ["decode", "prompt", "chat"] + [f"clients-{clients}" for clients in settings.concurrency]
    rounds = {name: {kind.name: [] for kind in kinds} for name in names}
    with ExitStack() as stack:
        servers = {}
        for kind in kinds:
            servers[kind.name] = stack.enter_context(RunningServer(kind, server_settings, logs, kind.name))
        for server in servers.values():
            server.wait_ready()
        workload = Workload(settings.max_tokens, asyncio.run(calibrate_with(servers["llama-server"])))
        workload.round_number = -1  # the warm-up's own prompts
        for server in servers.values():
            log(f"warming up {server.kind.name}")
            asyncio.run(warm_up(server, workload, settings.parallel))
        for name in names:
            for round_number in range(settings.rounds):
                workload.round_number = round_number
                for server in servers.values():
                    settle(server, "before")
                    outcome = asyncio.run(run_scenario(name, server, workload, settings))
                    outcome["settle_s"], outcome["settled"] = settle(server, "after")
                    rounds[name][server.kind.name].append(outcome)
                    log(f"{server.kind.name} round {round_number + 1} {summary_line(name, outcome)}")
    result["scenarios"] = rounds
    if arguments.download_json:
        try:
            result["downloads"] = json.loads(Path(arguments.download_json).read_text())
        except (OSError, json.JSONDecodeError) as error:
            log(f"no download figures: {error}")
    result["machine"]["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    result["figures"] = figures(result)
    result["http_benchmark_s"] = time.monotonic() - started
    output = Path(arguments.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=1) + "\n")
    log(f"wrote {output} ({result['http_benchmark_s']:.0f} s)")
    return 0


async def calibrate_with(server: RunningServer) -> float:
    async with session() as client:
        return await calibrate(client, server.kind.base_url)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def stop_on_signal(*_) -> None:
    # Ctrl-C, SIGTERM and SIGHUP all unwind through every `with RunningServer`, which stops its server. Further
    # signals are ignored from here on, so a second Ctrl-C cannot cut that clean-up short and leave a server behind.
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    raise KeyboardInterrupt


if __name__ == "__main__":
    for number in STOP_SIGNALS:
        signal.signal(number, stop_on_signal)
    try:
        sys.exit(main())
    except BenchmarkError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("bench: interrupted; the servers were stopped", file=sys.stderr)
        sys.exit(130)
