"""schemathesis against the live server's /openapi.json, on the real model.

Two runs, both with a fixed seed so that a failure reproduces:

- positive: requests the schema allows must never get a 5xx, and every answer must be documented (status code,
  content type, body schema; each server-sent event and each JSON line of a stream too). Only for this run, token
  limits are made required and small (at most 2 generated tokens), and strings and lists short, so that about 800
  cases take one to two minutes on 2 cores; the server's own limits are wider.
- negative: requests the schema forbids must be refused with a 4xx (and likewise be documented). This run uses the
  document exactly as served, so the schema cannot be looser or stricter than the decoders without a failure.
"""

import copy
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

EXAMPLES = int(os.environ.get("BOTTICELLI_SCHEMATHESIS_EXAMPLES", "10"))
SEED = os.environ.get("BOTTICELLI_SCHEMATHESIS_SEED", "20261127")
RESPONSE_CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
GENERATION_LIMIT = 2
HERE = Path(__file__).parent


def served_document(server_url):
    with urllib.request.urlopen(server_url + "/openapi.json") as reply:
        assert reply.headers["Content-Type"] == "application/json"
        return json.load(reply)


REQUEST_SCHEMAS = ("Request", "ChatMessage", "TextContentPart", "Sampling_", "OllamaOptions", "ResponseFormat",
                   "StreamOptions", "KeepAlive", "OllamaFormat")


def bounded(schema):
    """The schema with every string at most 32 characters and every list at most 3 items, so that prompts stay
    short: on 2 cores, reading a prompt costs more than generating 4 tokens."""
    if isinstance(schema, list):
        return [bounded(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: bounded(value) for key, value in schema.items()}
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    if "string" in types and not {"pattern", "enum", "const"} & schema.keys():
        schema.setdefault("maxLength", 32)
    if "array" in types:
        schema.setdefault("maxItems", 3)
    return schema


def with_small_generations(document):
    """The document with every request bounded to a few generated tokens and short prompts (test time only)."""
    narrowed = copy.deepcopy(document)
    schemas = narrowed["components"]["schemas"]
    for name in schemas:
        if name.startswith(REQUEST_SCHEMAS) or name.endswith(REQUEST_SCHEMAS):
            schemas[name] = bounded(schemas[name])
    few_tokens = {"type": "integer", "minimum": 1, "maximum": GENERATION_LIMIT}
    schemas["Sampling_max_tokens"] = few_tokens
    schemas["Sampling_max_completion_tokens"] = few_tokens
    for name in ("ChatCompletionRequest", "CompletionRequest"):
        schemas[name]["required"] = sorted(set(schemas[name]["required"]) | {"max_tokens"})
    llama = schemas["LlamaCompletionRequest"]
    llama["properties"]["n_predict"] = {"type": "integer", "minimum": 0, "maximum": GENERATION_LIMIT}
    llama["required"] = sorted(set(llama["required"]) | {"n_predict"})
    options = schemas["OllamaOptions"]
    options["type"] = "object"
    options["required"] = ["num_predict"]
    options["properties"]["num_predict"] = {"type": "integer", "minimum": 0, "maximum": GENERATION_LIMIT}
    for name in ("OllamaChatRequest", "OllamaGenerateRequest"):
        schemas[name]["required"] = sorted(set(schemas[name]["required"]) | {"options"})
    return narrowed


def schemathesis(location, server_url, mode, checks, folder):
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", str(location), "--url", server_url,
        "--mode", mode, "--checks", checks, "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(EXAMPLES), "--seed", SEED, "--workers", "2", "--request-timeout", "60",
        "--suppress-health-check", "too_slow,filter_too_much", "--no-color", "--output-sanitize", "false",
    ]
    environment = dict(os.environ, SCHEMATHESIS_HOOKS="schemathesis_hooks",
                       PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])))
    started = time.monotonic()
    # Run in the temporary folder: schemathesis keeps its state in .schemathesis/ under the working directory.
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment, cwd=folder)
    elapsed = time.monotonic() - started
    print(f"schemathesis {mode}: {elapsed:.0f} s\n{result.stdout[-3000:]}")
    assert result.returncode == 0, f"schemathesis {mode} found problems:\n{result.stdout[-20000:]}\n{result.stderr[-4000:]}"


def test_schema_allows_only_documented_answers(server_url, tmp_path):
    location = tmp_path / "openapi-small-generations.json"
    location.write_text(json.dumps(with_small_generations(served_document(server_url))))
    schemathesis(location, server_url, "positive", RESPONSE_CHECKS, tmp_path)


def test_schema_rejections_match_the_server(server_url, tmp_path):
    schemathesis(server_url + "/openapi.json", server_url, "negative", RESPONSE_CHECKS + ",negative_data_rejection",
                 tmp_path)
