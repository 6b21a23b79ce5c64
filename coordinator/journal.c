/*
 * journal.c — the durable journal, on SQLite.
 *
 * This is the only file that knows SQL.  The rest of the coordinator sees
 * the narrow jr_ interface of coord.h (runs, checkpoints, leases, events),
 * small enough that a PostgreSQL backend can implement the same calls.
 *
 * Durability: WAL mode, one transaction per checkpoint.  JR_SYNC_FULL
 * (synchronous=FULL, the default) fsyncs the WAL at every commit: a
 * committed checkpoint survives the coordinator, the child, the OS and a
 * power cut.  JR_SYNC_NORMAL (CURRANT_SYNC=normal) skips that fsync: a
 * committed checkpoint survives any process crash (the WAL is in the page
 * cache) but the last commits may be lost on power loss or a kernel crash.
 * A half-written transaction never becomes visible: SQLite rolls it back
 * on the next open.
 *
 * Several coordinators may share one journal (busy timeout); a run is
 * served by one at a time, which the lease (owner + expiry) enforces.
 */
#include "coord.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct Journal {
  sqlite3 *db;
  /* the hot path, prepared once: a checkpoint is BEGIN, next seq, INSERT,
   * COMMIT, none of them parsed again */
  sqlite3_stmt *begin, *commit, *rollback;
  sqlite3_stmt *ck_insert;
  sqlite3_stmt *ck_next;
  JrSync sync;
  int page_size;
  /* The next seq of run seq_run, as our last append left it, valid while
   * the database's data version is still seq_version: any other commit,
   * ours or another process's, changes it (see next_seq). */
  char *seq_run;
  long seq_next;
  unsigned seq_version;
  long wal_frames;         /* frames in the WAL after our last commit (wal hook) */
  sqlite3_int64 wal_bytes; /* the WAL is known to be at least this long */
  char err[512];
};

/* SQLite's own autocheckpoint threshold, which the wal hook below replaces. */
#define WAL_CHECKPOINT 1000
/* The WAL is kept WAL_AHEAD frames ahead of its last frame, grown by
 * WAL_CHUNK bytes at a time (see wal_reserve). */
#define WAL_AHEAD 8
#define WAL_CHUNK (64 * 1024)
#define WAL_HEADER 32
/* Pages of a new journal: a checkpoint row is ~100-200 bytes, and each
 * commit writes (and checksums, and fsyncs) whole pages of two b-trees:
 * 1 KB pages make that ~2 KB a commit instead of ~8 KB with SQLite's
 * 4 KB default (10% fewer instructions per commit, measured).  Journals
 * made before keep their page size. */
#define JOURNAL_PAGE_SIZE "1024"
#define WAL_FRAME_HEADER 24

