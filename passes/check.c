/*
 * check.c — the rules of `currantc check`: problems a build would not stop
 * on but a durable run would trip over, found on the analysed codebase
 * (after link and boundaries, with the parse trees still alive, nothing
 * written).  docs/CHECK.md describes each rule; the ids and default
 * severities are the table below.
 *
 *   syntax-error               error    a file that cannot be parsed or read
 *   unrecordable-boundary      warning  a site whose result the journal cannot
 *                                       encode (processes, streams, handles)
 *   nondeterminism             warning  in code a run executes: threads, id(),
 *                                       hash(), set-of-strings order, eval/exec,
 *                                       computed imports, module state assigned
 *                                       by a function that has checkpoints,
 *                                       plain async functions reaching
 *                                       checkpoints run concurrently
 *   unresolved-cross-language  error    an import or call into the other
 *                                       language that names nothing
 *   bridge-arity               error    a call into the other language with
 *                                       arguments its function cannot take
 *   task-cycle                 error    tasks that reach each other by calls
 *
 * "Code a run executes" is what is reachable from module-level code (a run
 * starts by running a module) or from a task, through resolved calls, the
 * functions named in a reachable call's arguments (callbacks, thread
 * targets) and the methods of a class a reachable call instantiates.
 *
 * Every finding gets a fingerprint that survives edits elsewhere in the
 * file: rule, relative path, enclosing function, a normalized snippet and
 * the occurrence number of that quadruple; never the line number.  Findings
 * on a line carrying `# currant: ignore[rule]` / `// currant: ignore[rule]`
 * (or under a comment-only line carrying it) are counted, not returned.
 *
 * Syntax is read with TSTreeCursor walks, one per Python file (sets) and
 * per JavaScript file (update expressions), never by C recursion.
 */
#include "currant.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SNIPPET_MAX 160

static const CheckRule rules[] = {
    {"syntax-error", DIAG_ERROR,
     "The file cannot be parsed or read: it is copied unchanged and none of its calls is checkpointed."},
    {"unrecordable-boundary", DIAG_WARNING,
     "A boundary returns a value the journal cannot record (a process, stream, handle or stat object): "
     "a run that reaches it fails there."},
    {"nondeterminism", DIAG_WARNING,
     "Code a run executes does something no checkpoint records (threads, id(), hash(), the order of a set "
     "of strings, eval/exec, computed imports, module state assigned between checkpoints, plain async "
     "functions with checkpoints run concurrently): a resumed run can diverge."},
    {"unresolved-cross-language", DIAG_ERROR,
     "An import or call into the other language names a module or function the codebase does not have."},
    {"bridge-arity", DIAG_ERROR,
     "A call into the other language passes arguments its function cannot take: too few or too many "
     "positional arguments, or Python keyword arguments to a JavaScript function."},
    {"task-cycle", DIAG_ERROR, "Tasks reach each other through calls: the task graph must be acyclic."},
    {"untracked-receiver", DIAG_WARNING,
     "A call that looks like a catalogued boundary (`mailer.send_message(...)`, "
     "`client.chat.completions.create(...)`) on a value the compiler could not follow (a parameter, a "
     "value of unknown origin): it is not a checkpoint, so a resumed run makes it again."},
    {"stale-baseline", DIAG_NOTE,
     "A baseline entry matches no current finding: refresh the baseline with --write-baseline."},
    {NULL, DIAG_NOTE, NULL},
};

const CheckRule *check_rule_table(void) { return rules; }

const CheckRule *check_rule(const char *id) {
  for (const CheckRule *r = rules; r->id; r++)
    if (strcmp(r->id, id) == 0) return r;
  return NULL;
}

/* ---- findings --------------------------------------------------------- */

typedef struct Ctx {
  const Codebase *cb;
  char *const *skip_reasons; /* per module, or NULL */
  Vec *out;                  /* Finding* */
  int *suppressed;           /* silenced by comments */
  char *cwd;                 /* for display paths */
  bool **reachable;          /* [module][def] */
  bool **checkpoints;        /* [module][def]: reaches a boundary site, itself or through resolved calls */
  Vec *owned;                /* [module]: Vec per def + 1 of Call* (slot 0: module level) */
} Ctx;

void finding_free(Finding *f) {
  if (!f) return;
  free(f->file), free(f->path), free(f->message), free(f->function), free(f->snippet), free(f->fingerprint);
  free(f);
}

/* Line starts of the module findings are being added for (one at a time:
 * the suppression check and code point columns look lines up by number). */
typedef struct Lines {
  const Module *m;  /* whose lines */
  uint32_t *starts; /* byte offset of each line */
  uint32_t n;       /* lines */
} Lines;

static __thread Lines lines;

static void lines_of(const Module *m) {
  if (lines.m == m) return;
  free(lines.starts);
  lines = (Lines){.m = m};
  uint32_t cap = 64;
  lines.starts = xmalloc(cap * sizeof *lines.starts);
  lines.starts[lines.n++] = 0;
  for (size_t i = 0; m->text && i < m->len; i++) {
    if (m->text[i] != '\n') continue;
    if (lines.n == cap) cap *= 2, lines.starts = xrealloc(lines.starts, cap * sizeof *lines.starts);
    lines.starts[lines.n++] = (uint32_t)i + 1;
  }
}

static void lines_done(void) {
  free(lines.starts);
  lines = (Lines){0};
}

/* The line'th line of text (1-based): start and length without newline. */
static const char *line_at(const Module *m, uint32_t line, size_t *len) {
  if (!m->text || line == 0) return NULL;
  lines_of(m);
  if (line > lines.n) return NULL;
  uint32_t s = lines.starts[line - 1];
  uint32_t e = line < lines.n ? lines.starts[line] - 1 : (uint32_t)m->len;
  if (s > m->len || e < s) return NULL;
  *len = e - s;
  if (*len && m->text[s + *len - 1] == '\r') (*len)--;
  return m->text + s;
}

/* Whitespace runs collapsed to one space, trimmed, capped. */
static char *normalize(const char *s, size_t n) {
  StrBuf b = {0};
  bool space = false;
  for (size_t i = 0; i < n && b.len < SNIPPET_MAX; i++) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = b.len > 0;
      continue;
    }
    if (space) str_append(&b, " ", 1), space = false;
    str_append(&b, &c, 1);
  }
  if (!b.data) str_puts(&b, "");
  return str_take(&b);
}

static char *node_snippet(const Module *m, TSNode n) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > m->len || s > e) return xstrdup("");
  return normalize(m->text + s, e - s);
}

/* True if the comment marker (# for Python; // or slash-star for JavaScript) sits
 * right before p, spaces between; *start gets where the marker begins. */
static bool directive_opens_comment(const char *line, const char *p, Lang lang, const char **start) {
  while (p > line && (p[-1] == ' ' || p[-1] == '\t')) p--;
  if (lang == LANG_PYTHON && p > line && p[-1] == '#') return *start = p - 1, true;
  if (lang == LANG_JAVASCRIPT && p - line >= 2 && (!strncmp(p - 2, "//", 2) || !strncmp(p - 2, "/*", 2)))
    return *start = p - 2, true;
  return false;
}

/* True if rule is listed by a `currant: ignore` comment in [s, s+n);
 * comment_only: the comment must be all the line holds. */
static bool comment_ignores(const char *s, size_t n, Lang lang, const char *rule, bool comment_only) {
  char *line = xstrndup(s, n);
  bool hit = false;
  const char *lead = line + strspn(line, " \t"), *start;
  for (char *p = strstr(line, "currant: ignore"); p && !hit; p = strstr(p + 1, "currant: ignore")) {
    if (!directive_opens_comment(line, p, lang, &start) || (comment_only && start != lead)) continue;
    const char *q = p + strlen("currant: ignore");
    if (*q != '[') {
      hit = *q == '\0' || *q == ' ' || *q == '\t' || *q == '*';
      continue;
    }
    const char *close = strchr(q, ']');
    if (!close) continue;
    char *list = xstrndup(q + 1, (size_t)(close - q - 1)), *save = NULL;
    for (char *t = strtok_r(list, ", \t", &save); t && !hit; t = strtok_r(NULL, ", \t", &save))
      hit = strcmp(t, rule) == 0;
    free(list);
  }
  free(line);
  return hit;
}

