/*
 * names_js.c — what every name of a JavaScript file refers to.
 *
 * One iterative walk (a TSTreeCursor plus our own ancestor stack, never C
 * recursion: a file nested thousands of levels deep must not overflow the
 * stack) records definitions, imports (require and ESM), exports, calls,
 * catalogued `process.env` reads, assignments and the scopes they live in.
 * JavaScript hoists: a call may name a `var`, a function or an import that
 * is declared further down.  So the walk only records which scope each call
 * sits in, and callees are resolved after it, against complete scopes: one
 * hash table keyed by (scope, name) makes each lookup a probe per enclosing
 * scope.  Resolution runs in post-order (inner calls before the calls that
 * use their results) so that `const h = await fs.promises.open(p);
 * h.read()` and `open(p).read()` see the origin of the value they call.
 * A `const` bound to a reference (`const now = Date.now`) is resolved as
 * that reference, read in the scope of its declaration.
 *
 * Binding modes travel down the ancestor stack: an identifier under a
 * declarator's name, a parameter list or a catch parameter declares; under
 * an assignment target it is written; anywhere else it is read (and feeds
 * the data dependencies of the call or assignment it sits in).
 */
#include "currant.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- grammar symbols, looked up once ------------------------------------ */

enum {
  K_OTHER, K_PROGRAM, K_IDENT, K_SHORTHAND_PAT, K_SHORTHAND_PROP, K_PROP_IDENT, K_PRIVATE_IDENT,
  K_THIS, K_SUPER, K_IMPORT, K_STRING, K_STRING_FRAG, K_TEMPLATE, K_CALL, K_NEW, K_MEMBER, K_SUBSCRIPT,
  K_ARGS, K_AWAIT, K_PAREN, K_FUNC_DECL, K_GEN_DECL, K_FUNC_EXPR, K_GEN_EXPR, K_ARROW, K_METHOD,
  K_CLASS_DECL, K_CLASS, K_CLASS_BODY, K_FIELD_DEF, K_STATIC_BLOCK, K_VAR_DECL, K_LEX_DECL,
  K_DECLARATOR, K_ASSIGN, K_AUG_ASSIGN, K_UPDATE, K_UNARY, K_FORMAL_PARAMS, K_OBJ_PAT, K_ARR_PAT,
  K_PAIR_PAT, K_ASSIGN_PAT, K_OBJ_ASSIGN_PAT, K_REST_PAT, K_BLOCK, K_FOR, K_FOR_IN, K_CATCH,
  K_SWITCH_BODY, K_IMPORT_STMT, K_EXPORT_STMT, K_EXPR_STMT, K_OBJECT, K_PAIR, K_COMMENT,
  K_LABELED, K_BREAK, K_CONTINUE, K_RETURN, K_NULL, K_TOKEN, K_COUNT
};

static const char *const kind_names[K_COUNT] = {
    [K_PROGRAM] = "program", [K_IDENT] = "identifier",
    [K_SHORTHAND_PAT] = "shorthand_property_identifier_pattern",
    [K_SHORTHAND_PROP] = "shorthand_property_identifier", [K_PROP_IDENT] = "property_identifier",
    [K_PRIVATE_IDENT] = "private_property_identifier", [K_THIS] = "this", [K_SUPER] = "super",
    [K_IMPORT] = "import", [K_STRING] = "string", [K_STRING_FRAG] = "string_fragment",
    [K_TEMPLATE] = "template_string", [K_CALL] = "call_expression", [K_NEW] = "new_expression",
    [K_MEMBER] = "member_expression", [K_SUBSCRIPT] = "subscript_expression", [K_ARGS] = "arguments",
    [K_AWAIT] = "await_expression", [K_PAREN] = "parenthesized_expression",
    [K_FUNC_DECL] = "function_declaration", [K_GEN_DECL] = "generator_function_declaration",
    [K_FUNC_EXPR] = "function_expression", [K_GEN_EXPR] = "generator_function",
    [K_ARROW] = "arrow_function", [K_METHOD] = "method_definition", [K_CLASS_DECL] = "class_declaration",
    [K_CLASS] = "class", [K_CLASS_BODY] = "class_body", [K_FIELD_DEF] = "field_definition",
    [K_STATIC_BLOCK] = "class_static_block", [K_VAR_DECL] = "variable_declaration",
    [K_LEX_DECL] = "lexical_declaration", [K_DECLARATOR] = "variable_declarator",
    [K_ASSIGN] = "assignment_expression", [K_AUG_ASSIGN] = "augmented_assignment_expression",
    [K_UPDATE] = "update_expression", [K_UNARY] = "unary_expression",
    [K_FORMAL_PARAMS] = "formal_parameters", [K_OBJ_PAT] = "object_pattern", [K_ARR_PAT] = "array_pattern",
    [K_PAIR_PAT] = "pair_pattern", [K_ASSIGN_PAT] = "assignment_pattern",
    [K_OBJ_ASSIGN_PAT] = "object_assignment_pattern", [K_REST_PAT] = "rest_pattern",
    [K_BLOCK] = "statement_block", [K_FOR] = "for_statement", [K_FOR_IN] = "for_in_statement",
    [K_CATCH] = "catch_clause", [K_SWITCH_BODY] = "switch_body", [K_IMPORT_STMT] = "import_statement",
    [K_EXPORT_STMT] = "export_statement", [K_EXPR_STMT] = "expression_statement", [K_OBJECT] = "object",
    [K_PAIR] = "pair", [K_COMMENT] = "comment", [K_LABELED] = "labeled_statement",
    [K_BREAK] = "break_statement", [K_CONTINUE] = "continue_statement",
    [K_RETURN] = "return_statement", [K_NULL] = "null",
};

enum {
  F_NAME, F_VALUE, F_BODY, F_PARAMETERS, F_PARAMETER, F_FUNCTION, F_ARGUMENTS, F_OBJECT, F_PROPERTY,
  F_INDEX, F_LEFT, F_RIGHT, F_KIND, F_CONSTRUCTOR, F_SOURCE, F_DECLARATION, F_ALIAS, F_OPTIONAL,
  F_OPERATOR, F_ARGUMENT, F_KEY, F_LABEL, F_COUNT
};
static const char *const field_names[F_COUNT] = {
    "name", "value", "body", "parameters", "parameter", "function", "arguments", "object", "property",
    "index", "left", "right", "kind", "constructor", "source", "declaration", "alias", "optional_chain",
    "operator", "argument", "key", "label",
};

static uint8_t *sym_kind;  /* symbol -> K_*; anonymous ones (punctuation, keywords) -> K_TOKEN */
static uint32_t nsyms;
static TSFieldId fid[F_COUNT];
static pthread_once_t syms_once = PTHREAD_ONCE_INIT;

static void load_symbols(void) {
  sym_kind = parse_kind_table(LANG_JAVASCRIPT, kind_names, K_COUNT, K_TOKEN, &nsyms);
  parse_field_ids(LANG_JAVASCRIPT, field_names, F_COUNT, fid);
}

/* The kind of a node, K_TOKEN for an anonymous one.  One symbol lookup:
 * the table knows which symbols are named (ts_node_symbol gives the alias,
 * whose named flag ts_node_is_named would read). */
static int kind_of_symbol(TSSymbol s) { return s < nsyms ? sym_kind[s] : K_OTHER; }

static int symbol_kind(TSNode n) { return kind_of_symbol(ts_node_symbol(n)); }

static int kind(TSNode n) {
  if (ts_node_is_null(n)) return K_OTHER;
  int k = symbol_kind(n);
  return k == K_TOKEN ? K_OTHER : k;
}

static TSNode field(TSNode n, int f) { return ts_node_child_by_field_id(n, fid[f]); }

static bool is_function_kind(int k) {
  return k == K_FUNC_DECL || k == K_GEN_DECL || k == K_FUNC_EXPR || k == K_GEN_EXPR || k == K_ARROW ||
         k == K_METHOD;
}

/* ---- the walk's state --------------------------------------------------- */

typedef enum { MODE_READ, MODE_SKIP, MODE_VAR, MODE_LET, MODE_PARAM, MODE_TARGET } Mode;
typedef enum { BK_LOCAL, BK_DEF, BK_IMPORT, BK_VALUE, BK_ALIAS, BK_PARAM } BindKind;

typedef struct Scope {
  int parent;     /* enclosing scope, -1 for the module */
  bool is_func;   /* var scope (function, static block, module) */
  int def;        /* Def this scope's names are locals of, -1 */
  int func;       /* Def calls here belong to, -1 at module level */
  int this_class; /* class Def `this` denotes here, -1 */
} Scope;

typedef struct Bind {
  int scope;      /* -1: empty slot */
  const char *name; /* into Module-owned strings or our own copies (owned by W.names) */
  BindKind kind;
  int index; /* def / import index; call index (BK_VALUE); alias index (BK_ALIAS); JsParam (BK_PARAM) */
} Bind;

typedef enum { HEAD_IDENT, HEAD_THIS, HEAD_SUPER, HEAD_CALL, HEAD_REQUIRE, HEAD_COMPUTED, HEAD_DYNIMPORT,
               HEAD_PRIVATE, HEAD_OTHER } HeadKind;

/* A call while the walk is running: the Call plus what resolution needs. */
typedef struct CallX {
  Call *c;
  int scope;       /* innermost scope of the call */
  HeadKind head;   /* what the callee chain starts with */
  char *head_name; /* HEAD_IDENT */
  char *path;      /* dotted property path after the head ("" none) */
  TSNode head_node;/* HEAD_CALL: the call the chain starts with */
  int import_index;/* HEAD_REQUIRE: synthesized import */
  bool is_read;    /* candidate process.env read */
  bool dropped;    /* not kept (a read of a shadowed `process`) */
  int recv;        /* unresolved `x.m()`: the CallX x is the result of, for link (Call.recv_call); -1 */
} CallX;

/* `return value` in a named function (an arrow's expression body too):
 * what a call of it gives. */
typedef struct JsReturn {
  int def;      /* the function */
  TSNode value; /* the value, parentheses and `await` stripped */
  int scope;    /* where a returned name is read */
  int cx;       /* after the walk: the CallX when value is a call / new, else -1 */
} JsReturn;

/* A positional parameter of a named function (`function ship(transport)`,
 * `const ship = (transport) => ...`) and the origin inferred for it: when
 * every call of the function in this file passes a value of one origin at
 * its place, the parameter holds that origin (settle_param_origins). */
typedef struct JsParam {
  int def;         /* the function */
  int pos;         /* 0-based among its parameters */
  bool reassigned; /* the body assigns it: nothing is inferred */
} JsParam;

/* `this.NAME = value` in a class's methods, or a field `NAME = value`:
 * what its instances hold under NAME, for `this.NAME.m()`. */
typedef struct ThisStore {
  int cls;      /* the class Def */
  char *name;   /* the property */
  TSNode value; /* the value; null for any other write (`+=`) */
  int cx;       /* after the walk: the CallX when value is a call / new, else -1 */
} ThisStore;

typedef struct Anc {
  TSNode node;
  uint8_t kind;
  uint8_t mode;      /* binding mode for identifiers below */
  bool in_opt;       /* an optional chain can skip this subtree */
  bool spine_opt;    /* call/subscript whose own chain has a `?.` */
  TSFieldId field;   /* field of node in its parent */
  int scope_pushed;  /* scope to restore on leave, -1 none */
  int assign;        /* declarator/assignment: Assign index, -1 */
  uint8_t coll_pushed; /* collectors this node pushed (0..2) */
  bool value_bind;   /* declarator: its name is bound to the call of its value */
  int cx;            /* call / read: CallX index, -1 */
  int args_of;       /* the arguments of a call / new: its CallX index, else -1 */
  bool last;         /* its later siblings hold nothing the walk records */
  int named_left;    /* named children not visited yet (none left: only tokens follow) */
} Anc;

/* Where the identifiers read below a node go: a call's uses or an
 * assignment's sources. */
typedef struct Collector {
  Vec *names;
} Collector;

typedef struct PendingExport {
  char *name;  /* exported name */
  char *local; /* local name it denotes, or NULL: alias */
  int alias;   /* with no local: the alias of the reference it is (`exports.now = Date.now`) */
} PendingExport;

/* `const now = Date.now`: a name that stays bound to what a reference
 * denotes (const: never assigned again), resolved where it is declared. */
typedef struct Alias {
  TSNode value; /* identifier or member chain of identifiers */
  int scope;    /* scope of the declaration */
} Alias;

typedef struct TaskWrap {
  int def;  /* the wrapped function */
  int call; /* the task(...) call (CallX index) */
} TaskWrap;

typedef struct W {
  Module *m;
  const char *src;
  Anc *anc;
  int nanc, canc;
  Scope *scopes;
  int nscopes, cscopes;
  int cur;
  Bind *tab;
  size_t tcap, tused;
  int *methods; /* method def indices by (class, name, index): class_method */
  int nmethods;
  Vec owned;        /* char*: binding names we allocated */
  CallX *cx;
  int ncx, ccx;
  int *post;        /* CallX indices in post-order */
  int npost, cpost;
  Collector *coll;
  int ncoll, ccoll;
  PendingExport *pex;
  int npex, cpex;
  TaskWrap *wraps;
  int nwraps, cwraps;
  Alias *aliases;
  int naliases, caliases;
  JsReturn *rets;
  int nrets, crets;
  ThisStore *stores; /* sorted by (cls, name) after the walk */
  int nstores, cstores;
  JsParam *params;
  int nparams, cparams;
  const char **param_origin; /* per JsParam after the walk: the origin inferred, or NULL */
  const char **def_origin; /* per Def: the origin of what a call of it returns, or NULL */
} W;

