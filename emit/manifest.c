/*
 * manifest.c — writes OUT/currant.graph.json, the graph of the build.
 *
 * The manifest is what the coordinator freezes a run against and what CI
 * diffs, so it must be a function of the input bytes, the config and the
 * compiler version only: no timestamps, no absolute paths, nothing that
 * depends on -j or the machine.  Modules come in the codebase's order
 * (sorted by relative path), definitions and sites in source order, edges
 * as graph.c sorted them, and every record is written with a fixed key
 * order, compactly (the bytes jansson's JSON_COMPACT gave, see put_body),
 * one record per line.  docs/currant.graph.schema.json describes the result
 * and docs/MANIFEST.md explains it; change the three together.
 *
 * Strings from source files are valid UTF-8 (parse.c refuses other files),
 * but file names need not be: those are repaired with U+FFFD rather than
 * dropped, so that the manifest stays valid JSON.
 */
#include <errno.h>
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

/* The JSON text of s, byte for byte what jansson's compact encoder wrote
 * (it did every record until it cost a tenth of the build): `"` and `\\`
 * and the short escapes \b \f \n \r \t, other control characters as
 * \u00XX (upper-case hex), everything else raw, including / and non-ASCII;
 * invalid UTF-8 bytes become U+FFFD.  Only the body: no quotes, so that an
 * id ("function:REL:QUALNAME") is written in pieces without being built.
 * Escaping pieces equals escaping their concatenation because every piece
 * boundary is followed by ASCII or the end (a sequence cut there is invalid
 * either way). */
static void put_body(StrBuf *b, const char *s) {
  const unsigned char *p = (const unsigned char *)s, *run = p;
  for (;;) {
    unsigned char c = *p;
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      p++;
      continue;
    }
    size_t k = c >= 0x80 ? utf8_seq(p, 4) : 0; /* NUL-terminated: utf8_seq stops at the first non-continuation byte */
    if (k) {
      p += k;
      continue;
    }
    if (p > run) str_append(b, (const char *)run, (size_t)(p - run));
    if (c == 0) return;
    char esc[8];
    const char *e = esc;
    switch (c) {
    case '"': e = "\\\""; break;
    case '\\': e = "\\\\"; break;
    case '\b': e = "\\b"; break;
    case '\f': e = "\\f"; break;
    case '\n': e = "\\n"; break;
    case '\r': e = "\\r"; break;
    case '\t': e = "\\t"; break;
    default:
      if (c >= 0x80)
        e = "\xEF\xBF\xBD";
      else
        snprintf(esc, sizeof esc, "\\u%04X", (unsigned)c);
    }
    str_puts(b, e);
    run = ++p;
  }
}

/* A JSON string for s (null for NULL). */
static void put_str(StrBuf *b, const char *s) {
  if (!s) {
    str_append(b, "null", 4);
    return;
  }
  str_append(b, "\"", 1);
  put_body(b, s);
  str_append(b, "\"", 1);
}

static void put_int(StrBuf *b, long long v) {
  char tmp[24], *e = tmp + sizeof tmp, *q = e;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do *--q = (char)('0' + u % 10); while (u /= 10);
  if (v < 0) *--q = '-';
  str_append(b, q, (size_t)(e - q));
}

static void put_bool(StrBuf *b, bool v) { str_append(b, v ? "true" : "false", v ? 4 : 5); }

/* A member: k is the literal `{"key":` or `,"key":` (keys are ASCII and
 * need no escaping), then the value. */