static bool suppressed_at(const Module *m, uint32_t line, const char *rule) {
  size_t n;
  const char *s = line ? line_at(m, line, &n) : NULL;
  if (s && comment_ignores(s, n, m->lang, rule, false)) return true;
  s = line > 1 ? line_at(m, line - 1, &n) : NULL;
  return s && comment_ignores(s, n, m->lang, rule, true);
}

/* The path to show: relative to the working directory when under it. */
static char *display_path(const Ctx *cx, const char *abs) {
  while (abs[0] == '.' && abs[1] == '/') abs += 2;
  size_t n = cx->cwd ? strlen(cx->cwd) : 0;
  if (abs[0] == '/' && n && strncmp(abs, cx->cwd, n) == 0 && abs[n] == '/') return xstrdup(abs + n + 1);
  return xstrdup(abs);
}

static const char *def_qualname(const Module *m, int d) {
  return d >= 0 && d < m->defs.len ? ((const Def *)m->defs.items[d])->qualname : "<module>";
}

/* The column in code points of byte column col on line. */
static uint32_t code_point_col(const Module *m, uint32_t line, uint32_t col) {
  size_t n;
  const char *s = line && m->text ? line_at(m, line, &n) : NULL;
  if (!s) return col;
  uint32_t cp = 1;
  for (size_t i = 0; i + 1 < col && i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) cp++;
  return cp;
}

/* Adds a finding unless a comment silences it.  Takes ownership of snippet
 * and message. */
static void add(Ctx *cx, const Module *m, const char *rule, uint32_t line, uint32_t col, int def, char *snippet,
                char *message) {
  if (m->text && suppressed_at(m, line, rule)) {
    (*cx->suppressed)++;
    free(snippet), free(message);
    return;
  }
  Finding *f = xcalloc(1, sizeof *f);
  f->rule = check_rule(rule)->id;
  f->level = check_rule(rule)->level;
  f->file = xstrdup(m->file->rel);
  f->path = display_path(cx, m->file->abs);
  f->line = line;
  f->col = col;
  f->ucol = code_point_col(m, line, col);
  f->function = xstrdup(def_qualname(m, def));
  f->snippet = snippet;
  f->message = message;
  vec_push(cx->out, f);
}

static char *call_snippet(const Module *m, const Call *c) {
  return c->node.id ? node_snippet(m, c->node) : xstrdup(c->text);
}

static void add_at_call(Ctx *cx, const Module *m, const Call *c, const char *rule, char *message) {
  add(cx, m, rule, c->line, c->col, c->func, call_snippet(m, c), message);
}

/* ---- syntax-error ----------------------------------------------------- */

static void rule_syntax(Ctx *cx, int mi) {
  const Module *m = cx->cb->modules.items[mi];
  if (m->status == MOD_SKIPPED) {
    const char *why = cx->skip_reasons && cx->skip_reasons[mi] ? cx->skip_reasons[mi] : "cannot be analysed";
    add(cx, m, "syntax-error", 0, 0, -1, xstrdup(why), xasprintf("%s: not instrumented", why));
    return;
  }
  for (int i = 0; i < m->errors.len; i++) {
    const SyntaxError *e = m->errors.items[i];
    size_t n = 0;
    const char *s = line_at(m, e->line, &n);
    char *snip = s ? normalize(s, n) : xstrdup(e->message);
    add(cx, m, "syntax-error", e->line, e->col, -1, snip,
        xasprintf("syntax error: %s (the file is copied unchanged, not instrumented)", e->message));
  }
}

/* ---- unrecordable-boundary ------------------------------------------- */

typedef struct Unrecordable {
  Lang lang;
  const char *canonical; /* resolved callee */
  const char *returns;   /* what it gives back */
  const char *instead;   /* what to use */
} Unrecordable;

static const Unrecordable unrecordable[] = {
    {LANG_PYTHON, "os.popen", "a pipe wrapper (not an io file, so not journaled as a resource)",
     "subprocess.run(..., capture_output=True, text=True).stdout"},
    {LANG_JAVASCRIPT, "fs.watch", "an FSWatcher", "a polling loop around currant.poll"},
    {LANG_JAVASCRIPT, "fs.watchFile", "a StatWatcher", "a polling loop around currant.poll"},
    {LANG_JAVASCRIPT, "fs.promises.watch", "an async iterator of events", "a polling loop around currant.poll"},
    {LANG_JAVASCRIPT, "child_process.fork", "a ChildProcess", "child_process.spawnSync"},
    {LANG_JAVASCRIPT, "http.request", "a ClientRequest", "fetch()"},
    {LANG_JAVASCRIPT, "http.get", "a ClientRequest", "fetch()"},
    {LANG_JAVASCRIPT, "https.request", "a ClientRequest", "fetch()"},
    {LANG_JAVASCRIPT, "https.get", "a ClientRequest", "fetch()"},
};

/* The arguments node of a call, or a null node. */
static TSNode call_args(const Call *c) {
  TSNode none = {0};
  if (!c->node.id) return none;
  return ts_node_child_by_field_name(c->node, "arguments", 9);
}

/* exec(cmd, (err, stdout) => ...), http.get(url, (res) => ...): what the
 * runtime records is what the callback gets (a response read whole), not
 * the ChildProcess or ClientRequest the call returns. */
static bool ends_with_function(const Call *c) {
  TSNode args = call_args(c);
  uint32_t n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
  if (n == 0) return false;
  const char *type = ts_node_type(ts_node_named_child(args, n - 1));
  return !strcmp(type, "arrow_function") || !strcmp(type, "function_expression");
}

/* The calls whose callback the runtime records (runtime-js, takesCallback). */
static bool taken_by_callback(const char *canonical) {
  static const char *const names[] = {"child_process.exec", "child_process.execFile",
                                      "http.get",           "http.request",
                                      "https.get",          "https.request"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(names[i], canonical)) return true;
  return false;
}

static void rule_unrecordable(Ctx *cx, int mi) {
  const Module *m = cx->cb->modules.items[mi];
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    if (c->site_index < 0 || !c->canonical || c->bound != BOUND_CATALOGUE) continue;
    const char *cn = c->canonical;
    for (size_t k = 0; k < sizeof unrecordable / sizeof *unrecordable; k++) {
      const Unrecordable *u = &unrecordable[k];
      if (u->lang != m->lang || strcmp(u->canonical, cn) != 0) continue;
      if (taken_by_callback(cn) && ends_with_function(c)) break;
      add_at_call(cx, m, c, "unrecordable-boundary",
                  xasprintf("'%s' returns %s, which the journal cannot record: a run fails at this "
                            "checkpoint; use %s",
                            c->text, u->returns, u->instead));
      break;
    }
  }
}

/* ---- untracked-receiver ---------------------------------------------- */

/* Method names too common to suggest a boundary alone (`d.get(k)`,
 * `q.put(x)`, `f.write(s)` on any value): a call ending in one is reported
 * only when more of its path matches (`x.chat.completions.create`). */
static const char *const generic_methods[] = {
    "get",     "put",    "post",       "patch",     "delete",     "head",  "options", "request", "send",
    "read",    "write",  "readline",   "readlines", "writelines", "open",  "close",   "stat",    "lstat",
    "exists",  "touch",  "replace",    "rename",    "glob",       "owner", "group",   "chmod",   "readlink",
    "is_file", "is_dir", "is_symlink", "question",  "mkdir",      "rmdir", "unlink",
};

static bool is_generic_method(const char *name) {
  for (size_t i = 0; i < sizeof generic_methods / sizeof *generic_methods; i++)
    if (!strcmp(generic_methods[i], name)) return true;
  return false;
}

/* A dotted path of names (`self.db.execute`), nothing else (no call, no
 * subscript): what a receiver the compiler could have followed looks like. */
