"""Loaded by schemathesis (SCHEMATHESIS_HOOKS) in test_openapi_schemathesis.py.

- Reads Ollama's JSON-lines streams as the list of their lines, which is how openapi.json describes an
  application/x-ndjson body.
- Works around a CPython 3.11 bug (python/cpython#106905): `ast.parse` called deep in the stack can fail with
  "SystemError: AST constructor recursion depth mismatch". Hypothesis parses a module's source the first time it
  describes one of the module's lambdas, and schemathesis' schema generation gets there deep in the stack. The
  modules are parsed here, at a shallow depth, into a cache shared by every thread (Hypothesis's own is per thread,
  and schemathesis generates in worker threads), so the deep call never parses.
"""

import ast
import json
import linecache
import sys

import schemathesis
from hypothesis.internal import lambda_sources


@schemathesis.deserializer("application/x-ndjson")
def json_lines(_context, response):
    return [json.loads(line) for line in response.content.decode("utf-8").splitlines() if line.strip()]


def parse_lambda_sources_early():
    import schemathesis.generation.jsonschema.strategy  # noqa: F401  (the module whose lambdas are described)
    shared = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not path or not name.startswith(("schemathesis.generation", "schemathesis.specs", "hypothesis.strategies")):
            continue
        lines = linecache.getlines(path, module.__dict__)
        if any("lambda" in line for line in lines):
            try:
                shared[tuple(lines)] = lambda_sources.extract_all_lambdas(ast.parse("".join(lines)))
            except SyntaxError:
                continue
    # Hypothesis reads the cache as AST_LAMBDAS_CACHE[lines] and writes it as AST_LAMBDAS_CACHE[lines] = lambdas.
    lambda_sources.AST_LAMBDAS_CACHE = shared


parse_lambda_sources_early()
