"""What the report says about where and on what the benchmark ran."""

import os
import platform
import re
import subprocess
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def output_of(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=REPOSITORY).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def describe() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_kib = 0
    try:
        memory_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except (OSError, AttributeError):
        pass
    os_name = ""
    try:
        os_name = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1048576, 1),
        "os": os_name or platform.system(),
        "kernel": platform.release(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


def commit() -> str:
    revision = output_of(["git", "rev-parse", "--short=12", "HEAD"])
    dirty = output_of(["git", "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"])
    return revision + (" (with uncommitted changes in Sources)" if dirty else "")


def llama_version(llama_server: str) -> str:
    """The pinned source package from scripts/provision-llama, and what llama-server itself reports."""
    pinned = ""
    try:
        script = (REPOSITORY / "scripts" / "provision-llama").read_text()
        package = re.search(r'SOURCE_PACKAGE="([^"]+)"', script).group(1)
        version = re.search(r'SOURCE_VERSION="([^"]+)"', script).group(1)
        pinned = f"llama.cpp vendored by {package} {version}"
    except (OSError, AttributeError):
        pass
    reported = ""
    try:
        completed = subprocess.run([llama_server, "--version"], capture_output=True, text=True, timeout=30)
        match = re.search(r"version: .*", completed.stdout + completed.stderr)
        reported = match.group(0) if match else ""
    except (OSError, subprocess.SubprocessError):
        pass
    return ", ".join(part for part in (pinned, f"llama-server {reported}" if reported else "") if part)
