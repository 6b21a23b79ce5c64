/*
 * worker.c — calls across runtimes (docs/BRIDGE.md, "At run time").
 *
 * A `bridge` request (from the script or from a worker) names a language,
 * a bundle file, a function, encoded arguments and the call's key.  The
 * worker of that language (one per run, `python3 -m currant._worker` or
 * `node runtime-js/bin/worker.js`) is started on first use with the same
 * environment as the script plus CURRANT_ROOT (the frozen bundle), greeted
 * like the script (init, journal rows, ready) and sent `invoke`; we then
 * serve its own requests (commits, events, nested bridges) until its
 * `result`, which is forwarded to the caller as the reply.
 *
 * The caller is blocked in its request meanwhile, so anything on the
 * script's channel during a call means the script is gone: the worker is
 * killed at once, or it would run side effects nobody can record.  A worker
 * that dies mid-call is restarted and invoked again (its committed steps
 * replay), at most MAX_RESTARTS times.  A call into a worker already on the
 * call stack cannot be served (its one channel is waiting for a result), so
 * it fails with a BridgeError instead of deadlocking.
 */
#include "coord.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RESTARTS 3

void wk_exec(Serve *sv, const Peer *p) {
  char script[PATH_MAX + 64];
  bool py = !strcmp(p->lang, "py");
  const char *interp = getenv(py ? "CURRANT_PYTHON" : "CURRANT_NODE");
  if (!interp) interp = py ? "python3" : "node";
  setenv("CURRANT_ROOT", sv->bdir, 1);
  setenv("CURRANT_WORKER", "1", 1);
  snprintf(script, sizeof script, "%s/runtime-js/bin/worker.js", sv->cx->datadir);
  char *py_argv[] = {(char *)interp, "-m", "currant._worker", NULL};
  char *js_argv[] = {(char *)interp, "--enable-source-maps", script, NULL};
  execvp(interp, py ? py_argv : js_argv);
  fprintf(stderr, "currant: cannot run %s: %s\n", interp, strerror(errno));
  _exit(127);
}

static Peer *worker_of(Serve *sv, const char *lang) { return &sv->workers[strcmp(lang, "py") ? 1 : 0]; }

/* Closes w's channel and reaps it; how it ended goes to status. */
static void reap(Peer *w, char *status, size_t n) {
  int ws = 0;
  run_close_peer(w);
  if (w->pid <= 0) {
    snprintf(status, n, "could not be started: %s", strerror(errno));
  } else {
    while (waitpid(w->pid, &ws, 0) < 0 && errno == EINTR) {
    }
    run_status_text(ws, status, n);
  }
  w->pid = 0;
}

/* Starts w and answers its hello: 0 ready, 1 it could not start or died
 * first, -1 it broke the protocol. */
static int start(Serve *sv, Peer *w) {
  if (run_spawn(sv, w) < 0) return 1;
  json_t *msg;
  char err[256];
  int rc = ch_recv_in(w->fd, &w->in, &msg, NULL, err, sizeof err);
  if (rc == 1) return 1;
  const char *op = rc == 0 ? json_string_value(json_object_get(msg, "op")) : NULL;
  if (!op || strcmp(op, "hello")) {
    snprintf(sv->why, sizeof sv->why, "the %s worker did not say hello: %s", w->lang,
             rc ? err : "another message");
    json_decref(msg);
    return -1;
  }
  json_decref(msg);
  return run_hello(sv, w);
}

/* Serves w until its result (*res): 0 result, 1 w ended, 2 the script is
 * gone, -1 bad input. */
static int wait_result(Serve *sv, Peer *w, json_t **res) {
  for (;;) {
    struct pollfd pf[2] = {{.fd = w->fd, .events = POLLIN}, {.fd = sv->main.fd, .events = POLLIN}};
    int r = w->in.off < w->in.len ? 1 : poll(pf, 2, 500); /* read ahead: no need to wait */
    if (r < 0 && errno == EINTR) continue;
    if (sv->stopping || (r > 0 && pf[1].revents)) return 2;
    if (r <= 0) {
      run_renew(sv);
      continue;
    }
    json_t *msg;
    char err[256];
    int rc = run_recv(sv, w, &msg, err, sizeof err);
    if (rc == 1) return 1;
    if (rc < 0) {
      snprintf(sv->why, sizeof sv->why, "bad message from the %s worker: %s", w->lang, err);
      return -1;
    }
    if (!msg) continue; /* a commit, served */
    const char *op = json_string_value(json_object_get(msg, "op"));
    if (op && !strcmp(op, "result")) {
      *res = msg;
      return 0;
    }
    rc = run_dispatch(sv, w, msg);
    json_decref(msg);
    if (rc < 0) return -1;
  }
}

