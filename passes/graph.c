/*
 * graph.c — the edges of the computation graph in currant.graph.json.
 *
 * Nodes need no construction: they are the modules, their definitions and
 * their boundary sites, named by the id helpers below.  This pass derives
 * the edges between them from what names/link/boundaries already recorded:
 *
 *   contains   module -> top-level def, def -> nested def, def (or module)
 *              -> each boundary site in its own body
 *   call       the function (or module) making a call -> the codebase
 *              definition link resolved it to
 *   data       site A -> site B of the same function when B's arguments
 *              read a name bound from A's result, directly or through plain
 *              assignments that follow A (a forward taint, no kills: a
 *              branch may or may not rebind a name, and a missing edge would
 *              hide a dependency while an extra one only over-approximates)
 *   import     module -> codebase module it imports
 *   cross_lang call or import whose two ends are in different languages
 *
 * Edges are sorted by (from, to, kind) and deduplicated, so the manifest
 * does not depend on the order modules were processed in.
 */
#include <stdlib.h>
#include <string.h>

#include "currant.h"

char *graph_module_id(const Module *m) { return xasprintf("module:%s", m->file->rel); }

char *graph_def_id(const Module *m, const Def *d) {
  return xasprintf("function:%s:%s", m->file->rel, d->qualname);
}

char *graph_site_id(const Call *c) { return xasprintf("site:%s", c->site_id); }

/* Takes ownership of from and to. */
static void add_edge(Graph *g, char *from, char *to, EdgeKind kind) {
  if (strcmp(from, to) == 0) { /* a function calling itself is not a useful edge */
    free(from);
    free(to);
    return;
  }
  GraphEdge *e = xmalloc(sizeof *e);
  *e = (GraphEdge){.from = from, .to = to, .kind = kind};
  vec_push(&g->edges, e);
}

static bool is_site(const Call *c) { return c->site_index >= 0 && c->site_id != NULL; }

static const Def *def_at(const Module *m, int i) {
  return i >= 0 && i < m->defs.len ? m->defs.items[i] : NULL;
}

static const Module *module_at(const Codebase *cb, int i) {
  return i >= 0 && i < cb->modules.len ? cb->modules.items[i] : NULL;
}

/* The node a piece of code at func belongs to: its def, or the module. */
static char *owner_id(const Module *m, int func) {
  const Def *d = def_at(m, func);
  return d ? graph_def_id(m, d) : graph_module_id(m);
}

static void contains_edges(const Module *m, Graph *g) {
  for (int i = 0; i < m->defs.len; i++) {
    const Def *d = m->defs.items[i];
    add_edge(g, owner_id(m, d->parent), graph_def_id(m, d), EDGE_CONTAINS);
  }
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    if (is_site(c)) add_edge(g, owner_id(m, c->func), graph_site_id(c), EDGE_CONTAINS);
  }
}

static void call_edges(const Codebase *cb, const Module *m, Graph *g) {
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    const Module *tm = module_at(cb, c->target_module);
    const Def *td = tm ? def_at(tm, c->target_def) : NULL;
    if (!td) continue;
    add_edge(g, owner_id(m, c->func), graph_def_id(tm, td), EDGE_CALL);
    if (tm->lang != m->lang) add_edge(g, owner_id(m, c->func), graph_def_id(tm, td), EDGE_CROSS_LANG);
  }
}

static void import_edges(const Codebase *cb, const Module *m, Graph *g) {
  for (int i = 0; i < m->imports.len; i++) {
    const Import *im = m->imports.items[i];
    const Module *tm = module_at(cb, im->resolved_file);
    if (!tm || tm == m) continue;
    add_edge(g, graph_module_id(m), graph_module_id(tm), EDGE_IMPORT);
    if (im->cross_lang || tm->lang != m->lang)
      add_edge(g, graph_module_id(m), graph_module_id(tm), EDGE_CROSS_LANG);
  }
}

/* ------------------------------------------------------------ data edges */

/* The sites and assignments of one function body (or the module level),
 * each in source order: data edges never cross a function boundary. */
typedef struct Body {
  Vec sites;   /* Call* */
  Vec assigns; /* Assign* */
} Body;

