"""llama-server's own routes (/completion, /tokenize, /detokenize, /apply-template), asked the same things on our
server and on llama-server (same build, same model, same slots and context): greedy results must agree token for
token, with the same stop reasons and counts.
"""

import json
import os
import subprocess
import tempfile
import urllib.error
import urllib.request

import pytest

from conftest import free_port, required_env, stop, wait_healthy


@pytest.fixture(scope="module")
def llama_server_url():
    prefix = required_env("BOTTICELLI_LLAMA_PREFIX")
    model = required_env("BOTTICELLI_FIXTURE_MODEL")
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="llama-server-", suffix=".log", delete=False)
    # The same slots, context and threads as the server in conftest.py.
    process = subprocess.Popen(
        [f"{prefix}/bin/llama-server", "-m", model, "--port", str(port), "-np", "2", "-c", "4096", "-t", "2"],
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log.name)
        yield url
    finally:
        stop(process)
        os.unlink(log.name)


def post(url, body, route="/completion"):
    request = urllib.request.Request(url + route, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as reply:
        return json.load(reply)


def streamed(url, body):
    """The data of each server-sent event, parsed."""
    request = urllib.request.Request(url + "/completion", data=json.dumps(dict(body, stream=True)).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as reply:
        assert reply.headers["Content-Type"].startswith("text/event-stream")
        return [json.loads(line[len("data: "):]) for line in reply.read().decode().splitlines()
                if line.startswith("data: ")]


COMPARED = ("content", "tokens", "stop", "tokens_predicted", "tokens_evaluated", "stop_type", "stopping_word",
            "has_new_line", "truncated", "prompt", "tokens_cached")

CASES = {
    "text": {"prompt": "The capital of France is", "n_predict": 16},
    "token ids": {"prompt": [504, 3458, 282, 4649, 314], "n_predict": 12},
    "ids and text mixed": {"prompt": [504, " capital of", 4649, " is"], "n_predict": 12},
    "prompt object": {"prompt": {"prompt_string": "Once upon a time"}, "n_predict": 10},
    "stop word": {"prompt": "List three colours: red,", "n_predict": 32, "stop": [" blue", "\n"]},
    "end of generation": {"prompt": "<|im_start|>user\nSay hi.<|im_end|>\n<|im_start|>assistant\n", "n_predict": 64},
    "logit bias, ban and text": {"prompt": "The capital of France is", "n_predict": 8,
                                  "logit_bias": [[7042, False], [" the", -5.0]]},
    "logit bias object": {"prompt": "The capital of France is", "n_predict": 8, "logit_bias": {"7042": -100}},
    "repeat penalty": {"prompt": "one one one one", "n_predict": 12, "repeat_penalty": 1.5, "repeat_last_n": 16},
    "DRY, greedy": {"prompt": "a b c a b c a b c a b", "n_predict": 16, "dry_multiplier": 0.8, "dry_base": 1.75,
                    "dry_allowed_length": 2, "dry_sequence_breakers": ["\n"]},
}

# Sampled with a seed, each of llama.cpp's samplers as llama-server chains them: the same seed must give the same
# tokens. The defaults (top_k 40, top_p 0.95, min_p 0.05, temperature 0.8) stay on unless a case sets them.
SAMPLED = {
    "defaults": {},
    "typical-p": {"typical_p": 0.7},
    "XTC": {"xtc_probability": 0.8, "xtc_threshold": 0.05},
    "dynamic temperature": {"dynatemp_range": 0.6, "dynatemp_exponent": 1.5},
    "top-n-sigma": {"top_n_sigma": 1.5, "top_k": 0},
    "DRY": {"dry_multiplier": 0.9, "dry_penalty_last_n": 128},
    "Mirostat": {"mirostat": 1, "mirostat_tau": 4.0, "mirostat_eta": 0.2},
    "Mirostat 2": {"mirostat": 2, "mirostat_tau": 3.0},
    "penalties": {"repeat_penalty": 1.3, "presence_penalty": 0.4, "frequency_penalty": 0.3},
    "own order, by name": {"samplers": ["min_p", "top-k", "temp"], "min_p": 0.1, "top_k": 8},
    "own order, by letter": {"samplers": "pkt", "top_p": 0.8, "top_k": 20, "min_keep": 3},
    "no temperature stage": {"samplers": ["top_k"], "top_k": 5, "temperature": 0.3},
    "greedy with typical-p": {"temperature": 0, "typical_p": 0.3},
    "greedy with XTC": {"temperature": 0, "xtc_probability": 1.0, "xtc_threshold": 0.05},
    "greedy with dynamic temperature": {"temperature": 0, "dynatemp_range": 0.9},
}


@pytest.mark.parametrize("name", CASES)
def test_completion_matches_llama_server(server_url, llama_server_url, name):
    body = dict(CASES[name], temperature=0, return_tokens=True)
    ours, theirs = post(server_url, body), post(llama_server_url, body)
    assert {key: ours.get(key) for key in COMPARED} == {key: theirs.get(key) for key in COMPARED}
    assert ours["timings"]["predicted_n"] == theirs["timings"]["predicted_n"]
    assert ours["generation_settings"]["n_predict"] == theirs["generation_settings"]["n_predict"]


@pytest.mark.parametrize("name", SAMPLED)
def test_seeded_sampling_matches_llama_server(server_url, llama_server_url, name):
    body = dict({"temperature": 1.0}, prompt="Once upon a time, in a quiet village,", n_predict=32, seed=20261129,
                return_tokens=True, **SAMPLED[name])
    ours, theirs = post(server_url, body), post(llama_server_url, body)
    assert (ours["tokens"], ours["stop_type"]) == (theirs["tokens"], theirs["stop_type"])
    settings = {key: value for key, value in theirs["generation_settings"].items()
                if key in SAMPLED[name] and key != "samplers"}
    assert {key: ours["generation_settings"][key] for key in settings} == pytest.approx(settings)


@pytest.mark.parametrize("samplers", [
    {"repeat_penalty": 1.2, "repeat_last_n": 32},
    {"typical_p": 0.8, "dry_multiplier": 0.7, "dry_penalty_last_n": 64},
    {"mirostat": 2, "mirostat_tau": 4.0},
])
def test_seeded_chat_completion_matches_llama_server(server_url, llama_server_url, samplers):
    """The OpenAI route takes llama-server's sampler fields too, and with the same seed gives the same reply."""
    body = dict(samplers, messages=[{"role": "user", "content": "Tell me a short story about a cat."}],
                max_tokens=32, temperature=1.0, seed=7)
    ours = post(server_url, body, "/v1/chat/completions")
    theirs = post(llama_server_url, body, "/v1/chat/completions")
    assert ours["choices"][0]["message"]["content"] == theirs["choices"][0]["message"]["content"]
    assert ours["usage"]["prompt_tokens"] == theirs["usage"]["prompt_tokens"]


@pytest.mark.parametrize("route, body", [
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": "Say hi."}], "max_tokens": 64}),
    ("/v1/completions", {"prompt": "The capital of France is", "max_tokens": 6}),
])
def test_usage_counts_match_llama_server(server_url, llama_server_url, route, body):
    """Including the end-of-generation token when the model stops, as llama-server counts it."""
    body = dict(body, temperature=0)
    ours, theirs = post(server_url, body, route), post(llama_server_url, body, route)
    pick = lambda reply: (reply["usage"]["prompt_tokens"], reply["usage"]["completion_tokens"],
                          reply["choices"][0]["finish_reason"], reply["timings"]["predicted_n"])
    assert pick(ours) == pick(theirs)


def test_a_list_of_prompts_answers_an_array(server_url, llama_server_url):
    body = {"prompt": ["Hello", [504, 3458, 282], "Once"], "n_predict": 4, "temperature": 0, "return_tokens": True}
    ours, theirs = post(server_url, body), post(llama_server_url, body)
    assert isinstance(ours, list) and len(ours) == 3
    pick = lambda results: [(r["index"], r["content"], r["tokens"], r["tokens_evaluated"]) for r in results]
    assert pick(ours) == pick(theirs)


def test_probabilities_name_the_same_tokens(server_url, llama_server_url):
    body = {"prompt": "The capital of France is", "n_predict": 4, "temperature": 0, "n_probs": 3}
    ours, theirs = post(server_url, body), post(llama_server_url, body)
    shape = lambda result: [(p["id"], p["token"], p["bytes"], [t["id"] for t in p["top_logprobs"]])
                            for p in result["completion_probabilities"]]
    assert shape(ours) == shape(theirs)
    for mine, reference in zip(ours["completion_probabilities"], theirs["completion_probabilities"]):
        assert abs(mine["logprob"] - reference["logprob"]) < 1e-3


@pytest.mark.parametrize("body", [
    {"prompt": "The capital of France is", "n_predict": 12},
    {"prompt": "<|im_start|>user\nSay hi.<|im_end|>\n<|im_start|>assistant\n", "max_tokens": 64},
], ids=["token limit", "end of generation"])
def test_streaming_matches_llama_server(server_url, llama_server_url, body):
    body = dict(body, temperature=0)
    ours, theirs = streamed(server_url, body), streamed(llama_server_url, body)
    pieces = lambda events: [(e["content"], e["tokens"], e["tokens_predicted"]) for e in events if not e["stop"]]
    assert pieces(ours) == pieces(theirs)
    assert ours[-1]["stop"] and theirs[-1]["stop"]
    assert {key: ours[-1].get(key) for key in COMPARED} == {key: theirs[-1].get(key) for key in COMPARED}
    assert not any(event["stop"] for event in ours[:-1])


def test_a_huge_window_is_capped_to_the_context(server_url):
    """llama.cpp allocates a window's buffer up front: two billion tokens of DRY window would exhaust memory."""
    body = {"prompt": "a b a b a b", "n_predict": 8, "temperature": 0, "dry_multiplier": 1.0,
            "dry_penalty_last_n": 2_000_000_000, "repeat_penalty": 1.1, "repeat_last_n": 2_000_000_000}
    assert post(server_url, body)["tokens_predicted"] >= 1


def test_sampling_with_a_seed_repeats(server_url):
    body = {"prompt": "Write a word:", "n_predict": 12, "temperature": 1.0, "seed": 1234}
    assert post(server_url, body)["content"] == post(server_url, body)["content"]


@pytest.mark.parametrize("body, field", [
    ({"prompt": "Hi", "mirostat": 3}, "mirostat"),
    ({"prompt": "Hi", "xtc_probability": 1.5}, "xtc_probability"),
    ({"prompt": "Hi", "dry_sequence_breakers": []}, "dry_sequence_breakers"),
    ({"prompt": "Hi", "lora": [{"id": 0, "scale": 1.0}]}, "lora"),
    ({"prompt": "Hi", "n_predict": -2}, "n_predict"),
    ({"prompt": [3, 99999999]}, None),
    ({"prompt": []}, "prompt"),
    ({"prompt": {"prompt_string": "Hi", "multimodal_data": ["aGk="]}}, "prompt"),
    ({"prompt": "Hi", "logit_bias": [[1, True]]}, "logit_bias"),
    ({"prompt": ["a", "b"], "stream": True}, "prompt"),
    ({"prompt": "Hi", "repeat_penalty": 1e-40}, "repeat_penalty"),
    ({"prompt": "Hi", "temperature": 3e38, "dynatemp_range": 3e38}, "dynatemp_range"),
    ({"prompt": "Hi", "samplers": ["top_k", "infill"]}, "samplers"),
    ({"prompt": "Hi", "adaptive_target": 0.5}, "adaptive_target"),
    ({"prompt": "Hi", "n": 2}, "n"),
    ({"prompt": "Hi", "n_predict": 4, "max_tokens": -3}, "max_tokens"),
])
def test_what_it_cannot_do_is_a_400_that_says_so(server_url, body, field):
    with pytest.raises(urllib.error.HTTPError) as raised:
        post(server_url, body)
    assert raised.value.code == 400
    error = json.load(raised.value)["error"]
    assert error["message"]
    if field:
        assert error["param"] == field


def test_props_agree_with_llama_server(server_url, llama_server_url):
    def props(url):
        with urllib.request.urlopen(url + "/props") as reply:
            return json.load(reply)
    ours, theirs = props(server_url), props(llama_server_url)
    for key in ("total_slots", "model_path", "model_ftype", "chat_template"):
        assert ours[key] == theirs[key], key
    assert ours["default_generation_settings"]["n_ctx"] == theirs["default_generation_settings"]["n_ctx"]
    defaults, reference = ours["default_generation_settings"]["params"], theirs["default_generation_settings"]["params"]
    assert {key: defaults[key] for key in defaults if key in reference} == pytest.approx(
        {key: reference[key] for key in defaults if key in reference})


@pytest.mark.parametrize("route, body", [
    ("/tokenize", {"content": "<|im_start|>user\nHello, world!<|im_end|>"}),
    ("/tokenize", {"content": "Hello", "add_special": True}),
    ("/detokenize", {"tokens": [1, 4093, 198, 19556, 28, 905, 17, 2, 198]}),
    ("/apply-template", {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
                                      {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "Bye"}]}),
])
def test_utility_routes_match_llama_server(server_url, llama_server_url, route, body):
    assert post(server_url, body, route) == post(llama_server_url, body, route)
