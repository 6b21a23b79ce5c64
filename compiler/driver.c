/*
 * driver.c — runs the pipeline over a codebase: walk, then per-file stages
 * on a pool of worker threads, the whole-codebase stages (link, graph) on
 * one thread in between, and the writes.
 *
 * Workers take the next file from an atomic counter, so the order in which
 * files finish varies with -j; nothing a worker produces depends on that
 * order (modules live at fixed indices, sorted by path), which is what makes
 * the output byte-identical whatever -j.  Every write goes under OUT, through
 * directories that are checked not to be symlinks, and is atomic.
 */
#include "currant.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One parallel phase over the modules. */
typedef struct Phase {
  const char *name;                  /* for the progress line */
  Codebase *cb;                      /* the build */
  void (*run)(Codebase *, Module *); /* per-file work */
  int next;                          /* next module index (atomic) */
  int done;                          /* modules finished (atomic) */
  const char *out_dir;               /* OUT, for the write phase */
  int write_failures;                /* files that could not be written (atomic) */
  Cache *cache;                      /* the build cache, or NULL */
  int mismatch;                      /* (atomic) level 1: an output differs */
  struct DirSet *dirs;               /* directories under OUT already checked (writing, verifying) */
  void (*side)(struct Phase *);      /* whole-codebase work done beside the files, or NULL */
  int side_taken;                    /* (atomic) a worker took side */
  int workers;                       /* (atomic) workers started */
  char *manifest_digest;             /* side's result: the manifest's digest_hex (NULL: not wanted) */
  int side_rc;                       /* side's result: 0 or -1 */
  Linker *linker;                    /* for the link phases */
  const int *order;                  /* module indices in the order to take them, or NULL: 0, 1, ... */
} Phase;

static __thread Phase *current_phase;
static __thread int current_index; /* index of the module being run */

static void run_side(Phase *p) {
  if (p->side && !__atomic_exchange_n(&p->side_taken, 1, __ATOMIC_ACQ_REL)) p->side(p);
}

static void *phase_worker(void *arg) {
  Phase *p = arg;
  current_phase = p;
  int total = p->cb->modules.len;
  /* The second worker starts with the side work, which then overlaps the
   * files; a worker alone does it last, where a serial step would be. */
  if (__atomic_fetch_add(&p->workers, 1, __ATOMIC_RELAXED) == 1) run_side(p);
  for (;;) {
    int i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
    if (i >= total) break;
    if (p->order) i = p->order[i];
    current_index = i;
    p->run(p->cb, p->cb->modules.items[i]);
    int done = __atomic_add_fetch(&p->done, 1, __ATOMIC_RELAXED);
    if (p->name && total >= 200 && (done % 64 == 0 || done == total)) diag_progress(p->name, done, total);
  }
  run_side(p);
  parse_thread_done();
  return NULL;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_phase_threads(Phase *p, int jobs) {
  int n = jobs < p->cb->modules.len ? jobs : p->cb->modules.len;
  if (n <= 1) {
    phase_worker(p);
    return;
  }
  pthread_t *threads = xcalloc((size_t)n, sizeof *threads);
  int started = 0;
  for (; started < n; started++)
    if (pthread_create(&threads[started], NULL, phase_worker, p) != 0) break;
  if (started == 0) phase_worker(p);
  for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
  free(threads);
}

/* Runs a phase; -v reports its wall time (where a build spends it). */
static void run_phase(Phase *p, int jobs) {
  double t0 = now_seconds();
  run_phase_threads(p, jobs);
  diag_verbose("%s: %.3f s", p->name, now_seconds() - t0);
}

/* ---- per-file stages ---------------------------------------------------- */

/* Parses m (its text, when already read) and runs the names pass. */
static void parse_and_name(Module *m) {
  if (m->text)
    parse_source(m);
  else
    parse_module(m);
  if (m->status != MOD_OK) return;
  if (m->lang == LANG_PYTHON)
    names_python(m);
  else
    names_javascript(m);
}

/* With a cache, m is loaded from it when unchanged; else parsed and named,
 * its state kept for the next build.  Its reports wait in the cache until
 * every file is settled (cache_replay_analysis), then are printed in file
 * order. */
static void analyse(Codebase *cb, Module *m) {
  (void)cb;
  if (!m->cache) {
    parse_and_name(m);
    return;
  }
  if (cache_load(m)) return;
  Vec diags = {0};
  diag_defer(&diags);
  parse_and_name(m);
  diag_defer(NULL);
  cache_keep_names(m, &diags);
}

/* A module's later stages (boundaries, bridge, rewrite) read only what its
 * names pass recorded (Call shapes, Module.py, Module.js), so a build drops
 * its tree right away: trees are most of a build's memory, and fresh pages
 * cost the kernel more to zero than the parse costs.  The tree lives from
 * parse to drop in this thread's arena (arena.c), reused file after file.
 * `currantc check` keeps its trees for its own walks. */
static void analyse_for_build(Codebase *cb, Module *m) {
  arena_open();
  analyse(cb, m);
  parse_drop_tree(m);
}

static void instrument(Codebase *cb, Module *m) {
  bound_module(cb, m);
  if (m->status != MOD_OK || (m->nsites == 0 && m->nbridges == 0)) return;
  EditList edits = {0};
  if (m->lang == LANG_PYTHON)
    rewrite_python(m, &edits);
  else
    rewrite_javascript(m, &edits);
  if (edits.len && splice_apply(m, &edits) < 0) {
    free(m->out_text), m->out_text = NULL;
    free(m->source_map), m->source_map = NULL;
  }
  edit_free(&edits);
}

/* With a cache, m's sites and output are reused when its entry allows, else
 * what instrumenting reports is kept for the next build. */
static void instrument_for_build(Codebase *cb, Module *m) {
  if (!m->cache) {
    instrument(cb, m);
  } else if (!cache_reuse(m)) {
    Vec diags = {0};
    diag_defer(&diags);
    instrument(cb, m);
    diag_defer(NULL);
    diag_replay(&diags);
    cache_keep_build(m, &diags);
  }
}

/* m's manifest records are final once it is instrumented.  With several
 * jobs they are made here, in parallel, so that the write phase only
 * assembles the manifest beside the files; a serial build writes them
 * straight into the manifest instead of holding them all (the manifest's
 * size: 68 MB for the stdlib) until then. */
static void instrument_and_describe(Codebase *cb, Module *m) {
  instrument_for_build(cb, m);
  manifest_module_part(m);
}

/* True if some directory between out_dir and path (exclusive) is a symlink:
 * writing through it could land outside OUT. */
static bool path_crosses_symlink(const char *out_dir, const char *path) {
  size_t base = strlen(out_dir);
  char *p = xstrdup(path);
  bool crosses = false;
  for (char *s = strchr(p + base + 1, '/'); s && !crosses; s = strchr(s + 1, '/')) {
    *s = '\0';
    struct stat st;
    crosses = lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
    *s = '/';
  }
  free(p);
  return crosses;
}

/* True if path is a regular file holding exactly data: writing it again
 * would change nothing but its time stamp (and cost a rebuild its time). */
static bool holds(const char *path, const char *data, size_t len) {
  struct stat st;
  if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len) return false;
  size_t n;
  char *old = read_file(path, &n);
  bool same = old && n == len && memcmp(old, data, len) == 0;
  free(old);
  return same;
}

