/*
 * names_py.c — what the names in a Python file refer to.
 *
 * One iterative walk of the parse tree (a TSTreeCursor plus an explicit
 * stack of frames, one per depth, so a file nested thousands of levels deep
 * cannot overflow the C stack) collects everything at once: definitions,
 * imports, every call and every os.environ[...] read candidate, assignments,
 * and the names each scope binds.  Python scoping cannot be decided while
 * walking (a name bound anywhere in a function is local to all of it), so
 * the walk only records; a second phase over those records — not over the
 * tree — resolves each callee with the real rules: function scopes,
 * global/nonlocal, class scopes invisible from methods, comprehension
 * scopes, module globals, then builtins.  Values of known origin (`f =
 * open(p)`, `with open(p) as f`, `open(p).read()`) are followed to a fixed
 * point, since a binding may come after its use in source order; a name
 * whose one binding is a reference (`now = time.time`) is resolved as that
 * reference, read where the assignment stands.
 *
 * Frames carry the context a node is seen in: which scope reads and binds
 * go to, whether identifiers are read, bound, parameters or pattern
 * captures, and which "collector" gathers the names read for a call's
 * arguments or an assignment's right-hand side.  Collectors nest like the
 * tree does, so each is a stack entry merged into its parent on close.
 *
 * Owns names_python().  The names it leaves in the Module's vectors (uses,
 * assigned, scope, locals, globals, targets, sources) are interned strings
 * owned by Module.strings; every other string is its own heap copy;
 * everything else is freed before returning.
 */
#include "currant.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- node kinds, looked up once per process ------------------------------ */

enum {
  K_OTHER, K_TOKEN, K_MODULE, K_CALL, K_ATTRIBUTE, K_SUBSCRIPT, K_IDENTIFIER, K_ARGUMENT_LIST,
  K_GENERATOR_EXPRESSION, K_LIST_COMPREHENSION, K_SET_COMPREHENSION, K_DICTIONARY_COMPREHENSION,
  K_AWAIT, K_DECORATED_DEFINITION, K_DECORATOR, K_FUNCTION_DEFINITION, K_CLASS_DEFINITION,
  K_PARAMETERS, K_LAMBDA_PARAMETERS, K_DEFAULT_PARAMETER, K_TYPED_PARAMETER,
  K_TYPED_DEFAULT_PARAMETER, K_LIST_SPLAT_PATTERN, K_DICTIONARY_SPLAT_PATTERN, K_KEYWORD_ARGUMENT,
  K_ASSIGNMENT, K_AUGMENTED_ASSIGNMENT, K_FOR_STATEMENT, K_FOR_IN_CLAUSE, K_AS_PATTERN,
  K_AS_PATTERN_TARGET, K_NAMED_EXPRESSION, K_IMPORT_STATEMENT, K_IMPORT_FROM_STATEMENT,
  K_FUTURE_IMPORT_STATEMENT, K_ALIASED_IMPORT, K_DOTTED_NAME, K_RELATIVE_IMPORT, K_WILDCARD_IMPORT,
  K_GLOBAL_STATEMENT, K_NONLOCAL_STATEMENT, K_LAMBDA, K_DELETE_STATEMENT, K_PATTERN_LIST,
  K_TUPLE_PATTERN, K_LIST_PATTERN, K_TUPLE, K_LIST, K_PARENTHESIZED_EXPRESSION, K_EXPRESSION_LIST,
  K_LIST_SPLAT, K_CASE_CLAUSE, K_CASE_PATTERN, K_KEYWORD_PATTERN, K_SPLAT_PATTERN, K_SLICE,
  K_COMMENT, K_LINE_CONTINUATION, K_KEYWORD_SEPARATOR, K_STRING, K_INTERPOLATION, K_RETURN_STATEMENT,
  K_NONE, K_BINARY_OPERATOR, K_TYPE, K_GENERIC_TYPE, K_TYPE_PARAMETER, K_COUNT
};

static const char *const kind_names[K_COUNT] = {
    [K_MODULE] = "module", [K_CALL] = "call", [K_ATTRIBUTE] = "attribute",
    [K_SUBSCRIPT] = "subscript", [K_IDENTIFIER] = "identifier", [K_ARGUMENT_LIST] = "argument_list",
    [K_GENERATOR_EXPRESSION] = "generator_expression", [K_LIST_COMPREHENSION] = "list_comprehension",
    [K_SET_COMPREHENSION] = "set_comprehension",
    [K_DICTIONARY_COMPREHENSION] = "dictionary_comprehension", [K_AWAIT] = "await",
    [K_DECORATED_DEFINITION] = "decorated_definition", [K_DECORATOR] = "decorator",
    [K_FUNCTION_DEFINITION] = "function_definition", [K_CLASS_DEFINITION] = "class_definition",
    [K_PARAMETERS] = "parameters", [K_LAMBDA_PARAMETERS] = "lambda_parameters",
    [K_DEFAULT_PARAMETER] = "default_parameter", [K_TYPED_PARAMETER] = "typed_parameter",
    [K_TYPED_DEFAULT_PARAMETER] = "typed_default_parameter",
    [K_LIST_SPLAT_PATTERN] = "list_splat_pattern",
    [K_DICTIONARY_SPLAT_PATTERN] = "dictionary_splat_pattern",
    [K_KEYWORD_ARGUMENT] = "keyword_argument", [K_ASSIGNMENT] = "assignment",
    [K_AUGMENTED_ASSIGNMENT] = "augmented_assignment", [K_FOR_STATEMENT] = "for_statement",
    [K_FOR_IN_CLAUSE] = "for_in_clause", [K_AS_PATTERN] = "as_pattern",
    [K_AS_PATTERN_TARGET] = "as_pattern_target", [K_NAMED_EXPRESSION] = "named_expression",
    [K_IMPORT_STATEMENT] = "import_statement", [K_IMPORT_FROM_STATEMENT] = "import_from_statement",
    [K_FUTURE_IMPORT_STATEMENT] = "future_import_statement", [K_ALIASED_IMPORT] = "aliased_import",
    [K_DOTTED_NAME] = "dotted_name", [K_RELATIVE_IMPORT] = "relative_import",
    [K_WILDCARD_IMPORT] = "wildcard_import", [K_GLOBAL_STATEMENT] = "global_statement",
    [K_NONLOCAL_STATEMENT] = "nonlocal_statement", [K_LAMBDA] = "lambda",
    [K_DELETE_STATEMENT] = "delete_statement", [K_PATTERN_LIST] = "pattern_list",
    [K_TUPLE_PATTERN] = "tuple_pattern", [K_LIST_PATTERN] = "list_pattern", [K_TUPLE] = "tuple",
    [K_LIST] = "list", [K_PARENTHESIZED_EXPRESSION] = "parenthesized_expression",
    [K_EXPRESSION_LIST] = "expression_list", [K_LIST_SPLAT] = "list_splat",
    [K_CASE_CLAUSE] = "case_clause", [K_CASE_PATTERN] = "case_pattern",
    [K_KEYWORD_PATTERN] = "keyword_pattern", [K_SPLAT_PATTERN] = "splat_pattern",
    [K_SLICE] = "slice", [K_COMMENT] = "comment", [K_LINE_CONTINUATION] = "line_continuation", [K_KEYWORD_SEPARATOR] = "keyword_separator",
    [K_STRING] = "string", [K_INTERPOLATION] = "interpolation",
    [K_RETURN_STATEMENT] = "return_statement", [K_NONE] = "none", [K_BINARY_OPERATOR] = "binary_operator",
    [K_TYPE] = "type", [K_GENERIC_TYPE] = "generic_type", [K_TYPE_PARAMETER] = "type_parameter",
};

enum { F_FUNCTION, F_ARGUMENTS, F_OBJECT, F_ATTRIBUTE, F_VALUE, F_SUBSCRIPT, F_NAME, F_ALIAS,
       F_LEFT, F_RIGHT, F_BODY, F_PARAMETERS, F_SUPERCLASSES, F_MODULE_NAME, F_RETURN_TYPE, F_TYPE,
       F_TYPE_PARAMETERS, F_GUARD, F_CONSEQUENCE, F_TYPE_CONVERSION, F_FORMAT_SPECIFIER, F_OPERATOR,
       F_COUNT };

static const char *const field_names[F_COUNT] = {
    "function", "arguments", "object", "attribute", "value", "subscript", "name", "alias", "left",
    "right", "body", "parameters", "superclasses", "module_name", "return_type", "type",
    "type_parameters", "guard", "consequence", "type_conversion", "format_specifier", "operator"};

static uint8_t *kind_of_symbol; /* symbol id -> K_*, for every symbol of the grammar */
static uint32_t nsymbols;
static TSFieldId fid[F_COUNT];
static TSSymbol div_symbol; /* the `/` of a binary_operator */
static TSSymbol or_symbol;  /* its `|` */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_init(void) {
  kind_of_symbol = parse_kind_table(LANG_PYTHON, kind_names, K_COUNT, K_TOKEN, &nsymbols);
  parse_field_ids(LANG_PYTHON, field_names, F_COUNT, fid);
  div_symbol = ts_language_symbol_for_name(parse_language(LANG_PYTHON), "/", 1, false);
  or_symbol = ts_language_symbol_for_name(parse_language(LANG_PYTHON), "|", 1, false);
}

static int symbol_kind(TSSymbol s) { return s < nsymbols ? kind_of_symbol[s] : K_OTHER; }

static int node_kind(TSNode n) { return symbol_kind(ts_node_symbol(n)); }

static TSNode field(TSNode n, int f) { return ts_node_child_by_field_id(n, fid[f]); }

/* Named children that are code: comments and backslash continuations are
 * named extras that can sit anywhere. */
static bool is_extra(TSNode n) {
  int k = node_kind(n);
  return k == K_COMMENT || k == K_LINE_CONTINUATION;
}

static uint32_t code_child_count(TSNode n) {
  uint32_t k = ts_node_named_child_count(n), c = 0;
  for (uint32_t i = 0; i < k; i++) c += !is_extra(ts_node_named_child(n, i));
  return c;
}

/* The first named child that is code, or a null node. */
static TSNode code_child(TSNode n) {
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (!is_extra(c)) return c;
  }
  return (TSNode){0};
}

/* ---- small containers --------------------------------------------------- */

typedef struct IntVec {
  int *v;
  int len, cap;
} IntVec;

static void iv_push(IntVec *iv, int x) {
  if (iv->len == iv->cap) {
    iv->cap = iv->cap ? iv->cap * 2 : 8;
    iv->v = xrealloc(iv->v, (size_t)iv->cap * sizeof *iv->v);
  }
  iv->v[iv->len++] = x;
}

static uint32_t hash_ptr(const void *p) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (uint32_t)x;
}

/* Set of interned names (pointer identity), insertion ordered.  Linear
 * below 16 items, hashed above: argument lists of thousands of names (data
 * literals) must not go quadratic. */
typedef struct PtrSet {
  const char **items;
  int len, cap;
  int *slots; /* index+1, 0 empty; NULL while small */
  int nslots;
} PtrSet;

static void ps_rehash(PtrSet *s) {
  free(s->slots);
  s->nslots = s->cap * 2;
  s->slots = xcalloc((size_t)s->nslots, sizeof *s->slots);
  for (int i = 0; i < s->len; i++) {
    uint32_t h = hash_ptr(s->items[i]) & (uint32_t)(s->nslots - 1);
    while (s->slots[h]) h = (h + 1) & (uint32_t)(s->nslots - 1);
    s->slots[h] = i + 1;
  }
}

static bool ps_has(const PtrSet *s, const char *p) {
  if (!s->slots) {
    for (int i = 0; i < s->len; i++)
      if (s->items[i] == p) return true;
    return false;
  }
  uint32_t h = hash_ptr(p) & (uint32_t)(s->nslots - 1);
  while (s->slots[h]) {
    if (s->items[s->slots[h] - 1] == p) return true;
    h = (h + 1) & (uint32_t)(s->nslots - 1);
  }
  return false;
}

static bool ps_add(PtrSet *s, const char *p) {
  if (ps_has(s, p)) return false;
  if (s->len == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 8;
    s->items = xrealloc(s->items, (size_t)s->cap * sizeof *s->items);
    if (s->cap > 16) ps_rehash(s);
  }
  s->items[s->len++] = p;
  if (s->slots) {
    uint32_t h = hash_ptr(p) & (uint32_t)(s->nslots - 1);
    while (s->slots[h]) h = (h + 1) & (uint32_t)(s->nslots - 1);
    s->slots[h] = s->len;
  }
  return true;
}

static void ps_free(PtrSet *s) {
  free(s->items);
  free(s->slots);
  memset(s, 0, sizeof *s);
}

/* The strings a module keeps from the names passes live in chained blocks
 * (Module.strings): each block starts with a header holding the previous
 * block and the bytes used and allocated in this one. */
typedef struct Block {
  struct Block *prev;
  size_t used, size; /* bytes after the header */
} Block;

char *names_strndup(void **strings, const char *s, size_t n) {
  Block *b = *strings;
  if (!b || b->used + n + 1 > b->size) {
    /* 1 KB first, doubling to 64 KB: most modules need a few hundred bytes
     * (16 KB for every one of npm's 1,142 files was 18.5 MB, 20% of the
     * build's heap) */
    size_t grow = b ? (b->size < 65536 ? b->size * 2 : 65536) : 1024;
    size_t size = n + 1 > grow ? n + 1 : grow;
    Block *nb = xmalloc(sizeof *nb + size);
    *nb = (Block){b, 0, size};
    *strings = b = nb;
  }
  char *p = (char *)(b + 1) + b->used;
  memcpy(p, s, n);
  p[n] = '\0';
  b->used += n + 1;
  return p;
}

void names_alias_free(ValueAlias *a) {
  free(a->name), free(a->ref.path), free(a->ref.reason), free(a->external), free(a);
}

void names_strings_free(void *strings) {
  for (Block *b = strings; b;) {
    Block *prev = b->prev;
    free(b);
    b = prev;
  }
}

/* String interner: equal names get one pointer, so scopes and collectors
 * compare pointers.  The strings are the module's (Module.strings), so the
 * names vectors of calls, defs and assigns hold them without copies. */
typedef struct Interner {
  const char **slots;
  uint32_t cap, len;
  void *strings; /* becomes Module.strings */
} Interner;