static const char *SCHEMA =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS runs("
    " id TEXT PRIMARY KEY, status TEXT NOT NULL, entry TEXT NOT NULL,"
    " bundle TEXT NOT NULL, lang TEXT NOT NULL, args TEXT NOT NULL, cwd TEXT NOT NULL,"
    " parent TEXT, fork_at INTEGER NOT NULL DEFAULT 0, error TEXT,"
    " created REAL NOT NULL, updated REAL NOT NULL, wake_at REAL,"
    " exit_code INTEGER NOT NULL DEFAULT -1, cancel INTEGER NOT NULL DEFAULT 0,"
    " owner TEXT, lease_until REAL);"
    /* WITHOUT ROWID: the rows live in the (run, seq) b-tree itself, so a
     * commit writes two pages (that b-tree's leaf and the UNIQUE index's),
     * not three (rowid table, its (run, seq) index, UNIQUE index).  Journals
     * made before keep their rowid table: same columns, same SQL. */
    "CREATE TABLE IF NOT EXISTS checkpoints("
    " run TEXT NOT NULL, seq INTEGER NOT NULL, key TEXT NOT NULL, file TEXT NOT NULL,"
    " site INTEGER NOT NULL, kind TEXT NOT NULL, attempt INTEGER NOT NULL,"
    " status TEXT NOT NULL, value TEXT, started REAL NOT NULL, ended REAL NOT NULL,"
    " arghash TEXT, PRIMARY KEY(run, seq), UNIQUE(run, key, attempt, status)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS events("
    " id INTEGER PRIMARY KEY, run TEXT NOT NULL, name TEXT NOT NULL,"
    " payload TEXT NOT NULL, sent REAL NOT NULL, consumed_by TEXT);"
    "CREATE INDEX IF NOT EXISTS events_pending ON events(run, name, consumed_by);";

static int fail(Journal *j, const char *what) {
  snprintf(j->err, sizeof j->err, "%s: %s", what, sqlite3_errmsg(j->db));
  return -1;
}

const char *jr_error(Journal *j) { return j->err; }

static int exec(Journal *j, const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(j->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(j->err, sizeof j->err, "%s", msg ? msg : sqlite3_errmsg(j->db));
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

/* Steps one of the cached BEGIN IMMEDIATE / COMMIT / ROLLBACK statements;
 * on failure j->err holds SQLite's message, as exec() would. */
static int tx(Journal *j, sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  if (rc != SQLITE_DONE) snprintf(j->err, sizeof j->err, "%s", sqlite3_errmsg(j->db));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Abandons the open transaction, if any, keeping j->err: a COMMIT that
 * failed (I/O error, disk full) must not leave its rows pending for a later
 * COMMIT to publish. */
static void abandon(Journal *j) {
  if (sqlite3_get_autocommit(j->db)) return;
  char keep[sizeof j->err];
  memcpy(keep, j->err, sizeof keep);
  tx(j, j->rollback);
  memcpy(j->err, keep, sizeof keep);
}

static int commit(Journal *j) {
  if (tx(j, j->commit) == 0) return 0;
  abandon(j);
  return -1;
}

/* Called by SQLite after each commit with the frames now in the WAL: what
 * SQLite's default hook (wal_autocheckpoint) does, plus noting the count. */
static int on_wal_commit(void *ctx, sqlite3 *db, const char *name, int frames) {
  Journal *j = ctx;
  j->wal_frames = frames;
  if (frames >= WAL_CHECKPOINT) sqlite3_wal_checkpoint(db, name);
  return SQLITE_OK;
}

/*
 * Keeps the WAL file ahead of its frames.  SQLite deletes the WAL at the
 * last close and grows it again, frame by frame, up to the first
 * checkpoint (WAL_CHECKPOINT pages): every commit of a process's first few
 * hundred checkpoints appended, and an fdatasync that extends a file must
 * also allocate blocks and write the inode, about twice an overwrite's cost
 * here (ext4; measured in docs/BENCHMARKS-coordinator.md).  So, under the
 * write lock of the transaction, bytes past the end of the WAL are written
 * as zeros WAL_CHUNK at a time, and the commits' frames overwrite them.
 * Only bytes past the end of the file are ever written, so no frame is
 * touched; SQLite ignores what follows the last valid frame (a zero frame
 * fails the salt and checksum test; a WAL whose header is zeros is empty),
 * so what a crash or power loss leaves is read exactly as before.  An
 * estimate that is wrong (another process's commits) costs an append, not
 * correctness.  FULL only: without fsync the allocation is not waited for.
 */
static void wal_reserve(Journal *j) {
  static const char zeros[WAL_CHUNK];
  sqlite3_file *f = NULL;
  sqlite3_int64 size;
  if (j->sync != JR_SYNC_FULL || j->page_size <= 0) return;
  sqlite3_int64 need =
      WAL_HEADER + (sqlite3_int64)(j->wal_frames + WAL_AHEAD) * (j->page_size + WAL_FRAME_HEADER);
  if (need <= j->wal_bytes) return; /* no system call on most commits */
  if (sqlite3_file_control(j->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK || !f ||
      !f->pMethods || f->pMethods->xFileSize(f, &size) != SQLITE_OK)
    return;
  sqlite3_int64 to = size >= need ? size : (need + WAL_CHUNK - 1) / WAL_CHUNK * WAL_CHUNK;
  while (size < to) {
    int n = to - size < WAL_CHUNK ? (int)(to - size) : WAL_CHUNK;
    if (f->pMethods->xWrite(f, zeros, n, size) != SQLITE_OK) return;
    size += n;
  }
  j->wal_bytes = size;
}

/* A journal is ours if it is empty or carries our meta format. */
static int check_format(Journal *j) {
  sqlite3_stmt *st;
  int tables = 0, ours = 0;
  if (sqlite3_prepare_v2(j->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) != SQLITE_OK)
    return fail(j, "not a currant journal (cannot read it as SQLite)");
  if (sqlite3_step(st) == SQLITE_ROW) tables = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (tables == 0) return 0;
  if (sqlite3_prepare_v2(j->db, "SELECT value FROM meta WHERE key='format'", -1, &st, NULL) ==
      SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW) {
      const char *v = (const char *)sqlite3_column_text(st, 0);
      ours = v && strcmp(v, JOURNAL_FORMAT) == 0 ? 1 : -1;
      if (ours < 0) snprintf(j->err, sizeof j->err, "journal format %s, expected %s", v ? v : "?",
                             JOURNAL_FORMAT);
    }
    sqlite3_finalize(st);
  }
  if (ours == 0) snprintf(j->err, sizeof j->err, "foreign SQLite database (no currant meta table)");
  return ours == 1 ? 0 : -1;
}

Journal *jr_open(const char *path, JrSync sync, char *err, size_t errlen) {
  /* The coordinator has no threads and this file is its only SQLite user:
   * before SQLite's first use (later calls are refused, harmlessly) its
   * global mutexes (allocator, page cache) and memory statistics go too,
   * 5% of a commit's instructions. */
  sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  Journal *j = calloc(1, sizeof *j);
  if (!j) return NULL;
  /* NOMUTEX: a Journal, and so its connection, is used by one thread only,
   * and in SQLite's default serialized mode every sqlite3_column_* and bind
   * call takes the connection's mutex: an eighth of a replay's
   * instructions. */
  if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(j->db));
    jr_close(j);
    return NULL;
  }
  sqlite3_busy_timeout(j->db, 10000);
  if (sqlite3_prepare_v3(j->db, "BEGIN IMMEDIATE", -1, SQLITE_PREPARE_PERSISTENT, &j->begin, NULL) !=
          SQLITE_OK ||
      sqlite3_prepare_v3(j->db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &j->commit, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3(j->db, "ROLLBACK", -1, SQLITE_PREPARE_PERSISTENT, &j->rollback, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(j->db));
    jr_close(j);
    return NULL;
  }
  j->sync = sync;
#define SETUP "PRAGMA page_size=" JOURNAL_PAGE_SIZE "; PRAGMA journal_mode=WAL; "
  const char *pragmas = sync == JR_SYNC_FULL ? SETUP "PRAGMA synchronous=FULL;"
                                             : SETUP "PRAGMA synchronous=NORMAL;";
#undef SETUP
  /* Coordinators opening a new journal at once can meet SQLITE_BUSY where
   * the busy handler is not called (two of them turning it to WAL): the
   * setup is retried for up to ~10 s, as the busy timeout would. */
  for (int tries = 0;; tries++) {
    if (check_format(j) == 0 && exec(j, pragmas) == 0 && tx(j, j->begin) == 0 && exec(j, SCHEMA) == 0 &&
        exec(j, "INSERT OR IGNORE INTO meta VALUES('format','" JOURNAL_FORMAT "')") == 0 && commit(j) == 0)
      break;
    int code = sqlite3_errcode(j->db) & 0xff;
    abandon(j);
    if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || tries == 500) {
      snprintf(err, errlen, "%s: %s", path, j->err);
      jr_close(j);
      return NULL;
    }
    nanosleep(&(struct timespec){.tv_nsec = 20 * 1000 * 1000}, NULL);
  }
  sqlite3_stmt *ps;
  if (sqlite3_prepare_v2(j->db, "PRAGMA page_size", -1, &ps, NULL) == SQLITE_OK &&
      sqlite3_step(ps) == SQLITE_ROW)
    j->page_size = sqlite3_column_int(ps, 0);
  sqlite3_finalize(ps);
  sqlite3_wal_hook(j->db, on_wal_commit, j);
  if (sqlite3_prepare_v2(j->db,
                         "INSERT INTO checkpoints(run,seq,key,file,site,kind,attempt,status,value,"
                         "started,ended,arghash) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &j->ck_insert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(j->db, "SELECT coalesce(max(seq)+1,0) FROM checkpoints WHERE run=?", -1,
                         &j->ck_next, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(j->db));
    jr_close(j);
    return NULL;
  }
  return j;
}

void jr_close(Journal *j) {
  if (!j) return;
  sqlite3_finalize(j->ck_insert);
  sqlite3_finalize(j->ck_next);
  sqlite3_finalize(j->begin);
  sqlite3_finalize(j->commit);
  sqlite3_finalize(j->rollback);
  sqlite3_close(j->db);
  free(j->seq_run);
  free(j);
}

/* ---------------------------------------------------------------- runs */

static char *col_dup(sqlite3_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return t ? strdup((const char *)t) : NULL;
}

/* A run's checkpoints are numbered 0..n-1 without gaps (an append takes
 * max(seq)+1, a fork copies a prefix, nothing deletes one): their count is
 * max(seq)+1, one b-tree seek instead of a scan of every row (which cost
 * replay and resume a tenth of their instructions, twice). */
#define RUN_COLS                                                                            \
  "id,status,entry,bundle,lang,args,cwd,parent,fork_at,error,created,updated,wake_at,"     \
  "exit_code,cancel,owner,lease_until,"                                                    \
  "(SELECT coalesce(max(seq)+1,0) FROM checkpoints c WHERE c.run=runs.id)"

static void run_from_row(sqlite3_stmt *st, RunRec *r) {
  memset(r, 0, sizeof *r);
  r->id = col_dup(st, 0);
  r->status = col_dup(st, 1);
  r->entry = col_dup(st, 2);
  r->bundle = col_dup(st, 3);
  r->lang = col_dup(st, 4);
  r->args = col_dup(st, 5);
  r->cwd = col_dup(st, 6);
  r->parent = col_dup(st, 7);
  r->fork_at = sqlite3_column_int64(st, 8);
  r->error = col_dup(st, 9);
  r->created = sqlite3_column_double(st, 10);
  r->updated = sqlite3_column_double(st, 11);
  r->wake_at = sqlite3_column_double(st, 12);
  r->exit_code = sqlite3_column_int(st, 13);
  r->cancel = sqlite3_column_int(st, 14);
  r->owner = col_dup(st, 15);
  r->lease_until = sqlite3_column_double(st, 16);
  r->nck = sqlite3_column_int64(st, 17);
}

void jr_run_free(RunRec *r) {
  free(r->id);
  free(r->status);
  free(r->entry);
  free(r->bundle);
  free(r->lang);
  free(r->args);
  free(r->cwd);
  free(r->parent);
  free(r->error);
  free(r->owner);
  memset(r, 0, sizeof *r);
}

int jr_run_insert(Journal *j, const RunRec *r) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db,
                         "INSERT INTO runs(id,status,entry,bundle,lang,args,cwd,parent,fork_at,"
                         "created,updated) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &st, NULL) != SQLITE_OK)
    return fail(j, "insert run");
  sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, r->status, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, r->entry, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, r->bundle, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, r->lang, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, r->args, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, r->cwd, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 8, r->parent, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 9, r->fork_at);
  sqlite3_bind_double(st, 10, r->created);
  sqlite3_bind_double(st, 11, r->created);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : fail(j, "insert run");
}

