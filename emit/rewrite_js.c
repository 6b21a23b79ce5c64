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
  Call **sites; /* sites in source order */
  int nsites;
  Span *chains; /* optional chains already lowered */
  int nchains, cchains;
} R;

static void ledit(R *r, uint32_t s, uint32_t e, LEditKind k, uint32_t ss, uint32_t se, const char *text) {
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 32;
    r->e = xrealloc(r->e, (size_t)r->cap * sizeof *r->e);
  }
  r->e[r->n] = (LEdit){s, e, k, ss, se, r->n, xstrdup(text)};
  r->n++;
}

static void opener(R *r, uint32_t at, TSNode span, const char *text) {
  ledit(r, at, at, LE_OPENER, ts_node_start_byte(span), ts_node_end_byte(span), text);
}

static void closer(R *r, uint32_t at, TSNode span, const char *text) {
  ledit(r, at, at, LE_CLOSER, ts_node_start_byte(span), ts_node_end_byte(span), text);
}

static void replace(R *r, TSNode tok, const char *text) {
  ledit(r, ts_node_start_byte(tok), ts_node_end_byte(tok), LE_REPLACE, 0, 0, text);
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

/* ---- tree helpers ------------------------------------------------------- */

static bool is_type(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *f) { return ts_node_child_by_field_name(n, f, (uint32_t)strlen(f)); }

/* The first child of n of type t (anonymous tokens included). */
static TSNode child_of_type(TSNode n, const char *t) {
  for (uint32_t i = 0; i < ts_node_child_count(n); i++) {
    TSNode c = ts_node_child(n, i);
    if (strcmp(ts_node_type(c), t) == 0) return c;
  }
  return (TSNode){0};
}

static TSNode strip_parens(TSNode n) {
  while (is_type(n, "parenthesized_expression") && ts_node_named_child_count(n) == 1)
    n = ts_node_named_child(n, 0);
  return n;
}

static bool is_chain(TSNode n) {
  return is_type(n, "call_expression") || is_type(n, "member_expression") || is_type(n, "subscript_expression");
}

/* The node a chain link continues from: a call's callee, an access's object. */
static TSNode chain_inner(TSNode n) { return field(n, is_type(n, "call_expression") ? "function" : "object"); }

static bool has_optional(TSNode n) { return !ts_node_is_null(field(n, "optional_chain")); }

/* `?.` anywhere down the chain (not through parentheses). */
static bool chain_has_optional(TSNode n) {
  for (; is_chain(n); n = chain_inner(n))
    if (has_optional(n)) return true;
  return false;
}

static bool args_empty(TSNode args) {
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
    if (!is_type(ts_node_named_child(args, i), "comment")) return false;
  return true;
}

static Call *site_at(R *r, TSNode n) {
  for (int i = 0; i < r->nsites; i++)
    if (ts_node_eq(r->sites[i]->node, n)) return r->sites[i];
  return NULL;
}

/* A callee a method cannot be detached from (super.m, obj.#m, super). */
static bool undetachable(TSNode callee) {
  TSNode f = strip_parens(callee);
  if (is_type(f, "super")) return true;
  if (!is_type(f, "member_expression") && !is_type(f, "subscript_expression")) return false;
  return is_type(field(f, "object"), "super") || is_type(field(f, "property"), "private_property_identifier");
}

static char *site_prefix(const Call *c, const char *fn) { return xasprintf("_currant.%s(%d, ", fn, c->site_index); }

/* ---- member / subscript as ref(obj, key) or read(site, obj, key) -------- */

/* Edits inside an access turning `o.k` into `o, "k")` and `o[k]` into
 * `o, k)`; the separator token is left to the caller when sep_done. */
static void split_access(R *r, TSNode acc, bool sep_done) {
  if (is_type(acc, "member_expression")) {
    TSNode prop = field(acc, "property");
    if (!sep_done) replace(r, child_of_type(acc, "."), ", ");
    opener(r, ts_node_start_byte(prop), prop, "\"");
    closer(r, ts_node_end_byte(prop), acc, "\")");
  } else {
    if (!sep_done) replace(r, child_of_type(acc, "["), ", ");
    else replace(r, child_of_type(acc, "["), "");
    replace(r, child_of_type(acc, "]"), ")");
  }
}

/* ---- sites outside lowered optional chains ------------------------------ */

static void warn(R *r, const Call *c, const char *what) {
  diag_report(DIAG_WARNING, r->m->file ? r->m->file->rel : "<input>", c->line, c->col,
              "%s cannot be detached from its receiver; this call is not instrumented", what);
}

static void rewrite_call(R *r, Call *c) {
  TSNode n = c->node, callee = field(n, "function"), args = field(n, "arguments");
  bool tagged = c->form == CALL_TAGGED;
  char *pre = site_prefix(c, tagged ? "tag" : "call");
  opener(r, ts_node_start_byte(n), n, pre);
  free(pre);
  TSNode f = strip_parens(callee);
  if (is_type(f, "member_expression") || is_type(f, "subscript_expression")) {
    opener(r, ts_node_start_byte(f), f, "_currant.ref(");
    split_access(r, f, false);
  }
  if (tagged) closer(r, ts_node_end_byte(callee), n, ")");
  else replace(r, child_of_type(args, "("), args_empty(args) ? "" : ", ");
}

static void rewrite_new(R *r, Call *c) {
  TSNode n = c->node, ctor = field(n, "constructor"), args = field(n, "arguments");
  char *pre = xasprintf("_currant.construct(%d,", c->site_index);
  TSNode kw = child_of_type(n, "new");
  replace(r, kw, pre);
  free(pre);
  /* `new X` has no space to spare after the comma when written `new(X)`. */
  if (ts_node_end_byte(kw) == ts_node_start_byte(ctor)) opener(r, ts_node_start_byte(ctor), ctor, " ");
  if (ts_node_is_null(args)) closer(r, ts_node_end_byte(ctor), n, ")");
  else replace(r, child_of_type(args, "("), args_empty(args) ? "" : ", ");
}

static void rewrite_read(R *r, Call *c) {
  char *pre = site_prefix(c, "read");
  opener(r, ts_node_start_byte(c->node), c->node, pre);
  free(pre);
  split_access(r, c->node, false);
}

/* ---- optional chain lowering -------------------------------------------- */

/* The whole chain a node belongs to: up through objects and callees. */
static TSNode chain_top(TSNode n) {
  for (;;) {
    TSNode p = ts_node_parent(n);
    if (!is_chain(p) || !ts_node_eq(chain_inner(p), n)) return n;
    n = p;
  }
}

/* True if an expression starting at n's start begins a statement. */
static bool starts_statement(TSNode n) {
  uint32_t s = ts_node_start_byte(n);
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && ts_node_start_byte(p) == s; p = ts_node_parent(p))
    if (is_type(p, "expression_statement")) return true;
  return false;
}

