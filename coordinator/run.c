/*
 * run.c — running a script durably: spawn it, serve its checkpoints.
 *
 * The child (python3 or node on the frozen bundle) gets one end of a
 * socketpair in CURRANT_FD and the runtime on PYTHONPATH/NODE_PATH.  It says
 * hello; we send the run's journal (so replay needs no round trip per
 * checkpoint) and then serve its requests one at a time:
 *   commit   a live checkpoint's outcome: appended and committed (fsync by
 *            default) before we reply, so the script never goes past a
 *            checkpoint that is not durable;
 *   event    wait_event: an event sent with `currant signal`, consumed and
 *            journaled in one transaction, or a timeout;
 *   suspend  a long durable sleep: the run becomes `suspended`;
 *   diverged the runtime reached another site than the journal holds;
 *   exit     the script is ending (replay checks all was revisited);
 *   bridge   a call into the other language, served by a worker (worker.c).
 * Anything else (garbage, an oversized frame) kills the child: the journal
 * only ever holds whole, committed checkpoints.  A lease renewed while we
 * serve tells `serve` that this run has a live coordinator.
 *
 * Fault injection for the crash tests: CURRANT_FAULT=child:K kills the
 * child (the script and any worker: the whole run crashes) right after
 * checkpoint seq K is committed, child-before:K just before committing it,
 * self:K kills this coordinator after committing K.
 */
#include "coord.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LEASE_SECONDS 15.0
#define LEASE_RENEW 5.0
#define LEASE_WAIT 500 /* ms without a message before the lease is looked at */

double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *self_owner(void) {
  char host[256] = "localhost", buf[320];
  gethostname(host, sizeof host);
  host[sizeof host - 1] = 0;
  snprintf(buf, sizeof buf, "%s:%ld", host, (long)getpid());
  return strdup(buf);
}

char *run_new_id(void) {
  unsigned char b[6];
  if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
    unsigned long x = (unsigned long)now_s() ^ (unsigned long)getpid() << 16;
    memcpy(b, &x, sizeof b);
  }
  char *s = malloc(13);
  for (int i = 0; i < 6; i++) snprintf(s + 2 * i, 3, "%02x", b[i]);
  return s;
}

/* ------------------------------------------------------------ replies */

/* A reply that cannot be written means the child is gone: the next read
 * sees the EOF, so this is not an error of the child's making. */
int run_reply(Peer *p, json_t *msg) {
  ch_send(p->out, msg);
  json_decref(msg);
  return 0;
}

/* The reply to every commit: a constant, not built and serialised anew at
 * each checkpoint (the record path's hottest reply). */
int run_reply_ok(Peer *p) {
  static const char ok[] = "{\"ok\":true}";
  ch_send_raw(p->out, ok, sizeof ok - 1);
  return 0;
}

/* The bytes a JSON string escapes: controls, '"' and '\\'. */
static const bool ESCAPED[256] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ['"'] = 1, ['\\'] = 1};

/* s as a JSON string at p, which has room for 6 bytes per byte of s and 2
 * more: where it ends. */
static char *put_escaped(char *p, const char *s) {
  static const char hex[] = "0123456789abcdef";
  *p++ = '"';
  for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
    unsigned char ch = *q;
    if (!ESCAPED[ch]) {
      *p++ = (char)ch;
    } else if (ch >= 0x20) {
      *p++ = '\\';
      *p++ = (char)ch;
    } else {
      memcpy(p, "\\u00", 4);
      p[4] = hex[ch >> 4];
      p[5] = hex[ch & 15];
      p += 6;
    }
  }
  *p++ = '"';
  return p;
}

static char *put_raw(char *p, const char *s, size_t n) {
  memcpy(p, s, n);
  return p + n;
}

/* The decimal digits of u into s, zero-padded to width: the length. */
static size_t fmt_digits(char *s, unsigned long long u, size_t width) {
  char tmp[24];
  size_t n = 0, len = 0;
  do tmp[n++] = (char)('0' + u % 10);
  while ((u /= 10) || n < width);
  while (n) s[len++] = tmp[--n];
  return len;
}

/* "%d" of v into s (12 bytes at least): the length. */
static size_t fmt_int(char *s, int v) {
  if (v >= 0) return fmt_digits(s, (unsigned)v, 1);
  s[0] = '-';
  return 1 + fmt_digits(s + 1, 0u - (unsigned)v, 1);
}

