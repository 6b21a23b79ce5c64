/*
 * test_coord.c — unit tests of the coordinator's pieces: SHA-256, the
 * channel framing (including hostile input), the journal (runs,
 * checkpoints, leases, events, forks, foreign and corrupt files), the
 * manifest lookup and the in-place commit reader (against jansson).
 * Prints "N passed, N failed" like every suite.
 */
#include "coord.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (cond) {                                                                  \
      passed++;                                                                  \
    } else {                                                                     \
      failed++;                                                                  \
      fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);            \
    }                                                                            \
  } while (0)

static char tmpdir[256];

static void sha_vector(const char *in, const char *want) {
  Sha256 s;
  char hex[65];
  sha256_init(&s);
  sha256_update(&s, in, strlen(in));
  sha256_hex(&s, hex);
  CHECK(strcmp(hex, want) == 0);
}

static void test_sha256(void) {
  sha_vector("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  sha_vector("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  sha_vector("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* the same bytes fed in pieces hash the same */
  Sha256 s;
  char a[65];
  sha256_init(&s);
  sha256_update(&s, "ab", 2);
  sha256_update(&s, "c", 1);
  sha256_hex(&s, a);
  CHECK(strcmp(a, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
}

static void test_channel(void) {
  int sp[2];
  char err[256];
  json_t *msg;
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
  json_t *m = json_pack("{s:s, s:i}", "op", "commit", "site", 3);
  CHECK(ch_send(sp[0], m) == 0);
  json_decref(m);
  CHECK(ch_recv(sp[1], &msg, err, sizeof err) == 0);
  CHECK(msg && json_integer_value(json_object_get(msg, "site")) == 3);
  json_decref(msg);
  /* oversized frame: refused before any allocation */
  unsigned char big[4] = {0xff, 0xff, 0xff, 0xff};
  CHECK(write(sp[0], big, 4) == 4);
  CHECK(ch_recv(sp[1], &msg, err, sizeof err) == -1);
  CHECK(strstr(err, "oversized") != NULL);
  close(sp[0]);
  close(sp[1]);
  /* garbage JSON, and JSON that is not an object */
  const char *bad[] = {"{nope", "[1,2]"};
  for (int i = 0; i < 2; i++) {
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
    CHECK(ch_send_raw(sp[0], bad[i], strlen(bad[i])) == 0);
    CHECK(ch_recv(sp[1], &msg, err, sizeof err) == -1);
    CHECK(strstr(err, "malformed") != NULL);
    close(sp[0]);
    close(sp[1]);
  }
  /* truncated frame, then clean EOF */
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
  unsigned char part[6] = {0, 0, 0, 10, '{', '}'};
  CHECK(write(sp[0], part, 6) == 6);
  close(sp[0]);
  CHECK(ch_recv(sp[1], &msg, err, sizeof err) == -1);
  CHECK(strstr(err, "truncated") != NULL);
  close(sp[1]);
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
  close(sp[0]);
  CHECK(ch_recv(sp[1], &msg, err, sizeof err) == 1);
  close(sp[1]);
}

/* A reader that polls before it blocks (ChIn.spin_us) reads the same
 * messages: one that comes during the poll, one that comes after it, two
 * sent at once, an EOF, a receive timeout, and a pipe (not a socket: the
 * poll gives up, the blocking read serves). */
static void test_channel_spin(void) {
  int sp[2];
  char err[256];
  json_t *msg;
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
  ChIn in = {.spin_us = 20000};
  pid_t pid = fork();
  if (pid == 0) {
    usleep(2000); /* within the poll */
    ch_send_raw(sp[0], "{\"n\":1}", 7);
    usleep(60000); /* after it */
    ch_send_raw(sp[0], "{\"n\":2}", 7);
    ch_send_raw(sp[0], "{\"n\":3}", 7);
    _exit(0);
  }
  for (int n = 1; n <= 3; n++) {
    CHECK(ch_recv_in(sp[1], &in, &msg, NULL, err, sizeof err) == 0);
    CHECK(msg && json_integer_value(json_object_get(msg, "n")) == n);
    json_decref(msg);
  }
  close(sp[0]);
  CHECK(ch_recv_in(sp[1], &in, &msg, NULL, err, sizeof err) == 1);
  waitpid(pid, NULL, 0);
  close(sp[1]);
  CHECK(in.spin_us == 20000); /* a reset keeps the setting */
  ch_in_reset(&in);
  CHECK(in.spin_us == 20000);
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
  struct timeval tv = {.tv_usec = 50000};
  setsockopt(sp[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  CHECK(ch_recv_in(sp[1], &in, &msg, NULL, err, sizeof err) == 2);
  close(sp[0]);
  close(sp[1]);
  int pp[2];
  CHECK(pipe(pp) == 0);
  CHECK(ch_send_raw(pp[1], "{\"n\":4}", 7) == 0);
  CHECK(ch_recv_in(pp[0], &in, &msg, NULL, err, sizeof err) == 0);
  CHECK(msg && json_integer_value(json_object_get(msg, "n")) == 4);
  json_decref(msg);
  close(pp[1]);
  CHECK(ch_recv_in(pp[0], &in, &msg, NULL, err, sizeof err) == 1);
  close(pp[0]);
  ch_in_reset(&in);
}

static int count_cb(const CkRec *c, void *ctx) {
  long *n = ctx;
  (*n)++;
  return c->seq < 0;
}

static int last_value_cb(const CkRec *c, void *ctx) {
  char **v = ctx;
  free(*v);
  *v = c->value ? strdup(c->value) : NULL;
  return 0;
}

static Journal *open_journal(const char *name, char *err, size_t n) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  return jr_open(path, JR_SYNC_FULL, err, n);
}

static void test_journal(void) {
  char err[1024];
  Journal *j = open_journal("j.db", err, sizeof err);
  CHECK(j != NULL);
  if (!j) return;
  RunRec r = {.id = "abc123", .status = "created", .entry = "app/main.py", .bundle = "h",
              .lang = "py", .args = "[]", .cwd = "/", .created = 1.0};
  CHECK(jr_run_insert(j, &r) == 0);
  CHECK(jr_run_insert(j, &r) < 0); /* ids are unique */
  RunRec got;
  CHECK(jr_run_get(j, "abc", &got) == 0); /* unique prefix */
  CHECK(got.id && strcmp(got.id, "abc123") == 0 && got.exit_code == -1);
  jr_run_free(&got);
  CHECK(jr_run_get(j, "zzz", &got) == 1);
  r.id = "abc999";
  CHECK(jr_run_insert(j, &r) == 0);
  CHECK(jr_run_get(j, "abc", &got) == 2); /* ambiguous */

  CkRec c = {.key = "0", .file = "app/main.py", .site = 0, .kind = "call", .attempt = 1,
             .status = "ok", .value = "{\"a\":1}", .t0 = 1, .t1 = 2};
  CHECK(jr_ck_append(j, "abc123", &c) == 0 && c.seq == 0);
  c.key = "1";
  CHECK(jr_ck_append(j, "abc123", &c) == 0 && c.seq == 1);
  c.key = "1"; /* the same key and outcome twice is refused, nothing half-written */
  CHECK(jr_ck_append(j, "abc123", &c) < 0);
  CHECK(jr_ck_count(j, "abc123") == 2);
  long n = 0;
  CHECK(jr_ck_each(j, "abc123", -1, count_cb, &n) == 0 && n == 2);
  n = 0;
  jr_ck_each(j, "abc123", 1, count_cb, &n);
  CHECK(n == 1);
  /* fork: copy a prefix */
  RunRec f = r;
  f.id = "fork1";
  f.parent = "abc123";
  f.fork_at = 1;
  CHECK(jr_run_insert(j, &f) == 0);
  CHECK(jr_ck_copy(j, "abc123", "fork1", 1) == 0);
  CHECK(jr_ck_count(j, "fork1") == 1);

  /* status, lease, cancel */
  CHECK(jr_run_set_status(j, "abc123", "suspended", -1, 5.0, NULL) == 0);
  CHECK(jr_lease(j, "abc123", "hostA:1", now_s() + 100) == 0);
  CHECK(jr_lease(j, "abc123", "hostB:2", now_s() + 100) == 1); /* held */
  CHECK(jr_lease(j, "abc123", "hostA:1", now_s() + 100) == 0); /* renewal */
  CHECK(jr_lease_release(j, "abc123", "hostA:1") == 0);
  CHECK(jr_lease(j, "abc123", "hostB:2", now_s() - 1) == 0);   /* free again */
  CHECK(jr_lease(j, "abc123", "hostA:1", now_s() + 100) == 0); /* expired */
  char **ids;
  int nid;
  CHECK(jr_due_runs(j, 10.0, &ids, &nid) == 0);
  CHECK(nid == 1 && strcmp(ids[0], "abc123") == 0);
  for (int i = 0; i < nid; i++) free(ids[i]);
  free(ids);
  CHECK(jr_cancel_requested(j, "abc123") == 0);
  CHECK(jr_request_cancel(j, "abc123") == 0);
  CHECK(jr_cancel_requested(j, "abc123") == 1);

  /* events are consumed once, with their checkpoint */
  CkRec e = {.key = "2", .file = "app/main.py", .site = 4, .kind = "event", .attempt = 1,
             .status = "ok", .t0 = 1, .t1 = 2};
  char *payload = NULL;
  CHECK(jr_event_take(j, "abc123", "go", &e, &payload) == 1);
  CHECK(jr_event_add(j, "abc123", "go", "{\"x\":1}") == 0);
  CHECK(jr_event_take(j, "abc123", "go", &e, &payload) == 0);
  CHECK(payload && strcmp(payload, "{\"x\":1}") == 0);
  free(payload);
  payload = NULL;
  char *last = NULL;
  jr_ck_each(j, "abc123", -1, last_value_cb, &last);
  CHECK(last && strcmp(last, "{\"x\":1}") == 0);
  free(last);
  e.key = "3";
  CHECK(jr_event_take(j, "abc123", "go", &e, &payload) == 1);
  jr_close(j);

  /* reopening keeps everything */
  j = open_journal("j.db", err, sizeof err);
  CHECK(j && jr_ck_count(j, "abc123") == 3);
  jr_close(j);
}

/* A row of a call of app/main.js still in flight when its run exited. */
static CkRec gone_rec(const char *key, int site, const char *kind) {
  return (CkRec){.key = key,
                 .file = "app/main.js",
                 .site = site,
                 .kind = kind,
                 .attempt = 1,
                 .status = "abandoned",
                 .t0 = 1,
                 .t1 = 3};
}

/* A run's end with calls still in flight: their rows, numbered after the
 * journal's last, and the status in one transaction; a row that cannot be
 * written leaves neither. */
static void test_run_finish(void) {
  char err[1024];
  Journal *j = open_journal("finish.db", err, sizeof err);
  CHECK(j != NULL);
  if (!j) return;
  RunRec r = {.id = "fin",
              .status = "running",
              .entry = "app/main.js",
              .bundle = "h",
              .lang = "js",
              .args = "[]",
              .cwd = "/",
              .created = 1.0};
  CHECK(jr_run_insert(j, &r) == 0);
  CkRec c = {.key = "1",
             .file = "app/main.js",
             .site = 1,
             .kind = "call",
             .attempt = 1,
             .status = "ok",
             .value = "1",
             .t0 = 1,
             .t1 = 2};
  CHECK(jr_ck_append(j, "fin", &c) == 0 && c.seq == 0);
  CkRec gone[2] = {gone_rec("0", 0, "call+await"), gone_rec("2", 2, "call+cb")};
  CHECK(jr_run_finish(j, "fin", "done", 0, gone, 2) == 0);
  CHECK(gone[0].seq == 1 && gone[1].seq == 2 && jr_ck_count(j, "fin") == 3);
  RunRec got;
  CHECK(jr_run_get(j, "fin", &got) == 0 && !strcmp(got.status, "done") && got.exit_code == 0);
  jr_run_free(&got);
  /* a duplicate row fails the whole end: no row, no status */
  r.id = "fin2";
  CHECK(jr_run_insert(j, &r) == 0);
  gone[1].key = "0";
  CHECK(jr_run_finish(j, "fin2", "done", 0, gone, 2) < 0);
  CHECK(jr_ck_count(j, "fin2") == 0);
  CHECK(jr_run_get(j, "fin2", &got) == 0 && !strcmp(got.status, "running"));
  jr_run_free(&got);
  /* and the next append still numbers from the journal */
  c.key = "5";
  CHECK(jr_ck_append(j, "fin2", &c) == 0 && c.seq == 0);
  jr_close(j);
}

static void write_file(const char *name, const char *data, size_t n) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    if (write(fd, data, n) != (ssize_t)n) fprintf(stderr, "short write\n");
    close(fd);
  }
}

static void test_bad_journals(void) {
  char err[1024];
  const char junk[] = "this is not a database at all, just some text.......................";
  write_file("junk.db", junk, sizeof junk);
  Journal *j = open_journal("junk.db", err, sizeof err);
  CHECK(j == NULL);
  CHECK(strstr(err, "not a") != NULL || strstr(err, "database") != NULL);
  /* a real SQLite database that is not ours */
  char path[512];
  snprintf(path, sizeof path, "%s/foreign.db", tmpdir);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'CREATE TABLE t(x);' 2>/dev/null", path);
  if (system(cmd) == 0) {
    j = open_journal("foreign.db", err, sizeof err);
    CHECK(j == NULL);
    CHECK(strstr(err, "foreign") != NULL);
  }
}

static void test_manifest(void) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s/bundle", tmpdir);
  mkdir(dir, 0777);
  const char *m = "{\"nodes\":[{\"kind\":\"site\",\"file\":\"app/x.py\",\"index\":2,\"line\":12,"
                  "\"function\":\"main\",\"callee\":\"charge\"}]}";
  write_file("bundle/currant.graph.json", m, strlen(m));
  Manifest *man = manifest_load(dir);
  char buf[256];
  CHECK(manifest_site(man, "app/x.py", 2) != NULL);
  CHECK(manifest_site(man, "app/x.py", 3) == NULL);
  CHECK(strcmp(manifest_where(man, "app/x.py", 2, buf, sizeof buf), "app/x.py:12 (main: charge)") ==
        0);
  CHECK(strcmp(manifest_where(man, "app/x.py", 9, buf, sizeof buf), "app/x.py site 9") == 0);
  CHECK(strcmp(manifest_where(man, "", -1, buf, sizeof buf), "(runtime)") == 0);
  manifest_free(man);
  Manifest *none = manifest_load("/nonexistent");
  CHECK(manifest_site(none, "a", 0) == NULL);
  manifest_free(none);
}

static void test_bundle(void) {
  char home[512], src[512], err[512];
  snprintf(home, sizeof home, "%s/home", tmpdir);
  snprintf(src, sizeof src, "%s/out", tmpdir);
  mkdir(home, 0777);
  mkdir(src, 0777);
  char p[600];
  snprintf(p, sizeof p, "%s/bundles", home);
  mkdir(p, 0777);
  snprintf(p, sizeof p, "%s/app", src);
  mkdir(p, 0777);
  write_file("out/currant.graph.json", "{}", 2);
  write_file("out/app/main.py", "print(1)\n", 9);
  snprintf(p, sizeof p, "%s/app/main.py", src);
  char *h1 = NULL, *e1 = NULL, *h2 = NULL, *e2 = NULL;
  CHECK(bundle_freeze(home, p, &h1, &e1, err, sizeof err) == 0);
  CHECK(e1 && strcmp(e1, "app/main.py") == 0);
  CHECK(bundle_freeze(home, p, &h2, &e2, err, sizeof err) == 0);
  CHECK(h1 && h2 && strcmp(h1, h2) == 0); /* content-addressed: same tree, same bundle */
  free(h2);
  free(e2);
  write_file("out/app/main.py", "print(2)\n", 9);
  CHECK(bundle_freeze(home, p, &h2, &e2, err, sizeof err) == 0);
  CHECK(h1 && h2 && strcmp(h1, h2) != 0); /* a new build, a new bundle */
  char frozen[800];
  snprintf(frozen, sizeof frozen, "%s/bundles/%s/app/main.py", home, h1 ? h1 : "");
  FILE *fp = fopen(frozen, "r");
  char line[32] = "";
  if (fp) {
    if (!fgets(line, sizeof line, fp)) line[0] = 0;
    fclose(fp);
  }
  CHECK(strcmp(line, "print(1)\n") == 0); /* the old run keeps its code */
  char *h3 = NULL, *e3 = NULL;
  chmod(p, 0755);
  CHECK(bundle_freeze(home, p, &h3, &e3, err, sizeof err) == 0);
  CHECK(h2 && h3 && strcmp(h2, h3) != 0); /* same bytes, new mode: a new bundle */
  snprintf(frozen, sizeof frozen, "%s/bundles/%s/app/main.py", home, h3 ? h3 : "");
  struct stat st;
  CHECK(stat(frozen, &st) == 0 && (st.st_mode & 0777) == 0755); /* frozen with its mode */
  free(h1);
  free(e1);
  free(h2);
  free(e2);
  free(h3);
  free(e3);
}

/* ---- commit.c: the in-place commit reader against jansson ---------------- */

static char *dup_or(const char *s) { return strdup(s ? s : "?"); }

/* What on_commit (run.c) reads from a commit through jansson; 0 if msg is
 * one it would accept. */
static int commit_oracle(const char *text, CkRec *c, char **value) {
  json_t *m = json_loads(text, 0, NULL);
  if (!json_is_object(m) || !json_is_string(json_object_get(m, "key"))) {
    json_decref(m);
    return -1;
  }
  json_t *v = json_object_get(m, "value");
  *value = json_dumps(v ? v : json_null(), JSON_COMPACT | JSON_ENCODE_ANY);
  json_t *h = json_object_get(m, "h");
  *c = (CkRec){.key = strdup(json_string_value(json_object_get(m, "key"))),
               .file = dup_or(json_string_value(json_object_get(m, "file"))),
               .kind = dup_or(json_string_value(json_object_get(m, "kind"))),
               .status = dup_or(json_string_value(json_object_get(m, "status"))),
               .arghash = json_is_string(h) ? strdup(json_string_value(h)) : NULL,
               .site = (int)json_integer_value(json_object_get(m, "site")),
               .attempt = (int)json_integer_value(json_object_get(m, "attempt")),
               .t0 = json_number_value(json_object_get(m, "t0")),
               .t1 = json_number_value(json_object_get(m, "t1"))};
  if (c->attempt < 1) c->attempt = 1;
  json_decref(m);
  return 0;
}

static bool same_str(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* One message: if the fast reader accepts it, jansson reads the same
 * record; if it declines, the buffer is untouched (jansson gets it). */
static bool commit_agrees(const char *text) {
  size_t n = strlen(text);
  char *buf = malloc(n + 1);
  memcpy(buf, text, n + 1);
  CkRec f, o;
  char *value = NULL;
  bool ok;
  if (ck_parse_commit(buf, n, &f) < 0) {
    ok = memcmp(buf, text, n) == 0;
  } else {
    ok = commit_oracle(text, &o, &value) == 0 && same_str(f.key, o.key) && same_str(f.file, o.file) &&
         same_str(f.kind, o.kind) && same_str(f.status, o.status) && same_str(f.arghash, o.arghash) &&
         same_str(f.value, value) && f.site == o.site && f.attempt == o.attempt && f.t0 == o.t0 &&
         f.t1 == o.t1;
    if (value) free((char *)o.key), free((char *)o.file), free((char *)o.kind), free((char *)o.status),
        free((char *)o.arghash);
  }
  if (!ok) fprintf(stderr, "commit reader disagrees with jansson on: %s\n", text);
  free(value);
  free(buf);
  return ok;
}

/* A commit as a runtime writes it, its members drawn from r. */
static void random_commit(unsigned *r, char *out, size_t cap) {
  static const char *const values[] = {"1",         "-7",   "0",          "3.25",   "1e3",  "\"x y\"",
                                       "\"\"",      "true", "false",      "null",   "[1,2]", "{\"a\":1}",
                                       "\"\\u00e9\"", "-0",   "12345678901234567890", "\"caf\xc3\xa9\""};
  static const char *const hs[] = {"", ",\"h\":\"a1b2c3d4\"", ",\"h\":\"\""};
  int v = rand_r(r) % 16, h = rand_r(r) % 3;
  snprintf(out, cap,
           "{\"op\":\"commit\",\"key\":\"%d.%d\",\"file\":\"app/m%d.py\",\"site\":%d,\"kind\":\"call\","
           "\"attempt\":%d,\"status\":\"ok\",\"value\":%s,\"t0\":%d.%06d,\"t1\":%d%s}",
           rand_r(r) % 100, rand_r(r) % 10, rand_r(r) % 5, rand_r(r) % 40 - 1, rand_r(r) % 3, values[v],
           1700000000 + rand_r(r) % 1000, rand_r(r) % 1000000, 1700000000 + rand_r(r) % 1000, hs[h]);
}

/* Times as the runtimes write them (Python's repr: up to 17 digits; JS: up
 * to 3 decimals) and reals of up to 19 digits, many of them near a tie
 * between two doubles: the fast reader's must be jansson's (strtod's). */
static void test_commit_times(unsigned *r) {
  int agree = 0, total = 0;
  char msg[512], t0[64], t1[64];
  for (int i = 0; i < 20000; i++, total++) {
    snprintf(t0, sizeof t0, "%.17g", 1.7e9 + rand_r(r) * 1e-3);
    snprintf(t1, sizeof t1, "%.*f", i % 4, 1.7e9 + rand_r(r) * 1e-3);
    if (i % 3 == 0) { /* 19 digits, point anywhere, ending ...5000 or random */
      int whole = 1 + i % 18, len = 0;
      for (int d = 0; d < 19; d++) {
        if (d == whole) t1[len++] = '.';
        t1[len++] = (char)('0' + (i % 2 ? rand_r(r) % 10 : d == 18 ? 5 : d < 3 ? 1 + rand_r(r) % 9 : 0));
      }
      t1[len] = 0;
    }
    snprintf(msg, sizeof msg,
             "{\"op\":\"commit\",\"key\":\"0\",\"file\":\"a.py\",\"site\":1,\"kind\":\"call\","
             "\"attempt\":1,\"status\":\"ok\",\"value\":1,\"t0\":%s%s,\"t1\":%s}",
             i % 5 ? "" : "-", t0, t1);
    agree += commit_agrees(msg);
  }
  CHECK(agree == total);
}

static void test_commit_reader(void) {
  CkRec c;
  char ok[] = "{\"op\":\"commit\",\"key\":\"0\",\"file\":\"a.py\",\"site\":3,\"kind\":\"call\",\"attempt\":1,"
              "\"status\":\"ok\",\"value\":42,\"t0\":1.5,\"t1\":2}";
  CHECK(ck_parse_commit(ok, strlen(ok), &c) == 0 && !strcmp(c.key, "0") && c.site == 3 &&
        !strcmp(c.value, "42") && c.t0 == 1.5 && c.arghash == NULL);
  char spaced[] = "{\"op\": \"commit\"}";
  CHECK(ck_parse_commit(spaced, strlen(spaced), &c) < 0);
  unsigned r = 12345;
  int agree = 0, total = 0, accepted = 0;
  char msg[1024];
  for (int i = 0; i < 20000; i++, total++) {
    random_commit(&r, msg, sizeof msg);
    size_t n = strlen(msg);
    CkRec probe;
    char copy[1024];
    memcpy(copy, msg, n + 1);
    accepted += ck_parse_commit(copy, n, &probe) == 0;
    for (int k = i % 4; k > 0 && n > 2; k--) /* and mutated: a byte changed, dropped or doubled */
      switch (rand_r(&r) % 3) {
      case 0: msg[rand_r(&r) % n] = (char)(1 + rand_r(&r) % 255); break;
      case 1: { size_t at = rand_r(&r) % n; memmove(msg + at, msg + at + 1, n - at); n--; } break;
      default: { size_t at = rand_r(&r) % n; memmove(msg + at + 1, msg + at, n - at + 1); n++; } break;
      }
    agree += commit_agrees(msg);
  }
  CHECK(agree == total);
  CHECK(accepted > total / 3); /* the runtimes' own form with a scalar value takes the fast path */
  test_commit_times(&r);
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "%s/currant-coord-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  test_sha256();
  test_channel();
  test_channel_spin();
  test_journal();
  test_run_finish();
  test_bad_journals();
  test_manifest();
  test_bundle();
  test_commit_reader();
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
