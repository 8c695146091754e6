"""The official OpenAI Python client, unchanged, against the live server on the real model."""

import base64
import json
import struct
import urllib.request

import jsonschema
import openai
import pytest


@pytest.fixture(scope="module")
def client(server_url):
    return openai.OpenAI(base_url=server_url + "/v1", api_key="unused")


def test_models_list(client, model_id):
    models = client.models.list()
    assert [m.id for m in models.data] == [model_id]
    assert client.models.retrieve(model_id).id == model_id


def test_chat_non_streaming(client, model_id):
    reply = client.chat.completions.create(
        model=model_id, messages=[{"role": "user", "content": "What is the capital of France?"}],
        max_tokens=16, temperature=0)
    choice = reply.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert reply.usage.prompt_tokens > 0
    assert reply.usage.completion_tokens > 0
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


def test_chat_streaming(client, model_id):
    stream = client.chat.completions.create(
        model=model_id, messages=[{"role": "user", "content": "Count to five."}], max_tokens=24, temperature=0,
        stream=True, stream_options={"include_usage": True})
    pieces, finish, usage = [], None, None
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage
        for choice in chunk.choices:
            if choice.delta.content:
                pieces.append(choice.delta.content)
            if choice.finish_reason:
                finish = choice.finish_reason
    assert len(pieces) > 1
    assert finish in ("stop", "length")
    assert usage is not None and usage.completion_tokens >= 1


def test_streamed_text_equals_non_streamed(client, model_id):
    messages = [{"role": "user", "content": "Say something about cats."}]
    whole = client.chat.completions.create(model=model_id, messages=messages, max_tokens=20, temperature=0)
    stream = client.chat.completions.create(
        model=model_id, messages=messages, max_tokens=20, temperature=0, stream=True)
    streamed = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert streamed == whole.choices[0].message.content


def test_completions(client, model_id):
    reply = client.completions.create(model=model_id, prompt="The capital of France is", max_tokens=8,
                                      temperature=0)
    assert reply.choices[0].text.startswith(" Paris")
    assert reply.usage.completion_tokens == 8 or reply.choices[0].finish_reason == "stop"


def test_completions_with_a_list_of_prompts(client, model_id):
    """Several prompts in one request run side by side, and each gives what it gives alone."""
    prompts = ["The capital of France is", "Water boils at", "def fibonacci(n):"]
    alone = [client.completions.create(model=model_id, prompt=prompt, max_tokens=12, temperature=0).choices[0].text
             for prompt in prompts]
    reply = client.completions.create(model=model_id, prompt=prompts, max_tokens=12, temperature=0)
    assert [choice.index for choice in reply.choices] == [0, 1, 2]
    assert [choice.text for choice in reply.choices] == alone
    assert reply.usage.completion_tokens == sum(
        client.completions.create(model=model_id, prompt=p, max_tokens=12, temperature=0).usage.completion_tokens
        for p in prompts)


def test_more_prompts_than_the_queue_holds_is_a_bad_request(client, model_id, server_url):
    """Retrying would never help, so it is a 400 that names the limit, not a 503."""
    with urllib.request.urlopen(server_url + "/status") as reply:
        capacity = next(model["queue_capacity"] for model in json.load(reply)["models"] if model["id"] == model_id)
    with pytest.raises(openai.BadRequestError) as raised:
        client.completions.create(model=model_id, prompt=["Hi"] * (capacity + 1), max_tokens=2, temperature=0)
    assert f"send at most {capacity} at a time" in str(raised.value)


def test_apply_template_gives_what_llama_server_gives(model_id, server_url):
    """llama-server's /apply-template, on the same model, returns this prompt for one user message "Hi": the
    template's own default system prompt included."""
    body = json.dumps({"model": model_id, "messages": [{"role": "user", "content": "Hi"}]}).encode()
    request = urllib.request.Request(server_url + "/apply-template", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        prompt = json.load(reply)["prompt"]
    assert prompt == ("<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
                      "<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")


def test_embeddings(client, model_id):
    reply = client.embeddings.create(model=model_id, input=["hello world", "goodbye"])
    assert len(reply.data) == 2
    assert len(reply.data[0].embedding) > 100
    encoded = client.embeddings.create(model=model_id, input="hello world", encoding_format="base64")
    # Asked for explicitly, base64 comes back as the string: little-endian float32 values.
    vector = struct.unpack(f"<{len(reply.data[0].embedding)}f", base64.b64decode(encoded.data[0].embedding))
    assert abs(vector[0] - reply.data[0].embedding[0]) < 1e-6


def test_json_schema_output_validates(client, model_id):
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
        "additionalProperties": False,
    }
    reply = client.chat.completions.create(
        model=model_id, messages=[{"role": "user", "content": "Invent a person with a name and an age."}],
        max_tokens=64, temperature=0,
        response_format={"type": "json_schema", "json_schema": {"name": "person", "schema": schema}})
    document = json.loads(reply.choices[0].message.content)
    jsonschema.validate(document, schema)


def test_errors_raise_the_right_exception(client, model_id):
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "Hi"}])
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=model_id, messages=[{"role": "user", "content": "Hi"}],
                                       temperature=7)
    assert "temperature" in str(caught.value)
