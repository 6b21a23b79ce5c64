/*
 * coord.h — the pieces of `currant`, the coordinator, and how they meet.
 *
 * `currant run` freezes an instrumented bundle under .currant/ (bundle.c),
 * opens the journal (journal.c: the one file that knows SQLite; everything
 * else goes through the jr_ interface so a PostgreSQL backend can follow),
 * spawns python3 or node on a private socketpair and serves the runtime's
 * checkpoint messages (run.c, over the framing of chan.c), starting a
 * worker of the other language when the script calls across runtimes
 * (worker.c, docs/BRIDGE.md).  The listing and debugging commands live in
 * cmd.c, the CLI in main.c.
 *
 * Prefixes: jr_ (journal), ch_ (channel), sha256_, bundle_, run_, wk_,
 * cmd_, out_ (terminal output helpers in cmd.c).
 */
#ifndef COORD_H
#define COORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CURRANT_VERSION "0.1.0"
#define JOURNAL_FORMAT "currant-journal/1"
#define CH_MAX_MESSAGE (16u * 1024u * 1024u) /* both runtimes use the same */

/* Exit statuses of the coordinator's own making (the script's otherwise). */
enum {
  EXIT_USAGE = 2,      /* bad command line or input */
  EXIT_DIVERGED = 3,   /* non-determinism detected */
  EXIT_JOURNAL = 4,    /* journal missing, corrupt, foreign or busy */
  EXIT_SUSPENDED = 75, /* run suspended (durable sleep); `serve` resumes it */
  EXIT_CANCELLED = 130 /* run cancelled */
};

/* ------------------------------------------------------------ journal.c */

typedef struct Journal Journal;

typedef enum { JR_SYNC_FULL, JR_SYNC_NORMAL } JrSync;

typedef struct RunRec {
  char *id;       /* 12 hex digits */
  char *status;   /* running, done, failed, crashed, suspended, diverged, cancelled */
  char *entry;    /* script path relative to the bundle root */
  char *bundle;   /* bundle hash (directory name under .currant/bundles) */
  char *lang;     /* "py" or "js" */
  char *args;     /* JSON array of the script's arguments */
  char *cwd;      /* working directory of the script */
  char *parent;   /* run forked from, or NULL */
  char *error;    /* last error message, or NULL */
  char *owner;    /* lease holder "host:pid", or NULL */
  double created, updated, wake_at, lease_until;
  long fork_at;   /* checkpoints reused from parent */
  int exit_code;  /* -1 while unknown */
  int cancel;     /* cancel requested */
  long nck;       /* checkpoints (filled by jr_run_list / jr_run_get) */
} RunRec;

typedef struct CkRec {
  long seq;          /* position in the run's journal, 0-based */
  const char *key;   /* hierarchical key taken when the call started */
  const char *file;  /* bundle-relative file, "" for runtime-internal */
  int site;          /* site index in file, -1 for runtime-internal */
  const char *kind;  /* call, call+await, sleep, value, attempt, event, ... */
  int attempt;       /* task attempt, 1-based */
  const char *status;/* ok, error, resource, retry */
  const char *value; /* encoded value or error (JSON text), may be NULL */
  double t0, t1;     /* start and end, seconds since the epoch */
  const char *arghash; /* fingerprint of the call's arguments, or NULL */
} CkRec;

Journal *jr_open(const char *path, JrSync sync, char *err, size_t errlen);
void jr_close(Journal *j);
const char *jr_error(Journal *j);
int jr_run_insert(Journal *j, const RunRec *r);
/* Finds a run by id or unique id prefix: 0 found, 1 none, 2 ambiguous, -1 error. */
int jr_run_get(Journal *j, const char *id, RunRec *out);
void jr_run_free(RunRec *r);
int jr_run_set_status(Journal *j, const char *id, const char *status, int exit_code,
                      double wake_at, const char *error);
/* A run's end: status and exit code, with the rows of the calls still in
 * flight when it exited (abandoned[0..n): status "abandoned", numbered after
 * the journal's last) in the same transaction.  0, or -1 (jr_error). */
int jr_run_finish(Journal *j, const char *id, const char *status, int exit_code, CkRec *abandoned, int n);
int jr_run_list(Journal *j, int (*cb)(const RunRec *r, void *ctx), void *ctx);
/* Takes or renews the lease when free, expired, ours, or held by a dead local
 * process: 0 taken, 1 held by a live owner, -1 error. */
