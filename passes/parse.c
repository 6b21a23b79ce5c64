/*
 * parse.c — reads a source file, decides whether it can be analysed at all,
 * and parses it with the pinned tree-sitter grammar.
 *
 * Every input ends up in OUT (instrumented or byte-identical), so this stage
 * never drops a file: it only sets the status the later stages obey.  What
 * is refused and why: NUL bytes (binary, not source), invalid UTF-8 (unless
 * a Python coding cookie declares a single-byte encoding: the rewrite only
 * inserts ASCII, so byte offsets stay valid), files over the size limit
 * (tree-sitter offsets are 32-bit and memory is ~20x the source), and files
 * with ERROR or MISSING nodes, reported gcc style and left uninstrumented.
 */
#include "currant.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SOURCE_BYTES (256u << 20)
#define MAX_SYNTAX_ERRORS 10

const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_javascript(void);

const TSLanguage *parse_language(Lang lang) {
  return lang == LANG_PYTHON ? tree_sitter_python() : tree_sitter_javascript();
}

/* One parser per thread and language: parsers are not thread-safe, and
 * creating one per file would cost more than parsing a small file.  In an
 * open arena, though, the parser must live in it (its stacks grow there
 * during the parse): a fresh one per file, dropped with the tree. */
static __thread TSParser *parsers[LANG_COUNT];
static __thread TSParser *arena_parser;

static TSParser *parser_for(Lang lang) {
  if (arena_is_open()) {
    arena_parser = ts_parser_new();
    ts_parser_set_language(arena_parser, parse_language(lang));
    return arena_parser;
  }
  if (!parsers[lang]) {
    parsers[lang] = ts_parser_new();
    ts_parser_set_language(parsers[lang], parse_language(lang));
  }
  return parsers[lang];
}

/* The parser is deleted even in an arena: the grammars' external scanners
 * keep their state on malloc, not through tree-sitter's allocator.  The
 * tree, all in the arena, is dropped with it unwalked. */
void parse_drop_tree(Module *m) {
  bool whole = arena_is_open() && !arena_spilled();
  if (m->tree && !whole) ts_tree_delete(m->tree);
  m->tree = NULL;
  for (int i = 0; i < m->calls.len; i++) ((Call *)m->calls.items[i])->node = (TSNode){0};
  if (arena_parser) ts_parser_delete(arena_parser), arena_parser = NULL;
  arena_close();
}

uint8_t *parse_kind_table(Lang lang, const char *const *kind_names, int nkinds, uint8_t token_kind,
                          uint32_t *nsymbols) {
  const TSLanguage *tl = parse_language(lang);
  uint32_t n = ts_language_symbol_count(tl);
  uint8_t *table = xcalloc(n, 1);
  for (uint32_t s = 0; s < n; s++) {
    if (ts_language_symbol_type(tl, (TSSymbol)s) != TSSymbolTypeRegular) {
      table[s] = token_kind;
      continue;
    }
    const char *name = ts_language_symbol_name(tl, (TSSymbol)s);
    for (int k = 0; k < nkinds; k++)
      if (kind_names[k] && strcmp(kind_names[k], name) == 0) table[s] = (uint8_t)k;
  }
  *nsymbols = n;
  return table;
}

void parse_field_ids(Lang lang, const char *const *names, int n, TSFieldId *out) {
  const TSLanguage *tl = parse_language(lang);
  for (int f = 0; f < n; f++) out[f] = ts_language_field_id_for_name(tl, names[f], (uint32_t)strlen(names[f]));
}

/* How a named child of an argument list counts (parse_count_arg). */
enum { ARG_TOKEN, ARG_POSITIONAL, ARG_SKIPPED, ARG_KEYWORD, ARG_SPREAD, ARG_GENERATOR };

static uint8_t *arg_class[LANG_COUNT]; /* symbol -> ARG_*, per language */
static uint32_t arg_nsymbols[LANG_COUNT];
static pthread_once_t arg_once = PTHREAD_ONCE_INIT;

/* Classes by symbol name, as the bridge always counted: any "*splat*"
 * (Python's *a, **kw, *(a)) or "spread_element" is a spread. */
