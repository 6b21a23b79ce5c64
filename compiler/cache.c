/*
 * cache.c — the incremental build cache: what the last build of OUT learned,
 * kept in OUT/.currant-cache/ (or --cache-dir) so that the next build redoes
 * only what changed.  Two files:
 *
 *   index  the last build's inputs and outputs: compiler build id, config
 *          hash, every source's path, language, package type and sha256, the
 *          digest of every file written, and the diagnostics printed.  When
 *          the walk finds exactly these inputs and OUT still holds exactly
 *          these bytes, a build only replays the diagnostics (level 1).
 *   pack   one entry per source, keyed by path and content hash: the names
 *          pass result (the Module before link mutates it) and what the
 *          boundaries pass and the rewrite made of it, with the digest of
 *          the link results they saw.  An unchanged file is loaded instead of
 *          parsed; link runs over everything; a loaded file whose link digest
 *          is unchanged reuses its sites and output, the others are parsed
 *          again and instrumented (level 2).  An entry holds the digest
 *          of its output and source map, not their bytes: OUT has them,
 *          and they are read back from there (and checked) when reused.
 *
 * Both are functions of the inputs, the config and the compiler binary only
 * (no time, no absolute path, nothing from -j), so OUT stays byte-identical
 * to a clean build's.  Both are written atomically and carry the format and
 * the compiler's build id; each pack entry and the index end with a digest
 * of their bytes (digest_hex: XXH3-128, which detects change and is ~15x
 * cheaper than SHA-256; only the sources' identity is a sha256, the one the
 * manifest publishes), and every index and count is checked while reading: a
 * cache that does not check out is ignored (a miss, with a -v note), never
 * trusted.  The encoding is varints and length-prefixed strings; the names
 * state's strings are written once per entry and referred to afterwards.
 */
#include "currant.h"

#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CACHE_FORMAT 7
#define INDEX_MAGIC "currant-cache-index\n"
#define PACK_MAGIC "currant-cache-pack\n"

/* ---- writing ------------------------------------------------------------ */

/* An encoder: bytes plus the strings already written (id = position). */
typedef struct Wr {
  StrBuf b;           /* output */
  const char **keys;  /* open-addressing table of written strings */
  uint32_t *lens;     /* their lengths */
  uint32_t *ids;      /* their ids */
  uint32_t cap, used; /* table size (power of two), strings written */
} Wr;

/* A varint (7 bits a byte, low first), written in place: the encoders
 * write millions, most of them one byte. */
static void put_uv(StrBuf *b, uint64_t v) {
  if (b->len + 11 > b->cap) str_reserve(b, 10);
  char *p = b->data + b->len;
  for (; v >= 0x80; v >>= 7) *p++ = (char)(v | 0x80);
  *p++ = (char)v;
  *p = '\0';
  b->len = (size_t)(p - b->data);
}

static void put_sv(StrBuf *b, int64_t v) { put_uv(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63)); }

static void put_bytes(StrBuf *b, const char *s, size_t n) {
  put_uv(b, n);
  if (n) str_append(b, s, n);
}

static void wr_grow(Wr *w) {
  uint32_t ncap = w->cap ? w->cap * 2 : 256;
  const char **keys = xcalloc(ncap, sizeof *keys);
  uint32_t *lens = xcalloc(ncap, sizeof *lens), *ids = xcalloc(ncap, sizeof *ids);
  for (uint32_t i = 0; i < w->cap; i++) {
    if (!w->keys[i]) continue;
    uint32_t h = hash_bytes(w->keys[i], w->lens[i]) & (ncap - 1);
    while (keys[h]) h = (h + 1) & (ncap - 1);
    keys[h] = w->keys[i], lens[h] = w->lens[i], ids[h] = w->ids[i];
  }
  free(w->keys), free(w->lens), free(w->ids);
  w->keys = keys, w->lens = lens, w->ids = ids, w->cap = ncap;
}

/* A string: 0 for NULL, 1 + bytes the first time, 2 + id afterwards. */
static void put_str(Wr *w, const char *s) {
  if (!s) {
    put_uv(&w->b, 0);
    return;
  }
  if (2 * (w->used + 1) > w->cap) wr_grow(w);
  size_t n = strlen(s);
  uint32_t h = hash_bytes(s, n) & (w->cap - 1);
  for (; w->keys[h]; h = (h + 1) & (w->cap - 1))
    if (w->keys[h] == s || (w->lens[h] == n && memcmp(w->keys[h], s, n) == 0)) {
      put_uv(&w->b, 2 + (uint64_t)w->ids[h]);
      return;
    }
  w->keys[h] = s, w->lens[h] = (uint32_t)n, w->ids[h] = w->used++;
  put_uv(&w->b, 1);
  put_bytes(&w->b, s, n);
}

static void put_list(Wr *w, const Vec *v) {
  put_uv(&w->b, (uint64_t)v->len);
  for (int i = 0; i < v->len; i++) put_str(w, v->items[i]);
}

static void wr_done(Wr *w) { free(w->keys), free(w->lens), free(w->ids); }

/* ---- reading ------------------------------------------------------------ */

/* A decoder over [p, end); `bad` sticks at the first inconsistency. */
typedef struct Rd {
  const uint8_t *p, *end; /* unread bytes */
  bool bad;               /* something did not check out */
  Vec strs;               /* strings read so far (in the module's arena) */
  void **arena;           /* Module.strings the strings go to */
} Rd;

static uint64_t get_uv(Rd *r) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && r->p < r->end; shift += 7) {
    uint8_t c = *r->p++;
    v |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) return v;
  }
  r->bad = true;
  return 0;
}

/* An unsigned value that must be at most max. */
static uint32_t get_u(Rd *r, uint32_t max) {
  uint64_t v = get_uv(r);
  if (v > max) r->bad = true;
  return r->bad ? 0 : (uint32_t)v;
}

/* A signed value that must lie in [lo, hi). */
static int get_int(Rd *r, int lo, int hi) {
  uint64_t z = get_uv(r);
  int64_t v = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
  if (v < lo || v >= hi) r->bad = true;
  return r->bad ? lo : (int)v;
}

static bool get_bool(Rd *r) { return get_u(r, 1) == 1; }

/* A count of items that each take at least one more byte. */
static int get_count(Rd *r) { return (int)get_u(r, (uint32_t)(r->end - r->p)); }

static const char *get_raw(Rd *r, size_t *n) {
  *n = get_u(r, (uint32_t)(r->end - r->p));
  if (r->bad) return NULL;
  const char *s = (const char *)r->p;
  r->p += *n;
  return s;
}

/* A hash of width hex digits: SHA256_HEX for a sha256, DIGEST_HEX for a digest. */
static const char *get_hex(Rd *r, size_t width) {
  size_t n;
  const char *s = get_raw(r, &n);
  if (s && n != width) r->bad = true;
  return r->bad ? NULL : s;
}

/* A string of put_str, in the arena (shared by equal strings), or NULL. */
static const char *get_str(Rd *r) {
  uint64_t v = get_uv(r);
  if (r->bad || v == 0) return NULL;
  if (v >= 2) {
    if (v - 2 >= (uint64_t)r->strs.len) r->bad = true;
    return r->bad ? NULL : r->strs.items[v - 2];
  }
  size_t n;
  const char *s = get_raw(r, &n);
  if (!s) return NULL;
  char *copy = names_strndup(r->arena, s, n);
  vec_push(&r->strs, copy);
  return copy;
}

/* A string that must be present: a NULL marks the entry bad. */
static const char *get_req(Rd *r) {
  const char *s = get_str(r);
  if (!s) r->bad = true;
  return s;
}

/* Heap copies for the fields module_free frees one by one. */
static char *own(const char *s) { return s ? xstrdup(s) : NULL; }

static void get_list(Rd *r, Vec *v) {
  int n = get_count(r);
  for (int i = 0; i < n && !r->bad; i++) vec_push(v, (void *)get_req(r));
}

/* ---- the names state ---------------------------------------------------- */

static void put_span(StrBuf *b, Span s, uint32_t line, uint32_t col) {
  put_uv(b, s.start), put_uv(b, s.end), put_uv(b, line), put_uv(b, col);
}

