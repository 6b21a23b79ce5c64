/*
 * view.c — `currant view RUN -o FILE.html`: the graph page of
 * `currantc graph --format html` with the run's journal overlaid.
 *
 * The run's frozen bundle holds the manifest it ran with; its checkpoints
 * are what `currant show RUN --json` prints (show_json).  Both go to
 * `currantc graph MANIFEST --format html --overlay TMP.json -o FILE`, with
 * currantc found as $CURRANTC, else next to this executable, else on PATH.
 *
 * Exit status: 0 written; 2 usage (no -o, unknown or ambiguous RUN);
 * 4 the run's bundle or manifest is gone; 1 currantc missing or failed.
 */
#include "coord.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char VIEW_USAGE[] = "usage: currant view RUN -o FILE.html\n";

/* The currantc to run: malloc'd path, or "currantc" for a PATH lookup. */
static char *find_currantc(void) {
  const char *env = getenv("CURRANTC");
  if (env && *env) return strdup(env);
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (slash) {
      char cand[PATH_MAX + 16];
      snprintf(cand, sizeof cand, "%.*s/currantc", (int)(slash - self), self);
      if (access(cand, X_OK) == 0) return strdup(cand);
    }
  }
  return strdup("currantc");
}

/* Writes o to a new temporary file; its malloc'd path, or NULL. */
static char *write_overlay(json_t *o) {
  const char *tmp = getenv("TMPDIR");
  char *path = NULL;
  if (asprintf(&path, "%s/currant-view-XXXXXX.json", tmp && *tmp ? tmp : "/tmp") < 0) return NULL;
  int fd = mkstemps(path, 5);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  int bad = !f || json_dumpf(o, f, JSON_COMPACT) != 0;
  if (f && fclose(f) != 0) bad = 1;
  else if (!f && fd >= 0) close(fd);
  if (bad) {
    fprintf(stderr, "currant view: cannot write a temporary file %s: %s\n", path, strerror(errno));
    if (fd >= 0) unlink(path);
    free(path);
    return NULL;
  }
  return path;
}

/* Runs currantc graph; 0 when it wrote the page, else EXIT_FAILURE. */
static int run_currantc(const char *manifest, const char *overlay, const char *out) {
  char *cc = find_currantc();
  char *argv[] = {cc, "graph", (char *)manifest, "--format", "html", "--overlay", (char *)overlay,
                  "-o", (char *)out, NULL};
  pid_t pid;
  int rc = strchr(cc, '/') ? posix_spawn(&pid, cc, NULL, NULL, argv, environ)
                           : posix_spawnp(&pid, cc, NULL, NULL, argv, environ);
  if (rc != 0) {
    fprintf(stderr, "currant view: cannot run currantc (%s): %s; build it, put it next to currant "
                    "or on PATH, or set CURRANTC\n", cc, strerror(rc));
    free(cc);
    return EXIT_FAILURE;
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
  free(cc);
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 0;
  fprintf(stderr, "currant view: currantc graph failed (status %d)\n",
          WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  return EXIT_FAILURE;
}

int cmd_view(Ctx *cx, int argc, char **argv) {
  const char *id = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc) out = argv[++i];
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "currant view: unknown option %s\n%s", argv[i], VIEW_USAGE);
      return EXIT_USAGE;
    } else if (!id) id = argv[i];
    else {
      fprintf(stderr, "currant view: one RUN only; unexpected %s\n%s", argv[i], VIEW_USAGE);
      return EXIT_USAGE;
    }
  }
  if (!id || !out) {
    fprintf(stderr, "currant view: missing %s\n%s", id ? "-o FILE.html" : "RUN", VIEW_USAGE);
    return EXIT_USAGE;
  }
  RunRec r;
  int rc = cmd_find(cx, id, &r);
  if (rc) return rc;
  char *dir = bundle_dir(cx->home, r.bundle), *manifest = NULL;
  if (asprintf(&manifest, "%s/currant.graph.json", dir) < 0) manifest = NULL;
  if (!manifest || access(manifest, R_OK) != 0) {
    fprintf(stderr, "currant view: run %s has no manifest %s (its bundle is gone, or it was not "
                    "built by currantc)\n", r.id, manifest ? manifest : dir);
    rc = EXIT_JOURNAL;
  } else {
    json_t *o = show_json(cx, &r);
    char *tmp = write_overlay(o);
    json_decref(o);
    rc = tmp ? run_currantc(manifest, tmp, out) : EXIT_FAILURE;
    if (tmp) unlink(tmp);
    free(tmp);
  }
  free(manifest);
  free(dir);
  jr_run_free(&r);
  return rc;
}
