/*
 * manifest.c — writes OUT/currant.graph.json, the graph of the build.
 *
 * The manifest is what the coordinator freezes a run against and what CI
 * diffs, so it must be a function of the input bytes, the config and the
 * compiler version only: no timestamps, no absolute paths, nothing that
 * depends on -j or the machine.  Modules come in the codebase's order
 * (sorted by relative path), definitions and sites in source order, edges
 * as graph.c sorted them, and every record is built with a fixed key order
 * that jansson preserves, one record per line.  docs/currant.graph.schema.json describes the
 * result and docs/MANIFEST.md explains it; change the three together.
 *
 * Strings from source files are valid UTF-8 (parse.c refuses other files),
 * but file names need not be: those are repaired with U+FFFD rather than
 * dropped, since jansson refuses invalid UTF-8.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "currant.h"

/* ------------------------------------------------------------- strings */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  size_t len = s[0] < 0x80                    ? 1
               : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
               : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                              : 0;
  if (len == 0 || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  /* overlong 3/4-byte forms, surrogates and code points past U+10FFFF */
  if (len == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))) return 0;
  if (len == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))) return 0;
  return len;
}

/* A JSON string for s (null for NULL), invalid bytes shown as U+FFFD. */
static json_t *jstr(const char *s) {
  if (!s) return json_null();
  json_t *j = json_string(s);
  if (j) return j;
  StrBuf b = {0};
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  while (n > 0) {
    size_t k = utf8_seq(p, n);
    if (k)
      str_append(&b, (const char *)p, k);
    else
      str_puts(&b, "\xEF\xBF\xBD");
    k = k ? k : 1;
    p += k, n -= k;
  }
  j = json_string(b.data ? b.data : "");
  str_free(&b);
  return j;
}

static void set_str(json_t *o, const char *key, const char *s) { json_object_set_new(o, key, jstr(s)); }
static void set_int(json_t *o, const char *key, long long v) { json_object_set_new(o, key, json_integer(v)); }
static void set_bool(json_t *o, const char *key, bool v) { json_object_set_new(o, key, json_boolean(v)); }

/* Takes ownership of s. */
static void set_own(json_t *o, const char *key, char *s) {
  set_str(o, key, s);
  free(s);
}

/* ------------------------------------------------------------- names */

static const char *lang_name(Lang l) { return l == LANG_PYTHON ? "python" : "javascript"; }

static const char *status_name(const Module *m) {
  switch (m->status) {
  case MOD_OK: return m->out_text ? "instrumented" : "unchanged";
  case MOD_SYNTAX: return "syntax-error";
  default: return "skipped";
  }
}

static const char *def_kind_name(DefKind k) {
  switch (k) {
  case DEF_CLASS: return "class";
  case DEF_METHOD: return "method";
  default: return "function";
  }
}

static const char *bound_name(BoundKind k) {
  switch (k) {
  case BOUND_STD: return "std";
  case BOUND_TASK: return "task";
  case BOUND_CATALOGUE: return "catalogue";
  case BOUND_CONFIG: return "config";
  default: return "none";
  }
}

static const char *form_name(CallForm f) {
  switch (f) {
  case CALL_NEW: return "new";
  case CALL_TAGGED: return "tagged";
  case CALL_READ: return "read";
  default: return "call";
  }
}

static const char *edge_name(EdgeKind k) {
  switch (k) {
  case EDGE_CALL: return "call";
  case EDGE_DATA: return "data";
  case EDGE_IMPORT: return "import";
  case EDGE_CROSS_LANG: return "cross_lang";
  default: return "contains";
  }
}

static const char *rel_of(const Module *m) { return m->file->rel; }

/* Qualified name of the def enclosing func, NULL at module level. */
static const char *func_name(const Module *m, int func) {
  return func >= 0 && func < m->defs.len ? ((const Def *)m->defs.items[func])->qualname : NULL;
}

static bool is_site(const Call *c) { return c->site_index >= 0 && c->site_id != NULL; }

/* --------------------------------------------------------------- files */

static json_t *file_object(const Module *m) {
  json_t *o = json_object();
  set_str(o, "path", rel_of(m));
  set_str(o, "language", lang_name(m->lang));
  set_str(o, "module", m->name);
  if (m->lang == LANG_JAVASCRIPT) set_bool(o, "esm", m->esm);
  set_str(o, "sha256", m->sha256);
  set_str(o, "status", status_name(m));
  set_int(o, "sites", m->status == MOD_OK ? m->nsites : 0);
  set_own(o, "source_map", m->source_map ? xasprintf("%s.map", rel_of(m)) : NULL);
  return o;
}

/* --------------------------------------------------------------- nodes */

static json_t *module_node(const Module *m) {
  json_t *o = json_object();
  set_own(o, "id", graph_module_id(m));
  set_str(o, "kind", "module");
  set_str(o, "file", rel_of(m));
  set_str(o, "language", lang_name(m->lang));
  set_str(o, "name", m->name);
  return o;
}

