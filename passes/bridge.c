/*
 * bridge.c — what can go wrong with a call across languages, found at
 * build time (docs/BRIDGE.md): a `currant.js.X` / "./x.py" import that
 * finds no file, a name the other module does not define or export, a
 * wrong number of positional arguments, and Python keyword arguments to a
 * JavaScript function (the worker calls it positionally).  The build
 * reports these as errors (exit 1) and `currantc check` as findings, from
 * the same list.  Calls with *args, **kw or ...spread are not counted.
 */
#include "currant.h"

#include <stdlib.h>
#include <string.h>

const Module *bridge_target(const Codebase *cb, const Module *m, const Call *c) {
  if (c->form != CALL_PLAIN || c->target_module < 0 || c->target_def < 0) return NULL;
  const Module *t = cb->modules.items[c->target_module];
  const Def *d = t->defs.items[c->target_def];
  return t->lang != m->lang && d->kind == DEF_FUNCTION ? t : NULL;
}

void bridge_problem_free(BridgeProblem *p) {
  if (!p) return;
  free(p->message);
  free(p);
}

static void problem(Vec *out, const char *rule, uint32_t line, uint32_t col, int func, char *message) {
  BridgeProblem *p = xcalloc(1, sizeof *p);
  *p = (BridgeProblem){.rule = rule, .line = line, .col = col, .func = func, .message = message};
  vec_push(out, p);
}

/* ---- imports -------------------------------------------------------------- */

/* "currant.js.lib.rates" -> "lib/rates.js": the file the message names. */
static char *bridged_js_path(const char *spec) {
  char *s = xasprintf("%s.js", spec + strlen("currant.js."));
  for (char *p = s; p[3]; p++)
    if (*p == '.') *p = '/';
  return s;
}

/* `import currant.js.p` binds `currant`: nothing to put the module in. */
static bool binds_package(const Import *imp) {
  size_t n = imp->local ? strlen(imp->local) : 0;
  return imp->kind == IMPORT_MODULE && n && strncmp(imp->spec, imp->local, n) == 0 && imp->spec[n] == '.';
}

bool bridge_rewritable(const Module *m, const Import *imp) {
  return imp->bridge_to && imp->kind != IMPORT_STAR && !(m->lang == LANG_PYTHON && binds_package(imp));
}

/* Why an import into the other language cannot be rewritten, or NULL. */
static char *import_problem(const Module *m, const Import *imp) {
  const char *other = m->lang == LANG_PYTHON ? "JavaScript" : "Python";
  if (imp->resolved_file < 0 && m->lang == LANG_PYTHON) {
    char *path = bridged_js_path(imp->spec);
    char *msg = xasprintf("no module %s for %s", path, imp->spec);
    free(path);
    return msg;
  }
  if (imp->resolved_file < 0) return xasprintf("no Python module %s in the codebase", imp->spec);
  if (imp->kind == IMPORT_STAR)
    return xasprintf("cannot import * from a %s module (%s): name its functions", other, imp->spec);
  if (m->lang == LANG_PYTHON && binds_package(imp))
    return xasprintf("`import %s` binds no name for it: write `import %s as NAME`", imp->spec, imp->spec);
  if (imp->bridge_missing)
    return xasprintf("%s %s no function %s", imp->bridge_to->file->rel,
                     imp->bridge_to->lang == LANG_PYTHON ? "defines" : "exports", imp->name);
  return NULL;
}

static void import_problems(const Module *m, Vec *out) {
  for (int i = 0; i < m->imports.len; i++) {
    const Import *imp = m->imports.items[i];
    char *msg = imp->cross_lang ? import_problem(m, imp) : NULL;
    if (!msg) continue;
    problem(out, "unresolved-cross-language", imp->line, imp->col, -1, msg);
    ((BridgeProblem *)out->items[out->len - 1])->import = imp;
  }
}

/* ---- calls ---------------------------------------------------------------- */

static char *arity_text(const Def *d) {
  int lo = d->min_args, hi = d->max_args;
  if (hi < 0) return xasprintf("at least %d argument%s", lo, lo == 1 ? "" : "s");
  if (lo == hi) return xasprintf("%d argument%s", lo, lo == 1 ? "" : "s");
  return xasprintf("%d to %d arguments", lo, hi);
}

/* Wrong arguments for the bridge target t's function d, or NULL (the
 * arguments as the names pass counted them: parse_call_args). */
