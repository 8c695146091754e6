#!/usr/bin/env bash
# Builds the libFuzzer harness for the GGUF reader and runs it for N seconds (default 120) over the seed corpus.
# Usage: fuzz/gguf/run.sh [seconds] [extra libFuzzer flags...]
# New inputs and crash reproducers go to $FUZZ_WORK (default: a folder under $TMPDIR), never into the repository.
set -euo pipefail

seconds="${1:-120}"
shift || true
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${FUZZ_WORK:-${TMPDIR:-/tmp}/botticelli-fuzz-gguf}"
swiftc="${SWIFTC:-swiftc}"

mkdir -p "$work/corpus" "$work/artifacts"
echo "fuzz-gguf: building into $work" >&2
# -O keeps Swift's overflow and bounds checks (only -Ounchecked drops them): a trap is a finding.
"$swiftc" -sanitize=fuzzer,address -parse-as-library -O -g \
    "$root"/Sources/BotticelliCore/GGUF/*.swift "$here/FuzzGGUF.swift" \
    -module-name GGUFFuzz -o "$work/fuzz-gguf"

echo "fuzz-gguf: running for $seconds s; crashes land in $work/artifacts" >&2
# The first corpus folder receives new inputs; the committed seeds are only read.
"$work/fuzz-gguf" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$here/corpus"