#define GROW(arr, n, cap)                                            \
  do {                                                               \
    if ((n) == (cap)) {                                              \
      (cap) = (cap) ? (cap) * 2 : 16;                                \
      (arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));        \
    }                                                                \
  } while (0)

/* ---- small text helpers ------------------------------------------------- */

static char *node_text(W *w, TSNode n) {
  return xstrndup(w->src + ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n));
}

static bool text_is(W *w, TSNode n, const char *s) {
  size_t len = ts_node_end_byte(n) - ts_node_start_byte(n);
  return strlen(s) == len && memcmp(w->src + ts_node_start_byte(n), s, len) == 0;
}

/* Callee text for the manifest: whitespace runs collapsed to one space,
 * whitespace next to `.` dropped, long texts (an IIFE's body) cut short. */
static char *collapsed_text(W *w, TSNode n) {
  enum { MAX = 120 };
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  /* Never longer than the source (a space stands for a whitespace run),
   * nor than MAX + 1 before the "...". */
  char *out = xmalloc((e - s < MAX + 1 ? e - s : MAX + 1) + sizeof "...");
  size_t len = 0;
  bool space = false;
  for (uint32_t i = s; i < e && len < MAX; i++) {
    char ch = w->src[i];
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      space = true;
      continue;
    }
    if (space && len && ch != '.' && ch != '?' && out[len - 1] != '.') out[len++] = ' ';
    space = false;
    out[len++] = ch;
  }
  if (len >= MAX) memcpy(out + len, "...", 3), len += 3;
  out[len] = '\0';
  return out;
}

/* The contents of a string literal node (no escapes processed), or NULL. */
static char *string_value(W *w, TSNode n) {
  if (kind(n) != K_STRING) return NULL;
  uint32_t s = ts_node_start_byte(n) + 1, e = ts_node_end_byte(n) - 1;
  if (e < s) return NULL;
  for (uint32_t i = s; i < e; i++)
    if (w->src[i] == '\\') return NULL;
  return xstrndup(w->src + s, e - s);
}

static TSNode strip_parens(TSNode n) {
  while (kind(n) == K_PAREN && ts_node_named_child_count(n) == 1) n = ts_node_named_child(n, 0);
  return n;
}

/* `require("x")` with one string argument: the spec, else NULL. */
static char *require_spec(W *w, TSNode call) {
  if (kind(call) != K_CALL) return NULL;
  TSNode fn = field(call, F_FUNCTION), args = field(call, F_ARGUMENTS);
  if (kind(fn) != K_IDENT || !text_is(w, fn, "require") || kind(args) != K_ARGS) return NULL;
  if (ts_node_named_child_count(args) != 1) return NULL;
  return string_value(w, ts_node_named_child(args, 0));
}

/* ---- scopes and bindings ------------------------------------------------ */

static uint64_t bind_hash(int scope, const char *name) {
  uint64_t h = 1469598103934665603ull ^ (uint64_t)(uint32_t)scope;
  for (const char *p = name; *p; p++) h = (h ^ (uint8_t)*p) * 1099511628211ull;
  return h;
}

static Bind *bind_slot(W *w, int scope, const char *name) {
  size_t mask = w->tcap - 1;
  for (size_t i = bind_hash(scope, name) & mask;; i = (i + 1) & mask) {
    Bind *b = &w->tab[i];
    if (b->scope < 0 || (b->scope == scope && strcmp(b->name, name) == 0)) return b;
  }
}

static void bind_grow(W *w) {
  Bind *old = w->tab;
  size_t oldcap = w->tcap;
  w->tcap = oldcap ? oldcap * 2 : 256;
  w->tab = xmalloc(w->tcap * sizeof *w->tab);
  for (size_t i = 0; i < w->tcap; i++) w->tab[i].scope = -1;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].scope >= 0) *bind_slot(w, old[i].scope, old[i].name) = old[i];
  free(old);
}

static const Bind *lookup(W *w, int scope, const char *name) {
  if (!w->tcap) return NULL;
  for (; scope >= 0; scope = w->scopes[scope].parent) {
    Bind *b = bind_slot(w, scope, name);
    if (b->scope >= 0) return b;
  }
  return NULL;
}

static int var_scope(W *w, int s) {
  while (!w->scopes[s].is_func) s = w->scopes[s].parent;
  return s;
}

/* A copy of a name for the module's names vectors (globals, locals, uses,
 * assigned, scope, targets, sources): those items are owned by
 * Module.strings, not heap copies of their own (see currant.h). */
static char *keep(W *w, const char *name, size_t len) { return names_strndup(&w->m->strings, name, len); }

/* Records name as a local of the Def owning scope s (or a module global). */
static void note_local(W *w, int s, const char *name, bool fresh) {
  int fs = var_scope(w, s);
  Module *m = w->m;
  if (fs == 0) {
    if (s == 0 && fresh) vec_push(&m->globals, keep(w, name, strlen(name)));
    return;
  }
  int d = w->scopes[fs].def;
  if (d < 0) return;
  Def *def = m->defs.items[d];
  if ((s == fs && fresh) || !vec_has_str(&def->locals, name)) vec_push(&def->locals, keep(w, name, strlen(name)));
}

/* Binds name in scope s.  Definitions and imports win over plain locals of
 * the same name (`var f; function f() {}`). */
static void bind(W *w, int s, const char *name, BindKind k, int index) {
  if (!name || !*name) return;
  if ((w->tused + 1) * 2 > w->tcap) bind_grow(w);
  Bind *b = bind_slot(w, s, name);
  bool fresh = b->scope < 0;
  if (fresh) {
    char *own = xstrdup(name);
    vec_push(&w->owned, own);
    *b = (Bind){s, own, k, index};
    w->tused++;
  } else if (k != BK_LOCAL || b->kind == BK_LOCAL) {
    b->kind = k, b->index = index;
  } else if (b->kind == BK_PARAM) {
    w->params[b->index].reassigned = true; /* `var transport = ...` over the parameter */
  }
  note_local(w, s, name, fresh);
}

static int push_scope(W *w, bool is_func, int def, int func, int this_class) {
  GROW(w->scopes, w->nscopes, w->cscopes);
  w->scopes[w->nscopes] = (Scope){w->cur, is_func, def, func, this_class};
  int prev = w->cur;
  w->cur = w->nscopes++;
  return prev;
}

/* ---- ancestors ---------------------------------------------------------- */

/* The ancestor `up` levels above the parent of the current node (the
 * current node itself is the top of the stack). */
static Anc *parent_anc(W *w, int up) { return w->nanc - 2 - up >= 0 ? &w->anc[w->nanc - 2 - up] : NULL; }

/* The nearest ancestor (starting `up` above the current node) that is not
 * a parenthesized expression; *depth gets its distance. */
static Anc *parent_skip_parens(W *w, int up, int *depth) {
  Anc *a;
  while ((a = parent_anc(w, up)) && a->kind == K_PAREN) up++;
  if (depth) *depth = up;
  return a;
}

/* ---- model objects ------------------------------------------------------ */

static int add_import(W *w, ImportKind k, const char *local, const char *spec, const char *name, TSNode at) {
  Import *imp = xcalloc(1, sizeof *imp);
  imp->kind = k;
  imp->local = local ? xstrdup(local) : NULL;
  imp->spec = xstrdup(spec);
  imp->name = name ? xstrdup(name) : NULL;
  size_t n = strlen(spec);
  imp->cross_lang = n >= 3 && strcmp(spec + n - 3, ".py") == 0;
  TSPoint p = ts_node_start_point(at);
  imp->line = p.row + 1, imp->col = p.column + 1;
  imp->resolved_file = -1;
  vec_push(&w->m->imports, imp);
  int idx = w->m->imports.len - 1;
  if (local) bind(w, 0, local, BK_IMPORT, idx);
  return idx;
}

static void add_export(W *w, const char *name, int def, int import) {
  Export *e = xcalloc(1, sizeof *e);
  e->name = xstrdup(name);
  e->def_index = def;
  e->import_index = import;
  vec_push(&w->m->exports, e);
  if (def >= 0) ((Def *)w->m->defs.items[def])->exported = true;
}

static void add_pending_export(W *w, const char *name, const char *local) {
  GROW(w->pex, w->npex, w->cpex);
  w->pex[w->npex++] = (PendingExport){xstrdup(name), xstrdup(local), -1};
}

/* Names bound by a pattern (identifier, object/array pattern, defaults,
 * rest), with an explicit stack. */
static void pattern_names(W *w, TSNode pat, Vec *out, bool in_module) {
  TSNode stack[64];
  int n = 0;
  stack[n++] = pat;
  while (n > 0) {
    TSNode p = stack[--n];
    switch (kind(p)) {
    case K_IDENT:
    case K_SHORTHAND_PAT: {
      char *s = node_text(w, p);
      if (vec_has_str(out, s)) {
        free(s);
      } else if (in_module) { /* out is a Module names vector: the copy goes to Module.strings */
        vec_push(out, keep(w, s, strlen(s)));
        free(s);
      } else {
        vec_push(out, s);
      }
      break;
    }
    case K_OBJ_PAT:
    case K_ARR_PAT:
    case K_REST_PAT:
      for (uint32_t i = ts_node_named_child_count(p); i-- > 0 && n < 64;) stack[n++] = ts_node_named_child(p, i);
      break;
    case K_PAIR_PAT:
      if (n < 64) stack[n++] = field(p, F_VALUE);
      break;
    case K_ASSIGN_PAT:
    case K_OBJ_ASSIGN_PAT:
      if (n < 64) stack[n++] = field(p, F_LEFT);
      break;
    default: break;
    }
  }
}

static void count_params(TSNode params, Def *d) {
  d->min_args = d->max_args = 0;
  bool optional = false;
  for (uint32_t i = 0; i < ts_node_named_child_count(params); i++) {
    TSNode p = ts_node_named_child(params, i);
    int k = kind(p);
    if (k == K_COMMENT) continue;
    if (k == K_REST_PAT) {
      d->max_args = -1;
      return;
    }
    if (k == K_ASSIGN_PAT) optional = true;
    d->max_args++;
    if (!optional) d->min_args++;
  }
}

/* "use task" as the first statement of a function body. */
static bool has_task_directive(W *w, TSNode body) {
  if (kind(body) != K_BLOCK) return false;
  for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
    TSNode st = ts_node_named_child(body, i);
    if (kind(st) == K_COMMENT) continue;
    if (kind(st) != K_EXPR_STMT || ts_node_named_child_count(st) != 1) return false;
    char *v = string_value(w, ts_node_named_child(st, 0));
    bool yes = v && strcmp(v, "use task") == 0;
    free(v);
    return yes;
  }
  return false;
}

static int add_def(W *w, DefKind k, const char *name, TSNode name_node, TSNode span, int parent) {
  Def *d = xcalloc(1, sizeof *d);
  d->kind = k;
  d->name = xstrdup(name);
  d->parent = parent;
  d->qualname = parent >= 0 ? xdotjoin(((Def *)w->m->defs.items[parent])->qualname, name) : xstrdup(name);
  TSPoint p = ts_node_start_point(ts_node_is_null(name_node) ? span : name_node);
  d->line = p.row + 1, d->col = p.column + 1;
  d->span = (Span){ts_node_start_byte(span), ts_node_end_byte(span)};
  d->max_args = 0;
  vec_push(&w->m->defs, d);
  return w->m->defs.len - 1;
}

/* ---- naming functions and classes from their context -------------------- */

typedef struct FnName {
  char *name;      /* inferred or own name, NULL: anonymous */
  TSNode name_node;
  int bind_scope;  /* scope to bind the name in, -1: none */
  const char *export_as; /* exported under this name, NULL */
  bool method;     /* class member */
  int wrap_anc;    /* ancestor index of a task(...) wrapper call, -1 */
} FnName;

static bool is_task_callee(W *w, TSNode fn) {
  fn = strip_parens(fn);
  if (kind(fn) == K_IDENT) return text_is(w, fn, "task");
  return kind(fn) == K_MEMBER && text_is(w, field(fn, F_PROPERTY), "task");
}

/* `exports.X` / `module.exports.X`: X's node, else null. */
static TSNode exports_member(W *w, TSNode n) {
  TSNode none = {0};
  if (kind(n) != K_MEMBER) return none;
  TSNode obj = field(n, F_OBJECT);
  bool ok = (kind(obj) == K_IDENT && text_is(w, obj, "exports")) ||
            (kind(obj) == K_MEMBER && text_is(w, obj, "module.exports"));
  return ok ? field(n, F_PROPERTY) : none;
}

static bool is_module_exports(W *w, TSNode n) { return kind(n) == K_MEMBER && text_is(w, n, "module.exports"); }

/* The declaration scope of a declarator (ancestor index di). */
static int declarator_scope(W *w, int di) {
  Anc *decl = di > 0 ? &w->anc[di - 1] : NULL;
  return decl && decl->kind == K_VAR_DECL ? var_scope(w, w->cur) : w->cur;
}

