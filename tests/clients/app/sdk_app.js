// A program that calls the OpenAI and Anthropic SDKs as their documentation
// shows, with no currant API in it: tests/suites/98-client-libraries.sh compiles it
// with currantc and runs it under currant, killed after each checkpoint.
const OpenAI = require("openai");
const Anthropic = require("@anthropic-ai/sdk");

const root = process.env.LLM_ROOT; // the fake server
const openai = new OpenAI({ apiKey: "test", baseURL: `${root}/v1`, maxRetries: 0 });
const claude = new Anthropic({ apiKey: "test", baseURL: root, maxRetries: 0 });
const user = (content) => [{ role: "user", content }];

async function main() {
  const plan = await openai.chat.completions.create({ model: "gpt-test", messages: user("plan the day") });
  console.log("openai:", plan.choices[0].message.content);
  const review = await claude.messages.create({ model: "claude-test", max_tokens: 50, messages: user(plan.choices[0].message.content) });
  console.log("anthropic:", review.content[0].text, review.usage.output_tokens);
  const stream = await openai.chat.completions.create({ model: "gpt-test", stream: true, messages: user("stream it") });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  console.log("stream:", text);
  const emb = await openai.embeddings.create({ model: "emb", input: text });
  console.log("embedding:", emb.data[0].embedding.join(","));
}

main();