static void arg_tables_init(void) {
  for (int l = 0; l < LANG_COUNT; l++) {
    const TSLanguage *tl = parse_language((Lang)l);
    uint32_t n = ts_language_symbol_count(tl);
    uint8_t *t = xcalloc(n, 1);
    for (uint32_t s = 0; s < n; s++) {
      if (ts_language_symbol_type(tl, (TSSymbol)s) != TSSymbolTypeRegular) continue;
      const char *name = ts_language_symbol_name(tl, (TSSymbol)s);
      t[s] = strcmp(name, "comment") == 0 || strcmp(name, "line_continuation") == 0 ? ARG_SKIPPED
             : strcmp(name, "keyword_argument") == 0                        ? ARG_KEYWORD
             : strstr(name, "splat") || strcmp(name, "spread_element") == 0 ? ARG_SPREAD
             : strcmp(name, "generator_expression") == 0                    ? ARG_GENERATOR
                                                                            : ARG_POSITIONAL;
    }
    arg_class[l] = t, arg_nsymbols[l] = n;
  }
}

static int arg_of(Lang lang, TSSymbol s) {
  return s < arg_nsymbols[lang] ? arg_class[lang][s] : ARG_POSITIONAL;
}

void parse_args_begin(Lang lang, TSNode args, Call *c) {
  pthread_once(&arg_once, arg_tables_init);
  if (ts_node_is_null(args) || ts_node_named_child_count(args) == 0)
    c->args |= ARGS_NONE;
  else if (arg_of(lang, ts_node_symbol(args)) == ARG_GENERATOR) /* f(x for x in y): not an argument list */
    c->positional = 1, c->args |= ARGS_CODE;
}

void parse_count_arg(Lang lang, TSSymbol child, Call *c) {
  int k = arg_of(lang, child);
  if (k == ARG_TOKEN || k == ARG_SKIPPED) return;
  if (k == ARG_KEYWORD)
    c->args |= ARGS_KEYWORDS;
  else if (k == ARG_SPREAD)
    c->args |= ARGS_SPREAD;
  else
    c->positional++;
  c->args |= ARGS_CODE;
}

void parse_thread_done(void) {
  for (int l = 0; l < LANG_COUNT; l++)
    if (parsers[l]) ts_parser_delete(parsers[l]), parsers[l] = NULL;
  arena_thread_done();
}

/* Offset of the first invalid UTF-8 sequence, or len if the text is valid. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    uint64_t w;
    /* ASCII, most source text, eight bytes at a time */
    while (i + 8 <= len && (memcpy(&w, s + i, 8), (w & 0x8080808080808080u) == 0)) i += 8;
    if (i >= len) break;
    unsigned c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!n || i + n > len) return i;
    for (size_t k = 1; k < n; k++)
      if ((s[i + k] & 0xC0) != 0x80) return i;
    if (n == 2 && c < 0xC2) return i;                      /* overlong */
    if (n == 3 && c == 0xE0 && s[i + 1] < 0xA0) return i;  /* overlong */
    if (n == 3 && c == 0xED && s[i + 1] >= 0xA0) return i; /* surrogate */
    if (n == 4 && (c > 0xF4 || (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))) return i;
    i += n;
  }
  return len;
}

/* True if one of the first two lines declares a coding other than UTF-8. */
static bool python_declares_legacy_coding(const char *text, size_t len) {
  const char *end = text + len, *line = text;
  for (int l = 0; l < 2 && line < end; l++) {
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
    char *copy = xstrndup(line, n);
    char *hash = strchr(copy, '#'), *cookie = hash ? strstr(hash, "coding") : NULL;
    bool legacy = false;
    if (cookie && (cookie[6] == ':' || cookie[6] == '=')) {
      char *name = cookie + 7;
      while (*name == ' ' || *name == '\t') name++;
      legacy = strncasecmp(name, "utf-8", 5) && strncasecmp(name, "utf8", 4) && *name;
    }
    free(copy);
    if (legacy) return true;
    line = nl ? nl + 1 : end;
  }
  return false;
}

