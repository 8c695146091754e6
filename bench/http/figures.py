"""The headline figures of a result: each with ours, llama-server's, the ratio ours/theirs, the goal and whether
it was met. Rounds are combined by their median."""

import statistics

RSS_ALLOWANCE_BYTES = 30 * 1048576


def median_of(rounds: list[dict], key: str) -> float | None:
    values = [outcome[key] for outcome in rounds if outcome.get(key) is not None]
    return statistics.median(values) if values else None


def total_of(rounds: list[dict], key: str) -> int:
    return sum(outcome.get(key) or 0 for outcome in rounds)


def figure(section, measure, unit, ours, theirs, better, goal="", met=None) -> dict:
    ratio = ours / theirs if ours is not None and theirs else None
    return {
        "section": section,
        "measure": measure,
        "unit": unit,
        "ours": ours,
        "theirs": theirs,
        "ratio": ratio,
        "better": better,
        "goal": goal,
        "met": met,
    }


def at_least(ratio: float | None, goal: float) -> bool | None:
    return None if ratio is None else ratio >= goal


def at_most(ratio: float | None, goal: float) -> bool | None:
    return None if ratio is None else ratio <= goal


def figures(result: dict) -> list[dict]:
    rows = []
    scenarios = result.get("scenarios", {})

    def pair(name: str, key: str) -> tuple:
        rounds = scenarios.get(name, {})
        return median_of(rounds.get("ours", []), key), median_of(rounds.get("llama-server", []), key)

    if "decode" in scenarios:
        ours, theirs = pair("decode", "tokens_per_second")
        row = figure("single client", "decode, 128 tokens", "tokens/s", ours, theirs, "higher", "≥ 0.98×")
        row["met"] = at_least(row["ratio"], 0.98)
        rows.append(row)
    if "prompt" in scenarios:
        ours, theirs = pair("prompt", "tokens_per_second")
        row = figure("single client", "prompt, 512 tokens", "tokens/s", ours, theirs, "higher", "≥ 0.98×")
        row["met"] = at_least(row["ratio"], 0.98)
        rows.append(row)
        ours, theirs = pair("prompt", "time_to_first_token_s")
        rows.append(figure("single client", "time to first token, 512-token prompt", "s", ours, theirs, "lower"))
    for name in [name for name in scenarios if name.startswith("clients-")]:
        section = f"{name.removeprefix('clients-')} clients"
        ours, theirs = pair(name, "tokens_per_second")
        row = figure(section, "aggregate generation", "tokens/s", ours, theirs, "higher", "≥ 1.0×")
        row["met"] = at_least(row["ratio"], 1.0)
        rows.append(row)
        for key, measure, goal in (
            ("time_to_first_token_p50_s", "time to first token p50", ""),
            ("time_to_first_token_p95_s", "time to first token p95", "≤ 1.0×"),
            ("latency_p50_s", "request latency p50", ""),
            ("latency_p95_s", "request latency p95", ""),
        ):
            ours, theirs = pair(name, key)
            row = figure(section, measure, "s", ours, theirs, "lower", goal)
            if goal:
                row["met"] = at_most(row["ratio"], 1.0)
            rows.append(row)
        rounds = scenarios[name]
        ours_errors, their_errors = total_of(rounds["ours"], "errors"), total_of(rounds["llama-server"], "errors")
        row = figure(section, "errors (all rounds)", "requests", ours_errors, their_errors, "lower", "0")
        row["ratio"] = None
        row["met"] = ours_errors == 0
        rows.append(row)
        ours, theirs = pair(name, "settle_s")
        rows.append(figure(section, "busy after the window (open requests cancelled)", "s", ours, theirs, "lower"))
        if name == "clients-8":
            ours, theirs = pair(name, "peak_rss_bytes")
            row = figure(
                section,
                "peak RSS",
                "MiB",
                ours and ours / 1048576,
                theirs and theirs / 1048576,
                "lower",
                "≤ llama-server + 30 MiB",
            )
            row["met"] = None if ours is None or theirs is None else ours <= theirs + RSS_ALLOWANCE_BYTES
            rows.append(row)
    if "chat" in scenarios:
        ours, theirs = pair("chat", "total_s")
        turns = result.get("settings", {}).get("chat_turns", 6)
        rows.append(figure("multi-turn chat", f"{turns} turns, history re-sent, total", "s", ours, theirs, "lower"))
    cold = result.get("cold_start_s", {})
    if cold.get("ours") and cold.get("llama-server"):
        row = figure(
            "cold start",
            "process start to first completion",
            "s",
            statistics.median(cold["ours"]),
            statistics.median(cold["llama-server"]),
            "lower",
            "≤ 1.0×",
        )
        row["met"] = at_most(row["ratio"], 1.0)
        rows.append(row)
    rows += download_figures(result.get("downloads"))
    return rows


def download_figures(downloads: dict | None) -> list[dict]:
    """Ours against each other client of bench/download/run.sh, by throughput."""
    if not downloads:
        return []
    clients = downloads.get("clients", {})
    ours = clients.get("ours", {}).get("mib_per_s")
    rows = []
    for peer in ("hf_transfer", "hf", "curl"):
        theirs = clients.get(peer, {}).get("mib_per_s")
        if theirs is None:
            continue
        section = f"download {downloads.get('size_mib')} MiB"
        goal = "≥ 1.0× hf_transfer" if peer == "hf_transfer" else ""
        row = figure(section, f"throughput vs {peer}", "MiB/s", ours, theirs, "higher", goal)
        row["peer"] = peer
        if goal:
            row["met"] = at_least(row["ratio"], 1.0)
        rows.append(row)
    return rows