int jr_run_get(Journal *j, const char *id, RunRec *out) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db,
                         "SELECT " RUN_COLS " FROM runs WHERE id=?1 OR (id LIKE ?1 || '%' AND "
                         "NOT EXISTS (SELECT 1 FROM runs WHERE id=?1)) LIMIT 2",
                         -1, &st, NULL) != SQLITE_OK)
    return fail(j, "find run");
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int found = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (found++) {
      jr_run_free(out);
      break;
    }
    run_from_row(st, out);
  }
  sqlite3_finalize(st);
  return found == 0 ? 1 : found == 1 ? 0 : 2;
}

int jr_run_set_status(Journal *j, const char *id, const char *status, int exit_code,
                      double wake_at, const char *error) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db,
                         "UPDATE runs SET status=?2, exit_code=?3, wake_at=?4, error=?5, updated=?6 "
                         "WHERE id=?1",
                         -1, &st, NULL) != SQLITE_OK)
    return fail(j, "update run");
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 3, exit_code);
  if (wake_at > 0) sqlite3_bind_double(st, 4, wake_at);
  else sqlite3_bind_null(st, 4);
  sqlite3_bind_text(st, 5, error, -1, SQLITE_STATIC);
  sqlite3_bind_double(st, 6, now_s());
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : fail(j, "update run");
}