static void skip(Module *m, const char *why) {
  diag_report(DIAG_ERROR, m->file->abs, 0, 0, "%s: not instrumented", why);
  m->status = MOD_SKIPPED;
}

static bool check_bytes(Module *m) {
  if (m->len > MAX_SOURCE_BYTES) {
    char *why =
        xasprintf("file too large (%zu MB, the limit is %u MB)", m->len >> 20, MAX_SOURCE_BYTES >> 20);
    skip(m, why);
    free(why);
    return false;
  }
  const char *nul = memchr(m->text, '\0', m->len);
  if (nul) {
    uint32_t line, col;
    offset_to_line_col(m->text, (size_t)(nul - m->text), &line, &col);
    diag_report(DIAG_ERROR, m->file->abs, line, col, "binary file (NUL byte): not instrumented");
    m->status = MOD_SKIPPED;
    return false;
  }
  size_t bad = utf8_invalid_at((const unsigned char *)m->text, m->len);
  if (bad < m->len && !(m->lang == LANG_PYTHON && python_declares_legacy_coding(m->text, m->len))) {
    uint32_t line, col;
    offset_to_line_col(m->text, bad, &line, &col);
    diag_report(DIAG_ERROR, m->file->abs, line, col, "not valid UTF-8: not instrumented");
    m->status = MOD_SKIPPED;
    return false;
  }
  return true;
}

static void add_syntax_error(Module *m, TSNode node) {
  SyntaxError *e = xcalloc(1, sizeof *e);
  TSPoint p = ts_node_start_point(node);
  e->line = p.row + 1;
  e->col = p.column + 1;
  if (ts_node_is_missing(node)) {
    e->message = xasprintf("missing '%s'", ts_node_type(node));
  } else {
    uint32_t s = ts_node_start_byte(node), end = ts_node_end_byte(node);
    uint32_t n = end - s;
    const char *nl = memchr(m->text + s, '\n', n);
    if (nl) n = (uint32_t)(nl - (m->text + s));
    if (n > 24) n = 24;
    e->message = n ? xasprintf("unexpected '%.*s'", (int)n, m->text + s) : xstrdup("unexpected end of input");
  }
  vec_push(&m->errors, e);
}

/* Collects ERROR and MISSING nodes in source order with a cursor walk that
 * only descends into subtrees that contain an error. */
static void collect_syntax_errors(Module *m) {
  TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(m->tree));
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    bool is_err = ts_node_is_error(n) || ts_node_is_missing(n);
    if (is_err) add_syntax_error(m, n);
    if (m->errors.len >= MAX_SYNTAX_ERRORS) break;
    if (!is_err && ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&c)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&c))
      if (!ts_tree_cursor_goto_parent(&c)) goto done;
  }
done:
  ts_tree_cursor_delete(&c);
}

void parse_module(Module *m) {
  m->lang = m->file->lang;
  m->text = read_file(m->file->abs, &m->len);
  if (!m->text) {
    diag_report(DIAG_ERROR, m->file->abs, 0, 0, "cannot read: %s",
                errno == EINVAL ? "not a regular file" : strerror(errno));
    m->status = MOD_SKIPPED;
    m->text = xstrdup("");
    m->len = 0;
    return;
  }
  parse_source(m);
}

void parse_source(Module *m) {
  if (!m->sha256[0]) sha256_hex(m->text, m->len, m->sha256); /* the cache hashed it on reading */
  if (!check_bytes(m)) return;
  m->tree = ts_parser_parse_string(parser_for(m->lang), NULL, m->text, (uint32_t)m->len);
  if (!m->tree) {
    skip(m, "parser gave up");
    return;
  }
  m->status = MOD_OK;
  if (!ts_node_has_error(ts_tree_root_node(m->tree))) return;
  collect_syntax_errors(m);
  for (int i = 0; i < m->errors.len; i++) {
    SyntaxError *e = m->errors.items[i];
    diag_report(DIAG_ERROR, m->file->abs, e->line, e->col, "syntax error: %s", e->message);
  }
  if (m->errors.len)
    diag_report(DIAG_NOTE, m->file->abs, 0, 0, "file has syntax errors: copied unchanged, not instrumented");
  m->status = MOD_SYNTAX;
}
