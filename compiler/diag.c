/*
 * diag.c — diagnostics in the format editors and CI already parse:
 * `path:line:col: error: message` (gcc style), coloured only when stderr is
 * a terminal and NO_COLOR is unset.
 *
 * Worker threads report concurrently, so every message is formatted first
 * and written with one locked fputs: lines from two files never interleave.
 * A thread may defer its reports into records instead (diag_defer): the
 * build cache keeps a file's diagnostics that way and replays them when it
 * reuses the file's results, so a cached build says what a clean one says.
 */
#include "currant.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;
static bool use_color;
static bool stderr_tty;
static int verbosity;
static int errors, warnings;
static bool progress_shown; /* a progress line is on screen: clear it before a message */

void diag_init(int level) {
  verbosity = level;
  stderr_tty = isatty(STDERR_FILENO);
  const char *nc = getenv("NO_COLOR");
  use_color = stderr_tty && !(nc && *nc);
}

bool diag_is_tty(void) { return stderr_tty; }

static const char *level_name(DiagLevel level) {
  switch (level) {
  case DIAG_ERROR: return "error";
  case DIAG_WARNING: return "warning";
  default: return "note";
  }
}

static const char *level_color(DiagLevel level) {
  switch (level) {
  case DIAG_ERROR: return "\033[1;31m";
  case DIAG_WARNING: return "\033[1;35m";
  default: return "\033[1;36m";
  }
}

/* Prints one formatted report and counts it. */
static void emit(DiagLevel level, const char *path, uint32_t line, uint32_t col, const char *msg) {
  StrBuf b = {0};
  if (use_color) str_puts(&b, "\033[1m");
  if (path) str_puts(&b, path);
  if (path && line) str_printf(&b, ":%u:%u", line, col);
  if (path) str_puts(&b, ": ");
  if (use_color) str_printf(&b, "\033[0m%s", level_color(level));
  str_printf(&b, "%s:", level_name(level));
  if (use_color) str_puts(&b, "\033[0m");
  str_puts(&b, " ");
  str_puts(&b, msg);
  str_puts(&b, "\n");
  pthread_mutex_lock(&diag_lock);
  if (level == DIAG_ERROR) errors++;
  if (level == DIAG_WARNING) warnings++;
  /* Quiet mode keeps errors: they explain a non-zero exit status. */
  if (progress_shown) fputs("\r\033[K", stderr), progress_shown = false;
  if (verbosity >= 0 || level == DIAG_ERROR) fputs(b.data, stderr);
  pthread_mutex_unlock(&diag_lock);
  str_free(&b);
}

/* Where this thread's reports go instead of stderr (diag_defer), or NULL. */
static __thread Vec *deferred;

void diag_report(DiagLevel level, const char *path, uint32_t line, uint32_t col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = NULL;
  if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
  va_end(ap);
  if (deferred) {
    DiagRecord *r = xcalloc(1, sizeof *r);
    *r = (DiagRecord){level, path ? xstrdup(path) : NULL, line, col, xstrdup(msg ? msg : "")};
    vec_push(deferred, r);
  } else {
    emit(level, path, line, col, msg ? msg : "");
  }
  free(msg);
}

void diag_defer(Vec *into) { deferred = into; }

void diag_replay(const Vec *v) {
  for (int i = 0; i < v->len; i++) {
    const DiagRecord *r = v->items[i];
    emit(r->level, r->path, r->line, r->col, r->message);
  }
}

void diag_records_free(Vec *v) {
  for (int i = 0; i < v->len; i++) {
    DiagRecord *r = v->items[i];
    free(r->path), free(r->message), free(r);
  }
  vec_free(v);
}

void diag_verbose(const char *fmt, ...) {
  if (verbosity < 1) return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = NULL;
  if (vasprintf(&msg, fmt, ap) >= 0) {
    pthread_mutex_lock(&diag_lock);
    fprintf(stderr, "currantc: %s\n", msg);
    pthread_mutex_unlock(&diag_lock);
    free(msg);
  }
  va_end(ap);
}

int diag_error_count(void) {
  pthread_mutex_lock(&diag_lock);
  int n = errors;
  pthread_mutex_unlock(&diag_lock);
  return n;
}

int diag_warning_count(void) {
  pthread_mutex_lock(&diag_lock);
  int n = warnings;
  pthread_mutex_unlock(&diag_lock);
  return n;
}

void diag_progress(const char *phase, int done, int total) {
  if (!stderr_tty || verbosity < 0) return;
  pthread_mutex_lock(&diag_lock);
  if (done >= total)
    fputs("\r\033[K", stderr);
  else
    fprintf(stderr, "\rcurrantc: %s %d/%d files", phase, done, total);
  progress_shown = done < total;
  fflush(stderr);
  pthread_mutex_unlock(&diag_lock);
}
