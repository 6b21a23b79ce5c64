/* test_cache.c — the build cache's names-state encoding: an exact round
 * trip, and hostile bytes (every truncation, flipped and random bytes)
 * refused or decoded without a crash, a leak or a sanitizer report. */
#include <stdlib.h>
#include <string.h>

#include "currant.h"
#include "unit.h"

static const char py_src[] = "import os, time\n"
                             "from app.util import helper as h\n"
                             "class Cart:\n"
                             "    def total(self, items, *rest, k=1):\n"
                             "        t = time.time()\n"
                             "        v = os.environ[\"K\"]\n"
                             "        return h(t, v, items)\n"
                             "def f(x):\n"
                             "    y = x\n"
                             "    return Cart().total(y)\n";

static const char js_src[] = "import { readFileSync } from \"node:fs\";\n"
                             "export const load = (p) => readFileSync(p, \"utf8\");\n"
                             "export async function main() { const d = new Date(); await fetch(`x${d}`); }\n"
                             "const o = { m() { return process.env.HOME; } };\n"
                             "o?.m?.();\n";

/* A module of rel/lang holding a copy of src (parsed and named when named). */
static Module *module_of(InputFile *f, const char *src, bool named) {
  Module *m = xcalloc(1, sizeof *m);
  m->file = f, m->lang = f->lang, m->name = xstrdup(f->rel);
  m->text = xstrdup(src), m->len = strlen(src);
  if (!named) return m;
  parse_source(m);
  if (m->status == MOD_OK && m->lang == LANG_PYTHON) names_python(m);
  if (m->status == MOD_OK && m->lang == LANG_JAVASCRIPT) names_javascript(m);
  return m;
}

static void module_drop(Module *m) {
  driver_clear_module(m);
  free(m->name), free(m->text), free(m);
}

/* Decodes bytes into a fresh module; true when accepted. */
static bool decodes(InputFile *f, const char *src, const char *bytes, size_t n) {
  Module *m = module_of(f, src, false);
  bool ok = cache_decode_names(bytes, n, m);
  module_drop(m);
  return ok;
}

static void encode(InputFile *f, const char *src, StrBuf *out) {
  Vec quiet = {0};
  diag_defer(&quiet); /* the syntax errors are expected */
  Module *m = module_of(f, src, true);
  diag_defer(NULL);
  diag_records_free(&quiet);
  cache_encode_names(m, out);
  module_drop(m);
}

static void round_trip(Lang lang, const char *rel, const char *src, int min_calls) {
  InputFile f = {.abs = (char *)rel, .rel = (char *)rel, .lang = lang};
  StrBuf a = {0}, b = {0};
  encode(&f, src, &a);
  Module *m = module_of(&f, src, false);
  CHECK(cache_decode_names(a.data, a.len, m));
  cache_encode_names(m, &b);
  CHECK_INT(b.len, a.len);
  CHECK(b.len == a.len && memcmp(a.data, b.data, a.len) == 0);
  CHECK(m->calls.len >= min_calls);
  module_drop(m);
  str_free(&a), str_free(&b);
}

TEST(cache_names_round_trip_python) { round_trip(LANG_PYTHON, "app/cart.py", py_src, 5); }
TEST(cache_names_round_trip_javascript) { round_trip(LANG_JAVASCRIPT, "app/load.mjs", js_src, 5); }
/* The module the cache gives back for src (f describes it; a keeps the
 * encoding), after round_trip's checks on the same source. */
static Module *decoded(InputFile *f, const char *src, int min_calls, StrBuf *a) {
  round_trip(f->lang, f->rel, src, min_calls);
  encode(f, src, a);
  Module *m = module_of(f, src, false);
  CHECK(cache_decode_names(a->data, a->len, m));
  return m;
}

/* Module-level aliases, which other files' calls are followed through
 * (link.c): name and what each denotes. */
static void check_alias(Lang lang, const char *rel, const char *src, RefKind kind, const char *path) {
  InputFile f = {.abs = (char *)rel, .rel = (char *)rel, .lang = lang};
  StrBuf a = {0};
  Module *m = decoded(&f, src, 1, &a);
  CHECK_INT(m->aliases.len, 1);
  if (m->aliases.len == 1) {
    const ValueAlias *al = m->aliases.items[0];
    CHECK(strcmp(al->name, "now") == 0);
    CHECK_INT(al->ref.kind, kind);
    CHECK(al->ref.path && strcmp(al->ref.path, path) == 0);
  }
  module_drop(m);
  str_free(&a);
}

TEST(cache_names_round_trip_aliases) {
  check_alias(LANG_PYTHON, "app/clock.py", "import time\nnow = time.time\nnow()\n", REF_IMPORT, "time");
  check_alias(LANG_JAVASCRIPT, "app/clock.mjs", "export const now = Date.now;\nnow();\n", REF_GLOBAL, "Date.now");
}

/* What the Python rewrite works from once the tree is gone (Module.py,
 * call shapes): top-level statements, import statements and their parts,
 * `=` interpolations. */
static const char py_layout_src[] =
    "\"\"\"doc\"\"\"\n"
    "from __future__ import annotations\n"
    "import os, currant.js.p as p\n"
    "from currant.js.q import (a,\n    b as c)\n"
    "try:\n    x = os.environ[\"K\"]\nexcept KeyError:\n    x = None\n"
    "def f(y=1):\n    return f'{p.g(y, *x, k=1)=!r:>4}' + str(z for z in y)\n";