/*
 * "%.6f" of x into s (n bytes; FIXED6_ROOM holds any x): the length.
 * Replay sends every row's end time, and printf's exact decimal conversion
 * was half the coordinator's work per row.  The result is the same, digit
 * for digit: |x| < 1e12 is m * 2^e exactly (m < 2^53, e < 0), so
 * x * 10^6 = m * 10^6 / 2^-e is divided exactly in 128 bits and rounded to
 * nearest, ties to even, as glibc's printf rounds.  Larger or non-finite
 * values go to printf.
 */
static size_t fmt_fixed6(char *s, size_t n, double x) {
  if (!isfinite(x) || fabs(x) >= 1e12) return (size_t)snprintf(s, n, "%.6f", x);
  int e;
  uint64_t m = (uint64_t)ldexp(frexp(fabs(x), &e), 53);
  unsigned shift = (unsigned)(53 - e); /* > 13: |x| < 2^40 */
  unsigned __int128 v = (unsigned __int128)m * 1000000u;
  uint64_t q = 0; /* past 120 bits v < 2^73 rounds to 0 */
  if (shift < 120) {
    unsigned __int128 one = 1;
    q = (uint64_t)(v >> shift);
    unsigned __int128 rem = v - ((unsigned __int128)q << shift), half = one << (shift - 1);
    if (rem > half || (rem == half && (q & 1))) q++;
  }
  size_t len = 0;
  if (signbit(x)) s[len++] = '-';
  len += fmt_digits(s + len, q / 1000000, 1);
  s[len++] = '.';
  return len + fmt_digits(s + len, q % 1000000, 6);
}

/*
 * Replay rows go out in messages of about ROWS_BATCH bytes.  The runtime
 * parses a message while we read the next rows from the journal (two
 * cores); one message for the whole journal (as when batches were
 * CH_MAX_MESSAGE / 4) left it idle until we had read every row.  128 KB
 * (~1,800 rows): on 50,000-row replays the first rows reached the runtime
 * after ~10 ms instead of ~200 ms, and hello to ready was as fast as with
 * 32 KB and faster than with 512 KB or 4 MB (a shared machine: medians).
 */
#define ROWS_BATCH (128u * 1024u)
/* Room for fmt_fixed6's longest text (317 bytes, for -DBL_MAX) and a NUL. */
#define FIXED6_ROOM 320u
/* A row's bytes besides its strings and value: the message head, brackets,
 * commas, two ints, "null", the closing "]}" and the end time. */
#define ROW_FIXED (FIXED6_ROOM + 192u)

typedef struct Batch {
  int fd;
  char *buf;
  size_t len, cap;
  int rows;
} Batch;

/* Room for n more bytes in b. */
static void batch_reserve(Batch *b, size_t n) {
  if (b->len + n <= b->cap) return;
  while (b->len + n > b->cap) b->cap *= 2;
  b->buf = realloc(b->buf, b->cap);
}

static int flush_batch(Batch *b) {
  memcpy(b->buf + b->len, "]}", 2); /* room kept by add_row's reserve */
  int rc = ch_send_raw(b->fd, b->buf, b->len + 2);
  b->len = 0;
  b->rows = 0;
  return rc;
}

/* Rows travel as [key, file, site, kind, attempt, status, value, ended,
 * arghash].  One capacity check per row: its bound is the escaped strings'
 * worst case (6 bytes a byte) plus the value and ROW_FIXED. */
static int add_row(const CkRec *c, void *ctx) {
  static const char head[] = "{\"op\":\"rows\",\"rows\":[";
  Batch *b = ctx;
  const char *v = c->value ? c->value : "null";
  size_t nv = strlen(v);
  size_t ns = strlen(c->key) + strlen(c->file) + strlen(c->kind) + strlen(c->status) +
              (c->arghash ? strlen(c->arghash) : 0);
  batch_reserve(b, 6 * ns + nv + ROW_FIXED);
  char *p = b->buf + b->len;
  if (b->rows++ == 0)
    p = put_raw(p, head, sizeof head - 1);
  else
    *p++ = ',';
  *p++ = '[';
  p = put_escaped(p, c->key);
  *p++ = ',';
  p = put_escaped(p, c->file);
  *p++ = ',';
  p += fmt_int(p, c->site);
  *p++ = ',';
  p = put_escaped(p, c->kind);
  *p++ = ',';
  p += fmt_int(p, c->attempt);
  *p++ = ',';
  p = put_escaped(p, c->status);
  *p++ = ',';
  p = put_raw(p, v, nv);
  *p++ = ',';
  p += fmt_fixed6(p, FIXED6_ROOM, c->t1);
  *p++ = ',';
  p = c->arghash ? put_escaped(p, c->arghash) : put_raw(p, "null", 4);
  *p++ = ']';
  b->len = (size_t)(p - b->buf);
  if (b->len > ROWS_BATCH && flush_batch(b) < 0) return -1;
  return 0;
}

