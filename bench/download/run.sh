#!/usr/bin/env bash
# Download benchmark (`make bench-download`): one file (1 GiB by default) served on loopback by a stand-in Hub
# (bench/download/hub_server.py), fetched into an empty cache by each client, timed, and checked by SHA-256.
#
#   ours          $BOTTICELLI_DOWNLOAD (a command taking REPO FILENAME; run with HF_ENDPOINT and HF_HUB_CACHE set)
#   hf            `hf download` from huggingface_hub (.venv, scripts/python-env)
#   hf_transfer   only with a huggingface_hub older than 1.0 and the hf_transfer package: 2.x ignores
#                 HF_HUB_ENABLE_HF_TRANSFER (its fast path is Xet storage, which a plain HTTP server does not offer)
#   curl          one stream, the baseline
#
# Environment: BENCH_SIZE_MIB (default 1024), BENCH_DIR (scratch folder, default a new one under /tmp),
# BOTTICELLI_PYTHON (default .venv/bin/python), BENCH_DOWNLOAD_JSON (also write the figures there as JSON, for
# `make bench`). A client that is missing is reported as skipped.
# This is a benchmark, not a test: loopback hides latency, so it measures client overhead, not the network.
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${BOTTICELLI_PYTHON:-$PWD/.venv/bin/python}"
size_mib="${BENCH_SIZE_MIB:-1024}"
dir="${BENCH_DIR:-$(mktemp -d /tmp/botticelli-bench-download.XXXXXX)}"
repo="bench/model"
filename="model-Q4_K_M.gguf"
mkdir -p "$dir"

if [ ! -f "$dir/$filename" ] || [ "$(stat -c %s "$dir/$filename")" -ne $((size_mib * 1048576)) ]; then
    echo "bench-download: writing a ${size_mib} MiB file" >&2
    head -c $((size_mib * 1048576)) /dev/urandom >"$dir/$filename"
fi
sha256="$(sha256sum "$dir/$filename" | cut -d' ' -f1)"

# The port file of an earlier run must go first: the loop below could read it before the new server truncates it.
rm -f "$dir/port"
python3 bench/download/hub_server.py --file "$dir/$filename" --repo "$repo" --filename "$filename" \
    --sha256 "$sha256" >"$dir/port" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$dir/port" ] && break; sleep 0.1; done
[ -s "$dir/port" ] || { echo "bench-download: the stand-in hub did not start (no port in 5 s)" >&2; exit 1; }
port="$(cat "$dir/port")"
endpoint="http://127.0.0.1:$port"
url="$endpoint/$repo/resolve/main/$filename"

results=()
declare -A seconds=() statuses=() checks=()
# run NAME COMMAND...: times the command with a fresh cache and checks the file it left.
run() {
    local name="$1"
    shift
    local cache="$dir/cache-$name"
    rm -rf "$cache" "$dir/curl-out"
    mkdir -p "$cache" "$dir/curl-out"
    local start end
    start="$(date +%s.%N)"
    if ! HF_ENDPOINT="$endpoint" HF_HUB_CACHE="$cache" HF_HUB_DISABLE_TELEMETRY=1 NO_PROXY=127.0.0.1 \
        "$@" >"$dir/$name.log" 2>&1; then
        results+=("$(printf '%-12s failed (see %s)' "$name" "$dir/$name.log")")
        statuses[$name]="failed (see $dir/$name.log)"
        return
    fi
    end="$(date +%s.%N)"
    local file
    file="$(find "$cache" "$dir/curl-out" -name "$filename" 2>/dev/null | head -1)"
    local check="sha256 ok"
    if [ -z "$file" ] || [ "$(sha256sum -b <"$file" | cut -d' ' -f1)" != "$sha256" ]; then check="WRONG CONTENT"; fi
    results+=("$(awk -v n="$name" -v s="$start" -v e="$end" -v m="$size_mib" -v c="$check" \
        'BEGIN { t = e - s; printf "%-12s %7.2f s  %8.1f MiB/s  %s", n, t, m / t, c }')")
    seconds[$name]="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')"
    statuses[$name]=ok
    checks[$name]="$check"
}

if [ -n "${BOTTICELLI_DOWNLOAD:-}" ]; then
    run ours $BOTTICELLI_DOWNLOAD "$repo" "$filename"
else
    results+=("ours         skipped: set BOTTICELLI_DOWNLOAD to the download command")
    statuses[ours]="skipped: BOTTICELLI_DOWNLOAD not set"
fi
if [ -x "$(dirname "$python")/hf" ]; then
    run hf "$(dirname "$python")/hf" download "$repo" "$filename"
else
    results+=("hf           skipped: no $(dirname "$python")/hf (scripts/python-env)")
    statuses[hf]="skipped: no $(dirname "$python")/hf"
fi
# hf_transfer is used only by huggingface_hub 0.x (2.x ignores HF_HUB_ENABLE_HF_TRANSFER), so it gets a venv of its own.
transfer_venv=".venv-hf-transfer"
if ! "$transfer_venv/bin/python" -c "import hf_transfer" 2>/dev/null; then
    echo "bench-download: installing huggingface_hub 0.x with hf_transfer into $transfer_venv" >&2
    python3 -m venv "$transfer_venv" >&2 &&
        "$transfer_venv/bin/pip" install --quiet "huggingface_hub==0.36.0" "hf_transfer==0.1.9" >&2 || true
fi
if "$transfer_venv/bin/python" -c "import hf_transfer" 2>/dev/null; then
    run hf_transfer env HF_HUB_ENABLE_HF_TRANSFER=1 "$transfer_venv/bin/huggingface-cli" download "$repo" "$filename"
else
    results+=("hf_transfer  skipped: could not install huggingface_hub 0.x with hf_transfer into $transfer_venv")
    statuses[hf_transfer]="skipped: hf_transfer not installed"
fi
run curl curl -sf -o "$dir/curl-out/$filename" "$url"

echo "download of ${size_mib} MiB over loopback ($(nproc) cores):"
printf '  %s\n' "${results[@]}"
if [ -n "${seconds[ours]:-}" ]; then
    echo "speed ratios (their time / our time; above 1 means ours is faster):"
    for peer in hf hf_transfer curl; do
        [ -n "${seconds[$peer]:-}" ] &&
            awk -v p="$peer" -v t="${seconds[$peer]}" -v o="${seconds[ours]}" 'BEGIN { printf "  ours vs %-12s %.2f\n", p, t / o }'
    done
fi

if [ -n "${BENCH_DOWNLOAD_JSON:-}" ]; then
    arguments=()
    for name in ours hf hf_transfer curl; do
        arguments+=("$name" "${statuses[$name]:-not run}" "${seconds[$name]:-}" "${checks[$name]:-}")
    done
    python3 - "$BENCH_DOWNLOAD_JSON" "$size_mib" "$(nproc)" "${arguments[@]}" <<'PYTHON'
import json, sys
path, size_mib, cores, rest = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
clients = {}
for name, status, seconds, check in zip(rest[0::4], rest[1::4], rest[2::4], rest[3::4]):
    client = {"status": status}
    if seconds:
        client.update(seconds=float(seconds), mib_per_s=size_mib / float(seconds), check=check)
    clients[name] = client
json.dump({"size_mib": size_mib, "cores": cores, "clients": clients}, open(path, "w"), indent=1)
PYTHON
fi
