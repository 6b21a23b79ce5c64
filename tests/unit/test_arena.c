/* test_arena.c — arena.c: a build's trees in a per-thread bump arena. */
#include <stdlib.h>
#include <string.h>

#include "currant.h"
#include "unit.h"

static const char py_src[] =
    "import time\n\n\nclass C:\n    def m(self, x):\n        return time.time() + x\n";

/* Parses and names text as a build does inside an open arena, then drops the
 * tree; returns the number of calls the names pass saw (-1: not parsed). */
static int parse_in_arena(Lang lang, const char *rel, const char *text) {
  InputFile f = {.abs = (char *)rel, .rel = (char *)rel, .lang = lang};
  Module m = {.file = &f, .lang = lang, .name = xstrdup(rel), .text = xstrdup(text), .len = strlen(text)};
  CHECK(arena_open());
  parse_source(&m);
  int calls = -1;
  if (m.status == MOD_OK && m.tree) {
    if (lang == LANG_PYTHON)
      names_python(&m);
    else
      names_javascript(&m);
    calls = m.calls.len;
  }
  CHECK(arena_is_open());
  CHECK(!arena_spilled()); /* a small file fits */
  parse_drop_tree(&m);
  CHECK(!arena_is_open());
  CHECK(m.tree == NULL);
  driver_clear_module(&m);
  free(m.name), free(m.text);
  return calls;
}

TEST(arena_not_opened_unless_installed) {
  CHECK(!arena_open()); /* unit tests and library users keep malloc */
  CHECK(!arena_is_open());
  arena_close(); /* closing a closed arena is a no-op */
  CHECK(!arena_spilled());
}

TEST(arena_parses_file_after_file) {
  arena_install();
  /* file after file, each parsed and named in the arena and dropped with
   * it: the names pass sees the same calls each time, and ASan (a closed
   * arena is poisoned) and LeakSanitizer (the parser's scanner state is on
   * malloc) report nothing */
  for (int i = 0; i < 50; i++) {
    CHECK_INT(parse_in_arena(LANG_PYTHON, "a.py", py_src), 1);
    CHECK_INT(
        parse_in_arena(LANG_JAVASCRIPT, "b.js", "const fs = require('fs');\nfs.readFileSync(Date.now());\n"),
        3);
  }
  parse_thread_done();
}

TEST(arena_syntax_error_in_arena) {
  arena_install();
  InputFile f = {.abs = "bad.py", .rel = "bad.py", .lang = LANG_PYTHON};
  Module m = {
      .file = &f, .lang = LANG_PYTHON, .name = xstrdup("bad"), .text = xstrdup("def f(:\n"), .len = 8};
  Vec reports = {0};
  diag_defer(&reports); /* kept, not printed */
  CHECK(arena_open());
  parse_source(&m);
  diag_defer(NULL);
  CHECK_INT(m.status, MOD_SYNTAX);
  CHECK(reports.len > 0);
  diag_records_free(&reports);
  CHECK(m.errors.len > 0); /* the messages were copied out of the tree */
  parse_drop_tree(&m);
  CHECK(!arena_is_open());
  driver_clear_module(&m);
  free(m.name), free(m.text);
  parse_thread_done();
}
