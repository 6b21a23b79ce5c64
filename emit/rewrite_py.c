/*
 * rewrite_py.c — the edits that instrument a Python file.
 *
 * Every boundary site becomes a runtime call that still evaluates the
 * callee and the arguments where they stood, in their order, once:
 *
 *   f(a, *b, k=1)       ->  _currant.call(3, f, a, *b, k=1)
 *   obj.m()             ->  _currant.call(3, obj.m)
 *   f(x for x in y)     ->  _currant.call(3, f, (x for x in y))
 *   os.environ["K"]     ->  _currant.read(3, os.environ, "K")
 *
 * Only single bytes are replaced (the opening bracket, a generator's
 * parentheses, a subscript's brackets) and text is inserted at the start of
 * the site, so nested sites compose: their edits sit at distinct offsets, or
 * at one offset in outer-before-inner order (sites come in preorder).  No
 * edit contains a newline, no edit contains a quote, so line numbers hold and
 * f-strings of any Python version keep parsing.  `f"{x()=}"` prints its
 * source text, so such an interpolation gets that text as a literal and
 * `{rewritten!r}` instead.  Calls whose meaning depends on the caller's
 * frame (zero-argument super(), locals(), eval(), ...) are left alone with a
 * warning: called from the runtime they would see the runtime's frame.
 *
 * The module binding `_currant = __import__("currant").module("REL")` goes
 * on an existing line: after the docstring and __future__ imports, before
 * the first simple statement, or on a blank or comment line before the
 * first statement that could run anything.  If there is no such place the
 * file is left uninstrumented with a warning — never broken.  The name is
 * `_currant` unless the file already has that word (runtime_name in
 * splice.c); `_currant` stands for it below and in the other comments.
 *
 * No tree is read here: a build frees a Python tree after the names pass,
 * which records what the edits need (each call's shape and the offsets of
 * the bytes it replaces, the top-level statements, the import statements,
 * the `=` interpolations: Call.args, Module.py).  Owns rewrite_python().
 */
#include "currant.h"

#include <stdlib.h>
#include <string.h>

/* ---- the module binding --------------------------------------------------- */

/* A string literal of the relative path that is pure ASCII (the file may
 * declare a legacy coding) and has no newline (no line may be added). */
static void put_py_string(StrBuf *b, const char *s) {
  str_puts(b, "\"");
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned c = *p;
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (n > 1) {
      unsigned cp = c & (0x7Fu >> n);
      bool ok = true;
      for (int k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) ok = false;
        if (!ok) break;
        cp = (cp << 6) | (p[k] & 0x3F);
      }
      if (!ok) cp = c, n = 1;
      str_printf(b, cp > 0xFFFF ? "\\U%08x" : "\\u%04x", cp);
      p += n;
      continue;
    }
    if (c == '"' || c == '\\') str_printf(b, "\\%c", c);
    else if (c < 0x20 || c == 0x7F) str_printf(b, "\\x%02x", c);
    else str_append(b, (const char *)p, 1);
    p++;
  }
  str_puts(b, "\"");
}

static char *binding_text(const Module *m) {
  StrBuf b = {0};
  str_printf(&b, "%s = __import__(\"currant\").module(", m->rt);
  put_py_string(&b, m->file && m->file->rel ? m->file->rel : m->name ? m->name : "");
  str_puts(&b, ")");
  return str_take(&b);
}

/* The index of the first call starting at or after start (calls are
 * sorted by start), or m->calls.len. */