int run_hello(Serve *sv, Peer *p) {
  json_t *init = json_pack("{s:s, s:s, s:s, s:b}", "op", "init", "run", sv->run->id, "mode",
                           sv->mode == RUN_REPLAY ? "replay" : "run", "mute", !sv->first);
  if (run_reply(p, init) < 0) return -1;
  Batch b = {.fd = p->out, .cap = 1 << 16};
  b.buf = malloc(b.cap);
  int rc = jr_ck_each(sv->cx->jr, sv->run->id, -1, add_row, &b);
  if (rc == 0 && b.rows) rc = flush_batch(&b);
  free(b.buf);
  if (rc < 0) return -1;
  return run_reply(p, json_pack("{s:s}", "op", "ready"));
}

/* ------------------------------------------------------------- faults */

void run_kill_all(Serve *sv, int sig) {
  sv->stopping = true;
  if (sv->main.pid > 0) kill(sv->main.pid, sig);
  for (int i = 0; i < 2; i++)
    if (sv->workers[i].pid > 0) kill(sv->workers[i].pid, sig);
}

static void fault_check(Serve *sv, long seq, bool before) {
  if (sv->fault_at != seq) return;
  if (before && !strcmp(sv->fault, "child-before")) {
    run_kill_all(sv, SIGKILL);
  } else if (!before && !strcmp(sv->fault, "child")) {
    run_kill_all(sv, SIGKILL);
  } else if (!before && !strcmp(sv->fault, "self")) {
    raise(SIGKILL);
  }
}

/* ------------------------------------------------------------ handlers */

/* Renews the lease every LEASE_RENEW seconds and looks for a cancel
 * request every second (cheap reads; commits call this too). */
void run_renew(Serve *sv) {
  double t = now_s();
  if (sv->mode == RUN_RECORD && t - sv->last_lease >= LEASE_RENEW &&
      jr_lease(sv->cx->jr, sv->run->id, sv->owner, t + LEASE_SECONDS) == 0)
    sv->last_lease = t;
  if (t - sv->last_cancel_check < 1.0) return;
  sv->last_cancel_check = t;
  if (!sv->cancelled && sv->mode == RUN_RECORD && jr_cancel_requested(sv->cx->jr, sv->run->id) > 0) {
    sv->cancelled = true;
    run_kill_all(sv, SIGTERM);
  }
}

static bool valid_str(json_t *v, size_t max) {
  return json_is_string(v) && json_string_length(v) <= max;
}

/* A live checkpoint's outcome: appended and committed, then the reply. */
static int commit_rec(Serve *sv, Peer *p, CkRec *c) {
  if (sv->mode == RUN_REPLAY) {
    sv->diverged = true;
    snprintf(sv->why, sizeof sv->why, "replay reached a checkpoint that is not in the journal");
    return run_reply(p, json_pack("{s:s}", "error", sv->why));
  }
  if (sv->fault_at >= 0) fault_check(sv, jr_ck_count(sv->cx->jr, sv->run->id), true);
  if (jr_ck_append(sv->cx->jr, sv->run->id, c) < 0) {
    fprintf(stderr, "currant: journal: %s\n", jr_error(sv->cx->jr));
    return run_reply(p, json_pack("{s:s}", "error", jr_error(sv->cx->jr)));
  }
  fault_check(sv, c->seq, false);
  run_renew(sv);
  return run_reply_ok(p);
}