static void name_from_context(W *w, TSNode fn, int fk, FnName *out) {
  *out = (FnName){.bind_scope = -1, .wrap_anc = -1};
  TSNode own = field(fn, F_NAME);
  if (fk == K_FUNC_DECL || fk == K_GEN_DECL || fk == K_CLASS_DECL) {
    if (ts_node_is_null(own)) return;
    out->name = node_text(w, own), out->name_node = own, out->bind_scope = w->cur;
  } else if (fk == K_METHOD) {
    Anc *p = parent_anc(w, 0);
    int nk = kind(own);
    if (!p || p->kind != K_CLASS_BODY || (nk != K_PROP_IDENT && nk != K_PRIVATE_IDENT && nk != K_STRING)) return;
    out->name = nk == K_STRING ? string_value(w, own) : node_text(w, own);
    out->name_node = own, out->method = true;
    return;
  } else if (!ts_node_is_null(own)) {
    out->name = node_text(w, own), out->name_node = own;
  }
  int up;
  Anc *p = parent_skip_parens(w, 0, &up);
  Anc *call = p && p->kind == K_ARGS ? parent_anc(w, up + 1) : NULL;
  if (call && call->kind == K_CALL && is_task_callee(w, field(call->node, F_FUNCTION))) {
    out->wrap_anc = (int)(call - w->anc);
    p = parent_skip_parens(w, up + 2, &up);
  }
  if (!p) return;
  if (p->kind == K_EXPORT_STMT) {
    out->export_as = ts_node_is_null(field(p->node, F_DECLARATION)) ? "default" : out->name;
    if (fk == K_FUNC_DECL || fk == K_GEN_DECL || fk == K_CLASS_DECL) {
      TSNode first = ts_node_child(p->node, 1);
      if (!ts_node_is_null(first) && strcmp(ts_node_type(first), "default") == 0) out->export_as = "default";
    }
    if (!out->name) out->name = xstrdup("default");
    return;
  }
  if (p->kind == K_DECLARATOR) {
    TSNode nm = field(p->node, F_NAME);
    if (kind(nm) != K_IDENT) return;
    free(out->name);
    out->name = node_text(w, nm), out->name_node = nm;
    out->bind_scope = declarator_scope(w, (int)(p - w->anc));
    if (p - w->anc >= 2 && (p - 2)->kind == K_EXPORT_STMT) out->export_as = out->name;
  } else if (p->kind == K_ASSIGN) {
    TSNode left = field(p->node, F_LEFT);
    TSNode x = exports_member(w, left);
    if (!ts_node_is_null(x)) {
      free(out->name);
      out->name = node_text(w, x), out->name_node = x, out->export_as = out->name;
    } else if (is_module_exports(w, left)) {
      if (!out->name) out->name = xstrdup("default");
      out->export_as = "default";
    } else if (kind(left) == K_IDENT && !out->name) {
      out->name = node_text(w, left), out->name_node = left;
    }
  } else if (p->kind == K_FIELD_DEF && (fk == K_ARROW || fk == K_FUNC_EXPR)) {
    TSNode prop = field(p->node, F_PROPERTY);
    if (kind(prop) == K_PROP_IDENT || kind(prop) == K_PRIVATE_IDENT) {
      free(out->name);
      out->name = node_text(w, prop), out->name_node = prop, out->method = true;
    }
  }
}

/* The class Def a method's body (or a class field) belongs to. */
static int enclosing_class(W *w) { return w->scopes[w->cur].this_class; }

static void add_return(W *w, int s, TSNode v);

static void enter_function(W *w, TSNode n, int k, Anc *self) {
  FnName fnm;
  name_from_context(w, n, k, &fnm);
  int outer = w->scopes[w->cur].func;
  int def = -1;
  bool is_class = k == K_CLASS || k == K_CLASS_DECL;
  if (fnm.name) {
    int cls = fnm.method ? enclosing_class(w) : -1;
    DefKind dk = is_class ? DEF_CLASS : fnm.method && cls >= 0 ? DEF_METHOD : DEF_FUNCTION;
    def = add_def(w, dk, fnm.name, fnm.name_node, n, cls >= 0 ? cls : outer);
    Def *d = w->m->defs.items[def];
    TSNode first = ts_node_child(n, 0);
    d->is_async = !ts_node_is_null(first) && strcmp(ts_node_type(first), "async") == 0;
    if (!is_class) {
      TSNode params = field(n, F_PARAMETERS);
      if (!ts_node_is_null(params)) count_params(params, d);
      else d->min_args = d->max_args = 1; /* `x => ...` */
      d->is_task = d->task_directive = has_task_directive(w, field(n, F_BODY));
    }
    if (fnm.bind_scope >= 0) bind(w, fnm.bind_scope, fnm.name, BK_DEF, def);
    if (fnm.export_as) add_export(w, fnm.export_as, def, -1);
    if (fnm.wrap_anc >= 0) {
      GROW(w->wraps, w->nwraps, w->cwraps);
      w->wraps[w->nwraps++] = (TaskWrap){def, -1};
      /* the wrapper call is the most recent CallX whose node is that ancestor */
      for (int i = w->ncx - 1; i >= 0; i--)
        if (ts_node_eq(w->cx[i].c->node, w->anc[fnm.wrap_anc].node)) {
          w->wraps[w->nwraps - 1].call = i;
          break;
        }
    }
  }
  free(fnm.name);
  int this_class;
  if (is_class) this_class = def;
  else if (k == K_ARROW) this_class = w->scopes[w->cur].this_class;
  else if (fnm.method) this_class = enclosing_class(w);
  else this_class = -1;
  int func = def >= 0 ? def : outer;
  self->scope_pushed = push_scope(w, !is_class, def, func, this_class);
  TSNode body = field(n, F_BODY);
  if (k == K_ARROW && kind(body) != K_BLOCK) add_return(w, w->cur, body); /* `() => new OpenAI()` */
  /* A named function or class expression sees its own name inside. */
  TSNode own = field(n, F_NAME);
  if ((k == K_FUNC_EXPR || k == K_GEN_EXPR || k == K_CLASS) && kind(own) == K_IDENT) {
    char *s = node_text(w, own);
    bind(w, w->cur, s, def >= 0 ? BK_DEF : BK_LOCAL, def);
    free(s);
  }
}

/* ---- ESM import / export statements -------------------------------------- */

static char *spec_of(W *w, TSNode stmt) { return string_value(w, field(stmt, F_SOURCE)); }

/* The text of an import/export specifier name (identifier, `default` or a
 * string). */
static char *spec_name(W *w, TSNode n) {
  if (ts_node_is_null(n)) return NULL;
  return kind(n) == K_STRING ? string_value(w, n) : node_text(w, n);
}

static void enter_import(W *w, TSNode n) {
  char *spec = spec_of(w, n);
  if (!spec) return;
  bool any = false;
  for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
    TSNode clause = ts_node_named_child(n, i);
    if (strcmp(ts_node_type(clause), "import_clause") != 0) continue;
    for (uint32_t j = 0; j < ts_node_named_child_count(clause); j++) {
      TSNode c = ts_node_named_child(clause, j);
      const char *t = ts_node_type(c);
      if (kind(c) == K_IDENT) {
        char *l = node_text(w, c);
        add_import(w, IMPORT_DEFAULT, l, spec, NULL, c), any = true;
        free(l);
      } else if (strcmp(t, "namespace_import") == 0 && ts_node_named_child_count(c) == 1) {
        char *l = node_text(w, ts_node_named_child(c, 0));
        add_import(w, IMPORT_MODULE, l, spec, NULL, c), any = true;
        free(l);
      } else if (strcmp(t, "named_imports") == 0) {
        for (uint32_t s = 0; s < ts_node_named_child_count(c); s++) {
          TSNode sp = ts_node_named_child(c, s);
          if (strcmp(ts_node_type(sp), "import_specifier") != 0) continue;
          char *name = spec_name(w, field(sp, F_NAME));
          TSNode alias = field(sp, F_ALIAS);
          char *local = ts_node_is_null(alias) ? xstrdup(name ? name : "") : node_text(w, alias);
          if (name && strcmp(name, "default") == 0) add_import(w, IMPORT_DEFAULT, local, spec, NULL, sp);
          else if (name) add_import(w, IMPORT_NAME, local, spec, name, sp);
          any = true;
          free(name), free(local);
        }
      }
    }
  }
  if (!any) add_import(w, IMPORT_MODULE, NULL, spec, NULL, n); /* side-effect import */
  free(spec);
}

static void export_clause(W *w, TSNode clause, const char *spec, TSNode stmt) {
  for (uint32_t s = 0; s < ts_node_named_child_count(clause); s++) {
    TSNode sp = ts_node_named_child(clause, s);
    if (strcmp(ts_node_type(sp), "export_specifier") != 0) continue;
    char *name = spec_name(w, field(sp, F_NAME));
    char *alias = spec_name(w, field(sp, F_ALIAS));
    const char *exported = alias ? alias : name;
    if (name && spec) {
      bool dflt = strcmp(name, "default") == 0;
      int ix = add_import(w, dflt ? IMPORT_DEFAULT : IMPORT_NAME, NULL, spec, dflt ? NULL : name, stmt);
      Import *imp = w->m->imports.items[ix];
      imp->local = xstrdup(exported), imp->reexport = true;
      add_export(w, exported, -1, ix);
    } else if (name) {
      add_pending_export(w, exported, name);
    }
    free(name), free(alias);
  }
}

/* Returns false when the subtree needs no further walking. */
static bool enter_export(W *w, TSNode n) {
  char *spec = spec_of(w, n);
  bool descend = !spec;
  for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
    TSNode c = ts_node_named_child(n, i);
    const char *t = ts_node_type(c);
    if (strcmp(t, "export_clause") == 0) export_clause(w, c, spec, n);
    else if (strcmp(t, "namespace_export") == 0 && spec && ts_node_named_child_count(c) == 1) {
      char *as = spec_name(w, ts_node_named_child(c, 0));
      int ix = add_import(w, IMPORT_MODULE, NULL, spec, NULL, n);
      Import *imp = w->m->imports.items[ix];
      imp->local = as, imp->reexport = true;
      add_export(w, as, -1, ix);
    }
  }
  if (spec && ts_node_named_child_count(n) >= 1 && !descend) {
    bool star = true;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
      const char *t = ts_node_type(ts_node_named_child(n, i));
      if (strcmp(t, "export_clause") == 0 || strcmp(t, "namespace_export") == 0) star = false;
    }
    if (star) {
      int ix = add_import(w, IMPORT_STAR, NULL, spec, NULL, n);
      ((Import *)w->m->imports.items[ix])->reexport = true;
      add_export(w, "*", -1, ix);
    }
  }
  /* `export default ident` / `export const x = 1` are finished at the end. */
  TSNode value = field(n, F_VALUE);
  if (kind(value) == K_IDENT) {
    char *l = node_text(w, value);
    add_pending_export(w, "default", l);
    free(l);
  } else if (!ts_node_is_null(value) && !is_function_kind(kind(value)) && kind(value) != K_CLASS) {
    add_export(w, "default", -1, -1);
  }
  TSNode decl = field(n, F_DECLARATION);
  if (kind(decl) == K_LEX_DECL || kind(decl) == K_VAR_DECL) {
    for (uint32_t i = 0; i < ts_node_named_child_count(decl); i++) {
      TSNode d = ts_node_named_child(decl, i);
      if (kind(d) != K_DECLARATOR) continue;
      TSNode v = strip_parens(field(d, F_VALUE));
      if (is_function_kind(kind(v)) || kind(v) == K_CLASS) continue; /* exported when its Def is made */
      Vec names = {0};
      pattern_names(w, field(d, F_NAME), &names, false);
      for (int k = 0; k < names.len; k++) add_pending_export(w, names.items[k], names.items[k]), free(names.items[k]);
      vec_free(&names);
    }
  }
  free(spec);
  return descend;
}

/* ---- require forms, declarators and assignments ------------------------- */

/* The call a declarator's value is, through parens and await, else null. */
static TSNode value_call(TSNode value) {
  TSNode v = strip_parens(value);
  if (kind(v) == K_AWAIT && ts_node_named_child_count(v) == 1) v = strip_parens(ts_node_named_child(v, 0));
  if (kind(v) == K_CALL || kind(v) == K_NEW) return v;
  return (TSNode){0};
}

static bool is_fn_value(W *w, TSNode v) {
  v = strip_parens(v);
  int k = kind(v);
  if (is_function_kind(k) || k == K_CLASS) return true;
  if (k != K_CALL || !is_task_callee(w, field(v, F_FUNCTION))) return false;
  TSNode args = field(v, F_ARGUMENTS);
  uint32_t n = ts_node_named_child_count(args);
  return n > 0 && is_function_kind(kind(strip_parens(ts_node_named_child(args, n - 1))));
}

/* `const {a, b: c, ...rest} = require("x")`. */
static void require_pattern(W *w, TSNode pat, const char *spec) {
  for (uint32_t i = 0; i < ts_node_named_child_count(pat); i++) {
    TSNode p = ts_node_named_child(pat, i);
    int k = kind(p);
    if (k == K_OBJ_ASSIGN_PAT) p = field(p, F_LEFT), k = kind(p);
    char *name = NULL, *local = NULL;
    if (k == K_SHORTHAND_PAT) name = node_text(w, p), local = xstrdup(name);
    else if (k == K_PAIR_PAT) {
      TSNode key = field(p, F_KEY), val = field(p, F_VALUE);
      if (kind(val) == K_ASSIGN_PAT) val = field(val, F_LEFT);
      if (kind(val) == K_IDENT) local = node_text(w, val);
      name = kind(key) == K_STRING ? string_value(w, key) : kind(key) == K_PROP_IDENT ? node_text(w, key) : NULL;
    } else if (k == K_REST_PAT && ts_node_named_child_count(p) == 1) {
      char *l = node_text(w, ts_node_named_child(p, 0));
      add_import(w, IMPORT_MODULE, l, spec, NULL, p);
      free(l);
    }
    if (name && local) add_import(w, IMPORT_NAME, local, spec, name, p);
    free(name), free(local);
  }
}

