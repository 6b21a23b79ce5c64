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
 *              feeds the prompt's arguments the same way; followed per
 *              name over an index of who reads it, within a budget
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
  Vec sites;   /* Call*: its sites */
  Vec assigns; /* Assign* */
  Vec results; /* Call*: the calls whose results are followed (data_edges) */
} Body;

/* Work one module's data edges may take (names expanded, events visited).
 * The taint has no kills, so a body that chains thousands of sites through
 * assignments has edges quadratic in its sites (20,000 in one function:
 * hundreds of millions); past this the module's remaining data edges are
 * left out, with a -v note, rather than the build running for hours and
 * writing gigabytes.  The largest need in the stdlib and npm's JavaScript
 * is 339 steps (lib2to3/pgen2/conv.py). */
#define DATA_BUDGET 1000000

/* Event indices, ascending. */
typedef struct IntList {
  int *v;
  int len, cap;
} IntList;

typedef struct HeapEntry {
  int taint; /* the name's taint when pushed */
  int id;    /* name id */
} HeapEntry;

/* A site or an assignment of a body, where it is. */
typedef struct Event {
  uint32_t pos;         /* the assignment's pos or the site's start */
  int index;            /* in its body's list (sites, assigns) */
  const Call *site;     /* the site, or NULL */
  const Assign *assign; /* the assignment, or NULL */
} Event;

/* A body's events (its sites and assignments) in source order, an
 * assignment first on a tie (its pos is the statement start, before any
 * call on its right-hand side); the names they read, and per name the
 * events reading it, so that following a result visits only the events
 * its taint reaches. */
typedef struct Flow {
  Event *ev; /* in source order */
  int nev;
  const char **name;     /* per name id */
  IntList *readers;      /* per name id: the events reading it */
  int nnames, cap_names;
  int *slots; /* open addressing over name: id + 1, or 0 */
  uint32_t nslots;
  int *taint;      /* per name id: the event after which it is tainted in this follow, INT32_MAX if not */
  int *drawn;      /* per event: the stamp of the last follow that drew an edge to it */
  int stamp;       /* the follow under way */
  HeapEntry *heap; /* names to expand (heap_push) */
  int nheap, cap_heap;
  int *touched; /* name ids tainted in this follow (reset after it) */
  int ntouched;
  long budget; /* work left for the module */
} Flow;

static int flow_find(const Flow *f, const char *name) {
  if (!f->nslots) return -1;
  uint32_t h = hash_bytes(name, strlen(name)) & (f->nslots - 1);
  for (; f->slots[h]; h = (h + 1) & (f->nslots - 1))
    if (strcmp(f->name[f->slots[h] - 1], name) == 0) return f->slots[h] - 1;
  return -1;
}

static void flow_slot(Flow *f, int id) {
  uint32_t h = hash_bytes(f->name[id], strlen(f->name[id])) & (f->nslots - 1);
  while (f->slots[h]) h = (h + 1) & (f->nslots - 1);
  f->slots[h] = id + 1;
}

static int flow_add_name(Flow *f, const char *name) {
  if (f->nnames == f->cap_names) {
    f->cap_names = f->cap_names ? 2 * f->cap_names : 32;
    f->name = xrealloc(f->name, (size_t)f->cap_names * sizeof *f->name);
    f->readers = xrealloc(f->readers, (size_t)f->cap_names * sizeof *f->readers);
    free(f->slots);
    f->nslots = 2 * (uint32_t)f->cap_names;
    f->slots = xcalloc(f->nslots, sizeof *f->slots);
    for (int i = 0; i < f->nnames; i++) flow_slot(f, i);
  }
  int id = f->nnames++;
  f->name[id] = name;
  f->readers[id] = (IntList){0};
  flow_slot(f, id);
  return id;
}

/* Records that event ev reads name (events come in order). */
static void flow_read(Flow *f, const char *name, int ev) {
  int id = flow_find(f, name);
  if (id < 0) id = flow_add_name(f, name);
  IntList *l = &f->readers[id];
  if (l->len && l->v[l->len - 1] == ev) return; /* f(x, x) */
  if (l->len == l->cap) l->v = xrealloc(l->v, (size_t)(l->cap = 2 * l->cap + 4) * sizeof *l->v);
  l->v[l->len++] = ev;
}