static void put_defs(Wr *w, const Module *m) {
  put_uv(&w->b, (uint64_t)m->defs.len);
  for (int i = 0; i < m->defs.len; i++) {
    const Def *d = m->defs.items[i];
    put_uv(&w->b, d->kind), put_str(w, d->name), put_str(w, d->qualname), put_sv(&w->b, d->parent);
    put_span(&w->b, d->span, d->line, d->col);
    put_uv(&w->b, (uint64_t)d->is_task | (uint64_t)d->is_async << 1 | (uint64_t)d->exported << 2 |
                      (uint64_t)d->task_directive << 3);
    put_sv(&w->b, d->min_args), put_sv(&w->b, d->max_args), put_list(w, &d->locals);
    put_str(w, d->ret_origin);
  }
}

static void put_imports(Wr *w, const Module *m) {
  put_uv(&w->b, (uint64_t)m->imports.len);
  for (int i = 0; i < m->imports.len; i++) {
    const Import *imp = m->imports.items[i];
    put_uv(&w->b, imp->kind), put_str(w, imp->local), put_str(w, imp->spec), put_str(w, imp->name);
    put_uv(&w->b, (uint64_t)imp->reexport | (uint64_t)imp->cross_lang << 1);
    put_uv(&w->b, imp->line), put_uv(&w->b, imp->col);
  }
}

/* Whether c's shape includes arg_close (a generator's `)`, a read's `]`). */
static bool has_close(const Call *c) {
  return (c->args & SHAPE_OK) && ((c->args & SHAPE_GENERATOR) || c->form == CALL_READ);
}

static void put_ref(Wr *w, const Ref *r) {
  put_uv(&w->b, r->kind), put_sv(&w->b, r->import_index), put_sv(&w->b, r->def_index);
  put_str(w, r->path), put_str(w, r->reason);
}

static void put_call(Wr *w, const Call *c) {
  put_uv(&w->b, c->form), put_span(&w->b, c->span, c->line, c->col), put_sv(&w->b, c->func);
  put_str(w, c->text), put_ref(w, &c->ref);
  put_uv(&w->b, (uint64_t)c->awaited | (uint64_t)c->in_optional << 1);
  put_list(w, &c->uses), put_list(w, &c->assigned);
  put_sv(&w->b, c->scope), put_sv(&w->b, c->recv_call);
  /* The shape: offsets inside the call's span, relative to its start. */
  put_uv(&w->b, c->args), put_uv(&w->b, c->positional);
  if (c->args & SHAPE_OK) put_uv(&w->b, c->arg_open - c->span.start);
  if (has_close(c)) put_uv(&w->b, c->arg_close - c->span.start);
}

static void put_rest(Wr *w, const Module *m) {
  put_uv(&w->b, (uint64_t)m->assigns.len);
  for (int i = 0; i < m->assigns.len; i++) {
    const Assign *a = m->assigns.items[i];
    put_sv(&w->b, a->func), put_uv(&w->b, a->pos), put_list(w, &a->targets), put_list(w, &a->sources);
  }
  put_uv(&w->b, (uint64_t)m->exports.len);
  for (int i = 0; i < m->exports.len; i++) {
    const Export *e = m->exports.items[i];
    put_str(w, e->name), put_sv(&w->b, e->def_index), put_sv(&w->b, e->import_index);
  }
  put_uv(&w->b, (uint64_t)m->aliases.len);
  for (int i = 0; i < m->aliases.len; i++) {
    const ValueAlias *a = m->aliases.items[i];
    put_str(w, a->name), put_ref(w, &a->ref);
  }
}

/* A Python module's PyLayout: positions as spans (start, length). */
static void put_layout(StrBuf *b, const Module *m) {
  if (m->lang != LANG_PYTHON) return;
  const PyLayout *py = m->py ? m->py : &(const PyLayout){0};
  put_uv(b, (uint64_t)py->ntops);
  for (int i = 0; i < py->ntops; i++) {
    const TopStmt *t = &py->tops[i];
    put_uv(b, t->kind), put_uv(b, t->span.start), put_uv(b, t->span.end - t->span.start);
    put_uv(b, t->inner == UINT32_MAX ? 0 : (uint64_t)t->inner + 1);
  }
  put_uv(b, (uint64_t)py->nstmts);
  for (int i = 0; i < py->nstmts; i++) {
    const ImportStmt *st = &py->stmts[i];
    put_uv(b, st->span.start), put_uv(b, st->span.end - st->span.start), put_uv(b, (uint64_t)st->nparts);
    for (int k = st->first; k < st->first + st->nparts; k++) {
      const ImportPart *p = &py->parts[k];
      put_uv(b, p->span.start), put_uv(b, p->span.end - p->span.start), put_sv(b, p->import);
    }
  }
  put_uv(b, (uint64_t)py->neqs);
  for (int i = 0; i < py->neqs; i++) {
    const EqInterp *e = &py->eqs[i];
    put_uv(b, e->span.start), put_uv(b, e->span.end - e->span.start), put_uv(b, e->brace_end);
    put_uv(b, e->eq.start), put_uv(b, e->eq.end - e->eq.start), put_uv(b, e->next);
    put_uv(b, (unsigned char)e->quote), put_uv(b, e->converted);
  }
}

/* A token's offset from base, 0 for none (JsLayout's UINT32_MAX). */
static void put_tok(StrBuf *b, uint32_t base, uint32_t tok) {
  put_uv(b, tok == UINT32_MAX ? 0 : (uint64_t)(tok - base) + 1);
}

static void put_span_in(StrBuf *b, uint32_t base, Span s) {
  put_uv(b, s.start - base), put_uv(b, s.end - s.start);
}

static void put_access(StrBuf *b, uint32_t base, const JsAccess *a) {
  put_uv(b, a->kind), put_span_in(b, base, a->span), put_tok(b, base, a->opt);
  if (a->kind == JS_MEMBER) put_span_in(b, base, a->key), put_tok(b, base, a->sep);
  if (a->kind == JS_SUBSCRIPT) put_tok(b, base, a->sep), put_tok(b, base, a->close);
}

/* A JavaScript module's JsLayout: a call's positions relative to its start,
 * the chains' and bridges' from the file's.  Counts of calls and bridges
 * are those of Module.calls and Module.imports. */
static void put_js_layout(StrBuf *b, const Module *m) {
  if (m->lang != LANG_JAVASCRIPT) return;
  const JsLayout *js = m->js ? m->js : &(const JsLayout){.first_stmt = UINT32_MAX};
  put_tok(b, 0, js->first_stmt);
  put_uv(b, (uint64_t)js->nchains);
  for (int i = 0; i < js->nchains; i++) {
    const JsChain *ch = &js->chains[i];
    put_uv(b, ch->stmt), put_uv(b, (uint64_t)ch->n);
    for (int k = ch->first; k < ch->first + ch->n; k++) {
      const JsLink *l = &js->links[k];
      put_access(b, 0, &l->acc), put_tok(b, 0, l->open);
      put_sv(b, l->call), put_uv(b, l->empty);
    }
  }
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    const JsCall *j =
        i < js->ncalls ? &js->calls[i] : &(const JsCall){.open = UINT32_MAX, .kw = UINT32_MAX, .chain = -1};
    uint32_t base = c->span.start;
    put_access(b, base, &j->callee), put_span_in(b, base, j->written);
    put_tok(b, base, j->open), put_tok(b, base, j->kw), put_sv(b, j->chain), put_uv(b, j->flags);
  }
  for (int i = 0; i < m->imports.len; i++) {
    const JsBridge *br = i < js->nbridges ? &js->bridges[i] : &(const JsBridge){{0, 0}, JSB_NONE};
    put_uv(b, br->kind), put_span_in(b, 0, br->span);
  }
}

void cache_encode_names(const Module *m, StrBuf *out) {
  Wr w = {.b = *out};
  put_uv(&w.b, m->status), put_uv(&w.b, m->esm);
  put_uv(&w.b, (uint64_t)m->errors.len);
  for (int i = 0; i < m->errors.len; i++) {
    const SyntaxError *e = m->errors.items[i];
    put_uv(&w.b, e->line), put_uv(&w.b, e->col), put_str(&w, e->message);
  }
  put_list(&w, &m->globals);
  put_defs(&w, m);
  put_imports(&w, m);
  put_uv(&w.b, (uint64_t)m->scopes.len);
  for (int i = 0; i < m->scopes.len; i++) put_list(&w, m->scopes.items[i]);
  put_uv(&w.b, (uint64_t)m->calls.len);
  for (int i = 0; i < m->calls.len; i++) put_call(&w, m->calls.items[i]);
  put_rest(&w, m);
  put_layout(&w.b, m);
  put_js_layout(&w.b, m);
  *out = w.b;
  wr_done(&w);
}