/* Handles the require forms of a declarator; true if it was one. */
static bool declarator_require(W *w, TSNode name, TSNode value) {
  TSNode v = strip_parens(value);
  char *spec = require_spec(w, v);
  if (spec && kind(name) == K_IDENT) {
    char *l = node_text(w, name);
    add_import(w, IMPORT_MODULE, l, spec, NULL, name);
    free(l);
  } else if (spec && kind(name) == K_OBJ_PAT) {
    require_pattern(w, name, spec);
  } else if (kind(v) == K_MEMBER && ts_node_is_null(field(v, F_OPTIONAL)) && kind(name) == K_IDENT &&
             (spec = require_spec(w, strip_parens(field(v, F_OBJECT))))) {
    char *l = node_text(w, name), *prop = node_text(w, field(v, F_PROPERTY));
    add_import(w, IMPORT_NAME, l, spec, prop, name);
    free(l), free(prop);
  }
  bool done = spec != NULL;
  free(spec);
  return done;
}

static int add_assign(W *w, TSNode at) {
  Assign *a = xcalloc(1, sizeof *a);
  a->func = w->scopes[w->cur].func;
  a->pos = ts_node_start_byte(at);
  vec_push(&w->m->assigns, a);
  return w->m->assigns.len - 1;
}

/* The declarator being entered sits in a `const` declaration. */
static bool is_const(W *w) {
  Anc *decl = parent_anc(w, 0);
  if (!decl || decl->kind != K_LEX_DECL) return false;
  TSNode kw = field(decl->node, F_KIND);
  return !ts_node_is_null(kw) && text_is(w, kw, "const");
}

/* An identifier, or a chain of non-optional `.name` accesses on one. */
static bool is_reference(TSNode n) {
  for (n = strip_parens(n); kind(n) == K_MEMBER; n = strip_parens(field(n, F_OBJECT)))
    if (kind(field(n, F_PROPERTY)) != K_PROP_IDENT || !ts_node_is_null(field(n, F_OPTIONAL))) return false;
  return kind(n) == K_IDENT;
}

static int new_alias(W *w, TSNode value) {
  GROW(w->aliases, w->naliases, w->caliases);
  w->aliases[w->naliases] = (Alias){value, w->cur};
  return w->naliases++;
}

static void bind_alias(W *w, TSNode name, TSNode value) {
  char *l = node_text(w, name);
  bind(w, w->cur, l, BK_ALIAS, new_alias(w, value));
  free(l);
}

/* The identifier a reference starts with. */
static TSNode reference_root(TSNode n) {
  for (n = strip_parens(n); kind(n) == K_MEMBER;) n = strip_parens(field(n, F_OBJECT));
  return n;
}

/* `exports.now = Date.now`, `module.exports = { now: Date.now }`: exported
 * as the reference it is (an identifier goes through its binding; one
 * through the module's own exports is not followed). */
static void export_value(W *w, const char *name, TSNode value) {
  if (kind(value) == K_IDENT) {
    char *l = node_text(w, value);
    add_pending_export(w, name, l);
    free(l);
  } else if (is_reference(value) && !text_is(w, reference_root(value), "exports") &&
             !text_is(w, reference_root(value), "module")) {
    GROW(w->pex, w->npex, w->cpex);
    w->pex[w->npex++] = (PendingExport){xstrdup(name), NULL, new_alias(w, value)};
  } else {
    add_export(w, name, -1, -1);
  }
}

static void enter_declarator(W *w, TSNode n, Anc *self) {
  TSNode name = field(n, F_NAME), value = field(n, F_VALUE);
  if (ts_node_is_null(value)) return;
  self->assign = add_assign(w, n);
  pattern_names(w, name, &((Assign *)w->m->assigns.items[self->assign])->targets, true);
  if (declarator_require(w, name, value)) self->mode = MODE_SKIP;
  else if (kind(name) == K_IDENT && is_fn_value(w, value))
    self->mode = MODE_SKIP; /* bound when the function is entered */
  else if (kind(name) == K_IDENT && !ts_node_is_null(value_call(value)))
    self->mode = MODE_SKIP, self->value_bind = true; /* bound when the call is entered */
  else if (kind(name) == K_IDENT && is_const(w) && is_reference(value))
    self->mode = MODE_SKIP, bind_alias(w, name, strip_parens(value));
}

/* `module.exports = {f, g: h}` / `= f`, `exports.f = g`. */
static void assignment_exports(W *w, TSNode left, TSNode right) {
  TSNode x = exports_member(w, left);
  right = strip_parens(right);
  if (!ts_node_is_null(x)) {
    if (is_function_kind(kind(right)) || kind(right) == K_CLASS) return; /* its Def exports it */
    char *name = node_text(w, x);
    export_value(w, name, right);
    free(name);
    return;
  }
  if (!is_module_exports(w, left)) return;
  if (kind(right) == K_IDENT) {
    char *l = node_text(w, right);
    add_pending_export(w, "default", l);
    free(l);
    return;
  }
  if (kind(right) != K_OBJECT) return;
  for (uint32_t i = 0; i < ts_node_named_child_count(right); i++) {
    TSNode p = ts_node_named_child(right, i);
    if (kind(p) == K_SHORTHAND_PROP) {
      char *l = node_text(w, p);
      add_pending_export(w, l, l);
      free(l);
    } else if (kind(p) == K_PAIR) {
      TSNode key = field(p, F_KEY);
      char *name = kind(key) == K_STRING ? string_value(w, key) : node_text(w, key);
      if (name) export_value(w, name, strip_parens(field(p, F_VALUE)));
      free(name);
    }
  }
}

static void add_this_store(W *w, TSNode target, TSNode value);

static void enter_assignment(W *w, TSNode n, Anc *self) {
  TSNode left = field(n, F_LEFT), right = field(n, F_RIGHT);
  self->assign = add_assign(w, n);
  pattern_names(w, strip_parens(left), &((Assign *)w->m->assigns.items[self->assign])->targets, true);
  if (kind(n) == K_ASSIGN) assignment_exports(w, left, right);
  add_this_store(w, left, kind(n) == K_ASSIGN ? right : (TSNode){0});
}

/* ---- calls and reads ---------------------------------------------------- */

/* False when no `?.` token can be part of n's chain: the text from n's
 * start to its arguments (or its end, without) holds no "?." (the
 * optional_chain token's text).  A cheap test before the field lookups of
 * chain_has_optional: optional chains are rare. */
static bool may_hold_optional(W *w, TSNode n, TSNode args) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_is_null(args) ? ts_node_end_byte(n) : ts_node_start_byte(args);
  return memmem(w->src + s, e - s, "?.", 2) != NULL;
}

/* True if the chain a call or member access is made of (down through
 * callees and objects, not through parentheses) holds a `?.`. */
static bool chain_has_optional(TSNode n) {
  for (;;) {
    int k = kind(n);
    if (k != K_CALL && k != K_MEMBER && k != K_SUBSCRIPT) return false;
    if (!ts_node_is_null(field(n, F_OPTIONAL))) return true;
    n = field(n, k == K_CALL ? F_FUNCTION : F_OBJECT);
  }
}

/* A call of node n (arguments: args, may be null) whose text is text_of's. */
static int new_callx(W *w, TSNode n, CallForm form, TSNode text_of, TSNode args) {
  Call *c = xcalloc(1, sizeof *c);
  c->form = form;
  c->node = n;
  c->span = (Span){ts_node_start_byte(n), ts_node_end_byte(n)};
  TSPoint p = ts_node_start_point(n);
  c->line = p.row + 1, c->col = p.column + 1;
  c->func = w->scopes[w->cur].func;
  c->text = collapsed_text(w, text_of);
  /* the bridge's arity check and `new X()` (boundaries) read these; the
   * walk counts the arguments (push_anc) */
  parse_args_begin(LANG_JAVASCRIPT, args, c);
  c->target_module = c->target_def = -1;
  c->site_index = c->recv_call = -1;
  GROW(w->cx, w->ncx, w->ccx);
  w->cx[w->ncx] = (CallX){.c = c, .scope = w->cur, .head = HEAD_OTHER, .import_index = -1, .recv = -1};
  return w->ncx++;
}

/* Walks a callee down to its head, collecting the property path. */
static void analyse_callee(W *w, CallX *x, TSNode callee) {
  Vec segs = {0};
  TSNode n = callee;
  for (;;) {
    n = strip_parens(n);
    int k = kind(n);
    if (k == K_MEMBER) {
      TSNode prop = field(n, F_PROPERTY);
      if (kind(prop) == K_PRIVATE_IDENT) {
        x->head = HEAD_PRIVATE;
        break;
      }
      vec_push(&segs, node_text(w, prop));
      n = field(n, F_OBJECT);
      continue;
    }
    if (k == K_SUBSCRIPT) {
      char *s = string_value(w, strip_parens(field(n, F_INDEX)));
      if (!s) {
        x->head = HEAD_COMPUTED;
        break;
      }
      vec_push(&segs, s);
      n = field(n, F_OBJECT);
      continue;
    }
    if (k == K_IDENT) x->head = HEAD_IDENT, x->head_name = node_text(w, n);
    else if (k == K_THIS) x->head = HEAD_THIS;
    else if (k == K_SUPER) x->head = HEAD_SUPER;
    else if (k == K_IMPORT) x->head = HEAD_DYNIMPORT;
    else if (k == K_NEW) x->head = HEAD_CALL, x->head_node = n;
    else if (k == K_CALL) {
      char *spec = require_spec(w, n);
      if (spec) x->head = HEAD_REQUIRE, x->import_index = add_import(w, IMPORT_MODULE, NULL, spec, NULL, n);
      else x->head = HEAD_CALL, x->head_node = n;
      free(spec);
    }
    break;
  }
  StrBuf path = {0};
  for (int i = segs.len - 1; i >= 0; i--) {
    if (path.len) str_append(&path, ".", 1);
    str_puts(&path, segs.items[i]);
    free(segs.items[i]);
  }
  vec_free(&segs);
  x->path = path.data ? str_take(&path) : xstrdup("");
}

/* Names a call's result is bound to (`const x = f()`, `x = await f()`,
 * destructuring); binds `const x = f()` as a value of that call. */
static void call_assigned(W *w, int cxi) {
  int up;
  Anc *p = parent_skip_parens(w, 0, &up);
  if (p && p->kind == K_AWAIT) p = parent_skip_parens(w, up + 1, &up);
  if (!p) return;
  Call *c = w->cx[cxi].c;
  if (p->kind == K_DECLARATOR) {
    TSNode name = field(p->node, F_NAME);
    pattern_names(w, name, &c->assigned, true);
    if (p->value_bind && c->assigned.len == 1)
      bind(w, declarator_scope(w, (int)(p - w->anc)), c->assigned.items[0], BK_VALUE, cxi);
  } else if (p->kind == K_ASSIGN) {
    pattern_names(w, strip_parens(field(p->node, F_LEFT)), &c->assigned, true);
  }
}

static void enter_call(W *w, TSNode n, int k, Anc *self) {
  TSNode callee = field(n, k == K_NEW ? F_CONSTRUCTOR : F_FUNCTION);
  TSNode args = field(n, F_ARGUMENTS);
  CallForm form = k == K_NEW ? CALL_NEW : kind(args) == K_TEMPLATE ? CALL_TAGGED : CALL_PLAIN;
  int i = new_callx(w, n, form, callee, args);
  self->cx = i;
  Call *c = w->cx[i].c;
  int up;
  Anc *p = parent_skip_parens(w, 0, &up);
  c->awaited = p && p->kind == K_AWAIT;
  self->spine_opt = k == K_CALL && may_hold_optional(w, n, args) && chain_has_optional(n);
  c->in_optional = self->spine_opt || self->in_opt;
  call_assigned(w, i);
  analyse_callee(w, &w->cx[i], callee);
}

/* `process.env.K` / `process.env[k]` read as an rvalue: a candidate read
 * (kept if `process` turns out to be the global). */
static void maybe_read(W *w, TSNode n, Anc *self) {
  /* The head `process` starts n (a node never starts with an extra): a
   * cheap test before the field lookups, for every member access. */
  uint32_t s = ts_node_start_byte(n);
  if (ts_node_end_byte(n) - s <= 7 || memcmp(w->src + s, "process", 7) != 0) return;
  TSNode obj = field(n, F_OBJECT);
  if (kind(obj) != K_MEMBER || !ts_node_is_null(field(n, F_OPTIONAL)) || !ts_node_is_null(field(obj, F_OPTIONAL)))
    return;
  TSNode head = field(obj, F_OBJECT);
  if (kind(head) != K_IDENT || !text_is(w, head, "process") || !text_is(w, field(obj, F_PROPERTY), "env")) return;
  if (self->mode != MODE_READ) return;
  int up;
  Anc *p = parent_skip_parens(w, 0, &up);
  if (p) {
    TSFieldId f = (p + 1)->field;
    int pk = p->kind;
    if ((pk == K_ASSIGN || pk == K_AUG_ASSIGN || pk == K_FOR_IN) && f == fid[F_LEFT]) return;
    if (pk == K_UPDATE) return;
    if (pk == K_UNARY && text_is(w, field(p->node, F_OPERATOR), "delete")) return;
    if (pk == K_CALL && f == fid[F_FUNCTION]) return; /* process.env.hasOwnProperty(k): a method call */
  }
  int i = new_callx(w, n, CALL_READ, n, (TSNode){0});
  w->cx[i].is_read = true;
  w->cx[i].head = HEAD_IDENT;
  w->cx[i].head_name = xstrdup("process");
  w->cx[i].path = xstrdup("env");
  w->cx[i].c->in_optional = self->in_opt;
  self->cx = i;
}

/* ---- identifiers and collectors ----------------------------------------- */

static void push_collector(W *w, Vec *names, Anc *self) {
  GROW(w->coll, w->ncoll, w->ccoll);
  w->coll[w->ncoll++] = (Collector){names};
  self->coll_pushed++;
}