int jr_run_list(Journal *j, int (*cb)(const RunRec *r, void *ctx), void *ctx) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db, "SELECT " RUN_COLS " FROM runs ORDER BY created, id", -1, &st,
                         NULL) != SQLITE_OK)
    return fail(j, "list runs");
  int rc = 0;
  while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
    RunRec r;
    run_from_row(st, &r);
    rc = cb(&r, ctx);
    jr_run_free(&r);
  }
  sqlite3_finalize(st);
  return rc;
}

/* ------------------------------------------------------- lease, cancel */

/* "host:pid" names a dead process when host is ours and pid is gone. */
static bool owner_dead(const char *owner) {
  char host[256];
  if (!owner) return true;
  const char *colon = strrchr(owner, ':');
  if (!colon || gethostname(host, sizeof host) != 0) return false;
  if ((size_t)(colon - owner) != strlen(host) || strncmp(owner, host, (size_t)(colon - owner)))
    return false;
  long pid = strtol(colon + 1, NULL, 10);
  return pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

int jr_lease(Journal *j, const char *id, const char *owner, double until) {
  if (tx(j, j->begin) < 0) return -1;
  sqlite3_stmt *st;
  int rc = -1;
  if (sqlite3_prepare_v2(j->db, "SELECT owner, lease_until FROM runs WHERE id=?", -1, &st, NULL) !=
      SQLITE_OK)
    goto out;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_finalize(st);
    snprintf(j->err, sizeof j->err, "no run %s", id);
    goto out;
  }
  const char *cur = (const char *)sqlite3_column_text(st, 0);
  double cur_until = sqlite3_column_double(st, 1);
  bool free_ = !cur || strcmp(cur, owner) == 0 || cur_until < now_s() || owner_dead(cur);
  sqlite3_finalize(st);
  if (!free_) {
    rc = 1;
    goto out;
  }
  if (sqlite3_prepare_v2(j->db, "UPDATE runs SET owner=?2, lease_until=?3 WHERE id=?1", -1, &st,
                         NULL) != SQLITE_OK)
    goto out;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
  sqlite3_bind_double(st, 3, until);
  rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
  sqlite3_finalize(st);
out:
  if (rc < 0) {
    fail(j, "lease");
    abandon(j);
    return -1;
  }
  if (rc == 1) return tx(j, j->rollback) < 0 ? -1 : 1;
  return commit(j);
}