/* A span inside the text, with its position. */
static Span get_span(Rd *r, size_t len, uint32_t *line, uint32_t *col) {
  Span s;
  s.start = get_u(r, (uint32_t)len);
  s.end = get_u(r, (uint32_t)len);
  if (s.start > s.end) r->bad = true;
  *line = get_u(r, UINT32_MAX), *col = get_u(r, UINT32_MAX);
  return s;
}

/* Reads a count, then that many items of size bytes, each pushed on v
 * (so that a failure frees what was made) and filled by one(r, m, item, i). */
static void get_items(Rd *r, Module *m, Vec *v, size_t size, void (*one)(Rd *, Module *, void *, int)) {
  int n = get_count(r);
  for (int i = 0; i < n && !r->bad; i++) {
    void *item = xcalloc(1, size);
    vec_push(v, item);
    one(r, m, item, i);
  }
}

static void get_error(Rd *r, Module *m, void *item, int i) {
  (void)m, (void)i;
  SyntaxError *e = item;
  e->line = get_u(r, UINT32_MAX), e->col = get_u(r, UINT32_MAX), e->message = own(get_req(r));
}

static void get_def(Rd *r, Module *m, void *item, int i) {
  Def *d = item;
  d->kind = (DefKind)get_u(r, DEF_METHOD);
  d->name = own(get_req(r)), d->qualname = own(get_req(r));
  d->parent = get_int(r, -1, i); /* an enclosing definition comes first */
  d->span = get_span(r, m->len, &d->line, &d->col);
  uint32_t flags = get_u(r, 15);
  d->is_task = flags & 1, d->is_async = flags >> 1 & 1, d->exported = flags >> 2 & 1;
  d->task_directive = flags >> 3 & 1;
  d->min_args = get_int(r, -1, INT32_MAX), d->max_args = get_int(r, -1, INT32_MAX);
  get_list(r, &d->locals);
  d->ret_origin = own(get_str(r));
}

static void get_import(Rd *r, Module *m, void *item, int i) {
  (void)m, (void)i;
  Import *imp = item;
  imp->kind = (ImportKind)get_u(r, IMPORT_STAR);
  imp->local = own(get_str(r)), imp->spec = own(get_req(r)), imp->name = own(get_str(r));
  uint32_t flags = get_u(r, 3);
  imp->reexport = flags & 1, imp->cross_lang = flags >> 1 & 1;
  imp->line = get_u(r, UINT32_MAX), imp->col = get_u(r, UINT32_MAX);
  imp->resolved_file = -1;
}

static void get_ref(Rd *r, const Module *m, Ref *ref) {
  ref->kind = (RefKind)get_u(r, REF_VALUE);
  ref->import_index = get_int(r, -1, m->imports.len);
  ref->def_index = get_int(r, -1, m->defs.len);
  if ((ref->kind == REF_IMPORT && ref->import_index < 0) || (ref->kind == REF_DEF && ref->def_index < 0))
    r->bad = true;
  ref->path = own(get_str(r)), ref->reason = own(get_str(r));
}

static void get_scope(Rd *r, Module *m, void *item, int i) {
  (void)m, (void)i;
  get_list(r, item);
}

static void get_call(Rd *r, Module *m, void *item, int i) {
  (void)i;
  Call *c = item;
  c->form = (CallForm)get_u(r, CALL_READ);
  c->span = get_span(r, m->len, &c->line, &c->col);
  c->func = get_int(r, -1, m->defs.len);
  c->text = own(get_req(r));
  get_ref(r, m, &c->ref);
  uint32_t flags = get_u(r, 3);
  c->awaited = flags & 1, c->in_optional = flags >> 1 & 1;
  get_list(r, &c->uses), get_list(r, &c->assigned);
  c->scope = get_int(r, -1, m->scopes.len);
  c->recv_call = get_int(r, -1, INT32_MAX); /* a call index: link checks it against the calls */
  c->args = (uint8_t)get_u(r, 127);
  c->positional = get_u(r, UINT32_MAX);
  /* The rewrite replaces the byte at each offset: inside the span. */
  uint32_t width = c->span.end - c->span.start;
  if (c->args & SHAPE_OK) c->arg_open = c->span.start + get_u(r, width ? width - 1 : 0);
  if (has_close(c)) c->arg_close = c->span.start + get_u(r, width ? width - 1 : 0);
  if ((c->args & SHAPE_OK) && !width) r->bad = true;
  c->target_module = c->target_def = c->site_index = -1;
}

static void get_assign(Rd *r, Module *m, void *item, int i) {
  (void)i;
  Assign *a = item;
  a->func = get_int(r, -1, m->defs.len);
  a->pos = get_u(r, (uint32_t)m->len);
  get_list(r, &a->targets), get_list(r, &a->sources);
}

static void get_export(Rd *r, Module *m, void *item, int i) {
  (void)i;
  Export *e = item;
  e->name = own(get_req(r));
  e->def_index = get_int(r, -1, m->defs.len);
  e->import_index = get_int(r, -1, m->imports.len);
}

static void get_alias(Rd *r, Module *m, void *item, int i) {
  (void)i;
  ValueAlias *a = item;
  a->name = own(get_req(r));
  get_ref(r, m, &a->ref);
}

/* A span of put_layout, inside the text. */
static Span get_layout_span(Rd *r, size_t len) {
  Span s;
  s.start = get_u(r, (uint32_t)len);
  s.end = s.start + get_u(r, (uint32_t)len - s.start);
  return s;
}

/* A count of records, and room for them (nothing when the count is bad). */
static void *get_records(Rd *r, int *n, size_t size) {
  *n = get_count(r);
  if (r->bad) *n = 0;
  return xcalloc((size_t)*n + 1, size);
}

static void get_layout(Rd *r, Module *m) {
  if (m->lang != LANG_PYTHON) return;
  PyLayout *py = m->py = xcalloc(1, sizeof *py);
  py->tops = get_records(r, &py->ntops, sizeof *py->tops);
  for (int i = 0; i < py->ntops && !r->bad; i++) {
    TopStmt *t = &py->tops[i];
    t->kind = (uint8_t)get_u(r, TOP_COMPOUND);
    t->span = get_layout_span(r, m->len);
    uint32_t inner = get_u(r, (uint32_t)m->len + 1);
    t->inner = inner ? inner - 1 : UINT32_MAX;
  }
  py->stmts = get_records(r, &py->nstmts, sizeof *py->stmts);
  int cap = 0;
  for (int i = 0; i < py->nstmts && !r->bad; i++) {
    ImportStmt *st = &py->stmts[i];
    st->span = get_layout_span(r, m->len);
    st->first = py->nparts;
    int n = get_count(r);
    for (int k = 0; k < n && !r->bad; k++) {
      if (py->nparts == cap) {
        cap = cap ? cap * 2 : 8;
        py->parts = xrealloc(py->parts, (size_t)cap * sizeof *py->parts);
      }
      ImportPart *p = &py->parts[py->nparts++];
      p->span = get_layout_span(r, m->len);
      p->import = get_int(r, -1, m->imports.len);
      st->nparts++;
    }
  }
  py->eqs = get_records(r, &py->neqs, sizeof *py->eqs);
  for (int i = 0; i < py->neqs && !r->bad; i++) {
    EqInterp *e = &py->eqs[i];
    e->span = get_layout_span(r, m->len);
    e->brace_end = get_u(r, (uint32_t)m->len);
    e->eq = get_layout_span(r, m->len);
    e->next = get_u(r, (uint32_t)m->len);
    e->quote = (char)get_u(r, 255);
    e->converted = get_bool(r);
  }
}

/* A span of put_span_in inside [base, base + width]. */
static Span get_span_in(Rd *r, uint32_t base, uint32_t width) {
  Span s;
  s.start = base + get_u(r, width);
  s.end = s.start + get_u(r, base + width - s.start);
  return s;
}

/* A token of put_tok: itself inside [base, base + width], or UINT32_MAX. */
static uint32_t get_tok(Rd *r, uint32_t base, uint32_t width) {
  uint32_t v = get_u(r, width + 1);
  return v ? base + v - 1 : UINT32_MAX;
}

static JsAccess get_access(Rd *r, uint32_t base, uint32_t width, uint32_t max_kind) {
  JsAccess a = {.sep = UINT32_MAX, .close = UINT32_MAX};
  uint32_t last = width ? width - 1 : 0; /* a one-byte token's room */
  a.kind = (uint8_t)get_u(r, max_kind);
  a.span = get_span_in(r, base, width);
  a.opt = get_tok(r, base, width >= 2 ? width - 2 : 0); /* two bytes */
  if (a.opt != UINT32_MAX && width < 2) r->bad = true;
  if (a.kind == JS_MEMBER) a.key = get_span_in(r, base, width), a.sep = get_tok(r, base, last);
  if (a.kind == JS_SUBSCRIPT) a.sep = get_tok(r, base, last), a.close = get_tok(r, base, last);
  return a;
}