/* v is a call's uses or an assignment's sources: a Module names vector. */
static void add_name(W *w, Vec *v, const char *name, size_t len) {
  if (!v) return; /* inside a function body: not evaluated with the arguments */
  for (int i = 0; i < v->len; i++)
    if (strncmp(v->items[i], name, len) == 0 && ((char *)v->items[i])[len] == '\0') return;
  vec_push(v, keep(w, name, len));
}

static void pop_collector(W *w) {
  Collector done = w->coll[--w->ncoll];
  if (w->ncoll == 0 || !done.names) return;
  Vec *into = w->coll[w->ncoll - 1].names;
  for (int i = 0; i < done.names->len; i++) add_name(w, into, done.names->items[i], strlen(done.names->items[i]));
}

/* Arguments past this many are not looked at for parameter origins. */
#define MAX_INFERRED_ARGS 16

/* A JsParam for identifier n if it is a positional parameter of the
 * function whose scope is current (directly in its parameter list, with a
 * default or not, or an arrow's lone parameter); -1 otherwise (a
 * destructured or rest parameter). */
static int param_new(W *w, TSNode n) {
  const Anc *p = parent_anc(w, 0);
  int def = w->scopes[w->cur].def;
  if (!p || def < 0) return -1;
  TSNode list = p->node, item = n;
  if (p->kind == K_ASSIGN_PAT) {
    const Anc *pp = parent_anc(w, 1);
    if (!pp || pp->kind != K_FORMAL_PARAMS) return -1;
    list = pp->node, item = p->node;
  } else if (p->kind == K_ARROW) {
    list = (TSNode){0};
  } else if (p->kind != K_FORMAL_PARAMS) {
    return -1;
  }
  int pos = 0;
  if (!ts_node_is_null(list)) {
    uint32_t k = ts_node_named_child_count(list);
    while ((uint32_t)pos < k && !ts_node_eq(ts_node_named_child(list, (uint32_t)pos), item)) pos++;
  }
  GROW(w->params, w->nparams, w->cparams);
  w->params[w->nparams] = (JsParam){def, pos, false};
  return w->nparams++;
}

static void enter_identifier(W *w, TSNode n, int k, Anc *self) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  switch (self->mode) {
  case MODE_READ:
    if (k != K_SHORTHAND_PAT && w->ncoll > 0) add_name(w, w->coll[w->ncoll - 1].names, w->src + s, e - s);
    break;
  case MODE_VAR:
  case MODE_LET:
  case MODE_PARAM: {
    char *name = xstrndup(w->src + s, e - s);
    int param = self->mode == MODE_PARAM ? param_new(w, n) : -1;
    bind(w, self->mode == MODE_VAR ? var_scope(w, w->cur) : w->cur, name, param >= 0 ? BK_PARAM : BK_LOCAL,
         param);
    free(name);
    break;
  }
  case MODE_TARGET: { /* `transport = other`: the parameter holds what was assigned */
    char *name = xstrndup(w->src + s, e - s);
    const Bind *b = lookup(w, w->cur, name);
    if (b && b->kind == BK_PARAM) w->params[b->index].reassigned = true;
    free(name);
    break;
  }
  default: break;
  }
}

/* The binding mode of a child with field f under parent p. */
static uint8_t child_mode(W *w, const Anc *p, TSFieldId f) {
  if (!p) return MODE_READ;
  switch (p->kind) {
  case K_DECLARATOR: return f == fid[F_NAME] ? p->mode : MODE_READ;
  case K_FORMAL_PARAMS: return MODE_PARAM;
  case K_ARROW: return f == fid[F_PARAMETER] ? MODE_PARAM : MODE_READ;
  case K_CATCH: return f == fid[F_PARAMETER] ? MODE_LET : MODE_READ;
  case K_FOR_IN: {
    if (f != fid[F_LEFT]) return MODE_READ;
    TSNode kw = field(p->node, F_KIND);
    if (ts_node_is_null(kw)) return MODE_TARGET;
    return text_is(w, kw, "var") ? MODE_VAR : MODE_LET;
  }
  case K_ASSIGN: return f == fid[F_LEFT] ? MODE_TARGET : MODE_READ;
  case K_OBJ_PAT:
  case K_ARR_PAT:
  case K_REST_PAT: return p->mode;
  case K_PAIR_PAT: return f == fid[F_VALUE] ? p->mode : MODE_READ;
  case K_ASSIGN_PAT:
  case K_OBJ_ASSIGN_PAT: return f == fid[F_LEFT] ? p->mode : MODE_READ;
  case K_FUNC_DECL:
  case K_GEN_DECL:
  case K_FUNC_EXPR:
  case K_GEN_EXPR:
  case K_CLASS_DECL:
  case K_CLASS: return f == fid[F_NAME] ? MODE_SKIP : MODE_READ;
  default: return MODE_READ;
  }
}

/* Whether the children of p with field f can be skipped by an optional
 * chain of p. */
static bool child_in_opt(const Anc *p, TSFieldId f) {
  if (!p) return false;
  if (p->in_opt) return true;
  if (!p->spine_opt) return false;
  return (p->kind == K_CALL && f == fid[F_ARGUMENTS]) || (p->kind == K_SUBSCRIPT && f == fid[F_INDEX]) ||
         (p->kind == K_MEMBER && f == fid[F_PROPERTY]);
}

/* ---- the walk ----------------------------------------------------------- */

/* Whether the field its children sit in matters under an ancestor p (the
 * cases of child_mode, child_in_opt, maybe_collect and maybe_read that
 * read it): only then is a child's field id looked up, which costs a walk
 * up the cursor's stack per node. */
static bool field_matters(const Anc *p) {
  switch (p->kind) {
  case K_DECLARATOR:
  case K_ARROW:
  case K_CATCH:
  case K_FOR_IN:
  case K_ASSIGN:
  case K_AUG_ASSIGN:
  case K_PAIR_PAT:
  case K_ASSIGN_PAT:
  case K_OBJ_ASSIGN_PAT:
  case K_FUNC_DECL:
  case K_GEN_DECL:
  case K_FUNC_EXPR:
  case K_GEN_EXPR:
  case K_CLASS_DECL:
  case K_CLASS:
  case K_CALL:
  case K_NEW: return true;
  case K_SUBSCRIPT: return p->spine_opt;
  default: return false;
  }
}

/* Pushes the node under the cursor, of kind k (named).  After its
 * parent's last named child only tokens follow, and after a member
 * access's object only its property, a leaf that records nothing: then it
 * is the last child that matters, and the walk goes up at once instead of
 * stepping over the rest (a cursor step costs more than anything the walk
 * does for a node). */
static void push_anc(W *w, const WalkCursor *cur, TSNode n, TSSymbol sym, int k) {
  GROW(w->anc, w->nanc, w->canc);
  Anc *p = w->nanc ? &w->anc[w->nanc - 1] : NULL;
  if (p) p->named_left--;
  if (p && p->args_of >= 0) parse_count_arg(LANG_JAVASCRIPT, sym, w->cx[p->args_of].c);
  TSFieldId f = p && field_matters(p) ? cursor_field_id(cur) : 0;
  Anc a = {
      .node = n, .kind = (uint8_t)k, .field = f, .scope_pushed = -1, .assign = -1, .cx = -1, .args_of = -1};
  if (p && (p->kind == K_CALL || p->kind == K_NEW) && f == fid[F_ARGUMENTS]) a.args_of = p->cx;
  a.mode = child_mode(w, p, f);
  a.in_opt = child_in_opt(p, f);
  a.last = p && (p->named_left == 0 ||
                 (p->kind == K_MEMBER && ts_node_start_byte(n) == ts_node_start_byte(p->node))); /* object first */
  w->anc[w->nanc++] = a;
}

static void enter_block(W *w, int k, Anc *self) {
  Scope *cur = &w->scopes[w->cur];
  if (k == K_BLOCK) {
    Anc *p = parent_anc(w, 0);
    if (p && is_function_kind(p->kind)) return; /* the function's own scope */
  }
  self->scope_pushed = push_scope(w, k == K_STATIC_BLOCK, -1, cur->func, cur->this_class);
}

/* The collector (if any) a child with field f of p feeds. */
static void maybe_collect(W *w, Anc *self) {
  Anc *p = parent_anc(w, 0);
  if (!p) return;
  TSFieldId f = self->field;
  if ((p->kind == K_CALL || p->kind == K_NEW) && f == fid[F_ARGUMENTS] && p->cx >= 0)
    push_collector(w, &w->cx[p->cx].c->uses, self);
  else if (p->assign >= 0 && ((p->kind == K_DECLARATOR && f == fid[F_VALUE]) ||
                              ((p->kind == K_ASSIGN || p->kind == K_AUG_ASSIGN) && f == fid[F_RIGHT])))
    push_collector(w, &((Assign *)w->m->assigns.items[p->assign])->sources, self);
}

/* ---- values of known origin through returns and `this` ------------------ */

/* v without parentheses and `await`. */
static TSNode returned_value(TSNode v) {
  for (v = strip_parens(v); kind(v) == K_AWAIT; v = strip_parens(ts_node_named_child(v, 0))) {
  }
  return v;
}

/* `return v` (or an arrow's expression body v) in the function whose scope
 * is s: recorded for that function unless it is anonymous; `return`,
 * `return null` and `return undefined` say nothing about it. */
static void add_return(W *w, int s, TSNode v) {
  while (s >= 0 && !w->scopes[s].is_func) s = w->scopes[s].parent;
  int def = s >= 0 ? w->scopes[s].def : -1;
  v = returned_value(v);
  if (def < 0 || ts_node_is_null(v) || kind(v) == K_NULL ||
      (kind(v) == K_IDENT && text_is(w, v, "undefined")))
    return;
  GROW(w->rets, w->nrets, w->crets);
  w->rets[w->nrets++] = (JsReturn){def, v, w->cur, -1};
}

static void enter_return(W *w, TSNode n) {
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++) {
    TSNode v = ts_node_named_child(n, i);
    if (kind(v) != K_COMMENT) return add_return(w, w->cur, v);
  }
}

/* A write of `this.NAME` (value: what is assigned, null for `+=` and the
 * like) in a class whose instances `this` denotes here. */
static void add_this_store(W *w, TSNode target, TSNode value) {
  target = strip_parens(target);
  int cls = w->scopes[w->cur].this_class;
  if (cls < 0 || kind(target) != K_MEMBER || kind(field(target, F_OBJECT)) != K_THIS) return;
  TSNode prop = field(target, F_PROPERTY);
  if (kind(prop) != K_PROP_IDENT) return;
  GROW(w->stores, w->nstores, w->cstores);
  w->stores[w->nstores++] = (ThisStore){cls, node_text(w, prop), returned_value(value), -1};
}

/* A class field `NAME = value`: what each instance holds from the start. */
static void enter_field(W *w, TSNode n) {
  TSNode prop = field(n, F_PROPERTY), value = field(n, F_VALUE);
  int cls = w->scopes[w->cur].this_class;
  if (cls < 0 || kind(prop) != K_PROP_IDENT || ts_node_is_null(value)) return;
  GROW(w->stores, w->nstores, w->cstores);
  w->stores[w->nstores++] = (ThisStore){cls, node_text(w, prop), returned_value(value), -1};
}

/* Handles a node on the way down; false to skip its subtree. */
static bool enter(W *w, TSNode n) {
  Anc *self = &w->anc[w->nanc - 1];
  int k = self->kind;
  maybe_collect(w, self);
  /* A function's body does not run where it is written: what it reads is
   * no data dependency of the call or assignment around it. */
  if ((is_function_kind(k) || k == K_CLASS) && w->ncoll > 0) push_collector(w, NULL, self);
  switch (k) {
  case K_IDENT:
  case K_SHORTHAND_PAT:
  case K_SHORTHAND_PROP: enter_identifier(w, n, k, self); break;
  case K_CALL:
  case K_NEW: enter_call(w, n, k, self); break;
  case K_MEMBER:
  case K_SUBSCRIPT:
    if (k == K_SUBSCRIPT) self->spine_opt = may_hold_optional(w, n, (TSNode){0}) && chain_has_optional(n);
    maybe_read(w, n, self);
    break;
  case K_DECLARATOR: {
    Anc *p = parent_anc(w, 0);
    self->mode = p && p->kind == K_VAR_DECL ? MODE_VAR : MODE_LET;
    enter_declarator(w, n, self);
    break;
  }
  case K_ASSIGN:
  case K_AUG_ASSIGN: enter_assignment(w, n, self); break;
  case K_RETURN: enter_return(w, n); break;
  case K_FIELD_DEF: enter_field(w, n); break;
  case K_FUNC_DECL:
  case K_GEN_DECL:
  case K_FUNC_EXPR:
  case K_GEN_EXPR:
  case K_ARROW:
  case K_METHOD:
  case K_CLASS_DECL:
  case K_CLASS: enter_function(w, n, k, self); break;
  case K_BLOCK:
  case K_FOR:
  case K_FOR_IN:
  case K_CATCH:
  case K_SWITCH_BODY:
  case K_STATIC_BLOCK: enter_block(w, k, self); break;
  case K_IMPORT_STMT: enter_import(w, n); return false;
  case K_EXPORT_STMT: return enter_export(w, n);
  case K_STRING: return false; /* quotes, fragments, escapes: no names (templates are K_TEMPLATE) */
  default: break;
  }
  return true;
}

static void leave(W *w) {
  Anc *self = &w->anc[w->nanc - 1];
  if (self->scope_pushed >= 0) w->cur = self->scope_pushed;
  while (self->coll_pushed--) pop_collector(w);
  if (self->cx >= 0) {
    GROW(w->post, w->npost, w->cpost);
    w->post[w->npost++] = self->cx;
  }
  w->nanc--;
}

