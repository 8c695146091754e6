#!/usr/bin/env python3
"""Turns a result of bench/http/run.py into BENCHMARKS.md and a chart of aggregate tokens/s against concurrency.

Usage: report.py RESULT.json [--markdown BENCHMARKS.md] [--chart bench/results/concurrency.png]
"""

import argparse
import json
import os
import statistics
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: write files only
import matplotlib.pyplot as plt  # noqa: E402

REPOSITORY = Path(__file__).resolve().parents[2]


def number(value, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value}"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def with_unit(value, unit: str) -> str:
    text = number(value, unit)
    return text if unit == "s" or value is None else f"{text} {unit}"


def ratio_text(ratio) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"


def met_text(met) -> str:
    return {True: "yes", False: "**no**", None: "—"}[met]


def reference_name(row: dict) -> str:
    return row.get("peer", "llama-server")


def chart(result: dict, path: Path) -> None:
    scenarios = result["scenarios"]
    names = sorted((name for name in scenarios if name.startswith("clients-")), key=lambda n: int(n.split("-")[1]))
    clients = [int(name.split("-")[1]) for name in names]
    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=110)
    for server, style in (("ours", "o-"), ("llama-server", "s--")):
        values = []
        for name in names:
            rounds = [outcome["tokens_per_second"] for outcome in scenarios[name][server]]
            values.append(statistics.median(rounds) if rounds else float("nan"))
        label = "Botticelli (ours)" if server == "ours" else "llama-server"
        axes.plot(clients, values, style, label=label, linewidth=2, markersize=7)
    axes.set_xscale("log", base=2)
    axes.set_xticks(clients, [str(count) for count in clients])
    axes.set_xlabel("concurrent clients")
    axes.set_ylabel("aggregate generated tokens/s")
    settings = result["settings"]
    title = f"{settings['parallel']} parallel sequences, {settings['threads']} threads"
    if result.get("ours_build") != "release":
        title += f" — ours is a {result.get('ours_build')} build"
    axes.set_title(title, fontsize=10)
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)


def goals_table(rows: list[dict]) -> list[str]:
    lines = ["| goal | measured | met? |", "|---|---|---|"]
    for row in rows:
        if not row["goal"]:
            continue
        reference = reference_name(row)
        if row["measure"].startswith("errors"):
            measured = f"{row['ours']} (llama-server {row['theirs']})"
            goal = f"{row['section']}: no errors"
        elif row["measure"] == "peak RSS":
            measured = f"{number(row['ours'])} MiB vs {number(row['theirs'])} MiB ({ratio_text(row['ratio'])})"
            goal = f"{row['section']}, {row['measure']}: {row['goal']}"
        else:
            measured = (
                f"{ratio_text(row['ratio'])} ({with_unit(row['ours'], row['unit'])} vs "
                f"{with_unit(row['theirs'], row['unit'])})"
            )
            goal = f"{row['section']}, {row['measure']}: {row['goal']}"
            if "×" in goal and reference not in goal:
                goal += f" {reference}"
        lines.append(f"| {goal.strip()} | {measured} | {met_text(row['met'])} |")
    return lines


