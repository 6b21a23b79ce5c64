function config() {
  const home = process.env.HOME;
  const key = "PATH";
  const path = process.env[key];
  const quoted = process.env["USER"];
  process.env.WRITTEN = "1"; // a write: not a read site
  delete process.env.GONE;
  const has = process.env.hasOwnProperty("HOME"); // a method call, not a read
  const dir = process.cwd();
  const trimmed = process.env.SHELL.trim();
  return { home, path, quoted, has, dir, trimmed };
}
exports.config = config;