static json_t *def_node(const Module *m, const Def *d) {
  json_t *o = json_object();
  set_own(o, "id", graph_def_id(m, d));
  set_str(o, "kind", d->is_task ? "task" : "function");
  set_str(o, "def", def_kind_name(d->kind));
  set_str(o, "file", rel_of(m));
  set_str(o, "qualname", d->qualname);
  set_str(o, "name", d->name);
  set_int(o, "line", d->line);
  set_int(o, "col", d->col);
  set_bool(o, "task", d->is_task);
  set_bool(o, "async", d->is_async);
  set_bool(o, "exported", d->exported);
  json_t *arity = json_object();
  set_int(arity, "min", d->min_args);
  json_object_set_new(arity, "max", d->max_args < 0 ? json_null() : json_integer(d->max_args));
  json_object_set_new(o, "arity", arity);
  return o;
}

static json_t *str_array(const Vec *v) {
  json_t *a = json_array();
  for (int i = 0; i < v->len; i++) json_array_append_new(a, jstr(v->items[i]));
  return a;
}

static json_t *site_node(const Module *m, const Call *c) {
  json_t *o = json_object();
  set_own(o, "id", graph_site_id(c));
  set_str(o, "kind", "site");
  set_str(o, "site_id", c->site_id);
  set_int(o, "index", c->site_index);
  set_str(o, "file", rel_of(m));
  set_int(o, "line", c->line);
  set_int(o, "col", c->col);
  set_str(o, "function", func_name(m, c->func));
  set_str(o, "callee", c->text);
  set_str(o, "canonical", c->canonical);
  set_str(o, "boundary", bound_name(c->bound));
  set_str(o, "category", c->category);
  set_bool(o, "awaited", c->awaited);
  set_str(o, "form", form_name(c->form));
  json_object_set_new(o, "scope", str_array(&c->scope));
  return o;
}

/* Orders def indices by (qualname, index), to spot repeated qualnames. */
static int def_index_cmp(const void *pa, const void *pb, void *arg) {
  const Module *m = arg;
  int a = *(const int *)pa, b = *(const int *)pb;
  int c = strcmp(((const Def *)m->defs.items[a])->qualname, ((const Def *)m->defs.items[b])->qualname);
  return c ? c : (a > b) - (a < b);
}

/* dup[i] is true when an earlier def has def i's qualname: both share one
 * node id (a conditional redefinition), which is listed once, at the first. */
static bool *duplicate_defs(const Module *m) {
  int n = m->defs.len;
  bool *dup = xcalloc((size_t)n + 1, sizeof *dup);
  int *idx = xmalloc(((size_t)n + 1) * sizeof *idx);
  for (int i = 0; i < n; i++) idx[i] = i;
  qsort_r(idx, (size_t)n, sizeof *idx, def_index_cmp, (void *)m);
  for (int i = 1; i < n; i++) {
    const Def *prev = m->defs.items[idx[i - 1]], *cur = m->defs.items[idx[i]];
    if (strcmp(prev->qualname, cur->qualname) == 0) dup[idx[i]] = true;
  }
  free(idx);
  return dup;
}

/* ------------------------------------------------------------- writing */

/* The manifest is streamed: each record (a file, node, edge, unresolved
 * call) is encoded by jansson on its own line, and the document around the
 * records is written here.  A whole-document json_t for a codebase the
 * size of CPython's stdlib (hundreds of thousands of records) took far
 * more memory than the build, and one record per line keeps a CI diff of
 * two manifests to the records that changed. */
typedef struct Writer {
  StrBuf b;   /* the document so far */
  bool first; /* no record yet in the open array */
} Writer;

static int append_cb(const char *buffer, size_t size, void *data) {
  str_append(data, buffer, size);
  return 0;
}

/* Appends v compactly and releases it. */
static void put(Writer *w, json_t *v) {
  json_dump_callback(v, append_cb, &w->b, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
  json_decref(v);
}

/* `"key": ` at indent, preceded by the comma that separates it. */
static void put_key(Writer *w, const char *key, bool first, int indent) {
  str_printf(&w->b, "%s\n%*s", first ? "" : ",", indent, "");
  put(w, jstr(key));
  str_puts(&w->b, ": ");
}

static void open_array(Writer *w) {
  str_puts(&w->b, "[");
  w->first = true;
}

static void put_record(Writer *w, json_t *rec, int indent) {
  str_printf(&w->b, "%s\n%*s", w->first ? "" : ",", indent, "");
  put(w, rec);
  w->first = false;
}

static void close_array(Writer *w, int indent) {
  if (!w->first) str_printf(&w->b, "\n%*s", indent, "");
  str_puts(&w->b, "]");
}

static void module_nodes(Writer *w, const Module *m) {
  put_record(w, module_node(m), 4);
  bool *dup = duplicate_defs(m);
  for (int i = 0; i < m->defs.len; i++)
    if (!dup[i]) put_record(w, def_node(m, m->defs.items[i]), 4);
  free(dup);
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    if (is_site(c)) put_record(w, site_node(m, c), 4);
  }
}

static json_t *edge_object(const GraphEdge *e) {
  json_t *o = json_object();
  set_str(o, "from", e->from);
  set_str(o, "to", e->to);
  set_str(o, "kind", edge_name(e->kind));
  return o;
}

