/*
 * report.c — `currantc check`: the command line around the rules of
 * passes/check.c, the baseline, --affected, and the four output formats.
 *
 *   text    gcc style `path:line:col: warning: message [rule]`, coloured on
 *           a terminal unless NO_COLOR is set
 *   json    {"findings": [...], "stale_baseline": [...], "summary": {...}}
 *   sarif   SARIF 2.1.0 for GitHub code scanning: one run, the rules with
 *           their default levels, results with partialFingerprints
 *   github  workflow commands (`::error file=...::message`) that GitHub
 *           Actions turns into annotations
 *
 * The pipeline runs through driver_analyse() (no output is written).  The
 * diagnostics the parse stage prints for unparsable files would repeat the
 * syntax-error findings on stderr, so stderr is captured while it runs:
 * lines about files that became findings are dropped (the reason a file was
 * skipped is taken from them), every other line is passed on.
 *
 * A baseline is a JSON file of fingerprints (with rule, file and message
 * for humans).  Findings whose fingerprint is in it are not reported;
 * entries that match nothing are reported as stale-baseline notes.
 * --affected REV asks git which files changed since REV (plus untracked
 * ones) and reports only on those and on the files that import them,
 * transitively.  Exit status: 0 clean, 1 findings at or above --fail-on,
 * 2 usage or internal error.  docs/CHECK.md is the user's reference.
 */
#include "currant.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CHECK_CLEAN = 0, CHECK_FAILED = 1, CHECK_ERROR = 2 };

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static const char check_usage[] =
    "usage: currantc check SRC... [--format text|json|sarif|github] [-o FILE]\n"
    "                      [--fail-on error|warning|note|never] [--baseline FILE]\n"
    "                      [--write-baseline FILE] [--affected REV] [-j N] [-q]\n"
    "\n"
    "Runs the compiler's passes over SRC without writing anything and reports\n"
    "what would break a durable run. Rules (default severity):\n"
    "  syntax-error               error    file cannot be parsed or read\n"
    "  unrecordable-boundary      warning  boundary result the journal cannot record\n"
    "  nondeterminism             warning  threads, id(), hash(), set order, eval,\n"
    "                                      computed imports, module state between\n"
    "                                      checkpoints, in code a run executes\n"
    "  unresolved-cross-language  error    import/call into the other language\n"
    "                                      that names nothing\n"
    "  bridge-arity               error    call into the other language with\n"
    "                                      arguments its function cannot take\n"
    "  task-cycle                 error    tasks that call each other in a cycle\n"
    "  stale-baseline             note     baseline entry that matches nothing\n"
    "\n"
    "options:\n"
    "  --format F          text (default), json, sarif (2.1.0) or github (annotations)\n"
    "  -o, --output FILE   write the report to FILE (atomically) instead of stdout\n"
    "  --fail-on LEVEL     exit 1 when a finding is at or above LEVEL (default error)\n"
    "  --baseline FILE     do not report findings recorded in FILE; report its\n"
    "                      entries that match nothing as stale\n"
    "  --write-baseline FILE  record every current finding in FILE (exit 0)\n"
    "  --affected REV      report only files changed since git REV (and untracked\n"
    "                      ones) and the files that import them, transitively\n"
    "  -j, --jobs N        worker threads (default: all cores)\n"
    "  -q, --quiet         no summary line\n"
    "\n"
    "Silence one finding with a comment on its line (or alone on the line above):\n"
    "  # currant: ignore[nondeterminism]     // currant: ignore[task-cycle,nondeterminism]\n"
    "  # currant: ignore                     (every rule)\n"
    "\n"
    "exit status: 0 no finding at or above --fail-on, 1 some, 2 usage or internal\n"
    "error. See docs/CHECK.md.\n";

typedef struct CheckOptions {
  BuildOptions build;
  ReportFormat format;
  const char *output;
  int fail_on; /* findings with level <= fail_on fail; -1 never */
  const char *baseline;
  const char *write_baseline;
  const char *affected;
  bool quiet;
} CheckOptions;

/* Everything one run collects; filled by the visitor while the codebase lives. */
typedef struct CheckRun {
  const CheckOptions *opt;
  int saved_stderr;  /* real stderr while it is captured, -1 when not */
  FILE *capture;     /* what the passes printed */
  Vec findings;      /* Finding* */
  int suppressed;
  Vec changed;       /* char*: real paths git reports as changed (sorted) */
  Vec changed_rels;  /* char*: the same as SRC-relative paths, when under a SRC */
  Vec roots;         /* char*: real path of each SRC root */
  Vec affected;      /* char*: rels of affected modules */
  Vec rels, paths;   /* char*: every module's rel and display path */
} CheckRun;

