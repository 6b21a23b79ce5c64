/* Unit tests for walk.c (.gitignore, skipped directories, virtualenvs,
 * symlink loops, include/exclude), directory globs, and catalogue lookups by
 * form and wildcard (test_glob_catalogue.c has the glob basics). */
#include "currant.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

TEST(glob_directory_pattern_matches_below) {
  CHECK(glob_match("vendor", "vendor/lib/a.js"));
  CHECK(glob_match("app/vendor", "app/vendor/a.js"));
  CHECK(!glob_match("vendor", "app/vendorx/a.js"));
}

static void write_text(const char *path, const char *text) {
  make_parent_dirs(path);
  CHECK_INT(write_file_atomic(path, text, strlen(text)), 0);
}

/* Writes text to each of the NULL-terminated paths below dir. */
static void write_files(const char *dir, const char *const *files, const char *text) {
  for (int i = 0; files[i]; i++) {
    char *p = xasprintf("%s/%s", dir, files[i]);
    write_text(p, text);
    free(p);
  }
}

/* Writes dir/.gitignore. */
static void write_gitignore(const char *dir, const char *text) {
  char *p = xasprintf("%s/.gitignore", dir);
  write_text(p, text);
  free(p);
}

/* Removes a test's directory tree. */
static void remove_dir(const char *dir) {
  char *cmd = xasprintf("rm -rf %s", dir);
  CHECK_INT(system(cmd), 0);
  free(cmd);
}

static char *rels(Vec *files) {
  StrBuf b = {0};
  for (int i = 0; i < files->len; i++)
    str_printf(&b, "%s%s", i ? " " : "", ((InputFile *)files->items[i])->rel);
  walk_free(files);
  return str_take(&b);
}

/* The sources the walk finds under root, or with assets set its assets. */
static char *walk_rels(const char *root, const Config *cfg, const char *skip, bool assets_wanted) {
  Vec files = {0}, assets = {0}, deps = {0};
  char *srcs[] = {(char *)root};
  const char *skips[2] = {skip, NULL};
  walk_sources(srcs, 1, cfg, skips, &files, &assets, &deps);
  char *got = rels(assets_wanted ? &assets : &files);
  walk_free(assets_wanted ? &files : &assets);
  walk_free(&deps);
  return got;
}

static char *walk_to_string(const char *root, const Config *cfg) { return walk_rels(root, cfg, NULL, false); }

TEST(walk_skips_ignored_and_tool_directories) {
  char dir[] = "/tmp/currant-walk-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char *p;
  const char *files[] = {"b.py", "a/c.js", "a/d.mjs", "node_modules/x.js", ".git/y.py", "env/pyvenv.cfg",
                         "env/lib/z.py", "gen/out.js", "notes.txt", "a/keep.cjs", "a/skip.log.js", NULL};
  write_files(dir, files, "x = 1\n");
  write_gitignore(dir, "# generated\ngen/\n*.log.js\n");
  p = xasprintf("%s/loop", dir);
  CHECK_INT(symlink(dir, p), 0); /* a directory symlink loop: never followed */
  free(p);
  Config cfg = {0};
  char *got = walk_to_string(dir, &cfg);
  CHECK_STR(got, "a/c.js a/d.mjs a/keep.cjs b.py");
  free(got);
  vec_push(&cfg.exclude, "a/*.mjs");
  got = walk_to_string(dir, &cfg);
  CHECK_STR(got, "a/c.js a/keep.cjs b.py");
  free(got);
  vec_free(&cfg.exclude);
  remove_dir(dir);
}

/* Every other kept file is an asset (copied to OUT), except where the build
 * writes its own file and in a skipped directory (a cache inside SRC). */