static void get_js_layout(Rd *r, Module *m) {
  if (m->lang != LANG_JAVASCRIPT) return;
  JsLayout *js = m->js = xcalloc(1, sizeof *js);
  /* tokens end inside the text (and a call's inside the call) */
  uint32_t len = (uint32_t)m->len;
  js->first_stmt = get_tok(r, 0, len);
  js->chains = get_records(r, &js->nchains, sizeof *js->chains);
  int cap = 0;
  for (int i = 0; i < js->nchains && !r->bad; i++) {
    JsChain *ch = &js->chains[i];
    ch->stmt = get_bool(r);
    ch->first = js->nlinks;
    ch->n = get_count(r);
    if (ch->n < 2) r->bad = true; /* a head and a link at least */
    for (int k = 0; k < ch->n && !r->bad; k++) {
      if (js->nlinks == cap) {
        cap = cap ? cap * 2 : 8;
        js->links = xrealloc(js->links, (size_t)cap * sizeof *js->links);
      }
      JsLink *l = &js->links[js->nlinks++];
      l->acc = get_access(r, 0, (uint32_t)m->len, JS_CALL);
      l->open = get_tok(r, 0, len ? len - 1 : 0);
      l->call = get_int(r, -1, m->calls.len);
      l->empty = get_bool(r);
    }
  }
  js->ncalls = m->calls.len;
  js->calls = xcalloc((size_t)js->ncalls + 1, sizeof *js->calls);
  for (int i = 0; i < js->ncalls && !r->bad; i++) {
    const Call *c = m->calls.items[i];
    JsCall *j = &js->calls[i];
    uint32_t base = c->span.start, width = c->span.end - c->span.start;
    j->callee = get_access(r, base, width, JS_SUBSCRIPT);
    j->written = get_span_in(r, base, width);
    j->open = get_tok(r, base, width ? width - 1 : 0), j->kw = get_tok(r, base, width >= 3 ? width - 3 : 0);
    j->chain = get_int(r, -1, js->nchains);
    j->flags = (uint8_t)get_u(r, JSC_ARGS_EMPTY | JSC_UNDETACHABLE | JSC_SUPER | JSC_IMPORT);
    if ((j->open != UINT32_MAX && !width) || (j->kw != UINT32_MAX && width < 3)) r->bad = true;
  }
  js->nbridges = m->imports.len;
  js->bridges = xcalloc((size_t)js->nbridges + 1, sizeof *js->bridges);
  for (int i = 0; i < js->nbridges && !r->bad; i++) {
    js->bridges[i].kind = (uint8_t)get_u(r, JSB_EXPORT_STMT);
    js->bridges[i].span = get_span_in(r, 0, (uint32_t)m->len);
  }
}

bool cache_decode_names(const void *data, size_t len, Module *m) {
  Rd r = {.p = data, .end = (const uint8_t *)data + len, .arena = &m->strings};
  m->status = (ModStatus)get_u(&r, MOD_SYNTAX);
  m->esm = get_bool(&r);
  get_items(&r, m, &m->errors, sizeof(SyntaxError), get_error);
  get_list(&r, &m->globals);
  get_items(&r, m, &m->defs, sizeof(Def), get_def);
  get_items(&r, m, &m->imports, sizeof(Import), get_import);
  get_items(&r, m, &m->scopes, sizeof(Vec), get_scope);
  get_items(&r, m, &m->calls, sizeof(Call), get_call);
  get_items(&r, m, &m->assigns, sizeof(Assign), get_assign);
  get_items(&r, m, &m->exports, sizeof(Export), get_export);
  get_items(&r, m, &m->aliases, sizeof(ValueAlias), get_alias);
  get_layout(&r, m);
  get_js_layout(&r, m);
  bool ok = !r.bad && r.p == r.end;
  vec_free(&r.strs);
  if (!ok) driver_clear_module(m);
  return ok;
}

/* ---- diagnostics -------------------------------------------------------- */

/* A file's reports name it by its abs or rel path: kept as "this file's
 * abs/rel path" (codes 2, 3), so the cache holds no absolute path and a
 * moved SRC replays its own paths.  Other paths are kept as they are. */
static void put_diags(StrBuf *b, const Vec *diags, const Module *m) {
  put_uv(b, (uint64_t)diags->len);
  for (int i = 0; i < diags->len; i++) {
    const DiagRecord *d = diags->items[i];
    uint64_t code = !d->path                             ? 0
                    : strcmp(d->path, m->file->abs) == 0 ? 2
                    : strcmp(d->path, m->file->rel) == 0 ? 3
                                                         : 1;
    put_uv(b, d->level);
    put_uv(b, code);
    if (code == 1) put_bytes(b, d->path, strlen(d->path));
    put_uv(b, d->line), put_uv(b, d->col), put_bytes(b, d->message, strlen(d->message));
  }
}

static char *get_heap(Rd *r) {
  size_t n;
  const char *s = get_raw(r, &n);
  return s ? xstrndup(s, n) : NULL;
}

static char *get_path(Rd *r, const Module *m) {
  uint32_t code = get_u(r, 3);
  if (code == 0 || r->bad) return NULL;
  if (code == 1) return get_heap(r);
  return xstrdup(code == 2 ? m->file->abs : m->file->rel);
}

static bool get_diags(Rd *r, Vec *out, const Module *m) {
  int n = get_count(r);
  for (int i = 0; i < n && !r->bad; i++) {
    DiagRecord *d = xcalloc(1, sizeof *d);
    vec_push(out, d);
    d->level = (DiagLevel)get_u(r, DIAG_NOTE);
    d->path = get_path(r, m);
    d->line = get_u(r, UINT32_MAX), d->col = get_u(r, UINT32_MAX);
    d->message = get_heap(r);
    if (!d->message) r->bad = true;
  }
  if (r->bad) diag_records_free(out);
  return !r->bad;
}

/* Decodes the diagnostics in [p, p+n), all of it. */
static bool decode_diags(const void *p, size_t n, Vec *out, const Module *m) {
  Rd r = {.p = p, .end = (const uint8_t *)p + n};
  bool ok = get_diags(&r, out, m) && r.p == r.end;
  if (!ok) diag_records_free(out);
  return ok;
}

/* ---- the link digest ---------------------------------------------------- */

static void put_opt(StrBuf *b, const char *s) {
  put_uv(b, s != NULL);
  if (s) put_bytes(b, s, strlen(s));
}

static void put_target(StrBuf *b, const Codebase *cb, int module, int def) {
  put_sv(b, module), put_sv(b, def);
  if (module < 0 || module >= cb->modules.len) return;
  const Module *t = cb->modules.items[module];
  put_opt(b, t->file->rel), put_uv(b, t->lang), put_uv(b, t->esm), put_uv(b, t->status);
  if (def < 0 || def >= t->defs.len) return;
  const Def *d = t->defs.items[def];
  put_uv(b, d->kind), put_opt(b, d->name), put_opt(b, d->qualname), put_sv(b, d->parent);
  put_uv(b, (uint64_t)d->is_task | (uint64_t)d->is_async << 1 | (uint64_t)d->exported << 2 |
                (uint64_t)d->task_directive << 3);
  put_sv(b, d->min_args), put_sv(b, d->max_args), put_opt(b, d->ret_origin);
}

static bool other_lang(const Codebase *cb, const Module *m, int module) {
  return module >= 0 && module < cb->modules.len &&
         ((const Module *)cb->modules.items[module])->lang != m->lang;
}

/* What the boundaries pass and the rewrite see beyond m's own text and
 * names state: currant.json, the link results of m's imports and calls, and
 * the modules and definitions they lead to.  Equal digests give equal sites
 * and output.  False (no digest) for a module that reaches the other
 * language: the bridge rewrite reads the whole target module. */
static bool link_digest(const Codebase *cb, const Module *m, char out[DIGEST_HEX + 1]) {
  StrBuf b = {0};
  bool bridged = false;
  put_opt(&b, cb->config && cb->config->hash ? cb->config->hash : "");
  for (int i = 0; i < m->imports.len; i++) {
    const Import *imp = m->imports.items[i];
    bridged |= imp->cross_lang || other_lang(cb, m, imp->resolved_file);
    put_uv(&b, imp->kind), put_target(&b, cb, imp->resolved_file, -1);
  }
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    bridged |= other_lang(cb, m, c->target_module);
    put_uv(&b, c->ref.kind), put_sv(&b, c->ref.import_index), put_sv(&b, c->ref.def_index);
    put_opt(&b, c->ref.path), put_opt(&b, c->ref.reason), put_opt(&b, c->canonical);
    put_target(&b, cb, c->target_module, c->target_def);
  }
  digest_hex(b.data ? b.data : "", b.len, out);
  str_free(&b);
  return !bridged;
}