/* A commit ck_parse_commit declined: read through jansson. */
static int on_commit(Serve *sv, Peer *p, json_t *msg) {
  json_t *key = json_object_get(msg, "key"), *file = json_object_get(msg, "file");
  json_t *kind = json_object_get(msg, "kind"), *status = json_object_get(msg, "status");
  if (!valid_str(key, 4096) || !json_string_length(key) || !valid_str(file, PATH_MAX) ||
      !valid_str(kind, 64) || !valid_str(status, 16)) {
    snprintf(sv->why, sizeof sv->why, "malformed commit message");
    return -1;
  }
  char *value = json_dumps(json_object_get(msg, "value") ? json_object_get(msg, "value")
                                                         : json_null(),
                           JSON_COMPACT | JSON_ENCODE_ANY);
  CkRec c = {
      .key = json_string_value(key),
      .file = json_string_value(file),
      .site = (int)json_integer_value(json_object_get(msg, "site")),
      .kind = json_string_value(kind),
      .attempt = (int)json_integer_value(json_object_get(msg, "attempt")),
      .status = json_string_value(status),
      .value = value,
      .t0 = json_number_value(json_object_get(msg, "t0")),
      .t1 = json_number_value(json_object_get(msg, "t1")),
      .arghash = valid_str(json_object_get(msg, "h"), 64)
                     ? json_string_value(json_object_get(msg, "h")) : NULL,
  };
  if (c.attempt < 1) c.attempt = 1;
  int rc = commit_rec(sv, p, &c);
  free(value);
  return rc;
}

int run_recv(Serve *sv, Peer *p, json_t **msg, char *err, size_t errlen) {
  CkRec c;
  int rc = ch_recv_in(p->fd, &p->in, msg, &c, err, errlen);
  if (rc != 0 || *msg) return rc;
  return commit_rec(sv, p, &c); /* 0: it replies, whatever happens */
}

static void print_divergence(Serve *sv, json_t *msg) {
  char got[400], want[400]; /* locations are abbreviated past this */
  json_t *g = json_object_get(msg, "got"), *w = json_object_get(msg, "want");
  const char *why = json_string_value(json_object_get(msg, "why"));
  manifest_where(sv->man, json_string_value(json_array_get(g, 0)),
                 (int)json_integer_value(json_array_get(g, 1)), got, sizeof got);
  if (w) {
    manifest_where(sv->man, json_string_value(json_array_get(w, 0)),
                   (int)json_integer_value(json_array_get(w, 1)), want, sizeof want);
    snprintf(sv->why, sizeof sv->why,
             "non-determinism at checkpoint %s: the journal recorded %s but this execution "
             "reached %s",
             json_string_value(json_object_get(msg, "key")), want, got);
  } else {
    snprintf(sv->why, sizeof sv->why, "non-determinism at %s: %s", got, why ? why : "");
  }
  fprintf(stderr, "currant: error: %s\n", sv->why);
}

static int on_event(Serve *sv, Peer *p, json_t *msg) {
  json_t *key = json_object_get(msg, "key"), *name = json_object_get(msg, "name");
  json_t *file = json_object_get(msg, "file");
  if (!valid_str(key, 4096) || !valid_str(name, 256) || !valid_str(file, PATH_MAX)) {
    snprintf(sv->why, sizeof sv->why, "malformed event message");
    return -1;
  }
  double deadline = json_number_value(json_object_get(msg, "deadline"));
  bool has_deadline = json_is_number(json_object_get(msg, "deadline"));
  double t0 = now_s();
  CkRec c = {.key = json_string_value(key), .file = json_string_value(file),
             .site = (int)json_integer_value(json_object_get(msg, "site")), .kind = "event",
             .attempt = 1, .status = "ok", .t0 = t0};
  for (;;) {
    c.t1 = now_s();
    char *payload = NULL;
    int rc = jr_event_take(sv->cx->jr, sv->run->id, json_string_value(name), &c, &payload);
    if (rc < 0) return run_reply(p, json_pack("{s:s}", "error", jr_error(sv->cx->jr)));
    if (rc == 0) {
      json_t *v = json_loads(payload, JSON_DECODE_ANY, NULL);
      free(payload);
      return run_reply(p, json_pack("{s:o}", "value", v ? v : json_null()));
    }
    if (has_deadline && now_s() >= deadline) {
      c.value = "null";
      c.t1 = now_s();
      if (jr_ck_append(sv->cx->jr, sv->run->id, &c) < 0)
        return run_reply(p, json_pack("{s:s}", "error", jr_error(sv->cx->jr)));
      return run_reply(p, json_pack("{s:b}", "timeout", 1));
    }
    struct pollfd pf = {.fd = p->fd, .events = POLLIN};
    if (poll(&pf, 1, 100) > 0) return 0; /* child died: the serving loop reads the EOF */
    run_renew(sv);
    if (sv->cancelled) return 0;
  }
}