static bool is_member_path(const char *s) {
  if (!strchr(s, '.')) return false;
  for (; *s; s++)
    if (!(*s == '.' || *s == '_' || *s == '$' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9')))
      return false;
  return true;
}

/* Origins whose runtime journals even the calls no site runs: statements
 * on a sqlite3 connection made at a checkpoint (docs/DATABASES.md). */
static bool covered_at_runtime(const char *pattern) { return !strncmp(pattern, "<sqlite3.", 9); }

/* The origins with a method `tail` ("<sqlite3.Connection>, <sqlite3.Cursor>"
 * in buf, up to 3 of them), and the classes to annotate with ("sqlite3.Connection
 * or sqlite3.Cursor" in cls; empty when one is not a class).  False when
 * none is left once those the runtime covers are dropped. */
static bool member_origins(Lang lang, const char *tail, StrBuf *buf, StrBuf *cls) {
  int n = 0;
  bool classes = true;
  for (const CatEntry *e = cat_member(lang, tail, NULL); e && n < 3; e = cat_member(lang, tail, e)) {
    if (covered_at_runtime(e->pattern)) continue;
    int olen = (int)(strchr(e->pattern, '>') - e->pattern) + 1;
    str_printf(buf, "%s%.*s", n ? " or " : "", olen, e->pattern);
    classes &= memchr(e->pattern, '.', (size_t)olen) != NULL;
    str_printf(cls, "%s%.*s", n ? " or " : "", olen - 2, e->pattern + 1);
    n++;
  }
  if (!classes) str_free(cls);
  return n > 0;
}

/* The part of a member path after its receiver that the catalogue knows as
 * an origin's method (`chat.completions.create` of `self.ai.chat.completions.create`),
 * the longest; NULL if none. */
static const char *known_member(Lang lang, const char *path) {
  for (const char *dot = strchr(path, '.'); dot; dot = strchr(dot + 1, '.'))
    if (cat_member(lang, dot + 1, NULL)) return dot + 1;
  return NULL;
}

static void rule_untracked(Ctx *cx, int mi) {
  const Module *m = cx->cb->modules.items[mi];
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    if (c->site_index >= 0 || c->ref.kind != REF_UNRESOLVED || !c->text || !is_member_path(c->text)) continue;
    const char *tail = known_member(m->lang, c->text);
    if (!tail || (!strchr(tail, '.') && is_generic_method(tail))) continue;
    StrBuf origins = {0}, classes = {0};
    char *receiver = xstrndup(c->text, (size_t)(tail - 1 - c->text));
    if (member_origins(m->lang, tail, &origins, &classes)) {
      char *advice = m->lang == LANG_PYTHON && classes.len && !strchr(receiver, '.')
                         ? xasprintf("annotate it (%s: %s) or bind it from the call that makes it", receiver,
                                     classes.data)
                         : xstrdup("bind it from the call that makes it, where the compiler can follow it");
      add_at_call(cx, m, c, "untracked-receiver",
                  xasprintf("'%s' looks like %s.%s, but what '%s' holds is not known here: it is not a "
                            "checkpoint, so a resumed run makes this call again; %s",
                            c->text, origins.data, tail, receiver, advice));
      free(advice);
    }
    free(receiver);
    str_free(&origins);
    str_free(&classes);
  }
}

/* ---- reachability ----------------------------------------------------- */

/* The function a piece of code at def index d runs in: class bodies run
 * with their enclosing function (or the module). */
static int owner_of(const Module *m, int d) {
  while (d >= 0 && d < m->defs.len && ((const Def *)m->defs.items[d])->kind == DEF_CLASS)
    d = ((const Def *)m->defs.items[d])->parent;
  return d >= 0 && d < m->defs.len ? d : -1;
}

typedef struct Work {
  int *mod, *def; /* pending (module, def) pairs */
  int len, cap;
} Work;

/* Sets flags[mi][d] and queues (mi, d) the first time. */
static void mark_in(bool **flags, Work *w, int mi, int d) {
  if (mi < 0 || d < 0 || flags[mi][d]) return;
  flags[mi][d] = true;
  if (w->len == w->cap) {
    w->cap = w->cap ? w->cap * 2 : 64;
    w->mod = xrealloc(w->mod, (size_t)w->cap * sizeof *w->mod);
    w->def = xrealloc(w->def, (size_t)w->cap * sizeof *w->def);
  }
  w->mod[w->len] = mi, w->def[w->len] = d, w->len++;
}

static void mark(Ctx *cx, Work *w, int mi, int d) { mark_in(cx->reachable, w, mi, d); }

/* Defs of m a call names in its arguments (callbacks, thread targets). */
static void mark_named(Ctx *cx, Work *w, int mi, const Call *c, int owner) {
  const Module *m = cx->cb->modules.items[mi];
  for (int u = 0; u < c->uses.len; u++)
    for (int d = 0; d < m->defs.len; d++) {
      const Def *def = m->defs.items[d];
      if ((def->parent == -1 || def->parent == owner) && strcmp(def->name, c->uses.items[u]) == 0)
        mark(cx, w, mi, d);
    }
}

static void follow_calls(Ctx *cx, Work *w, int mi, const Vec *calls, int owner) {
  for (int i = 0; i < calls->len; i++) {
    const Call *c = calls->items[i];
    mark(cx, w, c->target_module, c->target_def);
    mark_named(cx, w, mi, c, owner);
  }
}

/* A reachable class makes its methods reachable (obj.m() is not resolved). */
static void follow_class(Ctx *cx, Work *w, int mi, int d) {
  const Module *m = cx->cb->modules.items[mi];
  for (int k = 0; k < m->defs.len; k++)
    if (((const Def *)m->defs.items[k])->parent == d) mark(cx, w, mi, k);
}

static void compute_reachable(Ctx *cx) {
  const Vec *mods = &cx->cb->modules;
  Work w = {0};
  for (int mi = 0; mi < mods->len; mi++) {
    const Module *m = mods->items[mi];
    for (int d = 0; d < m->defs.len; d++)
      if (((const Def *)m->defs.items[d])->is_task) mark(cx, &w, mi, d);
    follow_calls(cx, &w, mi, cx->owned[mi].items[0], -1);
  }
  while (w.len) {
    w.len--;
    int mi = w.mod[w.len], d = w.def[w.len];
    const Module *m = mods->items[mi];
    if (((const Def *)m->defs.items[d])->kind == DEF_CLASS) follow_class(cx, &w, mi, d);
    else follow_calls(cx, &w, mi, cx->owned[mi].items[d + 1], d);
  }
  free(w.mod), free(w.def);
}

/* Calls per owning function: owned[mi].items[d + 1] is a Vec* of Call*. */
static void index_calls(Ctx *cx) {
  const Vec *mods = &cx->cb->modules;
  cx->owned = xcalloc((size_t)mods->len + 1, sizeof *cx->owned);
  cx->reachable = xcalloc((size_t)mods->len + 1, sizeof *cx->reachable);
  cx->checkpoints = xcalloc((size_t)mods->len + 1, sizeof *cx->checkpoints);
  for (int mi = 0; mi < mods->len; mi++) {
    const Module *m = mods->items[mi];
    cx->reachable[mi] = xcalloc((size_t)m->defs.len + 1, sizeof **cx->reachable);
    cx->checkpoints[mi] = xcalloc((size_t)m->defs.len + 1, sizeof **cx->checkpoints);
    for (int d = 0; d <= m->defs.len; d++) vec_push(&cx->owned[mi], xcalloc(1, sizeof(Vec)));
    for (int i = 0; i < m->calls.len; i++) {
      Call *c = m->calls.items[i];
      int o = c->func < 0 ? -1 : (((const Def *)m->defs.items[c->func])->kind == DEF_CLASS ? owner_of(m, c->func)
                                                                                          : c->func);
      vec_push(cx->owned[mi].items[o + 1], c);
    }
  }
}

static void free_index(Ctx *cx) {
  for (int mi = 0; mi < cx->cb->modules.len; mi++) {
    for (int d = 0; d < cx->owned[mi].len; d++) {
      vec_free(cx->owned[mi].items[d]);
      free(cx->owned[mi].items[d]);
    }
    vec_free(&cx->owned[mi]);
    free(cx->reachable[mi]), free(cx->checkpoints[mi]);
  }
  free(cx->owned), free(cx->reachable), free(cx->checkpoints);
}

/* checkpoints[mi][d]: def d has a boundary site or calls (resolved) a def
 * that does, however deep.  From the defs with a site of their own back
 * along the resolved calls, each def once: linear, where sweeping until
 * nothing changed was quadratic on a long chain of generated functions. */
static void compute_checkpoints(Ctx *cx) {
  const Vec *mods = &cx->cb->modules;
  Vec *callers =
      xcalloc((size_t)mods->len + 1, sizeof *callers); /* [module]: per def, Vec of (mi, d) pairs */
  Work w = {0};
  for (int mi = 0; mi < mods->len; mi++) {
    const Module *m = mods->items[mi];
    for (int d = 0; d <= m->defs.len; d++) vec_push(&callers[mi], xcalloc(1, sizeof(Vec)));
  }
  for (int mi = 0; mi < mods->len; mi++) {
    const Module *m = mods->items[mi];
    for (int d = 0; d < m->defs.len; d++) {
      const Vec *calls = cx->owned[mi].items[d + 1];
      for (int i = 0; i < calls->len; i++) {
        const Call *c = calls->items[i];
        if (c->site_index >= 0) mark_in(cx->checkpoints, &w, mi, d);
        if (c->target_module < 0 || c->target_def < 0) continue;
        Vec *in = callers[c->target_module].items[c->target_def];
        vec_push(in, (void *)(intptr_t)mi), vec_push(in, (void *)(intptr_t)d);
      }
    }
  }
  while (w.len) {
    w.len--;
    const Vec *in = callers[w.mod[w.len]].items[w.def[w.len]];
    for (int k = 0; k + 1 < in->len; k += 2)
      mark_in(cx->checkpoints, &w, (int)(intptr_t)in->items[k], (int)(intptr_t)in->items[k + 1]);
  }
  for (int mi = 0; mi < mods->len; mi++) {
    for (int d = 0; d < callers[mi].len; d++) vec_free(callers[mi].items[d]), free(callers[mi].items[d]);
    vec_free(&callers[mi]);
  }
  free(callers), free(w.mod), free(w.def);
}

/* True if code at def index d (-1: module level) is executed by a run. */
static bool runs(const Ctx *cx, int mi, int d) {
  const Module *m = cx->cb->modules.items[mi];
  int o = owner_of(m, d);
  return o < 0 || cx->reachable[mi][o];
}

/* ---- nondeterminism: calls -------------------------------------------- */

typedef struct Hazard {
  Lang lang;
  const char *canonical; /* resolved callee */
  bool computed_only;    /* only when the first argument is not a string literal */
  const char *why;       /* the message */
} Hazard;

static const Hazard hazards[] = {
    {LANG_PYTHON, "threading.Thread", false, "starts a thread: its interleaving with the run is not recorded"},
    {LANG_PYTHON, "threading.Timer", false, "starts a timer thread: when it runs is not recorded"},
    {LANG_PYTHON, "_thread.start_new_thread", false, "starts a thread: its interleaving is not recorded"},
    {LANG_PYTHON, "concurrent.futures.ThreadPoolExecutor", false,
     "starts worker threads: their order is not recorded (use asyncio.gather or tasks)"},
    {LANG_PYTHON, "concurrent.futures.ProcessPoolExecutor", false,
     "starts worker processes: their order is not recorded (use tasks)"},
    {LANG_PYTHON, "multiprocessing.Process", false, "starts a process the run does not journal"},
    {LANG_PYTHON, "multiprocessing.Pool", false, "starts worker processes the run does not journal"},
    {LANG_PYTHON, "multiprocessing.pool.ThreadPool", false, "starts worker threads the run does not journal"},
    {LANG_PYTHON, "id", false, "id() is a memory address: it differs between the run and its resume"},
    {LANG_PYTHON, "hash", false,
     "hash() of a str/bytes is salted per process (PYTHONHASHSEED): it differs on resume"},
    {LANG_PYTHON, "eval", false, "eval() runs code the compiler cannot see: its boundaries are not checkpointed"},
    {LANG_PYTHON, "exec", false, "exec() runs code the compiler cannot see: its boundaries are not checkpointed"},
    {LANG_PYTHON, "__import__", true, "imports a module chosen at run time: its code is not instrumented"},
    {LANG_PYTHON, "importlib.import_module", true,
     "imports a module chosen at run time: its code is not instrumented"},
    {LANG_JAVASCRIPT, "worker_threads.Worker", false,
     "starts a worker thread: its messages and timing are not recorded"},
    {LANG_JAVASCRIPT, "cluster.fork", false, "starts a worker process the run does not journal"},
    {LANG_JAVASCRIPT, "Function", false,
     "new Function() compiles code the compiler cannot see: its boundaries are not checkpointed"},
    {LANG_JAVASCRIPT, "vm.runInThisContext", false, "runs code the compiler cannot see"},
    {LANG_JAVASCRIPT, "vm.runInNewContext", false, "runs code the compiler cannot see"},
    {LANG_JAVASCRIPT, "vm.runInContext", false, "runs code the compiler cannot see"},
    {LANG_JAVASCRIPT, "vm.Script", false, "compiles code the compiler cannot see"},
    {LANG_JAVASCRIPT, "vm.compileFunction", false, "compiles code the compiler cannot see"},
    {LANG_JAVASCRIPT, "require", true, "requires a module chosen at run time: its code is not instrumented"},
};

/* True if the node is a string literal with no interpolation. */
static bool is_plain_string(TSNode n) {
  const char *t = ts_node_type(n);
  if (strcmp(t, "string") != 0 && strcmp(t, "template_string") != 0) return false;
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++) {
    const char *ct = ts_node_type(ts_node_named_child(n, i));
    if (!strcmp(ct, "interpolation") || !strcmp(ct, "template_substitution")) return false;
  }
  return true;
}