static const char *intern(Interner *in, const char *s, size_t n) {
  if ((in->len + 1) * 2 > in->cap) {
    uint32_t ncap = in->cap ? in->cap * 2 : 256;
    const char **ns = xcalloc(ncap, sizeof *ns);
    for (uint32_t i = 0; i < in->cap; i++) {
      if (!in->slots[i]) continue;
      uint32_t h = hash_bytes(in->slots[i], strlen(in->slots[i])) & (ncap - 1);
      while (ns[h]) h = (h + 1) & (ncap - 1);
      ns[h] = in->slots[i];
    }
    free(in->slots);
    in->slots = ns;
    in->cap = ncap;
  }
  uint32_t h = hash_bytes(s, n) & (in->cap - 1);
  while (in->slots[h]) {
    if (strncmp(in->slots[h], s, n) == 0 && in->slots[h][n] == '\0') return in->slots[h];
    h = (h + 1) & (in->cap - 1);
  }
  in->slots[h] = names_strndup(&in->strings, s, n);
  in->len++;
  return in->slots[h];
}

/* Frees the table; the strings stay, handed to the module. */
static void interner_free(Interner *in, Module *m) {
  free(in->slots);
  m->strings = in->strings;
}

/* ---- the model the walk builds -------------------------------------------- */

typedef enum { SC_MODULE, SC_FUNCTION, SC_CLASS, SC_LAMBDA, SC_COMPREHENSION } ScopeKind;

/* Binding flags of a name in one scope. */
enum {
  B_IMPORT = 1,
  B_DEF = 2,
  B_PARAM = 4,
  B_OTHER = 8,
  B_CALL = 16, /* bound from a call result */
  B_GLOBAL_DECL = 32,
  B_NONLOCAL_DECL = 64,
  B_ALIAS = 128, /* bound to what a reference denotes: `now = time.time` */
};
#define B_BOUND (B_IMPORT | B_DEF | B_PARAM | B_OTHER | B_CALL | B_ALIAS)

typedef struct NameInfo {
  const char *name;
  int scope;
  int flags;
  int import_index; /* first import binding */
  int def_index;    /* first def/class binding */
  int first_event;  /* B_CALL bindings: chain through Event.next */
  int alias;        /* B_ALIAS: its Alias (a name bound twice is B_OTHER too) */
  uint32_t first_pos; /* byte offset of the first binding */
} NameInfo;

/* `now = time.time`: the reference a name is bound to, read where the
 * assignment is. */
typedef struct Alias {
  TSNode value; /* identifier or attribute chain of identifiers */
  int scope;    /* scope the assignment reads in */
  uint32_t pos; /* where the assignment starts: its value is read before it binds (`X = X`) */
  bool path;    /* the name holds a path built on value (`p = base / "x"`): a Path when value is one */
} Alias;

typedef struct Event {
  int pending; /* Pending record of the call the name is bound from */
  int next;
} Event;

typedef struct Scope {
  ScopeKind kind;
  int parent;
  int def;          /* Def of a function/class scope, -1 otherwise */
  IntVec names;     /* NameInfo indices, first binding order */
  const char *self; /* method: first parameter (self/cls), NULL for staticmethods */
  int nparams;
  bool is_static;
} Scope;

/* A call whose result is bound by an assignment/with/walrus seen before the
 * call itself is created (targets come first in the tree). */
/* How a bound value comes from the call's result. */
typedef enum {
  FROM_RESULT,  /* it is the result (`x = f()`) */
  FROM_PATH,    /* a path built on it (`x = f() / "x"`) */
  FROM_ELEMENT, /* an element of it (`for x in f():`) */
} ValueFrom;

typedef struct Pending {
  uint32_t start, end;           /* the call node */
  int call;                      /* index once created, -1 before */
  PtrSet names;                  /* names bound from it */
  ValueFrom from;                /* how the value comes from the call's result */
  uint32_t copy_start, copy_end; /* FROM_ELEMENT through `sorted(call)` (list, tuple,
                                    reversed): that call's span; 0, 0 if none */
} Pending;

/* `self.NAME = value` in a method: what the class's instances hold under
 * NAME, for `self.NAME.m()` in its methods. */
typedef struct AttrStore {
  int cls;           /* the class's scope */
  const char *name;  /* interned attribute name */
  int pending;       /* Pending of the call the value is (`= f()`), -1 for any other value */
  const char *value; /* or the interned name the value is (`= client`), NULL */
  int scope;         /* where that name is read */
  uint32_t pos;      /* and the store's byte offset */
} AttrStore;

/* A name annotated with a reference (`client: httpx.Client` as a
 * parameter, `http: httpx.Client` in a class body, `self.http:
 * httpx.Client = ...` in a method): the value it is declared to hold. */
typedef struct Annot {
  int scope;          /* the function (parameter) or class (attribute) scope */
  const char *name;   /* interned parameter or attribute name */
  TSNode type;        /* the reference annotated */
  int read_scope;     /* where the annotation is evaluated */
  const char *origin; /* resolve_all: the origin it names, or NULL */
} Annot;

/* A parameter of a function, by position, and the origin inferred for it:
 * when every call of the function in this file passes a value of one
 * origin at its place (`place(con)` with `con = sqlite3.connect(...)`),
 * the unannotated parameter holds that origin (settle_param_origins). */
typedef struct Param {
  int scope;        /* the function's scope */
  const char *name; /* interned */
  int pos;          /* 0-based among the function's parameters */
} Param;

/* `return value` in a function: what a call of it gives. */
typedef struct Return {
  int def;          /* the function */
  int pending;      /* Pending of the call returned (`return f()`), -1 otherwise */
  const char *name; /* or the interned name returned (`return c`), NULL */
  int scope;        /* where that name is read */
  uint32_t pos;     /* and the statement's byte offset */
} Return;

typedef struct CallAux {
  int scope;     /* scope the callee is read in */
  TSNode callee; /* function / subscripted value (null if none): resolve_all starts there */
} CallAux;

typedef struct TaskCand {
  int def;
  int scope;        /* where the decorator is evaluated */
  const char *head; /* interned head identifier */
  bool dotted;      /* head.task form */
} TaskCand;

typedef struct Collector {
  PtrSet names;
  bool is_call; /* destination: call uses or assign sources */
  int index;
} Collector;

enum { CTX_READ, CTX_STORE, CTX_PARAM, CTX_SKIP, CTX_CAPTURE };

typedef struct Frame {
  TSNode node;
  uint8_t kind;
  uint8_t ctx;
  bool first_for; /* the first for_in_clause of a comprehension */
  bool walrus;    /* STORE through := (binds outside comprehensions) */
  bool direct;    /* STORE target is the whole left side */
  bool aug;       /* augmented assignment target (also a read) */
  bool last;      /* its later siblings hold nothing the walk records */
  int named_left; /* named children not visited yet (none left: only tokens follow) */
  int scope;      /* reads */
  int bind;       /* bindings (parameters: the new function scope) */
  int func;       /* enclosing Def */
  int coll;       /* active collector, -1 none */
  int assign;     /* Assign receiving STORE targets, -1 none */
  int vkey;       /* Pending of the value bound by STORE targets, -1 none */
  int alias;      /* Alias of the value bound by STORE targets, -1 none */
  int opened;     /* collector opened by this node */
  int new_scope;  /* scope created by this node */
  int def;        /* Def created by this node */
  int call;       /* Call created by this node */
  int n_for;      /* comprehension: for_in_clauses seen */
} Frame;

typedef struct Walk {
  Module *m;
  const char *text;
  Interner in;
  Scope *scopes;
  int nscopes, cap_scopes;
  NameInfo *ni;
  int nni, cap_ni;
  int *map; /* (scope, name) -> NameInfo index+1 */
  uint32_t map_cap;
  Event *ev;
  int nev, cap_ev;
  Alias *aliases;
  int naliases, cap_aliases;
  Pending *pend;
  int npend, cap_pend;
  CallAux *aux; /* parallel to m->calls */
  int cap_aux;
  IntVec star_imports;
  AttrStore *attrs; /* sorted by (cls, name) before resolve_all */
  int nattrs, cap_attrs;
  Return *rets;
  int nrets, cap_rets;
  Annot *annots; /* sorted by (scope, name) before resolve_all */
  int nannots, cap_annots;
  Param *params; /* in binding order, then sorted by (scope, name) before resolve_all */
  int nparams, cap_params;
  const char **param_origin; /* per Param once sorted: the origin inferred, or NULL */
  int closing_depth;       /* closed_origin's nesting: `f = closing(f)` would loop */
  const char **def_origin; /* per Def: the origin of what a call of it returns, or NULL */
  TaskCand *tasks;
  int ntasks, cap_tasks;
  Collector *colls;
  int ncolls, cap_colls;
  Frame *frames;
  int cap_frames;
  uint32_t pos; /* start of the node being entered: when a name is first bound */
  TSTreeCursor args_cur;                       /* for record_tops */
  PyLayout *py;                                /* Module.py being filled */
  int cap_tops, cap_stmts, cap_parts, cap_eqs; /* allocated lengths of py's arrays */
  bool in_stmt; /* an import statement's parts are being recorded: import_add marks the last one */
} Walk;

#define GROW(arr, n, cap)                                              \
  do {                                                                 \
    if ((n) == (cap)) {                                                \
      (cap) = (cap) ? (cap) * 2 : 16;                                  \
      (arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));          \
    }                                                                  \
  } while (0)

static const char *node_name(Walk *w, TSNode n) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  return intern(&w->in, w->text + s, e - s);
}

static bool is_word(char c) {
  unsigned char u = (unsigned char)c;
  return u == '_' || (u >= '0' && u <= '9') || ((u | 32) >= 'a' && (u | 32) <= 'z') || u >= 0x80;
}

/* Source text of n with whitespace and backslash-newlines dropped, one space
 * kept between two word characters ("time.time", "a . b" -> "a.b"). */
static char *collapsed_text(const char *text, TSNode n) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  char *out = xmalloc(e - s + 1);
  size_t k = 0;
  bool gap = false;
  for (uint32_t i = s; i < e; i++) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\\') {
      gap = true;
      continue;
    }
    if (gap && k > 0 && is_word(c) && is_word(out[k - 1])) out[k++] = ' ';
    gap = false;
    out[k++] = c;
  }
  out[k] = '\0';
  return out;
}

/* ---- scopes and bindings -------------------------------------------------- */

static int scope_new(Walk *w, ScopeKind kind, int parent, int def) {
  GROW(w->scopes, w->nscopes, w->cap_scopes);
  w->scopes[w->nscopes] = (Scope){.kind = kind, .parent = parent, .def = def};
  return w->nscopes++;
}

static uint32_t map_hash(int scope, const char *name) {
  return hash_ptr(name) ^ ((uint32_t)scope * 2654435761u);
}

static void map_grow(Walk *w) {
  uint32_t ncap = w->map_cap ? w->map_cap * 2 : 256;
  int *nm = xcalloc(ncap, sizeof *nm);
  for (int i = 0; i < w->nni; i++) {
    uint32_t h = map_hash(w->ni[i].scope, w->ni[i].name) & (ncap - 1);
    while (nm[h]) h = (h + 1) & (ncap - 1);
    nm[h] = i + 1;
  }
  free(w->map);
  w->map = nm;
  w->map_cap = ncap;
}

static NameInfo *lookup_in(Walk *w, int scope, const char *name) {
  if (!w->map_cap) return NULL;
  uint32_t h = map_hash(scope, name) & (w->map_cap - 1);
  while (w->map[h]) {
    NameInfo *ni = &w->ni[w->map[h] - 1];
    if (ni->scope == scope && ni->name == name) return ni;
    h = (h + 1) & (w->map_cap - 1);
  }
  return NULL;
}

static NameInfo *name_info(Walk *w, int scope, const char *name) {
  NameInfo *ni = lookup_in(w, scope, name);
  if (ni) return ni;
  if ((uint32_t)(w->nni + 1) * 2 > w->map_cap) map_grow(w);
  GROW(w->ni, w->nni, w->cap_ni);
  w->ni[w->nni] = (NameInfo){name, scope, 0, -1, -1, -1, -1, w->pos};
  uint32_t h = map_hash(scope, name) & (w->map_cap - 1);
  while (w->map[h]) h = (h + 1) & (w->map_cap - 1);
  w->map[h] = w->nni + 1;
  iv_push(&w->scopes[scope].names, w->nni);
  return &w->ni[w->nni++];
}

/* An identifier, or a chain of `.name` accesses on one. */
static bool is_reference(TSNode n) {
  while (!ts_node_is_null(n) && node_kind(n) == K_ATTRIBUTE) n = field(n, F_OBJECT);
  return !ts_node_is_null(n) && node_kind(n) == K_IDENTIFIER;
}

static int alias_new(Walk *w, TSNode assignment, TSNode value, int scope, bool path) {
  GROW(w->aliases, w->naliases, w->cap_aliases);
  w->aliases[w->naliases] = (Alias){value, scope, ts_node_start_byte(assignment), path};
  return w->naliases++;
}

/* Binds name in scope, following a `global`/`nonlocal` declaration there. */
static NameInfo *bind(Walk *w, int scope, const char *name, int flag) {
  NameInfo *ni = lookup_in(w, scope, name);
  if (ni && (ni->flags & B_GLOBAL_DECL)) {
    scope = 0;
  } else if (ni && (ni->flags & B_NONLOCAL_DECL)) {
    /* The outer binding now has a value we cannot follow. */
    for (int s = w->scopes[scope].parent; s > 0; s = w->scopes[s].parent) {
      NameInfo *o = w->scopes[s].kind == SC_CLASS ? NULL : lookup_in(w, s, name);
      if (o && (o->flags & B_BOUND)) {
        o->flags |= B_OTHER;
        break;
      }
    }
    return NULL;
  }
  ni = name_info(w, scope, name);
  ni->flags |= flag;
  return ni;
}

/* Scope a walrus binds in: the nearest non-comprehension scope. */
static int walrus_scope(Walk *w, int scope) {
  while (w->scopes[scope].kind == SC_COMPREHENSION && w->scopes[scope].parent >= 0)
    scope = w->scopes[scope].parent;
  return scope;
}

/* The binding `name` read at byte `pos` in `scope` refers to, with Python's
 * rules; NULL when it is not bound anywhere (a builtin or an undefined
 * global).  Class and module bodies look names up as they run, so there a
 * binding that first comes after the use does not count yet. */