int run_dispatch(Serve *sv, Peer *p, json_t *msg) {
  const char *op = json_string_value(json_object_get(msg, "op"));
  if (!op) {
    snprintf(sv->why, sizeof sv->why, "message without op");
    return -1;
  }
  if (!strcmp(op, "commit")) return on_commit(sv, p, msg);
  if (!strcmp(op, "hello")) return run_hello(sv, p);
  if (!strcmp(op, "event")) return on_event(sv, p, msg);
  if (!strcmp(op, "bridge")) return wk_bridge(sv, p, msg);
  if (!strcmp(op, "diverged")) {
    sv->diverged = true;
    print_divergence(sv, msg);
    return run_reply_ok(p);
  }
  if (!strcmp(op, "suspend")) {
    sv->suspended = true;
    sv->wake_at = json_number_value(json_object_get(msg, "wake_at"));
    return run_reply_ok(p);
  }
  if (!strcmp(op, "exit") && p == &sv->main) {
    sv->exited = true;
    sv->unvisited = (long)json_integer_value(json_object_get(msg, "unvisited"));
    json_t *abandoned = json_object_get(msg, "abandoned");
    if (sv->mode == RUN_RECORD && json_is_array(abandoned) && !sv->abandoned)
      sv->abandoned = json_incref(abandoned);
    return run_reply_ok(p);
  }
  snprintf(sv->why, sizeof sv->why, "unknown message op \"%.64s\"", op);
  return -1;
}

/* ------------------------------------------------------------- spawn */

static void prepend_env(const char *name, const char *dir) {
  const char *old = getenv(name);
  size_t n = strlen(dir) + (old ? strlen(old) : 0) + 2;
  char *v = malloc(n);
  snprintf(v, n, "%s%s%s", dir, old && *old ? ":" : "", old && *old ? old : "");
  setenv(name, v, 1);
  free(v);
}

/* Python imports what the build resolved them to: the bundle's import
 * roots (the manifest's config.python_path: "." for its root when the
 * build resolved imports there that only it satisfies, a src layout's
 * src) go on PYTHONPATH in that order, as currantc searched them.  So the
 * child imports the frozen, instrumented modules, not a copy installed
 * from the sources (an editable install points at the uninstrumented
 * ones), and `import app.orders` from app/main.py works as the build
 * assumed.  The root goes there only then: a module at the root named
 * like one of the standard library's would otherwise shadow it. */
static void put_import_roots(Serve *sv) {
  json_t *roots = manifest_python_path(sv->man);
  char buf[PATH_MAX + 64];
  for (size_t i = json_array_size(roots); i-- > 0;) {
    const char *dir = json_string_value(json_array_get(roots, i));
    if (dir && strcmp(dir, ".") == 0)
      prepend_env("PYTHONPATH", sv->bdir);
    else if (dir && bundle_rel_ok(dir) && snprintf(buf, sizeof buf, "%s/%s", sv->bdir, dir) < (int)sizeof buf)
      prepend_env("PYTHONPATH", buf);
  }
}

/* In a forked child: the channel, the runtimes and the manifest in the
 * environment, the run's working directory. */
static void child_env(Serve *sv, int fd, int reply_fd) {
  char buf[PATH_MAX + 64];
  prctl(PR_SET_PDEATHSIG, SIGKILL); /* the run must not outlive its coordinator */
  if (getppid() == 1) _exit(70);
  snprintf(buf, sizeof buf, "%d", fd);
  setenv("CURRANT_FD", buf, 1);
  snprintf(buf, sizeof buf, "%d", reply_fd);
  setenv("CURRANT_REPLY_FD", buf, 1);
  snprintf(buf, sizeof buf, "%u", sv->cx->spin_us); /* as long as we poll: 0 on one CPU */
  setenv("CURRANT_SPIN_US", buf, 1);
  setenv("CURRANT_RUN", sv->run->id, 1);
  setenv("CURRANT_MODE", sv->mode == RUN_REPLAY ? "replay" : "run", 1);
  snprintf(buf, sizeof buf, "%s/currant.graph.json", sv->bdir);
  setenv("CURRANT_MANIFEST", buf, 1);
  unsetenv("CURRANT_FAULT");
  put_import_roots(sv); /* behind the runtime: a module of the project named currant does not shadow it */
  snprintf(buf, sizeof buf, "%s/runtime-py", sv->cx->datadir);
  prepend_env("PYTHONPATH", buf);
  snprintf(buf, sizeof buf, "%s/runtime-js", sv->cx->datadir);
  prepend_env("NODE_PATH", buf);
  if (chdir(sv->run->cwd) != 0) {
    fprintf(stderr, "currant: cannot enter %s: %s\n", sv->run->cwd, strerror(errno));
    _exit(127);
  }
}