/* Anonymous nodes (punctuation, keywords, operators: a third of all nodes)
 * are leaves in this grammar (node-types.json gives none children or
 * fields) that enter() would give kind K_OTHER and nothing to do: the
 * collectors maybe_collect opens sit under fields that only hold named
 * nodes.  They get no ancestor entry, no field lookup, no enter/leave.
 * Ancestors are therefore always named nodes. */
static void walk(W *w) {
  WalkCursor cur;
  cursor_init(&cur, w->m->tree);
  for (;;) {
    TSNode n = cursor_node(&cur);
    TSSymbol sym = cursor_symbol(&cur);
    int k = kind_of_symbol(sym);
    bool entered = k != K_TOKEN;
    if (entered) {
      push_anc(w, &cur, n, sym, k);
      if (enter(w, n)) {
        w->anc[w->nanc - 1].named_left = (int)ts_node_named_child_count(n);
        if (cursor_first_child(&cur)) continue;
      }
    }
    for (;;) {
      /* a token after its parent's last named child is the last one too */
      const Anc *top = &w->anc[w->nanc - 1];
      bool last = entered ? top->last : top->named_left == 0;
      if (entered) leave(w);
      entered = true; /* from here on: the ancestors, all entered */
      if (!last && cursor_next_sibling(&cur)) break;
      if (!cursor_parent(&cur)) {
        cursor_free(&cur);
        return;
      }
    }
  }
}

/* ---- resolution after the walk ------------------------------------------ */

static void set_unresolved(Call *c, const char *why) {
  c->ref = (Ref){.kind = REF_UNRESOLVED, .import_index = -1, .def_index = -1, .reason = xstrdup(why)};
}

/* Method defs sorted by (class, name, index), built on the first lookup
 * after the walk: `this.m()` in a class of thousands of methods looked
 * each one up by a scan of every def after its class (60,000 methods: 4.6 s). */
static int method_cmp(const void *pa, const void *pb, void *arg) {
  const Module *m = arg;
  const Def *a = m->defs.items[*(const int *)pa], *b = m->defs.items[*(const int *)pb];
  if (a->parent != b->parent) return a->parent < b->parent ? -1 : 1;
  int d = strcmp(a->name, b->name);
  return d ? d : *(const int *)pa - *(const int *)pb;
}

static void index_methods(W *w) {
  w->methods = xmalloc(((size_t)w->m->defs.len + 1) * sizeof *w->methods);
  w->nmethods = 0;
  for (int i = 0; i < w->m->defs.len; i++)
    if (((Def *)w->m->defs.items[i])->kind == DEF_METHOD) w->methods[w->nmethods++] = i;
  qsort_r(w->methods, (size_t)w->nmethods, sizeof *w->methods, method_cmp, w->m);
}

/* The method `name` of class Def cls (the first so named), or -1. */
static int class_method(W *w, int cls, const char *name) {
  if (!w->methods) index_methods(w);
  int lo = 0, hi = w->nmethods;
  while (lo < hi) { /* the first entry not before (cls, name) */
    int mid = lo + (hi - lo) / 2;
    const Def *d = w->m->defs.items[w->methods[mid]];
    int c = d->parent != cls ? (d->parent < cls ? -1 : 1) : strcmp(d->name, name);
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == w->nmethods) return -1;
  const Def *d = w->m->defs.items[w->methods[lo]];
  return d->parent == cls && strcmp(d->name, name) == 0 ? w->methods[lo] : -1;
}

/* The origin of what CallX xi gives: one the catalogue follows, or a
 * function of this file that returns one; NULL if none. */
static const char *cx_origin(W *w, int xi) {
  const Ref *r = &w->cx[xi].c->ref;
  if (r->kind == REF_DEF && r->path && !*r->path) return w->def_origin ? w->def_origin[r->def_index] : NULL;
  char *canon = ref_external_name(w->m, r);
  const char *tag = cat_origin(LANG_JAVASCRIPT, canon);
  free(canon);
  return tag;
}

/* REF_VALUE for a value of origin tag and then `path`; false without tag. */
static bool tag_ref(const char *tag, const char *path, Ref *out) {
  if (!tag) return false;
  *out = (Ref){.kind = REF_VALUE, .import_index = -1, .def_index = -1,
               .path = *path ? xdotjoin(tag, path) : xstrdup(tag)};
  return true;
}

/* REF_VALUE for a value made by CallX xi and then `path`, if it has an
 * origin. */
static bool value_ref(W *w, int xi, const char *path, Ref *out) {
  return tag_ref(cx_origin(w, xi), path, out);
}

/* Aliases followed at most this deep (`const a = b.x` where b is an
 * alias too); deeper, or a cycle, stays unresolved. */
#define MAX_ALIAS_DEPTH 8

static const char *ident_ref(W *w, int scope, const char *head, const char *path, Ref *r, int depth);

/* What JsParam pi holds: the origin every call passes there, unless the
 * function assigns it. */
static const char *param_origin(W *w, int pi) {
  return w->params[pi].reassigned || !w->param_origin ? NULL : w->param_origin[pi];
}

/* What alias ai denotes, followed by path. */
static const char *alias_ref(W *w, int ai, const char *path, Ref *r, int depth) {
  if (depth >= MAX_ALIAS_DEPTH) return "alias chain";
  const Alias *al = &w->aliases[ai];
  CallX v = {0};
  analyse_callee(w, &v, al->value); /* a reference: an identifier head, no call */
  char *full = xpathjoin(v.path, path);
  const char *why = ident_ref(w, al->scope, v.head_name, full, r, depth + 1);
  free(full), free(v.head_name), free(v.path);
  return why;
}

/* Whether call x is `util.promisify(...)`: promisify imported or required
 * from util (or node:util) under any name. */
static bool is_promisify(W *w, const CallX *x, int depth) {
  Ref r = {.import_index = -1, .def_index = -1};
  if (x->head == HEAD_IDENT) {
    if (depth >= MAX_ALIAS_DEPTH || ident_ref(w, x->scope, x->head_name, x->path, &r, depth + 1))
      return false;
  } else if (x->head == HEAD_REQUIRE) {
    r = (Ref){.kind = REF_IMPORT, .import_index = x->import_index, .def_index = -1, .path = xstrdup(x->path)};
  }
  char *name = ref_external_name(w->m, &r);
  bool yes = name && strcmp(name, "util.promisify") == 0;
  free(name), free(r.path);
  return yes;
}

/* `const run = promisify(execFile)`: run is execFile's promise form, and
 * calling it calls execFile (the catalogue's, or a definition's), so it
 * resolves as promisify's argument does.  NULL, or why it cannot. */
static const char *promisified_ref(W *w, const CallX *origin, const char *path, Ref *r, int depth) {
  if (*path || !origin->c) return "call result";
  TSNode args = field(origin->c->node, F_ARGUMENTS);
  if (ts_node_is_null(args) || ts_node_named_child_count(args) != 1) return "call result";
  TSNode fn = strip_parens(ts_node_named_child(args, 0));
  if (!is_reference(fn)) return "call result";
  CallX v = {0};
  analyse_callee(w, &v, fn); /* a reference: an identifier head, no call */
  const char *why = ident_ref(w, origin->scope, v.head_name, v.path, r, depth + 1);
  free(v.head_name), free(v.path);
  return why;
}

/* Resolves head.path read in scope into r; NULL, or why it cannot. */
static const char *ident_ref(W *w, int scope, const char *head, const char *path, Ref *r, int depth) {
  Module *m = w->m;
  const Bind *b = lookup(w, scope, head);
  *r = (Ref){.import_index = -1, .def_index = -1};
  if (!b) {
    if (strcmp(head, "eval") == 0 && !*path) return "eval";
    r->kind = REF_GLOBAL;
    bool via_global = *path && (strcmp(head, "globalThis") == 0 || strcmp(head, "global") == 0);
    if (via_global)
      r->path = xstrdup(path); /* globalThis.crypto.randomUUID is crypto.randomUUID */
    else
      r->path = *path ? xdotjoin(head, path) : xstrdup(head);
  } else if (b->kind == BK_DEF) {
    Def *d = m->defs.items[b->index];
    int meth = d->kind == DEF_CLASS && *path && !strchr(path, '.') ? class_method(w, b->index, path) : -1;
    r->kind = REF_DEF;
    r->def_index = meth >= 0 ? meth : b->index;
    r->path = xstrdup(meth >= 0 ? "" : path);
  } else if (b->kind == BK_IMPORT) {
    r->kind = REF_IMPORT, r->import_index = b->index, r->path = xstrdup(path);
  } else if (b->kind == BK_ALIAS) {
    return alias_ref(w, b->index, path, r, depth);
  } else if (b->kind == BK_VALUE && is_promisify(w, &w->cx[b->index], depth)) {
    return promisified_ref(w, &w->cx[b->index], path, r, depth);
  } else if (b->kind == BK_PARAM) {
    if (!tag_ref(param_origin(w, b->index), path, r)) return "dynamic dispatch";
  } else if (b->kind != BK_VALUE || !value_ref(w, b->index, path, r)) {
    return "dynamic dispatch";
  }
  return NULL;
}

/* The module's own aliases (`export const now = Date.now`), with what each
 * denotes, for the files that import them (link.c). */
/* Keeps alias binding ai for other files under name. */
static void keep_alias(W *w, const char *name, int ai) {
  Ref r;
  const char *why = alias_ref(w, ai, "", &r, 0);
  if (why || (r.kind != REF_IMPORT && r.kind != REF_GLOBAL && r.kind != REF_DEF)) {
    if (!why) free(r.path);
    return;
  }
  ValueAlias *a = xcalloc(1, sizeof *a);
  a->name = xstrdup(name);
  a->ref = r;
  vec_push(&w->m->aliases, a);
}

static void keep_module_aliases(W *w) {
  for (size_t i = 0; i < w->tcap; i++) {
    const Bind *b = &w->tab[i];
    if (b->scope == 0 && b->kind == BK_ALIAS) keep_alias(w, b->name, b->index);
  }
}

static int alias_slot_cmp(const void *pa, const void *pb, void *arg) {
  const Vec *v = arg;
  int i = *(const int *)pa, j = *(const int *)pb;
  int d = strcmp(((ValueAlias *)v->items[i])->name, ((ValueAlias *)v->items[j])->name);
  return d ? d : i - j;
}

/* One alias per name, sorted by name: of those kept under one name, the
 * last (an export renaming an alias, `export { now as clock }`, is kept
 * after the module's own aliases and replaces a local `clock`: only
 * exported names reach other files). */
static void unique_aliases(W *w) {
  Vec *v = &w->m->aliases;
  int n = v->len, *order = xmalloc(((size_t)n + 1) * sizeof *order);
  for (int i = 0; i < n; i++) order[i] = i;
  qsort_r(order, (size_t)n, sizeof *order, alias_slot_cmp, v);
  void **sorted = xmalloc(((size_t)n + 1) * sizeof *sorted);
  int k = 0;
  for (int i = 0; i < n; i++) {
    ValueAlias *a = v->items[order[i]];
    bool replaced = i + 1 < n && strcmp(a->name, ((ValueAlias *)v->items[order[i + 1]])->name) == 0;
    if (replaced)
      names_alias_free(a);
    else
      sorted[k++] = a;
  }
  free(v->items), free(order);
  v->items = sorted, v->len = k, v->cap = n + 1;
}

/* x left unresolved, a member (ref.path) of what CallX recv gives: link
 * may know it (recv calls a function of another file). */
static void set_unresolved_member(CallX *x, const char *why, int recv, const char *path) {
  set_unresolved(x->c, why);
  x->c->ref.path = xstrdup(path);
  x->recv = recv;
}

static void resolve_ident(W *w, CallX *x) {
  Ref r;
  const char *why = ident_ref(w, x->scope, x->head_name, x->path, &r, 0);
  if (!why) {
    x->c->ref = r;
    return;
  }
  const Bind *b = *x->path && strcmp(why, "dynamic dispatch") == 0 ? lookup(w, x->scope, x->head_name) : NULL;
  if (b && b->kind == BK_VALUE) return set_unresolved_member(x, why, b->index, x->path);
  set_unresolved(x->c, why);
}

static int store_cmp(const void *a, const void *b) {
  const ThisStore *x = a, *y = b;
  return x->cls != y->cls ? (x->cls < y->cls ? -1 : 1) : strcmp(x->name, y->name);
}

/* The origin of what instances of class cls hold as `name`, when every
 * write of it (in the class's methods, or as a field) is a call giving
 * one origin; NULL otherwise.  *only: the CallX of its one write when
 * that is all there is, else -1. */
static const char *this_origin(W *w, int cls, const char *name, int *only) {
  ThisStore key = {.cls = cls, .name = (char *)name};
  const ThisStore *st =
      w->nstores ? bsearch(&key, w->stores, (size_t)w->nstores, sizeof key, store_cmp) : NULL;
  *only = -1;
  if (!st) return NULL;
  while (st > w->stores && store_cmp(st - 1, &key) == 0) st--;
  int n = 0;
  while (st + n < w->stores + w->nstores && store_cmp(st + n, &key) == 0) n++;
  if (n == 1) *only = st->cx;
  const char *o = NULL;
  for (int i = 0; i < n; i++) {
    const char *x = st[i].cx >= 0 ? cx_origin(w, st[i].cx) : NULL;
    if (!x || (o && strcmp(o, x) != 0)) return NULL;
    o = x;
  }
  return o;
}

/* `this.m()`: the class's method m; `this.NAME.m()`: a method of what its
 * instances hold as NAME, when that has a known origin. */
