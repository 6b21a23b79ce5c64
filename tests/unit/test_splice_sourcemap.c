/* test_splice_sourcemap.c — splice.c (byte-range edits) and sourcemap.c. */
#include <stdlib.h>
#include <string.h>

#include "currant.h"
#include "unit.h"

/* Decodes one Base64 VLQ field of s at *i. */
static long vlq_field(const char *s, size_t *i) {
  static const char *b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  long v = 0;
  int shift = 0;
  for (;;) {
    const char *p = strchr(b64, s[*i]);
    if (!p || !s[*i]) return -999999;
    (*i)++;
    long d = p - b64;
    v |= (d & 31) << shift;
    shift += 5;
    if (!(d & 32)) break;
  }
  return (v & 1) ? -(v >> 1) : (v >> 1);
}

TEST(sourcemap_vlq_encoding) {
  SourceMap sm = {0};
  smap_add(&sm, 0, 0, 0, 0);
  smap_add(&sm, 0, 5, 0, 3);
  smap_add(&sm, 1, 0, 1, 0);
  smap_add(&sm, 1, 16, 1, 0);
  char *json = smap_finish(&sm, "a.js", "a.js");
  CHECK(json != NULL);
  if (!json) return;
  CHECK(strstr(json, "\"version\":3") != NULL);
  CHECK(strstr(json, "\"sources\":[\"a.js\"]") != NULL);
  CHECK(strstr(json, "\"mappings\":\"AAAA,KAAG;AACH,gBAAA\"") != NULL);
  if (!strstr(json, "AAAA,KAAG;AACH,gBAAA")) unit_fail(__FILE__, __LINE__, "map: %s", json);
  free(json);
}

TEST(sourcemap_skips_empty_lines_with_semicolons) {
  SourceMap sm = {0};
  smap_add(&sm, 3, 2, 5, 1);
  char *json = smap_finish(&sm, "b.js", "b.js");
  CHECK(json && strstr(json, "\"mappings\":\";;;EAKC\"") != NULL);
  free(json);
}

static Module make_module(InputFile *f, Lang lang, const char *text) {
  Module m;
  memset(&m, 0, sizeof m);
  m.file = f;
  m.lang = lang;
  m.text = xstrdup(text);
  m.len = strlen(text);
  return m;
}

static void free_module_bits(Module *m) {
  free(m->text);
  free(m->out_text);
  free(m->source_map);
}

TEST(splice_replaces_and_inserts_in_order) {
  InputFile f = {.abs = "a.py", .rel = "a.py", .lang = LANG_PYTHON};
  Module m = make_module(&f, LANG_PYTHON, "import time\nt = time.time()\n");
  EditList l = {0};
  /* time.time() at [16, 27): becomes _currant.call(0, time.time) */
  edit_add(&l, 16, 27, "_currant.call(0, time.time)");
  edit_insert(&l, 0, "A");
  edit_insert(&l, 0, "B");
  CHECK_INT(splice_apply(&m, &l), 0);
  CHECK_STR(m.out_text, "ABimport time\nt = _currant.call(0, time.time)\n");
  CHECK_INT(m.out_len, strlen("ABimport time\nt = _currant.call(0, time.time)\n"));
  CHECK(m.source_map == NULL); /* Python: no map */
  edit_free(&l);
  free_module_bits(&m);
}

TEST(splice_no_edits_means_unchanged) {
  InputFile f = {.abs = "a.py", .rel = "a.py", .lang = LANG_PYTHON};
  Module m = make_module(&f, LANG_PYTHON, "x = 1\n");
  EditList l = {0};
  CHECK_INT(splice_apply(&m, &l), 0);
  CHECK(m.out_text == NULL);
  free_module_bits(&m);
}

TEST(splice_refuses_overlap_and_out_of_range) {
  diag_init(-1);
  InputFile f = {.abs = "a.py", .rel = "a.py", .lang = LANG_PYTHON};
  Module m = make_module(&f, LANG_PYTHON, "abcdef\n");
  EditList l = {0};
  edit_add(&l, 1, 4, "X");
  edit_add(&l, 3, 5, "Y");
  CHECK_INT(splice_apply(&m, &l), -1);
  CHECK(m.out_text == NULL);
  edit_free(&l);
  edit_add(&l, 5, 50, "Z");
  CHECK_INT(splice_apply(&m, &l), -1);
  CHECK(m.out_text == NULL);
  edit_free(&l);
  free_module_bits(&m);
}

TEST(splice_javascript_map_and_url) {
  InputFile f = {.abs = "src/app.js", .rel = "src/app.js", .lang = LANG_JAVASCRIPT};
  const char *src = "const t = Date.now();\nconsole.log(t);";
  Module m = make_module(&f, LANG_JAVASCRIPT, src);
  EditList l = {0};
  edit_add(&l, 10, 20, "_currant.call(0, Date.now)");
  CHECK_INT(splice_apply(&m, &l), 0);
  CHECK(m.out_text != NULL);
  if (m.out_text) {
    CHECK(strncmp(m.out_text, "const t = _currant.call(0, Date.now);\nconsole.log(t);", 52) == 0);
    const char *url = "\n//# sourceMappingURL=app.js.map\n";
    size_t ul = strlen(url);
    CHECK(m.out_len > ul && strcmp(m.out_text + m.out_len - ul, url) == 0);
  }
  CHECK(m.source_map != NULL);
  if (m.source_map) {
    CHECK(strstr(m.source_map, "\"version\":3") != NULL);
    CHECK(strstr(m.source_map, "\"sources\":[\"app.js\"]") != NULL);
    /* Line 2 of the output (console.log) maps to line 2 of the input. */
    const char *mp = strstr(m.source_map, "\"mappings\":\"");
    CHECK(mp != NULL);
    if (mp) {
      mp += strlen("\"mappings\":\"");
      size_t i = 0;
      long src_line = 0, gen_line = 0;
      bool line2_seen = false;
      while (mp[i] && mp[i] != '"') {
        if (mp[i] == ';') {
          gen_line++;
          i++;
          continue;
        }
        if (mp[i] == ',') {
          i++;
          continue;
        }
        vlq_field(mp, &i);
        vlq_field(mp, &i);
        src_line += vlq_field(mp, &i);
        vlq_field(mp, &i);
        if (gen_line == 1) {
          line2_seen = true;
          CHECK_INT(src_line, 1);
        }
        CHECK(src_line >= 0 && src_line <= 1);
      }
      CHECK(line2_seen);
    }
  }
  edit_free(&l);
  free_module_bits(&m);
}
