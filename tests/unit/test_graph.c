/*
 * test_graph.c — graph.c on hand-built modules.
 *
 * The modules here are what names/link/boundaries would leave behind, built
 * directly so each test states exactly the facts an edge depends on: data
 * edges through assignments, only forward and only inside one function;
 * call, import and cross-language edges from link's results; containment;
 * and a sorted, duplicate-free edge list.
 */
#include <stdlib.h>
#include <string.h>

#include "currant.h"
#include "unit.h"

/* Everything a test allocates, released at once. */
typedef struct World {
  Codebase cb;
  InputFile files[4];
  Module mods[4];
  Vec junk; /* void*: allocations to free */
} World;

static void *keep(World *w, void *p) {
  vec_push(&w->junk, p);
  return p;
}

static Module *add_module(World *w, const char *rel, Lang lang) {
  int i = w->cb.modules.len;
  w->files[i] = (InputFile){.rel = (char *)rel, .abs = (char *)rel, .lang = lang};
  w->mods[i] = (Module){.file = &w->files[i], .lang = lang, .status = MOD_OK};
  vec_push(&w->cb.modules, &w->mods[i]);
  return &w->mods[i];
}

static int add_def(World *w, Module *m, const char *qualname, int parent) {
  Def *d = keep(w, xcalloc(1, sizeof *d));
  d->kind = DEF_FUNCTION;
  d->qualname = (char *)qualname;
  d->name = (char *)qualname;
  d->parent = parent;
  vec_push(&m->defs, d);
  return m->defs.len - 1;
}

/* Pushes the NULL-terminated names onto v. */
static void names(Vec *v, const char *const *list) {
  for (; list && *list; list++) vec_push(v, (void *)*list);
}

/* A call at [start, end) of func; a site when site_id is given. */
static Call *add_call(World *w, Module *m, int func, uint32_t start, uint32_t end, const char *site_id) {
  Call *c = keep(w, xcalloc(1, sizeof *c));
  c->func = func;
  c->span = (Span){start, end};
  c->text = (char *)"f";
  c->target_module = -1;
  c->target_def = -1;
  c->site_index = site_id ? m->nsites++ : -1;
  c->site_id = (char *)site_id;
  vec_push(&m->calls, c);
  return c;
}

static Assign *add_assign(World *w, Module *m, int func, uint32_t pos, const char *const *targets,
                          const char *const *sources) {
  Assign *a = keep(w, xcalloc(1, sizeof *a));
  a->func = func;
  a->pos = pos;
  names(&a->targets, targets);
  names(&a->sources, sources);
  vec_push(&m->assigns, a);
  return a;
}

static void world_free(World *w) {
  for (int i = 0; i < w->cb.modules.len; i++) {
    Module *m = &w->mods[i];
    for (int j = 0; j < m->defs.len; j++) vec_free(&((Def *)m->defs.items[j])->locals);
    for (int j = 0; j < m->calls.len; j++) {
      Call *c = m->calls.items[j];
      vec_free(&c->uses), vec_free(&c->assigned);
    }
    for (int j = 0; j < m->assigns.len; j++) {
      Assign *a = m->assigns.items[j];
      vec_free(&a->targets), vec_free(&a->sources);
    }
    for (int j = 0; j < m->imports.len; j++) free(m->imports.items[j]);
    vec_free(&m->defs), vec_free(&m->calls), vec_free(&m->assigns), vec_free(&m->imports);
  }
  for (int i = 0; i < w->junk.len; i++) free(w->junk.items[i]);
  vec_free(&w->junk);
  vec_free(&w->cb.modules);
}

/* True if g has the edge. */
static bool has_edge(const Graph *g, const char *from, const char *to, EdgeKind kind) {
  for (int i = 0; i < g->edges.len; i++) {
    const GraphEdge *e = g->edges.items[i];
    if (e->kind == kind && strcmp(e->from, from) == 0 && strcmp(e->to, to) == 0) return true;
  }
  return false;
}

static int count_kind(const Graph *g, EdgeKind kind) {
  int n = 0;
  for (int i = 0; i < g->edges.len; i++) n += ((const GraphEdge *)g->edges.items[i])->kind == kind;
  return n;
}

