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
 *              hide a dependency while an extra one only over-approximates);
 *              also user function -> prompt when a plain call's result
 *              feeds the prompt's arguments the same way
 *   import     module -> codebase module it imports
 *   cross_lang call or import whose two ends are in different languages,
 *              and bridge site -> the function it calls
 *
 * Edges are sorted by (from, to, kind) and deduplicated, so the manifest
 * does not depend on the order modules were processed in.
 */
#include <stdlib.h>
#include <string.h>

#include "currant.h"

/* PREFIX A, or PREFIX A:B: an id built without printf (a codebase the
 * size of the stdlib has some 80,000). */
static char *join_id(const char *prefix, const char *a, const char *b) {
  size_t np = strlen(prefix), na = strlen(a), nb = b ? strlen(b) + 1 : 0;
  char *s = xmalloc(np + na + nb + 1);
  memcpy(s, prefix, np);
  memcpy(s + np, a, na);
  if (b) s[np + na] = ':', memcpy(s + np + na + 1, b, nb - 1);
  s[np + na + nb] = '\0';
  return s;
}

char *graph_module_id(const Module *m) { return join_id("module:", m->file->rel, NULL); }

char *graph_def_id(const Module *m, const Def *d) { return join_id("function:", m->file->rel, d->qualname); }

char *graph_site_id(const Call *c) { return join_id("site:", c->site_id, NULL); }

/* Node ids are built once per module, def and site (a codebase the size of
 * the stdlib has hundreds of thousands of edges, mostly between a few ids),
 * owned by Graph.ids and named by their index there. */
static int own_id(Graph *g, char *id) {
  vec_push(&g->ids, id);
  return g->ids.len - 1;
}

/* The ids of one module: its own, one per def, one per site (by site index). */
typedef struct ModIds {
  int module;
  int *defs;
  int *sites;
} ModIds;

static void add_edge(Graph *g, int from, int to, EdgeKind kind) {
  char *f = g->ids.items[from], *t = g->ids.items[to];
  if (from == to || strcmp(f, t) == 0) return; /* a function calling itself is not a useful edge */
  GraphEdge *e = xmalloc(sizeof *e);
  *e = (GraphEdge){.from = f, .to = t, .kind = kind, .from_id = from, .to_id = to};
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
static int owner_id(const Module *m, const ModIds *ids, int func) {
  return def_at(m, func) ? ids->defs[func] : ids->module;
}

static void contains_edges(const Module *m, const ModIds *ids, Graph *g) {
  for (int i = 0; i < m->defs.len; i++) {
    const Def *d = m->defs.items[i];
    add_edge(g, owner_id(m, ids, d->parent), ids->defs[i], EDGE_CONTAINS);
  }
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    if (is_site(c)) add_edge(g, owner_id(m, ids, c->func), ids->sites[c->site_index], EDGE_CONTAINS);
  }
}

/* A bridge site gets its own cross_lang edge to the function it calls. */
static void call_edges(const Codebase *cb, const ModIds *all, const Module *m, const ModIds *ids, Graph *g) {
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    const Module *tm = module_at(cb, c->target_module);
    const Def *td = tm ? def_at(tm, c->target_def) : NULL;
    if (!td) continue;
    int to = all[c->target_module].defs[c->target_def];
    add_edge(g, owner_id(m, ids, c->func), to, EDGE_CALL);
    if (tm->lang != m->lang) add_edge(g, owner_id(m, ids, c->func), to, EDGE_CROSS_LANG);
    if (tm->lang != m->lang && is_site(c)) add_edge(g, ids->sites[c->site_index], to, EDGE_CROSS_LANG);
  }
}

static void import_edges(const Codebase *cb, const ModIds *all, const Module *m, const ModIds *ids,
                         Graph *g) {
  for (int i = 0; i < m->imports.len; i++) {
    const Import *im = m->imports.items[i];
    const Module *tm = module_at(cb, im->resolved_file);
    if (!tm || tm == m) continue;
    add_edge(g, ids->module, all[im->resolved_file].module, EDGE_IMPORT);
    if (im->cross_lang || tm->lang != m->lang)
      add_edge(g, ids->module, all[im->resolved_file].module, EDGE_CROSS_LANG);
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

/* Follows call a's result forward through the body: assignments reading a
 * tainted name taint their targets; a later site reading one depends on a
 * (only a prompt when prompts_only: a is a plain call of a user function).
 * Events are merged by position, an assignment first on a tie (its pos is
 * the statement start, before any call on its right-hand side).  site_ids:
 * the module's site ids, by site index. */
static void follow_result(const Body *b, const int *site_ids, const Call *a, int a_id, bool prompts_only,
                          Graph *g) {
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
    if (prompts_only && !bound_is_prompt(s)) continue;
    if (s->span.start >= a->span.end && shares_name(&s->uses, &tainted))
      add_edge(g, a_id, site_ids[s->site_index], EDGE_DATA);
  }
  vec_free(&tainted);
}

/* A prompt's arguments are data: a user function whose result feeds one is
 * a dependency of the prompt even though calling it is not a checkpoint. */
static void function_results(const Module *m, const ModIds *all, const ModIds *ids, const Body *bodies,
                             Graph *g) {
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    if (is_site(c) || c->target_module < 0 || c->target_def < 0 || !c->assigned.len) continue;
    if (c->func >= -1 && c->func < m->defs.len)
      follow_result(&bodies[c->func + 1], ids->sites, c, all[c->target_module].defs[c->target_def], true, g);
  }
}