static void set_str(StrBuf *b, const char *k, const char *s) {
  str_puts(b, k);
  put_str(b, s);
}
static void set_int(StrBuf *b, const char *k, long long v) {
  str_puts(b, k);
  put_int(b, v);
}
static void set_bool(StrBuf *b, const char *k, bool v) {
  str_puts(b, k);
  put_bool(b, v);
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
  case BOUND_BRIDGE: return "bridge";
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

/* Node ids, as graph.c's graph_*_id build them, written without building them. */
static void put_module_id(StrBuf *b, const Module *m) {
  str_puts(b, "\"module:");
  put_body(b, rel_of(m));
  str_append(b, "\"", 1);
}

static void put_def_id(StrBuf *b, const Module *m, const Def *d) {
  str_puts(b, "\"function:");
  put_body(b, rel_of(m));
  str_append(b, ":", 1);
  put_body(b, d->qualname);
  str_append(b, "\"", 1);
}

static void put_site_id(StrBuf *b, const Call *c) {
  str_puts(b, "\"site:");
  put_body(b, c->site_id);
  str_append(b, "\"", 1);
}

/* --------------------------------------------------------------- files */

static void file_object(StrBuf *b, const Module *m) {
  set_str(b, "{\"path\":", rel_of(m));
  set_str(b, ",\"language\":", lang_name(m->lang));
  set_str(b, ",\"module\":", m->name);
  if (m->lang == LANG_JAVASCRIPT) set_bool(b, ",\"esm\":", m->esm);
  set_str(b, ",\"sha256\":", m->sha256);
  set_str(b, ",\"status\":", status_name(m));
  set_int(b, ",\"sites\":", m->status == MOD_OK ? m->nsites : 0);
  str_puts(b, ",\"source_map\":");
  if (m->source_map) {
    str_append(b, "\"", 1);
    put_body(b, rel_of(m));
    str_puts(b, ".map\"}");
  } else {
    str_puts(b, "null}");
  }
}

/* --------------------------------------------------------------- nodes */

static void module_node(StrBuf *b, const Module *m) {
  str_puts(b, "{\"id\":");
  put_module_id(b, m);
  str_puts(b, ",\"kind\":\"module\"");
  set_str(b, ",\"file\":", rel_of(m));
  set_str(b, ",\"language\":", lang_name(m->lang));
  set_str(b, ",\"name\":", m->name);
  str_append(b, "}", 1);
}

static void def_node(StrBuf *b, const Module *m, const Def *d) {
  str_puts(b, "{\"id\":");
  put_def_id(b, m, d);
  set_str(b, ",\"kind\":", d->is_task ? "task" : "function");
  set_str(b, ",\"def\":", def_kind_name(d->kind));
  set_str(b, ",\"file\":", rel_of(m));
  set_str(b, ",\"qualname\":", d->qualname);
  set_str(b, ",\"name\":", d->name);
  set_int(b, ",\"line\":", d->line);
  set_int(b, ",\"col\":", d->col);
  set_bool(b, ",\"task\":", d->is_task);
  set_bool(b, ",\"async\":", d->is_async);
  set_bool(b, ",\"exported\":", d->exported);
  set_int(b, ",\"arity\":{\"min\":", d->min_args);
  str_puts(b, ",\"max\":");
  if (d->max_args < 0)
    str_append(b, "null", 4);
  else
    put_int(b, d->max_args);
  str_append(b, "}}", 2);
}

static void str_array(StrBuf *b, const Vec *v) {
  str_append(b, "[", 1);
  for (int i = 0; i < v->len; i++) {
    if (i) str_append(b, ",", 1);
    put_str(b, v->items[i]);
  }
  str_append(b, "]", 1);
}

/* A prompt is a site of its own kind: the node an LLM answer hangs on. */
static void site_node(StrBuf *b, const Module *m, const Call *c) {
  str_puts(b, "{\"id\":");
  put_site_id(b, c);
  str_puts(b, bound_is_prompt(c) ? ",\"kind\":\"prompt\"" : ",\"kind\":\"site\"");
  set_str(b, ",\"site_id\":", c->site_id);
  set_int(b, ",\"index\":", c->site_index);
  set_str(b, ",\"file\":", rel_of(m));
  set_int(b, ",\"line\":", c->line);
  set_int(b, ",\"col\":", c->col);
  set_str(b, ",\"function\":", func_name(m, c->func));
  set_str(b, ",\"callee\":", c->text);
  set_str(b, ",\"canonical\":", c->canonical);
  set_str(b, ",\"boundary\":", bound_name(c->bound));
  set_str(b, ",\"category\":", c->category);
  set_bool(b, ",\"awaited\":", c->awaited);
  set_str(b, ",\"form\":", form_name(c->form));
  str_puts(b, ",\"scope\":");
  str_array(b, c->scope >= 0 ? m->scopes.items[c->scope] : &(Vec){0});
  if (c->bridge_to) {
    str_puts(b, ",\"target\":");
    put_def_id(b, c->bridge_to, c->bridge_to->defs.items[c->target_def]);
  }
  str_append(b, "}", 1);
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
 * call) is written compactly on its own line, and the document around the
 * records is written here.  A whole-document tree for a codebase the size
 * of CPython's stdlib (hundreds of thousands of records) took far more
 * memory than the build, and one record per line keeps a CI diff of two
 * manifests to the records that changed. */
typedef struct Writer {
  StrBuf b;     /* the document so far (with out: what is not written yet) */
  bool first;   /* no record yet in the open array */
  OutFile *out; /* the file the document streams to, or NULL (a module's part) */
} Writer;

/* Past this much, a streamed document's buffer goes to its file: the
 * manifest of a large codebase is bigger than its sources (68 MB for the
 * 31 MB stdlib), and holding it whole, doubled by the buffer's growth,
 * was a build's peak of memory. */
#define SPILL_BYTES (1u << 20)

static void spill(Writer *w, size_t at_least) {
  if (!w->out || w->b.len == 0 || w->b.len < at_least) return;
  outfile_write(w->out, w->b.data, w->b.len);
  w->b.len = 0;
  w->b.data[0] = '\0';
}

/* `"key": ` at indent, preceded by the comma that separates it. */
static void put_key(Writer *w, const char *key, bool first, int indent) {
  str_printf(&w->b, "%s\n%*s", first ? "" : ",", indent, "");
  put_str(&w->b, key);
  str_puts(&w->b, ": ");
}

static void open_array(Writer *w) {
  str_puts(&w->b, "[");
  w->first = true;
}

/* The separator and indent before a record; the caller writes the record. */
static void begin_record(Writer *w, int indent) {
  static const char spaces[] = "        ";
  spill(w, SPILL_BYTES);
  if (!w->first) str_append(&w->b, ",", 1);
  str_append(&w->b, "\n", 1);
  str_append(&w->b, spaces, (size_t)indent);
  w->first = false;
}

static void close_array(Writer *w, int indent) {
  if (!w->first) str_printf(&w->b, "\n%*s", indent, "");
  str_puts(&w->b, "]");
}

static void module_nodes(Writer *w, const Module *m) {
  begin_record(w, 4);
  module_node(&w->b, m);
  bool *dup = duplicate_defs(m);
  for (int i = 0; i < m->defs.len; i++)
    if (!dup[i]) begin_record(w, 4), def_node(&w->b, m, m->defs.items[i]);
  free(dup);
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    if (is_site(c)) begin_record(w, 4), site_node(&w->b, m, c);
  }
}