static NameInfo *resolve(Walk *w, int scope, const char *name, uint32_t pos) {
  bool first = true;
  for (int s = scope; s >= 0; s = w->scopes[s].parent, first = false) {
    /* Class bodies are only visible to code directly inside them. */
    if (w->scopes[s].kind == SC_CLASS && !first) continue;
    NameInfo *ni = lookup_in(w, s, name);
    if (!ni) continue;
    bool runs_in_order = first && (w->scopes[s].kind == SC_CLASS || w->scopes[s].kind == SC_MODULE);
    if (runs_in_order && ni->first_pos > pos && !(ni->flags & (B_GLOBAL_DECL | B_NONLOCAL_DECL))) continue;
    if (ni->flags & B_GLOBAL_DECL) {
      NameInfo *g = lookup_in(w, 0, name);
      return g && (g->flags & B_BOUND) ? g : NULL;
    }
    if (ni->flags & B_NONLOCAL_DECL) continue;
    if (ni->flags & B_BOUND) return ni;
  }
  return NULL;
}

/* ---- collectors: names read by arguments / right-hand sides --------------- */

static void coll_open(Walk *w, Frame *f, bool is_call, int index) {
  GROW(w->colls, w->ncolls, w->cap_colls);
  w->colls[w->ncolls] = (Collector){.is_call = is_call, .index = index};
  f->opened = f->coll = w->ncolls++;
}

/* Hands the names over to the call or assignment, and to the enclosing
 * collector (a call inside an argument list is read by it too). */
static void coll_close(Walk *w, Frame *f, int parent) {
  Collector *c = &w->colls[f->opened];
  Vec *dest = c->is_call ? &((Call *)w->m->calls.items[c->index])->uses
                         : &((Assign *)w->m->assigns.items[c->index])->sources;
  for (int i = 0; i < c->names.len; i++) {
    vec_push(dest, (void *)c->names.items[i]); /* interned: owned by Module.strings */
    if (parent >= 0) ps_add(&w->colls[parent].names, c->names.items[i]);
  }
  ps_free(&c->names);
  w->ncolls--; /* collectors nest like the tree: this one is on top */
}

/* ---- records -------------------------------------------------------------- */

static int pending_new(Walk *w, uint32_t start, uint32_t end) {
  GROW(w->pend, w->npend, w->cap_pend);
  w->pend[w->npend] = (Pending){start, end, -1, {0}, FROM_RESULT, 0, 0};
  return w->npend++;
}

static int pending_of_call(Walk *w, TSNode call) {
  return pending_new(w, ts_node_start_byte(call), ts_node_end_byte(call));
}

/* The call whose result `value` is: `f()` or `await f()`. */
static bool value_call(TSNode value, TSNode *call) {
  if (ts_node_is_null(value)) return false;
  int k = node_kind(value);
  if (k == K_AWAIT && code_child_count(value) == 1) {
    value = code_child(value);
    k = node_kind(value);
  }
  if (k != K_CALL) return false;
  *call = value;
  return true;
}

/* Whether n is `X.parent`. */
static bool is_parent_attr(Walk *w, TSNode n) {
  TSNode a = field(n, F_ATTRIBUTE);
  uint32_t s = ts_node_start_byte(a);
  return ts_node_end_byte(a) - s == 6 && memcmp(w->text + s, "parent", 6) == 0;
}

/* What a path is built on: the leftmost operand of a chain of `/` and
 * `.parent` (parentheses looked through), or a null node when value is
 * neither.  Both give a Path on a Path, and no other origin has them. */
static TSNode divided(Walk *w, TSNode value) {
  TSNode left = {0};
  for (;;) {
    int k = ts_node_is_null(value) ? K_OTHER : node_kind(value);
    if (k == K_PARENTHESIZED_EXPRESSION && code_child_count(value) == 1) {
      value = code_child(value);
    } else if (k == K_BINARY_OPERATOR && ts_node_symbol(field(value, F_OPERATOR)) == div_symbol) {
      value = left = field(value, F_LEFT);
    } else if (k == K_ATTRIBUTE && is_parent_attr(w, value)) {
      value = left = field(value, F_OBJECT);
    } else {
      return ts_node_is_null(left) ? left : value;
    }
  }
}

/* A Pending for the value v bound or returned: the call it is (`f()`,
 * `await f()`), or the call a path is built on (`f() / "x"`: a `/` on a
 * pathlib.Path gives a Path, and no other origin has a `/`); -1 if none. */
static int pending_of_value(Walk *w, TSNode v) {
  TSNode cn;
  if (value_call(v, &cn)) return pending_of_call(w, cn);
  if (!value_call(divided(w, v), &cn)) return -1;
  int p = pending_of_call(w, cn);
  w->pend[p].from = FROM_PATH;
  return p;
}

/* The builtins that copy an iterable's elements, in order or not. */
static bool is_copy_builtin(const char *name) {
  static const char *const copies[] = {"sorted", "list", "tuple", "reversed"};
  for (size_t i = 0; i < sizeof copies / sizeof *copies; i++)
    if (strcmp(copies[i], name) == 0) return true;
  return false;
}

/* The call whose elements `copy` holds when it is `sorted(call)` (with
 * keywords: key=, reverse=), `list(call)`, `tuple(call)` or
 * `reversed(call)`: a null node otherwise.  Whether the name is the
 * builtin's is decided once names resolve (copied_elements). */
static TSNode copy_source(Walk *w, TSNode copy) {
  TSNode fn = field(copy, F_FUNCTION), args = field(copy, F_ARGUMENTS), none = {0}, inner = none;
  if (node_kind(fn) != K_IDENTIFIER || node_kind(args) != K_ARGUMENT_LIST) return none;
  uint32_t s = ts_node_start_byte(fn), n = ts_node_end_byte(fn) - s;
  char name[16];
  if (n >= sizeof name) return none;
  memcpy(name, w->text + s, n);
  name[n] = '\0';
  if (!is_copy_builtin(name)) return none;
  for (uint32_t i = 0, k = ts_node_named_child_count(args); i < k; i++) {
    TSNode a = ts_node_named_child(args, i);
    int kind = node_kind(a);
    if (kind == K_COMMENT || kind == K_KEYWORD_ARGUMENT) continue;
    if (!ts_node_is_null(inner) || !value_call(a, &inner)) return none; /* one positional: a call */
  }
  return inner;
}

/* A Pending for the elements a for loop or clause binds when it iterates
 * over a call's result (`for p in d.glob("*")`, also through a copy:
 * `for p in sorted(d.glob("*"))`); -1 if it does not. */
static int pending_of_elements(Walk *w, TSNode iterable) {
  TSNode cn;
  if (!value_call(iterable, &cn)) return -1;
  TSNode inner = copy_source(w, cn);
  int p = pending_of_call(w, ts_node_is_null(inner) ? cn : inner);
  w->pend[p].from = FROM_ELEMENT;
  if (!ts_node_is_null(inner)) {
    w->pend[p].copy_start = ts_node_start_byte(cn);
    w->pend[p].copy_end = ts_node_end_byte(cn);
  }
  return p;
}

static int assign_new(Walk *w, Frame *f) {
  Assign *a = xcalloc(1, sizeof *a);
  a->func = f->func;
  a->pos = ts_node_start_byte(f->node);
  vec_push(&w->m->assigns, a);
  return w->m->assigns.len - 1;
}

/* s is interned, as every item already in v: pointers compare. */
static void vec_add_unique(Vec *v, const char *s) {
  for (int i = 0; i < v->len; i++)
    if (v->items[i] == s) return;
  vec_push(v, (void *)s);
}

/* A name bound from pending value p: recorded for the call's `assigned`. */
static void pending_bind(Walk *w, int p, const char *name) {
  if (!ps_add(&w->pend[p].names, name)) return;
  if (w->pend[p].call >= 0) vec_add_unique(&((Call *)w->m->calls.items[w->pend[p].call])->assigned, name);
}

static Call *call_new(Walk *w, Frame *f, CallForm form, TSNode callee) {
  Call *c = xcalloc(1, sizeof *c);
  TSPoint pt = ts_node_start_point(f->node);
  c->form = form;
  c->node = f->node;
  c->span = (Span){ts_node_start_byte(f->node), ts_node_end_byte(f->node)};
  c->line = pt.row + 1;
  c->col = pt.column + 1;
  c->func = f->func;
  c->target_module = c->target_def = c->site_index = c->recv_call = -1;
  GROW(w->aux, w->m->calls.len, w->cap_aux);
  w->aux[w->m->calls.len] = (CallAux){f->scope, callee};
  f->call = w->m->calls.len;
  vec_push(&w->m->calls, c);
  return c;
}

/* What the rewrite, boundaries and the bridge need of a call's shape (the
 * tree does not outlive this pass in a build): the checks rewrite_py.c's
 * edits rely on, the byte offsets they edit, the argument counts. */
static void plain_shape(Call *c, TSNode call, TSNode fn) {
  TSNode args = field(call, F_ARGUMENTS);
  parse_args_begin(LANG_PYTHON, args, c);
  if (!ts_node_is_null(fn) && node_kind(fn) == K_IDENTIFIER) c->args |= SHAPE_NAME_CALLEE;
  if (ts_node_is_null(args) || ts_node_is_null(fn)) return;
  if (node_kind(args) == K_GENERATOR_EXPRESSION) {
    c->args |= SHAPE_OK | SHAPE_GENERATOR;
    c->arg_open = ts_node_start_byte(args), c->arg_close = ts_node_end_byte(args) - 1;
    return;
  }
  /* The `(` is one byte: a tree with a MISSING one is not named at all. */
  TSNode lp = ts_node_child(args, 0);
  if (node_kind(args) == K_ARGUMENT_LIST && !ts_node_is_null(lp) && strcmp(ts_node_type(lp), "(") == 0) {
    c->args |= SHAPE_OK;
    c->arg_open = ts_node_start_byte(lp);
  }
}

/* `X[k]`: the `[` and the final `]` the rewrite replaces. */
static void read_shape(Call *c, TSNode sub) {
  parse_args_begin(LANG_PYTHON, (TSNode){0}, c); /* a subscript has no arguments field */
  uint32_t n = ts_node_child_count(sub);
  TSNode lb = {0}, rb = n ? ts_node_child(sub, n - 1) : lb;
  for (uint32_t i = 0; i < n && ts_node_is_null(lb); i++) {
    TSNode ch = ts_node_child(sub, i);
    if (!ts_node_is_named(ch) && strcmp(ts_node_type(ch), "[") == 0) lb = ch;
  }
  if (ts_node_is_null(lb) || ts_node_is_null(rb) || strcmp(ts_node_type(rb), "]") != 0) return;
  c->args |= SHAPE_OK;
  c->arg_open = ts_node_start_byte(lb), c->arg_close = ts_node_start_byte(rb);
}

/* Links a new call to the assignments/with/walrus whose value it is: the
 * frames above it reached through their value position. */
static void call_link_pending(Walk *w, int depth, int call) {
  Call *c = w->m->calls.items[call];
  for (int d = depth - 1; d >= 1; d--) {
    Frame *f = &w->frames[d];
    /* the pending record's span tells which call is the value's (`f().parent / "x"`) */
    if (f->kind == K_AWAIT || f->kind == K_BINARY_OPERATOR || f->kind == K_PARENTHESIZED_EXPRESSION ||
        f->kind == K_ATTRIBUTE || f->kind == K_ARGUMENT_LIST || f->kind == K_CALL)
      continue; /* (a call's argument: `for p in sorted(d.glob("*"))`) */
    if (f->vkey >= 0 &&
        (f->kind == K_ASSIGNMENT || f->kind == K_NAMED_EXPRESSION || f->kind == K_AS_PATTERN ||
         f->kind == K_RETURN_STATEMENT || f->kind == K_FOR_STATEMENT || f->kind == K_FOR_IN_CLAUSE)) {
      Pending *p = &w->pend[f->vkey];
      if (p->start == c->span.start && p->end == c->span.end) {
        p->call = call;
        for (int i = 0; i < p->names.len; i++) vec_add_unique(&c->assigned, p->names.items[i]);
      }
      if (f->kind == K_ASSIGNMENT) continue; /* chained `x = y = f()` */
    }
    break;
  }
}

/* ---- definitions ---------------------------------------------------------- */

static bool has_token_child(TSNode n, const char *type) {
  uint32_t k = ts_node_child_count(n);
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_child(n, i);
    if (!ts_node_is_named(c) && strcmp(ts_node_type(c), type) == 0) return true;
    if (ts_node_is_named(c)) break; /* `async` comes before the name */
  }
  return false;
}

/* min/max positional arguments, from the parameter list's direct children. */
static void count_params(Def *d, TSNode params) {
  bool kwonly = false;
  d->min_args = d->max_args = 0;
  uint32_t k = ts_node_named_child_count(params);
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_named_child(params, i);
    int kind = node_kind(c);
    if (kind == K_TYPED_PARAMETER && ts_node_named_child_count(c) > 0) {
      int inner = node_kind(ts_node_named_child(c, 0));
      if (inner == K_LIST_SPLAT_PATTERN) kind = K_LIST_SPLAT_PATTERN;
      if (inner == K_DICTIONARY_SPLAT_PATTERN) kind = K_DICTIONARY_SPLAT_PATTERN;
    }
    switch (kind) {
    case K_IDENTIFIER:
    case K_TYPED_PARAMETER:
      if (!kwonly) d->min_args++, d->max_args++;
      break;
    case K_DEFAULT_PARAMETER:
    case K_TYPED_DEFAULT_PARAMETER:
      if (!kwonly) d->max_args++;
      break;
    case K_LIST_SPLAT_PATTERN: kwonly = true, d->max_args = -1; break;
    case K_KEYWORD_SEPARATOR: kwonly = true; break;
    default: break;
    }
    if (d->max_args < 0) {
      /* keep counting required positional ones before the star only */
      kwonly = true;
    }
  }
}

/* Decorators of a definition: @task/@currant.task candidates (resolved once
 * the imports are known) and @staticmethod. */
static void scan_decorators(Walk *w, Frame *p, int def, int scope) {
  if (p->kind != K_DECORATED_DEFINITION) return;
  uint32_t k = ts_node_named_child_count(p->node);
  for (uint32_t i = 0; i < k; i++) {
    TSNode d = ts_node_named_child(p->node, i);
    if (node_kind(d) != K_DECORATOR || code_child_count(d) == 0) continue;
    TSNode e = code_child(d);
    if (node_kind(e) == K_CALL) e = field(e, F_FUNCTION);
    TaskCand t = {def, p->scope, NULL, false};
    if (node_kind(e) == K_IDENTIFIER) {
      t.head = node_name(w, e);
      if (strcmp(t.head, "staticmethod") == 0) w->scopes[scope].is_static = true;
    } else if (node_kind(e) == K_ATTRIBUTE) {
      TSNode obj = field(e, F_OBJECT), attr = field(e, F_ATTRIBUTE);
      if (node_kind(obj) != K_IDENTIFIER || strcmp(node_name(w, attr), "task") != 0) continue;
      t.head = node_name(w, obj);
      t.dotted = true;
    } else {
      continue;
    }
    GROW(w->tasks, w->ntasks, w->cap_tasks);
    w->tasks[w->ntasks++] = t;
  }
}

