/* test_driver.c — driver_compile_buffer: every per-file stage end to end. */
#include <stdlib.h>
#include <string.h>

#include "currant.h"
#include "unit.h"

static size_t lines_of(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += s[i] == '\n';
  return k;
}

/* Compiles text (no NUL needed: an exact-size copy is passed). */
static ModStatus compile(Lang lang, const char *rel, const char *text, char **out, size_t *out_len) {
  size_t n = strlen(text);
  char *exact = xmalloc(n ? n : 1);
  memcpy(exact, text, n);
  diag_init(-1);
  ModStatus st = driver_compile_buffer(lang, rel, exact, n, out, out_len);
  free(exact);
  return st;
}

TEST(driver_python_site_rewritten) {
  const char *src = "import time\nt = time.time()\nprint(t)\n";
  char *out = NULL;
  size_t n = 0;
  CHECK_INT(compile(LANG_PYTHON, "app/a.py", src, &out, &n), MOD_OK);
  CHECK(out != NULL);
  if (!out) return;
  CHECK_INT(lines_of(out, n), 3);
  CHECK(strstr(out, "_currant = __import__(\"currant\").module(\"app/a.py\")") != NULL);
  CHECK(strstr(out, "_currant.call(0, time.time)") != NULL);
  CHECK(strstr(out, "print(t)") != NULL); /* print is no boundary */
  free(out);
}

TEST(driver_python_future_and_docstring_stay_first) {
  const char *src = "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport os\nx = os.getenv(\"K\")\n";
  char *out = NULL;
  size_t n = 0;
  CHECK_INT(compile(LANG_PYTHON, "m.py", src, &out, &n), MOD_OK);
  CHECK(out != NULL);
  if (!out) return;
  CHECK(strncmp(out, "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations", 44) == 0);
  CHECK_INT(lines_of(out, n), 4);
  free(out);
}

TEST(driver_python_no_site_is_unchanged) {
  const char *src = "def f(a, b):\n    return a + b\n";
  char *out = (char *)1;
  size_t n = 0;
  CHECK_INT(compile(LANG_PYTHON, "m.py", src, &out, &n), MOD_OK);
  CHECK(out == NULL);
  if (out && out != (char *)1) free(out);
}

TEST(driver_python_syntax_error_not_instrumented) {
  const char *src = "import time\ndef f(:\n    time.time()\n";
  char *out = NULL;
  size_t n = 0;
  CHECK_INT(compile(LANG_PYTHON, "bad.py", src, &out, &n), MOD_SYNTAX);
  CHECK(out == NULL);
  free(out);
}

TEST(driver_python_binary_and_bad_utf8_skipped) {
  char *out = NULL;
  size_t n = 0;
  const char bin[] = {'x', '=', '1', '\n', 0, 1, 2, (char)0xff, '\n'};
  diag_init(-1);
  CHECK_INT(driver_compile_buffer(LANG_PYTHON, "bin.py", bin, sizeof bin, &out, &n), MOD_SKIPPED);
  CHECK(out == NULL);
  free(out);
  out = NULL;
  const char *latin = "s = '\xe9t\xe9'\nimport time\ntime.time()\n";
  CHECK_INT(compile(LANG_PYTHON, "latin.py", latin, &out, &n), MOD_SKIPPED);
  CHECK(out == NULL);
  free(out);
}

TEST(driver_empty_files) {
  char *out = NULL;
  size_t n = 0;
  diag_init(-1);
  CHECK_INT(driver_compile_buffer(LANG_PYTHON, "e.py", "", 0, &out, &n), MOD_OK);
  CHECK(out == NULL);
  CHECK_INT(driver_compile_buffer(LANG_JAVASCRIPT, "e.js", "", 0, &out, &n), MOD_OK);
  CHECK(out == NULL);
}

TEST(driver_javascript_sites) {
  const char *src = "const fs = require(\"fs\");\nconst t = Date.now();\nconst d = new Date();\n"
                    "const s = fs.readFileSync(\"x\", \"utf8\");\nconsole.log(Math.floor(t));\n";
  char *out = NULL;
  size_t n = 0;
  CHECK_INT(compile(LANG_JAVASCRIPT, "a.js", src, &out, &n), MOD_OK);
  CHECK(out != NULL);
  if (!out) return;
  CHECK(strstr(out, "require(\"currant\").module(\"a.js\")") != NULL);
  CHECK(strstr(out, "_currant.call(0, _currant.ref(Date, \"now\"))") != NULL);
  CHECK(strstr(out, "_currant.construct(1, Date)") != NULL);
  CHECK(strstr(out, "_currant.call(2, _currant.ref(fs, \"readFileSync\"), \"x\", \"utf8\")") != NULL);
  CHECK(strstr(out, "Math.floor(t)") != NULL);
  CHECK(strstr(out, "//# sourceMappingURL=a.js.map") != NULL);
  free(out);
}

TEST(driver_javascript_esm_binding) {
  const char *src = "import { readFileSync } from \"node:fs\";\nexport const x = readFileSync(\"f\");\n";
  char *out = NULL;
  size_t n = 0;
  CHECK_INT(compile(LANG_JAVASCRIPT, "m.mjs", src, &out, &n), MOD_OK);
  CHECK(out != NULL);
  if (!out) return;
  CHECK(strstr(out, "import { createRequire as _currantRequire } from \"node:module\";") != NULL);
  CHECK(strstr(out, "_currantRequire(import.meta.url)(\"currant\").module(\"m.mjs\")") != NULL);
  CHECK(strstr(out, "_currant.call(0, readFileSync, \"f\")") != NULL);
  free(out);
}

TEST(driver_javascript_syntax_error) {
  char *out = NULL;
  size_t n = 0;
  CHECK_INT(compile(LANG_JAVASCRIPT, "bad.js", "function (\nDate.now();\n", &out, &n), MOD_SYNTAX);
  CHECK(out == NULL);
  free(out);
}

/* 5,000 levels of nesting must not overflow the C stack. */
static char *nested(const char *open, const char *mid, const char *close, int depth) {
  StrBuf b = {0};
  for (int i = 0; i < depth; i++) str_puts(&b, open);
  str_puts(&b, mid);
  for (int i = 0; i < depth; i++) str_puts(&b, close);
  str_puts(&b, "\n");
  return str_take(&b);
}

TEST(driver_deep_nesting_both_languages) {
  char *out = NULL;
  size_t n = 0;
  char *py = nested("f(", "time.time()", ")", 5000);
  char *pyfull = xasprintf("import time\nx = %s", py);
  ModStatus st = compile(LANG_PYTHON, "deep.py", pyfull, &out, &n);
  CHECK(st == MOD_OK || st == MOD_SKIPPED || st == MOD_SYNTAX);
  if (out) CHECK_INT(lines_of(out, n), 2);
  free(out);
  out = NULL;
  char *js = nested("[", "Date.now()", "]", 5000);
  st = compile(LANG_JAVASCRIPT, "deep.js", js, &out, &n);
  CHECK(st == MOD_OK || st == MOD_SKIPPED || st == MOD_SYNTAX);
  free(out);
  out = NULL;
  char *js2 = nested("g(", "Math.random()", ")", 5000);
  st = compile(LANG_JAVASCRIPT, "deep2.js", js2, &out, &n);
  CHECK(st == MOD_OK || st == MOD_SKIPPED || st == MOD_SYNTAX);
  free(out);
  free(py);
  free(pyfull);
  free(js);
  free(js2);
}