static bool first_arg_is_literal(const Call *c) {
  TSNode a = call_args(c);
  if (ts_node_is_null(a) || ts_node_named_child_count(a) == 0) return false;
  return is_plain_string(ts_node_named_child(a, 0));
}

static const char *call_hazard(const Module *m, const Call *c) {
  if (m->lang == LANG_JAVASCRIPT && c->ref.kind == REF_UNRESOLVED && c->ref.reason) {
    if (!strcmp(c->ref.reason, "eval")) return "eval() runs code the compiler cannot see: its boundaries are "
                                               "not checkpointed";
    if (!strcmp(c->ref.reason, "dynamic import") && !first_arg_is_literal(c))
      return "import() of a module chosen at run time: its code is not instrumented";
    return NULL;
  }
  if (!c->canonical) return NULL;
  for (size_t k = 0; k < sizeof hazards / sizeof *hazards; k++) {
    const Hazard *h = &hazards[k];
    if (h->lang != m->lang || strcmp(h->canonical, c->canonical) != 0) continue;
    if (h->computed_only && first_arg_is_literal(c)) return NULL;
    return h->why;
  }
  return NULL;
}

static void rule_nondet_calls(Ctx *cx, int mi) {
  const Module *m = cx->cb->modules.items[mi];
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    const char *why = c->bound == BOUND_NONE ? call_hazard(m, c) : NULL;
    if (why && runs(cx, mi, c->func)) add_at_call(cx, m, c, "nondeterminism", xasprintf("'%s': %s", c->text, why));
  }
}

/* ---- nondeterminism: plain async functions run concurrently ---------- */

/* Calls whose arguments' coroutines or promises run concurrently. */
static const char *const concurrent_runners[] = {
    "Promise.all",  "Promise.allSettled",   "Promise.race",        "Promise.any",           "asyncio.gather",
    "asyncio.wait", "asyncio.as_completed", "asyncio.create_task", "asyncio.ensure_future", NULL};

static bool runs_concurrently(const Call *c) {
  for (int k = 0; c->canonical && concurrent_runners[k]; k++)
    if (strcmp(c->canonical, concurrent_runners[k]) == 0) return true;
  return false;
}

/* True if def d of module mi is a plain (not task) async function that
 * reaches checkpoints (its own or its callees'): run beside another, those
 * it reaches after an await take keys in the order they complete. */
static bool plain_async_with_sites(const Ctx *cx, int mi, int d) {
  if (mi < 0 || d < 0) return false;
  const Def *def = ((const Module *)cx->cb->modules.items[mi])->defs.items[d];
  return def->is_async && !def->is_task && def->kind != DEF_CLASS && cx->checkpoints[mi][d];
}

/* A JavaScript "use task" function with checkpoints: named as a value (a
 * callback), it is called by the code it is given to, which currantc does
 * not rewrite, so it does not run as a task there. */
static bool directive_task_with_sites(const Ctx *cx, int mi, int d) {
  const Def *def = ((const Module *)cx->cb->modules.items[mi])->defs.items[d];
  return def->task_directive && def->is_async && cx->checkpoints[mi][d];
}

/* A def of m named name, visible from code owned by owner, that runs
 * concurrently as a plain async function when named as a callback
 * (`items.map(send)`): a plain async one with checkpoints, or a
 * "use task" one (*as_value set).  Its index, or -1. */