static bool shares_name(const Vec *names, const Vec *tainted) {
  for (int i = 0; i < names->len; i++)
    if (vec_has_str(tainted, names->items[i])) return true;
  return false;
}

static void taint_all(Vec *tainted, const Vec *names) {
  for (int i = 0; i < names->len; i++)
    if (!vec_has_str(tainted, names->items[i])) vec_push(tainted, names->items[i]);
}

/* Follows site a's result forward through the body: assignments reading a
 * tainted name taint their targets; a later site reading one depends on a.
 * Events are merged by position, an assignment first on a tie (its pos is
 * the statement start, before any call on its right-hand side). */
static void follow_site(const Body *b, const Call *a, Graph *g) {
  Vec tainted = {0};
  taint_all(&tainted, &a->assigned);
  int si = 0, ai = 0;
  while (si < b->sites.len) {
    const Call *s = b->sites.items[si];
    const Assign *as = ai < b->assigns.len ? b->assigns.items[ai] : NULL;
    if (as && as->pos <= s->span.start) {
      ai++;
      if (as->pos >= a->span.end && shares_name(&as->sources, &tainted)) taint_all(&tainted, &as->targets);
      continue;
    }
    si++;
    if (s->span.start >= a->span.end && shares_name(&s->uses, &tainted))
      add_edge(g, graph_site_id(a), graph_site_id(s), EDGE_DATA);
  }
  vec_free(&tainted);
}

static void data_edges(const Module *m, Graph *g) {
  int nbodies = m->defs.len + 1; /* slot 0: module level; slot f+1: def f */
  Body *bodies = xcalloc((size_t)nbodies, sizeof *bodies);
  for (int i = 0; i < m->calls.len; i++) {
    Call *c = m->calls.items[i];
    if (is_site(c) && c->func >= -1 && c->func < m->defs.len) vec_push(&bodies[c->func + 1].sites, c);
  }
  for (int i = 0; i < m->assigns.len; i++) {
    Assign *as = m->assigns.items[i];
    if (as->func >= -1 && as->func < m->defs.len) vec_push(&bodies[as->func + 1].assigns, as);
  }
  for (int f = 0; f < nbodies; f++) {
    for (int i = 0; i < bodies[f].sites.len; i++) {
      const Call *a = bodies[f].sites.items[i];
      if (a->assigned.len > 0) follow_site(&bodies[f], a, g);
    }
    vec_free(&bodies[f].sites);
    vec_free(&bodies[f].assigns);
  }
  free(bodies);
}

/* --------------------------------------------------------------- sorting */

static int edge_cmp(const void *pa, const void *pb) {
  const GraphEdge *a = *(GraphEdge *const *)pa, *b = *(GraphEdge *const *)pb;
  int c = strcmp(a->from, b->from);
  if (c) return c;
  c = strcmp(a->to, b->to);
  if (c) return c;
  return (a->kind > b->kind) - (a->kind < b->kind);
}

static void free_edge(GraphEdge *e) {
  free(e->from);
  free(e->to);
  free(e);
}

static void sort_unique(Graph *g) {
  if (g->edges.len == 0) return;
  qsort(g->edges.items, (size_t)g->edges.len, sizeof *g->edges.items, edge_cmp);
  int kept = 1;
  for (int i = 1; i < g->edges.len; i++) {
    if (edge_cmp(&g->edges.items[kept - 1], &g->edges.items[i]) == 0)
      free_edge(g->edges.items[i]);
    else
      g->edges.items[kept++] = g->edges.items[i];
  }
  g->edges.len = kept;
}

void graph_build(const Codebase *cb, Graph *g) {
  *g = (Graph){0};
  for (int i = 0; i < cb->modules.len; i++) {
    const Module *m = cb->modules.items[i];
    contains_edges(m, g);
    call_edges(cb, m, g);
    import_edges(cb, m, g);
    data_edges(m, g);
  }
  sort_unique(g);
}

void graph_free(Graph *g) {
  for (int i = 0; i < g->edges.len; i++) free_edge(g->edges.items[i]);
  vec_free(&g->edges);
}
