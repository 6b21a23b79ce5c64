/* test_cursor.c — cursor.c walks as TSTreeCursor does, step for step. */
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

/* Every golden input of a language (found by the build's own walk): hidden
 * nodes, aliases, extras and fields of every construct the rewrites handle.
 * Returns the files walked. */
static int lockstep_goldens(const char *dir, Lang lang) {
  Vec files = {0}, assets = {0}, deps = {0};
  char *srcs[] = {(char *)dir};
  const char *skips[2] = {NULL, NULL};
  Config cfg = {0};
  walk_sources(srcs, 1, &cfg, skips, &files, &assets, &deps);
  int walked = 0;
  for (int i = 0; i < files.len; i++) {
    const InputFile *f = files.items[i];
    size_t len;
    char *text = f->lang == lang ? read_file(f->abs, &len) : NULL;
    if (!text) continue;
    CHECK(lockstep_text(lang, text, len, f->abs) > 0);
    free(text);
    walked++;
  }
  walk_free(&files), walk_free(&assets), walk_free(&deps);
  return walked;
}

TEST(cursor_walks_as_ts_tree_cursor_python) {
  CHECK(lockstep_goldens("tests/golden/python", LANG_PYTHON) > 20);
}

TEST(cursor_walks_as_ts_tree_cursor_javascript) {
  CHECK(lockstep_goldens("tests/golden/javascript", LANG_JAVASCRIPT) > 20);
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
