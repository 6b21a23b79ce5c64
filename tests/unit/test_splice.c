/*
 * test_splice.c — splice.c: byte-range edits and the maps built alongside.
 *
 * The invariants under test are the ones the rest of currant leans on:
 * bytes outside edits are copied verbatim, insertions at one offset keep
 * their order, overlapping edits are refused, Python gets no map, and a JS
 * map sends each generated position back to the right original one with
 * columns in UTF-16 code units.  Maps are checked by decoding them here
 * (a small independent VLQ decoder) and looking positions up.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "currant.h"
#include "unit.h"

/* A module holding text, as the parse pass would leave it for splice. */
typedef struct Fixture {
  InputFile file;
  Module m;
} Fixture;

static void fixture_init(Fixture *f, Lang lang, const char *rel, const char *text) {
  memset(f, 0, sizeof *f);
  f->file.rel = (char *)rel;
  f->file.abs = (char *)rel;
  f->file.lang = lang;
  f->m.file = &f->file;
  f->m.lang = lang;
  f->m.text = xstrdup(text);
  f->m.len = strlen(text);
}

static void fixture_free(Fixture *f) {
  free(f->m.text);
  free(f->m.out_text);
  free(f->m.source_map);
}

/* ---- a decoder for checking maps ---------------------------------------- */

typedef struct Seg {
  int gl, gc, sl, sc;
} Seg;

static int b64(char c) {
  const char *s = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *p = strchr(s, c);
  return p && c ? (int)(p - s) : -1;
}

/* Decodes a 4-field mappings string into segs (absolute positions). */
static int decode(const char *map, Seg *segs, int max) {
  int n = 0, gl = 0, field = 0, vals[4] = {0}, acc[4] = {0};
  long v = 0;
  int shift = 0;
  for (const char *p = map;; p++) {
    if (*p == ',' || *p == ';' || *p == '\0') {
      if (field == 4 && n < max) {
        acc[0] += vals[0], acc[2] += vals[2], acc[3] += vals[3];
        segs[n++] = (Seg){gl, acc[0], acc[2], acc[3]};
      }
      field = 0;
      if (*p == ';') gl++, acc[0] = 0;
      if (*p == '\0') break;
      continue;
    }
    int d = b64(*p);
    if (d < 0) return -1;
    v |= (long)(d & 31) << shift;
    shift += 5;
    if (d & 32) continue;
    vals[field < 4 ? field : 3] = (int)((v & 1) ? -(v >> 1) : (v >> 1));
    field++;
    v = 0, shift = 0;
  }
  return n;
}

/* The original position of generated (gl, gc): the last segment at or
 * before it on its line.  Returns false when there is none. */
static bool lookup(const Seg *segs, int n, int gl, int gc, int *sl, int *sc) {
  bool found = false;
  for (int i = 0; i < n; i++) {
    if (segs[i].gl != gl || segs[i].gc > gc) continue;
    *sl = segs[i].sl + 0, *sc = segs[i].sc;
    found = true;
  }
  return found;
}

/* Decodes m's map; returns the segment count (or -1). */
static int map_segs(const Module *m, Seg *segs, int max) {
  json_error_t err;
  json_t *o = json_loads(m->source_map, 0, &err);
  if (!o) return -1;
  int n = decode(json_string_value(json_object_get(o, "mappings")), segs, max);
  json_decref(o);
  return n;
}

/* ---- text ------------------------------------------------------------- */

TEST(splice_no_edits_leaves_file_unchanged) {
  Fixture f;
  fixture_init(&f, LANG_JAVASCRIPT, "a.js", "f(x);\n");
  EditList l = {0};
  CHECK_INT(splice_apply(&f.m, &l), 0);
  CHECK(f.m.out_text == NULL);
  CHECK(f.m.source_map == NULL);
  fixture_free(&f);
}