int jr_lease(Journal *j, const char *id, const char *owner, double until);
int jr_lease_release(Journal *j, const char *id, const char *owner);
int jr_cancel_requested(Journal *j, const char *id);
int jr_request_cancel(Journal *j, const char *id);
/* Appends a checkpoint (seq assigned) and commits it durably. */
int jr_ck_append(Journal *j, const char *run, CkRec *c);
int jr_ck_each(Journal *j, const char *run, long limit,
               int (*cb)(const CkRec *c, void *ctx), void *ctx);
long jr_ck_count(Journal *j, const char *run);
int jr_ck_copy(Journal *j, const char *from, const char *to, long limit);
int jr_event_add(Journal *j, const char *run, const char *name, const char *payload);
/* Consumes the oldest pending event `name` for run and commits checkpoint c
 * with its payload in one transaction: 0 taken (*payload: its JSON text, to
 * free), 1 none pending, -1 error. */
int jr_event_take(Journal *j, const char *run, const char *name, CkRec *c, char **payload);
/* Runs that `serve` should resume now. */
int jr_due_runs(Journal *j, double now, char ***ids, int *n);

/* ------------------------------------------------------------- chan.c */

/* What was read from a peer past the messages handed out so far. */
typedef struct ChIn {
  char *buf;
  size_t off, len, cap; /* unread: buf[off..len) */
  bool exact;           /* never read past the message asked for */
  unsigned spin_us;     /* polls this long for a new message before a blocking read (0: none) */
} ChIn;

/* Reads one framed message, and not a byte more: 0 ok (*msg set), 1 clean
 * EOF, -1 bad input (oversized, truncated, not a JSON object: reason in
 * err). */
int ch_recv(int fd, json_t **msg, char *err, size_t errlen);
/* ch_recv through in, which keeps what was read ahead for the next call;
 * 2 when the fd's SO_RCVTIMEO expired before any byte of a message.  With
 * ck, a commit that ck_parse_commit accepts is not parsed into *msg (left
 * NULL) but into *ck, whose strings point into in's buffer (valid until
 * the next read). */
int ch_recv_in(int fd, ChIn *in, json_t **msg, CkRec *ck, char *err, size_t errlen);
/* Forgets what in holds (a peer that ended) and frees it. */
void ch_in_reset(ChIn *in);
int ch_send(int fd, json_t *msg);              /* 0 ok, -1 error */
int ch_send_raw(int fd, const char *json, size_t n);

/* ----------------------------------------------------------- commit.c */

/* Reads buf (n bytes) as a compact commit request into ck, in place (its
 * strings are ended with NULs inside buf): 0 done, -1 declined (buf is
 * unchanged; jansson must read it). */
int ck_parse_commit(char *buf, size_t n, CkRec *ck);

/* ----------------------------------------------------------- sha256.c */

typedef struct Sha256 {
  uint32_t h[8];
  uint64_t len;
  unsigned char buf[64];
  size_t used;
} Sha256;
void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t n);
void sha256_hex(Sha256 *s, char out[65]);

/* ----------------------------------------------------------- bundle.c */

/* Freezes the tree holding `script` (the OUT root: the nearest directory up
 * with currant.graph.json, else the script's directory) into
 * HOME/bundles/HASH.  Sets *hash and *entry (script relative to the root). */
int bundle_freeze(const char *home, const char *script, char **hash, char **entry,
                  char *err, size_t errlen);
char *bundle_dir(const char *home, const char *hash);
/* True if p is a relative path of '/'-separated segments, none empty, "."
 * or "..": one a manifest may name inside its bundle. */
bool bundle_rel_ok(const char *p);

/* Site details from a bundle's manifest. */
typedef struct Manifest Manifest;
Manifest *manifest_load(const char *bundle_dir);
void manifest_free(Manifest *m);
/* The site node for (file, index), or NULL. */
json_t *manifest_site(Manifest *m, const char *file, int index);
/* The Python import roots the build resolved imports from (an array of
 * directories relative to the bundle), or NULL (an older manifest). */
json_t *manifest_python_path(Manifest *m);
/* "app/x.py:12 (main: charge)" into buf. */
const char *manifest_where(Manifest *m, const char *file, int index, char *buf, size_t n);

/* ------------------------------------------------------------- run.c */

typedef struct Ctx {
  char *home;      /* .currant directory */
  char *datadir;   /* where runtime-py/ and runtime-js/ live */
  Journal *jr;
  bool json;       /* --json */
  bool color;      /* coloured output */
  JrSync sync;
  unsigned spin_us; /* ChIn.spin_us of the channels to children (CURRANT_SPIN_US) */
} Ctx;

