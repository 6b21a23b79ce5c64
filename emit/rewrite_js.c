/*
 * rewrite_js.c — the edits that turn each JavaScript boundary site into a
 * runtime call (docs/ARCHITECTURE.md has the emitted shapes).
 *
 * Every rewrite is a handful of insertions plus replacements of single
 * punctuation tokens (`.`, `?.`, `[`, `]`, the `(` of the arguments, the
 * `new` keyword); no edit ever spans user code.  That is what lets nested
 * sites compose: `f(g(x))` with both calls sites gives edits that never
 * overlap, and every callee, receiver and argument is evaluated where it
 * stood, once, in the original order.  Several insertions can land on one
 * offset (`obj.m(x)` opens both `call(` and `ref(` before `obj`), so edits
 * are collected here first and sorted: at one offset closers before
 * openers, openers of the outer expression first, closers of the inner one
 * first.
 *
 * Optional chains need more than a wrapper: when `a?.b.c(x)` short-circuits,
 * the call must not happen and `x` must not be evaluated.  The chain is
 * lowered to `(_currant.hold(a) == null ? void 0 : ...held()...)` spanning
 * the whole chain (`a?.b.c().d` included), with one nested conditional per
 * `?.` up to the last site in the chain.  hold/held is a single slot, and
 * no user code runs between a hold and its held().  An optional call of a
 * method (`o.m?.(x)`) holds `ref(o, "m")` and tests its `.fn`, so `this`
 * survives.  Nothing emitted starts a statement with `(`: a guard at the
 * start of an expression statement is preceded by `void 0, `.
 *
 * Left alone: `super.m()` and `obj.#m()` (a method cannot be detached from
 * them: a warning says so if one was a site), dynamic `import()`, direct
 * `eval`, and tagged templates unless catalogued (the boundaries pass
 * decides which calls are sites).
 *
 * No tree is read: every span and token comes from what names_javascript
 * recorded (Module.js, Call.span), so a build frees the tree after names.
 */
#include "currant.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef enum { LE_CLOSER, LE_OPENER, LE_REPLACE } LEditKind;

/* An edit before sorting: openers/closers carry the span of the
 * expression they open or close. */
typedef struct LEdit {
  uint32_t start, end; /* bytes replaced (start == end: insertion) */
  LEditKind kind;
  uint32_t span_s, span_e; /* expression opened / closed */
  int seq;
  char *text;
} LEdit;

typedef struct R {
  Module *m;
  LEdit *e;
  int n, cap;
  const JsLayout *js; /* what the names pass recorded of the tree */
  int *sites;         /* sites in source order (indices into m->calls) */
  int nsites;
  bool *lowered; /* per JsLayout.chains: already lowered */
  char *ref;     /* "RT.ref(" (RT: Module.rt) */
} R;

static void ledit(R *r, uint32_t s, uint32_t e, LEditKind k, uint32_t ss, uint32_t se, const char *text) {
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 32;
    r->e = xrealloc(r->e, (size_t)r->cap * sizeof *r->e);
  }
  r->e[r->n] = (LEdit){s, e, k, ss, se, r->n, xstrdup(text)};
  r->n++;
}

static void opener(R *r, uint32_t at, Span span, const char *text) {
  ledit(r, at, at, LE_OPENER, span.start, span.end, text);
}

static void closer(R *r, uint32_t at, Span span, const char *text) {
  ledit(r, at, at, LE_CLOSER, span.start, span.end, text);
}

/* Replaces the token of width bytes at tok (recorded by the names pass). */
static void replace(R *r, uint32_t tok, uint32_t width, const char *text) {
  if (tok != UINT32_MAX) ledit(r, tok, tok + width, LE_REPLACE, 0, 0, text);
}

/* start; insertions before a replacement; closers before openers; outer
 * openers first, inner closers first; then the order they were made. */
