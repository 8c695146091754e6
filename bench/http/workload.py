"""The requests the benchmark sends: deterministic, identical for both servers.

Every request's text starts with its own tag (round, scenario, client, request), so past the chat template's opening
and the shared system prompt a prompt never repeats an earlier request's and neither server can skip it through a
cache, except in the multi-turn chat, where reusing the history is the point.
Generation is never cut short on purpose: temperature 0, `ignore_eos` (llama-server honours it; a server that
does not is still measured by the tokens it really produced), and prompts that invite a long answer.
"""

import random

# Common English words; a seeded shuffle of them makes filler text whose length in tokens is calibrated once
# with the reference server's /tokenize (see `calibrate`).
WORDS = """
time year people way day man thing woman life child world school state family student group country problem
hand part place case week company system program question work government number night point home water room
mother area money story fact month lot right study book eye job word business issue side kind head house
service friend father power hour game line end member law car city community name president team minute idea
kid body information back parent face others level office door health person art war history party result
change morning reason research girl guy moment air teacher force education foot boy age policy music market
sense nation plan college interest death experience effect use class control care field development role
effort rate heart drug show leader light voice wife police mind price report decision son view relationship
town road arm difference value building action model season society tax director position player record paper
space ground form event official matter center couple site project activity star table need court oil
situation cost industry figure street image phone data picture practice piece land product doctor wall patient
worker news test movie north love support technology step baby computer type attention film tree source
organization hair window evidence population site river bridge garden lantern harbor island mountain valley
""".split()

SYSTEM_PROMPT = "You are a helpful assistant who answers at length and in detail."
FOLLOW_UP = "Tell me more about the lighthouse keeper: what did she do next?"
LONG_ANSWER_REQUEST = (
    "Write a long and detailed story about a lighthouse keeper who finds an old map hidden in the wall. "
    "Describe every room of the lighthouse, every person she meets and every step of her journey."
)


def filler(word_count: int, seed: int) -> str:
    """`word_count` words drawn from WORDS with a fixed seed, with a full stop every twelve words."""
    rng = random.Random(seed)
    words = [rng.choice(WORDS) for _ in range(word_count)]
    for index in range(11, len(words), 12):
        words[index] += "."
    return " ".join(words)


def tag(round_number: int, scenario: str, index: int) -> str:
    return f"[round {round_number}, {scenario} request {index}]"


class Workload:
    """Builds request bodies; `words_per_token` comes from `calibrate` so prompt sizes land near their targets."""

    def __init__(self, max_tokens: int, words_per_token: float = 0.8):
        self.max_tokens = max_tokens
        self.words_per_token = words_per_token
        # Part of every tag, so that a later round never finds an earlier round's prompt in the cache.
        self.round_number = 0

    def tag(self, scenario: str, index: int) -> str:
        return tag(self.round_number, scenario, index)

    def words_for(self, tokens: int) -> int:
        return max(1, round(tokens * self.words_per_token))

    @staticmethod
    def sampling(max_tokens: int) -> dict:
        return {"max_tokens": max_tokens, "temperature": 0, "seed": 42, "ignore_eos": True}

    def decode_request(self, index: int) -> tuple[str, dict]:
        """A short chat prompt asking for a long answer: measures decode."""
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"{self.tag('decode', index)} {LONG_ANSWER_REQUEST}"},
        ]
        return "chat", {"messages": messages, **self.sampling(self.max_tokens)}

    def prompt_request(self, index: int, prompt_tokens: int, generate: int) -> tuple[str, dict]:
        """A raw text completion of about `prompt_tokens` tokens (no chat template, so both count the same)."""
        # The tag takes about ten tokens of the target.
        text = f"{self.tag('prompt', index)} {filler(self.words_for(prompt_tokens - 10), seed=1000 + index)}"
        return "completion", {"prompt": text, **self.sampling(generate)}

    def mixed_request(self, scenario: str, client: int, index: int, prompt_tokens: int) -> tuple[str, dict]:
        """A chat request with a filler context of `prompt_tokens` tokens, for the concurrency scenarios.

        `scenario` is part of the tag: without it, client 0's first request at 8 clients would be client 0's first
        request at 4 clients again, and a server that kept it cached would skip its prompt.
        """
        context = filler(self.words_for(prompt_tokens), seed=client * 100_003 + index)
        tag = self.tag(f"{scenario}, client {client}", index)
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {
                "role": "user",
                "content": f"{tag} Some notes: {context}\n\n{LONG_ANSWER_REQUEST}",
            },
        ]
        return "chat", {"messages": messages, **self.sampling(self.max_tokens)}

    def chat_turn(self, history: list[dict], conversation: int, turn: int) -> list[dict]:
        """The history plus the next user message of a multi-turn conversation."""
        if not history:
            history = [{"role": "system", "content": SYSTEM_PROMPT}]
        question = LONG_ANSWER_REQUEST if turn == 0 else FOLLOW_UP
        return history + [{"role": "user", "content": f"{self.tag(f'chat {conversation}', turn)} {question}"}]


def mixed_prompt_lengths(seed: int, count: int, lengths: list[int]) -> list[int]:
    """The prompt length of each request a client sends, from a seeded draw: the same sequence for both servers."""
    rng = random.Random(seed)
    return [rng.choice(lengths) for _ in range(count)]


async def calibrate(session, base_url: str) -> float:
    """Words per token of filler text, from a server's /tokenize (llama-server and ours both have it)."""
    sample_words = 2000
    async with session.post(base_url + "/tokenize", json={"content": filler(sample_words, seed=7)}) as response:
        response.raise_for_status()
        tokens = len((await response.json())["tokens"])
    return sample_words / tokens