static int usage_error(const char *msg, const char *arg) {
  fprintf(stderr, "currantc: error: ");
  fprintf(stderr, msg, arg);
  fprintf(stderr, "\nTry 'currantc check --help'.\n");
  return CHECK_ERROR;
}

static void free_strs(Vec *v) {
  for (int i = 0; i < v->len; i++) free(v->items[i]);
  vec_free(v);
}

static void free_findings(Vec *v) {
  for (int i = 0; i < v->len; i++) finding_free(v->items[i]);
  vec_free(v);
}

/* ---- JSON helpers --------------------------------------------------------- */

/* A JSON string of s, invalid UTF-8 bytes replaced by U+FFFD. */
static json_t *jstr(const char *s) {
  json_t *j = json_string(s ? s : "");
  if (j) return j;
  StrBuf b = {0};
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
    bool ok = n > 0;
    for (int k = 1; ok && k < n; k++) ok = (p[k] & 0xC0) == 0x80;
    if (ok) {
      char *one = xstrndup((const char *)p, (size_t)n);
      json_t *t = json_string(one);
      ok = t != NULL;
      json_decref(t);
      free(one);
    }
    if (ok)
      str_append(&b, (const char *)p, (size_t)n), p += n;
    else
      str_puts(&b, "\xEF\xBF\xBD"), p++;
  }
  j = json_string(b.data ? b.data : "");
  str_free(&b);
  return j;
}

static const char *level_name(DiagLevel l) { return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note"; }

static int dump_json(FILE *out, json_t *doc) {
  char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(doc);
  if (!s) return -1;
  int rc = fputs(s, out) < 0 || fputc('\n', out) == EOF ? -1 : 0;
  free(s);
  return rc;
}

/* ---- text ------------------------------------------------------------------ */

static const char *level_color(DiagLevel l) {
  return l == DIAG_ERROR ? "\033[1;31m" : l == DIAG_WARNING ? "\033[1;35m" : "\033[1;36m";
}

static void text_finding(FILE *out, const Finding *f, bool color) {
  if (color) fputs("\033[1m", out);
  fputs(f->path, out);
  if (f->line) fprintf(out, ":%u:%u", f->line, f->col);
  fputs(color ? ":\033[0m " : ": ", out);
  if (color) fputs(level_color(f->level), out);
  fprintf(out, "%s:", level_name(f->level));
  if (color) fputs("\033[0m", out);
  fprintf(out, " %s [%s]\n", f->message, f->rule);
}

static int write_text(FILE *out, const CheckReport *r, bool color) {
  for (int i = 0; i < r->findings.len; i++) text_finding(out, r->findings.items[i], color);
  for (int i = 0; i < r->stale.len; i++) text_finding(out, r->stale.items[i], color);
  return ferror(out) ? -1 : 0;
}

/* ---- json ------------------------------------------------------------------ */

static json_t *json_finding(const Finding *f, bool stale) {
  json_t *o = json_object();
  json_object_set_new(o, "rule", jstr(f->rule));
  json_object_set_new(o, "severity", jstr(level_name(f->level)));
  json_object_set_new(o, "file", jstr(f->file));
  if (!stale) {
    json_object_set_new(o, "path", jstr(f->path));
    json_object_set_new(o, "line", json_integer(f->line));
    json_object_set_new(o, "col", json_integer(f->col));
    json_object_set_new(o, "function", jstr(f->function));
  }
  json_object_set_new(o, "message", jstr(f->message));
  json_object_set_new(o, "fingerprint", jstr(f->fingerprint));
  return o;
}

static json_t *json_summary(const CheckReport *r) {
  int count[3] = {0};
  for (int i = 0; i < r->findings.len; i++) count[((const Finding *)r->findings.items[i])->level]++;
  json_t *s = json_object();
  json_object_set_new(s, "errors", json_integer(count[DIAG_ERROR]));
  json_object_set_new(s, "warnings", json_integer(count[DIAG_WARNING]));
  json_object_set_new(s, "notes", json_integer(count[DIAG_NOTE]));
  json_object_set_new(s, "suppressed", json_integer(r->suppressed));
  json_object_set_new(s, "baselined", json_integer(r->baselined));
  json_object_set_new(s, "stale", json_integer(r->stale.len));
  return s;
}

static int write_json(FILE *out, const CheckReport *r) {
  json_t *doc = json_object(), *fs = json_array(), *st = json_array();
  json_object_set_new(doc, "format", jstr("currant.check/1"));
  json_object_set_new(doc, "tool", json_pack("{s:s,s:s}", "name", "currantc", "version", CURRANTC_VERSION));
  for (int i = 0; i < r->findings.len; i++) json_array_append_new(fs, json_finding(r->findings.items[i], false));
  for (int i = 0; i < r->stale.len; i++) json_array_append_new(st, json_finding(r->stale.items[i], true));
  json_object_set_new(doc, "findings", fs);
  json_object_set_new(doc, "stale_baseline", st);
  json_object_set_new(doc, "summary", json_summary(r));
  return dump_json(out, doc);
}

/* ---- sarif ------------------------------------------------------------------ */

/* Percent-encodes what a URI reference may not hold verbatim. */
static char *uri_encode(const char *s) {
  StrBuf b = {0};
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                 strchr("-._~/!$&'()*+,;=:@", *p);
    if (plain)
      str_append(&b, (const char *)p, 1);
    else
      str_printf(&b, "%%%02X", *p);
  }
  if (!b.data) str_puts(&b, "");
  return str_take(&b);
}