/* ---- sites and output (the build section of an entry) ------------------- */

/* What boundaries and the rewrite made of a file, decoded for reuse. */
typedef struct Built {
  int nsites;       /* sites */
  int *call;        /* call index of each site, increasing */
  BoundKind *bound; /* kind of each site */
  char **category;  /* category of each site */
  char **site_id;   /* stable id of each site */
  char *out;        /* emitted text, NULL when unchanged */
  size_t out_len;   /* its bytes */
  char *map;        /* source map, or NULL */
  Vec diags;        /* DiagRecord*: what instrumenting it reported */
} Built;

static void built_free(Built *t) {
  for (int i = 0; i < t->nsites; i++) free(t->category[i]), free(t->site_id[i]);
  free(t->call), free(t->bound), free(t->category), free(t->site_id);
  free(t->out), free(t->map);
  diag_records_free(&t->diags);
  *t = (Built){0};
}

/* The output and map are recorded by digest (out_digest, map_digest, or
 * NULL when none was written): a reuse reads them back from OUT. */
static void encode_built(StrBuf *b, const Module *m, const char *digest, const char *out_digest,
                         const char *map_digest, const Vec *diags) {
  put_bytes(b, digest, DIGEST_HEX);
  put_uv(b, (uint64_t)m->nsites);
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    if (c->site_index < 0) continue;
    put_uv(b, (uint64_t)i), put_uv(b, c->bound), put_opt(b, c->category), put_opt(b, c->site_id);
  }
  put_opt(b, out_digest), put_opt(b, map_digest);
  put_diags(b, diags, m);
}

static char *get_opt(Rd *r) { return get_bool(r) ? get_heap(r) : NULL; }

static bool decode_sites(Rd *r, Built *t, int ncalls) {
  t->nsites = (int)get_u(r, (uint32_t)ncalls);
  if (r->bad) t->nsites = 0;
  t->call = xcalloc((size_t)t->nsites + 1, sizeof *t->call);
  t->bound = xcalloc((size_t)t->nsites + 1, sizeof *t->bound);
  t->category = xcalloc((size_t)t->nsites + 1, sizeof *t->category);
  t->site_id = xcalloc((size_t)t->nsites + 1, sizeof *t->site_id);
  for (int i = 0; i < t->nsites && !r->bad; i++) {
    t->call[i] = (int)get_u(r, (uint32_t)ncalls - 1);
    if (i && t->call[i] <= t->call[i - 1]) r->bad = true;
    t->bound[i] = (BoundKind)get_u(r, BOUND_CONFIG);
    if (t->bound[i] == BOUND_NONE) r->bad = true;
    t->category[i] = get_opt(r), t->site_id[i] = get_opt(r);
    if (!t->site_id[i]) r->bad = true;
  }
  return !r->bad;
}

/* A recorded digest of an output, which must then be OUT/rel's: its bytes
 * (NULL with *ok cleared when OUT no longer holds them). */
static char *get_output(Rd *r, const char *out_dir, const char *rel, size_t *len, bool *ok) {
  if (!get_bool(r)) return NULL;
  const char *digest = get_hex(r, DIGEST_HEX);
  char *data = digest && *ok ? driver_read_output(out_dir, rel, digest, len) : NULL;
  if (!data) *ok = false;
  return data;
}

/* The build section of m's old entry, if it was made with this digest and
 * OUT still holds the output and map it recorded. */
static bool decode_built(const void *p, size_t n, Module *m, const char *digest, const char *out_dir,
                         Built *t) {
  Rd r = {.p = p, .end = (const uint8_t *)p + n};
  size_t dn, map_len;
  const char *d = get_raw(&r, &dn);
  if (!d || dn != DIGEST_HEX || memcmp(d, digest, DIGEST_HEX) != 0) return false;
  bool ok = decode_sites(&r, t, m->calls.len);
  t->out = get_output(&r, out_dir, m->file->rel, &t->out_len, &ok);
  char *map_rel = xasprintf("%s.map", m->file->rel);
  t->map = get_output(&r, out_dir, map_rel, &map_len, &ok);
  free(map_rel);
  ok = ok && !r.bad && get_diags(&r, &t->diags, m) && r.p == r.end;
  if (!ok) built_free(t);
  return ok;
}

/* ---- the cache ---------------------------------------------------------- */

/* One entry of the pack as read: slices of the pack's bytes. */
typedef struct PackEntry {
  const char *rel;     /* path (not NUL-terminated) */
  size_t rel_len;      /* its bytes */
  const uint8_t *body; /* key, names state, diagnostics, build section */
  size_t len;          /* bytes of body */
  const char *sum;     /* digest_hex of body (DIGEST_HEX digits) */
} PackEntry;

/* One source as the last build's index recorded it. */
typedef struct IndexFile {
  const char *rel;            /* path (not NUL-terminated) */
  size_t rel_len;             /* its bytes */
  uint32_t lang, pkg;         /* Lang, walk_package_type */
  const char *in;             /* sha256 (SHA256_HEX) of the source, NULL: unreadable */
  const char *out, *map;      /* digests (DIGEST_HEX) of its output and of its map (NULL: none) */
  const uint8_t *diags;       /* its analyse then instrument diagnostics (two encoded lists) */
  size_t diags_len;           /* bytes of diags */
} IndexFile;

/* This build's state of one source (Module.cache). */
struct CacheFile {
  const Cache *owner;     /* the cache it belongs to */
  const PackEntry *entry; /* its old pack entry, or NULL */
  bool loaded;            /* names state decoded from the entry */
  bool reusable;          /* sites and output decoded from the entry (built) */
  const char *names;      /* encoded names state for the new pack */
  size_t names_len;       /* its bytes */
  StrBuf fresh;           /* the encoding when it was made in this build */
  StrBuf sealed[2];       /* its new pack entry and index record (cache_seal) */
  char digest[DIGEST_HEX + 1];     /* link digest; "" when m reaches the other language */
  char out_digest[DIGEST_HEX + 1]; /* digest of what OUT/rel receives (cache_seal) */
  char map_digest[DIGEST_HEX + 1]; /* digest of its source map, "" without one */
  Built built;            /* the old entry's build section, when reusable */
  Vec diags[2];           /* DiagRecord*: analyse, instrument */
};

struct Cache {
  char *dir;               /* where index and pack live */
  char *out_dir;           /* OUT, where reused outputs are read back */
  char build_id[65];       /* cache_build_id's: the compiler and the format */
  const char *config_hash; /* currant.json's */
  char *pack;              /* the old pack's bytes, or NULL */
  size_t pack_len;         /* bytes */
  PackEntry *entries;      /* its entries, sorted by rel */
  int nentries;            /* how many */
  char *index;             /* the old index's bytes, or NULL */
  size_t index_len;        /* bytes */
  IndexFile *files;        /* its sources, in build order */
  int nfiles;              /* how many */
  const uint8_t *assets;   /* its copied files' records (encoded) */
  size_t assets_len;       /* bytes */
  const char *manifest;    /* digest of currant.graph.json as written */
  bool build_wide;         /* it printed build-wide reports (not replayed: no level 1) */
  uint32_t totals[2];      /* files instrumented, sites */
  CacheFile *state;        /* this build: one per module */
  int nstate;              /* how many */
  bool now_build_wide;     /* this build printed build-wide reports */
  bool unusable;           /* dir is not a directory: nothing is read from it */
  bool index_foreign;      /* the index is another compiler's or config's: only its outputs are used */
};

/* The linker's GNU build id of the running binary (a hash of its linked
 * contents, in a PT_NOTE segment), as hex into out; false when it has none
 * (linked with --build-id=none). */
typedef struct NoteSearch {
  char *out;  /* hex destination (>= 2 * 64 + 1 bytes) */
  bool found; /* out holds the id */
} NoteSearch;