static int update_simple(Journal *j, const char *sql, const char *id, const char *arg) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK) return fail(j, sql);
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  if (arg) sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : fail(j, sql);
}

int jr_lease_release(Journal *j, const char *id, const char *owner) {
  return update_simple(j, "UPDATE runs SET owner=NULL, lease_until=NULL WHERE id=?1 AND owner=?2",
                       id, owner);
}

int jr_request_cancel(Journal *j, const char *id) {
  return update_simple(j, "UPDATE runs SET cancel=1 WHERE id=?1", id, NULL);
}

int jr_cancel_requested(Journal *j, const char *id) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db, "SELECT cancel FROM runs WHERE id=?", -1, &st, NULL) != SQLITE_OK)
    return fail(j, "cancel");
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
  sqlite3_finalize(st);
  return v;
}

/* --------------------------------------------------------- checkpoints */

static unsigned data_version(Journal *j) {
  unsigned v = 0;
  sqlite3_file_control(j->db, "main", SQLITE_FCNTL_DATA_VERSION, &v);
  return v;
}

/* The seq a new checkpoint of run takes, inside the write transaction.
 * A run is appended to by one coordinator at a time, commit after commit:
 * when nothing was committed since our last append (same data version),
 * its seq + 1 is the answer and the max(seq) query is skipped. */