typedef enum { RUN_RECORD, RUN_REPLAY } RunMode;

/* Serves run `id` (already in the journal) until the script exits; returns
 * the exit status currant should exit with. */
int run_serve(Ctx *cx, const char *id, RunMode mode);
/* Creates a new run (id want_id, or a random one when NULL) for script +
 * args and serves it. */
int run_new(Ctx *cx, const char *want_id, const char *script, int argc, char **argv);
char *run_new_id(void);
double now_s(void);
char *self_owner(void);

/* ---------------------------------------------------- run.c + worker.c */

/* A process served over its own channel: the script, or a bridge worker. */
typedef struct Peer {
  const char *lang; /* "py" or "js" */
  int fd;           /* our end of its channel: what it sends us; -1 when not running */
  int out;          /* the write end of its reply pipe: what we send it; -1 when not running */
  pid_t pid;        /* 0 when not running */
  bool busy;        /* running an invoke: on the bridge call stack */
  ChIn in;          /* read ahead of its channel */
} Peer;

/* One run being served. */
typedef struct Serve {
  Ctx *cx;
  RunRec *run;
  RunMode mode;
  Peer main;       /* the script */
  Peer workers[2]; /* bridge workers: [0] Python, [1] JavaScript */
  char *owner;
  char *bdir; /* the frozen bundle */
  Manifest *man;
  double last_lease;
  double last_cancel_check;
  bool diverged, suspended, cancelled, bad, exited;
  bool stopping; /* we killed every process (fault, cancel, bad input) */
  bool first;    /* first session of the run: nothing was printed before */
  double wake_at;
  long unvisited;
  json_t *abandoned; /* the exit message's calls still in flight: [key, file, site, kind, attempt, t0] */
  char fault[32];
  long fault_at;
  char why[2048];
} Serve;

/* One message from p: 0 go on, -1 bad input (the run is stopped). */
int run_dispatch(Serve *sv, Peer *p, json_t *msg);
/* Reads p's next message (ch_recv's results): a commit in the runtimes'
 * compact form is served on the spot (*msg NULL), anything else is left
 * in *msg for run_dispatch. */
int run_recv(Serve *sv, Peer *p, json_t **msg, char *err, size_t errlen);
/* Sends msg to p and releases it. */
int run_reply(Peer *p, json_t *msg);
/* Sends p the constant {"ok":true} (the reply to a commit). */
int run_reply_ok(Peer *p);
/* Answers p's hello: init, the run's journal rows, ready. */
int run_hello(Serve *sv, Peer *p);
/* Forks p (the script, or a worker when p is not &sv->main). */
int run_spawn(Serve *sv, Peer *p);
/* Closes p's channel (both ways): the process sees the EOF. */
void run_close_peer(Peer *p);
/* Sends sig to the script and every worker. */
void run_kill_all(Serve *sv, int sig);
/* Lease renewal and the cancel check, due while anything is served. */
void run_renew(Serve *sv);
/* How a reaped process ended: "exit status N" / "killed by signal N". */
const char *run_status_text(int wstatus, char *buf, size_t n);

/* In a forked worker: exec its interpreter (never returns). */
void wk_exec(Serve *sv, const Peer *p);
/* A `bridge` request from caller: served by the target worker, whose
 * result is forwarded to caller.  0 go on, -1 bad input. */
int wk_bridge(Serve *sv, Peer *caller, json_t *msg);
/* Ends every worker (the script has exited). */
void wk_close_all(Serve *sv);

/* ------------------------------------------------------------- cmd.c */

int cmd_runs(Ctx *cx);
int cmd_show(Ctx *cx, const char *id);
int cmd_inspect(Ctx *cx, const char *id, long at);
int cmd_fork(Ctx *cx, const char *id, long from);
int cmd_cancel(Ctx *cx, const char *id);
int cmd_signal(Ctx *cx, const char *id, const char *name, const char *json);
int cmd_resume(Ctx *cx, const char *id);
int cmd_replay(Ctx *cx, const char *id);
int cmd_serve(Ctx *cx, double interval, bool once);
/* Resolves a run id (prefix) or prints why not: 0 ok, else exit status. */
int cmd_find(Ctx *cx, const char *id, RunRec *r);
/* `show RUN --json`'s document: the run with its "checkpoints". */
json_t *show_json(Ctx *cx, const RunRec *r);

/* ------------------------------------------------------------ view.c */

/* `view RUN -o FILE.html`: the graph page with the run overlaid. */
int cmd_view(Ctx *cx, int argc, char **argv);

#endif