/* A failed call, in the journal's error form: the runtimes raise it as
 * currant.BridgeError. */
static json_t *failure(const char *message) {
  return json_pack("{s:s, s:b, s:{s:s, s:s, s:s, s:[s]}}", "op", "result", "ok", 0, "error", "type",
                   "BridgeError", "module", "currant", "message", message, "args", message);
}

/* Invokes on w (restarting it when it dies) and replies to caller. */
static int serve_call(Serve *sv, Peer *caller, Peer *w, json_t *invoke, const char *what) {
  char status[128] = "";
  for (int tries = 0; tries <= MAX_RESTARTS; tries++) {
    int rc = w->pid > 0 ? 0 : start(sv, w);
    json_t *res = NULL;
    if (rc == 0) rc = ch_send(w->out, invoke) == 0 ? wait_result(sv, w, &res) : 1;
    if (rc == 0) return run_reply(caller, res);
    if (rc == 2) kill(w->pid, SIGKILL); /* the script is gone: stop the call where it is */
    if (rc < 0) return -1;
    reap(w, status, sizeof status);
    if (rc == 2) return 0;
    /* a worker that suspended the run or diverged ended on purpose: so must
     * the caller, without going on */
    if (sv->suspended || sv->diverged || sv->cancelled || sv->stopping)
      return run_reply(caller,
                       json_pack("{s:s, s:i}", "op", "result", "stop", sv->diverged ? EXIT_DIVERGED : 0));
    fprintf(stderr, "currant: the %s worker ended (%s) during %s%s\n", w->lang, status, what,
            tries < MAX_RESTARTS ? "; restarting it" : "");
  }
  char msg[PATH_MAX + 512];
  snprintf(msg, sizeof msg, "the %s worker died running %s (%s), %d times", w->lang, what, status,
           MAX_RESTARTS + 1);
  return run_reply(caller, failure(msg));
}

int wk_bridge(Serve *sv, Peer *caller, json_t *msg) {
  const char *lang = json_string_value(json_object_get(msg, "lang"));
  json_t *file = json_object_get(msg, "file"), *fn = json_object_get(msg, "fn");
  json_t *key = json_object_get(msg, "key"), *args = json_object_get(msg, "args");
  if (!lang || (strcmp(lang, "py") && strcmp(lang, "js")) || !json_is_string(file) ||
      json_string_length(file) > PATH_MAX || !json_is_string(fn) || json_string_length(fn) > 256 ||
      !json_is_string(key) || json_string_length(key) > 4096 || !json_is_array(args)) {
    snprintf(sv->why, sizeof sv->why, "malformed bridge message");
    return -1;
  }
  char what[PATH_MAX + 300];
  snprintf(what, sizeof what, "%s:%s", json_string_value(file), json_string_value(fn));
  Peer *w = worker_of(sv, lang);
  if (w->busy) {
    char m[sizeof what + 200];
    snprintf(m, sizeof m,
             "re-entrant call into the %s worker (%s): it is already running a call "
             "further up the stack",
             lang, what);
    return run_reply(caller, failure(m));
  }
  json_t *invoke = json_pack("{s:s, s:O, s:O, s:O, s:O, s:b}", "op", "invoke", "file", file, "fn", fn, "args",
                             args, "key", key, "mute", json_is_true(json_object_get(msg, "mute")));
  w->busy = true;
  int rc = serve_call(sv, caller, w, invoke, what);
  w->busy = false;
  json_decref(invoke);
  return rc;
}

/* Waits up to 2 s for pid to end after its channel closed, then kills it:
 * a worker holding on (a thread, a timer) must not hold the run. */
static void reap_idle(pid_t pid) {
  struct timespec tick = {0, 10 * 1000 * 1000};
  for (int i = 0; i < 200; i++) {
    pid_t r = waitpid(pid, NULL, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) return;
    nanosleep(&tick, NULL);
  }
  kill(pid, SIGKILL);
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
  }
}

void wk_close_all(Serve *sv) {
  for (int i = 0; i < 2; i++) {
    Peer *w = &sv->workers[i];
    if (w->pid <= 0) continue;
    run_close_peer(w); /* an idle worker ends at the EOF */
    reap_idle(w->pid);
    w->pid = 0;
  }
}