static bool note_build_id(const char *p, size_t n, char *out) {
  while (n >= sizeof(ElfW(Nhdr))) {
    const ElfW(Nhdr) *h = (const void *)p;
    size_t name = (h->n_namesz + 3) & ~(size_t)3, desc = (h->n_descsz + 3) & ~(size_t)3;
    size_t whole = sizeof *h + name + desc;
    if (whole > n) return false;
    const char *d = p + sizeof *h + name;
    if (h->n_type == NT_GNU_BUILD_ID && h->n_namesz == 4 && memcmp(p + sizeof *h, "GNU", 4) == 0 &&
        h->n_descsz > 0 && h->n_descsz <= 64) {
      for (uint32_t i = 0; i < h->n_descsz; i++) sprintf(out + 2 * i, "%02x", (unsigned char)d[i]);
      return true;
    }
    p += whole, n -= whole;
  }
  return false;
}

/* dl_iterate_phdr visits the program itself first. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *arg) {
  (void)size;
  NoteSearch *s = arg;
  for (int i = 0; i < info->dlpi_phnum && !s->found; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type == PT_NOTE)
      s->found = note_build_id((const char *)(info->dlpi_addr + ph->p_vaddr), ph->p_memsz, s->out);
  }
  return 1;
}

/* What identifies the running compiler: its linker build id when it has
 * one (free to read), else the sha256 of its binary (megabytes to hash: a
 * tenth of a no-change rebuild). */
static bool compiler_identity(char *out) {
  NoteSearch s = {out, false};
  dl_iterate_phdr(find_build_id, &s);
  if (s.found) return true;
  size_t n;
  char *exe = read_file("/proc/self/exe", &n);
  if (!exe) return false;
  sha256_hex(exe, n, out); /* hashed in place: the binary is megabytes */
  free(exe);
  return true;
}

/* sha256 of the running compiler's identity and the cache format: any
 * other binary (a new version, a rebuild, a patched copy) reads no old
 * cache. */
bool cache_build_id(char out[65]) {
  char ident[129];
  if (!compiler_identity(ident)) return false;
  char *id = xasprintf("%s/%d/%s", CURRANTC_VERSION, CACHE_FORMAT, ident);
  sha256_hex(id, strlen(id), out);
  free(id);
  return true;
}

/* The header both files start with: magic, format, build id. */
static void put_header(StrBuf *b, const char *magic, const char *build_id) {
  str_puts(b, magic);
  put_uv(b, CACHE_FORMAT);
  put_bytes(b, build_id, SHA256_HEX);
}

/* The build id (SHA256_HEX digits) a part was written under, or NULL when it is not
 * a part of this format. */
static const char *get_header(Rd *r, const char *magic) {
  size_t n = strlen(magic), idn;
  if ((size_t)(r->end - r->p) < n || memcmp(r->p, magic, n) != 0) return NULL;
  r->p += n;
  if (get_uv(r) != CACHE_FORMAT) return NULL;
  const char *id = get_raw(r, &idn);
  return id && idn == SHA256_HEX ? id : NULL;
}

static int cmp_rel(const char *a, size_t an, const char *b, size_t bn) {
  int c = memcmp(a, b, an < bn ? an : bn);
  return c ? c : (an > bn) - (an < bn);
}

static int cmp_entries(const void *a, const void *b) {
  const PackEntry *x = a, *y = b;
  return cmp_rel(x->rel, x->rel_len, y->rel, y->rel_len);
}

/* Splits the pack into entries (their checksums are checked on use). */
static bool read_pack(Cache *c) {
  Rd r = {.p = (const uint8_t *)c->pack, .end = (const uint8_t *)c->pack + c->pack_len};
  const char *id = get_header(&r, PACK_MAGIC);
  if (!id || memcmp(id, c->build_id, SHA256_HEX) != 0) return false;
  int n = get_count(&r);
  c->entries = xcalloc((size_t)n + 1, sizeof *c->entries);
  for (int i = 0; i < n && !r.bad; i++) {
    PackEntry *e = &c->entries[i];
    size_t sn;
    e->body = (const uint8_t *)get_raw(&r, &e->len);
    e->sum = get_raw(&r, &sn);
    if (!e->body || sn != DIGEST_HEX) break;
    Rd k = {.p = e->body, .end = e->body + e->len};
    e->rel = get_raw(&k, &e->rel_len);
    if (!e->rel) break;
    c->nentries = i + 1;
  }
  qsort(c->entries, (size_t)c->nentries, sizeof *c->entries, cmp_entries);
  return c->nentries == n && r.p == r.end;
}

/* A hash of width hex digits that may be absent (empty). */
static const char *get_hex_opt(Rd *r, size_t width) {
  size_t n;
  const char *s = get_raw(r, &n);
  if (s && n != 0 && n != width) r->bad = true;
  return r->bad || n == 0 ? NULL : s;
}

static void read_index_file(Rd *r, IndexFile *f) {
  f->rel = get_raw(r, &f->rel_len);
  f->lang = get_u(r, LANG_COUNT - 1), f->pkg = get_u(r, 2);
  f->in = get_hex_opt(r, SHA256_HEX), f->out = get_hex(r, DIGEST_HEX), f->map = get_hex_opt(r, DIGEST_HEX);
  f->diags = (const uint8_t *)get_raw(r, &f->diags_len);
  if (!f->rel || !f->diags) r->bad = true;
}

/* Checks the index's checksum and header and splits it into records. */
static bool read_index(Cache *c) {
  if (c->index_len < DIGEST_HEX) return false;
  size_t body = c->index_len - DIGEST_HEX;
  char sum[DIGEST_HEX + 1];
  digest_hex(c->index, body, sum);
  if (memcmp(sum, c->index + body, DIGEST_HEX) != 0) return false;
  Rd r = {.p = (const uint8_t *)c->index, .end = (const uint8_t *)c->index + body};
  const char *id = get_header(&r, INDEX_MAGIC);
  size_t hn;
  const char *cfg = id ? get_raw(&r, &hn) : NULL;
  if (!cfg) return false;
  c->index_foreign = memcmp(id, c->build_id, SHA256_HEX) != 0 || hn != strlen(c->config_hash) ||
                     memcmp(cfg, c->config_hash, hn) != 0;
  c->nfiles = get_count(&r);
  c->files = xcalloc((size_t)c->nfiles + 1, sizeof *c->files);
  for (int i = 0; i < c->nfiles && !r.bad; i++) read_index_file(&r, &c->files[i]);
  c->assets = (const uint8_t *)get_raw(&r, &c->assets_len);
  c->manifest = get_hex(&r, DIGEST_HEX);
  c->build_wide = get_bool(&r);
  c->totals[0] = get_u(&r, UINT32_MAX), c->totals[1] = get_u(&r, UINT32_MAX);
  return !r.bad && c->assets && r.p == r.end;
}

static char *cache_path(const Cache *c, const char *name) { return xasprintf("%s/%s", c->dir, name); }

/* Reads dir/name whole, or NULL (absent is the usual first build). */
static char *read_part(const Cache *c, const char *name, size_t *len) {
  char *path = cache_path(c, name);
  char *data = read_file(path, len);
  if (!data && errno != ENOENT) diag_verbose("cache: cannot read %s: %s", path, strerror(errno));
  free(path);
  return data;
}

Cache *cache_open(const char *dir, const char *out_dir, const Config *cfg, const char *build_id) {
  if (!build_id) {
    diag_verbose("cache: cannot read the compiler binary (/proc/self/exe): not caching");
    return NULL;
  }
  Cache *c = xcalloc(1, sizeof *c);
  c->dir = xstrdup(dir);
  c->out_dir = xstrdup(out_dir);
  c->config_hash = cfg->hash ? cfg->hash : "";
  memcpy(c->build_id, build_id, sizeof c->build_id);
  struct stat st;
  if (lstat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
    diag_verbose("cache: %s is not a directory (a symlink is not followed): not used", dir);
    c->unusable = true;
    return c;
  }
  c->index = read_part(c, "index", &c->index_len);
  if (c->index && !read_index(c)) {
    diag_verbose("cache: %s/index is from another cache format, or damaged: not used", dir);
    free(c->index), c->index = NULL, c->nfiles = 0;
  } else if (c->index && c->index_foreign) {
    diag_verbose("cache: %s/index is from another compiler or config: only its list of outputs is used", dir);
  }
  return c;
}

/* The pack, read on first use: a build that finds nothing changed (level
 * 1) never needs it, and it is megabytes. */
static void load_pack(Cache *c) {
  if (c->pack || c->unusable) return;
  c->pack = read_part(c, "pack", &c->pack_len);
  if (c->pack && !read_pack(c))
    diag_verbose("cache: %s/pack is from another compiler, or damaged: %d entries usable", c->dir,
                 c->nentries);
}

static void drop_state(Cache *c);