typedef struct Link {
  TSNode node;
  Call *site;    /* site at this link, or NULL */
  bool lowered;  /* its `?.` is lowered to a guard */
  bool ref;      /* access that becomes ref(obj, key) (callee of a site / lowered call) */
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
    if (l[j].site && l[j].site->form == CALL_READ) t = own = site_prefix(l[j].site, "read");
    else if (l[j].site) t = own = site_prefix(l[j].site, l[j].site->form == CALL_TAGGED ? "tag" : "call");
    if (t && b) str_puts(b, t);
    else if (t) opener(r, at, l[j].node, t);
    free(own);
    if (l[j].ref && b) str_puts(b, "_currant.ref(");
    else if (l[j].ref) opener(r, at, l[j].node, "_currant.ref(");
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
  bool call = is_type(l[j].node, "call_expression");
  str_puts(&b, call && l[j - 1].ref ? ").fn == null ? void 0 : " : ") == null ? void 0 : ");
  if (next_lowered(l, n, j) >= 0) str_puts(&b, "(_currant.hold(");
  anchor_openers(r, l, n, j, &b, 0);
  str_puts(&b, "_currant.held()");
  if (call && l[j - 1].ref && !l[j].site) str_puts(&b, ".fn.call(_currant.held().self");
  else if (!call && (l[j].ref || l[j].site)) str_puts(&b, ", ");
  else if (is_type(l[j].node, "member_expression")) str_puts(&b, ".");
  replace(r, field(l[j].node, "optional_chain"), b.data);
  str_free(&b);
}

/* Edits of link j other than its `?.`. */
static void link_edits(R *r, Link *l, int j) {
  TSNode n = l[j].node;
  bool access = !is_type(n, "call_expression");
  if (access && (l[j].ref || l[j].site)) {
    split_access(r, n, l[j].lowered);
    return;
  }
  if (access) return;
  TSNode args = field(n, "arguments");
  if (l[j].site && l[j].site->form == CALL_TAGGED) closer(r, ts_node_end_byte(l[j - 1].node), n, ")");
  else if (l[j].site || (l[j].lowered && l[j - 1].ref))
    replace(r, child_of_type(args, "("), args_empty(args) ? "" : ", ");
}

