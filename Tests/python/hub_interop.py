"""Runs huggingface_hub against a cache (and, online, a stand-in hub) for the Swift interop tests.

Usage: hub_interop.py REPO FILENAME [REVISION]
Prints the path hf_hub_download returns. HF_ENDPOINT, HF_HUB_CACHE and HF_HUB_OFFLINE come from the
environment, as for any huggingface_hub user.
"""

import sys

from huggingface_hub import hf_hub_download


def main() -> int:
    repo, filename = sys.argv[1], sys.argv[2]
    revision = sys.argv[3] if len(sys.argv) > 3 else None
    print(hf_hub_download(repo_id=repo, filename=filename, revision=revision))
    return 0


if __name__ == "__main__":
    sys.exit(main())
