"""LLM SDK clients: every catalogued method, through each client class and
the openai module's own client; an unrelated method stays a plain call."""
import openai
import anthropic
from openai import OpenAI, AsyncOpenAI, AzureOpenAI, AsyncAzureOpenAI
from anthropic import AsyncAnthropic

client = OpenAI(api_key="k")
claude = anthropic.Anthropic()


def every_openai_method(msgs):
    client.chat.completions.create(model="m", messages=msgs)
    client.chat.completions.parse(model="m", messages=msgs)
    client.beta.chat.completions.parse(model="m", messages=msgs)
    client.responses.create(model="m", input="hi")
    client.responses.parse(model="m", input="hi")
    client.completions.create(model="m", prompt="hi")
    client.embeddings.create(model="e", input="hi")
    client.images.generate(prompt="a cat")
    client.images.edit(image=b"", prompt="a hat")
    client.moderations.create(input="hi")
    client.audio.transcriptions.create(model="w", file=b"")
    client.audio.translations.create(model="w", file=b"")
    client.models.list()  # not catalogued: stays as it is


def module_client(msgs):
    openai.chat.completions.create(model="m", messages=msgs)
    openai.responses.create(model="m", input="hi")
    openai.completions.create(model="m", prompt="hi")
    openai.embeddings.create(model="e", input="hi")
    openai.images.generate(prompt="a cat")
    openai.moderations.create(input="hi")


def every_anthropic_method(msgs):
    claude.messages.create(model="c", max_tokens=10, messages=msgs)
    claude.messages.count_tokens(model="c", messages=msgs)
    claude.beta.messages.create(model="c", max_tokens=10, messages=msgs)
    claude.completions.create(model="c", max_tokens_to_sample=10, prompt="hi")


def other_clients(msgs):
    azure = AzureOpenAI(api_version="v")
    azure.chat.completions.create(model="m", messages=msgs)
    return azure


async def async_clients(msgs):
    aio = AsyncOpenAI()
    azure = AsyncAzureOpenAI(api_version="v")
    aclaude = AsyncAnthropic()
    a = await aio.chat.completions.create(model="m", messages=msgs)
    b = await azure.embeddings.create(model="e", input="hi")
    c = await aclaude.messages.create(model="c", max_tokens=10, messages=msgs)
    return a, b, c