static int lcmp(const void *pa, const void *pb) {
  const LEdit *a = pa, *b = pb;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  if (a->kind == LE_OPENER) {
    if (a->span_e != b->span_e) return a->span_e > b->span_e ? -1 : 1;
    if (a->span_s != b->span_s) return a->span_s < b->span_s ? -1 : 1;
  } else if (a->kind == LE_CLOSER) {
    if (a->span_s != b->span_s) return a->span_s > b->span_s ? -1 : 1;
    if (a->span_e != b->span_e) return a->span_e < b->span_e ? -1 : 1;
  }
  return (a->seq > b->seq) - (a->seq < b->seq);
}

static char *site_prefix(const R *r, const Call *c, const char *fn) {
  return xasprintf("%s.%s(%d, ", r->m->rt, fn, c->site_index);
}

/* ---- member / subscript as ref(obj, key) or read(site, obj, key) -------- */

/* Edits inside an access turning `o.k` into `o, "k")` and `o[k]` into
 * `o, k)`; the separator token is left to the caller when sep_done. */
static void split_access(R *r, const JsAccess *acc, bool sep_done) {
  /* A `?.` met here is a parenthesized callee's, `(o?.m)(x)`, which throws
   * a TypeError when o is null either way: it becomes the separator. */
  bool opt = !sep_done && acc->opt != UINT32_MAX;
  if (acc->kind == JS_MEMBER) {
    if (opt)
      replace(r, acc->opt, 2, ", ");
    else if (!sep_done)
      replace(r, acc->sep, 1, ", ");
    opener(r, acc->key.start, acc->key, "\"");
    closer(r, acc->key.end, acc->span, "\")");
  } else {
    if (opt) replace(r, acc->opt, 2, "");
    replace(r, acc->sep, 1, sep_done ? "" : ", ");
    replace(r, acc->close, 1, ")");
  }
}

/* ---- sites outside lowered optional chains ------------------------------ */

static void warn(R *r, const Call *c, const char *what) {
  diag_report(DIAG_WARNING, r->m->file ? r->m->file->rel : "<input>", c->line, c->col,
              "%s cannot be detached from its receiver; this call is not instrumented", what);
}

static void rewrite_call(R *r, const Call *c, const JsCall *j) {
  bool tagged = c->form == CALL_TAGGED;
  char *pre = site_prefix(r, c, tagged ? "tag" : "call");
  opener(r, c->span.start, c->span, pre);
  free(pre);
  if (j->callee.kind == JS_MEMBER || j->callee.kind == JS_SUBSCRIPT) {
    opener(r, j->callee.span.start, j->callee.span, r->ref);
    split_access(r, &j->callee, false);
  }
  if (tagged)
    closer(r, j->written.end, c->span, ")");
  else
    replace(r, j->open, 1, (j->flags & JSC_ARGS_EMPTY) ? "" : ", ");
}

static void rewrite_new(R *r, const Call *c, const JsCall *j) {
  char *pre = xasprintf("%s.construct(%d,", r->m->rt, c->site_index);
  replace(r, j->kw, 3, pre);
  free(pre);
  /* `new X` has no space to spare after the comma when written `new(X)`. */
  if (j->kw + 3 == j->written.start) opener(r, j->written.start, j->written, " ");
  if (j->open == UINT32_MAX)
    closer(r, j->written.end, c->span, ")");
  else
    replace(r, j->open, 1, (j->flags & JSC_ARGS_EMPTY) ? "" : ", ");
}

static void rewrite_read(R *r, const Call *c, const JsCall *j) {
  char *pre = site_prefix(r, c, "read");
  opener(r, c->span.start, c->span, pre);
  free(pre);
  split_access(r, &j->callee, false);
}

/* ---- optional chain lowering -------------------------------------------- */

typedef struct Link {
  const JsLink *rec; /* what the names pass recorded of it */
  const Call *site;  /* site at this link, or NULL */
  bool lowered;      /* its `?.` is lowered to a guard */
  bool ref;          /* access that becomes ref(obj, key) (callee of a site / lowered call) */
} Link;

