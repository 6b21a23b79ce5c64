/*
 * splice.c — applies byte-range edits to a file's text.
 *
 * The rewriters never build a new tree or print code: they describe each
 * change as "bytes [start, end) become TEXT" (an insertion has start ==
 * end), and this file applies them in one pass.  That is what keeps every
 * byte outside an edit identical to the input — comments, spacing, odd
 * line endings — and what lets Python keep its line numbers.
 *
 * Edits are sorted by start offset; at one offset insertions come before a
 * replacement (an empty edit cannot consume the bytes that follow it), and
 * insertions keep the order they were added in (the `seq` counter).  Two
 * edits that claim the same byte are a rewriter bug: we report it and emit
 * nothing rather than guess.
 *
 * For JavaScript the same pass feeds sourcemap.c.  Segments go at the start
 * of every generated line, at every word start of copied text, and at both
 * ends of every edit: generated text
 * copied from the input maps to where it came from, text an edit produced
 * maps to the edit's start, and the text after an edit maps to the edit's
 * end.  Columns count UTF-16 code units and lines end at any ECMAScript line
 * terminator (LF, CR, CRLF, U+2028, U+2029), because that is how the engine
 * that consumes the map numbers them.
 */
#include <stdlib.h>
#include <string.h>

#include "currant.h"

void edit_add(EditList *l, uint32_t start, uint32_t end, const char *text) {
  if (l->len == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->items = xrealloc(l->items, (size_t)l->cap * sizeof *l->items);
  }
  /* seq = len stays unique even after splice_apply sorted the list, since
   * the existing seqs are then a permutation of 0..len-1. */
  l->items[l->len] = (Edit){.start = start, .end = end, .text = xstrdup(text ? text : ""), .seq = l->len};
  l->len++;
}

void edit_insert(EditList *l, uint32_t at, const char *text) { edit_add(l, at, at, text); }

void edit_free(EditList *l) {
  for (int i = 0; i < l->len; i++) free(l->items[i].text);
  free(l->items);
  *l = (EditList){0};
}

/* Total order: start, then insertions before a replacement, then seq.  The
 * seqs are unique, so qsort's instability cannot show. */
static int edit_cmp(const void *pa, const void *pb) {
  const Edit *a = pa, *b = pb;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  bool ra = a->end > a->start, rb = b->end > b->start;
  if (ra != rb) return ra ? 1 : -1;
  return (a->seq > b->seq) - (a->seq < b->seq);
}

static const char *module_path(const Module *m) { return m->file && m->file->rel ? m->file->rel : "<input>"; }

/* Reports the first edit that leaves the text or claims a byte its
 * predecessor already claimed.  Returns 0 when the sorted list is sound. */
static int check_edits(const Module *m, const EditList *l) {
  for (int i = 0; i < l->len; i++) {
    const Edit *e = &l->items[i];
    bool outside = e->start > e->end || e->end > m->len;
    bool overlap = !outside && i > 0 && l->items[i - 1].end > e->start;
    if (!outside && !overlap) continue;
    uint32_t line = 0, col = 0;
    if (e->start <= m->len) offset_to_line_col(m->text, e->start, &line, &col);
    if (outside)
      diag_report(DIAG_ERROR, module_path(m), line, col,
                  "internal error: edit [%u, %u) outside the file (%zu bytes); file not instrumented",
                  e->start, e->end, m->len);
    else
      diag_report(DIAG_ERROR, module_path(m), line, col,
                  "internal error: edit [%u, %u) overlaps edit [%u, %u); file not instrumented", e->start,
                  e->end, l->items[i - 1].start, l->items[i - 1].end);
    return -1;
  }
  return 0;
}

/* Copies the text between edits verbatim and each edit's replacement. */
static void build_text(const Module *m, const EditList *l, StrBuf *out) {
  uint32_t at = 0;
  for (int i = 0; i < l->len; i++) {
    const Edit *e = &l->items[i];
    str_append(out, m->text + at, e->start - at);
    str_puts(out, e->text);
    at = e->end;
  }
  str_append(out, m->text + at, m->len - at);
}

/* ------------------------------------------------------------ source map */

/* A position in a text, in the units a source map counts. */
typedef struct Cursor {
  const unsigned char *t; /* the whole text, for CRLF and U+2028 lookahead */
  size_t len;             /* its length */
  size_t i;               /* next byte */
  uint32_t line, col;     /* 0-based line, UTF-16 column of byte i */
} Cursor;

/* Steps over byte i.  Returns true when the byte ends a line (for CRLF the
 * LF does; for U+2028/U+2029 the lead byte does — the two continuation
 * bytes that follow add no columns, so the new line still starts at 0). */
static bool cursor_step(Cursor *c) {
  unsigned char b = c->t[c->i++];
  bool eol = b == '\n' || (b == '\r' && !(c->i < c->len && c->t[c->i] == '\n')) ||
             (b == 0xE2 && c->i + 1 < c->len && c->t[c->i] == 0x80 && (c->t[c->i + 1] & 0xFE) == 0xA8);
  if (eol) {
    c->line++;
    c->col = 0;
  } else if ((b & 0xC0) != 0x80) {
    c->col += b >= 0xF0 ? 2 : 1; /* 4-byte sequences are surrogate pairs */
  }
  return eol;
}

/* Holds the last segment back so that several segments at one generated
 * position (an empty replacement, an edit at a line start) collapse into
 * the last one, which describes what actually follows. */
typedef struct Mapper {
  SourceMap sm;
  bool pending;
  uint32_t gl, gc, sl, sc;
} Mapper;

static void mapper_flush(Mapper *mp) {
  if (mp->pending) smap_add(&mp->sm, mp->gl, mp->gc, mp->sl, mp->sc);
  mp->pending = false;
}