static int first_call_from(const Module *m, uint32_t start) {
  int lo = 0, hi = m->calls.len;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (((Call *)m->calls.items[mid])->span.start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* True if some call (site or not) starts in [start, end). */
static bool has_call_in(const Module *m, uint32_t start, uint32_t end) {
  int k = first_call_from(m, start);
  return k < m->calls.len && ((Call *)m->calls.items[k])->span.start < end;
}

/* A top-level statement that runs nothing of ours when executed: a plain
 * def without calls in its parameters or annotations. */
static bool is_inert(const Module *m, const TopStmt *t) {
  return t->kind == TOP_FUNCTION && t->inner != UINT32_MAX && !has_call_in(m, t->span.start, t->inner);
}

static bool is_cookie_line(const char *line, size_t len, uint32_t lineno) {
  if (lineno == 1 && len >= 2 && line[0] == '#' && line[1] == '!') return true;
  if (lineno > 2) return false;
  for (size_t i = 0; i + 7 <= len; i++)
    if (memcmp(line + i, "coding", 6) == 0 && (line[i + 6] == ':' || line[i + 6] == '=')) return true;
  return false;
}

/* A blank or non-cookie comment line wholly inside [from, to): offset of its
 * start, or -1. */
static int64_t free_line(const Module *m, uint32_t from, uint32_t to, bool at_file_start) {
  uint32_t p = from;
  if (!at_file_start) { /* the rest of the previous statement's line is not ours */
    while (p < to && m->text[p] != '\n') p++;
    p++;
  }
  for (; p < to;) {
    uint32_t e = p, lineno, col;
    while (e < m->len && m->text[e] != '\n') e++;
    if (e > to) break;
    uint32_t q = p;
    while (q < e && (m->text[q] == ' ' || m->text[q] == '\t' || m->text[q] == '\f' || m->text[q] == '\r')) q++;
    offset_to_line_col(m->text, p, &lineno, &col);
    if (q == e) return p;
    if (m->text[q] == '#' && !is_cookie_line(m->text + q, e - q, lineno)) return p;
    p = e + 1;
  }
  return -1;
}

/* Adds the binding edit; false if it has nowhere to go.  Works from the
 * top-level statements the names pass recorded (Module.py). */
static bool place_binding(Module *m, EditList *out, uint32_t first_site) {
  const TopStmt *t = m->py ? m->py->tops : NULL;
  int k = m->py ? m->py->ntops : 0, i = 0;
  char *bind = binding_text(m);
  bool ok = false;
  const TopStmt *anchor = NULL;
  while (i < k && t[i].kind == TOP_COMMENT) i++;
  if (i < k && t[i].kind == TOP_DOCSTRING && t[i].span.end <= first_site) anchor = &t[i++];
  for (; i < k; i++) {
    if (t[i].kind == TOP_COMMENT) continue;
    if (t[i].kind != TOP_FUTURE) break;
    anchor = &t[i];
  }
  if (anchor) {
    char *b = xasprintf("; %s", bind);
    edit_insert(out, anchor->span.end, b);
    free(b);
    free(bind);
    return true;
  }
  /* Before the first simple statement, or on a free line before it, as
   * long as only inert statements come first. */
  uint32_t prev_end = 0;
  bool at_start = true;
  for (i = 0; i < k && !ok; i++) {
    const TopStmt *s = &t[i];
    if (s->kind == TOP_COMMENT) continue;
    bool compound = s->kind == TOP_FUNCTION || s->kind == TOP_COMPOUND;
    int64_t line = compound ? free_line(m, prev_end, s->span.start, at_start) : -1;
    /* a simple statement, or the one a leading try runs first */
    uint32_t at = !compound ? s->span.start : line < 0 && s->kind == TOP_COMPOUND ? s->inner : UINT32_MAX;
    if (at != UINT32_MAX) {
      char *b = xasprintf("%s; ", bind);
      edit_insert(out, at, b);
      free(b);
      ok = true;
    } else if (line >= 0) {
      bool comment = m->text[line] == '#';
      char *b = xasprintf("%s%s", bind, comment ? " " : "");
      edit_insert(out, (uint32_t)line, b);
      free(b);
      ok = true;
    } else if (!is_inert(m, s)) {
      break;
    }
    prev_end = s->span.end;
    at_start = false;
  }
  free(bind);
  return ok;
}

/* ---- bridge imports --------------------------------------------------------- */

/* `NAME = _currant.bridge("js", "REL", [ASYNC...])[.attr]`; *value gets
 * where the value starts in b. */
static void bridge_binding(StrBuf *b, const char *rt, const Import *imp, size_t *value) {
  str_printf(b, "%s = ", imp->local);
  *value = b->len;
  str_printf(b, "%s.bridge(\"js\", ", rt);
  put_py_string(b, imp->bridge_to->file->rel);
  char *async = bridge_async_list(imp->bridge_to);
  str_printf(b, ", %s)", async);
  free(async);
  if (imp->kind == IMPORT_NAME) str_printf(b, ".%s", imp->name);
}

/* One statement per part, `; `-joined: `import X` for the parts that are
 * not bridged (`import os, currant.js.p as p`), then the assignments of
 * the bridged ones.  *value: where the last assignment's value starts. */
static void statement_text(const Module *m, const ImportStmt *st, StrBuf *b, size_t *value) {
  for (int bridged = 0; bridged < 2; bridged++) {
    for (int i = st->first; i < st->first + st->nparts; i++) {
      const ImportPart *part = &m->py->parts[i];
      const Import *imp = part->import >= 0 ? m->imports.items[part->import] : NULL;
      if ((imp && bridge_rewritable(m, imp)) != bridged) continue;
      if (b->len) str_puts(b, "; ");
      if (bridged) {
        bridge_binding(b, m->rt, imp, value);
        continue;
      }
      str_puts(b, "import ");
      str_append(b, m->text + part->span.start, part->span.end - part->span.start);
    }
  }
}

static int newlines_in(const char *s, size_t n) {
  int k = 0;
  for (size_t i = 0; i < n; i++) k += s[i] == '\n';
  return k;
}

/* Replaces the statement on the lines it had: the newlines of a multi-line
 * import go inside parentheses around the last assignment's value, where
 * Python joins lines whatever the indentation, so the result stays valid
 * in any block and after `if x:` on one line. */
static void rewrite_statement(const Module *m, const ImportStmt *st, EditList *out) {
  StrBuf b = {0};
  size_t value = 0;
  statement_text(m, st, &b, &value);
  uint32_t s = st->span.start, e = st->span.end;
  int pad = newlines_in(m->text + s, e - s) - newlines_in(b.data, b.len);
  if (pad > 0) {
    StrBuf t = {0};
    str_append(&t, b.data, value);
    str_printf(&t, "(%s", b.data + value);
    for (int i = 0; i < pad; i++) str_puts(&t, "\n");
    str_puts(&t, ")");
    str_free(&b);
    b = t;
  }
  edit_add(out, s, e, b.data);
  str_free(&b);
}

/* The statements holding rewritable bridge imports, in source order. */
static void bridge_statements(const Module *m, Vec *out) {
  for (int i = 0; m->py && i < m->py->nstmts; i++) {
    const ImportStmt *st = &m->py->stmts[i];
    bool bridged = false;
    for (int p = st->first; p < st->first + st->nparts && !bridged; p++) {
      int imp = m->py->parts[p].import;
      bridged = imp >= 0 && bridge_rewritable(m, m->imports.items[imp]);
    }
    if (bridged) vec_push(out, (void *)st);
  }
}

/* ---- f"{expr=}" ------------------------------------------------------------- */

/* What the rewrite does with the `=` interpolations around its sites. */
typedef struct Plan {
  Module *m;
  bool *skip;   /* per call index: leave uninstrumented */
  bool *failed; /* per Module.py eqs index: the literal cannot be written */
  bool *around; /* per eqs index: holds a site that passed the shape and frame checks */
} Plan;

/* Checks that the literal for e can be written; fills it in. */
static bool eq_literal(const Module *m, const EqInterp *e, StrBuf *lit) {
  for (uint32_t p = e->brace_end; p < e->next; p++) {
    char ch = m->text[p];
    if (ch == '\n' || ch == '\r' || ch == '\\' || ch == e->quote) return false;
    if (ch == '{' || ch == '}') str_append(lit, &ch, 1); /* doubled: literal braces */
    str_append(lit, &ch, 1);
  }
  for (uint32_t p = e->eq.end; p < e->next; p++)
    if (m->text[p] == '\n') return false;
  return true;
}

static bool in_span(const Call *c, Span s) { return c->span.start >= s.start && c->span.end <= s.end; }

/* True if a call inside s (calls are sorted by start) is a site that
 * skip does not leave alone. */
static bool holds_site(const Module *m, const bool *skip, Span s) {
  for (int k = first_call_from(m, s.start); k < m->calls.len; k++) {
    const Call *c = m->calls.items[k];
    if (c->span.start >= s.end) break;
    if (c->site_index >= 0 && !skip[k] && in_span(c, s)) return true;
  }
  return false;
}

/* Notes the interpolations around the sites that passed the checks so
 * far, and marks the sites inside failed ones as skipped. */
static void plan_eqs(Plan *pl) {
  Module *m = pl->m;
  int n = m->py ? m->py->neqs : 0;
  for (int i = 0; i < n; i++) pl->around[i] = holds_site(m, pl->skip, m->py->eqs[i].span);
  for (int i = 0; i < n; i++) {
    const EqInterp *e = &m->py->eqs[i];
    if (!pl->around[i]) continue;
    StrBuf lit = {0};
    pl->failed[i] = !eq_literal(m, e, &lit);
    str_free(&lit);
    if (!pl->failed[i]) continue;
    uint32_t line, col;
    offset_to_line_col(m->text, e->span.start, &line, &col);
    diag_report(DIAG_WARNING, m->file ? m->file->rel : m->name, line, col,
                "f-string `=` specifier around a boundary call cannot keep its text on one line; "
                "the calls inside it are not instrumented");
    for (int k = 0; k < m->calls.len; k++)
      if (in_span(m->calls.items[k], e->span)) pl->skip[k] = true;
  }
}

static void emit_eq(Plan *pl, EditList *out, int i) {
  const EqInterp *e = &pl->m->py->eqs[i];
  if (!pl->around[i] || pl->failed[i] || !holds_site(pl->m, pl->skip, e->span)) return;
  StrBuf lit = {0};
  eq_literal(pl->m, e, &lit);
  edit_insert(out, e->span.start, lit.data);
  edit_add(out, e->eq.start, e->next, e->converted ? "" : "!r");
  str_free(&lit);
}

/* ---- sites ------------------------------------------------------------------ */

/* Builtins that look at their caller's frame: called from the runtime they
 * would see the wrong one. */
static bool frame_sensitive(const Call *c) {
  static const char *const names[] = {"super", "locals", "vars", "dir", "eval", "exec", "globals"};
  if (c->form != CALL_PLAIN || !(c->args & SHAPE_NAME_CALLEE)) return false;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(c->text, names[i]) == 0) return true; /* an identifier's text is its name */
  return false;
}

/* ", " after the callee, or "," when the arguments start on the next line
 * (no trailing space left at the end of a line). */
static const char *separator_at(const Module *m, uint32_t after) {
  return after < m->len && (m->text[after] == '\n' || m->text[after] == '\r') ? "," : ", ";
}

/* The edits replace single bytes the names pass located (SHAPE_OK). */
static void emit_call(const Module *m, EditList *out, const Call *c) {
  char *head = xasprintf("%s.call(%d, ", m->rt, c->site_index);
  edit_insert(out, c->span.start, head);
  free(head);
  uint32_t lp = c->arg_open;
  if (c->args & SHAPE_GENERATOR) {
    edit_add(out, lp, lp + 1, ", (");
    edit_add(out, c->arg_close, c->arg_close + 1, "))");
    return;
  }
  edit_add(out, lp, lp + 1, c->args & ARGS_CODE ? separator_at(m, lp + 1) : "");
}

static void emit_read(const Module *m, EditList *out, const Call *c) {
  char *head = xasprintf("%s.read(%d, ", m->rt, c->site_index);
  edit_insert(out, c->span.start, head);
  free(head);
  edit_add(out, c->arg_open, c->arg_open + 1, ", ");
  edit_add(out, c->arg_close, c->arg_close + 1, ")");
}

void rewrite_python(Module *m, EditList *out) {
  const char *rel = m->file ? m->file->rel : m->name;
  runtime_name(m);
  int neqs = m->py ? m->py->neqs : 0;
  Plan pl = {m, xcalloc((size_t)m->calls.len + 1, sizeof(bool)), xcalloc((size_t)neqs + 1, sizeof(bool)),
             xcalloc((size_t)neqs + 1, sizeof(bool))};
  uint32_t first_site = UINT32_MAX;
  int live = 0;
  for (int i = 0; i < m->calls.len; i++) {
    Call *c = m->calls.items[i];
    if (c->site_index < 0) continue;
    if (!(c->args & SHAPE_OK)) {
      pl.skip[i] = true;
    } else if (frame_sensitive(c)) {
      diag_report(DIAG_WARNING, rel, c->line, c->col,
                  "`%s()` depends on its caller's frame; this boundary call is not instrumented", c->text);
      pl.skip[i] = true;
    }
  }
  plan_eqs(&pl);
  for (int i = 0; i < m->calls.len; i++) {
    Call *c = m->calls.items[i];
    if (c->site_index < 0 || pl.skip[i]) continue;
    live++;
    if (c->span.start < first_site) first_site = c->span.start;
  }
  Vec bridges = {0};
  bridge_statements(m, &bridges);
  if (bridges.len) {
    uint32_t s = ((const ImportStmt *)bridges.items[0])->span.start;
    if (s < first_site) first_site = s;
  }
  bool bound = (live || bridges.len) && place_binding(m, out, first_site);
  if ((live || bridges.len) && !bound) {
    diag_report(DIAG_WARNING, rel, 1, 1,
                "no line to bind the currant runtime on without adding one (the file starts with a "
                "statement that runs code); the file is not instrumented");
    live = 0;
  }
  for (int i = 0; bound && i < bridges.len; i++) rewrite_statement(m, bridges.items[i], out);
  vec_free(&bridges);
  for (int i = 0; live && i < m->calls.len; i++) {
    Call *c = m->calls.items[i];
    if (c->site_index < 0 || pl.skip[i]) continue;
    if (c->form == CALL_READ)
      emit_read(m, out, c);
    else emit_call(m, out, c);
  }
  for (int i = 0; live && i < neqs; i++) emit_eq(&pl, out, i);
  free(pl.skip), free(pl.failed), free(pl.around);
}
