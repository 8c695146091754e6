#!/usr/bin/env bash
# The "ours" client of bench/download/run.sh: `botticelli_server models download` of REPO FILENAME.
set -euo pipefail
exec "${BOTTICELLI_BINARY:?set BOTTICELLI_BINARY to the botticelli_server binary}" models download "hf://$1/$2"
