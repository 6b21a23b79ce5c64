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
 * file is left uninstrumented with a warning — never broken.
 *
 * Owns rewrite_python().
 */
#include "currant.h"

#include <stdlib.h>
#include <string.h>

static bool is_type(TSNode n, const char *type) { return strcmp(ts_node_type(n), type) == 0; }

static TSNode field_of(TSNode n, const char *name) {
  return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/* First anonymous child of n spelled tok, or a null node. */
static TSNode token_child(TSNode n, const char *tok) {
  uint32_t k = ts_node_child_count(n);
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_child(n, i);
    if (!ts_node_is_named(c) && is_type(c, tok)) return c;
  }
  return (TSNode){0};
}

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
  str_puts(&b, "_currant = __import__(\"currant\").module(");
  put_py_string(&b, m->file && m->file->rel ? m->file->rel : m->name ? m->name : "");
  str_puts(&b, ")");
  return str_take(&b);
}

static bool is_compound(TSNode n) {
  static const char *const kinds[] = {"if_statement", "for_statement", "while_statement", "try_statement",
                                      "with_statement", "function_definition", "class_definition",
                                      "decorated_definition", "match_statement"};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (is_type(n, kinds[i])) return true;
  return false;
}

static bool is_docstring(TSNode n) {
  if (!is_type(n, "expression_statement") || ts_node_named_child_count(n) != 1) return false;
  TSNode s = ts_node_named_child(n, 0);
  return is_type(s, "string") || is_type(s, "concatenated_string");
}

