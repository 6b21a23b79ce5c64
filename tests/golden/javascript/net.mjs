import http from "node:http";
import * as https from "https";

export async function get(url) {
  const res = await fetch(url, { method: "GET" });
  const body = await res.json();
  http.get("http://example.com", (r) => r.resume());
  const req = https.request({ host: "example.com" });
  req.end();
  return body;
}