/* all: every module's def ids (targets of plain calls); ids: m's. */
static void data_edges(const Module *m, const ModIds *all, const ModIds *ids, Graph *g) {
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
  function_results(m, all, ids, bodies, g);
  for (int f = 0; f < nbodies; f++) {
    for (int i = 0; i < bodies[f].sites.len; i++) {
      const Call *a = bodies[f].sites.items[i];
      if (a->assigned.len > 0) follow_result(&bodies[f], ids->sites, a, ids->sites[a->site_index], false, g);
    }
    vec_free(&bodies[f].sites);
    vec_free(&bodies[f].assigns);
  }
  free(bodies);
}

/* --------------------------------------------------------------- sorting */

/* Edges sort by their ids' text.  The ids are far fewer than the edges and
 * share long prefixes, so they are sorted once and the edges compare their
 * ranks: equal text, equal rank (a def redefined under one qualname). */
static int id_cmp(const void *pa, const void *pb, void *arg) {
  char *const *ids = arg;
  return strcmp(ids[*(const int *)pa], ids[*(const int *)pb]);
}

static int *id_ranks(const Graph *g) {
  int n = g->ids.len;
  int *order = xmalloc(((size_t)n + 1) * sizeof *order), *rank = xmalloc(((size_t)n + 1) * sizeof *rank);
  for (int i = 0; i < n; i++) order[i] = i;
  qsort_r(order, (size_t)n, sizeof *order, id_cmp, g->ids.items);
  for (int k = 0, r = 0; k < n; k++) {
    if (k > 0 && id_cmp(&order[k - 1], &order[k], g->ids.items) != 0) r++;
    rank[order[k]] = r;
  }
  free(order);
  return rank;
}

static int edge_cmp(const void *pa, const void *pb, void *arg) {
  const int *rank = arg;
  const GraphEdge *a = *(GraphEdge *const *)pa, *b = *(GraphEdge *const *)pb;
  int x = rank[a->from_id], y = rank[b->from_id];
  if (x == y) x = rank[a->to_id], y = rank[b->to_id];
  if (x == y) x = (int)a->kind, y = (int)b->kind;
  return (x > y) - (x < y);
}

static void sort_unique(Graph *g) {
  if (g->edges.len == 0) return;
  int *rank = id_ranks(g);
  qsort_r(g->edges.items, (size_t)g->edges.len, sizeof *g->edges.items, edge_cmp, rank);
  int kept = 1;
  for (int i = 1; i < g->edges.len; i++) {
    if (edge_cmp(&g->edges.items[kept - 1], &g->edges.items[i], rank) == 0)
      free(g->edges.items[i]);
    else
      g->edges.items[kept++] = g->edges.items[i];
  }
  g->edges.len = kept;
  free(rank);
}

/* The ids of m's sites, by site index. */
static int *site_ids(const Module *m, Graph *g) {
  int n = 0;
  for (int c = 0; c < m->calls.len; c++) {
    const Call *call = m->calls.items[c];
    if (is_site(call) && call->site_index >= n) n = call->site_index + 1;
  }
  int *ids = xmalloc(((size_t)n + 1) * sizeof *ids);
  for (int c = 0; c < m->calls.len; c++)
    if (is_site(m->calls.items[c]))
      ids[((const Call *)m->calls.items[c])->site_index] = own_id(g, graph_site_id(m->calls.items[c]));
  return ids;
}

void graph_build(const Codebase *cb, Graph *g) {
  *g = (Graph){0};
  int n = cb->modules.len;
  ModIds *all = xcalloc((size_t)n + 1, sizeof *all);
  for (int i = 0; i < n; i++) {
    const Module *m = cb->modules.items[i];
    all[i].module = own_id(g, graph_module_id(m));
    all[i].defs = xcalloc((size_t)m->defs.len + 1, sizeof *all[i].defs);
    for (int d = 0; d < m->defs.len; d++) all[i].defs[d] = own_id(g, graph_def_id(m, m->defs.items[d]));
    all[i].sites = site_ids(m, g);
  }
  for (int i = 0; i < n; i++) {
    const Module *m = cb->modules.items[i];
    contains_edges(m, &all[i], g);
    call_edges(cb, all, m, &all[i], g);
    import_edges(cb, all, m, &all[i], g);
    data_edges(m, all, &all[i], g);
  }
  for (int i = 0; i < n; i++) free(all[i].defs), free(all[i].sites);
  free(all);
  sort_unique(g);
}

void graph_free(Graph *g) {
  for (int i = 0; i < g->edges.len; i++) free(g->edges.items[i]);
  vec_free(&g->edges);
  for (int i = 0; i < g->ids.len; i++) free(g->ids.items[i]);
  vec_free(&g->ids);
}
