/*
 * cmd.c — the commands that look at runs and steer them.
 *
 * Listings (runs, show, inspect) print aligned columns, coloured on a TTY
 * (NO_COLOR honoured), or with --json one JSON document for scripts.
 * Values are abbreviated for people, complete in --json.  fork, resume,
 * replay and serve reuse run.c; cancel and signal only write the journal,
 * which the serving coordinator polls.
 */
#include "coord.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *status_color(Ctx *cx, const char *status) {
  if (!cx->color) return "";
  if (!strcmp(status, "done")) return "\033[32m";
  if (!strcmp(status, "running") || !strcmp(status, "suspended") || !strcmp(status, "created"))
    return "\033[33m";
  if (!strcmp(status, "ok")) return "\033[32m";
  if (!strcmp(status, "retry") || !strcmp(status, "abandoned")) return "\033[33m";
  return "\033[31m";
}

static const char *reset(Ctx *cx) { return cx->color ? "\033[0m" : ""; }

static void fmt_time(double t, char *buf, size_t n) {
  time_t s = (time_t)t;
  struct tm tm;
  localtime_r(&s, &tm);
  strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static void fmt_dur(double d, char *buf, size_t n) {
  if (d < 0) d = 0;
  if (d < 1e-3) snprintf(buf, n, "%.0fus", d * 1e6);
  else if (d < 1) snprintf(buf, n, "%.1fms", d * 1e3);
  else snprintf(buf, n, "%.2fs", d);
}

/* A value abbreviated to at most n display bytes (UTF-8 kept whole). */
static void abbrev(const char *v, char *buf, size_t n) {
  size_t len = v ? strlen(v) : 0;
  if (!v) v = "";
  if (len < n) {
    snprintf(buf, n, "%s", v);
  } else {
    size_t cut = n - 4;
    while (cut > 0 && ((unsigned char)v[cut] & 0xC0) == 0x80) cut--;
    snprintf(buf, n, "%.*s...", (int)cut, v);
  }
  for (char *p = buf; *p; p++)
    if (*p == '\n' || *p == '\t') *p = ' ';
}

/* printf into a new string, NULL when out of memory (`show` then prints
 * the value's JSON). */
static char *wordsf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *wordsf(const char *fmt, ...) {
  va_list ap;
  char *s = NULL;
  va_start(ap, fmt);
  if (vasprintf(&s, fmt, ap) < 0) s = NULL;
  va_end(ap);
  return s;
}

/* What a SQLite statement did (runtime-py's tag "sql", docs/DATABASES.md):
 * its raw form starts with the run and key of its mark, which say nothing
 * at a glance. */
static char *sql_words(json_t *st) {
  const char *cls = json_string_value(json_object_get(st, "cls"));
  json_t *rows = json_object_get(st, "rows");
  if (!cls) return NULL;
  if (json_is_array(rows)) {
    char *dump = json_dumps(rows, JSON_COMPACT | JSON_ENCODE_ANY);
    size_t n = json_array_size(rows);
    char *text = wordsf("%s, %zu row%s %s", cls, n, n == 1 ? "" : "s", dump ? dump : "");
    free(dump);
    return text;
  }
  json_t *last = json_object_get(st, "lastrowid");
  char id[32] = "none";
  if (json_is_integer(last)) snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT, json_integer_value(last));
  return wordsf("%s, rowcount %" JSON_INTEGER_FORMAT ", lastrowid %s", cls,
                json_integer_value(json_object_get(st, "rowcount")), id);
}

/* Bytes the base64 text b of length len decodes to. */
static size_t b64_bytes(const char *b, size_t len) {
  return len / 4 * 3 - (len && b[len - 1] == '=') - (len > 1 && b[len - 2] == '=');
}

/* An HTTP response (tag "response"): status, reason, body size, URL. */
static char *response_words(json_t *r) {
  const char *body = json_string_value(json_object_get(r, "body"));
  const char *url = json_string_value(json_object_get(r, "url"));
  const char *reason = json_string_value(json_object_get(r, "reason"));
  size_t bytes = body ? b64_bytes(body, strlen(body)) : 0;
  return wordsf("HTTP %" JSON_INTEGER_FORMAT "%s%s, %zu bytes%s%s",
                json_integer_value(json_object_get(r, "status")), reason && *reason ? " " : "",
                reason ? reason : "", bytes, url ? ", " : "", url ? url : "");
}