static int named_async(const Ctx *cx, int mi, const char *name, int owner, bool *as_value) {
  const Module *m = cx->cb->modules.items[mi];
  for (int d = 0; d < m->defs.len; d++) {
    const Def *def = m->defs.items[d];
    if ((def->parent != -1 && def->parent != owner) || strcmp(def->name, name) != 0) continue;
    *as_value = directive_task_with_sites(cx, mi, d);
    if (*as_value || plain_async_with_sites(cx, mi, d)) return d;
  }
  return -1;
}

/* The async function with checkpoints call ic starts as a plain one: its
 * callee, or one it names in its arguments.  Sets *tmi, *td, *as_value
 * (a "use task" function named as a value). */
static bool concurrent_target(const Ctx *cx, int mi, const Call *ic, int *tmi, int *td, bool *as_value) {
  *tmi = ic->target_module, *td = ic->target_def, *as_value = false;
  if (plain_async_with_sites(cx, *tmi, *td)) return true;
  const Module *m = cx->cb->modules.items[mi];
  *tmi = mi;
  for (int u = 0; u < ic->uses.len; u++)
    if ((*td = named_async(cx, mi, ic->uses.items[u], owner_of(m, ic->func), as_value)) >= 0) return true;
  return false;
}

static void report_concurrent(Ctx *cx, const Module *m, const Call *runner, uint32_t line, uint32_t col,
                              int in_def, char *snippet, const Module *tm, int td) {
  bool py = m->lang == LANG_PYTHON;
  add(cx, m, "nondeterminism", line, col, in_def, snippet,
      xasprintf(
          "'%s' runs plain async function '%s' concurrently, and it reaches checkpoints: those after an "
          "await take keys in the order they complete, which a resumed run can meet otherwise; make it "
          "a task (%s)",
          runner->text, def_qualname(tm, td), py ? "@task" : "\"use task\""));
}

static void report_task_as_value(Ctx *cx, const Module *m, const Call *runner, const Call *ic, int td) {
  const char *name = ((const Def *)m->defs.items[td])->name;
  add(cx, m, "nondeterminism", ic->line, ic->col, ic->func, call_snippet(m, ic),
      xasprintf("'%s' runs \"use task\" function '%s' concurrently, given as a value: the code it is "
                "given to calls it, not a call currantc rewrites, so it runs as a plain async function "
                "(its checkpoints take keys in the order they complete); call it there, (x) => %s(x), "
                "or wrap it with task()",
                runner->text, name, name));
}

/* A module's calls or defs sorted by where they start, so that those
 * inside a runner's arguments are found by a binary search, not a scan per
 * runner (20,000 `await Promise.all([g(i)])` in one function took 1.05 s
 * that way, against 0.25 s for the whole check before the rule). */
typedef struct At {
  uint32_t start, end; /* the span */
  int i;               /* index in Module.calls or Module.defs */
} At;

typedef struct Spans {
  At *calls, *defs;
  int ncalls, ndefs;
} Spans;

static int at_cmp(const void *pa, const void *pb) {
  const At *a = pa, *b = pb;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  return (a->i > b->i) - (a->i < b->i);
}

static Spans spans_of(const Module *m) {
  Spans sp = {xmalloc(((size_t)m->calls.len + 1) * sizeof(At)),
              xmalloc(((size_t)m->defs.len + 1) * sizeof(At)), m->calls.len, m->defs.len};
  for (int i = 0; i < sp.ncalls; i++) {
    const Call *c = m->calls.items[i];
    sp.calls[i] = (At){c->span.start, c->span.end, i};
  }
  for (int i = 0; i < sp.ndefs; i++) {
    const Def *d = m->defs.items[i];
    sp.defs[i] = (At){d->span.start, d->span.end, i};
  }
  qsort(sp.calls, (size_t)sp.ncalls, sizeof(At), at_cmp);
  qsort(sp.defs, (size_t)sp.ndefs, sizeof(At), at_cmp);
  return sp;
}

/* The first of v[0, n) starting at or after s. */
static int first_at(const At *v, int n, uint32_t s) {
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (v[mid].start < s)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* True if a call in [s, e) of module mi is a checkpoint or reaches one. */
static bool span_reaches_checkpoints(const Ctx *cx, int mi, const Spans *sp, uint32_t s, uint32_t e) {
  const Module *m = cx->cb->modules.items[mi];
  for (int k = first_at(sp->calls, sp->ncalls, s); k < sp->ncalls && sp->calls[k].start < e; k++) {
    const Call *c = m->calls.items[sp->calls[k].i];
    if (c->span.end > e) continue;
    if (c->site_index >= 0 ||
        (c->target_module >= 0 && c->target_def >= 0 && cx->checkpoints[c->target_module][c->target_def]))
      return true;
  }
  return false;
}

/* An anonymous async function written in place (`items.map(async (x) =>
 * ...)`): no def records it, the tree does. */
static bool is_async_function_node(TSNode n) {
  const char *t = ts_node_type(n);
  if (strcmp(t, "arrow_function") && strcmp(t, "function_expression") && strcmp(t, "function")) return false;
  TSNode first = ts_node_child(n, 0);
  return !ts_node_is_null(first) && strcmp(ts_node_type(first), "async") == 0;
}

static bool is_def_start(const Spans *sp, uint32_t pos) {
  int k = first_at(sp->defs, sp->ndefs, pos);
  return k < sp->ndefs && sp->defs[k].start == pos;
}

/* The anonymous async functions in a runner's arguments that reach
 * checkpoints (JavaScript; Python has no async lambda). */
static void report_inline_async(Ctx *cx, int mi, const Spans *sp, const Call *runner, TSNode args) {
  const Module *m = cx->cb->modules.items[mi];
  TSTreeCursor cur = ts_tree_cursor_new(args);
  for (bool down = true;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    bool hit = is_async_function_node(n) && !is_def_start(sp, ts_node_start_byte(n)) &&
               span_reaches_checkpoints(cx, mi, sp, ts_node_start_byte(n), ts_node_end_byte(n));
    if (hit) {
      TSPoint p = ts_node_start_point(n);
      add(cx, m, "nondeterminism", p.row + 1, p.column + 1, runner->func, node_snippet(m, n),
          xasprintf("'%s' runs an async function written in its arguments concurrently, and it reaches "
                    "checkpoints: those after an await take keys in the order they complete, which a resumed "
                    "run can meet otherwise; make it a named task (\"use task\")",
                    runner->text));
    }
    if (down && !hit && ts_tree_cursor_goto_first_child(&cur)) continue;
    if (ts_tree_cursor_goto_next_sibling(&cur)) {
      down = true;
      continue;
    }
    down = false;
    if (!ts_tree_cursor_goto_parent(&cur)) break;
  }
  ts_tree_cursor_delete(&cur);
}

/* Plain async functions with checkpoints started inside the arguments of
 * a concurrent runner: called there, defined there (an inline async arrow)
 * or named there (a callback).  Runners are taken in source order and one
 * inside another's arguments is skipped: the outer one's arguments hold
 * all it starts, so each is reported once. */
static void rule_concurrent_async(Ctx *cx, int mi) {
  const Module *m = cx->cb->modules.items[mi];
  Spans sp = spans_of(m);
  uint32_t covered = 0; /* end of the last runner's arguments */
  for (int r = 0; r < sp.ncalls; r++) {
    const Call *c = m->calls.items[sp.calls[r].i];
    TSNode args = runs_concurrently(c) && runs(cx, mi, c->func) ? call_args(c) : (TSNode){0};
    if (ts_node_is_null(args) || ts_node_start_byte(args) < covered) continue;
    uint32_t s = ts_node_start_byte(args), e = covered = ts_node_end_byte(args);
    for (int k = first_at(sp.calls, sp.ncalls, s); k < sp.ncalls && sp.calls[k].start < e; k++) {
      const Call *ic = m->calls.items[sp.calls[k].i];
      int tmi, td;
      bool as_value;
      if (ic->span.end > e || !concurrent_target(cx, mi, ic, &tmi, &td, &as_value)) continue;
      if (as_value)
        report_task_as_value(cx, m, c, ic, td);
      else
        report_concurrent(cx, m, c, ic->line, ic->col, ic->func, call_snippet(m, ic),
                          cx->cb->modules.items[tmi], td);
    }
    for (int k = first_at(sp.defs, sp.ndefs, s); k < sp.ndefs && sp.defs[k].start < e; k++) {
      const Def *def = m->defs.items[sp.defs[k].i];
      if (def->span.end <= e && plain_async_with_sites(cx, mi, sp.defs[k].i))
        report_concurrent(cx, m, c, def->line, def->col, c->func, xstrdup(def->qualname), m, sp.defs[k].i);
    }
    if (m->lang == LANG_JAVASCRIPT) report_inline_async(cx, mi, &sp, c, args);
  }
  free(sp.calls), free(sp.defs);
}

/* ---- nondeterminism: module state assigned between checkpoints -------- */

static bool bound_in_chain(const Module *m, int d, const char *name) {
  for (; d >= 0 && d < m->defs.len; d = ((const Def *)m->defs.items[d])->parent)
    if (vec_has_str(&((const Def *)m->defs.items[d])->locals, name)) return true;
  return false;
}

static bool has_site(const Ctx *cx, int mi, int d) {
  const Vec *calls = cx->owned[mi].items[d + 1];
  for (int i = 0; i < calls->len; i++)
    if (((const Call *)calls->items[i])->site_index >= 0) return true;
  return false;
}

/* One write of a name inside function def at byte pos. */
typedef struct Write {
  int def;
  uint32_t pos;
  const char *name;
} Write;

static void report_global_write(Ctx *cx, int mi, const Write *w, Vec *done) {
  const Module *m = cx->cb->modules.items[mi];
  int d = owner_of(m, w->def);
  if (d < 0 || !cx->reachable[mi][d] || !vec_has_str(&m->globals, w->name)) return;
  if (bound_in_chain(m, d, w->name) || !has_site(cx, mi, d)) return;
  char *key = xasprintf("%d:%s", d, w->name);
  if (vec_has_str(done, key)) {
    free(key);
    return;
  }
  vec_push(done, key);
  uint32_t line, col;
  offset_to_line_col(m->text, w->pos, &line, &col);
  add(cx, m, "nondeterminism", line, col, d, xasprintf("assigns module-level %s", w->name),
      xasprintf("'%s' assigns module-level '%s' between checkpoints: the value is not journaled, so a "
                "resumed run (or a task run elsewhere) can see another value; return it or keep it local",
                def_qualname(m, d), w->name));
}

/* Innermost def whose span holds pos, or -1. */
static int def_at(const Module *m, uint32_t pos) {
  int best = -1;
  for (int d = 0; d < m->defs.len; d++) {
    const Def *def = m->defs.items[d];
    if (def->span.start <= pos && pos < def->span.end) best = d;
  }
  return best;
}

/* ---- syntax walks ------------------------------------------------------ */

/* What a walk saw: names bound (to a set of strings or not) and the places
 * a value is iterated or written, each with the scope it happens in. */
typedef struct Event {
  enum { EV_BIND, EV_ITER, EV_WRITE } kind;
  uint32_t scope; /* start byte of the enclosing function, 0 for the module */
  uint32_t pos;   /* byte */
  char *name;     /* identifier, NULL for an iterated expression */
  bool stringy;   /* EV_BIND: bound to a set of strings; EV_ITER: the expression is one */
  TSNode node;    /* EV_ITER: what is iterated */
} Event;

typedef struct Walk {
  const Module *m;
  Vec events;          /* Event* in source order */
  uint32_t scope[256]; /* function start bytes */
  uint32_t scope_end[256];
  int depth;
} Walk;

static char *node_text(const Module *m, TSNode n) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  return xstrndup(m->text + s, e - s);
}