TEST(graph_ids) {
  World w = {0};
  Module *m = add_module(&w, "app/orders.py", LANG_PYTHON);
  int f = add_def(&w, m, "Cart.total", -1);
  Call *c = add_call(&w, m, f, 0, 1, "app/orders.py:Cart.total:time.time#0");
  char *a = graph_module_id(m), *b = graph_def_id(m, m->defs.items[f]), *s = graph_site_id(c);
  CHECK_STR(a, "module:app/orders.py");
  CHECK_STR(b, "function:app/orders.py:Cart.total");
  CHECK_STR(s, "site:app/orders.py:Cart.total:time.time#0");
  free(a), free(b), free(s);
  world_free(&w);
}

TEST(graph_contains) {
  World w = {0};
  Module *m = add_module(&w, "a.py", LANG_PYTHON);
  int outer = add_def(&w, m, "outer", -1);
  add_def(&w, m, "outer.inner", outer);
  add_call(&w, m, outer, 10, 20, "a.py:outer:time.time#0");
  add_call(&w, m, -1, 30, 40, "a.py:<module>:time.time#0");
  add_call(&w, m, outer, 50, 60, NULL); /* not a site: no node */
  Graph g;
  graph_build(&w.cb, &g);
  CHECK(has_edge(&g, "module:a.py", "function:a.py:outer", EDGE_CONTAINS));
  CHECK(has_edge(&g, "function:a.py:outer", "function:a.py:outer.inner", EDGE_CONTAINS));
  CHECK(has_edge(&g, "function:a.py:outer", "site:a.py:outer:time.time#0", EDGE_CONTAINS));
  CHECK(has_edge(&g, "module:a.py", "site:a.py:<module>:time.time#0", EDGE_CONTAINS));
  CHECK_INT(g.edges.len, 4);
  graph_free(&g);
  world_free(&w);
}

TEST(graph_data_edges_through_assignments) {
  World w = {0};
  Module *m = add_module(&w, "d.py", LANG_PYTHON);
  int f = add_def(&w, m, "run", -1);
  int other = add_def(&w, m, "other", -1);
  /* before = g(x)        <- reads x before a runs: no edge
   * x = a()              <- site A binds x
   * y = x + 1            <- taints y
   * z = y                <- taints z (chain)
   * b(z)                 <- edge A -> B
   * c(q)                 <- unrelated: no edge
   * other(): d(x)        <- another function: no edge */
  Call *before = add_call(&w, m, f, 5, 9, "d.py:run:g#0");
  names(&before->uses, (const char *const[]){"x", NULL});
  add_assign(&w, m, f, 10, (const char *const[]){"x", NULL}, NULL);
  Call *a = add_call(&w, m, f, 14, 17, "d.py:run:a#0");
  names(&a->assigned, (const char *const[]){"x", NULL});
  add_assign(&w, m, f, 20, (const char *const[]){"y", NULL}, (const char *const[]){"x", NULL});
  add_assign(&w, m, f, 30, (const char *const[]){"z", NULL}, (const char *const[]){"y", NULL});
  Call *b = add_call(&w, m, f, 40, 44, "d.py:run:b#0");
  names(&b->uses, (const char *const[]){"z", NULL});
  Call *c = add_call(&w, m, f, 50, 54, "d.py:run:c#0");
  names(&c->uses, (const char *const[]){"q", NULL});
  Call *d = add_call(&w, m, other, 60, 64, "d.py:other:d#0");
  names(&d->uses, (const char *const[]){"x", NULL});
  Graph g;
  graph_build(&w.cb, &g);
  CHECK(has_edge(&g, "site:d.py:run:a#0", "site:d.py:run:b#0", EDGE_DATA));
  CHECK_INT(count_kind(&g, EDGE_DATA), 1);
  graph_free(&g);
  world_free(&w);
}

TEST(graph_data_edges_direct_and_nested_argument) {
  World w = {0};
  Module *m = add_module(&w, "n.js", LANG_JAVASCRIPT);
  /* module level:  const t = now();  log(t, other(t))
   * `other(t)` starts inside log's span but after now() ended: both depend on now. */
  Call *now = add_call(&w, m, -1, 10, 15, "n.js:<module>:now#0");
  names(&now->assigned, (const char *const[]){"t", NULL});
  Call *log = add_call(&w, m, -1, 17, 35, "n.js:<module>:log#0");
  names(&log->uses, (const char *const[]){"t", NULL});
  Call *oth = add_call(&w, m, -1, 24, 32, "n.js:<module>:other#0");
  names(&oth->uses, (const char *const[]){"t", NULL});
  /* a site reading its own result name (x = f(x)) does not depend on itself */
  Call *self = add_call(&w, m, -1, 40, 44, "n.js:<module>:f#0");
  names(&self->uses, (const char *const[]){"x", NULL});
  names(&self->assigned, (const char *const[]){"x", NULL});
  Graph g;
  graph_build(&w.cb, &g);
  CHECK(has_edge(&g, "site:n.js:<module>:now#0", "site:n.js:<module>:log#0", EDGE_DATA));
  CHECK(has_edge(&g, "site:n.js:<module>:now#0", "site:n.js:<module>:other#0", EDGE_DATA));
  CHECK_INT(count_kind(&g, EDGE_DATA), 2);
  graph_free(&g);
  world_free(&w);
}