TEST(splice_bytes_outside_edits_identical) {
  Fixture f;
  const char *src = "a = f(x)  # keep  \r\nb = g( y )\t\n";
  fixture_init(&f, LANG_PYTHON, "m.py", src);
  EditList l = {0};
  edit_insert(&l, 4, "rt.call(0, ");
  edit_add(&l, 5, 6, ", "); /* "(" of f(x) */
  edit_insert(&l, 24, "rt.call(1, ");
  edit_add(&l, 25, 27, ", "); /* "( " of g( y ) */
  CHECK_INT(splice_apply(&f.m, &l), 0);
  CHECK_STR(f.m.out_text, "a = rt.call(0, f, x)  # keep  \r\nb = rt.call(1, g, y )\t\n");
  CHECK_INT(f.m.out_len, strlen(f.m.out_text));
  CHECK(f.m.source_map == NULL); /* Python keeps its lines: no map */
  edit_free(&l);
  fixture_free(&f);
}

TEST(splice_insertions_keep_order_and_precede_replacement) {
  Fixture f;
  fixture_init(&f, LANG_PYTHON, "m.py", "0123456789");
  EditList l = {0};
  edit_add(&l, 5, 7, "R"); /* added first, yet an insertion at 5 goes before it */
  edit_insert(&l, 5, "a");
  edit_insert(&l, 5, "b");
  edit_insert(&l, 7, "c"); /* at the replacement's end: after it */
  edit_insert(&l, 0, "<");
  edit_insert(&l, 10, ">");
  CHECK_INT(splice_apply(&f.m, &l), 0);
  CHECK_STR(f.m.out_text, "<01234abRc789>");
  edit_free(&l);
  fixture_free(&f);
}

TEST(splice_edits_added_out_of_order) {
  Fixture f;
  fixture_init(&f, LANG_PYTHON, "m.py", "abcdef");
  EditList l = {0};
  edit_add(&l, 4, 5, "E");
  edit_add(&l, 0, 1, "A");
  edit_add(&l, 2, 2, "-");
  CHECK_INT(splice_apply(&f.m, &l), 0);
  CHECK_STR(f.m.out_text, "Ab-cdEf");
  edit_free(&l);
  fixture_free(&f);
}

TEST(splice_rejects_overlap) {
  Fixture f;
  fixture_init(&f, LANG_PYTHON, "m.py", "abcdef\n");
  EditList l = {0};
  edit_add(&l, 1, 4, "X");
  edit_add(&l, 3, 5, "Y");
  CHECK_INT(splice_apply(&f.m, &l), -1);
  CHECK(f.m.out_text == NULL);
  edit_free(&l);

  EditList l2 = {0};
  edit_add(&l2, 1, 4, "X");
  edit_insert(&l2, 2, "I"); /* inside a replaced range */
  CHECK_INT(splice_apply(&f.m, &l2), -1);
  edit_free(&l2);

  EditList l3 = {0};
  edit_add(&l3, 2, 4, "X");
  edit_add(&l3, 2, 3, "Y"); /* two replacements from one start */
  CHECK_INT(splice_apply(&f.m, &l3), -1);
  edit_free(&l3);

  EditList l4 = {0};
  edit_add(&l4, 5, 99, "Z"); /* past the end */
  CHECK_INT(splice_apply(&f.m, &l4), -1);
  CHECK(f.m.out_text == NULL);
  edit_free(&l4);
  fixture_free(&f);
}

TEST(splice_deletion_and_whole_file) {
  Fixture f;
  fixture_init(&f, LANG_PYTHON, "m.py", "keep drop keep");
  EditList l = {0};
  edit_add(&l, 4, 9, "");
  CHECK_INT(splice_apply(&f.m, &l), 0);
  CHECK_STR(f.m.out_text, "keep keep");
  edit_free(&l);
  edit_add(&l, 0, 14, "all");
  CHECK_INT(splice_apply(&f.m, &l), 0); /* a second run replaces the first output */
  CHECK_STR(f.m.out_text, "all");
  edit_free(&l);
  fixture_free(&f);
}

/* ---- JavaScript: URL comment and map ------------------------------------ */