static bool type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name)); }

static void push_event(Walk *w, int kind, TSNode at, char *name, bool stringy) {
  Event *e = xcalloc(1, sizeof *e);
  e->kind = kind;
  e->scope = w->depth ? w->scope[w->depth - 1] : 0;
  e->pos = ts_node_start_byte(at);
  e->name = name;
  e->stringy = stringy;
  e->node = at;
  vec_push(&w->events, e);
}

static bool has_string_child(TSNode n) {
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (type_is(c, "string") || type_is(c, "concatenated_string")) return true;
  }
  return false;
}

/* A call of .split()/.splitlines(): a list of strings. */
static bool is_split_call(const Module *m, TSNode n) {
  if (!type_is(n, "call")) return false;
  TSNode f = field(n, "function");
  if (!type_is(f, "attribute")) return false;
  char *a = node_text(m, field(f, "attribute"));
  bool yes = !strcmp(a, "split") || !strcmp(a, "splitlines");
  free(a);
  return yes;
}

/* Python expressions that certainly make a set of strings. */
static bool stringy_set(const Module *m, TSNode n) {
  if (type_is(n, "set")) return has_string_child(n);
  if (type_is(n, "set_comprehension")) {
    TSNode body = field(n, "body");
    return type_is(body, "string") || type_is(body, "concatenated_string");
  }
  if (!type_is(n, "call")) return false;
  char *fn = node_text(m, field(n, "function"));
  bool ctor = !strcmp(fn, "set") || !strcmp(fn, "frozenset");
  free(fn);
  TSNode args = field(n, "arguments");
  if (!ctor || ts_node_is_null(args) || ts_node_named_child_count(args) != 1) return false;
  TSNode a = ts_node_named_child(args, 0);
  if (type_is(a, "string")) return true;
  if (type_is(a, "list") || type_is(a, "tuple") || type_is(a, "set")) return has_string_child(a);
  return is_split_call(m, a);
}

static bool stringy_annotation(const Module *m, TSNode t) {
  if (ts_node_is_null(t)) return false;
  char *s = node_text(m, t);
  StrBuf b = {0};
  for (char *p = s; *p; p++)
    if (*p != ' ') str_append(&b, p, 1);
  static const char *const names[] = {"set[str]", "Set[str]", "frozenset[str]", "FrozenSet[str]",
                                      "typing.Set[str]", "typing.FrozenSet[str]", "AbstractSet[str]", NULL};
  bool yes = false;
  for (int i = 0; b.data && names[i] && !yes; i++) yes = strcmp(b.data, names[i]) == 0;
  str_free(&b);
  free(s);
  return yes;
}

/* An iterated expression: a name (resolved later) or a set literal/call. */
static void iterated(Walk *w, TSNode x) {
  if (ts_node_is_null(x)) return;
  if (type_is(x, "identifier"))
    push_event(w, EV_ITER, x, node_text(w->m, x), false);
  else if (stringy_set(w->m, x))
    push_event(w, EV_ITER, x, NULL, true);
}

/* list(s), tuple(s), enumerate(s), iter(s), "".join(s), s.pop(). */
static void py_call(Walk *w, TSNode n) {
  TSNode f = field(n, "function"), args = field(n, "arguments");
  if (ts_node_is_null(args) || !type_is(args, "argument_list")) return;
  char *fn = node_text(w->m, f);
  bool consumer = !strcmp(fn, "list") || !strcmp(fn, "tuple") || !strcmp(fn, "enumerate") ||
                  !strcmp(fn, "iter") || !strcmp(fn, "dict.fromkeys");
  bool join = type_is(f, "attribute") && strlen(fn) > 5 && !strcmp(fn + strlen(fn) - 5, ".join");
  bool pop = type_is(f, "attribute") && ts_node_named_child_count(args) == 0 && strlen(fn) > 4 &&
             !strcmp(fn + strlen(fn) - 4, ".pop");
  free(fn);
  if ((consumer || join) && ts_node_named_child_count(args) >= 1) iterated(w, ts_node_named_child(args, 0));
  if (pop) iterated(w, field(f, "object"));
}

static void py_bind(Walk *w, TSNode target, bool stringy) {
  if (type_is(target, "identifier")) push_event(w, EV_BIND, target, node_text(w->m, target), stringy);
}

/* True if a comprehension's order cannot show: it makes a set again, or
 * feeds sorted()/sum()/min()/any()... directly. */
static bool order_hidden(const Module *m, TSNode comp) {
  if (type_is(comp, "set_comprehension")) return true;
  TSNode p = ts_node_parent(comp);
  if (type_is(p, "argument_list")) p = ts_node_parent(p);
  if (!type_is(p, "call")) return false;
  char *fn = node_text(m, field(p, "function"));
  static const char *const blind[] = {"sorted", "set", "frozenset", "sum", "min", "max", "any", "all", "len", NULL};
  bool yes = false;
  for (int i = 0; blind[i] && !yes; i++) yes = !strcmp(fn, blind[i]);
  free(fn);
  return yes;
}