static void def_new(Walk *w, Frame *p, Frame *f, bool is_class) {
  TSNode name = field(f->node, F_NAME);
  if (ts_node_is_null(name)) return;
  const char *nm = node_name(w, name);
  Def *d = xcalloc(1, sizeof *d);
  Def *parent = f->func >= 0 ? w->m->defs.items[f->func] : NULL;
  TSPoint pt = ts_node_start_point(name);
  d->kind = is_class ? DEF_CLASS : w->scopes[f->scope].kind == SC_CLASS ? DEF_METHOD : DEF_FUNCTION;
  d->name = xstrdup(nm);
  d->qualname = parent ? xdotjoin(parent->qualname, nm) : xstrdup(nm);
  d->parent = f->func;
  d->line = pt.row + 1;
  d->col = pt.column + 1;
  d->span = (Span){ts_node_start_byte(f->node), ts_node_end_byte(f->node)};
  d->is_async = !is_class && has_token_child(f->node, "async");
  d->exported = !parent && nm[0] != '_';
  d->max_args = -1;
  f->def = w->m->defs.len;
  vec_push(&w->m->defs, d);
  NameInfo *ni = bind(w, f->scope, nm, B_DEF);
  if (ni && ni->def_index < 0) ni->def_index = f->def;
  f->new_scope = scope_new(w, is_class ? SC_CLASS : SC_FUNCTION, f->scope, f->def);
  if (!is_class) {
    TSNode params = field(f->node, F_PARAMETERS);
    if (!ts_node_is_null(params)) count_params(d, params);
  }
  scan_decorators(w, p, f->def, f->new_scope);
}

/* The reference an annotation names: `T`, `a.T`, `T | None`, `None | T`
 * or `Optional[T]`; a null node for anything else. */
static TSNode annotated_ref(Walk *w, TSNode type) {
  TSNode t = !ts_node_is_null(type) && node_kind(type) == K_TYPE ? code_child(type) : type;
  int k = ts_node_is_null(t) ? K_OTHER : node_kind(t);
  if (k == K_BINARY_OPERATOR && ts_node_symbol(field(t, F_OPERATOR)) == or_symbol) {
    TSNode l = field(t, F_LEFT), r = field(t, F_RIGHT);
    t = node_kind(r) == K_NONE ? l : node_kind(l) == K_NONE ? r : (TSNode){0};
  } else if (k == K_GENERIC_TYPE && ts_node_named_child_count(t) == 2) {
    TSNode name = ts_node_named_child(t, 0), param = ts_node_named_child(t, 1);
    bool optional = node_name(w, name) == intern(&w->in, "Optional", 8) &&
                    node_kind(param) == K_TYPE_PARAMETER && code_child_count(param) == 1;
    t = optional ? code_child(code_child(param)) : (TSNode){0};
  }
  return !ts_node_is_null(t) && is_reference(t) ? t : (TSNode){0};
}

/* `name: type` in scope (a parameter of the function whose scope it is,
 * or an attribute of the class whose scope it is), the annotation read in
 * read_scope. */
static void annot_add(Walk *w, int scope, const char *name, TSNode type, int read_scope) {
  TSNode ref = annotated_ref(w, type);
  if (ts_node_is_null(ref)) return;
  GROW(w->annots, w->nannots, w->cap_annots);
  w->annots[w->nannots++] = (Annot){scope, name, ref, read_scope, NULL};
}

/* A parameter: bound in the new scope; a method's first one is its self. */
static void param_bind(Walk *w, Frame *f, const char *name) {
  Scope *s = &w->scopes[f->bind];
  bind(w, f->bind, name, B_PARAM);
  GROW(w->params, w->nparams, w->cap_params);
  w->params[w->nparams++] = (Param){f->bind, name, s->nparams};
  if (s->nparams++ == 0 && s->def >= 0 && ((Def *)w->m->defs.items[s->def])->kind == DEF_METHOD &&
      !s->is_static)
    s->self = name;
}

/* ---- imports and declarations --------------------------------------------- */

static void import_add(Walk *w, Frame *f, ImportKind kind, const char *local, char *spec,
                       const char *name, TSNode at) {
  Import *imp = xcalloc(1, sizeof *imp);
  TSPoint pt = ts_node_start_point(at);
  imp->kind = kind;
  imp->local = local ? xstrdup(local) : NULL;
  imp->spec = spec;
  imp->name = name ? xstrdup(name) : NULL;
  imp->cross_lang = strncmp(spec, "currant.js.", 11) == 0;
  imp->line = pt.row + 1;
  imp->col = pt.column + 1;
  imp->resolved_file = -1;
  int index = w->m->imports.len;
  vec_push(&w->m->imports, imp);
  if (w->in_stmt) w->py->parts[w->py->nparts - 1].import = index;
  if (kind == IMPORT_STAR) {
    iv_push(&w->star_imports, index);
    return;
  }
  NameInfo *ni = bind(w, f->scope, intern(&w->in, local, strlen(local)), B_IMPORT);
  if (ni && ni->import_index < 0) ni->import_index = index;
}

/* Records an import statement for the bridge rewrite, which replaces it
 * whole: its span, then each child (stmt_part) with the import it makes. */
static void stmt_begin(Walk *w, Frame *f) {
  PyLayout *py = w->py;
  GROW(py->stmts, py->nstmts, w->cap_stmts);
  py->stmts[py->nstmts++] =
      (ImportStmt){{ts_node_start_byte(f->node), ts_node_end_byte(f->node)}, py->nparts, 0};
  w->in_stmt = true;
}

static void stmt_part(Walk *w, TSNode c) {
  PyLayout *py = w->py;
  GROW(py->parts, py->nparts, w->cap_parts);
  py->parts[py->nparts++] = (ImportPart){{ts_node_start_byte(c), ts_node_end_byte(c)}, -1};
  py->stmts[py->nstmts - 1].nparts++;
}

/* `import a.b` binds a; `import a.b as c` binds c. */
static void import_statement(Walk *w, Frame *f) {
  uint32_t k = ts_node_named_child_count(f->node);
  stmt_begin(w, f);
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_named_child(f->node, i);
    int kind = node_kind(c);
    if (kind != K_COMMENT && kind != K_LINE_CONTINUATION) stmt_part(w, c);
    if (kind == K_DOTTED_NAME) {
      char *spec = collapsed_text(w->text, c);
      char *dot = strchr(spec, '.');
      char *local = dot ? xstrndup(spec, (size_t)(dot - spec)) : xstrdup(spec);
      import_add(w, f, IMPORT_MODULE, local, spec, NULL, c);
      free(local);
    } else if (kind == K_ALIASED_IMPORT) {
      TSNode alias = field(c, F_ALIAS);
      if (ts_node_is_null(alias)) continue;
      import_add(w, f, IMPORT_MODULE, node_name(w, alias), collapsed_text(w->text, field(c, F_NAME)), NULL, c);
    }
  }
  w->in_stmt = false;
}

static void import_from(Walk *w, Frame *f) {
  TSNode mod = field(f->node, F_MODULE_NAME); /* null for `from __future__` */
  char *spec = f->kind == K_FUTURE_IMPORT_STATEMENT ? xstrdup("__future__") : collapsed_text(w->text, mod);
  uint32_t k = ts_node_named_child_count(f->node);
  if (f->kind == K_IMPORT_FROM_STATEMENT) stmt_begin(w, f); /* `from __future__` is never rewritten */
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_named_child(f->node, i);
    int kind = node_kind(c);
    if (ts_node_eq(c, mod)) continue;
    if (w->in_stmt && kind != K_COMMENT && kind != K_LINE_CONTINUATION) stmt_part(w, c);
    if (kind == K_WILDCARD_IMPORT) {
      import_add(w, f, IMPORT_STAR, NULL, xstrdup(spec), NULL, c);
    } else if (kind == K_DOTTED_NAME) {
      const char *nm = node_name(w, c);
      import_add(w, f, IMPORT_NAME, nm, xstrdup(spec), nm, c);
    } else if (kind == K_ALIASED_IMPORT) {
      TSNode alias = field(c, F_ALIAS), name = field(c, F_NAME);
      if (ts_node_is_null(alias) || ts_node_is_null(name)) continue;
      import_add(w, f, IMPORT_NAME, node_name(w, alias), xstrdup(spec), node_name(w, name), c);
    }
  }
  w->in_stmt = false;
  free(spec);
}

static void declaration(Walk *w, Frame *f, int flag) {
  if (f->scope == 0) return; /* `global x` at module level changes nothing */
  uint32_t k = ts_node_named_child_count(f->node);
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_named_child(f->node, i);
    if (node_kind(c) == K_IDENTIFIER) name_info(w, f->scope, node_name(w, c))->flags |= flag;
  }
}

/* ---- the walk ------------------------------------------------------------- */

static bool is_comprehension(int kind) {
  return kind == K_LIST_COMPREHENSION || kind == K_SET_COMPREHENSION ||
         kind == K_DICTIONARY_COMPREHENSION || kind == K_GENERATOR_EXPRESSION;
}

static void read_name(Walk *w, Frame *f, const char *name) {
  if (f->coll >= 0) ps_add(&w->colls[f->coll].names, name);
}

/* An identifier in a binding position. */
static void store(Walk *w, Frame *f) {
  const char *nm = node_name(w, f->node);
  int scope = f->walrus ? walrus_scope(w, f->scope) : f->scope;
  bool from_call = f->vkey >= 0 && f->direct, aliased = f->alias >= 0 && f->direct;
  NameInfo *ni = bind(w, scope, nm, from_call ? B_CALL : aliased ? B_ALIAS : B_OTHER);
  if (ni && aliased) {
    if (ni->alias >= 0) ni->flags |= B_OTHER; /* bound twice: which one holds is not known */
    ni->alias = f->alias;
  }
  if (ni && from_call) {
    GROW(w->ev, w->nev, w->cap_ev);
    w->ev[w->nev] = (Event){f->vkey, ni->first_event};
    ni->first_event = w->nev++;
  }
  if (f->vkey >= 0) pending_bind(w, f->vkey, nm);
  if (f->assign >= 0) {
    Assign *a = w->m->assigns.items[f->assign];
    vec_add_unique(&a->targets, nm);
    if (f->aug) vec_add_unique(&a->sources, nm); /* x += y reads x */
  }
}

static void identifier(Walk *w, Frame *p, Frame *f) {
  switch (f->ctx) {
  case CTX_READ:
    if (f->coll >= 0) read_name(w, f, node_name(w, f->node));
    break;
  case CTX_STORE: store(w, f); break;
  case CTX_PARAM:
    param_bind(w, f, node_name(w, f->node));
    if (p->kind == K_TYPED_PARAMETER || p->kind == K_TYPED_DEFAULT_PARAMETER)
      annot_add(w, f->bind, node_name(w, f->node), field(p->node, F_TYPE), w->scopes[f->bind].parent);
    break;
  case CTX_CAPTURE:
    if (p->kind == K_SPLAT_PATTERN || p->kind == K_AS_PATTERN) bind(w, f->scope, node_name(w, f->node), B_OTHER);
    break;
  default: break;
  }
}

/* `case x:` / `case P(k=x)`: a lone name in a pattern captures. */
static void capture_dotted(Walk *w, Frame *p, Frame *f) {
  if (f->ctx != CTX_CAPTURE || (p->kind != K_CASE_PATTERN && p->kind != K_KEYWORD_PATTERN)) return;
  if (code_child_count(f->node) != 1) return;
  const char *nm = node_name(w, code_child(f->node));
  if (strcmp(nm, "_") != 0) bind(w, f->scope, nm, B_OTHER);
}

/* `X[k]` read where X may be os.environ: a CALL_READ candidate, kept only
 * if X resolves to os.environ once the whole file is known. */
static void environ_candidate(Walk *w, Frame *f) {
  TSNode value = field(f->node, F_VALUE), index = field(f->node, F_SUBSCRIPT);
  if (ts_node_is_null(value) || ts_node_is_null(index)) return;
  int ik = node_kind(index);
  if (ik == K_SLICE || ik == K_LIST_SPLAT) return;
  if (code_child_count(f->node) != 2) return; /* a[i, j]: a tuple index */
  int vk = node_kind(value);
  if (vk == K_ATTRIBUTE) {
    TSNode attr = field(value, F_ATTRIBUTE);
    uint32_t s = ts_node_start_byte(attr), e = ts_node_end_byte(attr);
    if (e - s != 7 || memcmp(w->text + s, "environ", 7) != 0) return;
  } else if (vk == K_IDENTIFIER) {
    NameInfo *ni = resolve(w, f->scope, node_name(w, value), ts_node_start_byte(value));
    if (!ni || !(ni->flags & B_IMPORT)) return;
  } else {
    return;
  }
  Call *c = call_new(w, f, CALL_READ, value);
  c->text = collapsed_text(w->text, value);
  read_shape(c, f->node);
}

/* Context of a child (its kind already set) from its parent and the field
 * it sits in. */
