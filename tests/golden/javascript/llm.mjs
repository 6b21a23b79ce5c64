// LLM SDK clients (ESM): the default and named exports of openai and
// @anthropic-ai/sdk; every catalogued method; an unrelated one stays as it is.
import OpenAI, { AzureOpenAI } from "openai";
import Anthropic from "@anthropic-ai/sdk";

const client = new OpenAI({ apiKey: "k" });
const claude = new Anthropic();

export async function everyOpenAIMethod(messages) {
  await client.chat.completions.create({ model: "m", messages });
  await client.chat.completions.parse({ model: "m", messages });
  await client.beta.chat.completions.parse({ model: "m", messages });
  await client.responses.create({ model: "m", input: "hi" });
  await client.responses.parse({ model: "m", input: "hi" });
  await client.completions.create({ model: "m", prompt: "hi" });
  await client.embeddings.create({ model: "e", input: "hi" });
  await client.images.generate({ prompt: "a cat" });
  await client.images.edit({ image: null, prompt: "a hat" });
  await client.moderations.create({ input: "hi" });
  await client.audio.transcriptions.create({ model: "w", file: null });
  await client.audio.translations.create({ model: "w", file: null });
  await client.models.list(); // not catalogued: stays as it is
}

export async function everyAnthropicMethod(messages) {
  await claude.messages.create({ model: "c", max_tokens: 10, messages });
  await claude.messages.countTokens({ model: "c", messages });
  await claude.beta.messages.create({ model: "c", max_tokens: 10, messages });
  await claude.completions.create({ model: "c", max_tokens_to_sample: 10, prompt: "hi" });
}

export async function azure(messages) {
  const az = new AzureOpenAI({ apiVersion: "v" });
  return az.chat.completions.create({ model: "m", messages });
}