def figures_table(rows: list[dict]) -> list[str]:
    lines = [
        "| scenario | measure | ours | reference | ours / reference | goal | met? |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        reference = reference_name(row)
        lines.append(
            f"| {row['section']} | {row['measure']} | {with_unit(row['ours'], row['unit'])} | "
            f"{with_unit(row['theirs'], row['unit'])} ({reference}) | {ratio_text(row['ratio'])} | "
            f"{row['goal'] or '—'} | {met_text(row['met'])} |"
        )
    return lines


def downloads_table(downloads: dict) -> list[str]:
    lines = ["| client | time | throughput | check |", "|---|---:|---:|---|"]
    for name, client in downloads.get("clients", {}).items():
        if client.get("status") != "ok":
            lines.append(f"| {name} | — | — | {client.get('status')} |")
            continue
        lines.append(f"| {name} | {client['seconds']:.2f} s | {client['mib_per_s']:.1f} MiB/s | {client['check']} |")
    return lines


def notes(result: dict) -> list[str]:
    """Anything in the raw rounds that a reader of the tables should know: errors, short generations, a server
    that did not go idle."""
    lines = []
    for name, servers in result["scenarios"].items():
        for server, rounds in servers.items():
            short = sum(outcome.get("short_generations") or 0 for outcome in rounds)
            if short:
                lines.append(
                    f"- {name}, {server}: {short} request(s) ended before max_tokens (end of generation; "
                    "`ignore_eos` not honoured?); rates use the tokens really generated."
                )
            samples = sorted({sample for outcome in rounds for sample in outcome.get("error_samples") or []})
            if samples:
                lines.append(f"- {name}, {server}: errors such as `{samples[0]}`")
            if any(outcome.get("settled") is False for outcome in rounds):
                lines.append(
                    f"- {name}, {server}: still busy {max(o['settle_s'] for o in rounds):.0f} s after the run."
                )
    return lines


def markdown(result: dict, chart_path: Path, markdown_path: Path) -> str:
    machine = result["machine"]
    settings = result["settings"]
    build = result.get("ours_build", "unknown")
    lines = ["# Benchmarks", ""]
    if build != "release":
        lines += [
            f"> **Smoke run with a {build} build of our server: these figures are not results.** A debug build "
            "is much slower in Swift code, and this run may have shared the machine with other work. "
            "`make bench` builds in release mode and writes the real figures here.",
            "",
        ]
    lines += [
        "`make bench` runs our server and llama.cpp's `llama-server` side by side on the same model file with the "
        "same threads, context and parallel sequences, drives both with one load generator, and writes this file, "
        "`bench/results/latest.json` and the chart below. Ratios are ours / reference: above 1 is better for "
        "throughput, below 1 for times and memory.",
        "",
        "| | |",
        "|---|---|",
        f"| date | {result['date']} |",
        f"| machine | {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, {machine['os']}, "
        f"Linux {machine['kernel']} |",
        f"| load average | {', '.join(map(str, machine['load_average_at_start']))} at the start, "
        f"{', '.join(map(str, machine.get('load_average_at_end', [])))} at the end (1, 5, 15 min) |",
        f"| commit | {result['commit']} |",
        f"| our build | {build} |",
        f"| llama.cpp | {result['llama_cpp']} |",
        f"| model | {Path(result['commands']['ours'][3]).name} |",
        f"| both servers | {settings['threads']} threads, context {settings['context_size']} tokens shared by "
        f"{settings['parallel']} parallel sequences, prompt caching on |",
        f"| rounds | {settings['rounds']} A B rounds per scenario (ours, llama-server, ...); timed windows of "
        f"{settings['duration_s']:.0f} s |",
    ]
    if result.get("http_benchmark_s"):
        lines.append(f"| duration | HTTP benchmark {result['http_benchmark_s'] / 60:.1f} min |")
    lines += ["", "## Goals", ""] + goals_table(result["figures"])
    lines += ["", "## Every figure", ""] + figures_table(result["figures"])
    remarks = notes(result)
    if remarks:
        lines += ["", "Notes from the raw rounds:", ""] + remarks
    relative_chart = os.path.relpath(chart_path, markdown_path.parent)
    lines += ["", "## Aggregate throughput against concurrency", "", f"![aggregate tokens/s]({relative_chart})", ""]
    if result.get("downloads"):
        downloads = result["downloads"]
        lines += (
            [
                f"## Downloads ({downloads.get('size_mib')} MiB over loopback, `make bench-download`)",
                "",
            ]
            + downloads_table(downloads)
            + [""]
        )
    lines += [
        "## How it was measured",
        "",
        "- Commands (the same model file, ports on 127.0.0.1):",
        f"  - ours: `{' '.join(result['commands']['ours'])}`",
        f"  - llama-server: `{' '.join(result['commands']['llama-server'])}`",
        "- One asyncio load generator (aiohttp) reads each streamed response chunk by chunk; time to first token "
        "is the first chunk with text, latency the `data: [DONE]`. Each request opens its own connection. "
        "Requests: temperature 0, `ignore_eos: true`, token counts from the usage chunk "
        "(`stream_options.include_usage`). Every request's text starts with its own tag (round, scenario, client, "
        "request), so past the chat template's opening and the shared system prompt no prompt repeats an earlier "
        "one; only the multi-turn chat can reuse more of a cached prefix.",
        f"- Decode: one client, a short chat prompt, {settings['max_tokens']} tokens, {settings['decode_repeats']} "
        "requests per round; tokens after the first over the time from first to last chunk.",
        f"- Prompt: one client, a ~{settings['prompt_tokens']}-token text completion, {settings['prompt_generate']} "
        "tokens generated; prompt tokens over time to first token.",
        f"- Concurrency: N closed-loop clients, chat prompts of 32 to 512 tokens (seeded, the same for both), "
        f"{settings['max_tokens']} tokens each, for {settings['duration_s']:.0f} s; tokens/s counts tokens that "
        "arrived inside the window; requests still running at its end are cancelled (one still waiting for its first "
        "token counts its wait so far as its time to first token) and the server must go idle before the next run.",
        f"- Multi-turn chat: {settings['chat_turns']} turns of {settings['chat_generate']} tokens, each re-sending the "
        "whole history.",
        f"- Cold start: process start to the first successful one-token completion, model already on disk, "
        f"median of {settings['cold_start_repeats']} starts each after one uncounted start, alternating.",
        "- Memory: the highest resident set size sampled every 50 ms during the 8-client run.",
        "- Medians over rounds; the raw rounds are in `bench/results/latest.json`.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("result")
    parser.add_argument("--markdown", default=str(REPOSITORY / "BENCHMARKS.md"))
    parser.add_argument("--chart", default=str(REPOSITORY / "bench" / "results" / "concurrency.png"))
    arguments = parser.parse_args()
    result = json.loads(Path(arguments.result).read_text())
    chart_path, markdown_path = Path(arguments.chart).resolve(), Path(arguments.markdown).resolve()
    chart(result, chart_path)
    markdown_path.write_text(markdown(result, chart_path, markdown_path))
    print(f"report: wrote {markdown_path} and {chart_path}")


if __name__ == "__main__":
    main()