static char *call_problem(const Call *c, const Module *t, const Def *d) {
  if (c->args & ARGS_SPREAD) return NULL;
  int positional = (int)c->positional;
  if ((c->args & ARGS_KEYWORDS) && t->lang == LANG_JAVASCRIPT)
    return xasprintf("%s() is a JavaScript function: keyword arguments cannot reach it (%s:%u:%u)", c->text,
                     t->file->abs, d->line, d->col);
  if (positional >= d->min_args && (d->max_args < 0 || positional <= d->max_args)) return NULL;
  char *takes = arity_text(d);
  char *msg = xasprintf("%s() takes %s but %d %s given (%s:%u:%u)", c->text, takes, positional,
                        positional == 1 ? "was" : "were", t->file->abs, d->line, d->col);
  free(takes);
  return msg;
}

/* A name a module of the other language does not define, reached through a
 * namespace (`pricing.nothere()`); names imported one by one are reported
 * at their import. */
static bool unresolved_into_other(const Codebase *cb, const Module *m, const Call *c) {
  if (c->ref.kind != REF_UNRESOLVED || c->target_module < 0) return false;
  if (((const Module *)cb->modules.items[c->target_module])->lang == m->lang) return false;
  if (c->ref.import_index < 0 || c->ref.import_index >= m->imports.len) return true;
  return !((const Import *)m->imports.items[c->ref.import_index])->bridge_missing;
}

static void call_problems(const Codebase *cb, const Module *m, Vec *out) {
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    const Module *t = bridge_target(cb, m, c);
    char *msg = NULL;
    const char *rule = "bridge-arity";
    if (t) {
      msg = call_problem(c, t, t->defs.items[c->target_def]);
    } else if (unresolved_into_other(cb, m, c)) {
      const Module *tm = cb->modules.items[c->target_module];
      msg = xasprintf("%s is not defined in %s", c->text, tm->file->rel);
      rule = "unresolved-cross-language";
    }
    if (!msg) continue;
    problem(out, rule, c->line, c->col, c->func, msg);
    ((BridgeProblem *)out->items[out->len - 1])->call = c;
  }
}

static int cmp_position(const void *pa, const void *pb) {
  const BridgeProblem *a = *(BridgeProblem *const *)pa, *b = *(BridgeProblem *const *)pb;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  return (a->col > b->col) - (a->col < b->col);
}

void bridge_problems(const Codebase *cb, const Module *m, Vec *out) {
  if (m->status != MOD_OK) return;
  int from = out->len;
  import_problems(m, out);
  call_problems(cb, m, out);
  if (out->len - from > 1)
    qsort(out->items + from, (size_t)(out->len - from), sizeof *out->items, cmp_position);
}

void bridge_report(const Codebase *cb) {
  Vec all = {0};
  for (int i = 0; i < cb->modules.len; i++) {
    const Module *m = cb->modules.items[i];
    int from = all.len;
    bridge_problems(cb, m, &all);
    for (int k = from; k < all.len; k++) {
      const BridgeProblem *p = all.items[k];
      diag_report(DIAG_ERROR, m->file->abs, p->line, p->col, "%s", p->message);
    }
  }
  for (int k = 0; k < all.len; k++) bridge_problem_free(all.items[k]);
  vec_free(&all);
}

/* ---- the rewrite's async list -------------------------------------------- */

static void add_name(StrBuf *b, Vec *seen, const char *name) {
  if (vec_has_str(seen, name) || strpbrk(name, "\"\\\n")) return; /* written unescaped */
  vec_push(seen, (void *)name);
  str_printf(b, "%s\"%s\"", seen->len > 1 ? ", " : "", name);
}

char *bridge_async_list(const Module *m) {
  StrBuf b = {0};
  Vec seen = {0};
  str_puts(&b, "[");
  if (m->lang == LANG_PYTHON) {
    for (int i = 0; i < m->defs.len; i++) {
      const Def *d = m->defs.items[i];
      if (d->parent < 0 && d->kind == DEF_FUNCTION && d->is_async) add_name(&b, &seen, d->name);
    }
  } else {
    for (int i = 0; i < m->exports.len; i++) {
      const Export *e = m->exports.items[i];
      const Def *d = e->def_index >= 0 ? m->defs.items[e->def_index] : NULL;
      if (d && d->kind == DEF_FUNCTION && d->is_async) add_name(&b, &seen, e->name);
    }
  }
  str_puts(&b, "]");
  vec_free(&seen);
  return str_take(&b);
}
