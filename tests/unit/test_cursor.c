/* test_cursor.c — cursor.c walks as TSTreeCursor does, step for step. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "currant.h"
#include "unit.h"

/* One depth-first walk with both cursors in lockstep, comparing after every
 * move (failed ones too: a cursor stays where it was) the node, its symbol
 * and its field.  Returns the nodes visited. */
static int lockstep(const TSTree *tree, const char *what) {
  TSTreeCursor a = ts_tree_cursor_new(ts_tree_root_node(tree));
  WalkCursor b;
  cursor_init(&b, tree);
  int nodes = 0, bad = 0;
  for (bool moved = true; bad < 3;) {
    TSNode na = ts_tree_cursor_current_node(&a), nb = cursor_node(&b);
    if (!ts_node_eq(na, nb) || ts_node_symbol(na) != cursor_symbol(&b) ||
        ts_node_start_byte(na) != ts_node_start_byte(nb) ||
        ts_tree_cursor_current_field_id(&a) != cursor_field_id(&b)) {
      unit_fail(__FILE__, __LINE__, "%s: node %d: TSTreeCursor at %s@%u field %u, cursor at %s@%u field %u", what,
                nodes, ts_node_type(na), ts_node_start_byte(na), ts_tree_cursor_current_field_id(&a),
                ts_node_type(nb), ts_node_start_byte(nb), cursor_field_id(&b));
      bad++;
    }
    nodes += moved;
    bool x = ts_tree_cursor_goto_first_child(&a), y = cursor_first_child(&b);
    CHECK(x == y);
    if (x != y) break;
    moved = x;
    if (x) continue;
    for (;;) {
      x = ts_tree_cursor_goto_next_sibling(&a), y = cursor_next_sibling(&b);
      CHECK(x == y);
      if (x != y || x) break;
      x = ts_tree_cursor_goto_parent(&a), y = cursor_parent(&b);
      CHECK(x == y);
      if (x != y || !x) goto done;
    }
    moved = true;
  }
done:
  ts_tree_cursor_delete(&a);
  cursor_free(&b);
  return nodes;
}

static int lockstep_text(Lang lang, const char *text, size_t len, const char *what) {
  TSParser *p = ts_parser_new();
  ts_parser_set_language(p, parse_language(lang));
  TSTree *t = ts_parser_parse_string(p, NULL, text, (uint32_t)len);
  int nodes = t ? lockstep(t, what) : 0;
  if (t) ts_tree_delete(t);
  ts_parser_delete(p);
  return nodes;
}

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Every golden input of a language: hidden nodes, aliases, extras and
 * fields of every construct the rewrites handle. */
static int lockstep_dir(Lang lang, const char *dir, const char *const *exts) {
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  if (!d) return 0;
  int files = 0;
  for (struct dirent *e; (e = readdir(d));) {
    bool source = false;
    for (int i = 0; exts[i]; i++) source |= has_suffix(e->d_name, exts[i]);
    if (!source) continue;
    char *path = xasprintf("%s/%s", dir, e->d_name);
    size_t len;
    char *text = read_file(path, &len);
    CHECK(text != NULL);
    if (text) CHECK(lockstep_text(lang, text, len, path) > 0);
    free(text), free(path);
    files++;
  }
  closedir(d);
  return files;
}

TEST(cursor_walks_as_ts_tree_cursor_python) {
  static const char *const exts[] = {".py", NULL};
  CHECK(lockstep_dir(LANG_PYTHON, "tests/golden/python", exts) > 20);
}

TEST(cursor_walks_as_ts_tree_cursor_javascript) {
  static const char *const exts[] = {".js", ".mjs", ".cjs", NULL};
  CHECK(lockstep_dir(LANG_JAVASCRIPT, "tests/golden/javascript", exts) > 20);
}

/* Syntax errors (ERROR and MISSING nodes), extras at odd places, an empty
 * file: trees a build does not walk, but the cursor must not go astray. */
TEST(cursor_walks_as_ts_tree_cursor_odd_trees) {
  static const char *const py[] = {"", "# only\n", "def f(:\n  x = (1,\n", "x = [1, # c\n 2]\\\n  + 3\n",
                                   "match p:\n case Point(x=0) | [*_]: pass\n"};
  static const char *const js[] = {"", "/* c */", "let x = ;\nf(", "a?.b.c(/*c*/1)`t${x}`", "class A { #p; get [k]() {} }"};
  for (size_t i = 0; i < sizeof py / sizeof *py; i++) CHECK(lockstep_text(LANG_PYTHON, py[i], strlen(py[i]), py[i]) > 0);
  for (size_t i = 0; i < sizeof js / sizeof *js; i++)
    CHECK(lockstep_text(LANG_JAVASCRIPT, js[i], strlen(js[i]), js[i]) > 0);
}
