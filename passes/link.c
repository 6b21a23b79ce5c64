/*
 * link.c — resolves names across the files (and languages) of a codebase.
 *
 * The names pass resolves each callee within its own file: to a local
 * definition, a builtin/global, a tracked value, or "something imported".
 * Here imports are matched to files of the codebase (Python dotted and
 * relative module names, JS relative paths with Node's extension rules,
 * and the two cross-language forms `currant.js.<path>` and "./x.py"), and
 * each call through an import is followed, re-export by re-export and
 * through the module-level aliases of the files it crosses (`now =
 * time.time`), to the definition it names.  What leaves the codebase gets
 * a canonical dotted name instead ("fs.readFileSync" whatever the alias),
 * which is what the catalogue is keyed by.  Runs after every file's names
 * pass, in two steps over the modules: each step writes only the module it
 * is given and reads only what the names pass or the step before wrote, so
 * the modules of a step may be linked in parallel (driver.c).
 */
#include "currant.h"

#include <stdlib.h>
#include <string.h>

#define MAX_REEXPORT_HOPS 16

char *canonical_module(Lang lang, const char *spec) {
  if (lang == LANG_PYTHON) return xstrdup(spec);
  if (strncmp(spec, "node:", 5) == 0) spec += 5;
  char *s = xstrdup(spec);
  for (char *p = s; *p; p++)
    if (*p == '/') *p = '.';
  return s;
}

/* `import a.b` (no alias) binds a, not a.b. */
static bool binds_top_package(const Import *imp) {
  size_t n = imp->local ? strlen(imp->local) : 0;
  return n && strncmp(imp->spec, imp->local, n) == 0 && imp->spec[n] == '.';
}

static char *import_base(const Module *m, const Import *imp) {
  switch (imp->kind) {
  case IMPORT_MODULE: {
    if (m->lang == LANG_JAVASCRIPT) return canonical_module(m->lang, imp->spec);
    /* `import a.b` binds a (the top package); `import a.b as c` binds a.b. */
    return xstrdup(binds_top_package(imp) ? imp->local : imp->spec);
  }
  case IMPORT_NAME: {
    char *mod = canonical_module(m->lang, imp->spec);
    char *s = xasprintf("%s.%s", mod, imp->name);
    free(mod);
    return s;
  }
  case IMPORT_DEFAULT:
  case IMPORT_STAR: return canonical_module(m->lang, imp->spec); /* star: path starts with the name */
  }
  return NULL;
}

/* A Python builtin reached through its module (`from builtins import open
 * as bltn_open`, as tarfile does; `builtins.input()`) is the builtin: the
 * catalogue and value origins know it by its plain name. */
static char *drop_builtins_prefix(char *name) {
  if (name && strncmp(name, "builtins.", 9) == 0 && name[9]) memmove(name, name + 9, strlen(name + 9) + 1);
  return name;
}

char *ref_external_name(const Module *m, const Ref *r) {
  switch (r->kind) {
  case REF_GLOBAL:
  case REF_VALUE: return r->path ? xstrdup(r->path) : NULL;
  case REF_IMPORT: {
    if (r->import_index < 0 || r->import_index >= m->imports.len) return NULL;
    char *base = import_base(m, m->imports.items[r->import_index]);
    char *s = base && r->path && *r->path ? xdotjoin(base, r->path) : base;
    if (s != base) free(base);
    return m->lang == LANG_PYTHON ? drop_builtins_prefix(s) : s;
  }
  default: return NULL;
  }
}

/* ---- finding modules ---------------------------------------------------- */

/* Sorted (key, module index) pairs for binary search. */
typedef struct KeyIndex {
  const char *key;
  int index;
} KeyIndex;

typedef struct Index {
  KeyIndex *items;
  int len;
} Index;

static int cmp_key(const void *a, const void *b) {
  return strcmp(((const KeyIndex *)a)->key, ((const KeyIndex *)b)->key);
}

static int index_find(const Index *ix, const char *key) {
  KeyIndex k = {key, -1};
  KeyIndex *hit = ix->len ? bsearch(&k, ix->items, (size_t)ix->len, sizeof k, cmp_key) : NULL;
  return hit ? hit->index : -1;
}