static void mapper_seg(Mapper *mp, const Cursor *gen, const Cursor *src) {
  if (mp->pending && (mp->gl != gen->line || mp->gc != gen->col)) mapper_flush(mp);
  mp->pending = true;
  mp->gl = gen->line, mp->gc = gen->col;
  mp->sl = src->line, mp->sc = src->col;
}

/* Identifier and number characters; any non-ASCII byte counts, so a
 * multi-byte identifier is one word. */
static bool is_word(unsigned char b) {
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b == '$' ||
         b >= 0x80;
}

/* Copied bytes: both texts advance together; each new generated line gets
 * a segment pointing at the same place in the original.  So does each word
 * start: consumers such as node's --enable-source-maps report a segment's
 * own column instead of extrapolating inside it, and V8 places stack frames
 * at word starts (the callee name, `throw`, `new`), so without these a
 * stack trace through an unedited line would lose its column. */
static void map_copy(Mapper *mp, Cursor *gen, Cursor *src, size_t until) {
  while (src->i < until) {
    unsigned char b = src->t[src->i];
    if (is_word(b) && (src->i == 0 || !is_word(src->t[src->i - 1]))) mapper_seg(mp, gen, src);
    if (b < 0x80 && b != '\n' && b != '\r') {
      /* The bulk of a file: one column in both texts, no line end. */
      src->i++, src->col++;
      gen->i++, gen->col++;
      continue;
    }
    if (b == '\r' && src->i + 1 == until) {
      /* A CR's meaning depends on the next byte, which differs between the
       * texts here: step each on its own. */
      bool eol = cursor_step(gen);
      cursor_step(src);
      if (eol) mapper_seg(mp, gen, src);
      continue;
    }
    /* Same bytes in both texts: step the original, mirror the change. */
    uint32_t col = src->col;
    gen->i++;
    if (cursor_step(src)) {
      gen->line++, gen->col = 0;
      mapper_seg(mp, gen, src);
    } else {
      gen->col += src->col - col;
    }
  }
}

/* An edit: its text maps to the edit's start, line by line; what follows
 * it maps to the edit's end. */
static void map_edit(Mapper *mp, Cursor *gen, Cursor *src, const Edit *e) {
  mapper_seg(mp, gen, src);
  Cursor anchor = *src;
  size_t gen_end = gen->i + strlen(e->text);
  while (gen->i < gen_end)
    if (cursor_step(gen)) mapper_seg(mp, gen, &anchor);
  while (src->i < e->end) cursor_step(src);
  mapper_seg(mp, gen, src);
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static char *build_map(const Module *m, const EditList *l, const StrBuf *out) {
  Mapper mp = {0};
  Cursor gen = {.t = (const unsigned char *)out->data, .len = out->len};
  Cursor src = {.t = (const unsigned char *)m->text, .len = m->len};
  mapper_seg(&mp, &gen, &src);
  for (int i = 0; i < l->len; i++) {
    map_copy(&mp, &gen, &src, l->items[i].start);
    map_edit(&mp, &gen, &src, &l->items[i]);
  }
  map_copy(&mp, &gen, &src, m->len);
  mapper_flush(&mp);
  const char *name = base_name(module_path(m));
  return smap_finish_content(&mp.sm, name, name, m->text, m->len);
}

/* The comment goes on a line of its own; a missing final newline is added
 * before it, an existing one is kept as the file's last original byte. */
static void append_map_url(const Module *m, StrBuf *out) {
  if (out->len > 0 && out->data[out->len - 1] != '\n') str_puts(out, "\n");
  str_printf(out, "//# sourceMappingURL=%s.map\n", base_name(module_path(m)));
}

/* True if word occurs in text as a whole identifier: no identifier byte
 * (ASCII letter or digit, `_`, `$`, any non-ASCII byte) on either side. */
static bool has_word(const char *text, size_t len, const char *word) {
  size_t n = strlen(word);
  for (const char *p = text, *end = text + len; (p = memmem(p, (size_t)(end - p), word, n)); p += n) {
    bool before = p > text && is_word((unsigned char)p[-1]);
    bool after = p + n < end && is_word((unsigned char)p[n]);
    if (!before && !after) return true;
  }
  return false;
}

/* The output refers to the runtime by one module-level name.  A source that
 * already has the word (its own `_currant`, or a file currantc instrumented
 * before) gets the first free `_currantN` instead: where the word stands
 * (code, comment or string) does not matter, renaming costs nothing and a
 * clash would break the file.  ESM also binds NAME + "Require". */
void runtime_name(Module *m) {
  for (int n = 0;; n++) {
    if (n)
      snprintf(m->rt, sizeof m->rt, "_currant%d", n);
    else
      snprintf(m->rt, sizeof m->rt, "_currant");
    char req[RUNTIME_NAME_MAX + 8];
    snprintf(req, sizeof req, "%sRequire", m->rt);
    if (!has_word(m->text, m->len, m->rt) && !(m->esm && has_word(m->text, m->len, req))) return;
  }
}

int splice_apply(Module *m, EditList *edits) {
  free(m->out_text);
  free(m->source_map);
  m->out_text = NULL, m->out_len = 0, m->source_map = NULL;
  if (edits->len == 0) return 0; /* nothing to do: the file is copied unchanged */
  qsort(edits->items, (size_t)edits->len, sizeof *edits->items, edit_cmp);
  if (check_edits(m, edits) != 0) return -1;
  StrBuf out = {0};
  build_text(m, edits, &out);
  if (m->lang == LANG_JAVASCRIPT) {
    m->source_map = build_map(m, edits, &out);
    append_map_url(m, &out);
  }
  m->out_len = out.len;
  m->out_text = str_take(&out);
  return 0;
}