TEST(splice_js_url_comment) {
  Fixture f;
  fixture_init(&f, LANG_JAVASCRIPT, "app/orders.js", "f(x);\n");
  EditList l = {0};
  edit_insert(&l, 0, "rt.call(0, ");
  edit_add(&l, 1, 2, ", ");
  CHECK_INT(splice_apply(&f.m, &l), 0);
  CHECK_STR(f.m.out_text, "rt.call(0, f, x);\n//# sourceMappingURL=orders.js.map\n");
  edit_free(&l);
  fixture_free(&f);

  fixture_init(&f, LANG_JAVASCRIPT, "b.mjs", "f(x) // no newline");
  edit_insert(&l, 0, "g");
  CHECK_INT(splice_apply(&f.m, &l), 0);
  CHECK_STR(f.m.out_text, "gf(x) // no newline\n//# sourceMappingURL=b.mjs.map\n");
  edit_free(&l);
  fixture_free(&f);
}

TEST(splice_js_map_json_fields) {
  Fixture f;
  fixture_init(&f, LANG_JAVASCRIPT, "app/orders.js", "f(x);\n");
  EditList l = {0};
  edit_insert(&l, 0, "g");
  CHECK_INT(splice_apply(&f.m, &l), 0);
  json_error_t err;
  json_t *o = json_loads(f.m.source_map, 0, &err);
  CHECK(o != NULL);
  CHECK_INT(json_integer_value(json_object_get(o, "version")), 3);
  CHECK_STR(json_string_value(json_object_get(o, "file")), "orders.js");
  CHECK_STR(json_string_value(json_array_get(json_object_get(o, "sources"), 0)), "orders.js");
  CHECK_STR(json_string_value(json_array_get(json_object_get(o, "sourcesContent"), 0)), "f(x);\n");
  CHECK_INT(json_array_size(json_object_get(o, "names")), 0);
  json_decref(o);
  edit_free(&l);
  fixture_free(&f);
}

TEST(splice_js_map_positions) {
  Fixture f;
  /* line 0: "let a = f(x);"   line 1: "  b(y);" */
  fixture_init(&f, LANG_JAVASCRIPT, "m.js", "let a = f(x);\n  b(y);\n");
  EditList l = {0};
  edit_insert(&l, 8, "rt.call(0, ");   /* before f */
  edit_add(&l, 9, 10, ", ");           /* "(" -> ", " */
  edit_insert(&l, 16, "rt.call(1,\n"); /* before b, with a newline of its own */
  edit_add(&l, 17, 18, ", ");
  CHECK_INT(splice_apply(&f.m, &l), 0);
  CHECK_STR(f.m.out_text, "let a = rt.call(0, f, x);\n  rt.call(1,\nb, y);\n//# sourceMappingURL=m.js.map\n");
  Seg segs[64];
  int n = map_segs(&f.m, segs, 64);
  CHECK(n > 0);
  int sl = -1, sc = -1;
  CHECK(lookup(segs, n, 0, 0, &sl, &sc) && sl == 0 && sc == 0); /* line start */
  CHECK(lookup(segs, n, 0, 8, &sl, &sc) && sl == 0 && sc == 8); /* inserted text -> insertion point */
  CHECK(lookup(segs, n, 0, 18, &sl, &sc) && sl == 0 && sc == 8);
  CHECK(lookup(segs, n, 0, 19, &sl, &sc) && sl == 0 && sc == 8);  /* "f" comes right after the insertion */
  CHECK(lookup(segs, n, 0, 20, &sl, &sc) && sl == 0 && sc == 9);  /* ", " replaces "(" */
  CHECK(lookup(segs, n, 0, 22, &sl, &sc) && sl == 0 && sc == 10); /* "x" after the replaced range */
  CHECK(lookup(segs, n, 1, 0, &sl, &sc) && sl == 1 && sc == 0);
  CHECK(lookup(segs, n, 1, 2, &sl, &sc) && sl == 1 && sc == 2); /* "rt.call(1," */
  CHECK(lookup(segs, n, 2, 0, &sl, &sc) && sl == 1 && sc == 2); /* the line the insertion added */
  CHECK(lookup(segs, n, 2, 1, &sl, &sc) && sl == 1 && sc == 3); /* ", " for "(" */
  CHECK(lookup(segs, n, 2, 3, &sl, &sc) && sl == 1 && sc == 4); /* "y" */
  edit_free(&l);
  fixture_free(&f);
}