TEST(walk_collects_assets_beside_the_sources) {
  char dir[] = "/tmp/currant-walk-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  const char *files[] = {"app.js",
                         "app.js.map",
                         "tool.py.map",
                         "data/prices.json",
                         "package.json",
                         "currant.graph.json",
                         "sub/currant.graph.json",
                         "cache/index",
                         "ignored.txt",
                         "run.sh",
                         NULL};
  write_files(dir, files, "{}\n");
  write_gitignore(dir, "ignored.txt\n");
  Config cfg = {0};
  char *cache = xasprintf("%s/cache", dir);
  char *got = walk_rels(dir, &cfg, cache, true);
  CHECK_STR(got, ".gitignore data/prices.json package.json run.sh sub/currant.graph.json tool.py.map");
  free(got);
  got = walk_rels(dir, &cfg, NULL, true); /* no cache there: its files are assets like any other */
  CHECK_STR(got,
            ".gitignore cache/index data/prices.json package.json run.sh sub/currant.graph.json tool.py.map");
  free(got);
  free(cache);
  remove_dir(dir);
}

/* node_modules directories are not walked but listed, with their real
 * paths, for the driver to link in OUT: ignored by .gitignore too (the
 * usual case), a symlinked one by its target, none below another. */
TEST(walk_lists_node_modules_for_linking) {
  char dir[] = "/tmp/currant-walk-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  const char *files[] = {"app.js",
                         "node_modules/dep/index.js",
                         "node_modules/dep/node_modules/sub/i.js",
                         "pkg/node_modules/other/i.js",
                         "store/real/i.js",
                         NULL};
  write_files(dir, files, "x = 1\n");
  write_gitignore(dir, "node_modules/\n");
  char *p = xasprintf("%s/web/node_modules", dir);
  char *store = xasprintf("%s/store", dir);
  char *web = xasprintf("%s/web", dir);
  CHECK_INT(mkdir(web, 0777), 0);
  CHECK_INT(symlink(store, p), 0);
  free(p);
  Vec files_found = {0}, assets = {0}, deps = {0};
  char *srcs[] = {dir};
  const char *skips[2] = {NULL, NULL};
  Config cfg = {0};
  walk_sources(srcs, 1, &cfg, skips, &files_found, &assets, &deps);
  CHECK_INT(deps.len, 3);
  char *real = realpath(dir, NULL);
  const char *want_rel[] = {"node_modules", "pkg/node_modules", "web/node_modules"};
  for (int i = 0; i < deps.len && i < 3; i++) {
    InputFile *f = deps.items[i];
    CHECK_STR(f->rel, want_rel[i]);
    char *want_abs = i == 2 ? xasprintf("%s/store", real) : xasprintf("%s/%s", real, want_rel[i]);
    CHECK_STR(f->abs, want_abs);
    free(want_abs);
  }
  free(real), free(store), free(web);
  walk_free(&files_found), walk_free(&assets), walk_free(&deps);
  remove_dir(dir);
}

TEST(catalogue_lookup_exact_wildcard_and_form) {
  CHECK(cat_lookup(LANG_PYTHON, "time.time", CALL_PLAIN) != NULL);
  CHECK(cat_lookup(LANG_PYTHON, "random.choice", CALL_PLAIN) != NULL);
  CHECK(cat_lookup(LANG_PYTHON, "random.Random.choice", CALL_PLAIN) == NULL);
  CHECK(cat_lookup(LANG_PYTHON, "os.environ", CALL_READ) != NULL);
  CHECK(cat_lookup(LANG_PYTHON, "os.environ", CALL_PLAIN) == NULL);
  CHECK(cat_lookup(LANG_JAVASCRIPT, "Date", CALL_NEW) != NULL);
  CHECK(cat_lookup(LANG_JAVASCRIPT, "fs.promises.readFile", CALL_PLAIN) != NULL);
  CHECK(cat_lookup(LANG_JAVASCRIPT, "Map", CALL_NEW) == NULL);
  CHECK_STR(cat_origin(LANG_PYTHON, "open"), "<open>");
  CHECK(cat_origin(LANG_PYTHON, "print") == NULL);
}

