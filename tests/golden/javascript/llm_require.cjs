// LLM SDK clients (CommonJS): the module itself, its .default and its named
// class are each the client class.
const OpenAI = require("openai");
const { OpenAI: Named } = require("openai");
const Anthropic = require("@anthropic-ai/sdk");
const { Anthropic: NamedAnthropic } = require("@anthropic-ai/sdk");

async function main(messages) {
  const a = new OpenAI();
  const b = new Named();
  const c = new OpenAI.default();
  const d = new Anthropic();
  const e = new NamedAnthropic();
  const f = new Anthropic.default();
  await a.chat.completions.create({ model: "m", messages });
  await b.chat.completions.create({ model: "m", messages });
  await c.chat.completions.create({ model: "m", messages });
  await d.messages.create({ model: "c", max_tokens: 10, messages });
  await e.messages.create({ model: "c", max_tokens: 10, messages });
  return f.messages.create({ model: "c", max_tokens: 10, messages });
}

module.exports = { main };