/* True if some call (site or not) starts in [start, end). */
static bool has_call_in(const Module *m, uint32_t start, uint32_t end) {
  int lo = 0, hi = m->calls.len;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (((Call *)m->calls.items[mid])->span.start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < m->calls.len && ((Call *)m->calls.items[lo])->span.start < end;
}

/* A top-level statement that runs nothing of ours when executed: a plain
 * def without calls in its parameters or annotations. */
static bool is_inert(const Module *m, TSNode n) {
  if (!is_type(n, "function_definition")) return false;
  TSNode body = field_of(n, "body");
  return !ts_node_is_null(body) && !has_call_in(m, ts_node_start_byte(n), ts_node_start_byte(body));
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

/* `try:` runs its body's first statement first, at module scope: the first
 * simple statement down a chain of leading try bodies, or a null node. */
static TSNode first_simple_in_try(TSNode s) {
  while (is_type(s, "try_statement")) {
    TSNode body = field_of(s, "body");
    uint32_t k = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body), i = 0;
    while (i < k && is_type(ts_node_named_child(body, i), "comment")) i++;
    if (i == k) break;
    s = ts_node_named_child(body, i);
    if (!is_compound(s)) return s;
  }
  return (TSNode){0};
}

/* Adds the binding edit; false if it has nowhere to go. */
static bool place_binding(Module *m, EditList *out, uint32_t first_site) {
  TSNode root = ts_tree_root_node(m->tree);
  char *bind = binding_text(m);
  uint32_t k = ts_node_named_child_count(root), i = 0;
  bool ok = false;
  TSNode anchor = {0};
  while (i < k && is_type(ts_node_named_child(root, i), "comment")) i++;
  if (i < k && is_docstring(ts_node_named_child(root, i)) &&
      ts_node_end_byte(ts_node_named_child(root, i)) <= first_site)
    anchor = ts_node_named_child(root, i++);
  for (; i < k; i++) {
    TSNode s = ts_node_named_child(root, i);
    if (is_type(s, "comment")) continue;
    if (!is_type(s, "future_import_statement")) break;
    anchor = s;
  }
  if (!ts_node_is_null(anchor)) {
    char *t = xasprintf("; %s", bind);
    edit_insert(out, ts_node_end_byte(anchor), t);
    free(t);
    free(bind);
    return true;
  }
  /* Before the first simple statement, or on a free line before it, as
   * long as only inert statements come first. */
  uint32_t prev_end = 0;
  bool at_start = true;
  for (i = 0; i < k && !ok; i++) {
    TSNode s = ts_node_named_child(root, i);
    if (is_type(s, "comment")) continue;
    int64_t line = is_compound(s) ? free_line(m, prev_end, ts_node_start_byte(s), at_start) : -1;
    TSNode inner = is_compound(s) && line < 0 ? first_simple_in_try(s) : s;
    if (!ts_node_is_null(inner) && !is_compound(inner)) {
      char *t = xasprintf("%s; ", bind);
      edit_insert(out, ts_node_start_byte(inner), t);
      free(t);
      ok = true;
    } else if (line >= 0) {
      bool comment = m->text[line] == '#';
      char *t = xasprintf("%s%s", bind, comment ? " " : "");
      edit_insert(out, (uint32_t)line, t);
      free(t);
      ok = true;
    } else if (!is_inert(m, s)) {
      break;
    }
    prev_end = ts_node_end_byte(s);
    at_start = false;
  }
  free(bind);
  return ok;
}

/* ---- bridge imports --------------------------------------------------------- */

/* The statement holding imp (found from its position), or a null node. */
static TSNode statement_of(const Module *m, const Import *imp) {
  TSPoint pt = {imp->line - 1, imp->col - 1};
  TSNode n = ts_node_descendant_for_point_range(ts_tree_root_node(m->tree), pt, pt);
  while (!ts_node_is_null(n) && !is_type(n, "import_statement") && !is_type(n, "import_from_statement"))
    n = ts_node_parent(n);
  return n;
}

/* The import recorded for a child of an import statement. */
static const Import *import_at(const Module *m, TSNode child) {
  TSPoint pt = ts_node_start_point(child);
  for (int i = 0; i < m->imports.len; i++) {
    const Import *imp = m->imports.items[i];
    if (imp->line == pt.row + 1 && imp->col == pt.column + 1) return imp;
  }
  return NULL;
}

/* `NAME = _currant.bridge("js", "REL", [ASYNC...])[.attr]`; *value gets
 * where the value starts in b. */
static void bridge_binding(StrBuf *b, const Import *imp, size_t *value) {
  str_printf(b, "%s = ", imp->local);
  *value = b->len;
  str_puts(b, "_currant.bridge(\"js\", ");
  put_py_string(b, imp->bridge_to->file->rel);
  char *async = bridge_async_list(imp->bridge_to);
  str_printf(b, ", %s)", async);
  free(async);
  if (imp->kind == IMPORT_NAME) str_printf(b, ".%s", imp->name);
}

/* One statement per child, `; `-joined: `import X` for the children that
 * are not bridged (`import os, currant.js.p as p`), then the assignments
 * of the bridged ones.  *value: where the last assignment's value starts. */
static void statement_text(const Module *m, TSNode st, StrBuf *b, size_t *value) {
  bool from = is_type(st, "import_from_statement");
  TSNode mod = field_of(st, "module_name");
  uint32_t k = ts_node_named_child_count(st);
  for (int bridged = 0; bridged < 2; bridged++) {
    for (uint32_t i = 0; i < k; i++) {
      TSNode c = ts_node_named_child(st, i);
      if ((from && ts_node_eq(c, mod)) || is_type(c, "comment")) continue;
      const Import *imp = import_at(m, c);
      if ((imp && bridge_rewritable(m, imp)) != bridged) continue;
      if (b->len) str_puts(b, "; ");
      if (bridged) {
        bridge_binding(b, imp, value);
        continue;
      }
      str_puts(b, "import ");
      str_append(b, m->text + ts_node_start_byte(c), ts_node_end_byte(c) - ts_node_start_byte(c));
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
static void rewrite_statement(const Module *m, TSNode st, EditList *out) {
  StrBuf b = {0};
  size_t value = 0;
  statement_text(m, st, &b, &value);
  uint32_t s = ts_node_start_byte(st), e = ts_node_end_byte(st);
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
  uint32_t done = 0;
  for (int i = 0; i < m->imports.len; i++) {
    const Import *imp = m->imports.items[i];
    if (!bridge_rewritable(m, imp)) continue;
    TSNode st = statement_of(m, imp);
    if (ts_node_is_null(st) || ts_node_start_byte(st) < done) continue;
    done = ts_node_end_byte(st);
    TSNode *keep = xmalloc(sizeof *keep);
    *keep = st;
    vec_push(out, keep);
  }
}

/* ---- f"{expr=}" ------------------------------------------------------------- */

/* An interpolation with `=` that holds a site, and whether it can be
 * rewritten as literal source text + {expr!r}. */
typedef struct EqInterp {
  TSNode node;
  char quote;  /* the f-string's quote character */
  bool failed; /* the literal cannot be written: sites inside stay as they are */
} EqInterp;

typedef struct Plan {
  Module *m;
  Vec eqs;      /* EqInterp* */
  bool *skip;   /* per call index: leave uninstrumented */
} Plan;

static char string_quote(const char *text, TSNode str) {
  TSNode start = ts_node_child(str, 0);
  if (ts_node_is_null(start) || ts_node_end_byte(start) == 0) return '"';
  return text[ts_node_end_byte(start) - 1];
}

static void note_eq(Plan *pl, TSNode interp, char quote) {
  for (int i = 0; i < pl->eqs.len; i++)
    if (ts_node_eq(((EqInterp *)pl->eqs.items[i])->node, interp)) return;
  EqInterp *e = xcalloc(1, sizeof *e);
  e->node = interp;
  e->quote = quote;
  vec_push(&pl->eqs, e);
}

/* One cursor pass over the sites in preorder, noting the `=`
 * interpolations around them.  The cursor only moves forward: up past
 * nodes that end before the next site, along siblings, down into the node
 * holding it — so the pass is linear in the nodes it crosses, however deep
 * or wide the file (no restart from the root per site).  quotes[d] is the
 * quote of the innermost string at cursor depth d. */
typedef struct Finder {
  TSTreeCursor cur;
  char *quotes;
  uint32_t cap;
  uint32_t depth; /* tracked here: ts_tree_cursor_current_depth is O(depth) */
} Finder;

static void finder_entered(Plan *pl, Finder *fd) {
  uint32_t d = fd->depth;
  if (d + 1 >= fd->cap) {
    fd->cap = (d + 1) * 2;
    fd->quotes = xrealloc(fd->quotes, fd->cap);
  }
  TSNode n = ts_tree_cursor_current_node(&fd->cur);
  fd->quotes[d] = d ? fd->quotes[d - 1] : '"';
  if (is_type(n, "string")) fd->quotes[d] = string_quote(pl->m->text, n);
  else if (is_type(n, "interpolation") && !ts_node_is_null(token_child(n, "="))) note_eq(pl, n, fd->quotes[d]);
}

static void find_eq_ancestors(Plan *pl, Finder *fd, const Call *c) {
  for (;;) { /* forward until the cursor's node holds the site */
    TSNode n = ts_tree_cursor_current_node(&fd->cur);
    if (ts_node_start_byte(n) <= c->span.start && ts_node_end_byte(n) >= c->span.end) break;
    if (ts_node_end_byte(n) <= c->span.start && ts_tree_cursor_goto_next_sibling(&fd->cur)) {
      finder_entered(pl, fd);
      continue;
    }
    if (!ts_tree_cursor_goto_parent(&fd->cur)) return;
    fd->depth--;
  }
  for (;;) { /* down to the site */
    if (ts_node_eq(ts_tree_cursor_current_node(&fd->cur), c->node)) return;
    if (!ts_tree_cursor_goto_first_child(&fd->cur)) return;
    fd->depth++;
    finder_entered(pl, fd);
    while (ts_node_end_byte(ts_tree_cursor_current_node(&fd->cur)) <= c->span.start) {
      if (!ts_tree_cursor_goto_next_sibling(&fd->cur)) break;
      finder_entered(pl, fd);
    }
    TSNode ch = ts_tree_cursor_current_node(&fd->cur);
    if (ts_node_start_byte(ch) > c->span.start || ts_node_end_byte(ch) < c->span.end) return;
  }
}

/* Checks that the literal for e can be written; fills it in. */
static bool eq_literal(const Module *m, const EqInterp *e, StrBuf *lit, TSNode *eq, uint32_t *next) {
  TSNode brace = ts_node_child(e->node, 0);
  *eq = token_child(e->node, "=");
  if (ts_node_is_null(brace) || ts_node_is_null(*eq)) return false;
  uint32_t k = ts_node_child_count(e->node);
  *next = ts_node_end_byte(e->node);
  for (uint32_t i = 0; i < k; i++) {
    TSNode ch = ts_node_child(e->node, i);
    if (ts_node_start_byte(ch) > ts_node_start_byte(*eq)) {
      *next = ts_node_start_byte(ch);
      break;
    }
  }
  for (uint32_t p = ts_node_end_byte(brace); p < *next; p++) {
    char ch = m->text[p];
    if (ch == '\n' || ch == '\r' || ch == '\\' || ch == e->quote) return false;
    if (ch == '{' || ch == '}') str_append(lit, &ch, 1); /* doubled: literal braces */
    str_append(lit, &ch, 1);
  }
  for (uint32_t p = ts_node_end_byte(*eq); p < *next; p++)
    if (m->text[p] == '\n') return false;
  return true;
}

static bool in_node(const Call *c, TSNode n) {
  return c->span.start >= ts_node_start_byte(n) && c->span.end <= ts_node_end_byte(n);
}

/* Marks the sites inside failed interpolations as skipped. */
static void plan_eqs(Plan *pl) {
  Module *m = pl->m;
  for (int i = 0; i < pl->eqs.len; i++) {
    EqInterp *e = pl->eqs.items[i];
    StrBuf lit = {0};
    TSNode eq;
    uint32_t next;
    e->failed = !eq_literal(m, e, &lit, &eq, &next);
    str_free(&lit);
    if (!e->failed) continue;
    TSPoint pt = ts_node_start_point(e->node);
    diag_report(DIAG_WARNING, m->file ? m->file->rel : m->name, pt.row + 1, pt.column + 1,
                "f-string `=` specifier around a boundary call cannot keep its text on one line; "
                "the calls inside it are not instrumented");
    for (int k = 0; k < m->calls.len; k++)
      if (in_node(m->calls.items[k], e->node)) pl->skip[k] = true;
  }
}

static void emit_eq(Plan *pl, EditList *out, EqInterp *e) {
  bool live = false;
  for (int k = 0; k < pl->m->calls.len && !live; k++) {
    Call *c = pl->m->calls.items[k];
    live = c->site_index >= 0 && !pl->skip[k] && in_node(c, e->node);
  }
  if (e->failed || !live) return;
  StrBuf lit = {0};
  TSNode eq;
  uint32_t next;
  eq_literal(pl->m, e, &lit, &eq, &next);
  bool converted = !ts_node_is_null(field_of(e->node, "type_conversion")) ||
                   !ts_node_is_null(field_of(e->node, "format_specifier"));
  edit_insert(out, ts_node_start_byte(e->node), lit.data);
  edit_add(out, ts_node_start_byte(eq), next, converted ? "" : "!r");
  str_free(&lit);
}

/* ---- sites ------------------------------------------------------------------ */

/* Builtins that look at their caller's frame: called from the runtime they
 * would see the wrong one. */
static bool frame_sensitive(const Module *m, const Call *c) {
  static const char *const names[] = {"super", "locals", "vars", "dir", "eval", "exec", "globals"};
  TSNode fn = field_of(c->node, "function");
  if (c->form != CALL_PLAIN || ts_node_is_null(fn) || !is_type(fn, "identifier")) return false;
  uint32_t s = ts_node_start_byte(fn), e = ts_node_end_byte(fn);
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strlen(names[i]) == e - s && memcmp(m->text + s, names[i], e - s) == 0) return true;
  return false;
}

/* ", " after the callee, or "," when the arguments start on the next line
 * (no trailing space left at the end of a line). */
static const char *separator_at(const Module *m, uint32_t after) {
  return after < m->len && (m->text[after] == '\n' || m->text[after] == '\r') ? "," : ", ";
}

static void emit_call(const Module *m, EditList *out, const Call *c) {
  TSNode args = field_of(c->node, "arguments");
  char *head = xasprintf("_currant.call(%d, ", c->site_index);
  edit_insert(out, c->span.start, head);
  free(head);
  if (is_type(args, "generator_expression")) {
    uint32_t s = ts_node_start_byte(args), e = ts_node_end_byte(args);
    edit_add(out, s, s + 1, ", (");
    edit_add(out, e - 1, e, "))");
    return;
  }
  TSNode lp = ts_node_child(args, 0);
  bool has_args = false;
  uint32_t k = ts_node_named_child_count(args);
  for (uint32_t i = 0; i < k && !has_args; i++) {
    TSNode a = ts_node_named_child(args, i);
    has_args = !is_type(a, "comment") && !is_type(a, "line_continuation");
  }
  edit_add(out, ts_node_start_byte(lp), ts_node_end_byte(lp), has_args ? separator_at(m, ts_node_end_byte(lp)) : "");
}

static void emit_read(EditList *out, const Call *c) {
  TSNode lb = token_child(c->node, "[");
  TSNode rb = ts_node_child(c->node, ts_node_child_count(c->node) - 1);
  char *head = xasprintf("_currant.read(%d, ", c->site_index);
  edit_insert(out, c->span.start, head);
  free(head);
  edit_add(out, ts_node_start_byte(lb), ts_node_end_byte(lb), ", ");
  edit_add(out, ts_node_start_byte(rb), ts_node_end_byte(rb), ")");
}

/* The node shapes emit_* rely on; anything else is left alone. */
static bool site_shape_ok(const Call *c) {
  if (c->form == CALL_PLAIN) {
    TSNode args = field_of(c->node, "arguments");
    if (ts_node_is_null(args) || ts_node_is_null(field_of(c->node, "function"))) return false;
    if (is_type(args, "generator_expression")) return true;
    TSNode lp = ts_node_child(args, 0);
    return is_type(args, "argument_list") && !ts_node_is_null(lp) && is_type(lp, "(");
  }
  if (c->form == CALL_READ) {
    uint32_t n = ts_node_child_count(c->node);
    return n > 0 && !ts_node_is_null(token_child(c->node, "[")) && is_type(ts_node_child(c->node, n - 1), "]");
  }
  return false;
}

void rewrite_python(Module *m, EditList *out) {
  const char *rel = m->file ? m->file->rel : m->name;
  Plan pl = {m, {0}, xcalloc((size_t)m->calls.len + 1, sizeof(bool))};
  Finder fd = {ts_tree_cursor_new(ts_tree_root_node(m->tree)), xmalloc(64), 64, 0};
  fd.quotes[0] = '"';
  uint32_t first_site = UINT32_MAX;
  int live = 0;
  for (int i = 0; i < m->calls.len; i++) {
    Call *c = m->calls.items[i];
    if (c->site_index < 0) continue;
    if (!site_shape_ok(c)) {
      pl.skip[i] = true;
    } else if (frame_sensitive(m, c)) {
      diag_report(DIAG_WARNING, rel, c->line, c->col,
                  "`%s()` depends on its caller's frame; this boundary call is not instrumented", c->text);
      pl.skip[i] = true;
    } else {
      find_eq_ancestors(&pl, &fd, c);
    }
  }
  ts_tree_cursor_delete(&fd.cur);
  free(fd.quotes);
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
    uint32_t s = ts_node_start_byte(*(TSNode *)bridges.items[0]);
    if (s < first_site) first_site = s;
  }
  bool bound = (live || bridges.len) && place_binding(m, out, first_site);
  if ((live || bridges.len) && !bound) {
    diag_report(DIAG_WARNING, rel, 1, 1,
                "no line to bind the currant runtime on without adding one (the file starts with a "
                "statement that runs code); the file is not instrumented");
    live = 0;
  }
  for (int i = 0; i < bridges.len; i++) {
    if (bound) rewrite_statement(m, *(TSNode *)bridges.items[i], out);
    free(bridges.items[i]);
  }
  vec_free(&bridges);
  for (int i = 0; live && i < m->calls.len; i++) {
    Call *c = m->calls.items[i];
    if (c->site_index < 0 || pl.skip[i]) continue;
    if (c->form == CALL_READ) emit_read(out, c);
    else emit_call(m, out, c);
  }
  for (int i = 0; i < pl.eqs.len; i++) {
    if (live) emit_eq(&pl, out, pl.eqs.items[i]);
    free(pl.eqs.items[i]);
  }
  vec_free(&pl.eqs);
  free(pl.skip);
}
