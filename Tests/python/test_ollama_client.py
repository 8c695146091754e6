"""The official Ollama Python client, unchanged, against the live server on the real model."""

import ollama
import pytest


@pytest.fixture(scope="module")
def client(server_url):
    return ollama.Client(host=server_url)


def test_list(client, model_id):
    names = [m.model for m in client.list().models]
    assert f"{model_id}:latest" in names


def test_chat_streaming(client, model_id):
    parts = list(client.chat(model=model_id, messages=[{"role": "user", "content": "Hello!"}], stream=True,
                             options={"temperature": 0, "num_predict": 16}))
    assert len(parts) > 2
    assert parts[-1].done
    assert parts[-1].eval_count >= 1
    assert "".join(p.message.content for p in parts)


def test_generate(client, model_id):
    reply = client.generate(model=model_id, prompt="Why is the sky blue?", options={"temperature": 0,
                                                                                      "num_predict": 12})
    assert reply.done
    assert reply.response
    assert reply.eval_count == 12 or reply.done_reason == "stop"


def test_embed(client, model_id):
    reply = client.embed(model=model_id, input=["one", "two"])
    assert len(reply.embeddings) == 2


def test_legacy_embeddings_give_the_vector_embed_gives(client, model_id):
    """ollama.embeddings calls /api/embeddings, the route older integrations still use."""
    legacy = client.embeddings(model=model_id, prompt="The sky is blue.").embedding
    current = client.embed(model=model_id, input="The sky is blue.").embeddings[0]
    assert len(legacy) == len(current) > 0
    assert max(abs(a - b) for a, b in zip(legacy, current)) < 1e-6
    assert client.embeddings(model=model_id, prompt="").embedding == []


def test_show(client, model_id):
    reply = client.show(model_id)
    assert reply.details.format == "gguf"
    assert reply.modelinfo["general.architecture"] == "llama"


def test_unknown_model_raises(client):
    with pytest.raises(ollama.ResponseError) as caught:
        client.chat(model="nope", messages=[{"role": "user", "content": "Hi"}])
    assert caught.value.status_code == 404
