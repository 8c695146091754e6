"""The benchmark's scenarios, each run against one server at a time and summarised as plain JSON values."""

import asyncio
import statistics
import time

import aiohttp

from client import RequestRecord, stream_request
from workload import Workload, mixed_prompt_lengths

MIXED_PROMPT_TOKENS = [32, 128, 256, 512]


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def median(values: list[float]) -> float | None:
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def describe(record: RequestRecord) -> dict:
    """The per-request figures kept in the result file."""
    return {
        "ok": record.ok,
        "error": record.error,
        "time_to_first_token_s": record.time_to_first_token,
        "latency_s": record.latency,
        "prompt_tokens": record.prompt_tokens,
        "cached_tokens": record.cached_tokens,
        "completion_tokens": record.completion_tokens,
        "finish_reason": record.finish_reason,
        "server_timings": record.server_timings,
    }


def errors_of(records: list[RequestRecord]) -> dict:
    failed = [record for record in records if record.error is not None]
    return {"errors": len(failed), "error_samples": sorted({record.error for record in failed})[:5]}


def short_generations(records: list[RequestRecord], expected: int) -> int:
    """Requests that produced fewer tokens than asked for (the server stopped at end-of-generation)."""
    return sum(1 for record in records if record.ok and (record.completion_tokens or 0) < expected)


async def decode(session: aiohttp.ClientSession, base_url: str, workload: Workload, repeats: int) -> dict:
    """One client, a short prompt, `workload.max_tokens` generated: decode tokens/s after the first token."""
    records = []
    for index in range(repeats):
        route, body = workload.decode_request(index)
        records.append(await stream_request(session, base_url, route, body))
    good = [record for record in records if record.ok]
    return {
        "tokens_per_second": median([record.decode_tokens_per_second for record in good]),
        "completion_tokens": [record.completion_tokens for record in good],
        "short_generations": short_generations(records, workload.max_tokens),
        **errors_of(records),
        "requests": [describe(record) for record in records],
    }


async def prompt(
    session: aiohttp.ClientSession, base_url: str, workload: Workload, repeats: int, prompt_tokens: int, generate: int
) -> dict:
    """One client, a long uncached prompt, a few tokens generated: prompt tokens/s and time to first token."""
    records = []
    for index in range(repeats):
        route, body = workload.prompt_request(index, prompt_tokens, generate)
        records.append(await stream_request(session, base_url, route, body))
    good = [record for record in records if record.ok and record.time_to_first_token]
    rates = [(record.prompt_tokens - (record.cached_tokens or 0)) / record.time_to_first_token for record in good]
    return {
        "tokens_per_second": median(rates),
        "time_to_first_token_s": median([record.time_to_first_token for record in good]),
        "prompt_tokens": [record.prompt_tokens for record in good],
        **errors_of(records),
        "requests": [describe(record) for record in records],
    }


async def concurrency(
    session: aiohttp.ClientSession,
    base_url: str,
    workload: Workload,
    clients: int,
    duration: float,
    while_running=None,
) -> dict:
    """`clients` closed-loop clients, each sending mixed-length requests back to back for `duration` seconds.

    At the deadline the requests still in flight are cancelled (their connections closed): tokens/s counts the
    tokens that arrived inside the window, latency counts the requests that finished, time to first token every
    request (one still waiting counts its wait so far). `while_running` is an optional coroutine function run
    alongside (the memory sampler).
    """
    started = time.perf_counter()
    deadline = started + duration
    records: list[RequestRecord] = []
    max_requests = 10_000  # a bound on a server that fails fast

    async def client(number: int) -> None:
        lengths = mixed_prompt_lengths(seed=number, count=max_requests, lengths=MIXED_PROMPT_TOKENS)
        index = 0
        while time.perf_counter() < deadline and index < max_requests:
            route, body = workload.mixed_request(f"{clients} clients", number, index, lengths[index])
            record = RequestRecord(started=time.perf_counter())
            records.append(record)
            await stream_request(session, base_url, route, body, record=record)
            index += 1
            if not record.ok:
                await asyncio.sleep(0.1)

    tasks = [asyncio.create_task(client(number)) for number in range(clients)]
    if while_running:
        tasks.append(asyncio.create_task(while_running()))
    await asyncio.wait(tasks, timeout=max(0.0, deadline - time.perf_counter()))
    cut_at = time.perf_counter()
    for record in records:
        if record.finished is None and record.error is None:
            record.cut = True
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    good = [record for record in records if record.ok]
    # A request still waiting for its first token at the deadline counts with its wait so far (a lower bound), so
    # that a server that keeps clients waiting past the window cannot look better for it.
    ttft = [
        record.time_to_first_token if record.first_token is not None else cut_at - record.started
        for record in records
        if record.error is None
    ]
    latency = [record.latency for record in good]
    return {
        "clients": clients,
        "duration_s": cut_at - started,
        "requests": len(good),
        "cut_at_deadline": sum(1 for record in records if record.cut),
        "tokens_per_second": sum(record.tokens_before(cut_at) for record in records if record.error is None)
        / (cut_at - started),
        "time_to_first_token_p50_s": percentile(ttft, 0.5),
        "time_to_first_token_p95_s": percentile(ttft, 0.95),
        "latency_p50_s": percentile(latency, 0.5),
        "latency_p95_s": percentile(latency, 0.95),
        "short_generations": short_generations(records, workload.max_tokens),
        **errors_of(records),
    }


async def chat(
    session: aiohttp.ClientSession, base_url: str, workload: Workload, conversation: int, turns: int, generate: int
) -> dict:
    """A conversation of `turns` turns that re-sends the whole history each time: total time (prefix reuse)."""
    history: list[dict] = []
    records = []
    started = time.perf_counter()
    for turn in range(turns):
        messages = workload.chat_turn(history, conversation, turn)
        record = await stream_request(session, base_url, "chat", {"messages": messages, **workload.sampling(generate)})
        records.append(record)
        if not record.ok:
            break
        history = messages + [{"role": "assistant", "content": record.text}]
    return {
        "total_s": time.perf_counter() - started,
        "turns": len(records),
        "prompt_tokens": [record.prompt_tokens for record in records],
        "cached_tokens": [record.cached_tokens for record in records],
        **errors_of(records),
    }