/* The JSON strings of a graph's ids, each escaped once: the edges name a
 * few ids many times over. */
typedef struct IdTexts {
  StrBuf text;  /* every id's JSON string, one after the other */
  size_t *at;   /* id i's is text[at[i], at[i + 1]) */
} IdTexts;

static void id_texts(IdTexts *t, const Graph *g) {
  *t = (IdTexts){.at = xmalloc(((size_t)g->ids.len + 1) * sizeof *t->at)};
  for (int i = 0; i < g->ids.len; i++) {
    t->at[i] = t->text.len;
    put_str(&t->text, g->ids.items[i]);
  }
  t->at[g->ids.len] = t->text.len;
}

static void put_id(StrBuf *b, const IdTexts *t, int id) {
  str_append(b, t->text.data + t->at[id], t->at[id + 1] - t->at[id]);
}

static void edge_object(StrBuf *b, const IdTexts *t, const GraphEdge *e) {
  str_puts(b, "{\"from\":");
  put_id(b, t, e->from_id);
  str_puts(b, ",\"to\":");
  put_id(b, t, e->to_id);
  set_str(b, ",\"kind\":", edge_name(e->kind));
  str_append(b, "}", 1);
}

static void put_edges(Writer *w, const Graph *g) {
  IdTexts t;
  id_texts(&t, g);
  open_array(w);
  for (int i = 0; i < g->edges.len; i++) {
    begin_record(w, 4);
    edge_object(&w->b, &t, g->edges.items[i]);
  }
  close_array(w, 2);
  str_free(&t.text);
  free(t.at);
}

static void unresolved_object(StrBuf *b, const Module *m, const Call *c) {
  set_int(b, "{\"line\":", c->line);
  set_int(b, ",\"col\":", c->col);
  set_str(b, ",\"function\":", func_name(m, c->func));
  set_str(b, ",\"callee\":", c->text);
  set_str(b, ",\"reason\":", c->ref.reason ? c->ref.reason : "unknown");
  str_append(b, "}", 1);
}

/* `"REL": [calls...]` when m has unresolved calls. */
static void module_unresolved(Writer *w, const Module *m) {
  bool open = false;
  for (int j = 0; j < m->calls.len; j++) {
    const Call *c = m->calls.items[j];
    if (c->ref.kind != REF_UNRESOLVED) continue;
    if (!open) {
      put_key(w, rel_of(m), w->first, 4);
      open_array(w);
      open = true;
    }
    begin_record(w, 6);
    unresolved_object(&w->b, m, c);
  }
  if (open) close_array(w, 4);
}

/* Writes part k of m's records to w: its file (0), its nodes (1), its
 * unresolved calls (2). */
static void module_part(Writer *w, const Module *m, int k) {
  if (k == 0) {
    begin_record(w, 4);
    file_object(&w->b, m);
  } else if (k == 1) {
    module_nodes(w, m);
  } else {
    module_unresolved(w, m);
  }
}

/* Every record of a part starts with its separating comma (the writer is
 * never "first"); the assembler drops the comma of an array's first one. */