static const char *sarif_level(DiagLevel l) { return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note"; }

static json_t *sarif_rules(void) {
  json_t *rules = json_array();
  for (const CheckRule *r = check_rule_table(); r->id; r++)
    json_array_append_new(rules, json_pack("{s:s,s:{s:o},s:{s:s}}", "id", r->id, "shortDescription", "text",
                                           jstr(r->summary), "defaultConfiguration", "level",
                                           sarif_level(r->level)));
  return rules;
}

static int rule_index(const char *id) {
  int i = 0;
  for (const CheckRule *r = check_rule_table(); r->id; r++, i++)
    if (!strcmp(r->id, id)) return i;
  return -1;
}

/* A path relative to the working directory (or else to its SRC root) is
 * relative to %SRCROOT%; an absolute one outside it becomes a file: URI. */
static json_t *sarif_location(const Finding *f) {
  bool absolute = f->path[0] == '/';
  char *enc = uri_encode(absolute ? f->file : f->path);
  json_t *art = json_pack("{s:o,s:s}", "uri", jstr(enc), "uriBaseId", "%SRCROOT%");
  free(enc);
  json_t *phys = json_pack("{s:o}", "artifactLocation", art);
  if (f->line) json_object_set_new(phys, "region", json_pack("{s:i,s:i}", "startLine", (json_int_t)f->line,
                                                             "startColumn", (json_int_t)(f->ucol ? f->ucol : 1)));
  return json_pack("[{s:o}]", "physicalLocation", phys);
}

static json_t *sarif_result(const Finding *f, const char *baseline_state) {
  json_t *res = json_object();
  json_object_set_new(res, "ruleId", jstr(f->rule));
  json_object_set_new(res, "ruleIndex", json_integer(rule_index(f->rule)));
  json_object_set_new(res, "level", jstr(sarif_level(f->level)));
  json_object_set_new(res, "message", json_pack("{s:o}", "text", jstr(f->message)));
  json_object_set_new(res, "locations", sarif_location(f));
  json_object_set_new(res, "partialFingerprints", json_pack("{s:o}", "currantFingerprint/v1", jstr(f->fingerprint)));
  if (baseline_state) json_object_set_new(res, "baselineState", jstr(baseline_state));
  return res;
}

static json_t *sarif_base_ids(void) {
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return NULL;
  char *enc = uri_encode(cwd);
  char *uri = xasprintf("file://%s%s", enc, enc[strlen(enc) - 1] == '/' ? "" : "/");
  json_t *ids = json_pack("{s:{s:o}}", "%SRCROOT%", "uri", jstr(uri));
  free(enc), free(uri);
  return ids;
}

static int write_sarif(FILE *out, const CheckReport *r) {
  json_t *results = json_array();
  for (int i = 0; i < r->findings.len; i++)
    json_array_append_new(results, sarif_result(r->findings.items[i], r->baseline ? "new" : NULL));
  for (int i = 0; i < r->stale.len; i++) json_array_append_new(results, sarif_result(r->stale.items[i], "absent"));
  json_t *driver = json_pack("{s:s,s:s,s:s,s:o}", "name", "currantc", "version", CURRANTC_VERSION, "semanticVersion",
                             CURRANTC_VERSION, "rules", sarif_rules());
  json_t *run = json_pack("{s:{s:o}}", "tool", "driver", driver);
  json_t *ids = sarif_base_ids();
  if (ids) json_object_set_new(run, "originalUriBaseIds", ids);
  json_object_set_new(run, "columnKind", jstr("unicodeCodePoints"));
  json_object_set_new(run, "results", results);
  json_object_set_new(run, "properties", json_pack("{s:i,s:i}", "suppressed", (json_int_t)r->suppressed,
                                                   "baselined", (json_int_t)r->baselined));
  json_t *doc = json_pack("{s:s,s:s,s:[o]}", "$schema", SARIF_SCHEMA, "version", "2.1.0", "runs", run);
  return dump_json(out, doc);
}

/* ---- github ------------------------------------------------------------------ */

/* GitHub workflow-command escaping: data escapes %, CR, LF; property values
 * also ':' and ','. */
static void gh_escape(FILE *out, const char *s, bool property) {
  for (; *s; s++) {
    switch (*s) {
    case '%': fputs("%25", out); break;
    case '\r': fputs("%0D", out); break;
    case '\n': fputs("%0A", out); break;
    case ':': fputs(property ? "%3A" : ":", out); break;
    case ',': fputs(property ? "%2C" : ",", out); break;
    default: fputc(*s, out);
    }
  }
}

static void gh_finding(FILE *out, const Finding *f) {
  const char *cmd = f->level == DIAG_ERROR ? "error" : f->level == DIAG_WARNING ? "warning" : "notice";
  fprintf(out, "::%s file=", cmd);
  gh_escape(out, f->path, true);
  if (f->line) fprintf(out, ",line=%u,col=%u", f->line, f->col);
  fputs(",title=", out);
  gh_escape(out, f->rule, true);
  fputs("::", out);
  gh_escape(out, f->message, false);
  fputc('\n', out);
}

static int write_github(FILE *out, const CheckReport *r) {
  for (int i = 0; i < r->findings.len; i++) gh_finding(out, r->findings.items[i]);
  for (int i = 0; i < r->stale.len; i++) gh_finding(out, r->stale.items[i]);
  return ferror(out) ? -1 : 0;
}

int report_write(FILE *out, ReportFormat fmt, const CheckReport *r, bool color) {
  switch (fmt) {
  case REPORT_JSON: return write_json(out, r);
  case REPORT_SARIF: return write_sarif(out, r);
  case REPORT_GITHUB: return write_github(out, r);
  default: return write_text(out, r, color);
  }
}

/* ---- stderr capture ------------------------------------------------------------ */

static void capture_start(CheckRun *run) {
  run->saved_stderr = -1;
  run->capture = tmpfile();
  if (!run->capture) return;
  fflush(stderr);
  run->saved_stderr = dup(STDERR_FILENO);
  if (run->saved_stderr < 0 || dup2(fileno(run->capture), STDERR_FILENO) < 0) {
    if (run->saved_stderr >= 0) close(run->saved_stderr);
    run->saved_stderr = -1;
  }
}

/* Restores stderr; returns what was captured (NUL-terminated) or NULL. */
static char *capture_stop(CheckRun *run) {
  if (run->saved_stderr < 0) return NULL;
  fflush(stderr);
  dup2(run->saved_stderr, STDERR_FILENO);
  close(run->saved_stderr);
  run->saved_stderr = -1;
  StrBuf b = {0};
  char buf[4096];
  rewind(run->capture);
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, run->capture)) > 0) str_append(&b, buf, n);
  fclose(run->capture);
  run->capture = NULL;
  return str_take(&b);
}