/* Openers of links whose lowered form starts at anchor a (-1: the chain's
 * start), outermost first, appended to b (or inserted at `at` when b is
 * NULL). */
static void anchor_openers(R *r, Link *l, int n, int a, StrBuf *b, uint32_t at) {
  for (int j = n - 1; j >= 1; j--) {
    int anchor = -1;
    for (int i = 1; i <= j; i++)
      if (l[i].lowered) anchor = i;
    if (anchor != a) continue;
    const char *t = NULL;
    char *own = NULL;
    if (l[j].site && l[j].site->form == CALL_READ)
      t = own = site_prefix(r, l[j].site, "read");
    else if (l[j].site)
      t = own = site_prefix(r, l[j].site, l[j].site->form == CALL_TAGGED ? "tag" : "call");
    if (t && b) str_puts(b, t);
    else if (t)
      opener(r, at, l[j].rec->acc.span, t);
    free(own);
    if (l[j].ref && b)
      str_puts(b, r->ref);
    else if (l[j].ref)
      opener(r, at, l[j].rec->acc.span, r->ref);
  }
}

static int next_lowered(const Link *l, int n, int j) {
  for (int i = j + 1; i < n; i++)
    if (l[i].lowered) return i;
  return -1;
}

/* The replacement of link j's `?.`. */
static void lower_token(R *r, Link *l, int n, int j) {
  StrBuf b = {0};
  bool call = l[j].rec->acc.kind == JS_CALL;
  str_puts(&b, call && l[j - 1].ref ? ").fn == null ? void 0 : " : ") == null ? void 0 : ");
  if (next_lowered(l, n, j) >= 0) str_printf(&b, "(%s.hold(", r->m->rt);
  anchor_openers(r, l, n, j, &b, 0);
  str_printf(&b, "%s.held()", r->m->rt);
  if (call && l[j - 1].ref && !l[j].site)
    str_printf(&b, ".fn.call(%s.held().self", r->m->rt);
  else if (!call && (l[j].ref || l[j].site)) str_puts(&b, ", ");
  else if (l[j].rec->acc.kind == JS_MEMBER)
    str_puts(&b, ".");
  replace(r, l[j].rec->acc.opt, 2, b.data);
  str_free(&b);
}

/* Edits of link j other than its `?.`. */
static void link_edits(R *r, Link *l, int j) {
  const JsLink *k = l[j].rec;
  bool access = k->acc.kind != JS_CALL;
  if (access && (l[j].ref || l[j].site)) {
    split_access(r, &k->acc, l[j].lowered);
    return;
  }
  if (access) return;
  if (l[j].site && l[j].site->form == CALL_TAGGED)
    closer(r, l[j - 1].rec->acc.span.end, k->acc.span, ")");
  else if (l[j].site || (l[j].lowered && l[j - 1].ref))
    replace(r, k->open, 1, k->empty ? "" : ", ");
}

static void lower_chain(R *r, const JsChain *ch) {
  int n = ch->n;
  Link *l = xcalloc((size_t)n, sizeof *l);
  int last = 0;
  for (int j = 0; j < n; j++) {
    l[j].rec = &r->js->links[ch->first + j];
    const Call *c = l[j].rec->call >= 0 ? r->m->calls.items[l[j].rec->call] : NULL;
    if (j >= 1 && c && c->site_index >= 0) l[j].site = c, last = j;
  }
  for (int j = 1; j <= last; j++) l[j].lowered = l[j].rec->acc.opt != UINT32_MAX;
  for (int j = 1; j + 1 < n; j++) {
    bool callee = l[j + 1].rec->acc.kind == JS_CALL;
    bool access = l[j].rec->acc.kind != JS_CALL;
    l[j].ref = callee && access && (l[j + 1].site || l[j + 1].lowered);
  }
  Span top = l[n - 1].rec->acc.span;
  if (ch->stmt) opener(r, top.start, top, "void 0, ");
  char *hold = xasprintf("(%s.hold(", r->m->rt);
  opener(r, top.start, top, hold);
  free(hold);
  anchor_openers(r, l, n, -1, NULL, top.start);
  int closes = 0;
  for (int j = 1; j < n; j++) {
    if (l[j].lowered) lower_token(r, l, n, j), closes++;
    link_edits(r, l, j);
  }
  StrBuf b = {0};
  for (int i = 0; i < closes; i++) str_puts(&b, ")");
  closer(r, top.end, top, b.data);
  str_free(&b);
  free(l);
}

