/*
 * currant.h — the one header every stage of currantc shares.
 *
 * The pipeline is   walk -> parse -> names -> link -> boundaries -> graph -> emit.
 * Each stage lives in one file (see docs/ARCHITECTURE.md) and talks to the
 * others only through the types below.  Per-file stages (parse, names,
 * boundaries, emit) run in parallel, one file per worker; link and graph run
 * once over the whole codebase.  Nothing here is global mutable state except
 * the diagnostics sink, which is locked.
 *
 * Prefixes: str_/vec_/xmalloc (util.c), diag_ (diag.c), walk_ (walk.c),
 * config_ (config.c), parse_ (parse.c), names_ (names_*.c), pkg_
 * (packages.c), link_ (link.c),
 * cat_ (catalogue.c), bound_ (boundaries.c), graph_ (graph.c), edit_/splice_
 * (splice.c), smap_ (sourcemap.c), rewrite_ (rewrite_*.c), manifest_
 * (manifest.c), cache_ (cache.c), driver_ (driver.c), arena_ (arena.c).
 */
#ifndef CURRANT_H
#define CURRANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <tree_sitter/api.h>

#define CURRANTC_VERSION "0.1.0"
#define MANIFEST_FORMAT "currant.graph/1"

/* ---------------------------------------------------------------- util.c */

void *xmalloc(size_t n);                 /* malloc or abort with a message */
void *xcalloc(size_t n, size_t size);    /* calloc or abort */
void *xrealloc(void *p, size_t n);       /* realloc or abort */
char *xstrdup(const char *s);            /* strdup or abort */
char *xstrndup(const char *s, size_t n); /* copy of n bytes, NUL-terminated */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xdotjoin(const char *a, const char *b); /* "a.b" (what xasprintf("%s.%s") gives, without its cost) */
/* cur[k] = bad[k] ? NULL : next[k] for k < n; true if one changed (the
 * names passes' fixed points over inferred origins). */
bool settle_strings(const char **cur, const char *const *next, const bool *bad, int n);
char *xpathjoin(const char *a, const char *b); /* dotted paths joined: "a.b", or the one not empty */
/* A hash of n bytes for in-memory tables, eight bytes at a time, inline:
 * the cache's encoder and the Python interner hash every string they meet.
 * Nothing stored depends on it. */
static inline uint32_t hash_bytes(const char *s, size_t n) {
  uint64_t h = n * 0x9e3779b97f4a7c15u, w;
  for (; n >= 8; s += 8, n -= 8) __builtin_memcpy(&w, s, 8), h = (h ^ w) * 0xff51afd7ed558ccdu;
  w = 0;
  __builtin_memcpy(&w, s, n);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
  return (uint32_t)(h ^ h >> 32);
}

/* Growable byte buffer; `data` is always NUL-terminated. */
typedef struct StrBuf {
  char *data; /* bytes, NUL-terminated */
  size_t len; /* bytes used, excluding the NUL */
  size_t cap; /* bytes allocated */
} StrBuf;

void str_append(StrBuf *b, const char *s, size_t n); /* append n bytes */
void str_reserve(StrBuf *b, size_t extra);           /* room for extra more bytes and the NUL */
void str_puts(StrBuf *b, const char *s);             /* append a C string */
void str_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void str_free(StrBuf *b);  /* release, leave empty */
char *str_take(StrBuf *b); /* hand over data, leave empty */

/* Growable array of pointers. */
typedef struct Vec {
  void **items; /* elements */
  int len;      /* elements used */
  int cap;      /* elements allocated */
} Vec;

void vec_push(Vec *v, void *item);             /* append */
void vec_free(Vec *v);                         /* release the array, not the items */
bool vec_has_str(const Vec *v, const char *s); /* true if a char* item equals s */

/* Reads a whole file; NULL with errno set on failure.  *len gets its size. */
char *read_file(const char *path, size_t *len);
/* Writes data to path atomically: temp file in the same directory, then
 * rename (not fsynced: outputs are rebuildable).  0, or -1 with errno set. */
int write_file_atomic(const char *path, const char *data, size_t len);
/* Copies the regular file src to dst atomically, in chunks, with its
 * permission bits: 0, or -1 (errno). */
int copy_file_atomic(const char *src, const char *dst);
/* Makes path a symlink to target atomically (a link made beside it, then
 * renamed over it; a link in its place is replaced, not followed): 0, or
 * -1 (errno). */
int symlink_atomic(const char *target, const char *path);
/* What the build cache compares OUT's files and its own parts by: XXH3-128
 * as 32 hex digits.  It detects change, it does not authenticate (nothing
 * crosses a trust boundary on it), and SHA-256 over every output, source map
 * and the manifest was ~2% of a build and most of a no-change rebuild.
 * Sources keep sha256_hex: the manifest publishes it. */
#define DIGEST_HEX 32
void digest_hex(const void *data, size_t len, char out[DIGEST_HEX + 1]);
/* digest_hex of the regular file at path, read in chunks (never held
 * whole): 0, or -1 with errno. */
int digest_file(const char *path, char out[DIGEST_HEX + 1]);
/* A file written atomically in pieces, as write_file_atomic writes it
 * whole: a document too large to hold twice goes out as it is made. */
typedef struct OutFile {
  char *path; /* the name it gets on success */
  char *tmp;  /* the temp file written meanwhile */
  int fd;     /* the temp file's descriptor */
  int err;    /* errno of the first failed write, 0 if none */
  struct XXH3_state_s *digest; /* digesting what is written (digest_hex's), or NULL */
} OutFile;
/* Creates f's temp file for path; with hash, f digests what it writes.
 * 0, or -1 with errno set (nothing to close then). */
int outfile_open(OutFile *f, const char *path, bool hash);
/* Appends len bytes; a failure is remembered for outfile_close. */
void outfile_write(OutFile *f, const void *data, size_t len);
/* Renames the temp file into place (or removes it after a failure) and
 * frees f; with a hash, digest gets digest_hex's digest of the bytes
 * written.  0, or -1 with errno. */
int outfile_close(OutFile *f, char digest[DIGEST_HEX + 1]);
/* Creates every missing directory of path's parent.  0 or -1 with errno. */
int make_parent_dirs(const char *path);
/* True if rel is relative and none of its '/'-separated segments is empty,
 * "." or "..": joined to a directory, it stays below it. */
bool path_is_plain(const char *rel);
/* Hex SHA-256 of data (SHA256_HEX digits and the NUL) into out. */
#define SHA256_HEX 64
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX + 1]);
/* 1-based line and column (in bytes) of byte offset off in text. */
void offset_to_line_col(const char *text, size_t off, uint32_t *line, uint32_t *col);

/* ---------------------------------------------------------------- diag.c */

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