static void resolve_this(W *w, CallX *x) {
  int cls = w->scopes[x->scope].this_class;
  const char *dot = strchr(x->path, '.');
  int meth = cls >= 0 && *x->path && !dot ? class_method(w, cls, x->path) : -1;
  if (meth >= 0) {
    x->c->ref = (Ref){.kind = REF_DEF, .import_index = -1, .def_index = meth, .path = xstrdup("")};
    return;
  }
  if (cls < 0 || !dot) return set_unresolved(x->c, "dynamic dispatch");
  char *name = xstrndup(x->path, (size_t)(dot - x->path));
  int only;
  const char *o = this_origin(w, cls, name, &only);
  free(name);
  if (o)
    x->c->ref = (Ref){.kind = REF_VALUE, .import_index = -1, .def_index = -1, .path = xdotjoin(o, dot + 1)};
  else if (only >= 0)
    set_unresolved_member(x, "dynamic dispatch", only, dot + 1);
  else
    set_unresolved(x->c, "dynamic dispatch");
}

/* The call the chain of call xi starts with (`open(p).read()`): the walk
 * created it after xi, going down xi's callee, and the calls are in
 * preorder (by start, outer ones first), so it is among the few that
 * follow xi and start no later than it does. */
static int head_call(const W *w, int xi) {
  TSNode head = w->cx[xi].head_node;
  uint32_t start = ts_node_start_byte(head);
  for (int i = xi + 1; i < w->ncx && w->cx[i].c->span.start <= start; i++)
    if (w->cx[i].c->node.id == head.id) return i;
  return -1;
}

static void resolve(W *w, int xi) {
  CallX *x = &w->cx[xi];
  Call *c = x->c;
  switch (x->head) {
  case HEAD_IDENT: return resolve_ident(w, x);
  case HEAD_THIS: return resolve_this(w, x);
  case HEAD_REQUIRE:
    c->ref = (Ref){.kind = REF_IMPORT, .import_index = x->import_index, .def_index = -1, .path = xstrdup(x->path)};
    return;
  case HEAD_CALL: {
    int h = head_call(w, xi);
    if (h >= 0 && is_promisify(w, &w->cx[h], 0)) { /* promisify(fs.stat)(p) */
      const char *why = promisified_ref(w, &w->cx[h], x->path, &c->ref, 0);
      if (why) set_unresolved(c, why);
      return;
    }
    if (h >= 0 && value_ref(w, h, x->path, &c->ref)) return;
    if (h >= 0 && *x->path) return set_unresolved_member(x, "call result", h, x->path);
    return set_unresolved(c, "call result");
  }
  case HEAD_SUPER: return set_unresolved(c, "super");
  case HEAD_PRIVATE: return set_unresolved(c, "private method");
  case HEAD_DYNIMPORT: return set_unresolved(c, "dynamic import");
  case HEAD_COMPUTED: return set_unresolved(c, "computed callee");
  default: return set_unresolved(c, "computed callee");
  }
}

static void resolve_read(W *w, CallX *x) {
  if (lookup(w, x->scope, "process")) {
    x->dropped = true;
    return;
  }
  x->c->ref = (Ref){.kind = REF_GLOBAL, .import_index = -1, .def_index = -1, .path = xstrdup("process.env")};
}

/* `task(fn)` / `task("name", fn)` / `currant.task(opts, fn)` from the
 * currant package makes fn a task. */
static void finish_task_wraps(W *w) {
  for (int i = 0; i < w->nwraps; i++) {
    if (w->wraps[i].call < 0) continue;
    const Ref *r = &w->cx[w->wraps[i].call].c->ref;
    if (r->kind != REF_IMPORT) continue;
    const Import *imp = w->m->imports.items[r->import_index];
    if (strcmp(imp->spec, "currant") != 0) continue;
    bool named = imp->kind == IMPORT_NAME && strcmp(imp->name, "task") == 0 && !*r->path;
    bool member = (imp->kind == IMPORT_MODULE || imp->kind == IMPORT_DEFAULT) && strcmp(r->path, "task") == 0;
    if (named || member) ((Def *)w->m->defs.items[w->wraps[i].def])->is_task = true;
  }
}

static void finish_exports(W *w) {
  for (int i = 0; i < w->npex; i++) {
    if (!w->pex[i].local) {
      add_export(w, w->pex[i].name, -1, -1);
      keep_alias(w, w->pex[i].name, w->pex[i].alias);
      free(w->pex[i].name);
      continue;
    }
    const Bind *b = lookup(w, 0, w->pex[i].local);
    int def = b && b->kind == BK_DEF ? b->index : -1;
    int imp = b && b->kind == BK_IMPORT ? b->index : -1;
    add_export(w, w->pex[i].name, def, imp);
    if (b && b->kind == BK_ALIAS && strcmp(w->pex[i].name, w->pex[i].local) != 0)
      keep_alias(w, w->pex[i].name, b->index);
    free(w->pex[i].name), free(w->pex[i].local);
  }
}

/* The names in scope at a call in Def d (none at module level): the locals
 * of d and of every Def around it, innermost first, without repeats.  Built
 * once per Def (of_def caches its Module.scopes index), shared by its calls. */
static int def_scope(W *w, int d, int *of_def) {
  if (d < 0) return -1;
  if (of_def[d] >= 0) return of_def[d];
  Vec *v = xcalloc(1, sizeof *v);
  bool first = true;
  for (int e = d; e >= 0 && v->len < MAX_CALL_SCOPE; first = false) {
    const Def *def = w->m->defs.items[e];
    for (int i = 0; i < def->locals.len && v->len < MAX_CALL_SCOPE; i++)
      if (first || !vec_has_str(v, def->locals.items[i]))
        vec_push(v, def->locals.items[i]); /* Module.strings owns both */
    e = def->parent;
  }
  vec_push(&w->m->scopes, v);
  return of_def[d] = w->m->scopes.len - 1;
}

/* The CallX made for node n (a call or `new`), or -1.  The CallXs are in
 * preorder: by start, outer ones first. */
static int cx_of_node(const W *w, TSNode n) {
  if (kind(n) != K_CALL && kind(n) != K_NEW) return -1;
  uint32_t start = ts_node_start_byte(n);
  int lo = 0, hi = w->ncx;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (w->cx[mid].c->span.start < start)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (int i = lo; i < w->ncx && w->cx[i].c->span.start == start; i++)
    if (ts_node_eq(w->cx[i].c->node, n)) return i;
  return -1;
}

/* The origin of what the function returns in r, or NULL. */
static const char *return_origin(W *w, const JsReturn *r) {
  if (r->cx >= 0) return cx_origin(w, r->cx);
  if (kind(r->value) != K_IDENT) return NULL;
  char *name = node_text(w, r->value);
  const Bind *b = lookup(w, r->scope, name);
  free(name);
  return b && b->kind == BK_VALUE ? cx_origin(w, b->index) : NULL;
}

/* Each function's return origin, from the current refs: the origin every
 * `return value` of it gives, when they agree. */
static void settle_def_origins(W *w) {
  int nd = w->m->defs.len;
  bool *bad = xcalloc((size_t)nd + 1, sizeof *bad);
  for (int d = 0; d < nd; d++) w->def_origin[d] = NULL;
  for (int i = 0; i < w->nrets; i++) {
    const JsReturn *r = &w->rets[i];
    const char *x = bad[r->def] ? NULL : return_origin(w, r);
    const char *o = w->def_origin[r->def];
    if (!x || (o && strcmp(o, x) != 0)) bad[r->def] = true, x = NULL;
    w->def_origin[r->def] = x;
  }
  free(bad);
}

/* Whether some function returns, or some attribute of `this` holds, a
 * value of known origin: else no call can resolve further. */
static bool any_origin(W *w) {
  for (int d = 0; d < w->m->defs.len; d++)
    if (w->def_origin[d]) return true;
  for (int k = 0; w->param_origin && k < w->nparams; k++)
    if (w->param_origin[k]) return true;
  for (int i = 0; i < w->nstores; i++)
    if (w->stores[i].cx >= 0 && cx_origin(w, w->stores[i].cx)) return true;
  return false;
}

/* Whether call x, left unresolved as a member of a value, may resolve
 * once more origins are known. */
static bool may_follow(const CallX *x) {
  const Ref *r = &x->c->ref;
  return !x->is_read && r->kind == REF_UNRESOLVED && r->reason &&
         (x->head == HEAD_IDENT || x->head == HEAD_THIS || x->head == HEAD_CALL) &&
         (strcmp(r->reason, "dynamic dispatch") == 0 || strcmp(r->reason, "call result") == 0);
}

/* The origin of the value argument a is, read in scope: a call or `new`
 * itself, a `const` bound to one, or a parameter given one; NULL if none. */
static const char *arg_origin(W *w, int scope, TSNode a) {
  a = strip_parens(a);
  int xi = cx_of_node(w, a);
  if (xi >= 0) return cx_origin(w, xi);
  if (kind(a) != K_IDENT) return NULL;
  char *name = node_text(w, a);
  const Bind *b = lookup(w, scope, name);
  free(name);
  if (b && b->kind == BK_VALUE) return cx_origin(w, b->index);
  return b && b->kind == BK_PARAM ? param_origin(w, b->index) : NULL;
}

/* The positional arguments of call x (at most max), or -1 when they cannot
 * be told (a spread argument, a tagged template). */
static int positional_args(const CallX *x, TSNode *out, int max) {
  TSNode args = field(x->c->node, F_ARGUMENTS);
  if (kind(args) != K_ARGS) return -1;
  int n = 0;
  for (uint32_t i = 0, k = ts_node_named_child_count(args); i < k; i++) {
    TSNode a = ts_node_named_child(args, i);
    if (kind(a) == K_COMMENT) continue;
    if (strcmp(ts_node_type(a), "spread_element") == 0) return -1;
    if (n < max) out[n] = a;
    n++;
  }
  return n;
}

/* Merges what one call passes to function d's parameters (its JsParams
 * from k0 on) into o/bad. */
static void param_args(W *w, const CallX *x, int d, int k0, const char **o, bool *bad) {
  TSNode args[MAX_INFERRED_ARGS];
  int n = positional_args(x, args, MAX_INFERRED_ARGS);
  for (int k = k0; k < w->nparams && w->params[k].def == d; k++) {
    int pos = w->params[k].pos;
    const char *got =
        n < 0 || pos >= n || pos >= MAX_INFERRED_ARGS ? NULL : arg_origin(w, x->scope, args[pos]);
    if (!got || (o[k] && strcmp(o[k], got) != 0))
      bad[k] = true;
    else
      o[k] = got;
  }
}

/* Each parameter's inferred origin (JsParam), from the current refs: the
 * origin every plain call of its function in this file passes there, when
 * there is one call at least and they agree.  Only named functions, not
 * methods.  True if one changed. */
static bool settle_param_origins(W *w) {
  int nd = w->m->defs.len;
  int *first = xmalloc(sizeof *first * (size_t)(nd ? nd : 1));
  for (int d = 0; d < nd; d++) first[d] = -1;
  for (int k = w->nparams - 1; k >= 0; k--) first[w->params[k].def] = k;
  const char **o = xcalloc((size_t)w->nparams, sizeof *o);
  bool *bad = xcalloc((size_t)w->nparams, sizeof *bad);
  for (int i = 0; i < w->ncx; i++) {
    const CallX *x = &w->cx[i];
    const Ref *r = &x->c->ref;
    if (x->dropped || x->c->form != CALL_PLAIN || r->kind != REF_DEF || !r->path || *r->path ||
        r->def_index < 0 || first[r->def_index] < 0 ||
        ((Def *)w->m->defs.items[r->def_index])->kind != DEF_FUNCTION)
      continue;
    param_args(w, x, r->def_index, first[r->def_index], o, bad);
  }
  if (!w->param_origin) w->param_origin = xcalloc((size_t)w->nparams, sizeof *w->param_origin);
  bool changed = settle_strings(w->param_origin, o, bad, w->nparams);
  free(first), free(o), free(bad);
  return changed;
}

/* Values of known origin through functions that return them and
 * attributes of `this` that hold them: what the first resolution could not
 * follow, resolved again as the origins become known (a function's return
 * origin depends on the calls it returns), to a fixed point. */
static void follow_origins(W *w) {
  if (!w->nrets && !w->nstores && !w->nparams) return;
  bool again = true;
  for (int round = 0; round < 8 && again; round++) {
    settle_def_origins(w);
    again = w->nparams && settle_param_origins(w);
    if (!any_origin(w)) break;
    for (int i = 0; i < w->npost; i++) {
      CallX *x = &w->cx[w->post[i]];
      if (!may_follow(x)) continue;
      Ref old = x->c->ref;
      x->recv = -1;
      resolve(w, w->post[i]);
      again |= x->c->ref.kind != REF_UNRESOLVED;
      free(old.path), free(old.reason);
    }
  }
  settle_def_origins(w);
  for (int d = 0; d < w->m->defs.len; d++)
    if (w->def_origin[d]) ((Def *)w->m->defs.items[d])->ret_origin = xstrdup(w->def_origin[d]);
}

/* The calls the returns and `this` writes hold, before the calls resolve
 * (resolve_this reads the writes). */
static void prepare_origins(W *w) {
  w->def_origin = xcalloc((size_t)w->m->defs.len + 1, sizeof *w->def_origin);
  for (int i = 0; i < w->nrets; i++) w->rets[i].cx = cx_of_node(w, w->rets[i].value);
  for (int i = 0; i < w->nstores; i++) w->stores[i].cx = cx_of_node(w, w->stores[i].value);
  if (w->nstores) qsort(w->stores, (size_t)w->nstores, sizeof *w->stores, store_cmp);
}