/* Sites in the spine of an optional chain after a `?.` are rewritten with
 * their whole chain, once per chain. */
static void rewrite_optional(R *r, const JsCall *j) {
  if (r->lowered[j->chain]) return;
  r->lowered[j->chain] = true;
  lower_chain(r, &r->js->chains[j->chain]);
}

/* ---- the module binding ------------------------------------------------- */

/* After a hashbang, comments and the directive prologue, before the first
 * statement, on its line. */
static void bind_runtime(R *r) {
  uint32_t first = r->js->first_stmt;
  if (first == UINT32_MAX) return;
  StrBuf rel = {0};
  for (const char *p = r->m->file->rel; *p; p++) {
    if (*p == '"' || *p == '\\') str_append(&rel, "\\", 1);
    str_append(&rel, p, 1);
  }
  const char *rt = r->m->rt;
  char *text = r->m->esm ? xasprintf("import { createRequire as %sRequire } from \"node:module\"; const %s "
                                     "= %sRequire(import.meta.url)(\"currant\").module(\"%s\"); ",
                                     rt, rt, rt, rel.data)
                         : xasprintf("const %s = require(\"currant\").module(\"%s\"); ", rt, rel.data);
  ledit(r, first, first, LE_OPENER, 0, UINT32_MAX, text);
  free(text);
  str_free(&rel);
}

/* ---- imports of Python modules ------------------------------------------ */

/* What the bridge replaces for import i (JsBridge: recorded by the names
 * pass), or a JSB_NONE one. */
static JsBridge bridge_node(R *r, int i) {
  if (!bridge_rewritable(r->m, r->m->imports.items[i]) || i >= r->js->nbridges)
    return (JsBridge){{0, 0}, JSB_NONE};
  return r->js->bridges[i];
}

static bool same_node(JsBridge a, JsBridge b) {
  return a.kind == b.kind && a.span.start == b.span.start && a.span.end == b.span.end;
}

static void bridge_expr(StrBuf *b, const char *rt, const Module *target) {
  str_printf(b, "%s.bridge(\"py\", \"", rt);
  for (const char *p = target->file->rel; *p; p++) {
    if (*p == '"' || *p == '\\') str_append(b, "\\", 1);
    str_append(b, p, 1);
  }
  char *async = bridge_async_list(target);
  str_printf(b, "\", %s)", async);
  free(async);
}

static bool is_identifier(const char *s) {
  if (!*s || (*s >= '0' && *s <= '9')) return false;
  for (; *s; s++)
    if (!(*s == '_' || *s == '$' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || (unsigned char)*s >= 0x80))
      return false;
  return true;
}

/* `{ a, b: c }` entry of a named import (a quoted key when not an identifier). */
static void pattern_entry(StrBuf *b, const Import *imp) {
  if (is_identifier(imp->name))
    str_puts(b, imp->name);
  else
    str_printf(b, "\"%s\"", imp->name);
  if (strcmp(imp->name, imp->local) != 0) str_printf(b, ": %s", imp->local);
}

/* `[export ]const d = BRIDGE, { a, b: c } = BRIDGE;` for the imports of
 * statement st, or `BRIDGE;` for a side-effect import. */