static void frame_init(Walk *w, Frame *p, Frame *f, TSFieldId fld) {
  f->scope = p->scope;
  f->bind = p->bind;
  f->func = p->func;
  f->coll = p->coll;
  f->assign = f->vkey = f->alias = f->opened = f->new_scope = f->def = f->call = -1;
  f->n_for = 0;
  f->first_for = f->walrus = f->direct = f->aug = false;
  f->ctx = CTX_READ;
  bool named = f->kind != K_TOKEN;
  switch (p->kind) {
  case K_FUNCTION_DEFINITION:
  case K_CLASS_DEFINITION:
  case K_LAMBDA:
    if (fld == fid[F_NAME] || fld == fid[F_TYPE_PARAMETERS]) {
      f->ctx = CTX_SKIP;
    } else if (fld == fid[F_PARAMETERS] && p->new_scope >= 0) {
      f->ctx = CTX_PARAM; /* defaults and annotations still read outside */
      f->bind = p->new_scope;
    } else if (fld == fid[F_BODY] && p->new_scope >= 0) {
      f->scope = f->bind = p->new_scope;
      if (p->def >= 0) f->func = p->def;
    }
    break;
  case K_PARAMETERS:
  case K_LAMBDA_PARAMETERS: f->ctx = p->ctx; break;
  case K_DEFAULT_PARAMETER:
  case K_TYPED_DEFAULT_PARAMETER:
    if (fld == fid[F_NAME]) f->ctx = p->ctx;
    break;
  case K_TYPED_PARAMETER:
    if (fld != fid[F_TYPE]) f->ctx = p->ctx;
    break;
  case K_LIST_SPLAT_PATTERN:
  case K_DICTIONARY_SPLAT_PATTERN:
  case K_PATTERN_LIST:
  case K_TUPLE_PATTERN:
  case K_LIST_PATTERN:
  case K_TUPLE:
  case K_LIST:
  case K_PARENTHESIZED_EXPRESSION:
  case K_EXPRESSION_LIST:
  case K_LIST_SPLAT:
  case K_AS_PATTERN_TARGET:
    if (p->ctx != CTX_READ && p->ctx != CTX_SKIP) {
      f->ctx = p->ctx;
      f->assign = p->assign;
      f->vkey = p->vkey;
      f->walrus = p->walrus;
      /* (x) = f() and `with f() as x` still bind x to the whole value */
      f->direct = p->direct && (p->kind == K_AS_PATTERN_TARGET || p->kind == K_PARENTHESIZED_EXPRESSION);
    }
    break;
  case K_ATTRIBUTE:
    if (fld == fid[F_ATTRIBUTE]) f->ctx = CTX_SKIP;
    break;
  case K_KEYWORD_ARGUMENT:
    if (fld == fid[F_NAME]) f->ctx = CTX_SKIP;
    break;
  case K_CALL:
    if (fld == fid[F_ARGUMENTS] && p->call >= 0) coll_open(w, f, true, p->call);
    break;
  case K_SUBSCRIPT:
    if (fld == fid[F_SUBSCRIPT] && p->call >= 0) coll_open(w, f, true, p->call);
    break;
  case K_ASSIGNMENT:
  case K_AUGMENTED_ASSIGNMENT:
  case K_FOR_STATEMENT:
    if (fld == fid[F_LEFT]) {
      f->ctx = CTX_STORE;
      f->assign = p->assign;
      f->vkey = p->vkey;
      f->alias = p->alias;
      f->direct = true;
      f->aug = p->kind == K_AUGMENTED_ASSIGNMENT;
    } else if (fld == fid[F_RIGHT] && p->assign >= 0) {
      coll_open(w, f, false, p->assign);
    }
    break;
  case K_FOR_IN_CLAUSE:
    if (fld == fid[F_LEFT]) {
      f->ctx = CTX_STORE;
      f->vkey = p->vkey;
      f->direct = true;
    }
    /* the first iterable is evaluated in the enclosing scope */
    else if (fld == fid[F_RIGHT] && p->first_for)
      f->scope = f->bind = w->scopes[p->scope].parent;
    break;
  case K_NAMED_EXPRESSION:
    if (fld == fid[F_NAME]) {
      f->ctx = CTX_STORE;
      f->assign = p->assign;
      f->vkey = p->vkey;
      f->direct = f->walrus = true;
    } else if (fld == fid[F_VALUE] && p->assign >= 0) {
      coll_open(w, f, false, p->assign);
    }
    break;
  case K_AS_PATTERN:
    if (p->ctx == CTX_CAPTURE) {
      f->ctx = CTX_CAPTURE;
    } else if (fld == fid[F_ALIAS]) {
      f->ctx = CTX_STORE;
      f->assign = p->assign;
      f->vkey = p->vkey;
      f->direct = true;
    } else if (named && p->assign >= 0 && f->kind != K_COMMENT) {
      coll_open(w, f, false, p->assign);
    }
    break;
  case K_DELETE_STATEMENT: f->ctx = CTX_STORE; break;
  default:
    if (p->ctx == CTX_CAPTURE) f->ctx = CTX_CAPTURE;
    break;
  }
}

/* An interpolation with `=` prints its own source text: recorded (with the
 * quote of the string holding it, which the literal must not contain) for
 * the rewrite of the sites inside it. */
static void eq_interpolation(Walk *w, int depth) {
  TSNode n = w->frames[depth].node, eq = {0};
  uint32_t k = ts_node_child_count(n), i = 0;
  for (; i < k && ts_node_is_null(eq); i++) {
    TSNode ch = ts_node_child(n, i);
    if (!ts_node_is_named(ch) && strcmp(ts_node_type(ch), "=") == 0) eq = ch;
  }
  if (ts_node_is_null(eq)) return;
  EqInterp e = {.span = {ts_node_start_byte(n), ts_node_end_byte(n)},
                .brace_end = ts_node_end_byte(ts_node_child(n, 0)),
                .eq = {ts_node_start_byte(eq), ts_node_end_byte(eq)},
                .next = ts_node_end_byte(n),
                .quote = '"'};
  for (; i < k; i++) {
    uint32_t at = ts_node_start_byte(ts_node_child(n, i));
    if (at > e.eq.start) {
      e.next = at;
      break;
    }
  }
  for (int d = depth - 1; d > 0; d--) {
    if (w->frames[d].kind != K_STRING) continue;
    TSNode start = ts_node_child(w->frames[d].node, 0);
    if (!ts_node_is_null(start) && ts_node_end_byte(start) > 0)
      e.quote = w->text[ts_node_end_byte(start) - 1];
    break;
  }
  e.converted =
      !ts_node_is_null(field(n, F_TYPE_CONVERSION)) || !ts_node_is_null(field(n, F_FORMAT_SPECIFIER));
  GROW(w->py->eqs, w->py->neqs, w->cap_eqs);
  w->py->eqs[w->py->neqs++] = e;
}

/* True if string node n has an f/t prefix: only such strings can hold
 * interpolations (the scanner treats braces of any other string as
 * content, see is_format in tree-sitter-python's scanner.c), so the rest
 * (start, content, escapes, end) hold nothing the walk records and are not
 * visited; a fifth of a typical file's nodes sit inside strings. */
static bool formatted_string(Walk *w, TSNode n) {
  for (const char *c = w->text + ts_node_start_byte(n); (*c | 32) >= 'a' && (*c | 32) <= 'z'; c++)
    if ((*c | 32) == 'f' || (*c | 32) == 't') return true;
  return false;
}

/* The method scope whose first parameter is `name`, seen from scope s
 * (a lambda or comprehension inside the method, a function nested in it),
 * or -1. */
static int method_of_self(Walk *w, int s, const char *name) {
  for (; s >= 0 && w->scopes[s].kind != SC_CLASS && w->scopes[s].kind != SC_MODULE; s = w->scopes[s].parent)
    if (w->scopes[s].self) return w->scopes[s].self == name ? s : -1;
  return -1;
}

/* An attribute being bound: `self.NAME = value` (or `with ... as self.NAME`,
 * `del self.NAME`, ...) in a method is recorded for its class, with the
 * call the value is when it is one and binds the attribute directly. */
static void attr_store(Walk *w, Frame *p, Frame *f) {
  TSNode obj = field(f->node, F_OBJECT), attr = field(f->node, F_ATTRIBUTE);
  if (ts_node_is_null(obj) || ts_node_is_null(attr) || node_kind(obj) != K_IDENTIFIER) return;
  int ms = method_of_self(w, f->scope, node_name(w, obj));
  if (ms < 0) return;
  bool direct = ms == f->scope && f->direct;
  AttrStore st = {w->scopes[ms].parent, node_name(w, attr), direct ? f->vkey : -1, NULL, f->scope, w->pos};
  TSNode right = direct && st.pending < 0 && p->kind == K_ASSIGNMENT ? field(p->node, F_RIGHT) : (TSNode){0};
  if (!ts_node_is_null(right) && node_kind(right) == K_IDENTIFIER) st.value = node_name(w, right);
  GROW(w->attrs, w->nattrs, w->cap_attrs);
  w->attrs[w->nattrs++] = st;
}

/* An annotated assignment: `NAME: T` in a class body, `self.NAME: T =
 * ...` in a method, declare what the class's instances hold. */
static void annotated_assignment(Walk *w, Frame *f) {
  TSNode type = field(f->node, F_TYPE), left = field(f->node, F_LEFT);
  if (ts_node_is_null(type) || ts_node_is_null(left)) return;
  if (node_kind(left) == K_IDENTIFIER && w->scopes[f->scope].kind == SC_CLASS) {
    annot_add(w, f->scope, node_name(w, left), type, f->scope);
  } else if (node_kind(left) == K_ATTRIBUTE) {
    TSNode obj = field(left, F_OBJECT), attr = field(left, F_ATTRIBUTE);
    if (node_kind(obj) != K_IDENTIFIER || ts_node_is_null(attr)) return;
    int ms = method_of_self(w, f->scope, node_name(w, obj));
    if (ms == f->scope) annot_add(w, w->scopes[ms].parent, node_name(w, attr), type, f->scope);
  }
}

/* `return value`: a call or a name, for what calls of the function give;
 * `return` and `return None` say nothing about it. */
static void return_new(Walk *w, Frame *f) {
  TSNode v = code_child(f->node);
  if (f->func < 0 || ts_node_is_null(v) || node_kind(v) == K_NONE) return;
  Return r = {f->func, -1, NULL, f->scope, ts_node_start_byte(f->node)};
  f->vkey = r.pending = pending_of_value(w, v);
  if (r.pending < 0 && node_kind(v) == K_IDENTIFIER) r.name = node_name(w, v);
  GROW(w->rets, w->nrets, w->cap_rets);
  w->rets[w->nrets++] = r;
}

/* What entering a node records.  Returns false when its children need no
 * visit (tokens, identifiers, imports handled here as a whole). */
static bool enter(Walk *w, int depth) {
  Frame *p = &w->frames[depth - 1], *f = &w->frames[depth];
  switch (f->kind) {
  case K_TOKEN:
  case K_COMMENT:
  case K_LINE_CONTINUATION: return false;
  case K_IDENTIFIER: identifier(w, p, f); return false;
  case K_DOTTED_NAME: capture_dotted(w, p, f); return false;
  case K_CALL: {
    TSNode fn = field(f->node, F_FUNCTION);
    Call *c = call_new(w, f, CALL_PLAIN, fn);
    c->text = ts_node_is_null(fn) ? xstrdup("") : collapsed_text(w->text, fn);
    c->awaited = p->kind == K_AWAIT;
    plain_shape(c, f->node, fn);
    call_link_pending(w, depth, f->call);
    return true;
  }
  case K_SUBSCRIPT:
    if (f->ctx == CTX_READ) environ_candidate(w, f);
    return true;
  case K_ASSIGNMENT: {
    f->assign = assign_new(w, f);
    annotated_assignment(w, f);
    /* In `x = y = f()` the inner assignment (the outer one's right side:
     * an assignment is never anything else) has the outer one's value:
     * its own pending record, for the same call, without a walk down the
     * chain again (quadratic in the chain's length). */
    if (p->kind == K_ASSIGNMENT) {
      if (p->vkey >= 0) f->vkey = pending_new(w, w->pend[p->vkey].start, w->pend[p->vkey].end);
      f->alias = p->alias;
      return true;
    }
    TSNode r = field(f->node, F_RIGHT);
    while (!ts_node_is_null(r) && node_kind(r) == K_ASSIGNMENT) r = field(r, F_RIGHT);
    f->vkey = pending_of_value(w, r);
    TSNode built_on = divided(w, r);
    if (f->vkey < 0 && is_reference(r))
      f->alias = alias_new(w, f->node, r, f->scope, false);
    else if (f->vkey < 0 && is_reference(built_on))
      f->alias = alias_new(w, f->node, built_on, f->scope, true);
    return true;
  }
  case K_AUGMENTED_ASSIGNMENT: f->assign = assign_new(w, f); return true;
  case K_FOR_STATEMENT:
    f->assign = assign_new(w, f);
    f->vkey = pending_of_elements(w, field(f->node, F_RIGHT));
    return true;
  case K_NAMED_EXPRESSION: {
    TSNode cn;
    f->assign = assign_new(w, f);
    if (value_call(field(f->node, F_VALUE), &cn)) f->vkey = pending_of_call(w, cn);
    return true;
  }
  case K_AS_PATTERN: {
    TSNode cn;
    if (f->ctx == CTX_CAPTURE || ts_node_is_null(field(f->node, F_ALIAS))) return true;
    f->assign = assign_new(w, f);
    if (value_call(code_child(f->node), &cn))
      f->vkey = pending_of_call(w, cn);
    return true;
  }
  case K_FUNCTION_DEFINITION: def_new(w, p, f, false); return true;
  case K_CLASS_DEFINITION: def_new(w, p, f, true); return true;
  case K_LAMBDA: f->new_scope = scope_new(w, SC_LAMBDA, f->scope, -1); return true;
  case K_LIST_COMPREHENSION:
  case K_SET_COMPREHENSION:
  case K_DICTIONARY_COMPREHENSION:
  case K_GENERATOR_EXPRESSION:
    f->new_scope = scope_new(w, SC_COMPREHENSION, f->scope, -1);
    f->scope = f->bind = f->new_scope;
    return true;
  case K_FOR_IN_CLAUSE:
    if (is_comprehension(p->kind)) f->first_for = p->n_for++ == 0;
    f->vkey = pending_of_elements(w, field(f->node, F_RIGHT));
    return true;
  case K_IMPORT_STATEMENT: import_statement(w, f); return false;
  case K_IMPORT_FROM_STATEMENT:
  case K_FUTURE_IMPORT_STATEMENT: import_from(w, f); return false;
  case K_GLOBAL_STATEMENT: declaration(w, f, B_GLOBAL_DECL); return false;
  case K_NONLOCAL_STATEMENT: declaration(w, f, B_NONLOCAL_DECL); return false;
  case K_CASE_PATTERN: f->ctx = CTX_CAPTURE; return true;
  case K_STRING: return formatted_string(w, f->node);
  case K_INTERPOLATION: eq_interpolation(w, depth); return true;
  case K_ATTRIBUTE:
    if (f->ctx == CTX_STORE) attr_store(w, p, f);
    return true;
  case K_RETURN_STATEMENT: return_new(w, f); return true;
  default: return true;
  }
}

static void leave(Walk *w, int depth) {
  Frame *f = &w->frames[depth];
  if (f->opened >= 0) coll_close(w, f, depth > 0 ? w->frames[depth - 1].coll : -1);
}

/* Parents whose children's context depends on the field they sit in (the
 * cases of frame_init that read fld): only under these is a child's field
 * id looked up, which costs a walk up the cursor's stack per node. */
static bool field_matters(int parent_kind) {
  switch (parent_kind) {
  case K_FUNCTION_DEFINITION:
  case K_CLASS_DEFINITION:
  case K_LAMBDA:
  case K_DEFAULT_PARAMETER:
  case K_TYPED_DEFAULT_PARAMETER:
  case K_TYPED_PARAMETER:
  case K_ATTRIBUTE:
  case K_KEYWORD_ARGUMENT:
  case K_CALL:
  case K_SUBSCRIPT:
  case K_ASSIGNMENT:
  case K_AUGMENTED_ASSIGNMENT:
  case K_FOR_STATEMENT:
  case K_FOR_IN_CLAUSE:
  case K_NAMED_EXPRESSION:
  case K_AS_PATTERN: return true;
  default: return false;
  }
}

