/*
 * test_sourcemap.c — the Base64 VLQ encoder and the v3 JSON of sourcemap.c.
 *
 * Expected strings are worked out by hand from the spec's rules (sign in
 * the low bit, 5-bit digits low first, 32 = continuation) and match the
 * values every source map implementation agrees on ("gB" = 16, "2H" = 123,
 * "D" = -1).  Each test goes through smap_add, the only public entry.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "currant.h"
#include "unit.h"

/* The mappings of a map holding the given segments, as a string to free. */
static char *mappings_of(SourceMap *sm) { return xstrdup(sm->mappings.data ? sm->mappings.data : ""); }

TEST(smap_first_segment_is_all_zero) {
  SourceMap sm = {0};
  smap_add(&sm, 0, 0, 0, 0);
  char *m = mappings_of(&sm);
  CHECK_STR(m, "AAAA");
  free(m);
  free(smap_finish(&sm, "a.js", "a.js"));
}

TEST(smap_vlq_known_values) {
  SourceMap sm = {0};
  smap_add(&sm, 0, 16, 0, 0);   /* 16 -> gB */
  smap_add(&sm, 0, 139, 0, 1);  /* +123 -> 2H, +1 -> C */
  smap_add(&sm, 0, 1139, 0, 0); /* +1000 -> w+B, -1 -> D */
  char *m = mappings_of(&sm);
  CHECK_STR(m, "gBAAA,2HAAC,w+BAAD");
  free(m);
  free(smap_finish(&sm, "a.js", "a.js"));
}

TEST(smap_lines_and_deltas) {
  SourceMap sm = {0};
  smap_add(&sm, 0, 0, 0, 0);
  smap_add(&sm, 1, 0, 1, 0); /* new line: generated column restarts */
  smap_add(&sm, 1, 5, 1, 2);
  smap_add(&sm, 3, 4, 0, 7); /* an empty generated line, then a backwards source line */
  char *m = mappings_of(&sm);
  CHECK_STR(m, "AAAA;AACA,KAAE;;IADK");
  free(m);
  free(smap_finish(&sm, "a.js", "a.js"));
}

TEST(smap_large_and_negative_deltas) {
  SourceMap sm = {0};
  smap_add(&sm, 0, 0, 100000, 0);
  smap_add(&sm, 0, 1, 0, 0);
  char *m = mappings_of(&sm);
  /* 100000 -> 200000 = 5-bit digits 0, 10, 3, 6, the first three with the continuation bit -> "gqjG" */
  CHECK_STR(m, "AAgqjGA,CAhqjGA");
  free(m);
  free(smap_finish(&sm, "a.js", "a.js"));
}

TEST(smap_out_of_order_segment_dropped) {
  SourceMap sm = {0};
  smap_add(&sm, 1, 4, 0, 0);
  smap_add(&sm, 1, 2, 0, 0); /* before the previous one: not encodable */
  smap_add(&sm, 0, 9, 0, 0); /* an earlier line: likewise */
  char *m = mappings_of(&sm);
  CHECK_STR(m, ";IAAA");
  free(m);
  free(smap_finish(&sm, "a.js", "a.js"));
}

TEST(smap_finish_json) {
  SourceMap sm = {0};
  smap_add(&sm, 0, 0, 0, 0);
  char *json = smap_finish_content(&sm, "out.js", "in.js", "x();\n", 5);
  CHECK_STR(json, "{\"version\":3,\"file\":\"out.js\",\"sources\":[\"in.js\"],"
                  "\"sourcesContent\":[\"x();\\n\"],\"names\":[],\"mappings\":\"AAAA\"}");
  free(json);
  CHECK_INT(sm.mappings.len, 0); /* finish resets the map for reuse */
  json = smap_finish(&sm, "o.js", "i.js");
  CHECK_STR(json, "{\"version\":3,\"file\":\"o.js\",\"sources\":[\"i.js\"],\"names\":[],\"mappings\":\"\"}");
  free(json);
}

TEST(smap_finish_invalid_utf8_content_is_null) {
  SourceMap sm = {0};
  char *json = smap_finish_content(&sm, "o.js", "i.js", "\xff\xfe", 2);
  json_error_t err;
  json_t *o = json_loads(json, 0, &err);
  CHECK(o != NULL);
  CHECK(json_is_null(json_array_get(json_object_get(o, "sourcesContent"), 0)));
  json_decref(o);
  free(json);
}

TEST(smap_finish_escapes_content) {
  /* Quotes, backslashes, every control character, U+2028 and an emoji
   * must all read back byte for byte. */
  StrBuf src = {0};
  str_puts(&src, "a \"q\" \\ \xe2\x80\xa8 \xf0\x9f\x98\x80 \x7f");
  for (char c = 1; c < 0x20; c++) str_append(&src, &c, 1);
  SourceMap sm = {0};
  smap_add(&sm, 0, 0, 0, 0);
  char *json = smap_finish_content(&sm, "o \"x\".js", "i\\.js", src.data, src.len);
  json_error_t err;
  json_t *o = json_loads(json, JSON_ALLOW_NUL, &err);
  CHECK(o != NULL);
  json_t *c = json_array_get(json_object_get(o, "sourcesContent"), 0);
  CHECK_INT(json_string_length(c), src.len);
  CHECK(memcmp(json_string_value(c), src.data, src.len) == 0);
  CHECK_STR(json_string_value(json_object_get(o, "file")), "o \"x\".js");
  CHECK_STR(json_string_value(json_array_get(json_object_get(o, "sources"), 0)), "i\\.js");
  CHECK_STR(json_string_value(json_object_get(o, "mappings")), "AAAA");
  json_decref(o);
  free(json);
  str_free(&src);
}

TEST(smap_finish_content_with_nul_byte) {
  SourceMap sm = {0};
  char *json = smap_finish_content(&sm, "o.js", "i.js", "a\0b", 3);
  json_error_t err;
  json_t *o = json_loads(json, JSON_ALLOW_NUL, &err);
  CHECK(o != NULL);
  CHECK_INT(json_string_length(json_array_get(json_object_get(o, "sourcesContent"), 0)), 3);
  json_decref(o);
  free(json);
}
