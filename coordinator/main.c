/*
 * main.c — the `currant` command line.
 *
 *   currant [--home DIR] [--json] [--sync full|normal] COMMAND ...
 *
 * Finds the journal (.currant/journal.db under --home, $CURRANT_HOME or the
 * working directory), the runtimes (CURRANT_DATADIR, else the directory
 * currant was built for, else next to the executable), and dispatches.
 */
#include "coord.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CURRANT_DATADIR
#define CURRANT_DATADIR "."
#endif

static const char *USAGE =
    "usage: currant [--home DIR] [--json] [--sync full|normal] COMMAND ...\n"
    "\n"
    "commands:\n"
    "  run [--id ID] SCRIPT [ARGS...]  run an instrumented .py/.js durably\n"
    "  resume RUN                      continue a crashed, failed or suspended run\n"
    "  runs                            list runs with their status\n"
    "  show RUN                        a run's checkpoints\n"
    "  inspect RUN --at K              state at checkpoint K: outcomes so far, names in scope\n"
    "  replay RUN                      re-execute from the journal, no side effects\n"
    "  fork RUN --from K               new run reusing the first K outcomes\n"
    "  cancel RUN                      stop a run\n"
    "  signal RUN NAME JSON            deliver an event to wait_event(NAME)\n"
    "  serve [--once] [--interval S]   resume due sleeps and orphaned runs\n"
    "  view RUN -o FILE.html           the graph page with the run's journal overlaid\n"
    "\n"
    "RUN may be any unique prefix of a run id.  --json: machine-readable listings.\n"
    "--sync normal (or CURRANT_SYNC=normal): skip the fsync per checkpoint; a\n"
    "checkpoint then survives any process crash but not a power loss.\n"
    "CURRANT_SPIN_US=N: after each reply, poll the channel N µs for the script's\n"
    "next message before sleeping, and the script as long for a commit's reply\n"
    "(default 200 with 2 or more CPUs, else 0).\n"
    "exit status: the script's; 2 usage, 3 non-determinism, 4 journal, 75 suspended,\n"
    "130 cancelled.\n";

static bool has_runtimes(const char *dir) {
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/runtime-py/currant/__init__.py", dir);
  return access(p, R_OK) == 0;
}

static char *find_datadir(void) {
  const char *env = getenv("CURRANT_DATADIR");
  if (env && *env) return strdup(env);
  if (has_runtimes(CURRANT_DATADIR)) return strdup(CURRANT_DATADIR);
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = 0;
    char *slash = strrchr(self, '/');
    const char *rel[] = {"/..", "/../share/currant", "/../.."};
    for (size_t i = 0; slash && i < sizeof rel / sizeof *rel; i++) {
      char cand[PATH_MAX + 32];
      snprintf(cand, sizeof cand, "%.*s%s", (int)(slash - self), self, rel[i]);
      if (has_runtimes(cand)) return realpath(cand, NULL);
    }
  }
  return strdup(CURRANT_DATADIR);
}

/* .currant/node_modules/currant lets ESM `import "currant"` resolve from bundles. */
static void link_node_module(Ctx *cx) {
  char dir[PATH_MAX], link[PATH_MAX + 16], target[PATH_MAX + 16];
  snprintf(dir, sizeof dir, "%s/node_modules", cx->home);
  mkdir(dir, 0777);
  snprintf(link, sizeof link, "%s/currant", dir);
  snprintf(target, sizeof target, "%s/runtime-js", cx->datadir);
  char cur[PATH_MAX];
  ssize_t n = readlink(link, cur, sizeof cur - 1);
  if (n > 0) {
    cur[n] = 0;
    if (!strcmp(cur, target)) return;
    unlink(link);
  }
  char tmp[PATH_MAX + 32];
  snprintf(tmp, sizeof tmp, "%s.%ld", link, (long)getpid());
  if (symlink(target, tmp) == 0 && rename(tmp, link) != 0) unlink(tmp);
}

static int open_home(Ctx *cx) {
  if (mkdir(cx->home, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "currant: cannot create %s: %s\n", cx->home, strerror(errno));
    return EXIT_JOURNAL;
  }
  char path[PATH_MAX + 32], err[PATH_MAX + 512];
  snprintf(path, sizeof path, "%s/bundles", cx->home);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/journal.db", cx->home);
  cx->jr = jr_open(path, cx->sync, err, sizeof err);
  if (!cx->jr) {
    fprintf(stderr, "currant: error: cannot use the journal %s\n", err);
    return EXIT_JOURNAL;
  }
  link_node_module(cx);
  return 0;
}

static int need(int argc, int n, const char *cmd) {
  if (argc >= n) return 0;
  fprintf(stderr, "currant %s: missing arguments\n%s", cmd, USAGE);
  return EXIT_USAGE;
}

static long number_opt(int argc, char **argv, const char *flag, long dflt) {
  for (int i = 0; i < argc - 1; i++)
    if (!strcmp(argv[i], flag)) return strtol(argv[i + 1], NULL, 10);
  return dflt;
}