/* Sets up and enters the node under the cursor at depth; returns whether
 * its children need a visit.  Tokens, comments and line continuations are
 * leaves that record nothing: their frame is not even initialised (the
 * most frame_init could do for one is open a collector that would close
 * empty), only marked as having opened no collector, for leave().
 *
 * After a node's last named child only tokens follow, and after an
 * attribute's object only the attribute's name, which is not read: the
 * walk then goes up at once instead of stepping over them (a cursor step
 * costs more than anything the walk does for a node). */
static bool visit(Walk *w, WalkCursor *cur, int depth) {
  Frame *f = &w->frames[depth], *p = &w->frames[depth - 1];
  f->node = cursor_node(cur);
  TSSymbol sym = cursor_symbol(cur);
  int kind = symbol_kind(sym);
  if (kind != K_TOKEN) p->named_left--;
  if (kind == K_TOKEN || kind == K_COMMENT || kind == K_LINE_CONTINUATION) {
    f->opened = -1;
    f->last = p->named_left == 0;
    return false;
  }
  if (p->kind == K_ARGUMENT_LIST && w->frames[depth - 2].kind == K_CALL)
    parse_count_arg(LANG_PYTHON, sym, w->m->calls.items[w->frames[depth - 2].call]);
  w->pos = ts_node_start_byte(f->node);
  TSFieldId fld = field_matters(p->kind) ? cursor_field_id(cur) : 0;
  f->kind = (uint8_t)kind;
  frame_init(w, p, f, fld);
  f->last = p->named_left == 0 || (p->kind == K_ATTRIBUTE && fld == fid[F_OBJECT]);
  if (!enter(w, depth)) return false;
  f->named_left = (int)ts_node_named_child_count(f->node);
  return true;
}

static void walk_tree(Walk *w) {
  TSNode root = ts_tree_root_node(w->m->tree);
  WalkCursor cur;
  cursor_init(&cur, w->m->tree);
  w->cap_frames = 64;
  w->frames = xmalloc((size_t)w->cap_frames * sizeof *w->frames);
  Frame *r = &w->frames[0];
  memset(r, 0, sizeof *r);
  r->node = root;
  r->kind = K_MODULE;
  r->named_left = (int)ts_node_named_child_count(root);
  r->func = r->coll = r->assign = r->vkey = r->opened = r->new_scope = r->def = r->call = -1;
  int depth = 0;
  bool descend = true;
  for (;;) {
    if (descend && cursor_first_child(&cur)) {
      if (++depth == w->cap_frames) {
        w->cap_frames *= 2;
        w->frames = xrealloc(w->frames, (size_t)w->cap_frames * sizeof *w->frames);
      }
      descend = visit(w, &cur, depth);
      continue;
    }
    for (;;) {
      bool last = w->frames[depth].last;
      leave(w, depth);
      if (depth > 0 && !last && cursor_next_sibling(&cur)) {
        descend = visit(w, &cur, depth);
        break;
      }
      if (depth == 0 || !cursor_parent(&cur)) goto done;
      depth--;
    }
  }
done:
  cursor_free(&cur);
  free(w->frames);
}

/* ---- resolution ----------------------------------------------------------- */

static const char *const builtins[] = {
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BlockingIOError",
    "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError", "ConnectionError",
    "DeprecationWarning", "EOFError", "Ellipsis", "EnvironmentError", "Exception", "False",
    "FileExistsError", "FileNotFoundError", "FloatingPointError", "GeneratorExit", "IOError",
    "ImportError", "IndentationError", "IndexError", "InterruptedError", "KeyError",
    "KeyboardInterrupt", "LookupError", "MemoryError", "NameError", "None", "NotImplemented",
    "NotImplementedError", "OSError", "OverflowError", "PermissionError", "RecursionError",
    "ReferenceError", "RuntimeError", "RuntimeWarning", "StopAsyncIteration", "StopIteration",
    "SyntaxError", "SystemError", "SystemExit", "TimeoutError", "True", "TypeError",
    "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UserWarning", "ValueError",
    "Warning", "ZeroDivisionError", "__build_class__", "__import__", "abs", "aiter", "all",
    "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr",
    "classmethod", "compile", "complex", "copyright", "credits", "delattr", "dict", "dir", "divmod",
    "enumerate", "eval", "exec", "exit", "filter", "float", "format", "frozenset", "getattr",
    "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass",
    "iter", "len", "license", "list", "locals", "map", "max", "memoryview", "min", "next", "object",
    "oct", "open", "ord", "pow", "print", "property", "quit", "range", "repr", "reversed", "round",
    "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type",
    "vars", "zip",
};

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static bool is_builtin(const char *name) {
  return bsearch(&name, builtins, sizeof builtins / sizeof *builtins, sizeof *builtins, cmp_str) != NULL;
}

/* What a callee expression is made of: head node and dotted path after it. */
typedef struct Chain {
  TSNode head;
  int head_kind;
  char *path; /* "" when the callee is the head itself */
} Chain;

/* The name of attribute node n ("b" in `a.b`), interned.  It ends the
 * node, so an ASCII run of word characters back from the end is all of
 * it (a token before it cannot end in a word character); a name with
 * other characters takes the field lookup. */
static const char *attribute_name(Walk *w, TSNode n) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n), k = e;
  while (k > s && is_word(w->text[k - 1]) && (unsigned char)w->text[k - 1] < 0x80) k--;
  if (k < e && k > s && (unsigned char)w->text[k - 1] < 0x80) return intern(&w->in, w->text + k, e - k);
  TSNode a = field(n, F_ATTRIBUTE);
  return ts_node_is_null(a) ? "" : node_name(w, a);
}

static Chain callee_chain(Walk *w, TSNode callee) {
  Chain ch = {callee, K_OTHER, NULL};
  Vec segs = {0};
  while (!ts_node_is_null(ch.head)) {
    int k = node_kind(ch.head);
    if (k == K_ATTRIBUTE) {
      vec_push(&segs, (void *)attribute_name(w, ch.head));
      ch.head = field(ch.head, F_OBJECT);
    } else if (k == K_PARENTHESIZED_EXPRESSION && code_child_count(ch.head) == 1) {
      ch.head = code_child(ch.head);
    } else {
      ch.head_kind = k;
      break;
    }
  }
  StrBuf b = {0};
  str_puts(&b, "");
  for (int i = segs.len - 1; i >= 0; i--) {
    if (b.len) str_puts(&b, ".");
    str_puts(&b, segs.items[i]);
  }
  vec_free(&segs);
  ch.path = str_take(&b);
  return ch;
}

static const char *closed_origin(Walk *w, int ci);
/* closing(closing(x)) nests this deep at most; deeper is a binding cycle. */
#define MAX_CLOSING_DEPTH 8

/* Origin tag of a call's result ("<open>"), from its resolved ref: a
 * catalogued origin, a function of this file that returns one, or what
 * `contextlib.closing(x)` returns: x. */
static const char *call_origin(Walk *w, int ci) {
  if (ci < 0) return NULL;
  const Ref *ref = &((Call *)w->m->calls.items[ci])->ref;
  if (ref->kind == REF_DEF && ref->path && !*ref->path && ref->def_index >= 0)
    return w->def_origin[ref->def_index];
  char *ext = ref_external_name(w->m, ref);
  const char *o = ext ? cat_origin(LANG_PYTHON, ext) : NULL;
  bool closing = ext && strcmp(ext, "contextlib.closing") == 0;
  free(ext);
  return closing ? closed_origin(w, ci) : o;
}

#define PATH_ORIGIN "<pathlib.Path>"

static int find_call_span(Walk *w, uint32_t s, uint32_t e);

/* Whether Pending pd's elements reach the loop as they are: directly, or
 * through a call of the builtin sorted/list/tuple/reversed (not a function
 * of the same name defined or imported here). */
static bool copied_elements(Walk *w, const Pending *pd) {
  if (!pd->copy_end) return true;
  int ci = find_call_span(w, pd->copy_start, pd->copy_end);
  if (ci < 0) return false;
  const Ref *r = &((Call *)w->m->calls.items[ci])->ref;
  return r->kind == REF_GLOBAL && r->path && is_copy_builtin(r->path);
}

/* The origin of what iterating Pending pd's call's result yields, or NULL. */
static const char *element_origin(Walk *w, const Pending *pd) {
  if (pd->call < 0 || !copied_elements(w, pd)) return NULL;
  char *ext = ref_external_name(w->m, &((Call *)w->m->calls.items[pd->call])->ref);
  const char *o = cat_element_origin(LANG_PYTHON, ext);
  free(ext);
  return o;
}

/* The origin of the value Pending p records: its call's; for a path built
 * on the call's result (`f() / "x"`) a Path's when the call gives one; for
 * an element of it, what the call's result yields. */
static const char *pending_origin(Walk *w, int p) {
  const Pending *pd = &w->pend[p];
  if (pd->from == FROM_ELEMENT) return element_origin(w, pd);
  const char *o = call_origin(w, pd->call);
  return pd->from == FROM_RESULT || (o && strcmp(o, PATH_ORIGIN) == 0) ? o : NULL;
}

/* A local bound only from calls that all give values of one origin. */
static const char *name_origin(Walk *w, const NameInfo *ni) {
  if ((ni->flags & B_BOUND) != B_CALL) return NULL;
  const char *o = NULL;
  for (int e = ni->first_event; e >= 0; e = w->ev[e].next) {
    const char *x = pending_origin(w, w->ev[e].pending);
    if (!x || (o && strcmp(o, x) != 0)) return NULL;
    o = x;
  }
  return o;
}

static const char *param_origin(Walk *w, const NameInfo *ni);

/* The origin of the value `name` read at pos in scope holds: bound only
 * from calls of one origin, or a parameter annotated with one or given one
 * by every call. */
static const char *read_origin(Walk *w, int scope, const char *name, uint32_t pos) {
  const NameInfo *ni = resolve(w, scope, name, pos);
  if (!ni) return NULL;
  return (ni->flags & B_BOUND) == B_PARAM ? param_origin(w, ni) : name_origin(w, ni);
}

/* A Ref path: head.tail, head alone when tail is "", tail alone without
 * a head. */
static char *path_new(const char *head, const char *tail) {
  return !head ? xstrdup(tail) : *tail ? xdotjoin(head, tail) : xstrdup(head);
}

/* Whether s is the path path_new(head, tail) would make. */
static bool path_is(const char *s, const char *head, const char *tail) {
  if (head) {
    size_t n = strlen(head);
    if (strncmp(s, head, n) != 0) return false;
    s += n;
    if (!*tail) return !*s;
    if (*s++ != '.') return false;
  }
  return strcmp(s, tail) == 0;
}

/* Sets c->ref (path: path_new(head, tail)); true if it changed.  Resolution
 * runs to a fixed point, so most calls find their ref unchanged: compared
 * in place, not built to be thrown away. */
static bool set_ref(Call *c, RefKind kind, int imp, int def, const char *head, const char *tail,
                    const char *reason) {
  Ref *r = &c->ref;
  bool same = r->path && r->kind == kind && r->import_index == imp && r->def_index == def &&
              path_is(r->path, head, tail) &&
              ((!reason && !r->reason) || (reason && r->reason && strcmp(reason, r->reason) == 0));
  if (same) return false;
  free(r->path);
  free(r->reason);
  *r = (Ref){kind, imp, def, path_new(head, tail), reason ? xstrdup(reason) : NULL};
  return true;
}

/* c calls path on a value of origin o.  A Path's `parent` is a Path:
 * `p.parent.mkdir()` calls <pathlib.Path>.mkdir. */
static bool set_value_ref(Call *c, const char *o, const char *path) {
  if (strcmp(o, PATH_ORIGIN) == 0)
    while (strncmp(path, "parent.", 7) == 0) path += 7;
  return set_ref(c, REF_VALUE, -1, -1, o, path, NULL);
}

static bool unresolved(Call *c, const char *reason) {
  c->recv_call = -1;
  return set_ref(c, REF_UNRESOLVED, -1, -1, NULL, "", reason);
}

/* `x.rest(...)` where x is the result of call recv, of an origin this file
 * cannot tell: link may (recv calls a function of another file). */
static bool unresolved_member(Call *c, const char *reason, int recv, const char *rest) {
  bool changed = set_ref(c, REF_UNRESOLVED, -1, -1, NULL, rest, reason);
  c->recv_call = recv;
  return changed;
}

static int attr_cmp(const void *a, const void *b) {
  const AttrStore *x = a, *y = b;
  if (x->cls != y->cls) return x->cls < y->cls ? -1 : 1;
  return x->name == y->name ? 0 : (uintptr_t)x->name < (uintptr_t)y->name ? -1 : 1;
}

/* Origins agree: o the one so far (NULL: none yet), x the next (NULL:
 * unknown).  False when they do not. */
static bool same_origin(const char **o, const char *x) {
  if (!x || (*o && strcmp(*o, x) != 0)) return false;
  *o = x;
  return true;
}

static int annot_cmp(const void *a, const void *b) {
  const Annot *x = a, *y = b;
  if (x->scope != y->scope) return x->scope < y->scope ? -1 : 1;
  return x->name == y->name ? 0 : (uintptr_t)x->name < (uintptr_t)y->name ? -1 : 1;
}

static const Annot *annot_of(Walk *w, int scope, const char *name) {
  Annot key = {.scope = scope, .name = name};
  return w->nannots ? bsearch(&key, w->annots, (size_t)w->nannots, sizeof key, annot_cmp) : NULL;
}

/* The origin the annotation of `name` in scope declares, or NULL. */
static const char *annot_origin(Walk *w, int scope, const char *name) {
  const Annot *a = annot_of(w, scope, name);
  return a ? a->origin : NULL;
}

static int param_cmp(const void *a, const void *b) {
  const Param *x = a, *y = b;
  if (x->scope != y->scope) return x->scope < y->scope ? -1 : 1;
  return x->name == y->name ? 0 : (uintptr_t)x->name < (uintptr_t)y->name ? -1 : 1;
}

/* What parameter ni holds: what its annotation declares (any annotation,
 * even of a class the catalogue does not follow, says the author knows
 * better), else the origin every call of its function here passes. */
