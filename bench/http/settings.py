"""The benchmark's knobs, read from the environment, with a quick variant for smoke runs (BENCH_QUICK=1)."""

import os
from dataclasses import asdict, dataclass


def integer(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"bench: {name} must be a whole number, got '{value}'") from None


def number(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    try:
        return float(value) if value else default
    except ValueError:
        raise SystemExit(f"bench: {name} must be a number, got '{value}'") from None


@dataclass(frozen=True)
class BenchmarkSettings:
    quick: bool
    rounds: int  # A B rounds per scenario: 2 gives A B A B
    duration_s: float  # each concurrency run
    concurrency: tuple[int, ...]
    decode_repeats: int
    max_tokens: int
    prompt_repeats: int
    prompt_tokens: int
    prompt_generate: int
    chat_turns: int
    chat_generate: int
    cold_start_repeats: int
    threads: int
    parallel: int
    context_size: int
    port: int

    @staticmethod
    def from_environment() -> "BenchmarkSettings":
        quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
        parallel = integer("BENCH_PARALLEL", 8)
        return BenchmarkSettings(
            quick=quick,
            rounds=integer("BENCH_ROUNDS", 1 if quick else 2),
            duration_s=number("BENCH_DURATION", 12 if quick else 25),
            concurrency=(4, 8, 32),
            decode_repeats=integer("BENCH_REPEATS", 2 if quick else 3),
            max_tokens=128,
            prompt_repeats=integer("BENCH_REPEATS", 2 if quick else 3),
            prompt_tokens=512,
            prompt_generate=16,
            chat_turns=6,
            chat_generate=integer("BENCH_CHAT_TOKENS", 48),
            cold_start_repeats=integer("BENCH_COLD_STARTS", 2 if quick else 3),
            threads=integer("BENCH_THREADS", os.cpu_count() or 2),
            parallel=parallel,
            # 1024 tokens per sequence: a 512-token prompt, 128 generated and a six-turn chat all fit.
            context_size=integer("BENCH_CTX", parallel * 1024),
            port=integer("BENCH_PORT", 18431),
        )

    def as_json(self) -> dict:
        return asdict(self)