/* In the child: exec the interpreter on the frozen entry script. */
static void exec_script(Serve *sv) {
  char buf[PATH_MAX + 64];
  json_t *args = json_loads(sv->run->args, 0, NULL);
  size_t nargs = json_array_size(args);
  char **argv = calloc(nargs + 4, sizeof(char *));
  int k = 0;
  bool py = !strcmp(sv->run->lang, "py");
  const char *interp = getenv(py ? "CURRANT_PYTHON" : "CURRANT_NODE");
  argv[k++] = (char *)(interp ? interp : py ? "python3" : "node");
  if (!py) argv[k++] = "--enable-source-maps";
  snprintf(buf, sizeof buf, "%s/%s", sv->bdir, sv->run->entry);
  argv[k++] = strdup(buf);
  for (size_t i = 0; i < nargs; i++) argv[k++] = (char *)json_string_value(json_array_get(args, i));
  execvp(argv[0], argv);
  fprintf(stderr, "currant: cannot run %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}

static void close_pair(int fds[2]) {
  close(fds[0]);
  close(fds[1]);
}

/* The channel is a socketpair the child writes its requests to and a pipe
 * our replies come back on.  Why a pipe: a runtime polls for a reply for
 * a while before it blocks (a wake-up costs 15-20 µs of each checkpoint on
 * a VM), and Node can only poll a non-blocking descriptor: a pipe can be
 * opened again non-blocking through /proc/self/fd while the inherited one
 * stays blocking; a socket cannot. */
int run_spawn(Serve *sv, Peer *p) {
  int sp[2], rp[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0) return -1;
  if (pipe2(rp, O_CLOEXEC) != 0) {
    close_pair(sp);
    return -1;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close_pair(sp);
    close_pair(rp);
    return -1;
  }
  if (pid == 0) {
    close(sp[0]);
    close(rp[1]);
    child_env(sv, dup(sp[1]), dup(rp[0])); /* without CLOEXEC: the interpreter inherits them */
    if (p == &sv->main) exec_script(sv);
    wk_exec(sv, p);
  }
  close(sp[1]);
  close(rp[0]);
  p->fd = sp[0];
  p->out = rp[1];
  p->pid = pid;
  ch_in_reset(&p->in); /* nothing a former worker sent is read */
  return 0;
}

void run_close_peer(Peer *p) {
  if (p->fd >= 0) close(p->fd);
  if (p->out >= 0) close(p->out);
  p->fd = p->out = -1;
  ch_in_reset(&p->in);
}

/* ------------------------------------------------------------- finish */

const char *run_status_text(int wstatus, char *buf, size_t n) {
  if (WIFSIGNALED(wstatus))
    snprintf(buf, n, "killed by signal %d", WTERMSIG(wstatus));
  else
    snprintf(buf, n, "exit status %d", WEXITSTATUS(wstatus));
  return buf;
}

/* An abandoned call as the exit message gave it, checked: false if malformed. */
static bool abandoned_row(json_t *a, double t1, CkRec *c) {
  json_t *key = json_array_get(a, 0), *file = json_array_get(a, 1), *site = json_array_get(a, 2);
  json_t *kind = json_array_get(a, 3), *attempt = json_array_get(a, 4), *t0 = json_array_get(a, 5);
  if (!valid_str(key, 4096) || !json_string_length(key) || !valid_str(file, PATH_MAX) ||
      !json_is_integer(site) || !valid_str(kind, 64) || !json_is_integer(attempt) || !json_is_number(t0))
    return false;
  *c = (CkRec){.key = json_string_value(key),
               .file = json_string_value(file),
               .site = (int)json_integer_value(site),
               .kind = json_string_value(kind),
               .attempt = (int)json_integer_value(attempt),
               .status = "abandoned",
               .t0 = json_number_value(t0),
               .t1 = t1};
  return true;
}

/* A run that exited for good: done or failed, with the rows of the calls
 * its script had started and not seen finish (a promise still pending, a
 * callback not yet called when the process exited).  A replay reaches
 * them where the run did, and they never settle there either: without
 * them a replay, or a fork past them, took them for calls the run never
 * made (npm exits with a log file's fs.rm still running). */
static void finish_exited(Serve *sv, int code) {
  size_t n = json_array_size(sv->abandoned), k = 0;
  CkRec *rows = calloc(n + 1, sizeof *rows);
  double t1 = now_s();
  for (size_t i = 0; rows && i < n; i++)
    if (abandoned_row(json_array_get(sv->abandoned, i), t1, &rows[k])) k++;
  if (jr_run_finish(sv->cx->jr, sv->run->id, code == 0 ? "done" : "failed", code, rows, (int)k) < 0)
    fprintf(stderr, "currant: journal: %s\n", jr_error(sv->cx->jr));
  free(rows);
}

static int finish(Serve *sv, int wstatus) {
  Journal *jr = sv->cx->jr;
  const char *id = sv->run->id;
  int code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  if (sv->mode == RUN_REPLAY) {
    bool same = !sv->diverged && sv->unvisited == 0 && code == sv->run->exit_code;
    if (same) {
      fprintf(stderr, "currant: replay of %s matched the journal (%ld checkpoints)\n", id,
              sv->run->nck);
      return 0;
    }
    if (!sv->diverged)
      fprintf(stderr,
              "currant: error: replay of %s diverged: exit status %d (recorded %d), %ld "
              "recorded checkpoints not reached\n",
              id, code, sv->run->exit_code, sv->unvisited);
    return EXIT_DIVERGED;
  }
  if (sv->diverged) {
    jr_run_set_status(jr, id, "diverged", -1, 0, sv->why);
    return EXIT_DIVERGED;
  }
  if (sv->cancelled) {
    jr_run_set_status(jr, id, "cancelled", code, 0, "cancelled");
    fprintf(stderr, "currant: run %s cancelled\n", id);
    return EXIT_CANCELLED;
  }
  if (sv->suspended) {
    jr_run_set_status(jr, id, "suspended", -1, sv->wake_at, NULL);
    fprintf(stderr, "currant: run %s suspended for %.1f s; `currant serve` resumes it\n", id,
            sv->wake_at - now_s());
    return EXIT_SUSPENDED;
  }
  if (sv->bad) {
    jr_run_set_status(jr, id, "crashed", code, 0, sv->why);
    fprintf(stderr, "currant: error: run %s: %s; the child was stopped\n", id, sv->why);
    return 70;
  }
  if (WIFSIGNALED(wstatus)) {
    char why[64];
    jr_run_set_status(jr, id, "crashed", code, 0, run_status_text(wstatus, why, sizeof why));
    return code;
  }
  finish_exited(sv, code);
  return code;
}

/* Serves the script until its EOF.  The socket's receive timeout (not a
 * poll before each read: one system call less per checkpoint) wakes us
 * every LEASE_WAIT ms of silence to renew the lease. */
static int serve_loop(Serve *sv) {
  struct timeval tv = {.tv_usec = LEASE_WAIT * 1000};
  setsockopt(sv->main.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  for (;;) {
    json_t *msg;
    char err[256];
    int rc = run_recv(sv, &sv->main, &msg, err, sizeof err);
    if (rc == 2) {
      run_renew(sv);
      continue;
    }
    if (rc == 1) return 0;
    if (rc == 0 && !msg) continue; /* a commit, served */
    if (rc == 0) {
      rc = run_dispatch(sv, &sv->main, msg);
      json_decref(msg);
      if (rc == 0) continue;
    } else {
      snprintf(sv->why, sizeof sv->why, "bad message on the channel: %s", err);
    }
    if (!sv->why[0]) snprintf(sv->why, sizeof sv->why, "the channel failed");
    sv->bad = true;
    run_kill_all(sv, SIGKILL);
    return -1;
  }
}

int run_serve(Ctx *cx, const char *id, RunMode mode) {
  RunRec run;
  if (jr_run_get(cx->jr, id, &run) != 0) {
    fprintf(stderr, "currant: no run %s\n", id);
    return EXIT_USAGE;
  }
  Serve sv = {.cx = cx, .run = &run, .mode = mode, .fault_at = -1};
  ChIn in = {.spin_us = cx->spin_us};
  sv.main = (Peer){.lang = run.lang, .fd = -1, .out = -1, .in = in};
  sv.workers[0] = (Peer){.lang = "py", .fd = -1, .out = -1, .in = in};
  sv.workers[1] = (Peer){.lang = "js", .fd = -1, .out = -1, .in = in};
  sv.owner = self_owner();
  const char *fault = getenv("CURRANT_FAULT");
  if (fault && mode == RUN_RECORD) {
    const char *colon = strchr(fault, ':');
    if (colon && (size_t)(colon - fault) < sizeof sv.fault) {
      memcpy(sv.fault, fault, (size_t)(colon - fault));
      sv.fault_at = strtol(colon + 1, NULL, 10);
    }
  }
  int status = 0;
  if (mode == RUN_RECORD) {
    int lr = jr_lease(cx->jr, run.id, sv.owner, now_s() + LEASE_SECONDS);
    if (lr != 0) {
      fprintf(stderr, "currant: run %s is being served by %s\n", run.id,
              lr > 0 && run.owner ? run.owner : jr_error(cx->jr));
      status = EXIT_JOURNAL;
      goto out;
    }
    sv.last_lease = now_s();
    sv.first = !strcmp(run.status, "created");
    jr_run_set_status(cx->jr, run.id, "running", -1, 0, NULL);
  }
  sv.bdir = bundle_dir(cx->home, run.bundle);
  sv.man = manifest_load(sv.bdir);
  if (run_spawn(&sv, &sv.main) < 0) {
    fprintf(stderr, "currant: cannot start the script: %s\n", strerror(errno));
    status = 70;
    goto out;
  }
  signal(SIGPIPE, SIG_IGN);
  serve_loop(&sv);
  run_close_peer(&sv.main);
  int ws = 0;
  while (waitpid(sv.main.pid, &ws, 0) < 0 && errno == EINTR) {
  }
  wk_close_all(&sv);
  status = finish(&sv, ws);
  if (mode == RUN_RECORD) jr_lease_release(cx->jr, run.id, sv.owner);
out:
  json_decref(sv.abandoned);
  manifest_free(sv.man);
  free(sv.bdir);
  free(sv.owner);
  jr_run_free(&run);
  return status;
}

static bool valid_id(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 64) return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '-' || *s == '_'))
      return false;
  return true;
}