static void index_sort(Index *ix) {
  if (ix->len) qsort(ix->items, (size_t)ix->len, sizeof *ix->items, cmp_key);
}

/* Lookup tables for the whole link: module names (Python) and rel paths (all). */
struct Linker {
  Codebase *cb;
  Index by_pyname; /* "app.orders" -> module, and its names below an import root */
  Index by_rel;    /* "app/orders.py" -> module */
  Index by_package; /* package.json "name" -> index into packages */
  Vec packages;     /* JsPackage*: the named packages holding JS modules, first of a name */
  Index *defs;     /* per module: qualname -> Def index */
};

/* Gives every Python module under import root dir (dotted) a second name
 * without it ("src.shop.orders" is also "shop.orders"), unless a module
 * already has that name: the build root first, then the roots in order,
 * as sys.path finds them.  The names point into the modules' own. */
static void add_root_names(Index *ix, const char *dotted) {
  size_t n = strlen(dotted);
  Index before = *ix;
  ix->items = xcalloc((size_t)before.len * 2 + 1, sizeof *ix->items);
  memcpy(ix->items, before.items, (size_t)before.len * sizeof *ix->items);
  for (int i = 0; i < before.len; i++) {
    const char *key = before.items[i].key;
    bool under = strncmp(key, dotted, n) == 0 && key[n] == '.' && key[n + 1];
    if (under && index_find(&before, key + n + 1) < 0)
      ix->items[ix->len++] = (KeyIndex){key + n + 1, before.items[i].index};
  }
  free(before.items);
  index_sort(ix);
}

void link_python_roots(const Codebase *cb, Vec *out, bool with_build_root) {
  const Config *cfg = cb->config;
  if (with_build_root && cb->py_root_imported) vec_push(out, ".");
  if (cfg && cfg->python_path_set) {
    for (int i = 0; i < cfg->python_path.len; i++) vec_push(out, cfg->python_path.items[i]);
    return;
  }
  bool package = false, below = false;
  for (int i = 0; i < cb->modules.len; i++) {
    const Module *m = cb->modules.items[i];
    if (m->lang != LANG_PYTHON) continue;
    package |= strcmp(m->name, "src") == 0;
    below |= strncmp(m->name, "src.", 4) == 0;
  }
  if (below && !package) vec_push(out, "src");
}

static void add_import_roots(Linker *lk) {
  Vec roots = {0};
  link_python_roots(lk->cb, &roots, false);
  for (int i = 0; i < roots.len; i++) {
    char *dotted = xstrdup(roots.items[i]);
    for (char *p = dotted; *p; p++)
      if (*p == '/') *p = '.';
    add_root_names(&lk->by_pyname, dotted);
    free(dotted);
  }
  vec_free(&roots);
}

static int cmp_package(const void *a, const void *b) {
  const JsPackage *x = *(JsPackage *const *)a, *y = *(JsPackage *const *)b;
  int c = strcmp(x->name, y->name);
  return c ? c : strcmp(x->dir, y->dir);
}

void link_js_packages(const Codebase *cb, Vec *out, bool note_duplicates) {
  Vec all = {0};
  const JsPackage *last = NULL;
  for (int i = 0; i < cb->modules.len; i++) {
    const Module *m = cb->modules.items[i];
    JsPackage *p = m->file->js_pkg;
    if (m->lang != LANG_JAVASCRIPT || !p || !p->name || p == last) continue;
    last = p;
    vec_push(&all, p);
  }
  if (all.len) qsort(all.items, (size_t)all.len, sizeof *all.items, cmp_package);
  for (int i = 0; i < all.len; i++) {
    const JsPackage *p = all.items[i], *kept = out->len ? out->items[out->len - 1] : NULL;
    if (!kept || strcmp(kept->name, p->name) != 0)
      vec_push(out, all.items[i]);
    else if (note_duplicates && kept != p && strcmp(kept->dir, p->dir) != 0)
      diag_verbose("%s/package.json and %s/package.json both name \"%s\": its imports resolve to the first",
                   *kept->dir ? kept->dir : ".", *p->dir ? p->dir : ".", p->name);
  }
  vec_free(&all);
}