/* Source order: by position, an assignment first on a tie. */
static int event_cmp(const void *pa, const void *pb) {
  const Event *a = pa, *b = pb;
  if (a->pos != b->pos) return a->pos < b->pos ? -1 : 1;
  if (!a->site != !b->site) return a->site ? 1 : -1;
  return a->index - b->index;
}

/* The body's events in source order.  Both lists come sorted from the
 * names pass; sorting the merge keeps positions ascending whatever a
 * names pass does, which first_event_from needs. */
static Event *body_events(const Body *b, int n) {
  Event *ev = xcalloc((size_t)n + 1, sizeof *ev);
  for (int i = 0; i < b->assigns.len; i++) {
    const Assign *as = b->assigns.items[i];
    ev[i] = (Event){.pos = as->pos, .index = i, .assign = as};
  }
  for (int i = 0; i < b->sites.len; i++) {
    const Call *s = b->sites.items[i];
    ev[b->assigns.len + i] = (Event){.pos = s->span.start, .index = i, .site = s};
  }
  qsort(ev, (size_t)n, sizeof *ev, event_cmp);
  return ev;
}

static void flow_init(Flow *f, const Body *b, long budget) {
  *f = (Flow){.nev = b->sites.len + b->assigns.len, .budget = budget};
  f->ev = body_events(b, f->nev);
  f->drawn = xcalloc((size_t)f->nev + 1, sizeof *f->drawn);
  for (int e = 0; e < f->nev; e++) {
    const Vec *reads = f->ev[e].assign ? &f->ev[e].assign->sources : &f->ev[e].site->uses;
    for (int k = 0; k < reads->len; k++) flow_read(f, reads->items[k], e);
  }
  f->taint = xmalloc(((size_t)f->nnames + 1) * sizeof *f->taint);
  for (int i = 0; i < f->nnames; i++) f->taint[i] = INT32_MAX;
  f->touched = xmalloc(((size_t)f->nnames + 1) * sizeof *f->touched);
}

static void flow_free(Flow *f) {
  for (int i = 0; i < f->nnames; i++) free(f->readers[i].v);
  free(f->readers), free(f->name), free(f->slots);
  free(f->ev), free(f->drawn);
  free(f->taint), free(f->heap), free(f->touched);
}

/* Names to expand, by taint (min first), each with the taint it was
 * pushed with: a name tainted again earlier is pushed again, and its old
 * entry is skipped when popped (see follow_result). */
static void heap_push(Flow *f, int id) {
  if (f->nheap == f->cap_heap)
    f->heap = xrealloc(f->heap, (size_t)(f->cap_heap = 2 * f->cap_heap + 16) * sizeof *f->heap);
  HeapEntry x = {f->taint[id], id};
  int i = f->nheap++;
  for (; i > 0 && f->heap[(i - 1) / 2].taint > x.taint; i = (i - 1) / 2) f->heap[i] = f->heap[(i - 1) / 2];
  f->heap[i] = x;
}

static HeapEntry heap_pop(Flow *f) {
  HeapEntry top = f->heap[0], last = f->heap[--f->nheap];
  int i = 0;
  for (int c = 1; c < f->nheap; i = c, c = 2 * c + 1) {
    if (c + 1 < f->nheap && f->heap[c + 1].taint < f->heap[c].taint) c++;
    if (f->heap[c].taint >= last.taint) break;
    f->heap[i] = f->heap[c];
  }
  if (f->nheap) f->heap[i] = last;
  return top;
}

/* Taints name for the events after index ev. */
static void taint(Flow *f, const char *name, int ev) {
  int id = flow_find(f, name);
  if (id < 0 || f->taint[id] <= ev) return; /* never read, or tainted earlier */
  if (f->taint[id] == INT32_MAX) f->touched[f->ntouched++] = id;
  f->taint[id] = ev;
  heap_push(f, id);
}

/* Index of the first event at or after byte offset pos (events are in
 * source order: calls by start, assignments by statement start). */
