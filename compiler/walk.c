/*
 * walk.c — finds the source files of a codebase.
 *
 * Directories are walked with an explicit stack (no recursion: a deep tree
 * cannot exhaust the C stack) and symlinked directories are never entered,
 * so a symlink loop cannot hang the build.  What a developer would not call
 * source is skipped: VCS and tool directories, virtualenvs (any directory
 * holding pyvenv.cfg), what .gitignore files say, and currant.json's
 * include/exclude.  The result is sorted by relative path, which is what
 * makes the manifest independent of directory order and of -j.  Every other
 * regular file the walk keeps is an asset, copied to OUT verbatim: OUT must
 * run as the source tree does, and code reads the files beside it
 * (`require("./prices.json")`, `Path(__file__).parent / "data"`, templates,
 * package.json, whose "type" decides whether a .js file is an ES module).
 * Each source keeps its nearest package.json (JsPackage, shared by the files
 * below it): its "type", and for link.c its "name", "exports", "imports".
 */
#include "currant.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One .gitignore rule, relative to the directory holding the file. */
typedef struct IgnoreRule {
  char *base;    /* directory of the .gitignore, relative to the root ("" for the root) */
  char *pattern; /* glob, without leading '/' or trailing '/' */
  bool negate;   /* "!pattern" re-includes */
  bool dir_only; /* "pattern/" matches directories only */
  bool anchored; /* contains '/': matched against the path below base, not the basename */
  int depth;     /* depth of base: rules are dropped when the walk leaves base */
} IgnoreRule;

static const char *skipped_dirs[] = {
    ".git",        ".hg",           ".svn",        "node_modules", "__pycache__",    ".venv", ".tox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".currant",     ".currant-cache", NULL};

static bool lang_of(const char *name, Lang *lang) {
  const char *dot = strrchr(name, '.');
  if (!dot) return false;
  if (strcmp(dot, ".py") == 0) return *lang = LANG_PYTHON, true;
  if (strcmp(dot, ".js") == 0 || strcmp(dot, ".mjs") == 0 || strcmp(dot, ".cjs") == 0)
    return *lang = LANG_JAVASCRIPT, true;
  return false;
}

static char *join(const char *a, const char *b) {
  if (!*a) return xstrdup(b);
  return xasprintf("%s/%s", a, b);
}

static void load_gitignore(const char *abs_dir, const char *rel_dir, int depth, Vec *rules) {
  char *path = xasprintf("%s/.gitignore", abs_dir);
  size_t len;
  char *text = read_file(path, &len);
  free(path);
  if (!text) return;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = '\0';
    if (!n || line[0] == '#') continue;
    IgnoreRule *r = xcalloc(1, sizeof *r);
    if (line[0] == '!') r->negate = true, line++, n--;
    if (n && line[n - 1] == '/') r->dir_only = true, line[--n] = '\0';
    bool leading_slash = line[0] == '/';
    if (leading_slash) line++;
    r->anchored = leading_slash || strchr(line, '/') != NULL;
    r->pattern = xstrdup(line);
    r->base = xstrdup(rel_dir);
    r->depth = depth;
    vec_push(rules, r);
  }
  free(text);
}

static bool ignored_by_rules(const Vec *rules, const char *rel, bool is_dir) {
  bool ignored = false;
  const char *name = strrchr(rel, '/');
  name = name ? name + 1 : rel;
  for (int i = 0; i < rules->len; i++) {
    IgnoreRule *r = rules->items[i];
    if (r->dir_only && !is_dir) continue;
    size_t bl = strlen(r->base);
    const char *below = bl ? rel + bl + 1 : rel;
    bool hit = r->anchored ? glob_match(r->pattern, below) : glob_match(r->pattern, name);
    if (hit) ignored = !r->negate;
  }
  return ignored;
}

static void drop_rules_below(Vec *rules, int depth) {
  while (rules->len) {
    IgnoreRule *r = rules->items[rules->len - 1];
    if (r->depth < depth) break;
    free(r->base);
    free(r->pattern);
    free(r);
    rules->len--;
  }
}