static int dispatch(Ctx *cx, int argc, char **argv) {
  const char *cmd = argv[0];
  if (!strcmp(cmd, "run")) {
    const char *id = NULL;
    int i = 1;
    if (argc > 2 && !strcmp(argv[1], "--id")) {
      id = argv[2];
      i = 3;
    }
    if (need(argc, i + 1, cmd)) return EXIT_USAGE;
    return run_new(cx, id, argv[i], argc - i - 1, argv + i + 1);
  }
  if (!strcmp(cmd, "runs")) return cmd_runs(cx);
  if (!strcmp(cmd, "serve")) {
    double interval = 0.5;
    bool once = false;
    for (int i = 1; i < argc; i++) {
      if (!strcmp(argv[i], "--once")) once = true;
      else if (!strcmp(argv[i], "--interval") && i + 1 < argc) interval = atof(argv[++i]);
    }
    return cmd_serve(cx, interval > 0 ? interval : 0.5, once);
  }
  if (need(argc, 2, cmd)) return EXIT_USAGE;
  if (!strcmp(cmd, "view")) return cmd_view(cx, argc, argv);
  if (!strcmp(cmd, "resume")) return cmd_resume(cx, argv[1]);
  if (!strcmp(cmd, "show")) return cmd_show(cx, argv[1]);
  if (!strcmp(cmd, "replay")) return cmd_replay(cx, argv[1]);
  if (!strcmp(cmd, "cancel")) return cmd_cancel(cx, argv[1]);
  if (!strcmp(cmd, "inspect")) {
    long at = number_opt(argc, argv, "--at", -1);
    if (at < 0) return need(0, 1, "inspect --at K");
    return cmd_inspect(cx, argv[1], at);
  }
  if (!strcmp(cmd, "fork")) {
    long from = number_opt(argc, argv, "--from", -1);
    if (from < 0) return need(0, 1, "fork --from K");
    return cmd_fork(cx, argv[1], from);
  }
  if (!strcmp(cmd, "signal")) {
    if (need(argc, 4, cmd)) return EXIT_USAGE;
    return cmd_signal(cx, argv[1], argv[2], argv[3]);
  }
  fprintf(stderr, "currant: unknown command \"%s\"\n%s", cmd, USAGE);
  return EXIT_USAGE;
}

/* How long to poll for a child's next message before sleeping in read
 * (chan.c says why): CURRANT_SPIN_US, else 200 µs when this process may
 * run on two CPUs or more.  On one CPU polling would only delay the child
 * it waits for. */
static int spin_setting(unsigned *us) {
  const char *env = getenv("CURRANT_SPIN_US");
  if (env && *env) {
    char *end;
    long v = strtol(env, &end, 10);
    if (*end || v < 0 || v > 1000000) {
      fprintf(stderr, "currant: CURRANT_SPIN_US must be a number of µs from 0 to 1000000\n");
      return -1;
    }
    *us = (unsigned)v;
    return 0;
  }
  cpu_set_t cpus;
  *us = sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) >= 2 ? 200 : 0;
  return 0;
}

int main(int argc, char **argv) {
  Ctx cx = {0};
  const char *home = getenv("CURRANT_HOME");
  const char *sync = getenv("CURRANT_SYNC");
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "--home") && i + 1 < argc) home = argv[++i];
    else if (!strcmp(argv[i], "--json")) cx.json = true;
    else if (!strcmp(argv[i], "--sync") && i + 1 < argc) sync = argv[++i];
    else if (!strcmp(argv[i], "--version")) {
      printf("currant %s\n", CURRANT_VERSION);
      return 0;
    } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(USAGE, stdout);
      return 0;
    } else {
      fprintf(stderr, "currant: unknown option %s\n%s", argv[i], USAGE);
      return EXIT_USAGE;
    }
  }
  /* --json may also follow the command (`currant runs --json`) */
  int rest = i;
  for (int k = rest; k < argc; k++) {
    if (!strcmp(argv[k], "--json")) {
      cx.json = true;
      memmove(argv + k, argv + k + 1, sizeof(char *) * (size_t)(argc - k - 1));
      argc--;
      k--;
    }
  }
  if (rest >= argc) {
    fputs(USAGE, stderr);
    return EXIT_USAGE;
  }
  if (sync && strcmp(sync, "full") && strcmp(sync, "normal")) {
    fprintf(stderr, "currant: --sync must be full or normal\n");
    return EXIT_USAGE;
  }
  cx.sync = sync && !strcmp(sync, "normal") ? JR_SYNC_NORMAL : JR_SYNC_FULL;
  if (spin_setting(&cx.spin_us) != 0) return EXIT_USAGE;
  cx.home = strdup(home && *home ? home : ".currant");
  char *abs = realpath(cx.home, NULL);
  if (!abs) {
    mkdir(cx.home, 0777);
    abs = realpath(cx.home, NULL);
  }
  if (abs) {
    free(cx.home);
    cx.home = abs;
  }
  cx.datadir = find_datadir();
  cx.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
  int rc = open_home(&cx);
  if (rc == 0) rc = dispatch(&cx, argc - rest, argv + rest);
  jr_close(cx.jr);
  free(cx.home);
  free(cx.datadir);
  return rc;
}