static void lower_chain(R *r, TSNode top) {
  int n = 0, cap = 8;
  Link *l = xmalloc((size_t)cap * sizeof *l);
  for (TSNode x = top;; x = chain_inner(x)) {
    if (n == cap) cap *= 2, l = xrealloc(l, (size_t)cap * sizeof *l);
    l[n++] = (Link){.node = x};
    if (!is_chain(x)) break;
  }
  for (int i = 0; i < n / 2; i++) { /* head first */
    Link t = l[i];
    l[i] = l[n - 1 - i], l[n - 1 - i] = t;
  }
  int last = 0;
  for (int j = 1; j < n; j++)
    if ((l[j].site = site_at(r, l[j].node))) last = j;
  for (int j = 1; j <= last; j++) l[j].lowered = has_optional(l[j].node);
  for (int j = 1; j + 1 < n; j++) {
    bool callee = is_type(l[j + 1].node, "call_expression");
    bool access = !is_type(l[j].node, "call_expression");
    l[j].ref = callee && access && (l[j + 1].site || l[j + 1].lowered);
  }
  if (starts_statement(top)) opener(r, ts_node_start_byte(top), top, "void 0, ");
  opener(r, ts_node_start_byte(top), top, "(_currant.hold(");
  anchor_openers(r, l, n, -1, NULL, ts_node_start_byte(top));
  int closes = 0;
  for (int j = 1; j < n; j++) {
    if (l[j].lowered) lower_token(r, l, n, j), closes++;
    link_edits(r, l, j);
  }
  StrBuf b = {0};
  for (int i = 0; i < closes; i++) str_puts(&b, ")");
  closer(r, ts_node_end_byte(top), top, b.data);
  str_free(&b);
  free(l);
}

/* Sites in the spine of an optional chain after a `?.` are rewritten with
 * their whole chain, once per chain. */
static void rewrite_optional(R *r, Call *c) {
  TSNode top = chain_top(c->node);
  Span s = {ts_node_start_byte(top), ts_node_end_byte(top)};
  for (int i = 0; i < r->nchains; i++)
    if (r->chains[i].start == s.start && r->chains[i].end == s.end) return;
  if (r->nchains == r->cchains) {
    r->cchains = r->cchains ? r->cchains * 2 : 8;
    r->chains = xrealloc(r->chains, (size_t)r->cchains * sizeof *r->chains);
  }
  r->chains[r->nchains++] = s;
  lower_chain(r, top);
}

/* ---- the module binding ------------------------------------------------- */

static bool is_directive(TSNode st) {
  return is_type(st, "expression_statement") && ts_node_named_child_count(st) == 1 &&
         is_type(ts_node_named_child(st, 0), "string");
}

/* After a hashbang, comments and the directive prologue, before the first
 * statement, on its line. */
static void bind_runtime(R *r) {
  TSNode root = ts_tree_root_node(r->m->tree);
  TSNode first = {0};
  bool prologue = true;
  for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
    TSNode st = ts_node_named_child(root, i);
    if (is_type(st, "hash_bang_line") || is_type(st, "comment")) continue;
    if (prologue && is_directive(st)) continue;
    prologue = false;
    first = st;
    break;
  }
  if (ts_node_is_null(first)) return;
  StrBuf rel = {0};
  for (const char *p = r->m->file->rel; *p; p++) {
    if (*p == '"' || *p == '\\') str_append(&rel, "\\", 1);
    str_append(&rel, p, 1);
  }
  char *text = r->m->esm ? xasprintf("import { createRequire as _currantRequire } from \"node:module\"; const _currant "
                                     "= _currantRequire(import.meta.url)(\"currant\").module(\"%s\"); ",
                                     rel.data)
                         : xasprintf("const _currant = require(\"currant\").module(\"%s\"); ", rel.data);
  ledit(r, ts_node_start_byte(first), ts_node_start_byte(first), LE_OPENER, 0, UINT32_MAX, text);
  free(text);
  str_free(&rel);
}

/* ---- imports of Python modules ------------------------------------------ */

static bool is_require(R *r, TSNode n) {
  TSNode fn = field(n, "function");
  return is_type(n, "call_expression") && is_type(fn, "identifier") &&
         ts_node_end_byte(fn) - ts_node_start_byte(fn) == 7 &&
         memcmp(r->m->text + ts_node_start_byte(fn), "require", 7) == 0;
}

/* The require call a declarator's value reads (`require(x)`, `require(x).a`). */
static TSNode declared_require(R *r, TSNode decl) {
  TSNode v = strip_parens(field(decl, "value"));
  while (is_type(v, "member_expression")) v = strip_parens(field(v, "object"));
  return is_require(r, v) ? v : (TSNode){0};
}