static bool config_wants(const Config *cfg, const char *rel) {
  for (int i = 0; i < cfg->exclude.len; i++)
    if (glob_match(cfg->exclude.items[i], rel)) return false;
  if (!cfg->include.len) return true;
  for (int i = 0; i < cfg->include.len; i++)
    if (glob_match(cfg->include.items[i], rel)) return true;
  return false;
}

static JsPackage *package_hold(JsPackage *p) {
  if (p) p->refs++;
  return p;
}

static void package_release(JsPackage *p) {
  if (!p || --p->refs > 0) return;
  json_decref(p->json);
  free(p->dir), free(p->name), free(p);
}

static void add_file(Vec *out, const char *abs, const char *rel, Lang lang, JsPackage *pkg,
                     const struct stat *st) {
  InputFile *f = xcalloc(1, sizeof *f);
  f->abs = xstrdup(abs);
  f->rel = xstrdup(rel);
  f->lang = lang;
  f->js_pkg = package_hold(pkg);
  f->size = st->st_size > 0 ? (size_t)st->st_size : 0;
  vec_push(out, f);
}

/* A node_modules directory is not walked (its packages are not the
 * codebase's), but OUT's JavaScript must still find it: the driver links
 * it at its place in OUT, by its real path. */
static void add_dependencies(Vec *deps, const char *abs, const char *rel) {
  char *real = realpath(abs, NULL);
  if (!real) return;
  InputFile *f = xcalloc(1, sizeof *f);
  f->abs = real;
  f->rel = xstrdup(rel);
  vec_push(deps, f);
}

static void input_file_free(InputFile *f) {
  package_release(f->js_pkg);
  free(f->abs), free(f->rel), free(f);
}

/* Where the walk puts what it finds. */
typedef struct Found {
  Vec *sources; /* InputFile* */
  Vec *assets;  /* InputFile*: every other file kept, copied verbatim */
  Vec *deps;    /* InputFile*: node_modules directories, not walked, linked in OUT */
} Found;

/* A pending directory of the walk. */
typedef struct DirItem {
  char *abs;
  char *rel;
  int depth;
  JsPackage *pkg; /* nearest package.json (held): its parent's until it is listed */
} DirItem;

/* DIR/package.json, or NULL when there is none (or it is not a JSON
 * object: Node would refuse it, and the files below keep the package
 * above).  "type": 1 module, 2 commonjs, 0 without one (Node then detects
 * ESM syntax: the names pass does the same). */
static JsPackage *package_load(const char *abs_dir, const char *rel_dir) {
  char *path = xasprintf("%s/package.json", abs_dir);
  json_t *root = json_load_file(path, 0, NULL);
  free(path);
  if (!json_is_object(root)) {
    json_decref(root);
    return NULL;
  }
  JsPackage *p = xcalloc(1, sizeof *p);
  p->dir = xstrdup(rel_dir);
  const char *name = json_string_value(json_object_get(root, "name"));
  p->name = name && *name ? xstrdup(name) : NULL;
  const char *type = json_string_value(json_object_get(root, "type"));
  p->type = !type ? 0 : strcmp(type, "module") == 0 ? 1 : strcmp(type, "commonjs") == 0 ? 2 : 0;
  p->json = root;
  p->refs = 1;
  return p;
}

/* Directories the walk leaves out whatever their name: the build's own
 * output and cache directories when they lie inside a SRC. */
typedef struct Skips {
  struct stat st[2];
  int n;
} Skips;