TEST(cache_names_round_trip_python_layout) {
  InputFile f = {.abs = "app/lay.py", .rel = "app/lay.py", .lang = LANG_PYTHON};
  StrBuf a = {0};
  Module *m = decoded(&f, py_layout_src, 3, &a);
  CHECK(m->py != NULL);
  if (m->py) {
    CHECK_INT(m->py->ntops, 6);
    CHECK_INT(m->py->nstmts, 2);
    CHECK_INT(m->py->nparts, 4);
    CHECK_INT(m->py->neqs, 1);
    CHECK(m->py->neqs == 1 && m->py->eqs[0].quote == '\'' && m->py->eqs[0].converted);
  }
  int shaped = 0;
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    shaped += (c->args & SHAPE_OK) != 0;
    if (strcmp(c->text, "p.g") == 0)
      CHECK(c->positional == 1 && (c->args & ARGS_SPREAD) && (c->args & ARGS_KEYWORDS));
    if (strcmp(c->text, "str") == 0) CHECK((c->args & SHAPE_GENERATOR) && c->positional == 1);
  }
  CHECK_INT(shaped, m->calls.len);
  module_drop(m);
  str_free(&a);
}

/* What the JavaScript rewrite works from once the tree is gone (Module.js):
 * the binding's place, optional chains with their links, per-call tokens,
 * the nodes bridges replace. */
static const char js_layout_src[] = "#!/usr/bin/env node\n"
                                    "\"use strict\";\n"
                                    "const m = require(\"./m.py\"), { g } = require(\"./m.py\");\n"
                                    "a?.b.c(fs.readFileSync(\"x\"));\n"
                                    "const d = new(Date), t = fetch`u`, e = process.env[\"K\"];\n";

TEST(cache_names_round_trip_javascript_layout) {
  InputFile f = {.abs = "app/lay.js", .rel = "app/lay.js", .lang = LANG_JAVASCRIPT};
  StrBuf a = {0};
  Module *m = decoded(&f, js_layout_src, 5, &a);
  CHECK(m->js != NULL);
  if (m->js) {
    const JsLayout *js = m->js;
    CHECK_INT(js->first_stmt, (int)(strstr(js_layout_src, "const m") - js_layout_src));
    CHECK_INT(js->nchains, 1);
    CHECK_INT(js->nlinks, 4); /* a, a?.b, a?.b.c, a?.b.c(...) */
    CHECK(js->nlinks == 4 && js->links[1].acc.opt != UINT32_MAX && js->links[3].acc.kind == JS_CALL);
    CHECK_INT(js->nbridges, m->imports.len);
    for (int i = 0; i < js->nbridges; i++) CHECK_INT(js->bridges[i].kind, JSB_REQUIRE);
    for (int i = 0; i < m->calls.len; i++) {
      const Call *c = m->calls.items[i];
      const JsCall *j = &js->calls[i];
      if (c->form == CALL_NEW) CHECK(j->kw == c->span.start && j->written.start == j->kw + 3);
      if (c->form == CALL_READ) CHECK(j->callee.kind == JS_SUBSCRIPT && j->callee.close == c->span.end - 1);
      if (strcmp(c->text, "a.b.c") == 0) CHECK(j->chain == 0);
    }
  }
  module_drop(m);
  str_free(&a);
}

TEST(cache_names_round_trip_syntax_errors) { round_trip(LANG_PYTHON, "bad.py", "def bad(:\n  x = (\n", 0); }

/* Every prefix of a valid encoding but the whole is refused. */
TEST(cache_names_truncations_refused) {
  InputFile f = {.abs = "a.py", .rel = "a.py", .lang = LANG_PYTHON};
  StrBuf a = {0};
  encode(&f, py_src, &a);
  for (size_t n = 0; n < a.len; n++)
    if (decodes(&f, py_src, a.data, n)) unit_fail(__FILE__, __LINE__, "prefix of %zu bytes accepted", n);
  CHECK(decodes(&f, py_src, a.data, a.len));
  str_free(&a);
}

/* Flipped bits and random bytes: refused or decoded, never a crash (ASan
 * and UBSan run this: a bad index or span would be caught here). */
TEST(cache_names_hostile_bytes_survived) {
  InputFile f = {.abs = "a.mjs", .rel = "a.mjs", .lang = LANG_JAVASCRIPT};
  StrBuf a = {0};
  encode(&f, js_src, &a);
  char *copy = xmalloc(a.len + 1);
  srand(7);
  for (size_t i = 0; i < a.len; i++)
    for (int bit = 0; bit < 8; bit++) {
      memcpy(copy, a.data, a.len);
      copy[i] = (char)(copy[i] ^ (1 << bit));
      decodes(&f, js_src, copy, a.len);
    }
  for (int round = 0; round < 2000; round++) {
    memcpy(copy, a.data, a.len);
    for (int k = 0; k < 1 + round % 6; k++) copy[(size_t)rand() % a.len] = (char)rand();
    decodes(&f, js_src, copy, a.len);
  }
  for (int round = 0; round < 200; round++) {
    for (size_t i = 0; i < a.len; i++) copy[i] = (char)rand();
    decodes(&f, js_src, copy, a.len);
  }
  free(copy);
  str_free(&a);
}