static void statement_text(R *r, JsBridge st, StrBuf *b) {
  StrBuf names = {0}, decls = {0};
  const Module *target = NULL;
  for (int i = 0; i < r->m->imports.len; i++) {
    const Import *imp = r->m->imports.items[i];
    if (!same_node(bridge_node(r, i), st)) continue;
    target = imp->bridge_to;
    if (imp->kind == IMPORT_NAME) {
      str_puts(&names, names.len ? ", " : "{ ");
      pattern_entry(&names, imp);
    } else if (imp->local) {
      str_printf(&decls, "%s%s = ", decls.len ? ", " : "", imp->local);
      bridge_expr(&decls, r->m->rt, imp->bridge_to);
    }
  }
  if (st.kind == JSB_EXPORT_STMT) str_puts(b, "export ");
  if (names.len || decls.len) str_puts(b, "const ");
  if (decls.len) str_printf(b, "%s%s", decls.data, names.len ? ", " : "");
  if (names.len) str_printf(b, "%s } = ", names.data);
  if (names.len || !decls.len) bridge_expr(b, r->m->rt, target);
  str_puts(b, ";");
  str_free(&names), str_free(&decls);
}

/* Each statement or require call importing a Python module becomes a
 * bridge module (once, however many names it imports). */
static void rewrite_bridges(R *r) {
  uint32_t done = 0; /* the imports of one statement come one after another */
  for (int i = 0; i < r->m->imports.len; i++) {
    const Import *imp = r->m->imports.items[i];
    JsBridge n = bridge_node(r, i);
    if (n.kind == JSB_NONE || n.span.start < done) continue;
    done = n.span.end;
    StrBuf b = {0};
    if (n.kind == JSB_REQUIRE)
      bridge_expr(&b, r->m->rt, imp->bridge_to);
    else
      statement_text(r, n, &b);
    ledit(r, n.span.start, n.span.end, LE_REPLACE, 0, 0, b.data);
    str_free(&b);
  }
}

/* ---- entry -------------------------------------------------------------- */

static void rewrite_site(R *r, int i) {
  const Call *c = r->m->calls.items[i];
  const JsCall *j = &r->js->calls[i];
  if (c->form == CALL_READ) return rewrite_read(r, c, j);
  if (c->form != CALL_NEW && (j->flags & JSC_UNDETACHABLE))
    return warn(r, c, (j->flags & JSC_SUPER) ? "a super call" : "a #private method");
  if (j->flags & JSC_IMPORT) return; /* dynamic import() */
  if (c->form == CALL_NEW) return rewrite_new(r, c, j);
  if (j->chain >= 0) return rewrite_optional(r, j);
  rewrite_call(r, c, j);
}

void rewrite_javascript(Module *m, EditList *out) {
  static const JsLayout none = {.first_stmt = UINT32_MAX};
  runtime_name(m);
  R r = {.m = m, .js = m->js ? m->js : &none, .ref = xasprintf("%s.ref(", m->rt)};
  if (r.js->ncalls != m->calls.len) r.js = &none; /* a layout always comes with its calls */
  r.sites = xcalloc((size_t)m->calls.len + 1, sizeof *r.sites);
  for (int i = 0; i < m->calls.len && r.js != &none; i++)
    if (((const Call *)m->calls.items[i])->site_index >= 0) r.sites[r.nsites++] = i;
  r.lowered = xcalloc((size_t)r.js->nchains + 1, sizeof *r.lowered);
  for (int i = 0; i < r.nsites; i++) rewrite_site(&r, r.sites[i]);
  rewrite_bridges(&r);
  if (r.n) bind_runtime(&r);
  qsort(r.e, (size_t)r.n, sizeof *r.e, lcmp);
  for (int i = 0; i < r.n; i++) {
    edit_add(out, r.e[i].start, r.e[i].end, r.e[i].text);
    free(r.e[i].text);
  }
  free(r.e), free(r.sites), free(r.lowered), free(r.ref);
}