void cache_free(Cache *c) {
  if (!c) return;
  drop_state(c);
  free(c->state), free(c->entries), free(c->files), free(c->pack), free(c->index);
  free(c->dir), free(c->out_dir), free(c);
}

/* ---- level 1: nothing changed ------------------------------------------- */

static bool same_rel(const char *rel, size_t n, const char *s) {
  return strlen(s) == n && memcmp(rel, s, n) == 0;
}

/* The assets' records: (rel, digest) pairs, checked against the sources. */
static bool assets_unchanged(const Cache *c, const Vec *assets) {
  Rd r = {.p = c->assets, .end = c->assets + c->assets_len};
  if (get_count(&r) != assets->len) return false;
  for (int i = 0; i < assets->len && !r.bad; i++) {
    const InputFile *f = assets->items[i];
    size_t n;
    const char *rel = get_raw(&r, &n), *digest = get_hex(&r, DIGEST_HEX);
    char now[DIGEST_HEX + 1];
    bool same = rel && digest && digest_file(f->abs, now) == 0 && same_rel(rel, n, f->rel) &&
                memcmp(digest, now, DIGEST_HEX) == 0;
    if (!same) return false;
  }
  return !r.bad;
}

bool cache_inputs_unchanged(const Cache *c, const Codebase *cb, const Vec *assets) {
  if (!c->index || c->index_foreign || c->build_wide || c->nfiles != cb->modules.len) return false;
  for (int i = 0; i < c->nfiles; i++) {
    const IndexFile *f = &c->files[i];
    const Module *m = cb->modules.items[i];
    if (!m->text || !f->in || memcmp(f->in, m->sha256, SHA256_HEX) != 0 ||
        !same_rel(f->rel, f->rel_len, m->file->rel) || f->lang != (uint32_t)m->lang ||
        f->pkg != (uint32_t)walk_package_type(m->file))
      return false;
  }
  return assets_unchanged(c, assets);
}

static void push_old(Vec *out, const char *rel, size_t n, const char *suffix, const char *digest) {
  OldOutput *o = xcalloc(1, sizeof *o);
  o->rel = xasprintf("%.*s%s", (int)n, rel, suffix);
  memcpy(o->digest, digest, DIGEST_HEX);
  vec_push(out, o);
}

void cache_last_outputs(const Cache *c, Vec *out) {
  if (!c->index) return;
  for (int i = 0; i < c->nfiles; i++) {
    const IndexFile *f = &c->files[i];
    push_old(out, f->rel, f->rel_len, "", f->out);
    if (f->map) push_old(out, f->rel, f->rel_len, ".map", f->map);
  }
  Rd r = {.p = c->assets, .end = c->assets + c->assets_len};
  int n = get_count(&r);
  for (int i = 0; i < n && !r.bad; i++) {
    size_t len;
    const char *rel = get_raw(&r, &len), *digest = get_hex(&r, DIGEST_HEX);
    if (rel && digest) push_old(out, rel, len, "", digest);
  }
}

const char *cache_output_hash(const Cache *c, int i, bool map) {
  return i < 0 ? c->manifest : map ? c->files[i].map : c->files[i].out;
}

const char *cache_asset_hash(const Cache *c, int i) {
  Rd r = {.p = c->assets, .end = c->assets + c->assets_len};
  int n = get_count(&r);
  const char *digest = NULL;
  for (int k = 0; k <= i && k < n && !r.bad; k++) {
    size_t rn;
    get_raw(&r, &rn);
    digest = get_hex(&r, DIGEST_HEX);
  }
  return i < n && !r.bad ? digest : NULL;
}

/* Replays the recorded diagnostics in the order a build prints them: every
 * file's analyse reports, then every file's instrument reports.  False if a
 * record does not decode (then nothing is printed). */
bool cache_replay(const Cache *c, const Codebase *cb, int totals[2]) {
  int n = cb->modules.len;
  Vec *lists = xcalloc((size_t)(2 * n + 1), sizeof *lists);
  bool ok = true;
  for (int i = 0; i < n && ok; i++) {
    const Module *m = cb->modules.items[i];
    Rd r = {.p = c->files[i].diags, .end = c->files[i].diags + c->files[i].diags_len};
    ok = get_diags(&r, &lists[i], m) && get_diags(&r, &lists[n + i], m) && r.p == r.end;
  }
  for (int i = 0; ok && i < 2 * n; i++) diag_replay(&lists[i]);
  for (int i = 0; i < 2 * n; i++) diag_records_free(&lists[i]);
  free(lists);
  totals[0] = (int)c->totals[0], totals[1] = (int)c->totals[1];
  return ok;
}

/* ---- level 2: file by file ---------------------------------------------- */

void cache_attach(Cache *c, Codebase *cb) {
  load_pack(c);
  c->nstate = cb->modules.len;
  c->state = xcalloc((size_t)c->nstate + 1, sizeof *c->state);
  for (int i = 0; i < c->nstate; i++) {
    Module *m = cb->modules.items[i];
    m->cache = &c->state[i];
    m->cache->owner = c;
    PackEntry key = {.rel = m->file->rel, .rel_len = strlen(m->file->rel)};
    if (c->nentries)
      m->cache->entry = bsearch(&key, c->entries, (size_t)c->nentries, sizeof key, cmp_entries);
  }
}

/* The names state and diagnostics of m's entry, when its key (path,
 * language, package type, content) is m's and its checksum holds. */
static bool load_entry(const PackEntry *e, Module *m) {
  char sum[DIGEST_HEX + 1];
  digest_hex(e->body, e->len, sum);
  if (memcmp(sum, e->sum, DIGEST_HEX) != 0) {
    diag_verbose("cache: damaged entry for %s: not used", m->file->rel);
    return false;
  }
  Rd r = {.p = e->body, .end = e->body + e->len};
  size_t n, adn;
  get_raw(&r, &n);
  uint32_t lang = get_u(&r, LANG_COUNT - 1), pkg = get_u(&r, 2);
  const char *sha = get_hex(&r, SHA256_HEX);
  if (r.bad || lang != (uint32_t)m->lang || pkg != (uint32_t)walk_package_type(m->file) ||
      memcmp(sha, m->sha256, SHA256_HEX))
    return false;
  CacheFile *f = m->cache;
  f->names = get_raw(&r, &f->names_len);
  const char *adiags = get_raw(&r, &adn);
  if (!f->names || !adiags || !cache_decode_names(f->names, f->names_len, m)) return false;
  if (!decode_diags(adiags, adn, &f->diags[0], m)) {
    driver_clear_module(m);
    return false;
  }
  return true;
}

bool cache_load(Module *m) {
  CacheFile *f = m->cache;
  if (!f->entry || !m->text) return false;
  f->loaded = load_entry(f->entry, m);
  if (!f->loaded) f->names = NULL;
  return f->loaded;
}

void cache_keep_names(Module *m, Vec *diags) {
  CacheFile *f = m->cache;
  f->diags[0] = *diags;
  *diags = (Vec){0};
  if (!m->sha256[0]) return; /* unreadable: nothing to key an entry by */
  cache_encode_names(m, &f->fresh);
  f->names = f->fresh.data ? f->fresh.data : "";
  f->names_len = f->fresh.len;
}

void cache_replay_analysis(const Cache *c) {
  for (int i = 0; i < c->nstate; i++) diag_replay(&c->state[i].diags[0]);
}

/* Frees this build's per-file states. */
static void drop_state(Cache *c) {
  for (int i = 0; i < c->nstate; i++) {
    CacheFile *f = &c->state[i];
    str_free(&f->fresh), str_free(&f->sealed[0]), str_free(&f->sealed[1]), built_free(&f->built);
    diag_records_free(&f->diags[0]), diag_records_free(&f->diags[1]);
  }
  free(c->state);
  c->state = NULL, c->nstate = 0;
}

/* The build section of m's entry (after key, names and diagnostics). */
static const uint8_t *entry_built(const PackEntry *e, size_t *n) {
  Rd r = {.p = e->body, .end = e->body + e->len};
  for (int k = 0; k < 6; k++) {
    size_t skip;
    if (k == 1 || k == 2)
      get_uv(&r);
    else
      get_raw(&r, &skip);
  }
  const uint8_t *p = (const uint8_t *)get_raw(&r, n);
  return r.bad ? NULL : p;
}

void cache_settle(Codebase *cb, Module *m) {
  CacheFile *f = m->cache;
  if (!link_digest(cb, m, f->digest)) f->digest[0] = '\0';
  if (!f->loaded || !f->digest[0] || m->status != MOD_OK) return;
  size_t n;
  const uint8_t *p = entry_built(f->entry, &n);
  f->reusable = p && decode_built(p, n, m, f->digest, f->owner->out_dir, &f->built);
}