static void finish_calls(W *w) {
  prepare_origins(w);
  for (int i = 0; i < w->npost; i++) {
    CallX *x = &w->cx[w->post[i]];
    if (x->is_read) resolve_read(w, x);
    else resolve(w, w->post[i]);
  }
  follow_origins(w);
  finish_task_wraps(w);
  int *of_def = xmalloc(((size_t)w->m->defs.len + 1) * sizeof *of_def);
  int *index = xmalloc(((size_t)w->ncx + 1) * sizeof *index); /* CallX -> Module.calls, -1 dropped */
  for (int d = 0; d < w->m->defs.len; d++) of_def[d] = -1;
  for (int i = 0; i < w->ncx; i++) {
    CallX *x = &w->cx[i];
    index[i] = -1;
    if (x->dropped) {
      free(x->c->text), free(x->c->ref.path), free(x->c->ref.reason), free(x->c), x->c = NULL;
      continue;
    }
    x->c->scope = def_scope(w, x->c->func, of_def);
    index[i] = w->m->calls.len;
    vec_push(&w->m->calls, x->c);
  }
  for (int i = 0; i < w->ncx; i++)
    if (w->cx[i].c && w->cx[i].recv >= 0) w->cx[i].c->recv_call = index[w->cx[i].recv];
  free(index);
  free(of_def);
}

/* ---- what rewrite_js.c needs: the build frees the tree after this pass -- */

#define NO_TOKEN UINT32_MAX

static bool is_type(TSNode n, const char *t) {
  return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0;
}

static Span span_of(TSNode n) { return (Span){ts_node_start_byte(n), ts_node_end_byte(n)}; }

/* The start of n's first child of type t (anonymous tokens included). */
static uint32_t token_at(TSNode n, const char *t) {
  for (uint32_t i = 0; i < ts_node_child_count(n); i++) {
    TSNode c = ts_node_child(n, i);
    if (strcmp(ts_node_type(c), t) == 0) return ts_node_start_byte(c);
  }
  return NO_TOKEN;
}

static bool args_empty(TSNode args) {
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
    if (kind(ts_node_named_child(args, i)) != K_COMMENT) return false;
  return true;
}

static bool is_chain(TSNode n) {
  int k = kind(n);
  return k == K_CALL || k == K_MEMBER || k == K_SUBSCRIPT;
}

static JsAccess access_of(TSNode a) {
  JsAccess x = {.span = span_of(a), .sep = NO_TOKEN, .close = NO_TOKEN, .opt = NO_TOKEN, .kind = JS_OTHER};
  TSNode opt = is_chain(a) ? field(a, F_OPTIONAL) : (TSNode){0};
  if (!ts_node_is_null(opt)) x.opt = ts_node_start_byte(opt);
  if (kind(a) == K_MEMBER) {
    x.kind = JS_MEMBER, x.sep = token_at(a, ".");
    x.key = span_of(field(a, F_PROPERTY));
  } else if (kind(a) == K_SUBSCRIPT) {
    x.kind = JS_SUBSCRIPT, x.sep = token_at(a, "["), x.close = token_at(a, "]");
  }
  return x;
}

/* The node a chain link continues from: a call's callee, an access's object. */
static TSNode chain_inner(TSNode n) { return field(n, kind(n) == K_CALL ? F_FUNCTION : F_OBJECT); }

/* The whole chain a node belongs to: up through objects and callees. */
static TSNode chain_top(TSNode n) {
  for (;;) {
    TSNode p = ts_node_parent(n);
    if (!is_chain(p) || !ts_node_eq(chain_inner(p), n)) return n;
    n = p;
  }
}

/* True if an expression starting at n's start begins a statement. */
static bool starts_statement(TSNode n) {
  uint32_t s = ts_node_start_byte(n);
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && ts_node_start_byte(p) == s; p = ts_node_parent(p))
    if (kind(p) == K_EXPR_STMT) return true;
  return false;
}

/* A call's start and index in Module.calls, for call_of. */
typedef struct CallAt {
  uint32_t start;
  int index;
} CallAt;

static int by_start(const void *pa, const void *pb) {
  const CallAt *a = pa, *b = pb;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  return (a->index > b->index) - (a->index < b->index);
}

/* The index in Module.calls of the call made for node n, or -1; by holds
 * every call sorted by start. */
static int call_of(const Module *m, const CallAt *by, TSNode n) {
  uint32_t s = ts_node_start_byte(n);
  int lo = 0, hi = m->calls.len;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (by[mid].start < s)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (; lo < m->calls.len && by[lo].start == s; lo++)
    if (ts_node_eq(((const Call *)m->calls.items[by[lo].index])->node, n)) return by[lo].index;
  return -1;
}

/* The chain of top (recorded once per top), its index in js->chains. */
static int record_chain(Module *m, const CallAt *by, TSNode top) {
  JsLayout *js = m->js;
  Span s = span_of(top);
  for (int i = 0; i < js->nchains; i++) {
    const JsLink *t = &js->links[js->chains[i].first + js->chains[i].n - 1];
    if (t->acc.span.start == s.start && t->acc.span.end == s.end) return i;
  }
  int n = 0;
  for (TSNode x = top;; x = chain_inner(x)) {
    n++;
    if (!is_chain(x)) break;
  }
  js->links = xrealloc(js->links, (size_t)(js->nlinks + n) * sizeof *js->links);
  JsLink *l = js->links + js->nlinks;
  int j = n - 1; /* head first */
  for (TSNode x = top;; x = chain_inner(x), j--) {
    JsLink *k = &l[j];
    *k = (JsLink){.acc = access_of(x), .open = NO_TOKEN, .call = -1};
    if (!is_chain(x)) break;
    k->call = call_of(m, by, x);
    if (kind(x) == K_CALL) {
      k->acc.kind = JS_CALL;
      TSNode args = field(x, F_ARGUMENTS);
      if (!ts_node_is_null(args)) k->open = token_at(args, "("), k->empty = args_empty(args);
    }
  }
  js->chains = xrealloc(js->chains, (size_t)(js->nchains + 1) * sizeof *js->chains);
  js->chains[js->nchains] = (JsChain){.first = js->nlinks, .n = n, .stmt = starts_statement(top)};
  js->nlinks += n;
  return js->nchains++;
}

static JsCall call_layout(Module *m, const CallAt *by, const Call *c) {
  TSNode n = c->node;
  /* spans inside the call's, empty at its start when absent (the cache
   * stores them relative to it) */
  Span none = {c->span.start, c->span.start};
  JsCall j = {.written = none, .open = NO_TOKEN, .kw = NO_TOKEN, .chain = -1};
  if (c->form == CALL_READ) {
    j.callee = access_of(n);
    return j;
  }
  TSNode callee = field(n, c->form == CALL_NEW ? F_CONSTRUCTOR : F_FUNCTION), args = field(n, F_ARGUMENTS);
  TSNode f = strip_parens(callee);
  if (ts_node_is_null(callee))
    j.callee = (JsAccess){.span = none, .sep = NO_TOKEN, .close = NO_TOKEN, .opt = NO_TOKEN};
  else
    j.written = span_of(callee), j.callee = access_of(f);
  if (is_type(callee, "import")) j.flags |= JSC_IMPORT;
  if (is_type(f, "super") || (j.callee.kind != JS_OTHER && is_type(field(f, F_OBJECT), "super")))
    j.flags |= JSC_UNDETACHABLE | JSC_SUPER;
  else if (j.callee.kind != JS_OTHER && is_type(field(f, F_PROPERTY), "private_property_identifier"))
    j.flags |= JSC_UNDETACHABLE;
  if (!ts_node_is_null(args)) {
    j.open = token_at(args, "(");
    if (args_empty(args)) j.flags |= JSC_ARGS_EMPTY;
  }
  if (c->form == CALL_NEW)
    j.kw = token_at(n, "new");
  else if (by && chain_has_optional(n))
    j.chain = record_chain(m, by, chain_top(n));
  return j;
}

static bool is_directive(TSNode st) {
  return kind(st) == K_EXPR_STMT && ts_node_named_child_count(st) == 1 &&
         kind(ts_node_named_child(st, 0)) == K_STRING;
}

/* After a hashbang, comments and the directive prologue: where the runtime
 * binding goes, or NO_TOKEN. */
static uint32_t first_statement(TSNode root) {
  bool prologue = true;
  for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
    TSNode st = ts_node_named_child(root, i);
    if (is_type(st, "hash_bang_line") || kind(st) == K_COMMENT) continue;
    if (prologue && is_directive(st)) continue;
    return ts_node_start_byte(st);
  }
  return NO_TOKEN;
}

static bool is_require(const Module *m, TSNode n) {
  TSNode fn = field(n, F_FUNCTION);
  return kind(n) == K_CALL && kind(fn) == K_IDENT && ts_node_end_byte(fn) - ts_node_start_byte(fn) == 7 &&
         memcmp(m->text + ts_node_start_byte(fn), "require", 7) == 0;
}

/* What the bridge replaces for imp: its import/export statement or the
 * require call (found from the import's position; a declarator's value:
 * `require(x)`, `require(x).a`). */
static JsBridge bridge_node(const Module *m, const Import *imp) {
  TSPoint pt = {imp->line - 1, imp->col - 1};
  for (TSNode n = ts_node_descendant_for_point_range(ts_tree_root_node(m->tree), pt, pt); !ts_node_is_null(n);
       n = ts_node_parent(n)) {
    if (kind(n) == K_IMPORT_STMT) return (JsBridge){span_of(n), JSB_IMPORT_STMT};
    if (kind(n) == K_EXPORT_STMT) return (JsBridge){span_of(n), JSB_EXPORT_STMT};
    if (is_require(m, n)) return (JsBridge){span_of(n), JSB_REQUIRE};
    if (kind(n) == K_DECLARATOR) {
      TSNode v = strip_parens(field(n, F_VALUE));
      while (kind(v) == K_MEMBER) v = strip_parens(field(v, F_OBJECT));
      return is_require(m, v) ? (JsBridge){span_of(v), JSB_REQUIRE} : (JsBridge){{0, 0}, JSB_NONE};
    }
  }
  return (JsBridge){{0, 0}, JSB_NONE};
}

/* False when c's text has no `?.`, so that its chain need not be walked
 * (two field lookups a step, for every call of a file otherwise). */
static bool call_may_hold_optional(const Module *m, const Call *c) {
  return memmem(m->text + c->span.start, c->span.end - c->span.start, "?.", 2) != NULL;
}

static void record_layout(Module *m) {
  JsLayout *js = m->js = xcalloc(1, sizeof *js);
  CallAt *by = NULL; /* made for the first call in an optional chain */
  js->ncalls = m->calls.len;
  js->calls = xcalloc((size_t)js->ncalls + 1, sizeof *js->calls);
  for (int i = 0; i < m->calls.len; i++) {
    const Call *c = m->calls.items[i];
    if (!by && c->form != CALL_READ && c->form != CALL_NEW && call_may_hold_optional(m, c) &&
        chain_has_optional(c->node)) {
      by = xmalloc((size_t)m->calls.len * sizeof *by);
      for (int k = 0; k < m->calls.len; k++)
        by[k] = (CallAt){((const Call *)m->calls.items[k])->span.start, k};
      qsort(by, (size_t)m->calls.len, sizeof *by, by_start);
    }
    js->calls[i] = call_layout(m, by, c);
  }
  free(by);
  js->nbridges = m->imports.len;
  js->bridges = xcalloc((size_t)js->nbridges + 1, sizeof *js->bridges);
  for (int i = 0; i < m->imports.len; i++) js->bridges[i] = bridge_node(m, m->imports.items[i]);
  js->first_stmt = first_statement(ts_tree_root_node(m->tree));
}

/* .mjs is ESM, .cjs CommonJS, .js what the nearest package.json "type"
 * says, and without one ESM iff it has top-level import/export. */
static bool detect_esm(Module *m) {
  const char *rel = m->file && m->file->rel ? m->file->rel : "";
  size_t n = strlen(rel);
  if (n >= 4 && strcmp(rel + n - 4, ".mjs") == 0) return true;
  if (n >= 4 && strcmp(rel + n - 4, ".cjs") == 0) return false;
  int type = m->file ? walk_package_type(m->file) : 0;
  if (type) return type == 1;
  TSNode root = ts_tree_root_node(m->tree);
  for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
    int k = kind(ts_node_named_child(root, i));
    if (k == K_IMPORT_STMT || k == K_EXPORT_STMT) return true;
  }
  return false;
}

void names_javascript(Module *m) {
  pthread_once(&syms_once, load_symbols);
  if (!m->tree) return;
  W w = {.m = m, .src = m->text, .cur = -1};
  m->esm = detect_esm(&w.m[0]);
  push_scope(&w, true, -1, -1, -1);
  walk(&w);
  finish_calls(&w);
  keep_module_aliases(&w);
  finish_exports(&w);
  unique_aliases(&w);
  record_layout(m);
  /* kept to here: the aliases kept for other files resolve through calls */
  for (int i = 0; i < w.ncx; i++) free(w.cx[i].head_name), free(w.cx[i].path);
  for (int i = 0; i < w.owned.len; i++) free(w.owned.items[i]);
  vec_free(&w.owned);
  free(w.anc), free(w.scopes), free(w.tab), free(w.cx), free(w.post), free(w.coll), free(w.pex),
      free(w.wraps), free(w.aliases), free(w.methods);
  for (int i = 0; i < w.nstores; i++) free(w.stores[i].name);
  free(w.rets), free(w.stores), free(w.def_origin), free(w.params), free(w.param_origin);
}