/* Initializes colour (TTY and NO_COLOR) and verbosity: -1 quiet, 0, 1 verbose. */
void diag_init(int verbosity);
/* Prints `path:line:col: level: message` to stderr, gcc style.  line 0 omits
 * the position.  Thread-safe; counts errors and warnings. */
void diag_report(DiagLevel level, const char *path, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* only with -v */
int diag_error_count(void);                                                    /* errors reported so far */
int diag_warning_count(void);                                                  /* warnings reported so far */
bool diag_is_tty(void); /* stderr is a terminal (progress line) */
/* Redraws the progress line "phase done/total" on a TTY (not quiet); done ==
 * total clears it.  Thread-safe and rate-limited by the caller. */
void diag_progress(const char *phase, int done, int total);

/* One report kept instead of printed (diag_defer), to be replayed later. */
typedef struct DiagRecord {
  DiagLevel level; /* severity */
  char *path;      /* as reported, NULL for none */
  uint32_t line;   /* 1-based; 0 omits the position */
  uint32_t col;    /* 1-based */
  char *message;   /* formatted message */
} DiagRecord;

/* From now on this thread's diag_report calls append DiagRecord* to into
 * instead of printing and counting (NULL: print again). */
void diag_defer(Vec *into);
void diag_replay(const Vec *records); /* reports each record (prints, counts) in order */
void diag_records_free(Vec *records); /* frees the records and the vector */

/* ------------------------------------------------------------- config.c */

/* currant.json at the build root; every field optional. */
typedef struct Config {
  Vec include;       /* char*: glob patterns a file's relative path must match (empty: all) */
  Vec exclude;       /* char*: glob patterns that drop a file */
  Vec boundaries[2]; /* char* per Lang: extra boundary callee patterns ("billing.charge", "requests.*") */
  Vec python_path;   /* char*: directories (relative, '/'-separated) Python imports from beside the root */
  bool python_path_set; /* "python_path" was given (else the default: src, see link.c) */
  char *path;        /* where it was read from, NULL when absent */
  char *hash;        /* sha256 of its bytes ("" when absent): part of the build identity */
} Config;

/* Loads ROOT/currant.json.  Returns 0, or -1 after reporting a diagnostic. */
int config_load(const char *root, Config *cfg);
void config_free(Config *cfg);
/* True if rel (a relative path with '/' separators) matches glob pattern:
 * `*` within a segment, `**` across segments, `?` one char. */
bool glob_match(const char *pattern, const char *rel);

/* --------------------------------------------------------------- walk.c */

typedef enum { LANG_PYTHON, LANG_JAVASCRIPT, LANG_COUNT } Lang;

/* One input file found by the walk. */
/* A package.json the walk found (the nearest one of the files below it):
 * what Node reads of it to load and resolve them. */
typedef struct JsPackage {
  char *dir;           /* its directory, relative to the SRC root ("" for the root) */
  char *name;          /* "name", or NULL */
  int type;            /* "type": 0 none, 1 "module", 2 "commonjs" */
  struct json_t *json; /* the document (main, exports, imports: packages.c) */
  int refs;            /* holders: the files below it, and the walk while it is under it */
} JsPackage;

typedef struct InputFile {
  char *abs; /* path as opened (root joined with rel) */
  char *rel; /* path relative to its SRC root, '/' separated, no "..": the output path */
  Lang lang; /* from the extension */
  JsPackage *js_pkg;   /* nearest package.json, or NULL (shared: walk_free releases it) */
  size_t size;         /* bytes when walked: what the file costs to build, for scheduling */
} InputFile;

/* Collects .py/.js/.mjs/.cjs files under each SRC (a file or a directory),
 * iteratively, skipping .git, node_modules (listed in deps), __pycache__, virtualenvs, what
 * .gitignore files ignore, what cfg excludes and skip_dirs (the output and
 * cache directories, either NULL, when they lie inside a SRC); symlinked directories are not
 * followed (a loop cannot hang the walk).  Files sorted by rel.
 * Reports unreadable paths as diagnostics.  Returns the number of files. */
int walk_sources(char **srcs, int nsrcs, const Config *cfg, const char *const skip_dirs[2],
                 Vec *out /* InputFile* */,
                 Vec *assets /* InputFile*: the other files kept, copied verbatim */,
                 Vec *deps /* InputFile*: node_modules directories (abs: their real path), linked in OUT */);
void walk_free(Vec *files); /* frees the InputFiles and the vector */
/* f's nearest package.json "type": 0 none, 1 "module", 2 "commonjs". */
int walk_package_type(const InputFile *f);

/* ----------------------------------------------------------- model types */

/* A half-open byte range [start, end) in a file's text. */
typedef struct Span {
  uint32_t start; /* first byte */
  uint32_t end;   /* one past the last byte */
} Span;

typedef enum {
  DEF_FUNCTION, /* def / function / arrow or function expression bound to a name */
  DEF_CLASS,    /* class */
  DEF_METHOD,   /* function defined directly in a class body */
} DefKind;

/* A function, method or class definition. */
typedef struct Def {
  DefKind kind;   /* what it is */
  char *name;     /* simple name ("charge"); inferred for `const f = () => ...` */
  char *qualname; /* dotted path inside the module ("Cart.total", "outer.inner") */
  int parent;     /* index of the enclosing Def, -1 at module level */
  uint32_t line;  /* 1-based line of the name */
  uint32_t col;   /* 1-based column of the name */
  Span span;      /* the whole definition */
  bool is_task;   /* @task / @currant.task / "use task" / task(...) wrapped */
  bool task_directive; /* JS: a task by its "use task" directive: only the calls currantc rewrites run it as
                          one */
  bool is_async;  /* async def / async function */
  bool exported;  /* JS: exported (named or via module.exports); Python: top level, no leading _ */
  int min_args;   /* positional parameters without defaults */
  int max_args;   /* positional parameters in all, -1 with *args / ...rest */
  Vec locals;     /* char*: parameters and names bound in its own scope */
  char *ret_origin; /* value origin of what it returns ("<httpx.Client>"), NULL if none or unknown */
} Def;

typedef enum {
  IMPORT_MODULE,  /* `import x`, `import x as y`, `import * as ns`, `const m = require("x")` */
  IMPORT_NAME,    /* `from x import y`, `import { y } from`, `const { y } = require("x")` */
  IMPORT_DEFAULT, /* `import d from "x"` */
  IMPORT_STAR,    /* `from x import *`, `export * from "x"` */
} ImportKind;

/* One binding created by an import or re-export. */
typedef struct Import {
  ImportKind kind;   /* form */
  char *local;       /* name bound in this module (NULL for star; the exported name for re-exports) */
  char *spec;        /* module as written: "os.path", ".orders", "./orders.js", "node:fs" */
  char *name;        /* imported name for IMPORT_NAME ("readFileSync"), else NULL */
  bool reexport;     /* `export { a } from`, `export * from`, Python __init__ style re-bind */
  bool cross_lang;   /* names a module of the other language (bridge) */
  uint32_t line;     /* 1-based */
  uint32_t col;      /* 1-based */
  int resolved_file; /* link: index into Codebase.modules, -1 if external */
  const struct Module *bridge_to; /* link: cross_lang and resolved: that module (the rewrite reads its path, defs) */
  bool bridge_missing; /* link: a cross_lang IMPORT_NAME naming no function the other module exports */
} Import;

typedef enum {
  REF_UNRESOLVED, /* cannot be told statically: `reason` says why */
  REF_GLOBAL,     /* a builtin/global not bound in any enclosing scope: `path` is its dotted name */
  REF_IMPORT,     /* through import `import_index`, then `path` (may be "") */
  REF_DEF,        /* a definition of this module: `def_index`, then `path` (may be "") */
  REF_VALUE,      /* a local value of known origin: `path` is "<origin>.attr", e.g. "<open>.read" */
} RefKind;

/* What a callee expression refers to, as far as the file itself tells. */
typedef struct Ref {
  RefKind kind;     /* see above */
  int import_index; /* REF_IMPORT: index into Module.imports */
  int def_index;    /* REF_DEF: index into Module.defs */
  char *path;       /* dotted attribute path after the head ("" for the head itself) */
  char *reason;     /* REF_UNRESOLVED: "dynamic dispatch", "computed callee", "eval", ... */
} Ref;

typedef enum {
  CALL_PLAIN,  /* f(x), obj.m(x), a?.b.c(x), a.b?.(x) */
  CALL_NEW,    /* new X(...) / new X */
  CALL_TAGGED, /* tag`...` */
  CALL_READ,   /* a catalogued property read: os.environ["K"], process.env.K */
} CallForm;

typedef enum {
  BOUND_NONE,      /* not a boundary */
  BOUND_STD,       /* the currant std API (sleep, now, random, uuid, wait_event, prompt, task) */
  BOUND_TASK,      /* a user task */
  BOUND_CATALOGUE, /* the built-in catalogue of the language */
  BOUND_CONFIG,    /* listed in currant.json */
  BOUND_BRIDGE,    /* a function of a module of the other language (docs/BRIDGE.md) */
} BoundKind;

/* Call.args flags: what the names pass records of a call's shape, so that
 * boundaries, the bridge and the Python rewrite need no tree. */
enum {
  ARGS_NONE = 1,         /* no arguments field, or one without named children (`new Date()`) */
  ARGS_KEYWORDS = 2,     /* a Python name=value argument */
  ARGS_SPREAD = 4,       /* *args, **kw or ...spread: the bridge does not count the arguments */
  ARGS_CODE = 8,         /* an argument other than comments and line continuations */
  SHAPE_OK = 16,         /* Python: a shape the rewrite handles; arg_open/arg_close are set */
  SHAPE_GENERATOR = 32,  /* Python: `f(x for x in y)`, the generator's parentheses are the call's */
  SHAPE_NAME_CALLEE = 64 /* Python: the callee is a plain identifier (text is its name) */
};

/* One call (or catalogued read) in a file. */
/* Names a Call.scope lists at most, innermost scope first: one function
 * of a bundle or generated module can bind thousands, and every call in
 * it would hold them all (200k calls in one Python function took 22 GB). */
#define MAX_CALL_SCOPE 128
/* Room for the runtime's name in an output ("_currant" and a number). */
#define RUNTIME_NAME_MAX 24

typedef struct Call {
  CallForm form;    /* syntactic form */
  TSNode node;      /* the call/new/subscript/member node (valid while the tree lives) */
  Span span;        /* whole expression */
  uint32_t line;    /* 1-based line of the expression start */
  uint32_t col;     /* 1-based column (bytes) */
  int func;         /* enclosing Def index, -1 at module level */
  char *text;       /* callee source text, whitespace collapsed ("time.time") */
  Ref ref;          /* what the callee refers to (names pass) */
  bool awaited;     /* directly under `await` */
  bool in_optional; /* JS: an optional chain can short-circuit it */
  Vec uses;         /* char*: identifiers read by its arguments (data dependencies) */
  Vec assigned;     /* char*: names bound from its result by plain assignment */
  int scope;        /* Module.scopes index of the names in scope here (enclosing functions' locals +
                       params, at most MAX_CALL_SCOPE), shared by the calls of one scope; -1: none */
  int recv_call;    /* unresolved `x.m()`: the call of this module x is the result of (ref.path: "m"),
                       for link to follow into another file; -1: none */
  /* The shape of its arguments (names pass): later stages need no tree. */
  uint32_t arg_open;   /* SHAPE_OK: the `(` of the arguments (a generator's `(`); CALL_READ: the `[` */
  uint32_t arg_close;  /* SHAPE_OK: a generator argument's `)`; CALL_READ: the final `]`; else 0 */
  uint32_t positional; /* arguments the bridge's arity check counts as positional */
  uint8_t args;        /* ARGS_* and SHAPE_* flags */
  /* Filled by link and boundaries: */
  char *canonical;      /* resolved dotted name ("time.time", "fs.readFileSync") or NULL */
  int target_module;    /* codebase module of the callee, -1 if external/unknown */
  int target_def;       /* Def index in that module, -1 if not a definition */
  BoundKind bound;      /* boundary kind */
  const char *category; /* catalogue category ("clock", "random", "file", ...) or NULL */
  int site_index;       /* index among the file's sites (emitted in the call), -1 if none */
  char *site_id;        /* stable id: "rel:qualname:callee#n" */
  const struct Module *bridge_to; /* BOUND_BRIDGE: the module of target_def (the manifest's target id) */
} Call;

/* An assignment inside a function, for data dependencies through plain
 * assignments: targets <- names read by the right-hand side. */
typedef struct Assign {
  int func;     /* enclosing Def index, -1 at module level */
  uint32_t pos; /* byte offset (source order) */
  Vec targets;  /* char*: names bound */
  Vec sources;  /* char*: names read on the right-hand side */
} Assign;

/* A name a module exports (JS: export / module.exports / exports.x; Python:
 * not used, a Python module's top-level defs and imports are its exports). */
typedef struct Export {
  char *name;       /* exported name ("default" for the default export) */
  int def_index;    /* Def it denotes, or -1 */
  int import_index; /* Import it re-exports (`export { a } from`, `export *`), or -1 */
} Export;

/* A module-level name bound to what a reference denotes (`now =
 * time.time`, `export const now = Date.now`): other files that import it
 * call what it denotes. */
typedef struct ValueAlias {
  char *name;     /* the name */
  Ref ref;        /* what it denotes, as resolved in its module (REF_IMPORT, REF_GLOBAL or REF_DEF) */
  char *external; /* link: its name outside the codebase ("time.time"), NULL when it leads into it */
} ValueAlias;

/* A syntax problem found while parsing. */
typedef struct SyntaxError {
  uint32_t line; /* 1-based */
  uint32_t col;  /* 1-based */
  char *message; /* "unexpected 'x'" / "missing ')'" */
} SyntaxError;

typedef enum {
  MOD_OK,      /* parsed and analysed */
  MOD_SKIPPED, /* not analysable (binary, not UTF-8, unreadable): copied or skipped with a diagnostic */
  MOD_SYNTAX,  /* syntax errors: reported, not instrumented, copied unchanged */
} ModStatus;

/* What a Python module's binding placement needs of a top-level statement. */
typedef enum {
  TOP_OTHER,     /* a simple statement */
  TOP_COMMENT,   /* a comment */
  TOP_DOCSTRING, /* a simple statement that is a lone string (a docstring when first) */
  TOP_FUTURE,    /* `from __future__ import ...` */
  TOP_FUNCTION,  /* a plain def (inert when no call sits before its body) */
  TOP_COMPOUND,  /* any other compound statement */
} TopKind;

/* A top-level statement of a Python module (names pass), for rewrite_py.c's place_binding. */
typedef struct TopStmt {
  Span span;      /* the statement */
  uint32_t inner; /* TOP_FUNCTION: its body's start; a try: the statement it runs first; or UINT32_MAX */
  uint8_t kind;   /* TopKind */
} TopStmt;

/* A child of a Python import statement (not the `from` module, not a comment). */
typedef struct ImportPart {
  Span span;  /* its text, emitted as `import TEXT` when it is not bridged */
  int import; /* the Import it made (index into Module.imports), or -1 */
} ImportPart;

/* A Python `import` / `from ... import` statement: what a bridge import rewrites. */
typedef struct ImportStmt {
  Span span;  /* the whole statement */
  int first;  /* its first part (index into PyLayout.parts) */
  int nparts; /* parts it has */
} ImportStmt;

/* An f-string interpolation with `=` (`f"{x()=}"`): it prints its source text,
 * so a site inside it needs that text kept as a literal. */
typedef struct EqInterp {
  Span span;          /* the interpolation, braces included */
  uint32_t brace_end; /* end of its first child (the `{`) */
  Span eq;            /* the `=` token */
  uint32_t next;      /* start of the child after `=`, or the interpolation's end */
  char quote;         /* quote character of the innermost string holding it */
  bool converted;     /* has a !conversion or :format (no `!r` added) */
} EqInterp;

/* What the Python rewrite needs of the tree, recorded by names_python so
 * that the tree can be freed right after it (build). */
typedef struct PyLayout {
  TopStmt *tops;     /* top-level statements in order */
  int ntops;         /* how many */
  ImportStmt *stmts; /* import statements in order (not `from __future__`) */
  int nstmts;        /* how many */
  ImportPart *parts; /* their parts, statement by statement */
  int nparts;        /* how many */
  EqInterp *eqs;     /* `=` interpolations in preorder (sorted by start) */
  int neqs;          /* how many */
} PyLayout;

/* What a JavaScript access is (JsAccess.kind, JsLink.kind). */
enum { JS_OTHER, JS_MEMBER, JS_SUBSCRIPT, JS_CALL };

/* JsCall.flags. */
enum {
  JSC_ARGS_EMPTY = 1,   /* the arguments hold nothing but comments */
  JSC_UNDETACHABLE = 2, /* a method that cannot be detached: super.m(), obj.#m(), super() */
  JSC_SUPER = 4,        /* ... because of `super` (the warning names it) */
  JSC_IMPORT = 8,       /* the callee is `import` (dynamic import()) */
};

/* A member or subscript access as rewrite_js.c turns it into `o, "k")` / `o, k)`. */
typedef struct JsAccess {
  Span span;      /* the access (JS_OTHER: nothing to split) */
  Span key;       /* member: the property */
  uint32_t sep;   /* the `.` or `[` token, or UINT32_MAX (`o?.k`) */
  uint32_t close; /* subscript: the `]` token */
  uint32_t opt;   /* its `?.` token (also a call's, in a chain), or UINT32_MAX */
  uint8_t kind;   /* JS_MEMBER, JS_SUBSCRIPT or JS_OTHER */
} JsAccess;

/* What rewrite_js.c needs of one call (parallel to Module.calls). */
typedef struct JsCall {
  JsAccess callee; /* the callee without parentheses; CALL_READ: the read itself */
  Span written;    /* the callee (`function` / `constructor` field) as written */
  uint32_t open;   /* the `(` of the arguments, or UINT32_MAX */
  uint32_t kw;     /* CALL_NEW: the `new` keyword */
  int chain;       /* its optional chain (index into JsLayout.chains), or -1 */
  uint8_t flags;   /* JSC_* */
} JsCall;

/* One link of an optional chain: a call, an access or the chain's head. */
typedef struct JsLink {
  JsAccess acc;  /* its span, kind (JS_CALL, an access, JS_OTHER for the head), `?.` and access tokens */
  uint32_t open; /* JS_CALL: the `(` of its arguments, or UINT32_MAX */
  int call;      /* the Call made for this node (index into Module.calls), or -1 */
  bool empty;    /* JS_CALL: JSC_ARGS_EMPTY */
} JsLink;

/* A whole chain (down its spine) holding a `?.`, which rewrite_js.c lowers. */
typedef struct JsChain {
  int first; /* its links in JsLayout.links, head first, top last */
  int n;     /* how many */
  bool stmt; /* its top starts an expression statement */
} JsChain;

/* JsBridge.kind: the node the bridge replaces for an import. */
enum { JSB_NONE, JSB_REQUIRE, JSB_IMPORT_STMT, JSB_EXPORT_STMT };

/* What the bridge replaces for a JavaScript import (parallel to Module.imports). */
typedef struct JsBridge {
  Span span;    /* the require call or the import/export statement */
  uint8_t kind; /* JSB_* */
} JsBridge;

/* What the JavaScript rewrite needs of the tree, recorded by
 * names_javascript so that the tree can be freed right after it (build). */
typedef struct JsLayout {
  JsCall *calls;       /* one per Module.calls item */
  int ncalls;          /* how many */
  JsLink *links;       /* the links of chains, chain by chain */
  int nlinks;          /* how many */
  JsChain *chains;     /* optional chains of calls, each once */
  int nchains;         /* how many */
  JsBridge *bridges;   /* one per Module.imports item */
  int nbridges;        /* how many */
  uint32_t first_stmt; /* the first statement after hashbang, comments and directives, or UINT32_MAX */
} JsLayout;

/* One source file and everything the passes learn about it. */
typedef struct Module {
  InputFile *file;  /* where it came from */
  Lang lang;        /* language */
  bool esm;         /* JS: ES module (import/export or .mjs), else CommonJS */
  char *name;       /* Python dotted module name ("app.orders"); JS: rel path */
  char *text;       /* file bytes (NUL-terminated) */
  size_t len;       /* bytes */
  char sha256[65];  /* content hash */
  TSTree *tree;     /* parse tree: a build frees it right after names (check keeps it) */
  ModStatus status; /* see above */
  Vec defs;         /* Def* in source order */
  Vec imports;      /* Import* in source order */
  Vec calls;        /* Call* in source order of their start */
  Vec assigns;      /* Assign* in source order */
  Vec exports;      /* Export* (JS) */
  Vec aliases;      /* ValueAlias*: module-level names bound to a reference (names pass) */
  Vec globals;      /* char*: module-level names */
  Vec scopes;       /* Vec* of char*: the name lists of Call.scope, one per scope holding calls */
  Vec errors;       /* SyntaxError* */
  PyLayout *py;     /* Python: what the rewrite needs of the tree (names pass), else NULL */
  JsLayout *js;     /* JavaScript: what the rewrite needs of the tree (names pass), else NULL */
  int nsites;       /* boundary sites (after boundaries) */
  int nbridges;     /* cross-language imports to rewrite (after boundaries) */
  char *out_text;   /* emitted text (NULL: copy unchanged) */
  size_t out_len;   /* bytes of out_text */
  char *source_map;  /* JS: v3 source map JSON, NULL otherwise */
  char rt[RUNTIME_NAME_MAX]; /* the output's name for the runtime ("_currant"), see runtime_name */
  char *manifest_part[3]; /* manifest records of this file (file, nodes, unresolved), see manifest.c */
  struct CacheFile *cache; /* the build cache's state of this file (cache.c), NULL without a cache */
  void *strings;    /* names pass arena, or NULL: when set it owns the char* items of globals, defs'
                       locals, calls' uses/assigned/scope and assigns' targets/sources (freed whole
                       by names_strings_free, not item by item: millions of small copies otherwise) */
} Module;

/* The whole build. */
typedef struct Codebase {
  Vec modules;          /* Module* sorted by rel path */
  const Config *config; /* currant.json */
  bool py_root_imported; /* link: a module below the root imports one by its name from the root */
} Codebase;

/* -------------------------------------------------------------- arena.c */

/* Routes tree-sitter's allocations through the per-thread arenas (the
 * currantc program does, first thing; library users and tests do not). */
void arena_install(void);
/* What tree-sitter allocates on this thread from now on bumps its arena;
 * false if arenas are not installed or no region could be reserved. */
bool arena_open(void);
bool arena_is_open(void); /* between a successful arena_open and arena_close */
/* Some allocation since arena_open did not fit and went to malloc: the
 * tree and parser must be freed the usual way before arena_close. */
bool arena_spilled(void);
/* Forgets everything allocated since arena_open (a no-op when closed). */
void arena_close(void);
/* Returns this thread's region to the system (end of a worker thread). */
void arena_thread_done(void);

/* -------------------------------------------------------------- parse.c */

/* Reads, checks (binary, UTF-8, size) and parses m->file into m.  Records
 * syntax errors (ERROR/MISSING nodes) in m->errors and sets m->status. */
void parse_module(Module *m);
/* The same for text already in m->text/m->len (the fuzzer's entry). */
void parse_source(Module *m);
/* Frees m's tree (a build's, after its names pass): in this thread's
 * arena, when it was parsed in one, with the parser made for it. */
void parse_drop_tree(Module *m);
/* Frees the calling thread's parsers (each worker thread keeps one per
 * language) and its arena. */
void parse_thread_done(void);
const TSLanguage *parse_language(Lang lang); /* the tree-sitter grammar */
/* A symbol -> kind table for a names pass: symbols whose name is
 * kind_names[k] (non-NULL) map to k, anonymous tokens to token_kind, the
 * rest to 0.  Built by name, so aliased symbols sharing a name all map to
 * the same kind.  *nsymbols gets the table's length. */
uint8_t *parse_kind_table(Lang lang, const char *const *kind_names, int nkinds, uint8_t token_kind,
                          uint32_t *nsymbols);
/* Field ids of the grammar for names[0..n). */
void parse_field_ids(Lang lang, const char *const *names, int n, TSFieldId *out);
/* What the bridge and the boundaries pass need of a call's arguments
 * (c->positional and the ARGS_NONE, ARGS_KEYWORDS, ARGS_SPREAD, ARGS_CODE
 * flags) is counted by the names pass's own walk, not by a second one over
 * each argument list: parse_args_begin starts from the node of the call's
 * `arguments` field (may be null), then the walk gives parse_count_arg the
 * symbol of each named child of that node. */
void parse_args_begin(Lang lang, TSNode args, Call *c);
void parse_count_arg(Lang lang, TSSymbol child, Call *c);

/* ------------------------------------------------------------- cursor.c */

/* The names passes' walk over a tree's visible nodes: TSTreeCursor's moves
 * and answers, each step a constant amount of work (cursor.c says why). */
typedef struct CursorFrame CursorFrame;
typedef struct WalkCursor {
  const TSTree *tree;  /* the tree walked */
  CursorFrame *frames; /* the path from the root to the current node */
  int n, cap;          /* frames in use, allocated */
} WalkCursor;
void cursor_init(WalkCursor *c, const TSTree *tree); /* at the root */
void cursor_free(WalkCursor *c);
bool cursor_first_child(WalkCursor *c);  /* false: a leaf (the cursor stays) */
bool cursor_next_sibling(WalkCursor *c); /* false: the last child (the cursor stays) */
bool cursor_parent(WalkCursor *c);       /* false: at the root */
TSNode cursor_node(const WalkCursor *c);
TSSymbol cursor_symbol(const WalkCursor *c);    /* ts_node_symbol of cursor_node */
TSFieldId cursor_field_id(const WalkCursor *c); /* as ts_tree_cursor_current_field_id */

/* ------------------------------------------------------- names_py.c / names_js.c */

/* Fills defs, imports, calls (with Ref, uses, assigned, scope), assigns and
 * globals of a parsed module.  One iterative walk of the tree. */
void names_python(Module *m);
void names_javascript(Module *m);
/* A copy of n bytes of s (NUL-terminated) in the arena *strings (NULL
 * starts one): Module.strings.  names_strings_free frees it (NULL is fine). */
char *names_strndup(void **strings, const char *s, size_t n);
void names_strings_free(void *strings);
void names_alias_free(ValueAlias *a); /* frees a and what it owns */

/* ----------------------------------------------------------- packages.c */

/* Node's package.json resolution, as paths relative to the SRC root (NULL:
 * no such entry, or a target outside the package).  esm picks the
 * "import" condition, else "require"; "node" and "default" match both. */
bool pkg_has_exports(const JsPackage *p);
/* What "exports" gives for subpath ("." or "./clock"). */
char *pkg_exports_path(const JsPackage *p, const char *subpath, bool esm);
/* What "imports" gives for spec ("#internal/db"). */
char *pkg_imports_path(const JsPackage *p, const char *spec, bool esm);
/* "main" (else "index") in p's directory, for the caller's extension and
 * index lookup (a package without "exports"). */
char *pkg_main_path(const JsPackage *p);

/* --------------------------------------------------------------- link.c */

/* The dotted name a Ref denotes if everything it imports is external:
 * `from time import time as now; now()` -> "time.time"; `require("node:fs")
 * .readFileSync` -> "fs.readFileSync"; REF_GLOBAL -> its path; REF_VALUE ->
 * its path ("<open>.read").  NULL for REF_DEF/REF_UNRESOLVED.  Pure: callable
 * from the names pass (to track value origins) and from link. */
char *ref_external_name(const Module *m, const Ref *r);
/* Canonical module name of an import spec: strips "node:", maps "/" to "."
 * for JS ("fs/promises" -> "fs.promises"); Python specs are returned as is. */
char *canonical_module(Lang lang, const char *spec);

/* Resolves imports to codebase modules and every call's Ref to a canonical
 * external name or a codebase definition, following re-exports. */
void link_codebase(Codebase *cb);
/* The Python import roots in effect (char*, not owned, appended to out):
 * currant.json's "python_path", else "src" when modules lie below it and
 * it is not a package itself (a src layout).  A module below a root also
 * answers to its name below it, and `currant run` puts the roots on
 * PYTHONPATH.  With with_build_root, "." (the build root) comes first when
 * the build resolved imports from there that only it would satisfy
 * (Codebase.py_root_imported): what the manifest records. */
void link_python_roots(const Codebase *cb, Vec *out, bool with_build_root);
/* The named package.json files the JS modules lie under (JsPackage*, not
 * owned, appended to out), sorted by name; of a name several share, the
 * first by path (the others a -v note when note_duplicates).  A bare
 * specifier of that name resolves there, and `currant run` links the name
 * to it in the bundle's node_modules. */
void link_js_packages(const Codebase *cb, Vec *out, bool note_duplicates);
/* link_codebase in steps, for threads: link_begin, then link_imports for
 * every module (in any order, in parallel), then link_calls for every
 * module (likewise), then link_end. */
typedef struct Linker Linker;
Linker *link_begin(Codebase *cb);
void link_imports(Linker *lk, int mod); /* resolves module mod's imports to files */
void link_calls(Linker *lk, int mod);   /* resolves module mod's calls (every import resolved) */
void link_end(Linker *lk);

/* ---------------------------------------------------------- catalogue.c */

/* One entry of a language's catalogue of boundary calls. */
typedef struct CatEntry {
  const char *pattern;  /* canonical dotted name; a trailing ".*" matches one more segment */
  const char *category; /* clock, random, uuid, env, input, process, net, file, sleep, std, ... */
  CallForm form;        /* CALL_READ for property reads, CALL_NEW for constructors, else CALL_PLAIN */
  const char *note;     /* one line for docs/CATALOGUE.md */
} CatEntry;

/* The built-in table of lang, terminated by an entry with pattern NULL. */
const CatEntry *cat_table(Lang lang);
/* The entry matching canonical name and form, or NULL. */
const CatEntry *cat_lookup(Lang lang, const char *canonical, CallForm form);
/* Origins for REF_VALUE: the value type a call creates ("<open>" for open()),
 * NULL if the callee creates nothing tracked. */
const char *cat_origin(Lang lang, const char *canonical);
/* The origin of what iterating a call's result yields (`for p in
 * d.glob("*")`: "<pathlib.Path>"), NULL if untracked. */
const char *cat_element_origin(Lang lang, const char *canonical);
/* The entry after `after` (NULL: the first) of lang's table that is
 * `<origin>.tail` ("execute" finds `<sqlite3.Connection>.execute`, then
 * `<sqlite3.Cursor>.execute`), or NULL: what a call on a value the compiler
 * could not follow may be. */
const CatEntry *cat_member(Lang lang, const char *tail, const CatEntry *after);
/* True if some entry of lang's table lies in module module[0, len) ("time"
 * for time.time): a name the catalogue knows as the standard library's. */
bool cat_covers_module(Lang lang, const char *module, size_t len);

/* --------------------------------------------------------- boundaries.c */

/* Classifies every call of m (bound, category), numbers the sites and gives
 * each its stable id; counts the cross-language imports to rewrite. */
void bound_module(const Codebase *cb, Module *m);
/* True for a site calling the std prompt (currant.prompt / prompt_async):
 * a "prompt" node of the manifest. */
bool bound_is_prompt(const Call *c);

/* ------------------------------------------------------------- bridge.c */

/* One misuse of a cross-language import or call (docs/BRIDGE.md). */
typedef struct BridgeProblem {
  const char *rule; /* `currantc check` rule id: "unresolved-cross-language", "bridge-arity" */
  uint32_t line;    /* 1-based, of the import or call */
  uint32_t col;     /* 1-based, bytes */
  int func;         /* enclosing Def index, -1 at module level */
  const Call *call; /* the call, or NULL */
  const Import *import; /* the import, or NULL */
  char *message;    /* one line, naming the target's location when there is one */
} BridgeProblem;

/* The module of the other language whose function c calls (a bridge call),
 * or NULL (after link). */
const Module *bridge_target(const Codebase *cb, const Module *m, const Call *c);
/* Appends m's bridge problems (BridgeProblem*) to out, in source order
 * (after link; arguments as the names pass counted them). */
void bridge_problems(const Codebase *cb, const Module *m, Vec *out);
void bridge_problem_free(BridgeProblem *p);
/* Reports every module's bridge problems as errors (the build exits 1),
 * in module order. */
void bridge_report(const Codebase *cb);
/* True if the rewrite turns imp into a bridge module: resolved into the
 * other language, binding a name (not `import *`, not Python's bare
 * `import currant.js.p`). */
bool bridge_rewritable(const Module *m, const Import *imp);
/* The names of m's async functions a bridge proxy returns awaitables for,
 * as a JSON/Python list literal ("[\"a\", \"b\"]"). */
char *bridge_async_list(const Module *m);

/* --------------------------------------------------------------- splice.c */

/* One byte-range replacement: [start, end) becomes text.  Insertions have
 * start == end; several at one offset keep the order they were added in. */
typedef struct Edit {
  uint32_t start; /* first byte replaced */
  uint32_t end;   /* one past the last byte replaced */
  char *text;     /* replacement */
  int seq;        /* insertion order (ties) */
} Edit;

typedef struct EditList {
  Edit *items; /* edits */
  int len;     /* used */
  int cap;     /* allocated */
} EditList;

void edit_add(EditList *l, uint32_t start, uint32_t end, const char *text); /* copies text */
void edit_insert(EditList *l, uint32_t at, const char *text);               /* start == end */
void edit_free(EditList *l);
/* Applies edits to m->text into m->out_text; for JS also builds the source
 * map (m->source_map).  Returns 0, or -1 if edits overlap (a bug: reported). */
int splice_apply(Module *m, EditList *edits);
/* Sets m->rt, the name m's output binds the runtime to: "_currant", or
 * "_currant1", "_currant2", ... when m's text already has that word. */
void runtime_name(Module *m);

/* ------------------------------------------------------------ sourcemap.c */

/* Accumulates v3 source map segments, one output line at a time. */
typedef struct SourceMap {
  StrBuf mappings;                                   /* "mappings" field so far */
  uint32_t gen_line;                                 /* current generated line (0-based) */
  int32_t prev_gen_col, prev_src_line, prev_src_col; /* VLQ deltas state */
  bool line_has_segment;                             /* a segment was written on gen_line */
} SourceMap;

/* Maps generated (gen_line, gen_col) to source (src_line, src_col), all
 * 0-based, columns in UTF-16 code units; calls must go in generated order. */
void smap_add(SourceMap *sm, uint32_t gen_line, uint32_t gen_col, uint32_t src_line, uint32_t src_col);
/* The finished JSON for file (sources = [source_name]). */
char *smap_finish(SourceMap *sm, const char *file, const char *source_name);
/* The same with "sourcesContent": [content] (len bytes; null when not UTF-8),
 * so a debugger shows the original even when the map moves with OUT. */
char *smap_finish_content(SourceMap *sm, const char *file, const char *source_name, const char *content,
                          size_t len);

/* ----------------------------------------------- rewrite_py.c / rewrite_js.c */

/* Edits that turn every site of m into a runtime call and bind the runtime
 * at the top of the module (Python: on an existing line). */
void rewrite_python(Module *m, EditList *out);
void rewrite_javascript(Module *m, EditList *out);

/* -------------------------------------------------------------- graph.c */

typedef enum { NODE_MODULE, NODE_FUNCTION, NODE_TASK, NODE_SITE } NodeKind;
typedef enum { EDGE_CALL, EDGE_DATA, EDGE_IMPORT, EDGE_CROSS_LANG, EDGE_CONTAINS } EdgeKind;

typedef struct GraphEdge {
  char *from;    /* node id (owned by Graph.ids) */
  char *to;      /* node id (owned by Graph.ids) */
  EdgeKind kind; /* relation */
  int from_id;   /* index of from in Graph.ids */
  int to_id;     /* index of to in Graph.ids */
} GraphEdge;

typedef struct Graph {
  Vec edges; /* GraphEdge*, sorted (from, to, kind) by text, no duplicates */
  Vec ids;   /* char*: every node id, built once and shared by the edges naming it */
} Graph;

/* Builds the edges (nodes are derived from modules, defs and sites). */
void graph_build(const Codebase *cb, Graph *g);
void graph_free(Graph *g);
/* Node ids: "module:REL", "function:REL:QUALNAME", "site:SITEID". */
char *graph_module_id(const Module *m);
char *graph_def_id(const Module *m, const Def *d);
char *graph_site_id(const Call *c);

/* ----------------------------------------------------------- manifest.c */

/* Encodes m's own records into m->manifest_part; called per file in
 * parallel so that manifest_write only concatenates (and frees them). */
void manifest_module_part(Module *m);
/* Writes OUT/currant.graph.json (deterministic, atomic) from the parts and
 * the graph, streamed to the file as it is made (never held whole), and
 * its digest_hex to digest unless NULL.  0 or -1. */
int manifest_write(const Codebase *cb, const Graph *g, const char *out_dir, char *digest);

/* -------------------------------------------------------------- views.c */

/* `currantc graph MANIFEST [--format dot|mermaid|json|html|svg] [-o FILE]`:
 * argv[0] is "graph".  Returns the exit status: 0, EXIT_USAGE (usage or not
 * a currant manifest) or EXIT_FATAL (I/O, Graphviz missing).  docs/VIEWS.md. */
int views_command(int argc, char **argv);

/* ---------------------------------------------------- check.c / report.c */

/* One problem `currantc check` reports (docs/CHECK.md). */
typedef struct Finding {
  const char *rule;    /* rule id ("nondeterminism"): static */
  DiagLevel level;     /* severity */
  char *file;          /* path relative to its SRC root (Module rel): baselines use it */
  char *path;          /* path shown: relative to the working directory when under it */
  uint32_t line;       /* 1-based; 0 when the finding has no position (unreadable file) */
  uint32_t col;        /* 1-based, bytes */
  uint32_t ucol;       /* 1-based, Unicode code points (SARIF) */
  char *message;       /* one line */
  char *function;      /* enclosing qualname, "<module>" at top level */
  char *snippet;       /* normalized source the fingerprint is made of */
  char *fingerprint;   /* 32 hex: rule, file, function, snippet, occurrence; never the line */
} Finding;

/* A rule: id, default severity, one-line description. */
typedef struct CheckRule {
  const char *id;
  DiagLevel level;
  const char *summary;
} CheckRule;

/* Every rule, terminated by an entry with id NULL ("stale-baseline" last). */
const CheckRule *check_rule_table(void);
const CheckRule *check_rule(const char *id); /* by id, or NULL */
/* Runs the rules over an analysed codebase (after link and boundaries,
 * trees alive).  skip_reasons[i] (may be NULL) says why module i was
 * skipped.  Appends Finding* to out sorted by (file, line, col, rule) with
 * fingerprints; findings a `currant: ignore` comment silences are only
 * counted in *suppressed. */
void check_codebase(const Codebase *cb, char *const *skip_reasons, Vec *out, int *suppressed);
void finding_free(Finding *f);

typedef enum { REPORT_TEXT, REPORT_JSON, REPORT_SARIF, REPORT_GITHUB } ReportFormat;

/* What one check run reports. */
typedef struct CheckReport {
  Vec findings;   /* Finding*: reported (not suppressed, not baselined) */
  Vec stale;      /* Finding*: baseline entries no finding matches (line 0, level note) */
  int suppressed; /* silenced by comments */
  int baselined;  /* matched by the baseline */
  bool baseline;  /* a baseline was given (SARIF baselineState) */
} CheckReport;

/* Writes r to out in fmt; color for text on a terminal.  0 or -1 (I/O). */
int report_write(FILE *out, ReportFormat fmt, const CheckReport *r, bool color);
/* `currantc check SRC... [options]`: argv[0] is "check".  Exit status 0
 * clean, 1 findings at or above --fail-on, 2 usage or internal error. */
int check_command(int argc, char **argv);

/* -------------------------------------------------------------- cache.c */

/* The incremental build cache in OUT/.currant-cache/ (docs/ARCHITECTURE.md,
 * "The build cache").  Level 1: the inputs and OUT are exactly what the
 * last build recorded, so only its diagnostics are replayed.  Level 2:
 * unchanged files are loaded instead of parsed, and those whose link
 * results are unchanged reuse their sites and output.  Anything in the
 * cache that does not check out is ignored, never trusted. */
typedef struct Cache Cache;
typedef struct CacheFile CacheFile;

/* The build id that keys everything in a cache: sha256 of the running
 * compiler's identity (its linker build id, else its binary's sha256) and
 * the cache format.  False when neither can be read. */
bool cache_build_id(char out[65]);
/* Reads the cache in dir for a build into out_dir with cfg (absent or
 * unusable parts are ignored, with a -v note), under build_id
 * (cache_build_id's); NULL when that is NULL (the binary was unreadable). */
Cache *cache_open(const char *dir, const char *out_dir, const Config *cfg, const char *build_id);
void cache_free(Cache *c); /* NULL is fine */
/* Level 1, inputs: cb's files (path, language, package type, sha256 of the
 * text each module holds), the assets, config and compiler are recorded. */
bool cache_inputs_unchanged(const Cache *c, const Codebase *cb, const Vec *assets);
/* Level 1, outputs: the recorded digest (DIGEST_HEX, not NUL-terminated) of
 * module i's output (its .map when map; i < 0: currant.graph.json), NULL
 * when none was written.  Valid once cache_inputs_unchanged said true. */
const char *cache_output_hash(const Cache *c, int i, bool map);
const char *cache_asset_hash(const Cache *c, int i); /* recorded digest (DIGEST_HEX) of asset i, or NULL */
/* An output the last build recorded writing. */
typedef struct OldOutput {
  char *rel;                   /* its path under OUT */
  char digest[DIGEST_HEX + 1]; /* digest_hex of the bytes written */
} OldOutput;
/* The outputs the last build recorded (every source's file and source map,
 * every copied file), OldOutput* appended to out; none when no index was
 * read (first build, another compiler or config, damaged). */
void cache_last_outputs(const Cache *c, Vec *out);
/* Level 1: replays the recorded diagnostics in build order and gives the
 * recorded totals (files instrumented, sites).  False if they do not decode. */
bool cache_replay(const Cache *c, const Codebase *cb, int totals[2]);
/* Level 2: gives each module its CacheFile (Module.cache) and old entry. */
void cache_attach(Cache *c, Codebase *cb);
/* Analyse: fills m's names state from its entry when path, language,
 * package type and content match (its diagnostics wait for
 * cache_replay_analysis).  Else false. */
bool cache_load(Module *m);
/* Analyse: keeps m's fresh names state (before link; none when m could
 * not be read) and takes the diagnostics parse and names reported. */
void cache_keep_names(Module *m, Vec *diags);
/* Reports every file's analyse diagnostics (loaded or kept), in file order. */
void cache_replay_analysis(const Cache *c);
/* After link: notes whether m was loaded and its link digest is the one
 * its sites and output were made with (then cache_reuse reuses them). */
void cache_settle(Codebase *cb, Module *m);
/* Instrument: restores m's sites and output and replays their diagnostics
 * when cache_settle said so; else false (instrument it). */
bool cache_reuse(Module *m);
void cache_keep_build(Module *m, Vec *diags); /* instrument: takes its diagnostics */
/* The build printed reports of its own (bridge_report), whose messages may
 * name other files: the next build is never a level-1 replay. */
void cache_note_build_wide(Cache *c, bool reported);
void cache_report(const Cache *c);            /* -v: files loaded and reused */
/* Write phase: encodes m's new pack entry and index record (m is final). */
void cache_seal(Module *m);
/* Writes pack and index atomically after a build that wrote everything,
 * every module sealed (manifest_digest: digest_hex of the
 * currant.graph.json written).  0, or -1 (-v note). */
int cache_save(Cache *c, const Codebase *cb, const Vec *assets, const char *manifest_digest);
/* m's names state (what names_* fill, before link) as bytes, appended to out. */
void cache_encode_names(const Module *m, StrBuf *out);
/* The reverse, into a module holding only file, lang, name, text and len.
 * False for bytes that do not decode to a consistent state (m left clear). */
bool cache_decode_names(const void *data, size_t len, Module *m);

/* ------------------------------------------------------------- driver.c */

typedef struct BuildOptions {
  char **srcs;     /* SRC arguments */
  int nsrcs;       /* how many */
  const char *out; /* OUT directory */
  int jobs;        /* worker threads (>= 1) */
  int verbosity;   /* -1 quiet, 0, 1 verbose */
  const char *cache_dir; /* build cache directory (NULL: OUT/.currant-cache) */
  bool no_cache;   /* --no-cache: neither read nor write the cache */
} BuildOptions;

/* Exit codes (documented in README and --help). */
enum {
  EXIT_OK = 0,           /* built, no errors */
  EXIT_INPUT_ERRORS = 1, /* built, but some files had errors and were not instrumented */
  EXIT_USAGE = 2,        /* bad command line or currant.json */
  EXIT_FATAL = 3,        /* could not write output / internal error */
};

int driver_build(const BuildOptions *opt);
/* Frees what the passes filled in m (names state, link and site results,
 * tree, output) and zeroes it; file, lang, name, text and len stay. */
void driver_clear_module(Module *m);
/* Runs walk, parse + names, link and the boundaries pass (no rewrite,
 * nothing written; opt->out is unused), then calls visit(cb, ctx) while the
 * parse trees are still alive, and frees everything.  EXIT_OK, or
 * EXIT_USAGE for an invalid currant.json (reported). */
int driver_analyse(const BuildOptions *opt, void (*visit)(Codebase *, void *), void *ctx);
/* Runs every per-file stage on one in-memory file, as a one-file codebase
 * (for the fuzzer and unit tests).  *out gets the emitted text or NULL when
 * unchanged; returns the module status. */
/* The bytes of OUT/rel when it is a regular file, reached through no
 * symlink (a build would refuse to write there), whose digest_hex is want
 * (DIGEST_HEX digits); else NULL.  NUL-terminated, *len bytes before it. */
char *driver_read_output(const char *out_dir, const char *rel, const char *want, size_t *len);
ModStatus driver_compile_buffer(Lang lang, const char *rel, const char *text, size_t len, char **out,
                                size_t *out_len);

#endif