/* The module a diagnostic line is about when that module became findings
 * (status not OK), or -1. */
static int line_module(const Codebase *cb, const char *line) {
  for (int i = 0; i < cb->modules.len; i++) {
    const Module *m = cb->modules.items[i];
    size_t n = strlen(m->file->abs);
    if (m->status != MOD_OK && !strncmp(line, m->file->abs, n) && line[n] == ':') return i;
  }
  return -1;
}

/* Replays captured lines that are not about failed modules; keeps the
 * first error message per skipped module as its reason. */
static char **sort_captured(const Codebase *cb, char *text) {
  char **reasons = xcalloc((size_t)cb->modules.len + 1, sizeof *reasons);
  for (char *line = text, *next; line && *line; line = next) {
    char *nl = strchr(line, '\n');
    next = nl ? nl + 1 : NULL;
    if (nl) *nl = '\0';
    int mi = line_module(cb, line);
    if (mi < 0) {
      fprintf(stderr, "%s\n", line);
      continue;
    }
    const char *err = strstr(line, ": error: ");
    const Module *m = cb->modules.items[mi];
    if (m->status == MOD_SKIPPED && err && !reasons[mi]) {
      reasons[mi] = xstrdup(err + 9);
      char *tail = strstr(reasons[mi], ": not instrumented");
      if (tail) *tail = '\0';
    }
  }
  return reasons;
}

/* ---- --affected ------------------------------------------------------------------ */