/* The packages by name (sorted already). */
static void index_packages(Linker *lk) {
  link_js_packages(lk->cb, &lk->packages, true);
  Index *ix = &lk->by_package;
  ix->items = xcalloc((size_t)lk->packages.len + 1, sizeof *ix->items);
  for (int i = 0; i < lk->packages.len; i++)
    ix->items[ix->len++] = (KeyIndex){((JsPackage *)lk->packages.items[i])->name, i};
}

static void linker_init(Linker *lk, Codebase *cb) {
  int n = cb->modules.len;
  *lk = (Linker){.cb = cb};
  lk->by_pyname.items = xcalloc((size_t)n, sizeof(KeyIndex));
  lk->by_rel.items = xcalloc((size_t)n, sizeof(KeyIndex));
  lk->defs = xcalloc((size_t)n, sizeof(Index));
  for (int i = 0; i < n; i++) {
    Module *m = cb->modules.items[i];
    lk->by_rel.items[lk->by_rel.len++] = (KeyIndex){m->file->rel, i};
    if (m->lang == LANG_PYTHON) lk->by_pyname.items[lk->by_pyname.len++] = (KeyIndex){m->name, i};
    Index *d = &lk->defs[i];
    d->items = xcalloc((size_t)m->defs.len, sizeof(KeyIndex));
    for (int k = 0; k < m->defs.len; k++)
      d->items[d->len++] = (KeyIndex){((Def *)m->defs.items[k])->qualname, k};
    index_sort(d);
  }
  index_sort(&lk->by_pyname);
  index_sort(&lk->by_rel);
  add_import_roots(lk);
  index_packages(lk);
}

static void linker_free(Linker *lk) {
  for (int i = 0; i < lk->cb->modules.len; i++) free(lk->defs[i].items);
  free(lk->defs);
  free(lk->by_pyname.items);
  free(lk->by_rel.items);
  free(lk->by_package.items);
  vec_free(&lk->packages);
}

/* The package a Python module's relative imports start from. */
static char *python_package(const Module *m) {
  const char *base = strrchr(m->file->rel, '/');
  base = base ? base + 1 : m->file->rel;
  if (strcmp(base, "__init__.py") == 0) return xstrdup(m->name);
  const char *dot = strrchr(m->name, '.');
  return dot ? xstrndup(m->name, (size_t)(dot - m->name)) : xstrdup("");
}

/* Absolute dotted name of a Python import spec (resolving leading dots). */
static char *python_absolute(const Module *m, const char *spec) {
  if (spec[0] != '.') return xstrdup(spec);
  char *pkg = python_package(m);
  const char *rest = spec + 1;
  while (*rest == '.') {
    char *dot = strrchr(pkg, '.');
    if (dot)
      *dot = '\0';
    else
      pkg[0] = '\0';
    rest++;
  }
  char *abs = !*pkg ? xstrdup(rest) : !*rest ? xstrdup(pkg) : xasprintf("%s.%s", pkg, rest);
  free(pkg);
  return abs;
}

/* True if module name[0, len) of lang is one the catalogue or currant.json's
 * "boundaries" name calls of: a standard (or declared) module, never to
 * be mistaken for a file of the codebase by a guess of resolution. */
static bool names_known_module(const Linker *lk, Lang lang, const char *name, size_t len) {
  if (cat_covers_module(lang, name, len)) return true;
  const Config *cfg = lk->cb->config;
  for (int i = 0; cfg && i < cfg->boundaries[lang].len; i++) {
    const char *pattern = cfg->boundaries[lang].items[i];
    if (strncmp(pattern, name, len) == 0 && pattern[len] == '.') return true;
  }
  return false;
}

/* Module for a Python dotted name: from the root, or next to the importer
 * (a script's directory is on sys.path, so `import orders` beside it works).
 * Not beside it for a name the catalogue or currant.json knows (`import
 * time` beside a pkg/time.py): imported as part of its package, the
 * importer gets the standard module, and calling its time.time() a user
 * function would leave the clock unrecorded; the other way round, a
 * checkpoint too many records a user function's result, which is safe. */
