/*
 * fuzz_currantc.c — libFuzzer harness: runs every per-file stage of currantc
 * (driver_compile_buffer) on one in-memory file of either language.
 *
 * Input: byte 0 picks the file kind (low 2 bits: 0 .py, 1 .js, 2 .mjs,
 * 3 .cjs), the rest is the file's bytes.  Besides the sanitizers, the harness
 * checks what the compiler promises for every input:
 *   - emitted text only for a module that was analysed (MOD_OK);
 *   - Python output has exactly the input's line count;
 *   - a file without a change is reported as NULL, not as a copy.
 * Built by tests/build.mk as build/fuzz/fuzz-currantc (clang, libFuzzer) and
 * build/fuzz/fuzz-replay (gcc, with tests/fuzz/replay_main.c).
 */
#include "currant.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_rel[4] = {"fuzz.py", "fuzz.js", "fuzz.mjs", "fuzz.cjs"};

static size_t count_newlines(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += s[i] == '\n';
  return k;
}

static void violated(const char *what, const char *rel) {
  fprintf(stderr, "fuzz_currantc: invariant violated (%s): %s\n", what, rel);
  abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  diag_init(-1);
  return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  if (size < 1) return 0;
  int kind = data[0] & 3;
  Lang lang = kind == 0 ? LANG_PYTHON : LANG_JAVASCRIPT;
  const char *rel = kind_rel[kind];
  const char *text = (const char *)data + 1;
  size_t len = size - 1;
  char *out = NULL;
  size_t out_len = 0;
  ModStatus st = driver_compile_buffer(lang, rel, text, len, &out, &out_len);
  if (out) {
    if (st != MOD_OK) violated("output for a module that was not analysed", rel);
    if (out_len == len && memcmp(out, text, len) == 0) violated("unchanged output not reported as NULL", rel);
    if (lang == LANG_PYTHON && count_newlines(out, out_len) != count_newlines(text, len))
      violated("python line count changed", rel);
  }
  free(out);
  return 0;
}