static int next_seq(Journal *j, const char *run, long *seq) {
  if (j->seq_run && j->seq_version == data_version(j) && !strcmp(j->seq_run, run)) {
    *seq = j->seq_next;
    return 0;
  }
  sqlite3_reset(j->ck_next);
  sqlite3_bind_text(j->ck_next, 1, run, -1, SQLITE_STATIC);
  if (sqlite3_step(j->ck_next) != SQLITE_ROW) return fail(j, "next seq");
  *seq = sqlite3_column_int64(j->ck_next, 0);
  sqlite3_reset(j->ck_next);
  return 0;
}

/* After an append's COMMIT (ok: it succeeded) keeps its seq for
 * next_seq; after a failure, forgets it. */
static void note_seq(Journal *j, const char *run, long seq, bool ok) {
  if (!ok || !j->seq_run || strcmp(j->seq_run, run)) {
    free(j->seq_run);
    j->seq_run = ok ? strdup(run) : NULL;
  }
  j->seq_next = seq + 1;
  j->seq_version = data_version(j);
}

static int ck_insert(Journal *j, const char *run, CkRec *c) {
  if (next_seq(j, run, &c->seq) < 0) return -1;
  sqlite3_stmt *st = j->ck_insert;
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, c->seq);
  sqlite3_bind_text(st, 3, c->key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, c->file, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 5, c->site);
  sqlite3_bind_text(st, 6, c->kind, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 7, c->attempt);
  sqlite3_bind_text(st, 8, c->status, -1, SQLITE_STATIC);
  if (c->value) sqlite3_bind_text(st, 9, c->value, -1, SQLITE_STATIC);
  else sqlite3_bind_null(st, 9);
  sqlite3_bind_double(st, 10, c->t0);
  sqlite3_bind_double(st, 11, c->t1);
  if (c->arghash) sqlite3_bind_text(st, 12, c->arghash, -1, SQLITE_STATIC);
  else sqlite3_bind_null(st, 12);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : fail(j, "append checkpoint");
}

int jr_ck_append(Journal *j, const char *run, CkRec *c) {
  if (tx(j, j->begin) < 0) return -1;
  wal_reserve(j);
  if (ck_insert(j, run, c) < 0) {
    abandon(j);
    note_seq(j, run, 0, false);
    return -1;
  }
  int rc = commit(j);
  note_seq(j, run, c->seq, rc == 0);
  return rc;
}

int jr_run_finish(Journal *j, const char *id, const char *status, int exit_code, CkRec *abandoned, int n) {
  if (n == 0) return jr_run_set_status(j, id, status, exit_code, 0, NULL);
  if (tx(j, j->begin) < 0) return -1;
  long seq = -1;
  for (int i = 0; i < n; i++) {
    if (ck_insert(j, id, &abandoned[i]) < 0) goto failed;
    seq = abandoned[i].seq;
    note_seq(j, id, seq, true); /* the next insert numbers after it */
  }
  if (jr_run_set_status(j, id, status, exit_code, 0, NULL) < 0) goto failed;
  int rc = commit(j);
  note_seq(j, id, seq, rc == 0);
  return rc;
failed:
  abandon(j);
  note_seq(j, id, 0, false);
  return -1;
}

int jr_ck_each(Journal *j, const char *run, long limit, int (*cb)(const CkRec *c, void *ctx),
               void *ctx) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db,
                         "SELECT seq,key,file,site,kind,attempt,status,value,started,ended,arghash "
                         "FROM checkpoints WHERE run=? AND seq<? ORDER BY seq",
                         -1, &st, NULL) != SQLITE_OK)
    return fail(j, "read checkpoints");
  sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, limit < 0 ? INT64_MAX : limit);
  int rc = 0, step;
  while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
    CkRec c = {
        .seq = sqlite3_column_int64(st, 0),
        .key = (const char *)sqlite3_column_text(st, 1),
        .file = (const char *)sqlite3_column_text(st, 2),
        .site = sqlite3_column_int(st, 3),
        .kind = (const char *)sqlite3_column_text(st, 4),
        .attempt = sqlite3_column_int(st, 5),
        .status = (const char *)sqlite3_column_text(st, 6),
        .value = (const char *)sqlite3_column_text(st, 7),
        .t0 = sqlite3_column_double(st, 8),
        .t1 = sqlite3_column_double(st, 9),
        .arghash = (const char *)sqlite3_column_text(st, 10),
    };
    rc = cb(&c, ctx);
  }
  sqlite3_finalize(st);
  return rc;
}