/* A journaled value in words for `show`, where its encoding says little at
 * a glance (the tags of runtime-py/currant/_codec.py): an error as `Type: message`,
 * a statement, a response, a drained iterator, bytes, and the tagged
 * scalars (datetime, uuid, path, ...) as their text.  NULL: show the JSON. */
static char *value_words(const char *status, const char *v) {
  if (!v || v[0] != '{') return NULL;
  json_t *o = json_loads(v, JSON_DECODE_ANY, NULL);
  const char *tag = json_string_value(json_object_get(o, "$t"));
  json_t *inner = json_object_get(o, "v");
  char *text = NULL;
  const char *type = json_string_value(json_object_get(o, "type"));
  const char *message = json_string_value(json_object_get(o, "message"));
  if (!strcmp(status, "error") && type)
    text = wordsf("%s: %s", type, message ? message : "");
  else if (tag && !strcmp(tag, "sql"))
    text = sql_words(inner);
  else if (tag && !strcmp(tag, "response"))
    text = response_words(inner);
  else if (tag && !strcmp(tag, "iter") && json_is_array(inner)) {
    char *dump = json_dumps(inner, JSON_COMPACT);
    text = wordsf("%zu items %s", json_array_size(inner), dump ? dump : "");
    free(dump);
  } else if (tag && !strcmp(tag, "bytes") && json_is_string(inner)) {
    text = wordsf("%zu bytes", b64_bytes(json_string_value(inner), json_string_length(inner)));
  } else if (tag && json_is_string(inner) && strcmp(tag, "obj") != 0) {
    text = wordsf("%s %s", tag, json_string_value(inner)); /* datetime 2026-..., path /x, uuid ... */
  }
  json_decref(o);
  return text;
}

int cmd_find(Ctx *cx, const char *id, RunRec *r) {
  int rc = jr_run_get(cx->jr, id, r);
  if (rc == 0) return 0;
  if (rc == 1) fprintf(stderr, "currant: no run %s\n", id);
  else if (rc == 2) fprintf(stderr, "currant: run id %s is ambiguous\n", id);
  else fprintf(stderr, "currant: journal: %s\n", jr_error(cx->jr));
  return rc < 0 ? EXIT_JOURNAL : EXIT_USAGE;
}

/* ---------------------------------------------------------------- runs */

static json_t *run_json(const RunRec *r) {
  json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:I, s:s}", "id", r->id, "status",
                        r->status, "entry", r->entry, "bundle", r->bundle, "lang", r->lang,
                        "created", r->created, "updated", r->updated, "checkpoints",
                        (json_int_t)r->nck, "cwd", r->cwd);
  json_object_set_new(o, "args", json_loads(r->args, 0, NULL));
  json_object_set_new(o, "exit_code", r->exit_code >= 0 ? json_integer(r->exit_code) : json_null());
  json_object_set_new(o, "wake_at", r->wake_at > 0 ? json_real(r->wake_at) : json_null());
  json_object_set_new(o, "parent", r->parent ? json_string(r->parent) : json_null());
  json_object_set_new(o, "fork_at", json_integer(r->fork_at));
  json_object_set_new(o, "error", r->error ? json_string(r->error) : json_null());
  json_object_set_new(o, "owner", r->owner ? json_string(r->owner) : json_null());
  return o;
}

typedef struct ListCtx {
  Ctx *cx;
  json_t *arr;
  int n;
} ListCtx;

static int list_one(const RunRec *r, void *p) {
  ListCtx *l = p;
  if (l->arr) {
    json_array_append_new(l->arr, run_json(r));
    return 0;
  }
  char when[32], extra[128] = "";
  fmt_time(r->created, when, sizeof when);
  if (!strcmp(r->status, "suspended") && r->wake_at > 0) {
    char w[32];
    fmt_time(r->wake_at, w, sizeof w);
    snprintf(extra, sizeof extra, "  until %s", w);
  } else if (r->exit_code >= 0) {
    snprintf(extra, sizeof extra, "  exit %d", r->exit_code);
  }
  if (l->n++ == 0) printf("%-14s %-10s %7s  %-19s  %s\n", "RUN", "STATUS", "CKPTS", "CREATED", "ENTRY");
  printf("%-14s %s%-10s%s %7ld  %s  %s%s\n", r->id, status_color(l->cx, r->status), r->status,
         reset(l->cx), r->nck, when, r->entry, extra);
  return 0;
}