TEST(graph_call_import_cross_lang) {
  World w = {0};
  Module *js = add_module(&w, "main.js", LANG_JAVASCRIPT);
  Module *py = add_module(&w, "tax.py", LANG_PYTHON);
  Module *util = add_module(&w, "util.js", LANG_JAVASCRIPT);
  int rate = add_def(&w, py, "rate", -1);
  int fmt = add_def(&w, util, "fmt", -1);
  int main_fn = add_def(&w, js, "main", -1);
  Call *c1 = add_call(&w, js, main_fn, 0, 5, NULL);
  c1->target_module = 1, c1->target_def = rate;
  Call *c2 = add_call(&w, js, -1, 6, 9, NULL);
  c2->target_module = 2, c2->target_def = fmt;
  Call *c3 = add_call(&w, js, -1, 10, 12, NULL);
  c3->target_module = 2, c3->target_def = 99; /* out of range: ignored, not a crash */
  Import *i1 = xcalloc(1, sizeof *i1);        /* imports are freed with their module */
  *i1 = (Import){.kind = IMPORT_MODULE, .cross_lang = true, .resolved_file = 1};
  Import *i2 = xcalloc(1, sizeof *i2);
  *i2 = (Import){.kind = IMPORT_NAME, .resolved_file = 2};
  Import *i3 = xcalloc(1, sizeof *i3);
  *i3 = (Import){.kind = IMPORT_NAME, .resolved_file = -1};
  vec_push(&js->imports, i1), vec_push(&js->imports, i2), vec_push(&js->imports, i3);
  Graph g;
  graph_build(&w.cb, &g);
  CHECK(has_edge(&g, "function:main.js:main", "function:tax.py:rate", EDGE_CALL));
  CHECK(has_edge(&g, "function:main.js:main", "function:tax.py:rate", EDGE_CROSS_LANG));
  CHECK(has_edge(&g, "module:main.js", "function:util.js:fmt", EDGE_CALL));
  CHECK(!has_edge(&g, "module:main.js", "function:util.js:fmt", EDGE_CROSS_LANG));
  CHECK(has_edge(&g, "module:main.js", "module:tax.py", EDGE_IMPORT));
  CHECK(has_edge(&g, "module:main.js", "module:tax.py", EDGE_CROSS_LANG));
  CHECK(has_edge(&g, "module:main.js", "module:util.js", EDGE_IMPORT));
  CHECK_INT(count_kind(&g, EDGE_IMPORT), 2);
  CHECK_INT(count_kind(&g, EDGE_CALL), 2);
  CHECK_INT(count_kind(&g, EDGE_CROSS_LANG), 2);
  graph_free(&g);
  world_free(&w);
}

TEST(graph_sorted_and_unique) {
  World w = {0};
  Module *m = add_module(&w, "s.py", LANG_PYTHON);
  int f = add_def(&w, m, "f", -1);
  int h = add_def(&w, m, "h", -1);
  for (int i = 0; i < 3; i++) { /* three calls to h from f: one edge */
    Call *c = add_call(&w, m, f, (uint32_t)i * 10, (uint32_t)i * 10 + 5, NULL);
    c->target_module = 0, c->target_def = h;
  }
  Call *rec = add_call(&w, m, f, 40, 45, NULL); /* f calls itself: no edge */
  rec->target_module = 0, rec->target_def = f;
  Graph g;
  graph_build(&w.cb, &g);
  CHECK_INT(count_kind(&g, EDGE_CALL), 1);
  for (int i = 1; i < g.edges.len; i++) {
    const GraphEdge *a = g.edges.items[i - 1], *b = g.edges.items[i];
    int c = strcmp(a->from, b->from);
    if (!c) c = strcmp(a->to, b->to);
    if (!c) c = (int)a->kind - (int)b->kind;
    CHECK(c < 0);
  }
  graph_free(&g);
  world_free(&w);
}