static bool same_file(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static bool is_skipped(const Skips *skips, const struct stat *st) {
  for (int i = 0; i < skips->n; i++)
    if (same_file(st, &skips->st[i])) return true;
  return false;
}

static void visit_entry(const DirItem *d, const char *name, const Config *cfg, const Skips *skips, Vec *rules,
                        Vec *stack, Found *out) {
  char *abs = xasprintf("%s/%s", d->abs, name);
  char *rel = join(d->rel, name);
  struct stat st;
  if (lstat(abs, &st) < 0) {
    diag_report(DIAG_ERROR, abs, 0, 0, "cannot stat: %s", strerror(errno));
    goto done;
  }
  bool link = S_ISLNK(st.st_mode);
  if (link && stat(abs, &st) < 0) {
    Lang lang;
    if (lang_of(name, &lang))
      diag_report(DIAG_WARNING, abs, 0, 0, "skipped: broken or looping symlink (%s)", strerror(errno));
    goto done;
  }
  if (S_ISDIR(st.st_mode)) {
    if (strcmp(name, "node_modules") == 0 && !is_skipped(skips, &st)) add_dependencies(out->deps, abs, rel);
    bool skip_it = link || is_skipped(skips, &st) || ignored_by_rules(rules, rel, true);
    for (int i = 0; skipped_dirs[i] && !skip_it; i++) skip_it = strcmp(name, skipped_dirs[i]) == 0;
    if (link && !is_skipped(skips, &st)) diag_verbose("not following symlinked directory %s", abs);
    if (!skip_it) {
      DirItem *sub = xcalloc(1, sizeof *sub);
      *sub = (DirItem){xstrdup(abs), xstrdup(rel), d->depth + 1, package_hold(d->pkg)};
      vec_push(stack, sub);
    }
    goto done;
  }
  Lang lang;
  bool wanted = S_ISREG(st.st_mode) && !ignored_by_rules(rules, rel, false) && config_wants(cfg, rel);
  if (wanted && lang_of(name, &lang))
    add_file(out->sources, abs, rel, lang, d->pkg, &st);
  else if (wanted)
    add_file(out->assets, abs, rel, LANG_JAVASCRIPT, NULL, &st);
done:
  free(abs);
  free(rel);
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Reads one directory's entries, sorted, so that subdirectories are pushed
 * in a fixed order whatever readdir returns. */
static Vec list_dir(const DirItem *d) {
  Vec names = {0};
  DIR *dir = opendir(d->abs);
  if (!dir) {
    diag_report(DIAG_ERROR, d->abs, 0, 0, "cannot open directory: %s", strerror(errno));
    return names;
  }
  for (struct dirent *e; (e = readdir(dir));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) vec_push(&names, xstrdup(e->d_name));
  closedir(dir);
  if (names.len) qsort(names.items, (size_t)names.len, sizeof *names.items, cmp_name);
  return names;
}

static bool lists(const Vec *names, const char *name) {
  return names->len && bsearch(&name, names->items, (size_t)names->len, sizeof *names->items, cmp_name);
}

/* What a directory's own files say, read only when its listing has them
 * (probing for the three in each directory was a third of the walk's
 * syscalls): pyvenv.cfg makes it a virtualenv, skipped whole (below the
 * root); package.json is the package of the files below; .gitignore adds
 * rules.  False if the directory is skipped. */
static bool enter_dir(DirItem *d, const Vec *names, Vec *rules) {
  if (d->depth > 0 && lists(names, "pyvenv.cfg")) return false;
  JsPackage *own = lists(names, "package.json") ? package_load(d->abs, d->rel) : NULL;
  if (own) package_release(d->pkg), d->pkg = own;
  if (lists(names, ".gitignore")) load_gitignore(d->abs, d->rel, d->depth, rules);
  return true;
}

static void free_names(Vec *names) {
  for (int i = 0; i < names->len; i++) free(names->items[i]);
  vec_free(names);
}

static void walk_dir(const char *root, const Config *cfg, const Skips *skips, Found *out) {
  Vec stack = {0}, rules = {0};
  DirItem *top = xcalloc(1, sizeof *top);
  *top = (DirItem){xstrdup(root), xstrdup(""), 0, NULL};
  vec_push(&stack, top);
  while (stack.len) {
    DirItem *d = stack.items[--stack.len];
    drop_rules_below(&rules, d->depth);
    Vec names = list_dir(d);
    /* Push in reverse so the smallest name is visited first (depth-first,
     * sorted); rules of a directory stay on the stack while its subtree is
     * walked because its children have a greater depth. */
    int before = stack.len;
    if (enter_dir(d, &names, &rules))
      for (int i = 0; i < names.len; i++) visit_entry(d, names.items[i], cfg, skips, &rules, &stack, out);
    free_names(&names);
    for (int i = before, j = stack.len - 1; i < j; i++, j--) {
      void *t = stack.items[i];
      stack.items[i] = stack.items[j];
      stack.items[j] = t;
    }
    package_release(d->pkg);
    free(d->abs);
    free(d->rel);
    free(d);
  }
  drop_rules_below(&rules, 0);
  vec_free(&rules);
  vec_free(&stack);
}

static int cmp_rel(const void *a, const void *b) {
  const InputFile *x = *(InputFile *const *)a, *y = *(InputFile *const *)b;
  return strcmp(x->rel, y->rel);
}

static void walk_one(const char *src, const Config *cfg, const Skips *skips, Found *out) {
  struct stat st;
  if (stat(src, &st) < 0) {
    diag_report(DIAG_ERROR, src, 0, 0, "cannot read: %s", strerror(errno));
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    walk_dir(src, cfg, skips, out);
    return;
  }
  Lang lang;
  if (!lang_of(src, &lang)) {
    diag_report(DIAG_ERROR, src, 0, 0, "not a Python or JavaScript file (.py, .js, .mjs, .cjs)");
    return;
  }
  const char *base = strrchr(src, '/');
  char *dir = base ? xstrndup(src, (size_t)(base - src)) : xstrdup(".");
  JsPackage *pkg = package_load(dir, "");
  add_file(out->sources, src, base ? base + 1 : src, lang, pkg, &st);
  package_release(pkg);
  free(dir);
}

static void sort_files(Vec *v) {
  if (v->len) qsort(v->items, (size_t)v->len, sizeof *v->items, cmp_rel);
}

/* Two SRCs can yield one output path; the later one is dropped, loudly. */
static void drop_same_paths(Vec *files) {
  int kept = 0;
  for (int i = 0; i < files->len; i++) {
    InputFile *b = files->items[i];
    InputFile *a = kept ? files->items[kept - 1] : NULL;
    if (a && strcmp(a->rel, b->rel) == 0) {
      diag_report(DIAG_ERROR, b->abs, 0, 0, "same output path %s as %s: build them separately", b->rel,
                  a->abs);
      input_file_free(b);
      continue;
    }
    files->items[kept++] = b;
  }
  files->len = kept;
}

/* The source whose rel is rel[0, len), or NULL (sources sorted by rel). */
static const InputFile *find_source(const Vec *sources, const char *rel, size_t len) {
  int lo = 0, hi = sources->len;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    const InputFile *f = sources->items[mid];
    int d = strncmp(f->rel, rel, len);
    if (d == 0 && f->rel[len] == '\0') return f;
    if (d < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* Assets at paths the build writes itself are not copied: the manifest at
 * OUT's root and the source map of a JavaScript source (a compiler's map
 * of the original .js, whose place the map of the rewritten file takes). */
static void drop_shadowed_assets(Vec *assets, const Vec *sources) {
  int kept = 0;
  for (int i = 0; i < assets->len; i++) {
    InputFile *f = assets->items[i];
    size_t n = strlen(f->rel);
    const InputFile *src =
        n > 4 && strcmp(f->rel + n - 4, ".map") == 0 ? find_source(sources, f->rel, n - 4) : NULL;
    bool map = src && src->lang == LANG_JAVASCRIPT;
    if (map || strcmp(f->rel, "currant.graph.json") == 0) {
      diag_verbose("not copied: %s (the build writes its own)", f->abs);
      input_file_free(f);
      continue;
    }
    assets->items[kept++] = f;
  }
  assets->len = kept;
}

int walk_sources(char **srcs, int nsrcs, const Config *cfg, const char *const skip_dirs[2], Vec *out,
                 Vec *assets, Vec *deps) {
  Skips skips = {.n = 0};
  for (int i = 0; i < 2; i++)
    if (skip_dirs[i] && stat(skip_dirs[i], &skips.st[skips.n]) == 0) skips.n++;
  Found found = {out, assets, deps};
  for (int i = 0; i < nsrcs; i++) walk_one(srcs[i], cfg, &skips, &found);
  sort_files(out);
  sort_files(assets);
  sort_files(deps);
  drop_same_paths(out);
  drop_same_paths(assets);
  drop_same_paths(deps);
  drop_shadowed_assets(assets, out);
  return out->len;
}

int walk_package_type(const InputFile *f) { return f->js_pkg ? f->js_pkg->type : 0; }

void walk_free(Vec *files) {
  for (int i = 0; i < files->len; i++) input_file_free(files->items[i]);
  vec_free(files);
}