int cmd_runs(Ctx *cx) {
  ListCtx l = {.cx = cx, .arr = cx->json ? json_array() : NULL};
  if (jr_run_list(cx->jr, list_one, &l) < 0) {
    fprintf(stderr, "currant: journal: %s\n", jr_error(cx->jr));
    return EXIT_JOURNAL;
  }
  if (l.arr) {
    json_dumpf(l.arr, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(l.arr);
  } else if (l.n == 0) {
    printf("no runs\n");
  }
  return 0;
}

/* ---------------------------------------------------------------- show */

typedef struct ShowCtx {
  Ctx *cx;
  Manifest *man;
  json_t *arr;
  long limit;
} ShowCtx;

static json_t *ck_json(const CkRec *c, Manifest *man) {
  char where[1024];
  json_t *o = json_pack("{s:I, s:s, s:s, s:i, s:s, s:i, s:s, s:f, s:f, s:s}", "seq",
                        (json_int_t)c->seq, "key", c->key, "file", c->file, "site", c->site, "kind",
                        c->kind, "attempt", c->attempt, "status", c->status, "started", c->t0,
                        "ended", c->t1, "where", manifest_where(man, c->file, c->site, where, sizeof where));
  json_object_set_new(o, "value", c->value ? json_loads(c->value, JSON_DECODE_ANY, NULL) : json_null());
  json_t *site = manifest_site(man, c->file, c->site);
  if (site) json_object_set(o, "site_node", site);
  return o;
}

static int show_one(const CkRec *c, void *p) {
  ShowCtx *s = p;
  if (s->arr) {
    json_array_append_new(s->arr, ck_json(c, s->man));
    return 0;
  }
  char where[1024], dur[32], val[64];
  manifest_where(s->man, c->file, c->site, where, sizeof where);
  fmt_dur(c->t1 - c->t0, dur, sizeof dur);
  char *words = value_words(c->status, c->value);
  abbrev(words ? words : c->value, val, sizeof val);
  free(words);
  printf("%5ld  %-10s %-44s %s%-9s%s %3d %9s  %s\n", c->seq, c->key, where, status_color(s->cx, c->status),
         c->status, reset(s->cx), c->attempt, dur, val);
  return 0;
}

static Manifest *run_manifest(Ctx *cx, const RunRec *r) {
  char *dir = bundle_dir(cx->home, r->bundle);
  Manifest *m = manifest_load(dir);
  free(dir);
  return m;
}

/* What `show RUN --json` prints: the run and its checkpoints (view.c too). */
json_t *show_json(Ctx *cx, const RunRec *r) {
  ShowCtx s = {.cx = cx, .man = run_manifest(cx, r), .arr = json_array()};
  json_t *o = run_json(r);
  jr_ck_each(cx->jr, r->id, -1, show_one, &s);
  json_object_set_new(o, "checkpoints", s.arr);
  manifest_free(s.man);
  return o;
}

int cmd_show(Ctx *cx, const char *id) {
  RunRec r;
  int rc = cmd_find(cx, id, &r);
  if (rc) return rc;
  ShowCtx s = {.cx = cx, .man = cx->json ? NULL : run_manifest(cx, &r)}; /* show_json loads its own */
  if (cx->json) {
    json_t *o = show_json(cx, &r);
    json_dumpf(o, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(o);
  } else {
    char when[32];
    fmt_time(r.created, when, sizeof when);
    printf("run %s  %s%s%s  %s  started %s  %ld checkpoints", r.id, status_color(cx, r.status),
           r.status, reset(cx), r.entry, when, r.nck);
    if (r.exit_code >= 0) printf("  exit %d", r.exit_code);
    if (r.parent) printf("  forked from %s at %ld", r.parent, r.fork_at);
    printf("\n");
    if (r.error) printf("  %s\n", r.error);
    if (r.nck)
      printf("%5s  %-10s %-44s %-9s %3s %9s  %s\n", "SEQ", "KEY", "WHERE", "STATUS", "ATT", "TIME", "VALUE");
    jr_ck_each(cx->jr, r.id, -1, show_one, &s);
  }
  manifest_free(s.man);
  jr_run_free(&r);
  return 0;
}

/* ------------------------------------------------------------- inspect */

typedef struct AtCtx {
  long at;
  CkRec found;
  char *key, *file, *kind, *status, *value;
} AtCtx;

static int find_at(const CkRec *c, void *p) {
  AtCtx *a = p;
  if (c->seq != a->at) return 0;
  a->found = *c;
  a->key = strdup(c->key);
  a->file = strdup(c->file);
  return 1;
}

int cmd_inspect(Ctx *cx, const char *id, long at) {
  RunRec r;
  int rc = cmd_find(cx, id, &r);
  if (rc) return rc;
  if (at < 0 || at >= r.nck) {
    fprintf(stderr, "currant: run %s has checkpoints 0..%ld; no checkpoint %ld\n", r.id,
            r.nck - 1, at);
    jr_run_free(&r);
    return EXIT_USAGE;
  }
  ShowCtx s = {.cx = cx, .man = run_manifest(cx, &r)};
  AtCtx a = {.at = at};
  jr_ck_each(cx->jr, r.id, at + 1, find_at, &a);
  json_t *site = manifest_site(s.man, a.file, a.found.site);
  json_t *scope = NULL;
  if (site) scope = json_object_get(site, "scope"); /* docs/MANIFEST.md */
  char where[1024];
  manifest_where(s.man, a.file, a.found.site, where, sizeof where);
  if (cx->json) {
    json_t *o = json_pack("{s:s, s:I, s:s, s:s}", "run", r.id, "at", (json_int_t)at, "key", a.key,
                          "where", where);
    json_object_set(o, "site", site ? site : json_null());
    json_object_set(o, "scope", scope ? scope : json_array());
    s.arr = json_array();
    jr_ck_each(cx->jr, r.id, at, show_one, &s);
    json_object_set_new(o, "outcomes", s.arr);
    json_dumpf(o, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(o);
  } else {
    printf("run %s at checkpoint %ld (key %s): %s\n", r.id, at, a.key, where);
    printf("names in scope:");
    size_t i;
    json_t *n;
    if (!site) printf(" (site not in the run's manifest)");
    else if (!json_array_size(scope)) printf(" (none)");
    json_array_foreach(scope, i, n) {
      if (json_is_string(n)) printf(" %s", json_string_value(n));
      else if (json_is_string(json_object_get(n, "name")))
        printf(" %s", json_string_value(json_object_get(n, "name")));
    }
    printf("\noutcomes so far (%ld):\n", at);
    jr_ck_each(cx->jr, r.id, at, show_one, &s);
  }
  free(a.key);
  free(a.file);
  manifest_free(s.man);
  jr_run_free(&r);
  return 0;
}

/* ------------------------------------------------- fork, resume, replay */

int cmd_fork(Ctx *cx, const char *id, long from) {
  RunRec r;
  int rc = cmd_find(cx, id, &r);
  if (rc) return rc;
  if (from < 0 || from > r.nck) {
    fprintf(stderr, "currant: run %s has %ld checkpoints; cannot fork from %ld\n", r.id, r.nck, from);
    jr_run_free(&r);
    return EXIT_USAGE;
  }
  RunRec n = r;
  n.id = run_new_id();
  n.status = "created";
  n.parent = r.id;
  n.fork_at = from;
  n.created = now_s();
  if (jr_run_insert(cx->jr, &n) < 0 || jr_ck_copy(cx->jr, r.id, n.id, from) < 0) {
    fprintf(stderr, "currant: fork: %s\n", jr_error(cx->jr));
    rc = EXIT_JOURNAL;
  } else {
    fprintf(stderr, "currant: run %s (fork of %s from checkpoint %ld)\n", n.id, r.id, from);
    rc = run_serve(cx, n.id, RUN_RECORD);
  }
  free(n.id);
  jr_run_free(&r);
  return rc;
}

/* Serves run r, found by cmd_find, in mode; r is released first (the run
 * loop reopens what it needs by id). */
static int serve_found(Ctx *cx, RunRec *r, RunMode mode) {
  char *run_id = strdup(r->id);
  jr_run_free(r);
  int rc = run_serve(cx, run_id, mode);
  free(run_id);
  return rc;
}

int cmd_resume(Ctx *cx, const char *id) {
  RunRec r;
  int rc = cmd_find(cx, id, &r);
  if (rc) return rc;
  if (!strcmp(r.status, "done") || !strcmp(r.status, "cancelled") ||
      !strcmp(r.status, "diverged")) {
    fprintf(stderr, "currant: run %s is %s; nothing to resume (replay or fork it)\n", r.id,
            r.status);
    jr_run_free(&r);
    return EXIT_USAGE;
  }
  return serve_found(cx, &r, RUN_RECORD);
}

int cmd_replay(Ctx *cx, const char *id) {
  RunRec r;
  int rc = cmd_find(cx, id, &r);
  if (rc) return rc;
  return serve_found(cx, &r, RUN_REPLAY);
}

/* ------------------------------------------------------ cancel, signal */

int cmd_cancel(Ctx *cx, const char *id) {
  RunRec r;
  int rc = cmd_find(cx, id, &r);
  if (rc) return rc;
  if (!strcmp(r.status, "done") || !strcmp(r.status, "cancelled")) {
    fprintf(stderr, "currant: run %s is already %s\n", r.id, r.status);
    jr_run_free(&r);
    return 0;
  }
  jr_request_cancel(cx->jr, r.id);
  /* with no live coordinator nobody else will notice: settle it here */
  char *probe = self_owner();
  if (jr_lease(cx->jr, r.id, probe, now_s() + 1) == 0) {
    jr_run_set_status(cx->jr, r.id, "cancelled", r.exit_code, 0, "cancelled");
    jr_lease_release(cx->jr, r.id, probe);
    printf("cancelled %s\n", r.id);
  } else {
    printf("cancelling %s (its coordinator stops it within a few seconds)\n", r.id);
  }
  free(probe);
  jr_run_free(&r);
  return 0;
}

int cmd_signal(Ctx *cx, const char *id, const char *name, const char *payload) {
  RunRec r;
  int rc = cmd_find(cx, id, &r);
  if (rc) return rc;
  json_error_t je;
  json_t *v = json_loads(payload, JSON_DECODE_ANY, &je);
  if (!v) {
    fprintf(stderr, "currant: signal payload is not JSON: %s\n", je.text);
    jr_run_free(&r);
    return EXIT_USAGE;
  }
  char *canon = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(v);
  if (jr_event_add(cx->jr, r.id, name, canon) < 0) {
    fprintf(stderr, "currant: journal: %s\n", jr_error(cx->jr));
    rc = EXIT_JOURNAL;
  } else {
    printf("sent %s to %s\n", name, r.id);
  }
  free(canon);
  jr_run_free(&r);
  return rc;
}

/* --------------------------------------------------------------- serve */

typedef struct Child {
  pid_t pid;
  char *id;
} Child;

static bool serving(Child *kids, int n, const char *id) {
  for (int i = 0; i < n; i++)
    if (kids[i].pid > 0 && !strcmp(kids[i].id, id)) return true;
  return false;
}

static void reap(Child *kids, int n, bool block) {
  for (int i = 0; i < n; i++) {
    if (kids[i].pid <= 0) continue;
    int st;
    if (waitpid(kids[i].pid, &st, block ? 0 : WNOHANG) == kids[i].pid) {
      fprintf(stderr, "currant serve: run %s ended (%d)\n", kids[i].id,
              WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
      kids[i].pid = 0;
    }
  }
}

int cmd_serve(Ctx *cx, double interval, bool once) {
  Child kids[256] = {{0}};
  int nk = 0;
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    fprintf(stderr, "currant serve: cannot find my own executable\n");
    return 70;
  }
  self[n] = 0;
  fprintf(stderr, "currant serve: watching %s\n", cx->home);
  for (;;) {
    reap(kids, nk, false);
    char **ids;
    int nid;
    if (jr_due_runs(cx->jr, now_s(), &ids, &nid) < 0) {
      fprintf(stderr, "currant serve: journal: %s\n", jr_error(cx->jr));
      return EXIT_JOURNAL;
    }
    for (int i = 0; i < nid; i++) {
      if (!serving(kids, nk, ids[i]) && nk < 256) {
        pid_t pid = fork();
        if (pid == 0) {
          execl(self, self, "--home", cx->home, "resume", ids[i], (char *)NULL);
          _exit(127);
        }
        if (pid > 0) {
          fprintf(stderr, "currant serve: resuming %s\n", ids[i]);
          int slot = nk;
          for (int k = 0; k < nk; k++)
            if (kids[k].pid == 0) slot = k;
          if (slot == nk) nk++;
          free(kids[slot].id);
          kids[slot].pid = pid;
          kids[slot].id = ids[i];
          ids[i] = NULL;
        }
      }
      free(ids[i]);
    }
    free(ids);
    if (once) {
      reap(kids, nk, true);
      break;
    }
    usleep((useconds_t)(interval * 1e6));
  }
  for (int i = 0; i < nk; i++) free(kids[i].id);
  return 0;
}