static void py_node(Walk *w, TSNode n) {
  const char *t = ts_node_type(n);
  if (!strcmp(t, "for_statement")) {
    iterated(w, field(n, "right"));
    py_bind(w, field(n, "left"), false);
  } else if (!strcmp(t, "for_in_clause")) {
    if (!order_hidden(w->m, ts_node_parent(n))) iterated(w, field(n, "right"));
  } else if (!strcmp(t, "call")) {
    py_call(w, n);
  } else if (!strcmp(t, "assignment")) {
    TSNode right = field(n, "right");
    bool s = stringy_annotation(w->m, field(n, "type")) || (!ts_node_is_null(right) && stringy_set(w->m, right));
    py_bind(w, field(n, "left"), s);
  } else if (!strcmp(t, "typed_parameter") || !strcmp(t, "typed_default_parameter")) {
    TSNode name = !strcmp(t, "typed_parameter") ? ts_node_named_child(n, 0) : field(n, "name");
    py_bind(w, name, stringy_annotation(w->m, field(n, "type")));
  }
}

static void js_node(Walk *w, TSNode n) {
  if (!type_is(n, "update_expression")) return;
  TSNode arg = field(n, "argument");
  if (type_is(arg, "identifier")) push_event(w, EV_WRITE, n, node_text(w->m, arg), false);
}

static bool is_function_node(Lang lang, TSNode n) {
  const char *t = ts_node_type(n);
  if (lang == LANG_PYTHON) return !strcmp(t, "function_definition") || !strcmp(t, "lambda");
  return !strcmp(t, "function_declaration") || !strcmp(t, "function_expression") || !strcmp(t, "arrow_function") ||
         !strcmp(t, "method_definition") || !strcmp(t, "generator_function_declaration") ||
         !strcmp(t, "generator_function");
}

/* One pre-order cursor walk; scopes are a stack of function spans. */
static void walk_module(Walk *w) {
  TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(w->m->tree));
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    uint32_t start = ts_node_start_byte(n);
    while (w->depth && start >= w->scope_end[w->depth - 1]) w->depth--;
    if (w->m->lang == LANG_PYTHON)
      py_node(w, n);
    else
      js_node(w, n);
    if (is_function_node(w->m->lang, n) && w->depth < 256) {
      w->scope[w->depth] = start;
      w->scope_end[w->depth++] = ts_node_end_byte(n);
    }
    if (ts_tree_cursor_goto_first_child(&c)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&c))
      if (!ts_tree_cursor_goto_parent(&c)) goto done;
  }
done:
  ts_tree_cursor_delete(&c);
}

/* True if some binding of use's name in its scope is to a set of strings:
 * most iterated names have none, which spares the ordered search. */
static bool ever_stringy(const Vec *stringy, const Event *use) {
  for (int i = 0; i < stringy->len; i++) {
    const Event *e = stringy->items[i];
    if (e->scope == use->scope && !strcmp(e->name, use->name)) return true;
  }
  return false;
}

/* The binding of name in scope that last precedes pos, or NULL. */
static const Event *binding_before(const Walk *w, const Event *use) {
  const Event *best = NULL;
  for (int i = 0; i < w->events.len; i++) {
    const Event *e = w->events.items[i];
    if (e->pos >= use->pos) break;
    if (e->kind == EV_BIND && e->scope == use->scope && !strcmp(e->name, use->name)) best = e;
  }
  return best;
}

static void report_iteration(Ctx *cx, int mi, const Walk *w, const Vec *stringy, const Event *e) {
  const Module *m = cx->cb->modules.items[mi];
  if (e->name) {
    if (!ever_stringy(stringy, e)) return;
    const Event *b = binding_before(w, e);
    if (!b || !b->stringy) return;
  } else if (!e->stringy) {
    return;
  }
  int d = def_at(m, e->pos);
  if (!runs(cx, mi, d)) return;
  TSPoint p = ts_node_start_point(e->node);
  char *what = node_snippet(m, e->node);
  add(cx, m, "nondeterminism", p.row + 1, p.column + 1, owner_of(m, d), xasprintf("iterates %s", what),
      xasprintf("iterating the set of strings '%s': its order depends on the per-process string hash "
                "(PYTHONHASHSEED) and can differ on resume; iterate sorted(...) instead",
                what));
  free(what);
}

static void rule_syntax_walk(Ctx *cx, int mi, Vec *done) {
  const Module *m = cx->cb->modules.items[mi];
  if (m->status != MOD_OK || !m->tree) return;
  Walk w = {.m = m};
  walk_module(&w);
  Vec stringy = {0};
  for (int i = 0; i < w.events.len; i++) {
    Event *e = w.events.items[i];
    if (e->kind == EV_BIND && e->stringy) vec_push(&stringy, e);
  }
  for (int i = 0; i < w.events.len; i++) {
    Event *e = w.events.items[i];
    if (e->kind == EV_ITER) report_iteration(cx, mi, &w, &stringy, e);
    if (e->kind == EV_WRITE) {
      Write wr = {def_at(m, e->pos), e->pos, e->name};
      report_global_write(cx, mi, &wr, done);
    }
  }
  for (int i = 0; i < w.events.len; i++) {
    Event *e = w.events.items[i];
    free(e->name), free(e);
  }
  vec_free(&w.events);
  vec_free(&stringy);
}

static void rule_global_state(Ctx *cx, int mi) {
  const Module *m = cx->cb->modules.items[mi];
  Vec done = {0};
  for (int i = 0; i < m->assigns.len; i++) {
    const Assign *a = m->assigns.items[i];
    for (int k = 0; a->func >= 0 && k < a->targets.len; k++) {
      Write wr = {a->func, a->pos, a->targets.items[k]};
      report_global_write(cx, mi, &wr, &done);
    }
  }
  rule_syntax_walk(cx, mi, &done);
  for (int i = 0; i < done.len; i++) free(done.items[i]);
  vec_free(&done);
}

/* ---- unresolved-cross-language, bridge-arity ------------------------- */

/* What the build reports as errors for imports and calls across languages
 * (bridge.c), as findings. */
static void rule_bridge(Ctx *cx, int mi) {
  const Module *m = cx->cb->modules.items[mi];
  Vec probs = {0};
  bridge_problems(cx->cb, m, &probs);
  for (int i = 0; i < probs.len; i++) {
    BridgeProblem *p = probs.items[i];
    const Import *im = p->import;
    /* A missing module's snippet is its spec alone, as before names were checked: baselines still match. */
    if (p->call)
      add_at_call(cx, m, p->call, p->rule, p->message);
    else if (im->resolved_file < 0 || !im->name)
      add(cx, m, p->rule, p->line, p->col, p->func, xasprintf("import %s", im->spec), p->message);
    else
      add(cx, m, p->rule, p->line, p->col, p->func, xasprintf("import %s %s", im->spec, im->name), p->message);
    p->message = NULL;
    bridge_problem_free(p);
  }
  vec_free(&probs);
}

/* ---- task-cycle --------------------------------------------------------- */

typedef struct Tasks {
  int n;          /* tasks */
  int *mod, *def; /* each task */
  int *base;      /* global def number of module i's first def */
  int ndefs;
  int *task_of;   /* global def -> task number or -1 */
  bool *edge;     /* n x n: task i reaches task j without passing another task */
} Tasks;

static int gdef(const Tasks *t, int mi, int d) { return t->base[mi] + d; }

/* Tasks reached from task i through non-task functions (a BFS). */
static void task_edges_from(const Ctx *cx, Tasks *t, int i) {
  bool *seen = xcalloc((size_t)t->ndefs + 1, sizeof *seen);
  int *qm = xmalloc(((size_t)t->ndefs + 1) * sizeof *qm), *qd = xmalloc(((size_t)t->ndefs + 1) * sizeof *qd);
  int head = 0, tail = 0;
  qm[tail] = t->mod[i], qd[tail++] = t->def[i];
  seen[gdef(t, t->mod[i], t->def[i])] = true;
  while (head < tail) {
    int mi = qm[head], d = qd[head++];
    const Vec *calls = cx->owned[mi].items[d + 1];
    for (int k = 0; k < calls->len; k++) {
      const Call *c = calls->items[k];
      if (c->target_module < 0 || c->target_def < 0) continue;
      int g = gdef(t, c->target_module, c->target_def);
      if (t->task_of[g] >= 0) t->edge[(size_t)i * (size_t)t->n + (size_t)t->task_of[g]] = true;
      if (t->task_of[g] >= 0 || seen[g]) continue;
      seen[g] = true;
      qm[tail] = c->target_module, qd[tail++] = c->target_def;
    }
  }
  free(seen), free(qm), free(qd);
}