static int find_python_module(Linker *lk, const Module *from, const char *dotted) {
  int i = index_find(&lk->by_pyname, dotted);
  if (i >= 0) return i;
  if (names_known_module(lk, LANG_PYTHON, dotted, strcspn(dotted, "."))) return -1;
  char *pkg = python_package(from);
  if (!*pkg || strchr(from->name, '.') == NULL) {
    free(pkg);
    return -1;
  }
  char *sibling = xasprintf("%s.%s", pkg, dotted);
  i = index_find(&lk->by_pyname, sibling);
  free(sibling);
  free(pkg);
  return i;
}

/* Normalizes "dir/./a/../b" style paths; NULL if it climbs above the root. */
static char *normalize_path(const char *path) {
  char *copy = xstrdup(path), *save = NULL;
  Vec parts = {0};
  for (char *seg = strtok_r(copy, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
    if (strcmp(seg, ".") == 0) continue;
    if (strcmp(seg, "..") == 0) {
      if (!parts.len) {
        vec_free(&parts);
        free(copy);
        return NULL;
      }
      parts.len--;
      continue;
    }
    vec_push(&parts, seg);
  }
  StrBuf b = {0};
  for (int i = 0; i < parts.len; i++) {
    if (i) str_puts(&b, "/");
    str_puts(&b, parts.items[i]);
  }
  vec_free(&parts);
  free(copy);
  return str_take(&b);
}

/* The module at path (relative to the root, normalised here), with
 * Node's extension and index rules; takes path. */
static int find_js_file(Linker *lk, char *path) {
  char *norm = path ? normalize_path(path) : NULL;
  free(path);
  if (!norm) return -1;
  static const char *suffixes[] = {"", ".js", ".mjs", ".cjs", "/index.js", "/index.mjs", "/index.cjs", NULL};
  int found = -1;
  for (int i = 0; suffixes[i] && found < 0; i++) {
    char *cand = xasprintf("%s%s", norm, suffixes[i]);
    found = index_find(&lk->by_rel, cand);
    free(cand);
  }
  free(norm);
  return found;
}

/* The JS module a relative spec names, from the file at from_rel ("" for
 * the root). */
static int find_js_relative(Linker *lk, const char *from_rel, const char *spec) {
  if (spec[0] != '.') return -1;
  const char *slash = strrchr(from_rel, '/');
  if (!slash) return find_js_file(lk, xstrdup(spec));
  return find_js_file(lk, xasprintf("%.*s/%s", (int)(slash - from_rel), from_rel, spec));
}

/* Bytes of the package name a bare spec starts with ("@acme/utils" of
 * "@acme/utils/clock", "lodash" of "lodash/fp"), 0 if it has none. */
static size_t package_name_len(const char *spec) {
  const char *slash = strchr(spec, '/');
  if (spec[0] == '@') slash = slash && slash[1] ? strchr(slash + 1, '/') : NULL;
  if (spec[0] == '@' && !strchr(spec, '/')) return 0;
  return slash ? (size_t)(slash - spec) : strlen(spec);
}

/* A bare spec naming a package of the codebase: the importer's own (by
 * its name, when it has "exports"), else the one of that name (a
 * workspace), through its "exports", else "main" or the path below it.
 * A name the catalogue knows (fs, crypto, child_process) is Node's; one
 * currant.json's "boundaries" name is the declared package's. */
static int find_js_package(Linker *lk, const Module *m, const char *spec) {
  size_t n = package_name_len(spec);
  /* Node's own modules win over any package of their name */
  if (!n || names_known_module(lk, LANG_JAVASCRIPT, spec, n)) return -1;
  char *name = xstrndup(spec, n);
  const JsPackage *own = m->file->js_pkg, *p = NULL;
  if (own && own->name && !strcmp(own->name, name) && pkg_has_exports(own)) p = own;
  int k = p ? -1 : index_find(&lk->by_package, name);
  if (k >= 0) p = lk->packages.items[k];
  free(name);
  if (!p) return -1;
  char *sub = spec[n] ? xasprintf(".%s", spec + n) : xstrdup(".");
  int found;
  if (pkg_has_exports(p))
    found = find_js_file(lk, pkg_exports_path(p, sub, m->esm));
  else if (!strcmp(sub, "."))
    found = find_js_file(lk, pkg_main_path(p));
  else
    found = find_js_file(lk, *p->dir ? xasprintf("%s/%s", p->dir, sub + 2) : xstrdup(sub + 2));
  free(sub);
  return found;
}

/* The module a JS import names: a relative path, a "#" import of the
 * importer's package, or a package of the codebase. */
static int find_js_module(Linker *lk, const Module *m, const char *spec) {
  if (spec[0] == '.') return find_js_relative(lk, m->file->rel, spec);
  const JsPackage *own = m->file->js_pkg;
  if (spec[0] == '#') return own ? find_js_file(lk, pkg_imports_path(own, spec, m->esm)) : -1;
  return find_js_package(lk, m, spec);
}

/* `from currant.js.pricing import quote`: the JS module pricing.{js,mjs,cjs}
 * at the root or beside the importer. */
static int find_bridged_js(Linker *lk, const Module *from, const char *spec) {
  const char *rest = spec + strlen("currant.js.");
  char *rel = xasprintf("./%s", rest);
  for (char *p = rel + 2; *p; p++)
    if (*p == '.') *p = '/';
  int i = find_js_relative(lk, from->file->rel, rel);
  if (i < 0) i = find_js_relative(lk, "", rel);
  free(rel);
  return i;
}

/* True if m's absolute import of dotted found module i by its own name
 * from the build root while m lies below it: Python finds it only with the
 * root on sys.path (a script's own directory is; a relative import needs
 * only its package), so `currant run` must put it there. */
static bool needs_build_root(const Linker *lk, const Module *m, const Import *imp, const char *dotted,
                             int i) {
  const Module *found = lk->cb->modules.items[i];
  return imp->spec[0] != '.' && strchr(m->file->rel, '/') && strcmp(found->name, dotted) == 0;
}

static int resolve_import(Linker *lk, const Module *m, Import *imp) {
  if (m->lang == LANG_JAVASCRIPT) return find_js_module(lk, m, imp->spec);
  if (strncmp(imp->spec, "currant.js.", 11) == 0) {
    imp->cross_lang = true;
    return find_bridged_js(lk, m, imp->spec);
  }
  char *abs = python_absolute(m, imp->spec);
  int i = find_python_module(lk, m, abs);
  if (i >= 0 && needs_build_root(lk, m, imp, abs, i))
    __atomic_store_n(&lk->cb->py_root_imported, true, __ATOMIC_RELAXED);
  if (i >= 0 && imp->kind == IMPORT_NAME) {
    /* `from pkg import mod` binds a submodule: from here on it is `import
     * pkg.mod as mod`, so both the import edge and calls land on pkg/mod.py. */
    const Module *pkg = lk->cb->modules.items[i];
    char *sub = xasprintf("%s.%s", pkg->name, imp->name);
    int s = index_find(&lk->by_pyname, sub);
    if (s >= 0) {
      imp->kind = IMPORT_MODULE;
      free(imp->spec);
      imp->spec = sub, sub = NULL;
      i = s;
    }
    free(sub);
  }
  free(abs);
  return i;
}

/* ---- following names to definitions ----------------------------------- */

/* A name inside a module, to be looked up: module index + dotted path. */
typedef struct Target {
  int module;     /* codebase module, -1 when the name leaves the codebase */
  int def;        /* resolved definition, -1 while unresolved */
  char *external; /* through a module's alias: the name outside the codebase ("time.time"), owned */
} Target;

static const Import *find_import_by_local(const Module *m, const char *local) {
  for (int i = m->imports.len - 1; i >= 0; i--) {
    const Import *imp = m->imports.items[i];
    if (imp->local && strcmp(imp->local, local) == 0) return imp;
  }
  return NULL;
}

static const Export *find_export(const Module *m, const char *name) {
  for (int i = 0; i < m->exports.len; i++) {
    const Export *e = m->exports.items[i];
    if (strcmp(e->name, name) == 0) return e;
  }
  return NULL;
}

static const ValueAlias *find_alias(const Module *m, const char *name) {
  for (int i = 0; i < m->aliases.len; i++) {
    const ValueAlias *a = m->aliases.items[i];
    if (strcmp(a->name, name) == 0) return a;
  }
  return NULL;
}

/* Splits "a.b.c" into head "a" and rest "b.c" (rest "" when none). */
static char *split_head(const char *path, const char **rest) {
  const char *dot = strchr(path, '.');
  *rest = dot ? dot + 1 : "";
  return dot ? xstrndup(path, (size_t)(dot - path)) : xstrdup(path);
}

static Target follow_import(Linker *lk, int mod, const Import *imp, const char *path, int hops);
static Target ref_target(Linker *lk, int mod, const Ref *r, const char *rest, int hops);

/* Follows alias a of module mod, then rest. */
static Target follow_alias(Linker *lk, int mod, const ValueAlias *a, const char *rest, int hops) {
  if (!a->external) return ref_target(lk, mod, &a->ref, rest, hops + 1);
  return (Target){-1, -1, xpathjoin(a->external, rest)};
}

/* `export * from "./x"`: a name no export of mod declares may come from
 * one of its star re-exports (the first that has it, in source order). */
static Target follow_star_exports(Linker *lk, int mod, const char *path, int hops) {
  const Module *m = lk->cb->modules.items[mod];
  for (int i = 0; i < m->imports.len; i++) {
    const Import *imp = m->imports.items[i];
    if (imp->kind != IMPORT_STAR || !imp->reexport) continue;
    Target t = follow_import(lk, mod, imp, path, hops + 1);
    if (t.def >= 0 || t.external) return t;
  }
  return (Target){mod, -1, NULL};
}

/* Looks up dotted `path` in codebase module `mod`: a definition by qualname,
 * a submodule (Python packages), or a name the module itself imports. */
static Target lookup_in_module(Linker *lk, int mod, const char *path, int hops) {
  Target none = {mod, -1, NULL};
  if (hops > MAX_REEXPORT_HOPS || !*path) return none;
  Module *m = lk->cb->modules.items[mod];
  int d = index_find(&lk->defs[mod], path);
  if (d >= 0) return (Target){mod, d, NULL};
  const char *rest;
  char *head = split_head(path, &rest);
  const ValueAlias *a;
  Target t = none;
  if (m->lang == LANG_JAVASCRIPT) {
    const Export *e = find_export(m, head);
    if (e && e->def_index >= 0 && !*rest)
      t = (Target){mod, e->def_index, NULL};
    else if (e && e->def_index >= 0) {
      char *q = xasprintf("%s.%s", ((Def *)m->defs.items[e->def_index])->qualname, rest);
      t = (Target){mod, index_find(&lk->defs[mod], q), NULL};
      free(q);
    } else if (e && e->import_index >= 0)
      t = follow_import(lk, mod, m->imports.items[e->import_index], path, hops + 1);
    else if (e && (a = find_alias(m, head)))
      t = follow_alias(lk, mod, a, rest, hops);
    else if (!e)
      t = follow_star_exports(lk, mod, path, hops);
  } else {
    char *sub = xasprintf("%s.%s", m->name, head);
    int s = index_find(&lk->by_pyname, sub);
    free(sub);
    const Import *imp = find_import_by_local(m, head);
    if (s >= 0)
      t = *rest ? lookup_in_module(lk, s, rest, hops + 1) : (Target){s, -1, NULL};
    else if (imp)
      t = follow_import(lk, mod, imp, path, hops + 1);
    else if ((a = find_alias(m, head)))
      t = follow_alias(lk, mod, a, rest, hops);
  }
  free(head);
  return t;
}

/* Follows `imp` of module `mod` for a name written `local.rest` (path). */
static Target follow_import(Linker *lk, int mod, const Import *imp, const char *path, int hops) {
  Target out = {-1, -1, NULL};
  if (imp->resolved_file < 0) return out;
  /* a cycle of re-exports or aliases: in the codebase, never defined */
  if (hops > MAX_REEXPORT_HOPS) return (Target){imp->resolved_file, -1, NULL};
  const Module *m = lk->cb->modules.items[mod];
  const char *rest;
  char *head = split_head(path, &rest);
  char *inner = NULL;
  switch (imp->kind) {
  case IMPORT_NAME: inner = *rest ? xasprintf("%s.%s", imp->name, rest) : xstrdup(imp->name); break;
  case IMPORT_DEFAULT:
    /* The default import of a CommonJS module is its module.exports. */
    if (!((Module *)lk->cb->modules.items[imp->resolved_file])->esm && *rest) inner = xstrdup(rest);
    else inner = *rest ? xasprintf("default.%s", rest) : xstrdup("default");
    break;
  case IMPORT_STAR: inner = xstrdup(path); break;
  case IMPORT_MODULE:
    if (m->lang == LANG_PYTHON && binds_top_package(imp)) {
      /* `import a.b` binds the package a: look the whole path up from there. */
      int top = index_find(&lk->by_pyname, imp->local);
      free(head);
      return top >= 0 && *rest ? lookup_in_module(lk, top, rest, hops + 1) : (Target){top, -1, NULL};
    }
    /* `require("x").f()` binds no name: the whole path is inside x. */
    inner = xstrdup(imp->local ? rest : path);
    break;
  }
  free(head);
  out =
      *inner ? lookup_in_module(lk, imp->resolved_file, inner, hops) : (Target){imp->resolved_file, -1, NULL};
  free(inner);
  return out;
}

static char *def_canonical(const Module *m, int def) {
  const Def *d = m->defs.items[def];
  return xasprintf("%s.%s", m->name, d->qualname);
}

/* Where ref r of module mod leads, followed by rest. */
static Target ref_target(Linker *lk, int mod, const Ref *r, const char *rest, int hops) {
  Module *m = lk->cb->modules.items[mod];
  Target t = {-1, -1, NULL};
  char *path = xpathjoin(r->path ? r->path : "", rest);
  if (r->kind == REF_DEF) {
    const Def *d = m->defs.items[r->def_index];
    t = (Target){mod, r->def_index, NULL};
    if (*path) {
      char *q = xdotjoin(d->qualname, path);
      t.def = index_find(&lk->defs[mod], q);
      free(q);
    }
  } else if (r->kind == REF_IMPORT) {
    const Import *imp = m->imports.items[r->import_index];
    /* A star import binds no local name: the path already starts with the name. */
    char *full = imp->local ? xpathjoin(imp->local, path) : xstrdup(path);
    if (imp->resolved_file >= 0) t = follow_import(lk, mod, imp, full, hops);
    free(full);
  }
  free(path);
  return t;
}

static void link_call(Linker *lk, int mod, Call *c) {
  Module *m = lk->cb->modules.items[mod];
  c->target_module = -1;
  c->target_def = -1;
  Target t = ref_target(lk, mod, &c->ref, "", 0);
  if (t.external) {
    c->canonical = t.external; /* through an alias of another file */
    return;
  }
  if (t.module >= 0 && t.def >= 0) {
    c->target_module = t.module;
    c->target_def = t.def;
    c->canonical = def_canonical(lk->cb->modules.items[t.module], t.def);
  } else if (t.module >= 0) {
    /* Into the codebase, but no definition by that name: say so rather than
     * count it as resolved. */
    const Module *tm = lk->cb->modules.items[t.module];
    c->target_module = t.module;
    c->ref.kind = REF_UNRESOLVED;
    free(c->ref.reason);
    c->ref.reason = xasprintf("no definition for it in %s", tm->file->rel);
  } else {
    c->canonical = ref_external_name(m, &c->ref);
  }
}

/* `c = make_client(); c.post(...)` (or `make_client().post(...)`, or
 * `self.http.post(...)` with `self.http = make_client()`) where
 * make_client is a function of another file: the names pass left the call
 * unresolved, with the call its receiver comes from (recv_call) and the
 * member path (ref.path).  When that call leads to a definition that
 * returns a value of known origin, the call is a method of it. */
static void link_member(Linker *lk, Module *m, Call *c) {
  if (c->ref.kind != REF_UNRESOLVED || c->recv_call < 0 || c->recv_call >= m->calls.len) return;
  const Call *r = m->calls.items[c->recv_call];
  if (r->target_module < 0 || r->target_def < 0) return;
  const Module *tm = lk->cb->modules.items[r->target_module];
  const Def *d = tm->defs.items[r->target_def];
  if (tm->lang != m->lang || !d->ret_origin || !c->ref.path || !*c->ref.path) return;
  char *path = xdotjoin(d->ret_origin, c->ref.path);
  free(c->ref.path), free(c->ref.reason), free(c->canonical);
  c->ref = (Ref){REF_VALUE, -1, -1, path, NULL};
  c->canonical = xstrdup(path);
}

/* `from currant.js.pricing import quote` / `import { score } from
 * "./model.py"`: the name must lead to a function the worker can call, a
 * top-level Python def or an exported JavaScript one. */
static bool bridge_name_missing(Linker *lk, int mod, const Import *imp) {
  if (imp->kind != IMPORT_NAME || !imp->local) return false;
  Target t = follow_import(lk, mod, imp, imp->local, 0);
  free(t.external);
  if (t.module < 0 || t.def < 0) return true;
  const Module *tm = lk->cb->modules.items[t.module];
  const Def *d = tm->defs.items[t.def];
  return tm->lang == LANG_PYTHON ? d->parent >= 0 : !d->exported;
}

static void link_import(Linker *lk, int mod, Import *imp) {
  const Module *m = lk->cb->modules.items[mod];
  imp->resolved_file = resolve_import(lk, m, imp);
  imp->bridge_to = NULL;
  imp->bridge_missing = false;
  if (imp->resolved_file < 0) return;
  const Module *tm = lk->cb->modules.items[imp->resolved_file];
  if (tm->lang == m->lang) return;
  imp->cross_lang = true;
  imp->bridge_to = tm;
}

Linker *link_begin(Codebase *cb) {
  Linker *lk = xcalloc(1, sizeof *lk);
  linker_init(lk, cb);
  return lk;
}

/* Notes the name outside the codebase each alias of m leads to, if any:
 * known once m's imports know their files. */
static void link_aliases(Module *m) {
  for (int i = 0; i < m->aliases.len; i++) {
    ValueAlias *a = m->aliases.items[i];
    free(a->external), a->external = NULL;
    const Import *imp = a->ref.kind == REF_IMPORT ? m->imports.items[a->ref.import_index] : NULL;
    if (a->ref.kind == REF_GLOBAL || (imp && imp->resolved_file < 0))
      a->external = ref_external_name(m, &a->ref);
  }
}

void link_imports(Linker *lk, int mod) {
  Module *m = lk->cb->modules.items[mod];
  for (int k = 0; k < m->imports.len; k++) link_import(lk, mod, m->imports.items[k]);
  link_aliases(m);
}

void link_calls(Linker *lk, int mod) {
  Module *m = lk->cb->modules.items[mod];
  for (int k = 0; k < m->imports.len; k++) {
    Import *imp = m->imports.items[k];
    if (imp->bridge_to) imp->bridge_missing = bridge_name_missing(lk, mod, imp);
  }
  if (m->status != MOD_OK) return;
  for (int k = 0; k < m->calls.len; k++) link_call(lk, mod, m->calls.items[k]);
  for (int k = 0; k < m->calls.len; k++) link_member(lk, m, m->calls.items[k]);
}

void link_end(Linker *lk) {
  linker_free(lk);
  free(lk);
}

void link_codebase(Codebase *cb) {
  Linker *lk = link_begin(cb);
  for (int i = 0; i < cb->modules.len; i++) link_imports(lk, i);
  /* Names are followed once every import knows its file (re-exports). */
  for (int i = 0; i < cb->modules.len; i++) link_calls(lk, i);
  link_end(lk);
}
