/*
 * boundaries.c — decides which calls are boundaries, numbers them and gives
 * each a stable id.
 *
 * A call is a boundary when it resolves to (in this order) a function of
 * the other language (a bridge call), a user task, the currant std API, an
 * entry of the language's catalogue, or a pattern of currant.json.  Sites are numbered in source order (the
 * index emitted in the call) and named REL:QUALNAME:CALLEE#N, N counting earlier sites with the same QUALNAME
 * and CALLEE: editing another function, or code after the site, leaves the id alone.
 */
#include "currant.h"

#include <stdlib.h>
#include <string.h>

static bool config_match(const char *pattern, const char *name) {
  size_t n = strlen(pattern);
  if (n >= 2 && strcmp(pattern + n - 2, ".*") == 0)
    return strncmp(pattern, name, n - 1) == 0 && name[n - 1] != '\0';
  return strcmp(pattern, name) == 0;
}

static const Def *target_def(const Codebase *cb, const Call *c) {
  if (c->target_module < 0 || c->target_def < 0) return NULL;
  const Module *t = cb->modules.items[c->target_module];
  return t->defs.items[c->target_def];
}

static void classify(const Codebase *cb, const Module *m, Call *c) {
  c->bound = BOUND_NONE;
  c->category = NULL;
  const Def *d = target_def(cb, c);
  /* A call into the other language goes through the bridge, whatever the
   * function is there (a task too: the worker runs it). */
  c->bridge_to = bridge_target(cb, m, c);
  if (c->bridge_to) {
    c->bound = BOUND_BRIDGE;
    c->category = "bridge";
    return;
  }
  if (d && d->is_task && c->form != CALL_READ) {
    c->bound = BOUND_TASK;
    c->category = "task";
    return;
  }
  if (!c->canonical) return;
  const CatEntry *e = d ? NULL : cat_lookup(m->lang, c->canonical, c->form);
  if (e && c->form == CALL_NEW && !(c->args & ARGS_NONE)) e = NULL; /* new Date(x) is deterministic */
  if (e) {
    c->bound = strcmp(e->category, "std") == 0 ? BOUND_STD : BOUND_CATALOGUE;
    c->category = e->category;
    return;
  }
  /* currant.json may name external calls and the codebase's own functions. */
  const Vec *extra = &cb->config->boundaries[m->lang];
  for (int i = 0; i < extra->len && c->form != CALL_READ; i++)
    if (config_match(extra->items[i], c->canonical)) {
      c->bound = BOUND_CONFIG;
      c->category = "config";
      return;
    }
}

static const char *enclosing_name(const Module *m, const Call *c) {
  return c->func < 0 ? "<module>" : ((const Def *)m->defs.items[c->func])->qualname;
}

/* A site and the qualified name of its enclosing function. */
typedef struct SiteKey {
  const char *qualname;
  Call *call;
} SiteKey;

/* Orders by (qualname, callee): 0 for sites that share an id's stem. */
static int stem_cmp(const SiteKey *a, const SiteKey *b) {
  int d = strcmp(a->qualname, b->qualname);
  return d ? d : strcmp(a->call->text, b->call->text);
}

static int site_key_cmp(const void *pa, const void *pb) {
  const SiteKey *a = pa, *b = pb;
  int d = stem_cmp(a, b);
  return d ? d : a->call->site_index - b->call->site_index;
}

/* Gives each site its stable id.  N of REL:QUALNAME:CALLEE#N counts the
 * earlier sites with the same QUALNAME and CALLEE: sorted by (qualname,
 * callee, index), each group numbers its sites in one pass (counting the
 * earlier sites for each site was quadratic: 200k sites in one generated
 * file took 210 s, now 3.2 s). */
static void name_sites(const Module *m, const Vec *sites) {
  SiteKey *keys = xcalloc((size_t)sites->len + 1, sizeof *keys);
  for (int i = 0; i < sites->len; i++) {
    Call *c = sites->items[i];
    keys[i] = (SiteKey){enclosing_name(m, c), c};
  }
  qsort(keys, (size_t)sites->len, sizeof *keys, site_key_cmp);
  int n = 0;
  for (int i = 0; i < sites->len; i++) {
    const SiteKey *k = &keys[i];
    n = i && stem_cmp(&keys[i - 1], k) == 0 ? n + 1 : 0;
    k->call->site_id = xasprintf("%s:%s:%s#%d", m->file->rel, k->qualname, k->call->text, n);
  }
  free(keys);
}

bool bound_is_prompt(const Call *c) {
  return c->bound == BOUND_STD && c->canonical &&
         (strcmp(c->canonical, "currant.prompt") == 0 || strcmp(c->canonical, "currant.prompt_async") == 0);
}

void bound_module(const Codebase *cb, Module *m) {
  m->nsites = 0;
  m->nbridges = 0;
  if (m->status != MOD_OK) return;
  for (int i = 0; i < m->imports.len; i++) m->nbridges += bridge_rewritable(m, m->imports.items[i]);
  Vec sites = {0};
  for (int i = 0; i < m->calls.len; i++) {
    Call *c = m->calls.items[i];
    c->site_index = -1;
    classify(cb, m, c);
    if (c->bound == BOUND_NONE) continue;
    c->site_index = m->nsites++;
    vec_push(&sites, c);
  }
  name_sites(m, &sites);
  vec_free(&sites);
}