static const char *param_origin(Walk *w, const NameInfo *ni) {
  const Annot *a = annot_of(w, ni->scope, ni->name);
  if (a) return a->origin;
  Param key = {.scope = ni->scope, .name = ni->name};
  const Param *p = w->nparams ? bsearch(&key, w->params, (size_t)w->nparams, sizeof key, param_cmp) : NULL;
  return p && w->param_origin ? w->param_origin[p - w->params] : NULL;
}

/* The stores of attribute name in class scope cls: *n of them from the first. */
static const AttrStore *attr_stores(Walk *w, int cls, const char *name, int *n) {
  AttrStore key = {.cls = cls, .name = name};
  const AttrStore *hit = w->nattrs ? bsearch(&key, w->attrs, (size_t)w->nattrs, sizeof key, attr_cmp) : NULL;
  *n = 0;
  if (!hit) return NULL;
  while (hit > w->attrs && attr_cmp(hit - 1, &key) == 0) hit--;
  while (hit + *n < w->attrs + w->nattrs && attr_cmp(hit + *n, &key) == 0) (*n)++;
  return hit;
}

/* The origin of what instances of class scope cls hold as name, when
 * every store of it in the class's methods (and its binding in the class
 * body, if that is a call) gives a value of one origin; NULL otherwise.
 * *only: the call of its one store when that is all there is, else -1. */
static const char *attr_origin(Walk *w, int cls, const char *name, const NameInfo *class_level, int *only) {
  const char *declared = annot_origin(w, cls, name);
  *only = -1;
  if (declared) return declared; /* `http: httpx.Client`: what the class says it holds */
  int n;
  const AttrStore *st = attr_stores(w, cls, name, &n);
  const char *o = NULL;
  bool all = true;
  bool one_call = n == 1 && !class_level && st[0].pending >= 0 && w->pend[st[0].pending].from == FROM_RESULT;
  *only = one_call ? w->pend[st[0].pending].call : -1;
  if (class_level && (class_level->flags & B_BOUND) == B_CALL)
    all = same_origin(&o, name_origin(w, class_level));
  for (int i = 0; i < n && all; i++) {
    const char *x = st[i].pending >= 0 ? pending_origin(w, st[i].pending)
                    : st[i].value      ? read_origin(w, st[i].scope, st[i].value, st[i].pos)
                                       : NULL;
    all = same_origin(&o, x);
  }
  return all ? o : NULL;
}

/* `self.m(...)`: a method of the class; `self.NAME.m(...)`: a method of
 * what its instances hold as NAME, when that has a known origin. */
static bool resolve_self(Walk *w, Call *c, const NameInfo *ni, const char *path) {
  Scope *ms = &w->scopes[ni->scope];
  const char *dot = strchr(path, '.');
  if (!*path) return unresolved(c, "dynamic dispatch");
  const char *seg = intern(&w->in, path, dot ? (size_t)(dot - path) : strlen(path));
  NameInfo *mi = lookup_in(w, ms->parent, seg);
  if (mi && (mi->flags & B_BOUND) == B_DEF && mi->def_index >= 0)
    return set_ref(c, REF_DEF, -1, mi->def_index, NULL, dot ? dot + 1 : "", NULL);
  int only = -1;
  const char *o = dot ? attr_origin(w, ms->parent, seg, mi, &only) : NULL;
  if (o) return set_value_ref(c, o, dot + 1);
  if (only >= 0) return unresolved_member(c, "dynamic dispatch", only, dot + 1);
  return unresolved(c, "dynamic dispatch");
}

/* Aliases followed at most this deep (`t = time; now = t.time`); deeper,
 * or a cycle, stays unresolved. */
#define MAX_ALIAS_DEPTH 8

static bool resolve_name_ref(Walk *w, Call *c, int scope, uint32_t pos, const char *name, const char *path,
                             int depth);

/* c calls path on a path built on name (alias al, `p = base / "x"`):
 * a method of a Path when name holds one, else unresolved. */
static bool resolve_built_path(Walk *w, Call *c, const Alias *al, uint32_t before, const char *name,
                               const char *path, int depth) {
  Call on = {.recv_call = -1};
  resolve_name_ref(w, &on, al->scope, before, name, path, depth + 1);
  size_t n = strlen(PATH_ORIGIN);
  bool is_path =
      on.ref.kind == REF_VALUE && strncmp(on.ref.path, PATH_ORIGIN, n) == 0 && on.ref.path[n] == '.';
  bool changed =
      is_path ? set_ref(c, REF_VALUE, -1, -1, NULL, on.ref.path, NULL) : unresolved(c, "local value");
  free(on.ref.path);
  free(on.ref.reason);
  return changed;
}

/* c calls what alias ai denotes, followed by path. */
static bool resolve_alias(Walk *w, Call *c, int ai, const char *path, int depth) {
  if (depth >= MAX_ALIAS_DEPTH) return unresolved(c, "alias chain");
  const Alias *al = &w->aliases[ai];
  Chain ch = callee_chain(w, al->value); /* an identifier head (is_reference) */
  char *full = xpathjoin(ch.path, path);
  /* read just before the assignment, which binds only after its value is
   * read (at byte 0 nothing precedes it, and `X = X` stays a cycle) */
  uint32_t before = al->pos ? al->pos - 1 : 0;
  bool changed = al->path ? resolve_built_path(w, c, al, before, node_name(w, ch.head), full, depth)
                          : resolve_name_ref(w, c, al->scope, before, node_name(w, ch.head), full, depth + 1);
  free(full);
  free(ch.path);
  return changed;
}

/* Whether call ci (-1: none) is `functools.partial(...)`. */
static bool is_partial(Walk *w, int ci) {
  if (ci < 0) return false;
  char *ext = ref_external_name(w->m, &((Call *)w->m->calls.items[ci])->ref);
  bool yes = ext && strcmp(ext, "functools.partial") == 0;
  free(ext);
  return yes;
}

/* The call a name is bound from when that is its only binding, or -1. */
static int only_call(Walk *w, const NameInfo *ni) {
  if ((ni->flags & B_BOUND) != B_CALL || ni->first_event < 0 || w->ev[ni->first_event].next >= 0) return -1;
  const Pending *p = &w->pend[w->ev[ni->first_event].pending];
  return p->from == FROM_RESULT ? p->call : -1;
}

/* c calls what `functools.partial(f, ...)` (call pc) made: f, with
 * arguments bound ahead, so it resolves as f does, read where that call
 * stands.  A partial object's attributes (`.func`) are no call of f. */
static bool resolve_partial(Walk *w, Call *c, int pc, const char *path, int depth) {
  if (depth >= MAX_ALIAS_DEPTH) return unresolved(c, "alias chain");
  const Call *p = w->m->calls.items[pc];
  TSNode args = field(p->node, F_ARGUMENTS);
  TSNode f = ts_node_is_null(args) || *path ? (TSNode){0} : ts_node_named_child(args, 0);
  Chain ch = ts_node_is_null(f) ? (Chain){f, K_OTHER, NULL} : callee_chain(w, f);
  bool changed = ch.head_kind == K_IDENTIFIER ? resolve_name_ref(w, c, w->aux[pc].scope, p->span.start,
                                                                 node_name(w, ch.head), ch.path, depth + 1)
                                              : unresolved(c, "local value");
  free(ch.path);
  return changed;
}

static bool resolve_name_ref(Walk *w, Call *c, int scope, uint32_t pos, const char *name, const char *path,
                             int depth) {
  NameInfo *ni = resolve(w, scope, name, pos);
  if (!ni) {
    if (w->star_imports.len && !is_builtin(name))
      return set_ref(c, REF_IMPORT, w->star_imports.v[w->star_imports.len - 1], -1, name, path, NULL);
    return set_ref(c, REF_GLOBAL, -1, -1, name, path, NULL);
  }
  if (ni->flags & B_IMPORT) return set_ref(c, REF_IMPORT, ni->import_index, -1, NULL, path, NULL);
  if ((ni->flags & B_BOUND) == B_DEF) return set_ref(c, REF_DEF, -1, ni->def_index, NULL, path, NULL);
  if ((ni->flags & B_BOUND) == B_ALIAS) return resolve_alias(w, c, ni->alias, path, depth);
  int made_by = only_call(w, ni);
  if (is_partial(w, made_by)) return resolve_partial(w, c, made_by, path, depth);
  Scope *s = &w->scopes[ni->scope];
  if ((ni->flags & B_BOUND) == B_PARAM && s->self == name) return resolve_self(w, c, ni, path);
  const char *o = name_origin(w, ni);
  if (o) return set_value_ref(c, o, path);
  if (made_by >= 0 && *path) return unresolved_member(c, "dynamic dispatch", made_by, path);
  o = (ni->flags & B_BOUND) == B_PARAM ? param_origin(w, ni) : NULL;
  if (o) return set_value_ref(c, o, path); /* `client: httpx.Client`, or every caller's client */
  return unresolved(c, (ni->flags & B_BOUND) == B_PARAM ? "parameter" : *path ? "dynamic dispatch" : "local value");
}

/* Index of the call with exactly this node's span (calls are in preorder). */
static int find_call(Walk *w, TSNode n) {
  return find_call_span(w, ts_node_start_byte(n), ts_node_end_byte(n));
}

/* Index of the call spanning bytes s..e, or -1. */
static int find_call_span(Walk *w, uint32_t s, uint32_t e) {
  int lo = 0, hi = w->m->calls.len;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (((Call *)w->m->calls.items[mid])->span.start < s) lo = mid + 1;
    else hi = mid;
  }
  for (int i = lo; i < w->m->calls.len; i++) {
    Call *c = w->m->calls.items[i];
    if (c->span.start != s) break;
    if (c->span.end == e) return i;
  }
  return -1;
}

/* `(p / "x").read_text()`: a Path's origin when the `/` chain head
 * starts from a call or a name that gives a Path. */
static const char *built_path_origin(Walk *w, int ci, TSNode head) {
  TSNode left = divided(w, head);
  const char *o = NULL;
  if (!ts_node_is_null(left) && node_kind(left) == K_CALL) {
    o = call_origin(w, find_call(w, left));
  } else if (!ts_node_is_null(left) && node_kind(left) == K_IDENTIFIER) {
    o = read_origin(w, w->aux[ci].scope, node_name(w, left), ((Call *)w->m->calls.items[ci])->span.start);
  }
  return o && strcmp(o, PATH_ORIGIN) == 0 ? o : NULL;
}

typedef struct Callee {
  Chain ch;
  const char *head; /* interned identifier, or NULL */
  int inner;        /* call index when the head is a call */
} Callee;

static bool resolve_call(Walk *w, int i, const Callee *ce) {
  Call *c = w->m->calls.items[i];
  const char *path = ce->ch.path;
  switch (ce->ch.head_kind) {
  case K_IDENTIFIER: return resolve_name_ref(w, c, w->aux[i].scope, c->span.start, ce->head, path, 0);
  case K_CALL: {
    if (!*path && is_partial(w, ce->inner)) return resolve_partial(w, c, ce->inner, "", 0); /* partial(f)() */
    const char *o = *path ? call_origin(w, ce->inner) : NULL;
    if (o) return set_value_ref(c, o, path);
    if (*path && ce->inner >= 0) return unresolved_member(c, "call result", ce->inner, path);
    return unresolved(c, "call result");
  }
  case K_SUBSCRIPT: return unresolved(c, "subscript");
  case K_BINARY_OPERATOR: {
    const char *o = *path ? built_path_origin(w, i, ce->ch.head) : NULL;
    if (o) return set_value_ref(c, o, path);
    return unresolved(c, "computed callee");
  }
  default: return unresolved(c, "computed callee");
  }
}

/* What each annotation names, resolved where it is read (imports,
 * aliases), once: the origin its reference would give a call of it
 * (`httpx.Client` -> <httpx.Client>); then sorted for annot_origin. */
static void settle_annots(Walk *w) {
  for (int i = 0; i < w->nannots; i++) {
    Annot *a = &w->annots[i];
    Chain ch = callee_chain(w, a->type); /* a reference: an identifier head */
    Call tmp = {.recv_call = -1};
    resolve_name_ref(w, &tmp, a->read_scope, ts_node_start_byte(a->type), node_name(w, ch.head), ch.path, 0);
    char *ext = ref_external_name(w->m, &tmp.ref);
    a->origin = ext ? cat_origin(LANG_PYTHON, ext) : NULL;
    free(ext), free(ch.path), free(tmp.ref.path), free(tmp.ref.reason);
  }
  if (w->nannots) qsort(w->annots, (size_t)w->nannots, sizeof *w->annots, annot_cmp);
}

/* The origin of what the function returns in r, or NULL. */
static const char *return_origin(Walk *w, const Return *r) {
  if (r->pending >= 0) return pending_origin(w, r->pending);
  return r->name ? read_origin(w, r->scope, r->name, r->pos) : NULL;
}

/* Each function's return origin, from the current refs: the origin every
 * `return value` of it gives, when they agree.  True if one changed. */
static bool settle_def_origins(Walk *w) {
  int nd = w->m->defs.len;
  const char **o = xcalloc((size_t)(nd ? nd : 1), sizeof *o);
  bool *bad = xcalloc((size_t)(nd ? nd : 1), sizeof *bad);
  for (int i = 0; i < w->nrets; i++) {
    const Return *r = &w->rets[i];
    if (!bad[r->def] && !same_origin(&o[r->def], return_origin(w, r))) bad[r->def] = true;
  }
  bool changed = false;
  for (int d = 0; d < nd; d++) {
    const char *now = bad[d] ? NULL : o[d];
    changed |= now != w->def_origin[d];
    w->def_origin[d] = now;
  }
  free(o);
  free(bad);
  return changed;
}

/* The origin of the value an argument is: a name's (read where the call
 * is), or a call's result; NULL when unknown. */
static const char *arg_origin(Walk *w, int ci, TSNode arg) {
  TSNode cn;
  if (node_kind(arg) == K_IDENTIFIER)
    return read_origin(w, w->aux[ci].scope, node_name(w, arg), ((Call *)w->m->calls.items[ci])->span.start);
  return value_call(arg, &cn) ? call_origin(w, find_call(w, cn)) : NULL;
}

/* The origin of what `closing(x)` (call ci) gives back: x's, when x is
 * its one argument. */
static const char *closed_origin(Walk *w, int ci) {
  TSNode args = field(((Call *)w->m->calls.items[ci])->node, F_ARGUMENTS);
  if (node_kind(args) != K_ARGUMENT_LIST || ts_node_named_child_count(args) != 1) return NULL;
  if (w->closing_depth >= MAX_CLOSING_DEPTH) return NULL; /* `f = closing(f)`: a cycle */
  w->closing_depth++;
  const char *o = arg_origin(w, ci, ts_node_named_child(args, 0));
  w->closing_depth--;
  return o;
}