TEST(splice_js_map_utf16_columns) {
  Fixture f;
  /* "é" is 2 bytes and 1 UTF-16 unit, "😀" 4 bytes and 2 units. */
  fixture_init(&f, LANG_JAVASCRIPT, "u.js", "s = \"é😀\"; f(x);\n");
  EditList l = {0};
  uint32_t at = (uint32_t)(strchr(f.m.text, 'f') - f.m.text); /* byte 14 */
  CHECK_INT(at, 14);
  edit_insert(&l, at, "rt.call(0, ");
  edit_add(&l, at + 1, at + 2, ", ");
  CHECK_INT(splice_apply(&f.m, &l), 0);
  Seg segs[64];
  int n = map_segs(&f.m, segs, 64);
  int sl = -1, sc = -1;
  /* f sits at UTF-16 column 11 in both texts' first 11 units */
  CHECK(lookup(segs, n, 0, 11, &sl, &sc) && sl == 0 && sc == 11);
  bool has11 = false, has22 = false;
  for (int i = 0; i < n; i++) {
    if (segs[i].gl == 0 && segs[i].gc == 11) has11 = true;
    if (segs[i].gl == 0 && segs[i].gc == 22 && segs[i].sc == 11) has22 = true; /* "f" after the insertion */
  }
  CHECK(has11);
  CHECK(has22);
  CHECK(lookup(segs, n, 0, 25, &sl, &sc) && sl == 0 && sc == 13); /* "x" */
  edit_free(&l);
  fixture_free(&f);
}

TEST(splice_js_map_line_terminators) {
  Fixture f;
  /* CRLF is one line break, a lone CR one, U+2028 one. */
  fixture_init(&f, LANG_JAVASCRIPT, "t.js",
               "a;\r\nb;\rc;\xe2\x80\xa8"
               "d();\n");
  EditList l = {0};
  uint32_t at = (uint32_t)(strchr(f.m.text, 'd') - f.m.text);
  edit_insert(&l, at, "rt.");
  CHECK_INT(splice_apply(&f.m, &l), 0);
  Seg segs[64];
  int n = map_segs(&f.m, segs, 64);
  int sl = -1, sc = -1;
  CHECK(lookup(segs, n, 1, 0, &sl, &sc) && sl == 1 && sc == 0);
  CHECK(lookup(segs, n, 2, 0, &sl, &sc) && sl == 2 && sc == 0);
  CHECK(lookup(segs, n, 3, 0, &sl, &sc) && sl == 3 && sc == 0);
  CHECK(lookup(segs, n, 3, 3, &sl, &sc) && sl == 3 && sc == 0); /* "d" after "rt." */
  bool d_seg = false;
  for (int i = 0; i < n; i++)
    if (segs[i].gl == 3 && segs[i].gc == 3 && segs[i].sl == 3 && segs[i].sc == 0) d_seg = true;
  CHECK(d_seg);
  edit_free(&l);
  fixture_free(&f);
}

TEST(splice_js_map_deletion_collapses_segments) {
  Fixture f;
  fixture_init(&f, LANG_JAVASCRIPT, "d.js", "abcXYZdef\n");
  EditList l = {0};
  edit_add(&l, 3, 6, "");
  CHECK_INT(splice_apply(&f.m, &l), 0);
  CHECK_STR(f.m.out_text, "abcdef\n//# sourceMappingURL=d.js.map\n");
  Seg segs[16];
  int n = map_segs(&f.m, segs, 16);
  int count3 = 0;
  for (int i = 0; i < n; i++)
    if (segs[i].gl == 0 && segs[i].gc == 3) count3++, CHECK_INT(segs[i].sc, 6);
  CHECK_INT(count3, 1); /* one segment per generated position: the later wins */
  edit_free(&l);
  fixture_free(&f);
}