/* What the bridge replaces for imp: its import/export statement or its
 * require call (found from the import's position), or a null node. */
static TSNode bridge_node(R *r, const Import *imp) {
  TSPoint pt = {imp->line - 1, imp->col - 1};
  for (TSNode n = ts_node_descendant_for_point_range(ts_tree_root_node(r->m->tree), pt, pt);
       !ts_node_is_null(n); n = ts_node_parent(n)) {
    if (is_type(n, "import_statement") || is_type(n, "export_statement") || is_require(r, n)) return n;
    if (is_type(n, "variable_declarator")) return declared_require(r, n);
  }
  return (TSNode){0};
}

static void bridge_expr(StrBuf *b, const Module *target) {
  str_puts(b, "_currant.bridge(\"py\", \"");
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
static void statement_text(R *r, TSNode st, StrBuf *b) {
  StrBuf names = {0}, decls = {0};
  const Module *target = NULL;
  for (int i = 0; i < r->m->imports.len; i++) {
    const Import *imp = r->m->imports.items[i];
    if (!bridge_rewritable(r->m, imp) || !ts_node_eq(bridge_node(r, imp), st)) continue;
    target = imp->bridge_to;
    if (imp->kind == IMPORT_NAME) {
      str_puts(&names, names.len ? ", " : "{ ");
      pattern_entry(&names, imp);
    } else if (imp->local) {
      str_printf(&decls, "%s%s = ", decls.len ? ", " : "", imp->local);
      bridge_expr(&decls, imp->bridge_to);
    }
  }
  if (is_type(st, "export_statement")) str_puts(b, "export ");
  if (names.len || decls.len) str_puts(b, "const ");
  if (decls.len) str_printf(b, "%s%s", decls.data, names.len ? ", " : "");
  if (names.len) str_printf(b, "%s } = ", names.data);
  if (names.len || !decls.len) bridge_expr(b, target);
  str_puts(b, ";");
  str_free(&names), str_free(&decls);
}

/* Each statement or require call importing a Python module becomes a
 * bridge module (once, however many names it imports). */
static void rewrite_bridges(R *r) {
  uint32_t done = 0; /* the imports of one statement come one after another */
  for (int i = 0; i < r->m->imports.len; i++) {
    const Import *imp = r->m->imports.items[i];
    TSNode n = bridge_rewritable(r->m, imp) ? bridge_node(r, imp) : (TSNode){0};
    if (ts_node_is_null(n) || ts_node_start_byte(n) < done) continue;
    done = ts_node_end_byte(n);
    StrBuf b = {0};
    if (is_require(r, n))
      bridge_expr(&b, imp->bridge_to);
    else
      statement_text(r, n, &b);
    ledit(r, ts_node_start_byte(n), ts_node_end_byte(n), LE_REPLACE, 0, 0, b.data);
    str_free(&b);
  }
}

/* ---- entry -------------------------------------------------------------- */

static void rewrite_site(R *r, Call *c) {
  if (c->form == CALL_READ) return rewrite_read(r, c);
  TSNode callee = field(c->node, c->form == CALL_NEW ? "constructor" : "function");
  if (c->form != CALL_NEW && undetachable(callee)) {
    TSNode f = strip_parens(callee);
    return warn(r, c, is_type(f, "super") || is_type(field(f, "object"), "super") ? "a super call" : "a #private method");
  }
  if (is_type(callee, "import")) return; /* dynamic import() */
  if (c->form == CALL_NEW) return rewrite_new(r, c);
  if (chain_has_optional(c->node)) return rewrite_optional(r, c);
  rewrite_call(r, c);
}

void rewrite_javascript(Module *m, EditList *out) {
  R r = {.m = m};
  r.sites = xcalloc((size_t)m->calls.len + 1, sizeof *r.sites);
  for (int i = 0; i < m->calls.len; i++) {
    Call *c = m->calls.items[i];
    if (c->site_index >= 0) r.sites[r.nsites++] = c;
  }
  for (int i = 0; i < r.nsites; i++) rewrite_site(&r, r.sites[i]);
  rewrite_bridges(&r);
  if (r.n) bind_runtime(&r);
  qsort(r.e, (size_t)r.n, sizeof *r.e, lcmp);
  for (int i = 0; i < r.n; i++) {
    edit_add(out, r.e[i].start, r.e[i].end, r.e[i].text);
    free(r.e[i].text);
  }
  free(r.e), free(r.sites), free(r.chains);
}