long jr_ck_count(Journal *j, const char *run) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db, "SELECT count(*) FROM checkpoints WHERE run=?", -1, &st, NULL) !=
      SQLITE_OK)
    return fail(j, "count");
  sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
  long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  return n;
}

int jr_ck_copy(Journal *j, const char *from, const char *to, long limit) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db,
                         "INSERT INTO checkpoints SELECT ?2,seq,key,file,site,kind,attempt,status,"
                         "value,started,ended,arghash FROM checkpoints WHERE run=?1 AND seq<?3",
                         -1, &st, NULL) != SQLITE_OK)
    return fail(j, "copy checkpoints");
  sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, limit);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : fail(j, "copy checkpoints");
}

/* -------------------------------------------------------------- events */

int jr_event_add(Journal *j, const char *run, const char *name, const char *payload) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db, "INSERT INTO events(run,name,payload,sent) VALUES(?,?,?,?)", -1,
                         &st, NULL) != SQLITE_OK)
    return fail(j, "add event");
  sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, payload, -1, SQLITE_STATIC);
  sqlite3_bind_double(st, 4, now_s());
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : fail(j, "add event");
}

int jr_event_take(Journal *j, const char *run, const char *name, CkRec *c, char **payload_out) {
  sqlite3_stmt *st;
  if (tx(j, j->begin) < 0) return -1;
  if (sqlite3_prepare_v2(j->db,
                         "SELECT id, payload FROM events WHERE run=? AND name=? AND consumed_by "
                         "IS NULL ORDER BY id LIMIT 1",
                         -1, &st, NULL) != SQLITE_OK)
    goto bad;
  sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_finalize(st);
    return tx(j, j->rollback) < 0 ? -1 : 1;
  }
  long long id = sqlite3_column_int64(st, 0);
  char *payload = col_dup(st, 1);
  sqlite3_finalize(st);
  c->value = payload;
  wal_reserve(j);
  int rc = ck_insert(j, run, c);
  c->value = NULL;
  if (rc < 0) {
    free(payload);
    goto bad;
  }
  *payload_out = payload;
  if (sqlite3_prepare_v2(j->db, "UPDATE events SET consumed_by=?2 WHERE id=?1", -1, &st, NULL) !=
      SQLITE_OK)
    goto bad;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, c->key, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) fail(j, "take event");
  if (rc != SQLITE_DONE || commit(j) < 0) {
    free(*payload_out);
    *payload_out = NULL;
    abandon(j);
    return -1;
  }
  return 0;
bad:
  fail(j, "take event");
  abandon(j);
  return -1;
}

/* Suspended runs whose wake time has come, and running runs whose
 * coordinator is gone (lease expired, or its process dead on this host). */
int jr_due_runs(Journal *j, double now, char ***ids, int *n) {
  sqlite3_stmt *st;
  *ids = NULL;
  *n = 0;
  if (sqlite3_prepare_v2(j->db,
                         "SELECT id, status, owner, lease_until FROM runs WHERE cancel=0 AND "
                         "((status='suspended' AND wake_at<=?1) OR status='running') "
                         "ORDER BY created",
                         -1, &st, NULL) != SQLITE_OK)
    return fail(j, "due runs");
  sqlite3_bind_double(st, 1, now);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *status = (const char *)sqlite3_column_text(st, 1);
    const char *owner = (const char *)sqlite3_column_text(st, 2);
    bool orphan = !owner || sqlite3_column_double(st, 3) < now || owner_dead(owner);
    if (strcmp(status, "suspended") != 0 && !orphan) continue;
    *ids = realloc(*ids, sizeof(char *) * (size_t)(*n + 1));
    (*ids)[(*n)++] = strdup((const char *)sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return 0;
}