bool cache_reuse(Module *m) {
  CacheFile *f = m->cache;
  if (!f || !f->reusable) return false;
  Built *t = &f->built;
  for (int k = 0; k < t->nsites; k++) {
    Call *c = m->calls.items[t->call[k]];
    c->bound = t->bound[k];
    c->category = t->category[k] ? names_strndup(&m->strings, t->category[k], strlen(t->category[k])) : NULL;
    c->site_index = k;
    c->site_id = t->site_id[k], t->site_id[k] = NULL;
  }
  m->nsites = t->nsites;
  m->out_text = t->out, m->out_len = t->out_len, m->source_map = t->map;
  t->out = t->map = NULL;
  f->diags[1] = t->diags, t->diags = (Vec){0};
  diag_replay(&f->diags[1]);
  return true;
}

void cache_keep_build(Module *m, Vec *diags) {
  m->cache->diags[1] = *diags;
  *diags = (Vec){0};
}

void cache_note_build_wide(Cache *c, bool reported) { c->now_build_wide = reported; }

void cache_report(const Cache *c) {
  int loaded = 0, reused = 0;
  for (int i = 0; i < c->nstate; i++) loaded += c->state[i].loaded, reused += c->state[i].reusable;
  diag_verbose("cache: %d of %d files loaded, %d reused as they were, the others parsed", loaded, c->nstate,
               reused);
}

/* ---- saving ------------------------------------------------------------- */

/* Bytes of pack gathered before each write. */
#define PACK_CHUNK (1 << 20)

static const char no_digest[DIGEST_HEX + 1] = "--------------------------------";

static void put_entry(StrBuf *pack, Module *m) {
  CacheFile *f = m->cache;
  StrBuf body = {0}, part = {0};
  put_bytes(&body, m->file->rel, strlen(m->file->rel));
  put_uv(&body, m->lang), put_uv(&body, (uint64_t)walk_package_type(m->file));
  put_bytes(&body, m->sha256, SHA256_HEX);
  put_bytes(&body, f->names, f->names_len);
  put_diags(&part, &f->diags[0], m);
  put_bytes(&body, part.data, part.len);
  part.len = 0;
  encode_built(&part, m, f->digest[0] ? f->digest : no_digest, m->out_text ? f->out_digest : NULL,
               m->source_map ? f->map_digest : NULL, &f->diags[1]);
  put_bytes(&body, part.data, part.len);
  char sum[DIGEST_HEX + 1];
  digest_hex(body.data, body.len, sum);
  put_bytes(pack, body.data, body.len);
  put_bytes(pack, sum, DIGEST_HEX);
  str_free(&body), str_free(&part);
}

static void put_index_file(StrBuf *b, Module *m) {
  CacheFile *f = m->cache;
  put_bytes(b, m->file->rel, strlen(m->file->rel));
  put_uv(b, m->lang), put_uv(b, (uint64_t)walk_package_type(m->file));
  put_bytes(b, m->sha256, f->names ? SHA256_HEX : 0); /* an unreadable file never counts as unchanged */
  put_bytes(b, f->out_digest, DIGEST_HEX);
  put_bytes(b, f->map_digest, strlen(f->map_digest));
  StrBuf d = {0};
  put_diags(&d, &f->diags[0], m);
  put_diags(&d, &f->diags[1], m);
  put_bytes(b, d.data, d.len);
  str_free(&d);
}

/* Digests what m writes to OUT, for its entry and index record: its
 * output, or the source it copies. */
static void digest_outputs(const Module *m, CacheFile *f) {
  if (m->out_text)
    digest_hex(m->out_text, m->out_len, f->out_digest);
  else
    digest_hex(m->text ? m->text : "", m->len, f->out_digest);
  f->map_digest[0] = '\0';
  if (m->source_map) digest_hex(m->source_map, strlen(m->source_map), f->map_digest);
}

/* The fresh names encoding is copied into the entry, then freed: kept
 * twice to the end, it was 6% of the stdlib build's peak memory. */
void cache_seal(Module *m) {
  CacheFile *f = m->cache;
  digest_outputs(m, f);
  put_index_file(&f->sealed[1], m);
  if (f->names) put_entry(&f->sealed[0], m);
  if (f->fresh.data) f->names = "", f->names_len = 0;
  str_free(&f->fresh);
}

static void put_assets(StrBuf *b, const Vec *assets) {
  StrBuf a = {0};
  put_uv(&a, (uint64_t)assets->len);
  for (int i = 0; i < assets->len; i++) {
    const InputFile *f = assets->items[i];
    char digest[DIGEST_HEX + 1];
    put_bytes(&a, f->rel, strlen(f->rel));
    put_bytes(&a, digest_file(f->abs, digest) == 0 ? digest : no_digest,
              DIGEST_HEX); /* unreadable: never matches */
  }
  put_bytes(b, a.data, a.len);
  str_free(&a);
}

static void encode_index(StrBuf *b, const Cache *c, const Codebase *cb, const Vec *assets,
                         const char *manifest_digest) {
  put_header(b, INDEX_MAGIC, c->build_id);
  put_bytes(b, c->config_hash, strlen(c->config_hash));
  put_uv(b, (uint64_t)cb->modules.len);
  uint64_t instrumented = 0, sites = 0;
  for (int i = 0; i < cb->modules.len; i++) {
    Module *m = cb->modules.items[i];
    str_append(b, m->cache->sealed[1].data, m->cache->sealed[1].len);
    instrumented += m->out_text != NULL, sites += (uint64_t)m->nsites;
  }
  put_assets(b, assets);
  put_bytes(b, manifest_digest, DIGEST_HEX);
  put_uv(b, c->now_build_wide);
  put_uv(b, instrumented), put_uv(b, sites);
  char sum[DIGEST_HEX + 1];
  digest_hex(b->data, b->len, sum);
  str_append(b, sum, DIGEST_HEX);
}

static int write_part(const Cache *c, const char *name, const char *data, size_t len) {
  char *path = cache_path(c, name);
  int rc = write_file_atomic(path, data, len);
  if (rc < 0) diag_verbose("cache: cannot write %s: %s", path, strerror(errno));
  free(path);
  return rc;
}

/* The cache directory, created if needed; a symlink there is refused (the
 * default one lies inside OUT, where nothing is written through a link). */
static bool cache_dir_ready(const Cache *c) {
  char *probe = cache_path(c, "index");
  struct stat st;
  bool ok = make_parent_dirs(probe) == 0 && lstat(c->dir, &st) == 0 && S_ISDIR(st.st_mode);
  if (!ok) diag_verbose("cache: %s is not a directory this build can write: not saved", c->dir);
  free(probe);
  return ok;
}

/* The pack goes out entry by entry, each freed once written: built whole
 * it doubled the cache's share of a build's peak memory (the stdlib's is
 * 18 MB, its buffer grew to 32 MB). */
static int write_pack(const Cache *c, const Codebase *cb) {
  char *path = cache_path(c, "pack");
  OutFile f;
  int rc = outfile_open(&f, path, false);
  if (rc == 0) {
    StrBuf b = {0};
    int n = 0;
    for (int i = 0; i < cb->modules.len; i++)
      n += ((Module *)cb->modules.items[i])->cache->sealed[0].len != 0;
    put_header(&b, PACK_MAGIC, c->build_id);
    put_uv(&b, (uint64_t)n);
    for (int i = 0; i < cb->modules.len; i++) {
      StrBuf *e = &((Module *)cb->modules.items[i])->cache->sealed[0];
      if (e->len) str_append(&b, e->data, e->len);
      str_free(e);
      if (b.len >= PACK_CHUNK) outfile_write(&f, b.data, b.len), b.len = 0;
    }
    outfile_write(&f, b.data, b.len);
    str_free(&b);
    rc = outfile_close(&f, NULL);
  }
  if (rc < 0) diag_verbose("cache: cannot write %s: %s", path, strerror(errno));
  free(path);
  return rc;
}

int cache_save(Cache *c, const Codebase *cb, const Vec *assets, const char *manifest_digest) {
  if (!cache_dir_ready(c)) return -1;
  StrBuf index = {0};
  encode_index(&index, c, cb, assets, manifest_digest);
  /* The pack first: an index never names outputs whose entries are missing. */
  int rc = write_pack(c, cb);
  if (rc == 0) rc = write_part(c, "index", index.data, index.len);
  str_free(&index);
  return rc;
}
