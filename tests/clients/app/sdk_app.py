"""A program that calls the openai and anthropic packages as their
documentation shows, with no currant API in it: tests/suites/98-client-libraries.sh
compiles it with currantc and runs it under currant, killed after each
checkpoint (the packages are the stand-ins of tests/clients/sdk-stub)."""
import asyncio
import os

import anthropic
from openai import AsyncOpenAI, OpenAI

root = os.environ["LLM_ROOT"]  # the fake server
client = OpenAI(api_key="test", base_url=f"{root}/v1")
claude = anthropic.Anthropic(api_key="test", base_url=root)


def user(content):
    return [{"role": "user", "content": content}]


def main():
    plan = client.chat.completions.create(model="gpt-test", messages=user("plan the day"))
    print("openai:", plan.choices[0].message.content, flush=True)
    review = claude.messages.create(model="claude-test", max_tokens=50,
                                    messages=user(plan.choices[0].message.content))
    print("anthropic:", review.content[0].text, review.usage.output_tokens, flush=True)
    with client.chat.completions.create(model="gpt-test", stream=True,
                                        messages=user("stream it")) as stream:
        text = "".join(c.choices[0].delta.content or "" for c in stream)
    print("stream:", text, flush=True)
    emb = client.embeddings.create(model="emb", input=text)
    print("embedding:", ",".join(str(x) for x in emb.data[0].embedding), flush=True)


async def concurrently():
    aio = AsyncOpenAI(api_key="test", base_url=f"{root}/v1")
    answer = await aio.chat.completions.create(model="gpt-test", messages=user("async"))
    print("async:", answer.choices[0].message.content, flush=True)
    stream = await aio.chat.completions.create(model="gpt-test", stream=True,
                                               messages=user("async stream"))
    parts = [c.choices[0].delta.content async for c in stream]
    print("async stream:", "".join(parts), flush=True)


main()
asyncio.run(concurrently())