/* The directories of OUT a write phase has already checked (no symlink on
 * the way) and created: the files of one directory, thousands of them in a
 * big codebase, then skip an lstat and a mkdir per path component. */
typedef struct DirSet {
  pthread_mutex_t lock;
  Vec dirs; /* char*: relative to OUT, most recent last */
} DirSet;

static size_t dir_len(const char *rel) {
  const char *slash = strrchr(rel, '/');
  return slash ? (size_t)(slash - rel) : 0;
}

/* How many of the most recent directories dirs_has looks at. */
#define DIRS_RECENT 64

/* True if rel's directory was checked recently.  Only the last
 * DIRS_RECENT directories are searched: at -j1 files come sorted by path,
 * so a directory's files follow each other; at -j>1 (largest first) less
 * so, and a miss costs the checks again, never a wrong answer; a codebase
 * of 10,000 directories does not make every write scan them all. */
static bool dirs_has(DirSet *ds, const char *rel) {
  size_t n = dir_len(rel);
  bool found = false;
  pthread_mutex_lock(&ds->lock);
  int oldest = ds->dirs.len > DIRS_RECENT ? ds->dirs.len - DIRS_RECENT : 0;
  for (int i = ds->dirs.len - 1; i >= oldest && !found; i--) {
    const char *d = ds->dirs.items[i];
    found = strncmp(d, rel, n) == 0 && d[n] == '\0';
  }
  pthread_mutex_unlock(&ds->lock);
  return found;
}

static void dirs_add(DirSet *ds, const char *rel) {
  char *d = xstrndup(rel, dir_len(rel));
  pthread_mutex_lock(&ds->lock);
  vec_push(&ds->dirs, d);
  pthread_mutex_unlock(&ds->lock);
}

static void dirs_free(DirSet *ds) {
  for (int i = 0; i < ds->dirs.len; i++) free(ds->dirs.items[i]);
  vec_free(&ds->dirs);
  pthread_mutex_destroy(&ds->lock);
}

/* OUT/rel, if a build may write there: not outside OUT, through no
 * symlink inside it, its directory created.  NULL (reported) otherwise.
 * The checks are skipped for a directory ds lists; rel's is listed once
 * the caller has written (dirs_add). */