static void tasks_collect(const Ctx *cx, Tasks *t) {
  const Vec *mods = &cx->cb->modules;
  t->base = xcalloc((size_t)mods->len + 1, sizeof *t->base);
  for (int mi = 0; mi < mods->len; mi++) {
    t->base[mi] = t->ndefs;
    t->ndefs += ((const Module *)mods->items[mi])->defs.len;
  }
  t->task_of = xmalloc(((size_t)t->ndefs + 1) * sizeof *t->task_of);
  t->mod = xmalloc(((size_t)t->ndefs + 1) * sizeof *t->mod);
  t->def = xmalloc(((size_t)t->ndefs + 1) * sizeof *t->def);
  for (int mi = 0; mi < mods->len; mi++) {
    const Module *m = mods->items[mi];
    for (int d = 0; d < m->defs.len; d++) {
      bool task = ((const Def *)m->defs.items[d])->is_task;
      t->task_of[gdef(t, mi, d)] = task ? t->n : -1;
      if (task) t->mod[t->n] = mi, t->def[t->n++] = d;
    }
  }
  t->edge = xcalloc((size_t)t->n * (size_t)t->n + 1, sizeof *t->edge);
  for (int i = 0; i < t->n; i++) task_edges_from(cx, t, i);
}

/* Shortest task path from a back to a inside the component comp (BFS over
 * task edges); writes "f -> g -> f" into b. */
static void cycle_text(const Ctx *cx, const Tasks *t, const bool *comp, int a, StrBuf *b) {
  int *prev = xmalloc((size_t)t->n * sizeof *prev), *q = xmalloc((size_t)t->n * sizeof *q);
  for (int i = 0; i < t->n; i++) prev[i] = -2;
  int head = 0, tail = 0, last = -1;
  q[tail++] = a;
  while (head < tail && last < 0) {
    int u = q[head++];
    for (int v = 0; v < t->n && last < 0; v++) {
      if (!t->edge[(size_t)u * (size_t)t->n + (size_t)v] || !comp[v]) continue;
      if (v == a) last = u;
      else if (prev[v] == -2) prev[v] = u, q[tail++] = v;
    }
  }
  int *path = xmalloc(((size_t)t->n + 1) * sizeof *path), len = 0;
  for (int u = last; u >= 0 && u != a; u = prev[u]) path[len++] = u;
  path[len++] = a;
  for (int i = len - 1; i >= 0; i--) {
    const Module *m = cx->cb->modules.items[t->mod[path[i]]];
    str_printf(b, "%s -> ", ((const Def *)m->defs.items[t->def[path[i]]])->qualname);
  }
  const Module *m = cx->cb->modules.items[t->mod[a]];
  str_puts(b, ((const Def *)m->defs.items[t->def[a]])->qualname);
  free(prev), free(q), free(path);
}

/* reach[i*n+j]: task j is reachable from task i (transitive closure). */
static bool *task_closure(const Tasks *t) {
  size_t n = (size_t)t->n;
  bool *reach = xcalloc(n * n + 1, sizeof *reach);
  int *q = xmalloc((n + 1) * sizeof *q);
  for (size_t i = 0; i < n; i++) {
    int head = 0, tail = 0;
    q[tail++] = (int)i;
    while (head < tail) {
      size_t u = (size_t)q[head++];
      for (size_t v = 0; v < n; v++)
        if (t->edge[u * n + v] && !reach[i * n + v]) reach[i * n + v] = true, q[tail++] = (int)v;
    }
  }
  free(q);
  return reach;
}

static void rule_task_cycles(Ctx *cx) {
  Tasks t = {0};
  tasks_collect(cx, &t);
  size_t n = (size_t)t.n;
  bool *reach = task_closure(&t), *taken = xcalloc(n + 1, sizeof *taken), *comp = xcalloc(n + 1, sizeof *comp);
  for (size_t i = 0; i < n; i++) {
    if (taken[i] || !reach[i * n + i]) continue;
    StrBuf members = {0};
    for (size_t j = 0; j < n; j++) {
      comp[j] = reach[i * n + j] && reach[j * n + i];
      if (!comp[j]) continue;
      taken[j] = true;
      const Module *mj = cx->cb->modules.items[t.mod[j]];
      str_printf(&members, "%s%s:%s", members.len ? "," : "", mj->file->rel,
                 ((const Def *)mj->defs.items[t.def[j]])->qualname);
    }
    StrBuf path = {0};
    cycle_text(cx, &t, comp, (int)i, &path);
    const Module *m = cx->cb->modules.items[t.mod[i]];
    const Def *d = m->defs.items[t.def[i]];
    add(cx, m, "task-cycle", d->line, d->col, t.def[i], str_take(&members),
        xasprintf("tasks call each other in a cycle: %s (the task graph must be acyclic)", path.data));
    str_free(&path);
  }
  free(reach), free(taken), free(comp);
  free(t.mod), free(t.def), free(t.base), free(t.task_of), free(t.edge);
}

/* ---- driver -------------------------------------------------------------- */

static int cmp_finding(const void *pa, const void *pb) {
  const Finding *a = *(Finding *const *)pa, *b = *(Finding *const *)pb;
  int c = strcmp(a->file, b->file);
  if (c) return c;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  if (a->col != b->col) return a->col < b->col ? -1 : 1;
  c = strcmp(a->rule, b->rule);
  return c ? c : strcmp(a->message, b->message);
}

/* Findings with equal (file, rule, function, snippet) are numbered in
 * source order: the number is part of the fingerprint. */
static int cmp_key(const void *pa, const void *pb) {
  const Finding *a = *(Finding *const *)pa, *b = *(Finding *const *)pb;
  int c = strcmp(a->file, b->file);
  if (!c) c = strcmp(a->rule, b->rule);
  if (!c) c = strcmp(a->function, b->function);
  if (!c) c = strcmp(a->snippet, b->snippet);
  if (!c) c = cmp_finding(pa, pb);
  return c;
}

static void fingerprint(Finding *f, int nth) {
  StrBuf key = {0};
  str_puts(&key, "currant-check/1");
  const char *parts[] = {f->rule, f->file, f->function, f->snippet};
  for (int p = 0; p < 4; p++) str_append(&key, "", 1), str_puts(&key, parts[p]);
  str_printf(&key, "%c%d", 0, nth);
  char hex[65];
  sha256_hex(key.data, key.len, hex);
  hex[32] = '\0';
  f->fingerprint = xstrdup(hex);
  str_free(&key);
}

static void fingerprint_all(const Vec *out) {
  if (!out->len) return;
  Finding **by_key = xmalloc((size_t)out->len * sizeof *by_key);
  memcpy(by_key, out->items, (size_t)out->len * sizeof *by_key);
  qsort(by_key, (size_t)out->len, sizeof *by_key, cmp_key);
  int nth = 0;
  for (int i = 0; i < out->len; i++) {
    const Finding *p = i ? by_key[i - 1] : NULL, *f = by_key[i];
    bool same = p && !strcmp(p->file, f->file) && !strcmp(p->rule, f->rule) && !strcmp(p->function, f->function) &&
                !strcmp(p->snippet, f->snippet);
    nth = same ? nth + 1 : 0;
    fingerprint(by_key[i], nth);
  }
  free(by_key);
}

void check_codebase(const Codebase *cb, char *const *skip_reasons, Vec *out, int *suppressed) {
  char buf[4096];
  Ctx cx = {.cb = cb, .skip_reasons = skip_reasons, .out = out, .suppressed = suppressed};
  cx.cwd = getcwd(buf, sizeof buf) ? xstrdup(buf) : NULL;
  index_calls(&cx);
  compute_reachable(&cx);
  compute_checkpoints(&cx);
  for (int mi = 0; mi < cb->modules.len; mi++) {
    rule_syntax(&cx, mi);
    if (((const Module *)cb->modules.items[mi])->status != MOD_OK) continue;
    rule_unrecordable(&cx, mi);
    rule_untracked(&cx, mi);
    rule_nondet_calls(&cx, mi);
    rule_concurrent_async(&cx, mi);
    rule_global_state(&cx, mi);
    rule_bridge(&cx, mi);
  }
  rule_task_cycles(&cx);
  lines_done();
  free_index(&cx);
  free(cx.cwd);
  if (out->len) qsort(out->items, (size_t)out->len, sizeof *out->items, cmp_finding);
  fingerprint_all(out);
}