static json_t *unresolved_object(const Module *m, const Call *c) {
  json_t *o = json_object();
  set_int(o, "line", c->line);
  set_int(o, "col", c->col);
  set_str(o, "function", func_name(m, c->func));
  set_str(o, "callee", c->text);
  set_str(o, "reason", c->ref.reason ? c->ref.reason : "unknown");
  return o;
}

/* `"REL": [calls...]` when m has unresolved calls. */
static void module_unresolved(Writer *w, const Module *m) {
  bool open = false;
  for (int j = 0; j < m->calls.len; j++) {
    const Call *c = m->calls.items[j];
    if (c->ref.kind != REF_UNRESOLVED) continue;
    if (!open) {
      put_key(w, rel_of(m), false, 4);
      open_array(w);
      open = true;
    }
    put_record(w, unresolved_object(m, c), 6);
  }
  if (open) close_array(w, 4);
}

/* Every record of a part starts with its separating comma (the writer is
 * never "first"); the assembler drops the comma of an array's first one. */
void manifest_module_part(Module *m) {
  Writer w = {0};
  put_record(&w, file_object(m), 4);
  m->manifest_part[0] = str_take(&w.b);
  w.first = false;
  module_nodes(&w, m);
  m->manifest_part[1] = str_take(&w.b);
  module_unresolved(&w, m);
  m->manifest_part[2] = str_take(&w.b);
}

/* Appends part k of every module: the records of one array or object. */
static void put_parts(Writer *w, const Codebase *cb, int k) {
  bool first = true;
  for (int i = 0; i < cb->modules.len; i++) {
    Module *m = cb->modules.items[i];
    if (!m->manifest_part[k]) manifest_module_part(m);
    const char *p = m->manifest_part[k];
    if (!*p) continue;
    str_puts(&w->b, first ? p + 1 : p);
    first = false;
  }
  w->first = first;
}

typedef struct Stats {
  long long files, instrumented, sites, by_kind[BOUND_CONFIG + 1], calls, unresolved;
} Stats;

static void count_module(const Module *m, Stats *s) {
  s->files++;
  s->instrumented += m->status == MOD_OK && m->out_text != NULL;
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    s->calls++;
    s->unresolved += c->ref.kind == REF_UNRESOLVED;
    if (!is_site(c) || (unsigned)c->bound > BOUND_CONFIG) continue;
    s->sites++;
    s->by_kind[c->bound]++;
  }
}

static json_t *stats_object(const Codebase *cb) {
  Stats s = {0};
  for (int i = 0; i < cb->modules.len; i++) count_module(cb->modules.items[i], &s);
  json_t *o = json_object();
  set_int(o, "files", s.files);
  set_int(o, "instrumented", s.instrumented);
  json_t *sites = json_object();
  set_int(sites, "total", s.sites);
  for (BoundKind k = BOUND_STD; k <= BOUND_CONFIG; k++) set_int(sites, bound_name(k), s.by_kind[k]);
  json_object_set_new(o, "sites", sites);
  set_int(o, "calls", s.calls);
  set_int(o, "resolved_calls", s.calls - s.unresolved);
  set_int(o, "unresolved_calls", s.unresolved);
  return o;
}

static void put_header(Writer *w, const Codebase *cb) {
  str_puts(&w->b, "{");
  put_key(w, "format", true, 2);
  put(w, jstr(MANIFEST_FORMAT));
  json_t *compiler = json_object();
  set_str(compiler, "name", "currantc");
  set_str(compiler, "version", CURRANTC_VERSION);
  put_key(w, "compiler", false, 2);
  put(w, compiler);
  json_t *config = json_object();
  set_str(config, "hash", cb->config && cb->config->hash ? cb->config->hash : "");
  put_key(w, "config", false, 2);
  put(w, config);
}

static void put_document(Writer *w, const Codebase *cb, const Graph *g) {
  put_header(w, cb);
  put_key(w, "files", false, 2);
  str_puts(&w->b, "[");
  put_parts(w, cb, 0);
  close_array(w, 2);
  put_key(w, "nodes", false, 2);
  str_puts(&w->b, "[");
  put_parts(w, cb, 1);
  close_array(w, 2);
  put_key(w, "edges", false, 2);
  open_array(w);
  for (int i = 0; i < g->edges.len; i++) put_record(w, edge_object(g->edges.items[i]), 4);
  close_array(w, 2);
  put_key(w, "unresolved", false, 2);
  str_puts(&w->b, "{");
  put_parts(w, cb, 2);
  str_puts(&w->b, w->first ? "}" : "\n  }");
  put_key(w, "stats", false, 2);
  put(w, stats_object(cb));
  str_puts(&w->b, "\n}\n");
}

int manifest_write(const Codebase *cb, const Graph *g, const char *out_dir) {
  Writer w = {0};
  put_document(&w, cb, g);
  char *path = xasprintf("%s/currant.graph.json", out_dir);
  int rc = write_file_atomic(path, w.b.data, w.b.len);
  if (rc < 0) diag_report(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
  free(path);
  str_free(&w.b);
  return rc;
}
