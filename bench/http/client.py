"""One streamed OpenAI request, timed chunk by chunk.

Both servers get byte-identical request bodies. A request is read as Server-Sent Events line by line as the
bytes arrive; the time of every chunk that carries generated text is kept, so a scenario can tell time to first
token, the decode rate after it, and how many tokens landed inside a fixed time window.
"""

import json
import time
from dataclasses import dataclass, field

import aiohttp


@dataclass
class RequestRecord:
    """What one request did, in seconds since `started` (a time.perf_counter value)."""

    started: float
    first_token: float | None = None  # first chunk with non-empty generated text
    finished: float | None = None  # `data: [DONE]` read
    chunk_times: list[float] = field(default_factory=list)  # one per chunk with generated text
    completion_tokens: int | None = None  # from the usage chunk
    prompt_tokens: int | None = None
    cached_tokens: int | None = None
    finish_reason: str | None = None
    server_timings: dict | None = None  # llama.cpp-style `timings`, when the server sends them
    text: str = ""
    error: str | None = None
    cut: bool = False  # cancelled by the benchmark at the end of a timed window, not failed

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cut

    @property
    def time_to_first_token(self) -> float | None:
        return None if self.first_token is None else self.first_token - self.started

    @property
    def latency(self) -> float | None:
        return None if self.finished is None else self.finished - self.started

    @property
    def decode_tokens_per_second(self) -> float | None:
        """Tokens after the first over the time from the first generated chunk to the last."""
        if not self.chunk_times or self.completion_tokens is None or self.completion_tokens < 2:
            return None
        span = self.chunk_times[-1] - self.chunk_times[0]
        return (self.completion_tokens - 1) / span if span > 0 else None

    def tokens_before(self, deadline: float) -> float:
        """Generated tokens that arrived by `deadline` (absolute perf_counter time).

        A chunk normally carries one token; the usage count is spread evenly over the chunks so that a server
        that holds back a partial UTF-8 sequence or a possible stop string is still counted by real tokens. A
        request cut at the deadline has no usage yet: its chunks count one token each.
        """
        if not self.chunk_times:
            return 0.0
        arrived = sum(1 for moment in self.chunk_times if moment <= deadline)
        if self.completion_tokens is None:
            return float(arrived) if self.cut else 0.0
        return self.completion_tokens * arrived / len(self.chunk_times)


def text_of(route: str, choice: dict) -> str:
    if route == "chat":
        return (choice.get("delta") or {}).get("content") or ""
    return choice.get("text") or ""


async def stream_request(
    session: aiohttp.ClientSession,
    base_url: str,
    route: str,
    body: dict,
    timeout: float = 300.0,
    record: RequestRecord | None = None,
) -> RequestRecord:
    """POSTs `body` with stream and usage on to /v1/chat/completions (route "chat") or /v1/completions.

    Pass `record` to keep what arrived when the task is cancelled (its connection is then closed).
    """
    path = "/v1/chat/completions" if route == "chat" else "/v1/completions"
    payload = dict(body, stream=True, stream_options={"include_usage": True})
    record = record or RequestRecord(started=time.perf_counter())
    record.started = time.perf_counter()
    pieces = []
    try:
        async with session.post(
            base_url + path, json=payload, timeout=aiohttp.ClientTimeout(total=timeout)
        ) as response:
            if response.status != 200:
                detail = (await response.text())[:300]
                record.error = f"HTTP {response.status}: {detail}"
                return record
            async for raw_line in response.content:
                line = raw_line.strip()
                if not line.startswith(b"data:"):
                    continue
                data = line[5:].strip()
                if data == b"[DONE]":
                    record.finished = time.perf_counter()
                    break
                now = time.perf_counter()
                event = json.loads(data)
                if "error" in event:
                    record.error = f"error event: {json.dumps(event['error'])[:300]}"
                    return record
                for choice in event.get("choices") or []:
                    piece = text_of(route, choice)
                    if piece:
                        if record.first_token is None:
                            record.first_token = now
                        record.chunk_times.append(now)
                        pieces.append(piece)
                    if choice.get("finish_reason"):
                        record.finish_reason = choice["finish_reason"]
                usage = event.get("usage")
                if usage:
                    record.completion_tokens = usage.get("completion_tokens")
                    record.prompt_tokens = usage.get("prompt_tokens")
                    record.cached_tokens = (usage.get("prompt_tokens_details") or {}).get("cached_tokens")
                if event.get("timings"):
                    record.server_timings = event["timings"]
    except (aiohttp.ClientError, TimeoutError, json.JSONDecodeError) as error:
        record.error = f"{type(error).__name__}: {error}"[:300]
        return record
    record.text = "".join(pieces)
    if record.finished is None:
        record.error = "the stream ended without data: [DONE]"
    elif record.completion_tokens is None:
        record.error = "no usage in the stream although stream_options.include_usage was true"
    elif record.first_token is None:
        record.error = "no generated text in the stream"
    return record