void manifest_module_part(Module *m) {
  for (int k = 0; k < 3; k++) {
    Writer w = {0};
    module_part(&w, m, k);
    m->manifest_part[k] = str_take(&w.b);
  }
}

/* Appends part k of every module: the records of one array or object.
 * A part made beforehand (manifest_module_part, in parallel) is copied and
 * freed (all of them together are about the manifest's size, 68 MB for the
 * stdlib); a module without one has its records written here, straight
 * to the stream, so that a serial build never holds them. */
static void put_parts(Writer *w, const Codebase *cb, int k) {
  w->first = true;
  for (int i = 0; i < cb->modules.len; i++) {
    Module *m = cb->modules.items[i];
    char *p = m->manifest_part[k];
    if (!p) {
      module_part(w, m, k);
      continue;
    }
    if (*p) {
      str_puts(&w->b, w->first ? p + 1 : p);
      spill(w, SPILL_BYTES);
      w->first = false;
    }
    free(p);
    m->manifest_part[k] = NULL;
  }
}

typedef struct Stats {
  long long files, instrumented, sites, by_kind[BOUND_BRIDGE + 1], calls, unresolved;
} Stats;

static void count_module(const Module *m, Stats *s) {
  s->files++;
  s->instrumented += m->status == MOD_OK && m->out_text != NULL;
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    s->calls++;
    s->unresolved += c->ref.kind == REF_UNRESOLVED;
    if (!is_site(c) || (unsigned)c->bound > BOUND_BRIDGE) continue;
    s->sites++;
    s->by_kind[c->bound]++;
  }
}

static void stats_object(StrBuf *b, const Codebase *cb) {
  Stats s = {0};
  for (int i = 0; i < cb->modules.len; i++) count_module(cb->modules.items[i], &s);
  set_int(b, "{\"files\":", s.files);
  set_int(b, ",\"instrumented\":", s.instrumented);
  set_int(b, ",\"sites\":{\"total\":", s.sites);
  for (BoundKind k = BOUND_STD; k <= BOUND_BRIDGE; k++) {
    str_puts(b, ",\"");
    str_puts(b, bound_name(k));
    set_int(b, "\":", s.by_kind[k]);
  }
  set_int(b, "},\"calls\":", s.calls);
  set_int(b, ",\"resolved_calls\":", s.calls - s.unresolved);
  set_int(b, ",\"unresolved_calls\":", s.unresolved);
  str_append(b, "}", 1);
}

static void put_header(Writer *w, const Codebase *cb) {
  str_puts(&w->b, "{");
  put_key(w, "format", true, 2);
  put_str(&w->b, MANIFEST_FORMAT);
  put_key(w, "compiler", false, 2);
  set_str(&w->b, "{\"name\":", "currantc");
  set_str(&w->b, ",\"version\":", CURRANTC_VERSION);
  str_append(&w->b, "}", 1);
  put_key(w, "config", false, 2);
  set_str(&w->b, "{\"hash\":", cb->config && cb->config->hash ? cb->config->hash : "");
  str_puts(&w->b, ",\"python_path\":[");
  Vec roots = {0};
  link_python_roots(cb, &roots, true);
  for (int i = 0; i < roots.len; i++) {
    if (i) str_append(&w->b, ",", 1);
    put_str(&w->b, roots.items[i]);
  }
  vec_free(&roots);
  str_append(&w->b, "]}", 2);
  put_key(w, "packages", false, 2);
  str_puts(&w->b, "[");
  Vec pkgs = {0};
  link_js_packages(cb, &pkgs, false);
  for (int i = 0; i < pkgs.len; i++) {
    const JsPackage *p = pkgs.items[i];
    set_str(&w->b, i ? ",{\"name\":" : "{\"name\":", p->name);
    set_str(&w->b, ",\"dir\":", p->dir);
    str_append(&w->b, "}", 1);
  }
  vec_free(&pkgs);
  str_append(&w->b, "]", 1);
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
  put_edges(w, g);
  put_key(w, "unresolved", false, 2);
  str_puts(&w->b, "{");
  put_parts(w, cb, 2);
  str_puts(&w->b, w->first ? "}" : "\n  }");
  put_key(w, "stats", false, 2);
  stats_object(&w->b, cb);
  str_puts(&w->b, "\n}\n");
}

int manifest_write(const Codebase *cb, const Graph *g, const char *out_dir, char *digest) {
  char *path = xasprintf("%s/currant.graph.json", out_dir);
  OutFile f;
  int rc = outfile_open(&f, path, digest != NULL);
  if (rc == 0) {
    Writer w = {.out = &f};
    put_document(&w, cb, g);
    spill(&w, 0);
    str_free(&w.b);
    rc = outfile_close(&f, digest);
  }
  if (rc < 0) diag_report(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
  free(path);
  return rc;
}