/* The argument call ci passes for parameter p (at position p->pos or by
 * its name); a null node when it passes none or cannot be told (`*args`,
 * `**kw`, a generator argument). */
static TSNode arg_for(Walk *w, int ci, const Param *p) {
  TSNode args = field(((Call *)w->m->calls.items[ci])->node, F_ARGUMENTS), none = {0}, found = none;
  if (node_kind(args) != K_ARGUMENT_LIST) return none;
  int pos = 0;
  for (uint32_t i = 0, k = ts_node_named_child_count(args); i < k; i++) {
    TSNode a = ts_node_named_child(args, i);
    int kind = node_kind(a);
    if (kind == K_COMMENT) continue;
    if (kind == K_LIST_SPLAT || strcmp(ts_node_type(a), "dictionary_splat") == 0) return none;
    if (kind != K_KEYWORD_ARGUMENT) {
      if (pos++ == p->pos) found = a;
    } else if (node_name(w, field(a, F_NAME)) == p->name) {
      found = field(a, F_VALUE);
    }
  }
  return found;
}

/* Each function parameter's inferred origin (Param), from the current
 * refs: the origin every call of its function in this file passes there,
 * when there is at least one call and they agree.  Only positional
 * parameters of plain functions (a method is called on a value).  True if
 * one changed. */
/* Per Def, the index of its first Param (they are sorted by scope), -1. */
static int *first_params(Walk *w) {
  int nd = w->m->defs.len;
  int *first = xmalloc(sizeof *first * (size_t)(nd ? nd : 1));
  for (int d = 0; d < nd; d++) first[d] = -1;
  for (int k = w->nparams - 1; k >= 0; k--) {
    int d = w->scopes[w->params[k].scope].def;
    if (d >= 0) first[d] = k;
  }
  return first;
}

static bool settle_param_origins(Walk *w) {
  int *first = first_params(w);
  const char **o = xcalloc((size_t)w->nparams, sizeof *o);
  bool *bad = xcalloc((size_t)w->nparams, sizeof *bad);
  for (int i = 0; i < w->m->calls.len; i++) {
    const Ref *r = &((Call *)w->m->calls.items[i])->ref;
    if (r->kind != REF_DEF || !r->path || *r->path || r->def_index < 0 || first[r->def_index] < 0) continue;
    const Def *def = w->m->defs.items[r->def_index];
    if (def->kind != DEF_FUNCTION) continue;
    int k0 = first[r->def_index], scope = w->params[k0].scope;
    for (int k = k0; k < w->nparams && w->params[k].scope == scope; k++) {
      if (bad[k]) continue;
      TSNode a = w->params[k].pos < def->max_args ? arg_for(w, i, &w->params[k]) : (TSNode){0};
      if (ts_node_is_null(a) || !same_origin(&o[k], arg_origin(w, i, a))) bad[k] = true;
    }
  }
  bool changed = settle_strings(w->param_origin, o, bad, w->nparams);
  free(first), free(o), free(bad);
  return changed;
}

/* Resolves every callee.  Values of known origin depend on other calls'
 * refs (a chain's inner call comes later in preorder; a binding may come
 * after a use; a function's return origin on the calls it returns), so
 * repeat until nothing changes. */
static void resolve_all(Walk *w) {
  int n = w->m->calls.len;
  Callee *ce = xcalloc((size_t)(n ? n : 1), sizeof *ce);
  for (int i = 0; i < n; i++) {
    ce[i].ch = callee_chain(w, w->aux[i].callee);
    ce[i].inner = -1;
    if (ce[i].ch.head_kind == K_IDENTIFIER) ce[i].head = node_name(w, ce[i].ch.head);
    else if (ce[i].ch.head_kind == K_CALL) ce[i].inner = find_call(w, ce[i].ch.head);
  }
  if (w->nattrs) qsort(w->attrs, (size_t)w->nattrs, sizeof *w->attrs, attr_cmp);
  w->def_origin = xcalloc((size_t)(w->m->defs.len ? w->m->defs.len : 1), sizeof *w->def_origin);
  settle_annots(w);
  if (w->nparams) qsort(w->params, (size_t)w->nparams, sizeof *w->params, param_cmp);
  w->param_origin = xcalloc((size_t)w->nparams + 1, sizeof *w->param_origin);
  for (int round = 0; round < 8; round++) {
    bool changed = false;
    for (int i = n - 1; i >= 0; i--) changed |= resolve_call(w, i, &ce[i]);
    if (w->nrets) changed |= settle_def_origins(w);
    if (w->nparams) changed |= settle_param_origins(w);
    if (!changed) break;
  }
  /* The receiver of `f.read()` is data the call depends on. */
  for (int i = 0; i < n; i++) {
    Call *c = w->m->calls.items[i];
    if (ce[i].head && *ce[i].ch.path && c->form == CALL_PLAIN) {
      NameInfo *ni = resolve(w, w->aux[i].scope, ce[i].head, c->span.start);
      if (ni && !(ni->flags & (B_IMPORT | B_DEF))) vec_add_unique(&c->uses, ce[i].head);
    }
    free(ce[i].ch.path);
  }
  free(ce);
}

/* Each function's return origin, for the files that call it (link.c). */
static void keep_return_origins(Walk *w) {
  for (int d = 0; d < w->m->defs.len; d++)
    if (w->def_origin[d]) ((Def *)w->m->defs.items[d])->ret_origin = xstrdup(w->def_origin[d]);
}

/* The module's own aliases (`now = time.time` at top level), with what
 * each denotes, for the files that import them (link.c). */
static void keep_module_aliases(Walk *w) {
  const IntVec *names = &w->scopes[0].names;
  for (int k = 0; k < names->len; k++) {
    const NameInfo *ni = &w->ni[names->v[k]];
    if ((ni->flags & B_BOUND) != B_ALIAS) continue;
    Call tmp = {0};
    resolve_alias(w, &tmp, ni->alias, "", 0);
    RefKind kind = tmp.ref.kind;
    if (kind != REF_IMPORT && kind != REF_GLOBAL && kind != REF_DEF) {
      free(tmp.ref.path), free(tmp.ref.reason);
      continue;
    }
    ValueAlias *a = xcalloc(1, sizeof *a);
    a->name = xstrdup(ni->name);
    a->ref = tmp.ref;
    vec_push(&w->m->aliases, a);
  }
}

static void call_free(Call *c) {
  free(c->text);
  free(c->ref.path);
  free(c->ref.reason);
  vec_free(&c->uses); /* items: Module.strings */
  vec_free(&c->assigned);
  free(c);
}

/* Drops the X[k] candidates whose X is not os.environ after all. */
static void keep_environ_reads(Walk *w) {
  int k = 0;
  for (int i = 0; i < w->m->calls.len; i++) {
    Call *c = w->m->calls.items[i];
    if (c->form == CALL_READ) {
      char *ext = ref_external_name(w->m, &c->ref);
      bool keep = ext && strcmp(ext, "os.environ") == 0;
      free(ext);
      if (!keep) {
        call_free(c);
        continue;
      }
    }
    w->aux[k] = w->aux[i];
    w->m->calls.items[k++] = c;
  }
  w->m->calls.len = k;
}

static void mark_tasks(Walk *w) {
  for (int i = 0; i < w->ntasks; i++) {
    TaskCand *t = &w->tasks[i];
    NameInfo *ni = resolve(w, t->scope, t->head, UINT32_MAX);
    if (!ni || !(ni->flags & B_IMPORT)) continue;
    Import *imp = w->m->imports.items[ni->import_index];
    bool yes = t->dotted ? imp->kind == IMPORT_MODULE && strcmp(imp->spec, "currant") == 0
                         : imp->kind == IMPORT_NAME && strcmp(imp->spec, "currant") == 0 &&
                               strcmp(imp->name, "task") == 0;
    if (yes) ((Def *)w->m->defs.items[t->def])->is_task = true;
  }
}

/* Names bound in a scope, for Def.locals, Call.scope and Module.globals. */
static void scope_names(Walk *w, int scope, Vec *out, PtrSet *seen) {
  IntVec *iv = &w->scopes[scope].names;
  for (int i = 0; i < iv->len; i++) {
    NameInfo *ni = &w->ni[iv->v[i]];
    if (!(ni->flags & B_BOUND) || (ni->flags & (B_GLOBAL_DECL | B_NONLOCAL_DECL))) continue;
    if (seen && !ps_add(seen, ni->name)) continue;
    vec_push(out, (void *)ni->name); /* interned: owned by Module.strings */
  }
}

/* The names in scope at a call in scope `scope`, as a new Module.scopes
 * list (its index): every enclosing scope's names, innermost first, a class
 * body's only when the call is in it. */
static int scope_list(Walk *w, int scope) {
  Vec *v = xcalloc(1, sizeof *v);
  PtrSet seen = {0};
  bool first = true;
  for (int s = scope; s > 0 && v->len < MAX_CALL_SCOPE; s = w->scopes[s].parent, first = false)
    if (w->scopes[s].kind != SC_CLASS || first) scope_names(w, s, v, &seen);
  ps_free(&seen);
  if (v->len > MAX_CALL_SCOPE) v->len = MAX_CALL_SCOPE;
  vec_push(&w->m->scopes, v);
  return w->m->scopes.len - 1;
}

static void fill_scopes(Walk *w) {
  for (int s = 1; s < w->nscopes; s++)
    if (w->scopes[s].def >= 0) scope_names(w, s, &((Def *)w->m->defs.items[w->scopes[s].def])->locals, NULL);
  scope_names(w, 0, &w->m->globals, NULL);
  /* A call's names depend on its scope only: one list per scope holding
   * calls (Module.scopes), shared by them. */
  int *list = xmalloc((size_t)w->nscopes * sizeof *list);
  for (int s = 0; s < w->nscopes; s++) list[s] = -1;
  for (int i = 0; i < w->m->calls.len; i++) {
    Call *c = w->m->calls.items[i];
    int scope = w->aux[i].scope;
    if (list[scope] < 0) list[scope] = scope_list(w, scope);
    c->scope = list[scope];
  }
  free(list);
}

static void drop_empty_assigns(Walk *w) {
  int k = 0;
  for (int i = 0; i < w->m->assigns.len; i++) {
    Assign *a = w->m->assigns.items[i];
    if (a->targets.len) {
      w->m->assigns.items[k++] = a;
      continue;
    }
    vec_free(&a->sources); /* items: Module.strings */
    vec_free(&a->targets);
    free(a);
  }
  w->m->assigns.len = k;
}

static bool type_is(TSNode n, const char *type) { return strcmp(ts_node_type(n), type) == 0; }

static bool is_compound(TSNode n) {
  static const char *const kinds[] = {"if_statement",     "for_statement",        "while_statement",
                                      "try_statement",    "with_statement",       "function_definition",
                                      "class_definition", "decorated_definition", "match_statement"};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (type_is(n, kinds[i])) return true;
  return false;
}

static bool is_docstring(TSNode n) {
  if (!type_is(n, "expression_statement") || ts_node_named_child_count(n) != 1) return false;
  TSNode s = ts_node_named_child(n, 0);
  return type_is(s, "string") || type_is(s, "concatenated_string");
}

/* `try:` runs its body's first statement first, at module scope: the start
 * of the first simple statement down a chain of leading try bodies, or
 * UINT32_MAX. */
static uint32_t first_simple_in_try(TSNode s) {
  while (type_is(s, "try_statement")) {
    TSNode body = field(s, F_BODY);
    uint32_t k = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body), i = 0;
    while (i < k && node_kind(ts_node_named_child(body, i)) == K_COMMENT) i++;
    if (i == k) break;
    s = ts_node_named_child(body, i);
    if (!is_compound(s)) return ts_node_start_byte(s);
  }
  return UINT32_MAX;
}

/* The top-level statements, for placing the runtime binding. */
static void record_tops(Walk *w) {
  PyLayout *py = w->py;
  TSTreeCursor *cur = &w->args_cur;
  ts_tree_cursor_reset(cur, ts_tree_root_node(w->m->tree));
  if (!ts_tree_cursor_goto_first_child(cur)) return;
  do {
    TSNode n = ts_tree_cursor_current_node(cur);
    if (!ts_node_is_named(n)) continue;
    TopStmt t = {{ts_node_start_byte(n), ts_node_end_byte(n)}, UINT32_MAX, TOP_OTHER};
    if (node_kind(n) == K_COMMENT) {
      t.kind = TOP_COMMENT;
    } else if (node_kind(n) == K_FUTURE_IMPORT_STATEMENT) {
      t.kind = TOP_FUTURE;
    } else if (node_kind(n) == K_FUNCTION_DEFINITION) {
      TSNode body = field(n, F_BODY);
      t.kind = TOP_FUNCTION;
      if (!ts_node_is_null(body)) t.inner = ts_node_start_byte(body);
    } else if (is_compound(n)) {
      t.kind = TOP_COMPOUND;
      t.inner = first_simple_in_try(n);
    } else if (is_docstring(n)) {
      t.kind = TOP_DOCSTRING;
    }
    GROW(py->tops, py->ntops, w->cap_tops);
    py->tops[py->ntops++] = t;
  } while (ts_tree_cursor_goto_next_sibling(cur));
}

static void state_free(Walk *w) {
  interner_free(&w->in, w->m);
  for (int s = 0; s < w->nscopes; s++) free(w->scopes[s].names.v);
  free(w->scopes);
  free(w->ni);
  free(w->map);
  free(w->ev);
  free(w->aliases);
  for (int i = 0; i < w->npend; i++) ps_free(&w->pend[i].names);
  free(w->pend);
  free(w->aux);
  free(w->star_imports.v);
  free(w->attrs);
  free(w->rets);
  free(w->annots);
  free(w->params);
  free(w->param_origin);
  free(w->def_origin);
  free(w->tasks);
  free(w->colls);
  ts_tree_cursor_delete(&w->args_cur);
}

void names_python(Module *m) {
  if (!m->tree) return;
  pthread_once(&tables_once, tables_init);
  Walk w = {0};
  w.m = m;
  w.text = m->text;
  w.args_cur = ts_tree_cursor_new(ts_tree_root_node(m->tree));
  w.py = m->py = xcalloc(1, sizeof *m->py);
  scope_new(&w, SC_MODULE, -1, -1);
  walk_tree(&w);
  record_tops(&w);
  resolve_all(&w);
  keep_return_origins(&w);
  keep_module_aliases(&w);
  keep_environ_reads(&w);
  mark_tasks(&w);
  fill_scopes(&w);
  drop_empty_assigns(&w);
  state_free(&w);
}
