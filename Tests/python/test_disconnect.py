"""A client that goes away mid-stream frees its sequence: the engine stops generating for it at once.

The generations are forced to be long (the end-of-generation tokens are banned, or a grammar demands a long
string), so a sequence that is free again within a second was freed by the disconnect, not by the model stopping.
"""

import http.client
import json
import re
import time
import urllib.parse
import urllib.request

import pytest


def metric(server_url, name):
    with urllib.request.urlopen(server_url + "/metrics") as reply:
        text = reply.read().decode()
    found = re.search(rf"^{name} ([0-9.e+-]+)$", text, re.MULTILINE)
    assert found, f"{name} is not in /metrics:\n{text}"
    return float(found.group(1))


def token_id(server_url, text):
    request = urllib.request.Request(server_url + "/tokenize", data=json.dumps({"content": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        tokens = json.load(reply)["tokens"]
    assert len(tokens) == 1, f"{text!r} is not one token: {tokens}"
    return tokens[0]


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def stream_then_hang_up(server_url, path, body, is_chunk):
    """Starts a streamed request, reads three chunks, closes the socket, and returns when it closed."""
    url = urllib.parse.urlsplit(server_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200
    chunks = 0
    while chunks < 3:
        line = response.readline()
        assert line, "the stream ended before three chunks"
        if is_chunk(line):
            chunks += 1
    busy = metric(server_url, "botticelli_busy_sequences")
    assert busy >= 1, f"no sequence is busy while the stream runs ({busy})"
    finished_before = metric(server_url, "botticelli_generations_total")
    # The response says Connection: close, so http.client handed the socket to it: closing both closes it.
    if connection.sock is not None:
        connection.sock.close()
    response.close()
    connection.close()
    return finished_before


def send_then_hang_up(server_url, path, body):
    """Sends a request whose response is not streamed, waits until it holds a sequence, and closes the socket."""
    url = urllib.parse.urlsplit(server_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
    assert wait_for(lambda: metric(server_url, "botticelli_busy_sequences") >= 1, timeout=10), \
        "the request never took a sequence"
    finished_before = metric(server_url, "botticelli_generations_total")
    connection.sock.close()
    connection.close()
    return finished_before


def assert_freed_within_a_second(server_url, finished_before):
    hung_up = time.monotonic()
    freed = wait_for(lambda: metric(server_url, "botticelli_busy_sequences") == 0, timeout=1.0)
    if not freed:
        later = wait_for(lambda: metric(server_url, "botticelli_busy_sequences") == 0, timeout=30)
        pytest.fail(f"the sequence is still busy a second after the client went away "
                    f"({'freed after %.1f s' % (time.monotonic() - hung_up) if later else 'not freed in 30 s'})")
    # The generation was cancelled, not finished: nothing was counted as a finished generation.
    finished = metric(server_url, "botticelli_generations_total")
    assert finished == finished_before, f"a generation finished instead of being cancelled ({finished_before} -> {finished})"


@pytest.fixture(autouse=True)
def idle_server(server_url):
    assert wait_for(lambda: metric(server_url, "botticelli_busy_sequences") == 0, timeout=30)


def test_openai_stream_disconnect_frees_the_sequence(server_url, model_id):
    banned = {str(token_id(server_url, text)): -100 for text in ("<|im_end|>", "<|endoftext|>")}
    body = {"model": model_id, "messages": [{"role": "user", "content": "Tell me a long story."}],
            "max_tokens": 1500, "stream": True, "logit_bias": banned}
    finished_before = stream_then_hang_up(server_url, "/v1/chat/completions", body,
                                          lambda line: line.startswith(b"data: {"))
    assert_freed_within_a_second(server_url, finished_before)


def test_ollama_stream_disconnect_frees_the_sequence(server_url, model_id):
    body = {"model": model_id, "messages": [{"role": "user", "content": "Tell me a long story."}],
            "format": {"type": "string", "minLength": 2000}, "options": {"num_predict": 1500}}
    finished_before = stream_then_hang_up(server_url, "/api/chat", body, lambda line: line.startswith(b"{"))
    assert_freed_within_a_second(server_url, finished_before)


def test_openai_non_streamed_disconnect_frees_the_sequence(server_url, model_id):
    """Nothing is written to a non-streamed response until it is done, so only watching the connection finds out."""
    banned = {str(token_id(server_url, text)): -100 for text in ("<|im_end|>", "<|endoftext|>")}
    body = {"model": model_id, "messages": [{"role": "user", "content": "Tell me a long story."}],
            "max_tokens": 1500, "logit_bias": banned}
    finished_before = send_then_hang_up(server_url, "/v1/chat/completions", body)
    assert_freed_within_a_second(server_url, finished_before)


def test_ollama_non_streamed_disconnect_frees_the_sequence(server_url, model_id):
    body = {"model": model_id, "prompt": "Tell me a long story.", "stream": False,
            "format": {"type": "string", "minLength": 2000}, "options": {"num_predict": 1500}}
    finished_before = send_then_hang_up(server_url, "/api/generate", body)
    assert_freed_within_a_second(server_url, finished_before)


def test_a_queued_ollama_stream_is_dropped_when_its_client_leaves(server_url, model_id):
    """JSON lines have no comment to probe the client with while a request waits for a sequence: the connection
    itself is watched, so a client that leaves the queue is gone from it at once."""
    banned = {str(token_id(server_url, text)): -100 for text in ("<|im_end|>", "<|endoftext|>")}
    url = urllib.parse.urlsplit(server_url)
    with urllib.request.urlopen(server_url + "/status") as reply:
        parallel = next(model["parallel_sequences"] for model in json.load(reply)["models"] if model["id"] == model_id)
    holders = []
    for _ in range(parallel):
        # Every sequence gets a long stream; the next request then waits in the queue.
        holder = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        holder.request("POST", "/v1/chat/completions", headers={"Content-Type": "application/json"}, body=json.dumps(
            {"model": model_id, "messages": [{"role": "user", "content": "Tell me a long story."}],
             "max_tokens": 1500, "stream": True, "logit_bias": banned}))
        holders.append(holder)
    assert wait_for(lambda: metric(server_url, "botticelli_busy_sequences") == parallel, timeout=10)
    try:
        waiting = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        waiting.request("POST", "/api/chat", headers={"Content-Type": "application/json"}, body=json.dumps(
            {"model": model_id, "messages": [{"role": "user", "content": "Hi"}], "options": {"num_predict": 5}}))
        assert wait_for(lambda: metric(server_url, "botticelli_queued_requests") == 1, timeout=10), \
            "the request did not wait in the queue"
        waiting.sock.close()
        waiting.close()
        assert wait_for(lambda: metric(server_url, "botticelli_queued_requests") == 0, timeout=1.0), \
            "the request stayed queued after its client left"
    finally:
        for holder in holders:
            holder.sock.close()
            holder.close()
    assert wait_for(lambda: metric(server_url, "botticelli_busy_sequences") == 0, timeout=5)