static int first_event_from(const Flow *f, uint32_t pos) {
  int lo = 0, hi = f->nev;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (f->ev[mid].pos < pos)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Index in l of the first event after ev. */
static int first_reader_after(const IntList *l, int ev) {
  int lo = 0, hi = l->len;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (l->v[mid] <= ev)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* An event that read a name tainted by a's result: an assignment taints
 * its targets, a site depends on a (only a prompt when prompts_only). */
static void reach(Flow *f, int e, int a_id, bool prompts_only, const int *site_ids, Graph *g) {
  const Event *ev = &f->ev[e];
  if (ev->assign) {
    const Vec *t = &ev->assign->targets;
    for (int j = 0; j < t->len; j++) taint(f, t->items[j], e);
  } else if (f->drawn[e] != f->stamp && (!prompts_only || bound_is_prompt(ev->site))) {
    f->drawn[e] = f->stamp;
    add_edge(g, a_id, site_ids[ev->site->site_index], EDGE_DATA);
  }
}

/* Follows call a's result forward through the body, from the names it is
 * assigned to (a forward taint, no kills: see the top of the file), names
 * in taint order.  a_id: the node edges start from; site_ids: the
 * module's site ids, by site index. */
static void follow_result(Flow *f, const Call *a, int a_id, bool prompts_only, const int *site_ids,
                          Graph *g) {
  f->stamp++;
  int from = first_event_from(f, a->span.end);
  for (int i = 0; i < a->assigned.len; i++) taint(f, a->assigned.items[i], from - 1);
  while (f->nheap && f->budget > 0) {
    HeapEntry h = heap_pop(f);
    if (h.taint != f->taint[h.id]) continue; /* stale: expanded with its earlier taint */
    const IntList *l = &f->readers[h.id];
    for (int k = first_reader_after(l, h.taint); k < l->len && f->budget > 0; k++, f->budget--)
      reach(f, l->v[k], a_id, prompts_only, site_ids, g);
    f->budget--;
  }
  f->nheap = 0;
  for (int i = 0; i < f->ntouched; i++) f->taint[f->touched[i]] = INT32_MAX;
  f->ntouched = 0;
}

/* all: every module's def ids (targets of plain calls); ids: m's.  The
 * results followed: each site's, and each plain call's of a user function
 * (a prompt's arguments are data: such a function feeds the prompt even
 * though calling it is not a checkpoint). */
static void data_edges(const Module *m, const ModIds *all, const ModIds *ids, Graph *g) {
  int nbodies = m->defs.len + 1; /* slot 0: module level; slot f+1: def f */
  Body *bodies = xcalloc((size_t)nbodies, sizeof *bodies);
  for (int i = 0; i < m->calls.len; i++) {
    Call *c = m->calls.items[i];
    if (c->func < -1 || c->func >= m->defs.len) continue;
    Body *b = &bodies[c->func + 1];
    if (is_site(c)) vec_push(&b->sites, c);
    if (c->assigned.len && (is_site(c) || (c->target_module >= 0 && c->target_def >= 0)))
      vec_push(&b->results, c);
  }
  for (int i = 0; i < m->assigns.len; i++) {
    Assign *as = m->assigns.items[i];
    if (as->func >= -1 && as->func < m->defs.len) vec_push(&bodies[as->func + 1].assigns, as);
  }
  long budget = DATA_BUDGET;
  for (int i = 0; i < nbodies; i++) {
    Body *b = &bodies[i];
    if (b->results.len && b->sites.len) {
      Flow f;
      flow_init(&f, b, budget);
      for (int k = 0; k < b->results.len; k++) {
        const Call *c = b->results.items[k];
        bool site = is_site(c);
        follow_result(&f, c, site ? ids->sites[c->site_index] : all[c->target_module].defs[c->target_def],
                      !site, ids->sites, g);
      }
      budget = f.budget;
      flow_free(&f);
    }
    vec_free(&b->sites), vec_free(&b->assigns), vec_free(&b->results);
  }
  if (budget <= 0)
    diag_verbose("%s: data edges past %d steps left out of the graph", m->file->rel, DATA_BUDGET);
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
