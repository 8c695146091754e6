#!/usr/bin/env bash
# `make bench`: the download table (bench/download/run.sh), then our server next to llama-server over HTTP
# (bench/http/run.py), then BENCHMARKS.md and bench/results/concurrency.png (bench/http/report.py).
#
#   bench/run.sh BOTTICELLI_SERVER MODEL LLAMA_PREFIX [BUILD]
#
# BUILD says how BOTTICELLI_SERVER was built (release by default); anything else marks the report as a smoke run.
# Environment: BENCH_QUICK=1 (a smoke run of a few minutes), BENCH_SKIP_DOWNLOAD=1, BENCH_SIZE_MIB, and the
# knobs in bench/http/settings.py (BENCH_DURATION, BENCH_ROUNDS, BENCH_PORT, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 3 ]; then
    echo "usage: bench/run.sh BOTTICELLI_SERVER MODEL LLAMA_PREFIX [BUILD]" >&2
    exit 2
fi
ours="$1" model="$2" prefix="$3" build="${4:-release}"
for file in "$ours" "$model" "$prefix/bin/llama-server"; do
    [ -f "$file" ] || { echo "bench: $file: no such file" >&2; exit 1; }
done
started=$(date +%s)
python="$(scripts/bench-env)"
work="$(mktemp -d /tmp/botticelli-bench.XXXXXX)"
# The download benchmark's files (a GiB or more) go; the servers' logs stay for a look after a failure.
trap 'rm -rf "$work/download"' EXIT

download_json=()
if [ "${BENCH_SKIP_DOWNLOAD:-0}" = 0 ]; then
    quick_size=1024
    [ "${BENCH_QUICK:-0}" = 0 ] || quick_size=256
    echo "bench: downloads (bench/download/run.sh)" >&2
    BOTTICELLI_BINARY="$ours" BOTTICELLI_DOWNLOAD=bench/download/ours.sh \
        BOTTICELLI_PYTHON="${BOTTICELLI_PYTHON:-$(scripts/python-env)}" \
        BENCH_DIR="$work/download" BENCH_SIZE_MIB="${BENCH_SIZE_MIB:-$quick_size}" \
        BENCH_DOWNLOAD_JSON="$work/downloads.json" bench/download/run.sh
    download_json=(--download-json "$work/downloads.json")
fi

mkdir -p bench/results
"$python" bench/http/run.py --ours "$ours" --ours-build "$build" --llama-server "$prefix/bin/llama-server" \
    --model "$model" "${download_json[@]}" --output bench/results/latest.json --logs "$work/logs"
"$python" bench/http/report.py bench/results/latest.json
echo "bench: done in $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s;" \
    "servers' logs in $work/logs" >&2