/* Runs git with argv, stdout into out.  Its exit status, or -1. */
static int run_git(char *const argv[], StrBuf *out) {
  int fd[2];
  if (pipe(fd) < 0) return -1;
  fflush(stdout), fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fd[0]), close(fd[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fd[1], STDOUT_FILENO);
    close(fd[0]), close(fd[1]);
    execvp("git", argv);
    _exit(127);
  }
  close(fd[1]);
  char buf[4096];
  ssize_t n;
  while ((n = read(fd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) str_append(out, buf, (size_t)n);
  close(fd[0]);
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char *src_root_dir(const char *src) {
  char real[PATH_MAX];
  struct stat st;
  if (!realpath(src, real) || stat(real, &st) < 0) return NULL;
  if (S_ISDIR(st.st_mode)) return xstrdup(real);
  char *slash = strrchr(real, '/');
  return slash && slash != real ? xstrndup(real, (size_t)(slash - real)) : xstrdup("/");
}

/* Adds TOP/<each NUL-separated path> to run->changed (real paths when the
 * file exists, the joined path otherwise: a deleted file). */
static void add_changed(CheckRun *run, const char *top, const StrBuf *list) {
  for (size_t off = 0; off < list->len;) {
    const char *p = list->data + off;
    size_t n = strlen(p);
    off += n + 1;
    if (!n) continue;
    char *joined = xasprintf("%s/%s", top, p), real[PATH_MAX];
    if (realpath(joined, real)) free(joined), joined = xstrdup(real);
    vec_push(&run->changed, joined);
  }
}

/* git's view of one SRC root: 0, or -1 after printing why. */
static int affected_for_root(CheckRun *run, const char *dir) {
  StrBuf top = {0}, diff = {0}, untracked = {0};
  char *rev_parse[] = {"git", "-C", (char *)dir, "rev-parse", "--show-toplevel", NULL};
  int rc = run_git(rev_parse, &top);
  if (rc != 0 || !top.len) {
    fprintf(stderr, "currantc: error: --affected: %s is not inside a git work tree\n", dir);
    str_free(&top);
    return -1;
  }
  while (top.len && (top.data[top.len - 1] == '\n' || top.data[top.len - 1] == '\r')) top.data[--top.len] = '\0';
  char *diff_argv[] = {"git", "-C", top.data, "diff", "--name-only", "-z", (char *)run->opt->affected, "--", NULL};
  char *ls_argv[] = {"git", "-C", top.data, "ls-files", "--others", "--exclude-standard", "-z", NULL};
  if (run_git(diff_argv, &diff) != 0) {
    fprintf(stderr, "currantc: error: --affected: git diff %s failed (is it a revision?)\n", run->opt->affected);
    rc = -1;
  } else if (run_git(ls_argv, &untracked) != 0) {
    fprintf(stderr, "currantc: error: --affected: git ls-files failed in %s\n", top.data);
    rc = -1;
  } else {
    add_changed(run, top.data, &diff);
    add_changed(run, top.data, &untracked);
  }
  str_free(&top), str_free(&diff), str_free(&untracked);
  return rc;
}

/* Rels (under some SRC root) of every changed path. */
static void changed_rels(CheckRun *run) {
  for (int i = 0; i < run->changed.len; i++) {
    const char *p = run->changed.items[i];
    for (int r = 0; r < run->roots.len; r++) {
      const char *root = run->roots.items[r];
      size_t n = strlen(root);
      if (!strncmp(p, root, n) && p[n] == '/') vec_push(&run->changed_rels, xstrdup(p + n + 1));
    }
  }
}

static int collect_changed(CheckRun *run) {
  const BuildOptions *b = &run->opt->build;
  for (int i = 0; i < b->nsrcs; i++) {
    char *dir = src_root_dir(b->srcs[i]);
    if (!dir) {
      fprintf(stderr, "currantc: error: %s: %s\n", b->srcs[i], strerror(errno));
      return -1;
    }
    vec_push(&run->roots, dir);
    if (affected_for_root(run, dir) < 0) return -1;
  }
  if (run->changed.len) qsort(run->changed.items, (size_t)run->changed.len, sizeof(char *), cmp_str);
  changed_rels(run);
  return 0;
}

static bool is_changed(const CheckRun *run, const Module *m) {
  char real[PATH_MAX];
  if (!realpath(m->file->abs, real) || !run->changed.len) return false;
  const char *key = real;
  return bsearch(&key, run->changed.items, (size_t)run->changed.len, sizeof(char *), cmp_str) != NULL;
}

/* Changed modules, then whatever imports an affected module, to a fixed
 * point (a worklist over the reversed import edges). */
static void compute_affected(CheckRun *run, const Codebase *cb) {
  int n = cb->modules.len;
  bool *hit = xcalloc((size_t)n + 1, sizeof *hit);
  int *work = xmalloc(((size_t)n + 1) * sizeof *work), len = 0;
  for (int i = 0; i < n; i++)
    if (is_changed(run, cb->modules.items[i])) hit[i] = true, work[len++] = i;
  while (len) {
    int t = work[--len];
    for (int i = 0; i < n; i++) {
      const Module *m = cb->modules.items[i];
      for (int k = 0; k < m->imports.len && !hit[i]; k++)
        if (((const Import *)m->imports.items[k])->resolved_file == t) hit[i] = true, work[len++] = i;
    }
  }
  for (int i = 0; i < n; i++)
    if (hit[i]) vec_push(&run->affected, xstrdup(((const Module *)cb->modules.items[i])->file->rel));
  for (int i = 0; i < run->changed_rels.len; i++)
    if (!vec_has_str(&run->affected, run->changed_rels.items[i]))
      vec_push(&run->affected, xstrdup(run->changed_rels.items[i]));
  free(hit), free(work);
}

/* Keeps the findings on affected files. */
static void filter_affected(CheckRun *run) {
  int kept = 0;
  for (int i = 0; i < run->findings.len; i++) {
    Finding *f = run->findings.items[i];
    if (vec_has_str(&run->affected, f->file))
      run->findings.items[kept++] = f;
    else
      finding_free(f);
  }
  run->findings.len = kept;
}

/* ---- the visitor ------------------------------------------------------------------- */

static void visit(Codebase *cb, void *ctx) {
  CheckRun *run = ctx;
  char *captured = capture_stop(run);
  char **reasons = sort_captured(cb, captured);
  free(captured);
  check_codebase(cb, reasons, &run->findings, &run->suppressed);
  for (int i = 0; i < cb->modules.len; i++) {
    const Module *m = cb->modules.items[i];
    free(reasons[i]);
    for (int k = 0; k < run->findings.len; k++) {
      const Finding *f = run->findings.items[k];
      if (!strcmp(f->file, m->file->rel)) {
        vec_push(&run->rels, xstrdup(f->file));
        vec_push(&run->paths, xstrdup(f->path));
        break;
      }
    }
  }
  free(reasons);
  if (run->opt->affected) {
    compute_affected(run, cb);
    filter_affected(run);
  }
}

/* ---- baseline ------------------------------------------------------------------------ */

static Finding *stale_entry(const CheckRun *run, json_t *e) {
  const char *fp = json_string_value(json_object_get(e, "fingerprint"));
  const char *rule = json_string_value(json_object_get(e, "rule"));
  const char *file = json_string_value(json_object_get(e, "file"));
  const char *msg = json_string_value(json_object_get(e, "message"));
  Finding *f = xcalloc(1, sizeof *f);
  f->rule = check_rule("stale-baseline")->id;
  f->level = check_rule("stale-baseline")->level;
  f->file = xstrdup(file ? file : "");
  f->path = NULL;
  for (int i = 0; i < run->rels.len && !f->path; i++)
    if (!strcmp(run->rels.items[i], f->file)) f->path = xstrdup(run->paths.items[i]);
  if (!f->path) f->path = xstrdup(f->file);
  f->function = xstrdup("");
  f->snippet = xstrdup("");
  f->fingerprint = xstrdup(fp ? fp : "");
  f->message = xasprintf("stale baseline entry: no %s finding matches it any more (%s); refresh the baseline "
                         "with --write-baseline",
                         rule ? rule : "such", msg ? msg : fp ? fp : "");
  return f;
}

/* Loads the baseline's entries; NULL after reporting a problem. */
static json_t *load_baseline(const char *path) {
  json_error_t err;
  json_t *doc = json_load_file(path, 0, &err);
  if (!doc) {
    fprintf(stderr, "currantc: error: baseline %s: %s (line %d)\n", path, err.text, err.line);
    return NULL;
  }
  json_t *entries = json_object_get(doc, "findings");
  bool ok = json_is_array(entries);
  size_t i;
  json_t *e;
  json_array_foreach(entries, i, e) ok = ok && json_is_string(json_object_get(e, "fingerprint"));
  if (!ok) {
    fprintf(stderr, "currantc: error: baseline %s: expected {\"findings\": [{\"fingerprint\": ...}, ...]}\n", path);
    json_decref(doc);
    return NULL;
  }
  json_incref(entries);
  json_decref(doc);
  return entries;
}

/* Drops baselined findings; entries matching none become stale notes (only
 * for files in the affected set, when --affected limits the report). */
static int apply_baseline(CheckRun *run, CheckReport *rep) {
  json_t *entries = load_baseline(run->opt->baseline);
  if (!entries) return -1;
  size_t n = json_array_size(entries);
  bool *used = xcalloc(n + 1, sizeof *used);
  int kept = 0;
  for (int i = 0; i < run->findings.len; i++) {
    Finding *f = run->findings.items[i];
    bool hit = false;
    for (size_t k = 0; k < n && !hit; k++)
      if (!used[k] && !strcmp(json_string_value(json_object_get(json_array_get(entries, k), "fingerprint")),
                              f->fingerprint))
        used[k] = hit = true;
    if (hit)
      rep->baselined++, finding_free(f);
    else
      run->findings.items[kept++] = f;
  }
  run->findings.len = kept;
  for (size_t k = 0; k < n; k++) {
    json_t *e = json_array_get(entries, k);
    const char *file = json_string_value(json_object_get(e, "file"));
    if (used[k] || (run->opt->affected && !(file && vec_has_str(&run->affected, file)))) continue;
    vec_push(&rep->stale, stale_entry(run, e));
  }
  free(used);
  json_decref(entries);
  return 0;
}

static int write_baseline(const char *path, const Vec *findings) {
  json_t *doc = json_object(), *arr = json_array();
  json_object_set_new(doc, "format", jstr("currant.baseline/1"));
  json_object_set_new(doc, "tool", jstr("currantc " CURRANTC_VERSION));
  for (int i = 0; i < findings->len; i++) {
    const Finding *f = findings->items[i];
    json_array_append_new(arr, json_pack("{s:o,s:o,s:o,s:o}", "fingerprint", jstr(f->fingerprint), "rule",
                                         jstr(f->rule), "file", jstr(f->file), "message", jstr(f->message)));
  }
  json_object_set_new(doc, "findings", arr);
  char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(doc);
  char *text = xasprintf("%s\n", s ? s : "{}");
  free(s);
  int rc = write_file_atomic(path, text, strlen(text));
  if (rc < 0) fprintf(stderr, "currantc: error: cannot write baseline %s: %s\n", path, strerror(errno));
  free(text);
  return rc;
}

/* ---- the command ------------------------------------------------------------------------ */

static int parse_level(const char *s) {
  if (!strcmp(s, "error")) return DIAG_ERROR;
  if (!strcmp(s, "warning")) return DIAG_WARNING;
  if (!strcmp(s, "note")) return DIAG_NOTE;
  if (!strcmp(s, "never")) return -1;
  return -2;
}

static int parse_format(const char *s, ReportFormat *f) {
  static const char *const names[] = {"text", "json", "sarif", "github"};
  for (int i = 0; i < 4; i++)
    if (!strcmp(s, names[i])) {
      *f = (ReportFormat)i;
      return 0;
    }
  return -1;
}

/* 0 to run, else the exit status (help printed, or a usage error). */
static int parse_options(int argc, char **argv, CheckOptions *o) {
  enum { OPT_FORMAT = 256, OPT_FAIL_ON, OPT_BASELINE, OPT_WRITE_BASELINE, OPT_AFFECTED };
  static const struct option opts[] = {
      {"format", required_argument, 0, OPT_FORMAT},     {"output", required_argument, 0, 'o'},
      {"fail-on", required_argument, 0, OPT_FAIL_ON},   {"baseline", required_argument, 0, OPT_BASELINE},
      {"write-baseline", required_argument, 0, OPT_WRITE_BASELINE},
      {"affected", required_argument, 0, OPT_AFFECTED}, {"jobs", required_argument, 0, 'j'},
      {"quiet", no_argument, 0, 'q'},                   {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  int c;
  char *end;
  opterr = 0;
  optind = 0;
  while ((c = getopt_long(argc, argv, "o:j:qh", opts, NULL)) != -1) {
    switch (c) {
    case OPT_FORMAT:
      if (parse_format(optarg, &o->format) < 0)
        return usage_error("--format must be text, json, sarif or github, not '%s'", optarg);
      break;
    case 'o': o->output = optarg; break;
    case OPT_FAIL_ON:
      o->fail_on = parse_level(optarg);
      if (o->fail_on == -2) return usage_error("--fail-on must be error, warning, note or never, not '%s'", optarg);
      break;
    case OPT_BASELINE: o->baseline = optarg; break;
    case OPT_WRITE_BASELINE: o->write_baseline = optarg; break;
    case OPT_AFFECTED: o->affected = optarg; break;
    case 'j': {
      long n = strtol(optarg, &end, 10);
      if (*end || n < 1 || n > 1024) return usage_error("-j needs a number from 1 to 1024, not '%s'", optarg);
      o->build.jobs = (int)n;
      break;
    }
    case 'q': o->quiet = true; break;
    case 'h': fputs(check_usage, stdout); return CHECK_CLEAN;
    default: return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc) return usage_error("%s", "missing SRC (files or directories to check)");
  if (o->affected && o->write_baseline)
    return usage_error("%s", "--write-baseline records the whole codebase: it cannot be combined with --affected");
  o->build.srcs = argv + optind;
  o->build.nsrcs = argc - optind;
  return -1;
}

static void summary_line(const CheckOptions *o, const CheckReport *r) {
  if (o->quiet) return;
  int count[3] = {0};
  for (int i = 0; i < r->findings.len; i++) count[((const Finding *)r->findings.items[i])->level]++;
  fprintf(stderr, "currantc check: %d error%s, %d warning%s, %d note%s", count[0], count[0] == 1 ? "" : "s",
          count[1], count[1] == 1 ? "" : "s", count[2] + r->stale.len, count[2] + r->stale.len == 1 ? "" : "s");
  fprintf(stderr, " (%d suppressed by comments, %d in the baseline, %d stale baseline entr%s)\n", r->suppressed,
          r->baselined, r->stale.len, r->stale.len == 1 ? "y" : "ies");
}

/* Writes the report to -o FILE (atomically) or stdout. */
static int emit_report(const CheckOptions *o, const CheckReport *r) {
  if (!o->output || !strcmp(o->output, "-")) {
    const char *nc = getenv("NO_COLOR");
    bool color = o->format == REPORT_TEXT && isatty(STDOUT_FILENO) && !(nc && *nc);
    int rc = report_write(stdout, o->format, r, color);
    return fflush(stdout) == 0 ? rc : -1;
  }
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (!mem) return -1;
  int rc = report_write(mem, o->format, r, false);
  if (fclose(mem) != 0) rc = -1;
  if (rc == 0 && (make_parent_dirs(o->output) < 0 || write_file_atomic(o->output, buf, len) < 0)) {
    fprintf(stderr, "currantc: error: cannot write %s: %s\n", o->output, strerror(errno));
    rc = -1;
  }
  free(buf);
  return rc;
}

static bool fails(const CheckOptions *o, const CheckReport *r) {
  if (o->fail_on < 0) return false;
  for (int i = 0; i < r->findings.len; i++)
    if ((int)((const Finding *)r->findings.items[i])->level <= o->fail_on) return true;
  return r->stale.len && o->fail_on >= (int)DIAG_NOTE;
}

static void run_free(CheckRun *run) {
  free_findings(&run->findings);
  free_strs(&run->changed), free_strs(&run->changed_rels), free_strs(&run->roots);
  free_strs(&run->affected), free_strs(&run->rels), free_strs(&run->paths);
}

/* Baseline in, baseline out, report out; the exit status. */
static int finish(CheckRun *run) {
  const CheckOptions *o = run->opt;
  CheckReport rep = {.suppressed = run->suppressed, .baseline = o->baseline != NULL};
  int rc = CHECK_CLEAN;
  if (o->write_baseline) {
    /* Everything found now, in the old baseline or not, is the new one. */
    if (write_baseline(o->write_baseline, &run->findings) < 0) rc = CHECK_ERROR;
    else if (!o->quiet)
      fprintf(stderr, "currantc check: wrote %d finding%s to %s\n", run->findings.len,
              run->findings.len == 1 ? "" : "s", o->write_baseline);
    rep.baselined = run->findings.len;
    free_findings(&run->findings);
  } else if (o->baseline && apply_baseline(run, &rep) < 0) {
    rc = CHECK_ERROR;
  }
  if (rc == CHECK_CLEAN) {
    rep.findings = run->findings;
    if (emit_report(o, &rep) < 0) rc = CHECK_ERROR;
    else summary_line(o, &rep);
    if (rc == CHECK_CLEAN && fails(o, &rep)) rc = CHECK_FAILED;
    run->findings = rep.findings;
  }
  free_findings(&rep.stale);
  return rc;
}

int check_command(int argc, char **argv) {
  CheckOptions o = {.fail_on = DIAG_ERROR, .build.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN)};
  if (o.build.jobs < 1) o.build.jobs = 1;
  int prc = parse_options(argc, argv, &o);
  if (prc >= 0) return prc;
  o.build.verbosity = o.quiet ? -1 : 0;
  CheckRun run = {.opt = &o, .saved_stderr = -1};
  if (o.affected && collect_changed(&run) < 0) {
    run_free(&run);
    return CHECK_ERROR;
  }
  capture_start(&run);
  diag_init(0);
  int drc = driver_analyse(&o.build, visit, &run);
  char *left = capture_stop(&run); /* still captured if the visitor never ran */
  if (left) fputs(left, stderr), free(left);
  int rc = drc != EXIT_OK ? CHECK_ERROR : finish(&run);
  run_free(&run);
  return rc;
}
