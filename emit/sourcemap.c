/*
 * sourcemap.c — version 3 source maps for emitted JavaScript.
 *
 * A v3 map's "mappings" field lists, for each generated line (separated by
 * ';'), segments separated by ','.  A segment here always has four fields:
 * generated column, source index, source line, source column.  Every field
 * is a delta against the same field of the previous segment (the generated
 * column resets at each line), written in Base64 VLQ: the sign moves to the
 * lowest bit, then 5 bits per digit, low digits first, with 32 as the
 * continuation bit.  There is a single source, so the source index is 0 in
 * the first segment and a 0 delta afterwards.
 *
 * The caller (splice.c) decides where segments go; this file only encodes
 * them.  Columns are UTF-16 code units, as the spec and every consumer
 * expect; counting them is the caller's job because only it sees the text.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "currant.h"

static const char BASE64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Appends one Base64 VLQ value.  Works in 64 bits so that the most negative
 * 32-bit delta cannot overflow when the sign is folded in. */
static void vlq_append(StrBuf *b, int64_t value) {
  uint64_t v = value < 0 ? ((uint64_t)(-value) << 1) | 1 : (uint64_t)value << 1;
  char digits[16];
  size_t n = 0;
  do {
    unsigned digit = v & 31;
    v >>= 5;
    if (v) digit |= 32;
    digits[n++] = BASE64[digit];
  } while (v);
  str_append(b, digits, n);
}

/* Moves the map to generated line gen_line, writing one ';' per line
 * passed; the generated column delta restarts at each new line. */
static void advance_line(SourceMap *sm, uint32_t gen_line) {
  while (sm->gen_line < gen_line) {
    str_append(&sm->mappings, ";", 1);
    sm->gen_line++;
    sm->prev_gen_col = 0;
    sm->line_has_segment = false;
  }
}

void smap_add(SourceMap *sm, uint32_t gen_line, uint32_t gen_col, uint32_t src_line, uint32_t src_col) {
  /* Out-of-order segments would make the deltas meaningless; the caller
   * promises generated order, so one arriving late is dropped, not encoded. */
  if (gen_line < sm->gen_line) return;
  advance_line(sm, gen_line);
  if (sm->line_has_segment && (int64_t)gen_col < sm->prev_gen_col) return;
  if (sm->line_has_segment) str_append(&sm->mappings, ",", 1);
  vlq_append(&sm->mappings, (int64_t)gen_col - sm->prev_gen_col);
  vlq_append(&sm->mappings, 0); /* source index: always source 0 */
  vlq_append(&sm->mappings, (int64_t)src_line - sm->prev_src_line);
  vlq_append(&sm->mappings, (int64_t)src_col - sm->prev_src_col);
  sm->prev_gen_col = (int32_t)gen_col;
  sm->prev_src_line = (int32_t)src_line;
  sm->prev_src_col = (int32_t)src_col;
  sm->line_has_segment = true;
}

/* Builds the map object in a fixed key order so the bytes are the same on
 * every run (the driver writes them next to the output). */
static json_t *map_object(SourceMap *sm, const char *file, const char *source_name, const char *content,
                          size_t len) {
  json_t *o = json_object();
  json_object_set_new(o, "version", json_integer(3));
  json_t *f = json_string(file);
  json_object_set_new(o, "file", f ? f : json_string("?"));
  json_t *sources = json_array();
  json_t *src = json_string(source_name);
  json_array_append_new(sources, src ? src : json_null());
  json_object_set_new(o, "sources", sources);
  if (content) {
    json_t *contents = json_array();
    json_t *c = json_stringn(content, len); /* NULL when not valid UTF-8 */
    json_array_append_new(contents, c ? c : json_null());
    json_object_set_new(o, "sourcesContent", contents);
  }
  json_object_set_new(o, "names", json_array());
  json_object_set_new(o, "mappings", json_stringn(sm->mappings.data ? sm->mappings.data : "", sm->mappings.len));
  return o;
}

char *smap_finish_content(SourceMap *sm, const char *file, const char *source_name, const char *content,
                          size_t len) {
  json_t *o = map_object(sm, file, source_name, content, len);
  char *json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  str_free(&sm->mappings);
  memset(sm, 0, sizeof *sm);
  if (!json) {
    fprintf(stderr, "currantc: out of memory writing a source map\n");
    abort();
  }
  /* jansson's buffer comes from its own allocator (malloc by default);
   * copy it so callers can free() it like every other string here. */
  char *out = xstrdup(json);
  free(json);
  return out;
}

char *smap_finish(SourceMap *sm, const char *file, const char *source_name) {
  return smap_finish_content(sm, file, source_name, NULL, 0);
}
