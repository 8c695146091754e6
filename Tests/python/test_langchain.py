"""LangChain's ChatOpenAI, unchanged, against the live server on the real model."""

import openai
import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI


@pytest.fixture(scope="module")
def chat(server_url, model_id):
    return ChatOpenAI(base_url=server_url + "/v1", api_key="x", model=model_id, temperature=0, max_tokens=16,
                      max_retries=0, timeout=60)


def test_invoke(chat):
    reply = chat.invoke([SystemMessage("Answer briefly."), HumanMessage("What is the capital of France?")])
    assert isinstance(reply.content, str) and reply.content
    assert reply.response_metadata["finish_reason"] in ("stop", "length")
    assert reply.usage_metadata["output_tokens"] >= 1
    assert reply.usage_metadata["total_tokens"] == (
        reply.usage_metadata["input_tokens"] + reply.usage_metadata["output_tokens"])


def test_stream_equals_invoke(chat):
    question = [HumanMessage("Say something about cats.")]
    chunks = list(chat.stream(question))
    assert len(chunks) > 2
    assert all(isinstance(chunk, AIMessageChunk) for chunk in chunks)
    streamed = "".join(chunk.content for chunk in chunks)
    assert streamed == chat.invoke(question).content


def test_bad_request_raises(server_url, model_id):
    chat = ChatOpenAI(base_url=server_url + "/v1", api_key="x", model=model_id, temperature=7, max_retries=0)
    with pytest.raises(openai.BadRequestError):
        chat.invoke("Hi")