static char *output_path(const char *out_dir, DirSet *ds, const char *rel, bool *checked) {
  if (!path_is_plain(rel)) {
    diag_report(DIAG_ERROR, rel, 0, 0, "refusing to write outside the output directory");
    return NULL;
  }
  char *path = xasprintf("%s/%s", out_dir, rel);
  *checked = dirs_has(ds, rel);
  if (!*checked && path_crosses_symlink(out_dir, path))
    diag_report(DIAG_ERROR, path, 0, 0, "refusing to write through a symlink inside the output directory");
  else if (!*checked && make_parent_dirs(path) < 0)
    diag_report(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
  else
    return path;
  free(path);
  return NULL;
}

/* Writes OUT/rel unless it already holds data. */
static int write_output(const char *out_dir, DirSet *ds, const char *rel, const char *data, size_t len) {
  bool checked;
  char *path = output_path(out_dir, ds, rel, &checked);
  if (!path) return -1;
  int rc = 0;
  if (!holds(path, data, len) && write_file_atomic(path, data, len) < 0) {
    diag_report(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
    rc = -1;
  }
  if (rc == 0 && !checked) dirs_add(ds, rel);
  free(path);
  return rc;
}

static void write_module(Codebase *cb, Module *m) {
  (void)cb;
  Phase *p = current_phase;
  const char *data = m->out_text ? m->out_text : m->text;
  size_t len = m->out_text ? m->out_len : m->len;
  int rc = write_output(p->out_dir, p->dirs, m->file->rel, data, len);
  if (rc == 0 && m->source_map) {
    char *map_rel = xasprintf("%s.map", m->file->rel);
    rc = write_output(p->out_dir, p->dirs, map_rel, m->source_map, strlen(m->source_map));
    free(map_rel);
  }
  if (rc < 0) __atomic_add_fetch(&p->write_failures, 1, __ATOMIC_RELAXED);
  if (m->cache) cache_seal(m);
}

/* The other files go to OUT verbatim, so that the instrumented tree runs
 * as the original does: data files the code reads beside it, and
 * package.json, whose "type" Node needs to load the tree the same way.
 * Copied in chunks (a data file can be any size), unless OUT already holds
 * the same bytes. */
static void copy_asset(const char *out_dir, DirSet *ds, const InputFile *f) {
  bool checked;
  char *path = output_path(out_dir, ds, f->rel, &checked);
  if (!path) return;
  char want[DIGEST_HEX + 1], have[DIGEST_HEX + 1];
  if (digest_file(f->abs, want) < 0)
    diag_report(DIAG_WARNING, f->abs, 0, 0, "cannot read: %s", strerror(errno));
  else if ((digest_file(path, have) < 0 || memcmp(want, have, DIGEST_HEX) != 0) &&
           copy_file_atomic(f->abs, path) < 0)
    diag_report(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
  else if (!checked)
    dirs_add(ds, f->rel);
  free(path);
}

static void copy_assets(const Vec *assets, const char *out_dir) {
  DirSet dirs = {.lock = PTHREAD_MUTEX_INITIALIZER};
  for (int i = 0; i < assets->len; i++) copy_asset(out_dir, &dirs, assets->items[i]);
  dirs_free(&dirs);
}

/* A node_modules directory of the sources is linked at its place in OUT,
 * by its real path: the build does not copy packages, and OUT's JavaScript
 * still finds them wherever OUT lies; `currant run` keeps the link in the
 * bundles it freezes.  An entry of that name in OUT that is not a symlink
 * (the user's own directory) is left alone. */
static void link_dependency(const char *out_dir, DirSet *ds, const InputFile *f) {
  bool checked;
  char *path = output_path(out_dir, ds, f->rel, &checked);
  if (!path) return;
  char have[PATH_MAX];
  struct stat st;
  ssize_t n = readlink(path, have, sizeof have - 1);
  if (n >= 0) have[n] = '\0';
  if (n < 0 && lstat(path, &st) == 0)
    diag_verbose("%s is not a symlink: left alone, not linked to %s", path, f->abs);
  else if ((n < 0 || strcmp(have, f->abs) != 0) && symlink_atomic(f->abs, path) < 0)
    diag_report(DIAG_ERROR, path, 0, 0, "cannot link to %s: %s", f->abs, strerror(errno));
  free(path);
}

static void link_dependencies(const Vec *deps, const char *out_dir) {
  DirSet dirs = {.lock = PTHREAD_MUTEX_INITIALIZER};
  for (int i = 0; i < deps->len; i++) link_dependency(out_dir, &dirs, deps->items[i]);
  dirs_free(&dirs);
}

/* ---- the build ---------------------------------------------------------- */

static char *python_module_name(const char *rel) {
  char *s = xstrdup(rel);
  size_t n = strlen(s);
  if (n > 3 && strcmp(s + n - 3, ".py") == 0) s[n - 3] = '\0';
  for (char *p = s; *p; p++)
    if (*p == '/') *p = '.';
  n = strlen(s);
  if (n >= 9 && strcmp(s + n - 9, ".__init__") == 0)
    s[n - 9] = '\0';
  else if (strcmp(s, "__init__") == 0)
    s[0] = '\0';
  return s;
}

static Module *module_new(InputFile *f) {
  Module *m = xcalloc(1, sizeof *m);
  m->file = f;
  m->lang = f->lang;
  m->name = f->lang == LANG_PYTHON ? python_module_name(f->rel) : xstrdup(f->rel);
  return m;
}

static void free_strvec(Vec *v) {
  for (int i = 0; i < v->len; i++) free(v->items[i]);
  vec_free(v);
}

/* A vector of names: its items belong to m->strings when that is set. */
static void free_names(const Module *m, Vec *v) {
  if (m->strings)
    vec_free(v);
  else
    free_strvec(v);
}

static void call_free(const Module *m, Call *c) {
  free(c->text);
  free(c->ref.path);
  free(c->ref.reason);
  free_names(m, &c->uses);
  free_names(m, &c->assigned);
  free(c->canonical);
  free(c->site_id);
  free(c);
}

void driver_clear_module(Module *m) {
  for (int i = 0; i < m->defs.len; i++) {
    Def *d = m->defs.items[i];
    free(d->name), free(d->qualname), free(d->ret_origin), free_names(m, &d->locals), free(d);
  }
  for (int i = 0; i < m->imports.len; i++) {
    Import *imp = m->imports.items[i];
    free(imp->local), free(imp->spec), free(imp->name), free(imp);
  }
  for (int i = 0; i < m->calls.len; i++) call_free(m, m->calls.items[i]);
  for (int i = 0; i < m->assigns.len; i++) {
    Assign *a = m->assigns.items[i];
    free_names(m, &a->targets), free_names(m, &a->sources), free(a);
  }
  for (int i = 0; i < m->exports.len; i++) {
    Export *e = m->exports.items[i];
    free(e->name), free(e);
  }
  for (int i = 0; i < m->errors.len; i++) {
    SyntaxError *e = m->errors.items[i];
    free(e->message), free(e);
  }
  for (int i = 0; i < m->aliases.len; i++) names_alias_free(m->aliases.items[i]);
  vec_free(&m->defs), vec_free(&m->imports), vec_free(&m->calls), vec_free(&m->assigns);
  vec_free(&m->exports), vec_free(&m->errors), vec_free(&m->aliases);
  if (m->py) free(m->py->tops), free(m->py->stmts), free(m->py->parts), free(m->py->eqs), free(m->py);
  if (m->js) free(m->js->calls), free(m->js->links), free(m->js->chains), free(m->js->bridges), free(m->js);
  free_names(m, &m->globals);
  for (int i = 0; i < m->scopes.len; i++) free_names(m, m->scopes.items[i]), free(m->scopes.items[i]);
  vec_free(&m->scopes);
  names_strings_free(m->strings);
  if (m->tree) ts_tree_delete(m->tree);
  free(m->out_text), free(m->source_map);
  for (int k = 0; k < 3; k++) free(m->manifest_part[k]);
  Module kept = {
      .file = m->file, .lang = m->lang, .name = m->name, .text = m->text, .len = m->len, .cache = m->cache};
  memcpy(kept.sha256, m->sha256, sizeof kept.sha256);
  *m = kept;
}

static void module_free(Module *m) {
  driver_clear_module(m);
  free(m->name), free(m->text);
  free(m);
}

/* The directory currant.json is read from: the first SRC if it is a
 * directory, else the directory holding it. */
static char *config_root(const char *src) {
  struct stat st;
  if (stat(src, &st) == 0 && S_ISDIR(st.st_mode)) return xstrdup(src);
  const char *slash = strrchr(src, '/');
  return slash ? xstrndup(src, (size_t)(slash - src)) : xstrdup(".");
}

/* Creates OUT (and its parents) and refuses OUT equal to a SRC directory or
 * holding one: the build would overwrite the code it reads.  Returns 0 or
 * the exit status. */
static int check_out_dir(const BuildOptions *opt) {
  char out_real[PATH_MAX], src_real[PATH_MAX];
  char *inside = xasprintf("%s/.", opt->out); /* make_parent_dirs creates OUT itself */
  int made = make_parent_dirs(inside);
  free(inside);
  if (made < 0 || !realpath(opt->out, out_real)) {
    diag_report(DIAG_ERROR, opt->out, 0, 0, "cannot create output directory: %s", strerror(errno));
    return EXIT_FATAL;
  }
  size_t n = strlen(out_real);
  for (int i = 0; i < opt->nsrcs; i++) {
    if (!realpath(opt->srcs[i], src_real)) continue;
    if (strncmp(src_real, out_real, n) == 0 && (src_real[n] == '\0' || src_real[n] == '/')) {
      diag_report(DIAG_ERROR, opt->srcs[i], 0, 0,
                  "source is inside the output directory %s: choose another -o", opt->out);
      return EXIT_USAGE;
    }
  }
  return 0;
}

/* The graph and the manifest: whole-codebase work that reads what the
 * instrument phase left (sites, manifest parts) and nothing the write
 * phase changes, so it runs beside the files' writes. */
static void write_graph(Phase *p) {
  double t0 = now_seconds();
  Graph g = {0};
  graph_build(p->cb, &g);
  p->side_rc = manifest_write(p->cb, &g, p->out_dir, p->manifest_digest);
  graph_free(&g);
  diag_verbose("graph and manifest: %.3f s", now_seconds() - t0);
}

/* Writes the files and the manifest; the manifest's digest goes to
 * manifest_digest unless NULL (for the cache). */
static int finish_build(Codebase *cb, const BuildOptions *opt, const int *order, char *manifest_digest) {
  DirSet dirs = {.lock = PTHREAD_MUTEX_INITIALIZER};
  Phase emit = {.name = "writing",
                .order = order,
                .cb = cb,
                .run = write_module,
                .out_dir = opt->out,
                .dirs = &dirs,
                .side = write_graph,
                .manifest_digest = manifest_digest};
  run_phase(&emit, opt->jobs);
  dirs_free(&dirs);
  if (emit.side_rc < 0 || emit.write_failures) return EXIT_FATAL;
  return diag_error_count() ? EXIT_INPUT_ERRORS : EXIT_OK;
}

/* What one run of the pipeline holds from walk to the end. */
typedef struct BuildRun {
  Config cfg;   /* currant.json */
  Vec files;    /* InputFile*: sources */
  Vec assets;   /* InputFile*: the other files, copied verbatim */
  Vec deps;     /* InputFile*: node_modules directories, linked in OUT */
  Codebase cb;  /* modules, in files' order */
  Cache *cache; /* the build cache, or NULL */
  int *order;   /* with several jobs: the modules, largest file first (NULL: in order) */
} BuildRun;

static int size_cmp(const void *pa, const void *pb, void *arg) {
  const InputFile *const *files = arg;
  int a = *(const int *)pa, b = *(const int *)pb;
  size_t x = files[a]->size, y = files[b]->size;
  return x != y ? (x < y) - (x > y) : (a > b) - (a < b);
}

/* Workers take the largest files first, so that a phase does not end on
 * one thread parsing a big file while the others wait.  With one job the
 * files go in order: diagnostics print as they come, in file order. */
static int *largest_first(const Vec *files, int jobs) {
  if (jobs <= 1) return NULL;
  int *order = xmalloc(((size_t)files->len + 1) * sizeof *order);
  for (int i = 0; i < files->len; i++) order[i] = i;
  qsort_r(order, (size_t)files->len, sizeof *order, size_cmp, files->items);
  return order;
}

static void new_modules(BuildRun *r) {
  for (int i = 0; i < r->files.len; i++) vec_push(&r->cb.modules, module_new(r->files.items[i]));
}

/* Loads the config and walks the sources.  Returns 0 or an exit status. */
static int run_walk(BuildRun *r, const BuildOptions *opt, const char *skip_dir) {
  *r = (BuildRun){0};
  char *root = config_root(opt->srcs[0]);
  int cfg_rc = config_load(root, &r->cfg);
  free(root);
  if (cfg_rc < 0) {
    config_free(&r->cfg);
    return EXIT_USAGE;
  }
  const char *skip_dirs[2] = {skip_dir, skip_dir ? opt->cache_dir : NULL};
  walk_sources(opt->srcs, opt->nsrcs, &r->cfg, skip_dirs, &r->files, &r->assets, &r->deps);
  r->cb.config = &r->cfg;
  r->order = largest_first(&r->files, opt->jobs);
  new_modules(r);
  diag_verbose("%d source files, %d other files to copy beside them", r->files.len, r->assets.len);
  return 0;
}

static void link_module_imports(Codebase *cb, Module *m) {
  (void)cb, (void)m;
  link_imports(current_phase->linker, current_index);
}

static void link_module_calls(Codebase *cb, Module *m) {
  (void)cb, (void)m;
  link_calls(current_phase->linker, current_index);
}

/* link_codebase, each of its two steps on the worker threads. */
static void run_link(Codebase *cb, int jobs) {
  double t0 = now_seconds();
  Phase imports = {.cb = cb, .run = link_module_imports, .linker = link_begin(cb)};
  run_phase_threads(&imports, jobs);
  Phase calls = {.cb = cb, .run = link_module_calls, .linker = imports.linker};
  run_phase_threads(&calls, jobs);
  link_end(imports.linker);
  diag_verbose("linking: %.3f s", now_seconds() - t0);
}

/* The analyse phase (run: analyse, or analyse_for_build) and the link:
 * what build and check share. */
static void run_analyse(BuildRun *r, int jobs, void (*run)(Codebase *, Module *)) {
  Phase analysis = {.name = "parsing", .cb = &r->cb, .run = run, .order = r->order};
  run_phase(&analysis, jobs);
  run_link(&r->cb, jobs);
}

static int run_open(BuildRun *r, const BuildOptions *opt, const char *skip_dir) {
  int rc = run_walk(r, opt, skip_dir);
  if (rc == 0) run_analyse(r, opt->jobs, analyse);
  return rc;
}

static void free_module(Codebase *cb, Module *m) {
  (void)cb;
  module_free(m);
}

/* Frees the modules on the worker threads: millions of small blocks, a
 * serial tail of the build otherwise.  No name: no progress line. */
static void free_modules(BuildRun *r, int jobs) {
  Phase freeing = {.name = NULL, .cb = &r->cb, .run = free_module};
  run_phase_threads(&freeing, jobs);
  vec_free(&r->cb.modules);
}

/* A build's process exits right after it (main), which gives its memory
 * back to the kernel in one piece: freeing millions of small blocks first
 * only costs time (0.7% of a stdlib build), as clang's -disable-free says.
 * Under AddressSanitizer the modules are still freed, so that its leak
 * check sees anything a build would lose. */
#if defined(__SANITIZE_ADDRESS__)
enum { FREE_MODULES_AT_EXIT = 1 };
#else
enum { FREE_MODULES_AT_EXIT = 0 };
#endif

static void run_close(BuildRun *r, int jobs) {
  if (FREE_MODULES_AT_EXIT) free_modules(r, jobs);
  cache_free(r->cache);
  free(r->order);
  walk_free(&r->files);
  walk_free(&r->assets);
  walk_free(&r->deps);
  config_free(&r->cfg);
}

static void report_totals(const Codebase *cb, const char *out) {
  int sites = 0, instrumented = 0;
  for (int i = 0; i < cb->modules.len; i++) {
    const Module *m = cb->modules.items[i];
    sites += m->nsites;
    instrumented += m->out_text != NULL;
  }
  diag_verbose("%d files instrumented, %d sites, output in %s", instrumented, sites, out);
}

/* ---- the build cache (cache.c) ------------------------------------------ */

static Cache *open_cache(const BuildOptions *opt, const Config *cfg) {
  if (opt->no_cache) return NULL;
  char build_id[65];
  bool known = cache_build_id(build_id);
  char *dir = opt->cache_dir ? xstrdup(opt->cache_dir) : xasprintf("%s/.currant-cache", opt->out);
  Cache *c = cache_open(dir, opt->out, cfg, known ? build_id : NULL);
  free(dir);
  return c;
}

/* Reads and hashes m's text, what the cache compares.  An unreadable file
 * keeps text NULL: parse_module reports it. */
static void read_source(Codebase *cb, Module *m) {
  (void)cb;
  m->text = read_file(m->file->abs, &m->len);
  if (m->text) sha256_hex(m->text, m->len, m->sha256);
}

/* True if no directory between out_dir and path is a symlink.  With ds,
 * a directory it lists is not checked again, and rel's is listed. */
static bool reached_directly(const char *out_dir, DirSet *ds, const char *rel, const char *path) {
  if (ds && dirs_has(ds, rel)) return true;
  if (path_crosses_symlink(out_dir, path)) return false;
  if (ds) dirs_add(ds, rel);
  return true;
}

/* OUT/rel if it is a regular file reached through no symlink (a build
 * would refuse to write there), else NULL.  ds as reached_directly. */
static char *existing_output(const char *out_dir, DirSet *ds, const char *rel) {
  char *path = xasprintf("%s/%s", out_dir, rel);
  struct stat st;
  if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && reached_directly(out_dir, ds, rel, path)) return path;
  free(path);
  return NULL;
}

/* driver_read_output, the directory checks remembered in ds (or NULL). */
static char *read_output(const char *out_dir, DirSet *ds, const char *rel, const char *want, size_t *len) {
  char *path = want ? existing_output(out_dir, ds, rel) : NULL, got[DIGEST_HEX + 1];
  char *data = path ? read_file(path, len) : NULL;
  if (data) digest_hex(data, *len, got);
  if (data && memcmp(got, want, DIGEST_HEX) != 0) free(data), data = NULL;
  free(path);
  return data;
}

char *driver_read_output(const char *out_dir, const char *rel, const char *want, size_t *len) {
  return read_output(out_dir, NULL, rel, want, len);
}

/* True if OUT/rel is an existing_output whose digest is want, read in
 * chunks (a copied data file can be any size). */
static bool output_has_hash(const char *out_dir, DirSet *ds, const char *rel, const char *want) {
  char *path = want ? existing_output(out_dir, ds, rel) : NULL, got[DIGEST_HEX + 1];
  bool same = path && digest_file(path, got) == 0 && memcmp(got, want, DIGEST_HEX) == 0;
  free(path);
  return same;
}

static void verify_output(Codebase *cb, Module *m) {
  (void)cb;
  Phase *p = current_phase;
  const char *map = cache_output_hash(p->cache, current_index, true);
  char *map_rel = xasprintf("%s.map", m->file->rel);
  bool same =
      output_has_hash(p->out_dir, p->dirs, m->file->rel, cache_output_hash(p->cache, current_index, false)) &&
      (!map || output_has_hash(p->out_dir, p->dirs, map_rel, map));
  free(map_rel);
  if (!same) __atomic_store_n(&p->mismatch, 1, __ATOMIC_RELAXED);
}

/* The manifest, the largest output, is hashed beside the files. */
static void verify_manifest(Phase *p) {
  if (!output_has_hash(p->out_dir, NULL, "currant.graph.json", cache_output_hash(p->cache, -1, false)))
    __atomic_store_n(&p->mismatch, 1, __ATOMIC_RELAXED);
}

/* Level 1: the sources, config, compiler and OUT are exactly what the last
 * build recorded, so its diagnostics are replayed and nothing is rebuilt.
 * Reads every source either way (the analyse phase uses the texts). */
static bool build_unchanged(BuildRun *r, const BuildOptions *opt) {
  Phase reading = {.name = "reading", .cb = &r->cb, .run = read_source};
  run_phase(&reading, opt->jobs);
  if (!cache_inputs_unchanged(r->cache, &r->cb, &r->assets)) return false;
  DirSet dirs = {.lock = PTHREAD_MUTEX_INITIALIZER};
  Phase verifying = {.name = "verifying",
                     .cb = &r->cb,
                     .run = verify_output,
                     .out_dir = opt->out,
                     .cache = r->cache,
                     .dirs = &dirs,
                     .side = verify_manifest};
  run_phase(&verifying, opt->jobs);
  bool same = !verifying.mismatch;
  for (int i = 0; same && i < r->assets.len; i++)
    same = output_has_hash(opt->out, &dirs, ((InputFile *)r->assets.items[i])->rel,
                           cache_asset_hash(r->cache, i));
  dirs_free(&dirs);
  int totals[2];
  if (!same || !cache_replay(r->cache, &r->cb, totals)) return false;
  diag_verbose("no change since the last build: %d files checked, nothing rebuilt", r->cb.modules.len);
  diag_verbose("%d files instrumented, %d sites, output in %s", totals[0], totals[1], opt->out);
  return true;
}

/* Level 2: analyse (loading what the cache holds), link, settle (a loaded
 * file's link digest tells whether its sites and output are reused; nothing
 * is parsed again: what the rewrite needs was loaded with its names state);
 * then the analyse diagnostics, once. */
static void analyse_cached(BuildRun *r, int jobs) {
  cache_attach(r->cache, &r->cb);
  run_analyse(r, jobs, analyse_for_build);
  Phase settling = {.name = "settling", .cb = &r->cb, .run = cache_settle, .order = r->order};
  run_phase(&settling, jobs);
  cache_replay_analysis(r->cache);
}

/* Build-wide reports (cross-language problems) name other files in their
 * messages: the cache does not replay them, it notes that there were some.
 * Nothing else runs meanwhile, so the counts tell. */
static void report_bridges(BuildRun *r) {
  int before = diag_error_count() + diag_warning_count();
  bridge_report(&r->cb);
  if (r->cache) cache_note_build_wide(r->cache, diag_error_count() + diag_warning_count() > before);
}

static void save_cache(BuildRun *r, const char *manifest_digest) {
  double t0 = now_seconds();
  cache_save(r->cache, &r->cb, &r->assets, manifest_digest);
  diag_verbose("saving the cache: %.3f s", now_seconds() - t0);
}

/* ---- what the last build wrote and this one did not --------------------- */

static int cmp_str_ptr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The paths under OUT this build wrote, sorted: sources, their maps, the
 * copied files.  The map names are allocated (freed by the caller from
 * maps). */
static Vec written_paths(const Codebase *cb, const Vec *assets, Vec *maps) {
  Vec v = {0};
  for (int i = 0; i < cb->modules.len; i++) {
    const Module *m = cb->modules.items[i];
    vec_push(&v, m->file->rel);
    if (!m->source_map) continue;
    char *map_rel = xasprintf("%s.map", m->file->rel);
    vec_push(maps, map_rel);
    vec_push(&v, map_rel);
  }
  for (int i = 0; i < assets->len; i++) vec_push(&v, ((InputFile *)assets->items[i])->rel);
  if (v.len) qsort(v.items, (size_t)v.len, sizeof *v.items, cmp_str_ptr);
  return v;
}

/* Removes OUT/rel's directory and its parents up to OUT while empty: an
 * empty directory left where a package was would still import in Python
 * (as a namespace package), where the sources no longer have it. */
static void remove_empty_dirs(const char *out_dir, char *path) {
  size_t base = strlen(out_dir);
  for (char *slash = strrchr(path, '/'); slash && (size_t)(slash - path) > base; slash = strrchr(path, '/')) {
    *slash = '\0';
    if (rmdir(path) != 0) return;
  }
}

/* OUT/o->rel, if it still holds what the last build wrote there, is
 * removed; true if it was.  Anything else there (changed since, a link,
 * reached through a link) is left alone, with a -v note. */
static bool remove_stale(const char *out_dir, const OldOutput *o) {
  if (!path_is_plain(o->rel)) return false;
  char *path = xasprintf("%s/%s", out_dir, o->rel);
  struct stat st;
  char have[DIGEST_HEX + 1];
  bool ours = lstat(path, &st) == 0 && S_ISREG(st.st_mode) && !path_crosses_symlink(out_dir, path) &&
              digest_file(path, have) == 0 && memcmp(have, o->digest, DIGEST_HEX) == 0;
  bool removed = ours && unlink(path) == 0;
  if (removed)
    remove_empty_dirs(out_dir, path);
  else if (lstat(path, &st) == 0)
    diag_verbose("%s: its source is gone, but it changed since the last build wrote it: left", path);
  free(path);
  return removed;
}

/* A source removed (or renamed, or no longer walked) since the last build
 * would leave its old output in OUT, and OUT must run as the sources do
 * (an import of the removed module must fail there too).  So what the
 * last build recorded writing and this one did not is removed, when it
 * still holds the bytes written.  Needs the cache's index (also one of
 * another compiler or config): without one (--no-cache, a first build,
 * another cache format) nothing is known to be ours, and nothing is
 * removed. */
static void remove_stale_outputs(const BuildRun *r, const char *out_dir) {
  Vec old = {0}, maps = {0};
  cache_last_outputs(r->cache, &old);
  Vec now = written_paths(&r->cb, &r->assets, &maps);
  int removed = 0;
  for (int i = 0; i < old.len; i++) {
    OldOutput *o = old.items[i];
    if (!bsearch(&o->rel, now.items, (size_t)now.len, sizeof *now.items, cmp_str_ptr))
      removed += remove_stale(out_dir, o);
    free(o->rel), free(o);
  }
  if (removed) diag_verbose("removed %d outputs whose sources are gone", removed);
  for (int i = 0; i < maps.len; i++) free(maps.items[i]);
  vec_free(&maps), vec_free(&now), vec_free(&old);
}

/* ---- building, with or without the cache -------------------------------- */

static int build_all(BuildRun *r, const BuildOptions *opt) {
  if (r->cache)
    analyse_cached(r, opt->jobs);
  else
    run_analyse(r, opt->jobs, analyse_for_build);
  copy_assets(&r->assets, opt->out);
  report_bridges(r);
  Phase instrumenting = {.name = "instrumenting",
                         .cb = &r->cb,
                         .run = opt->jobs > 1 ? instrument_and_describe : instrument_for_build,
                         .order = r->order};
  run_phase(&instrumenting, opt->jobs);
  if (r->cache) cache_report(r->cache);
  char manifest_digest[DIGEST_HEX + 1];
  int rc = finish_build(&r->cb, opt, r->order, r->cache ? manifest_digest : NULL);
  report_totals(&r->cb, opt->out);
  if (r->cache && rc != EXIT_FATAL) {
    remove_stale_outputs(r, opt->out);
    save_cache(r, manifest_digest);
  }
  return rc;
}

int driver_build(const BuildOptions *opt) {
  int rc = check_out_dir(opt);
  if (rc) return rc;
  BuildRun r;
  rc = run_walk(&r, opt, opt->out);
  if (rc) return rc;
  r.cache = open_cache(opt, &r.cfg);
  link_dependencies(&r.deps, opt->out);
  if (r.cache && build_unchanged(&r, opt))
    rc = diag_error_count() ? EXIT_INPUT_ERRORS : EXIT_OK;
  else
    rc = build_all(&r, opt);
  run_close(&r, opt->jobs);
  return rc;
}

/* Sites only, for `currantc check`: the instrument phase without the
 * rewrite, so the trees stay alive for the checker's own walks. */
static void classify_sites(Codebase *cb, Module *m) { bound_module(cb, m); }

int driver_analyse(const BuildOptions *opt, void (*visit)(Codebase *, void *), void *ctx) {
  BuildRun r;
  int rc = run_open(&r, opt, NULL);
  if (rc) return rc;
  Phase sites = {.name = "classifying", .cb = &r.cb, .run = classify_sites};
  run_phase(&sites, opt->jobs);
  visit(&r.cb, ctx);
  run_close(&r, opt->jobs);
  return EXIT_OK;
}

ModStatus driver_compile_buffer(Lang lang, const char *rel, const char *text, size_t len, char **out,
                                size_t *out_len) {
  InputFile f = {.abs = (char *)rel, .rel = (char *)rel, .lang = lang};
  Config cfg = {0};
  Codebase cb = {.config = &cfg};
  Module *m = module_new(&f);
  vec_push(&cb.modules, m);
  m->text = xstrndup(text, len);
  m->len = len;
  parse_source(m);
  if (m->status == MOD_OK && lang == LANG_PYTHON) names_python(m);
  else if (m->status == MOD_OK) names_javascript(m);
  parse_drop_tree(m); /* as a build does */
  link_codebase(&cb);
  instrument(&cb, m);
  ModStatus st = m->status;
  *out = m->out_text;
  *out_len = m->out_len;
  m->out_text = NULL;
  module_free(m);
  vec_free(&cb.modules);
  return st;
}
