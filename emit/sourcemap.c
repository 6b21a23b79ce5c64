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
 *
 * The JSON is written here rather than through jansson: its shape is fixed,
 * and the map carries the whole original text (sourcesContent) plus the
 * mappings, so escaping speed decides the cost of the splice stage.  The
 * unit tests read every map back with jansson.
 */
#include <stdlib.h>
#include <string.h>

#include "currant.h"

static const char BASE64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Writes one Base64 VLQ value at out, returns the characters written (at
 * most 7 for 32-bit deltas).  Works in 64 bits so that the most negative
 * 32-bit delta cannot overflow when the sign is folded in. */
static size_t vlq_put(char *out, int64_t value) {
  uint64_t v = value < 0 ? ((uint64_t)(-value) << 1) | 1 : (uint64_t)value << 1;
  size_t n = 0;
  do {
    unsigned digit = v & 31;
    v >>= 5;
    if (v) digit |= 32;
    out[n++] = BASE64[digit];
  } while (v);
  return n;
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
  /* One append per segment: maps of large files hold millions of them. */
  char seg[1 + 4 * 8];
  size_t n = 0;
  if (sm->line_has_segment) seg[n++] = ',';
  n += vlq_put(seg + n, (int64_t)gen_col - sm->prev_gen_col);
  seg[n++] = 'A'; /* source index: always source 0 */
  n += vlq_put(seg + n, (int64_t)src_line - sm->prev_src_line);
  n += vlq_put(seg + n, (int64_t)src_col - sm->prev_src_col);
  str_append(&sm->mappings, seg, n);
  sm->prev_gen_col = (int32_t)gen_col;
  sm->prev_src_line = (int32_t)src_line;
  sm->prev_src_col = (int32_t)src_col;
  sm->line_has_segment = true;
}

/* Appends s (n bytes, valid UTF-8) as a JSON string literal.  Runs of
 * bytes that need no escape are copied whole: the original text is the
 * bulk of a map and this is on the compiler's hot path. */
static void json_quote(StrBuf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  str_append(b, "\"", 1);
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    str_append(b, s + run, i - run);
    run = i + 1;
    char esc[6] = {'\\', 0};
    switch (c) {
    case '"': esc[1] = '"'; break;
    case '\\': esc[1] = '\\'; break;
    case '\n': esc[1] = 'n'; break;
    case '\r': esc[1] = 'r'; break;
    case '\t': esc[1] = 't'; break;
    case '\b': esc[1] = 'b'; break;
    case '\f': esc[1] = 'f'; break;
    default: memcpy(esc + 1, "u00", 3), esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
    }
    str_append(b, esc, esc[1] == 'u' ? 6 : 2);
  }
  str_append(b, s + run, n - run);
  str_append(b, "\"", 1);
}

/* True if s (n bytes) is valid UTF-8: no stray continuation bytes, no
 * overlong forms, no surrogates, nothing past U+10FFFF. */
static bool utf8_valid(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t k = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (k == 0 || i + k > n) return false;
    for (size_t j = 1; j < k; j++)
      if ((s[i + j] & 0xC0) != 0x80) return false;
    if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0)) return false;
    if ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90)) return false;
    i += k;
  }
  return true;
}

/* Appends s as a JSON string, or null when it is not valid UTF-8, which a
 * JSON document cannot carry. */
static void json_quote_checked(StrBuf *b, const char *s, size_t n) {
  if (utf8_valid(s, n))
    json_quote(b, s, n);
  else
    str_puts(b, "null");
}

char *smap_finish_content(SourceMap *sm, const char *file, const char *source_name, const char *content,
                          size_t len) {
  /* Written by hand, in a fixed key order: a map holds the whole original
   * text plus the mappings, often twice the file's size, and jansson's
   * dumper (escaping one code point at a time) cost more than the rest of
   * the splice together.  The shape is fixed and only strings vary. */
  StrBuf b = {0};
  str_puts(&b, "{\"version\":3,\"file\":");
  json_quote_checked(&b, file, strlen(file));
  str_puts(&b, ",\"sources\":[");
  json_quote_checked(&b, source_name, strlen(source_name));
  str_puts(&b, "]");
  if (content) {
    str_puts(&b, ",\"sourcesContent\":[");
    json_quote_checked(&b, content, len);
    str_puts(&b, "]");
  }
  str_puts(&b, ",\"names\":[],\"mappings\":");
  json_quote(&b, sm->mappings.data ? sm->mappings.data : "", sm->mappings.len);
  str_puts(&b, "}");
  str_free(&sm->mappings);
  memset(sm, 0, sizeof *sm);
  return str_take(&b);
}

char *smap_finish(SourceMap *sm, const char *file, const char *source_name) {
  return smap_finish_content(sm, file, source_name, NULL, 0);
}