int run_new(Ctx *cx, const char *want_id, const char *script, int argc, char **argv) {
  const char *dot = strrchr(script, '.');
  const char *lang = NULL;
  if (dot && !strcmp(dot, ".py")) lang = "py";
  else if (dot && (!strcmp(dot, ".js") || !strcmp(dot, ".mjs") || !strcmp(dot, ".cjs")))
    lang = "js";
  if (!lang) {
    fprintf(stderr, "currant: %s: not a .py, .js, .mjs or .cjs script\n", script);
    return EXIT_USAGE;
  }
  if (want_id && !valid_id(want_id)) {
    fprintf(stderr, "currant: bad run id \"%s\" (letters, digits, - and _)\n", want_id);
    return EXIT_USAGE;
  }
  char err[PATH_MAX + 128], cwd[PATH_MAX];
  char *hash = NULL, *entry = NULL;
  if (bundle_freeze(cx->home, script, &hash, &entry, err, sizeof err) < 0) {
    fprintf(stderr, "currant: %s\n", err);
    return EXIT_USAGE;
  }
  json_t *args = json_array();
  for (int i = 0; i < argc; i++) json_array_append_new(args, json_string(argv[i]));
  char *args_s = json_dumps(args, JSON_COMPACT);
  json_decref(args);
  if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, "/");
  RunRec r = {.id = want_id ? strdup(want_id) : run_new_id(), .status = "created", .entry = entry,
              .bundle = hash, .lang = (char *)lang, .args = args_s, .cwd = cwd,
              .created = now_s()};
  int rc = jr_run_insert(cx->jr, &r);
  if (rc < 0) {
    fprintf(stderr, "currant: cannot create the run: %s\n", jr_error(cx->jr));
    rc = EXIT_JOURNAL;
  } else {
    if (!getenv("CURRANT_QUIET")) fprintf(stderr, "currant: run %s\n", r.id);
    rc = run_serve(cx, r.id, RUN_RECORD);
  }
  free(r.id);
  free(hash);
  free(entry);
  free(args_s);
  return rc;
}
