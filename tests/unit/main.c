/* main.c — the runner of tests/unit: see unit.h. */
#include "unit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static UnitTest *unit_head;
static int unit_nregistered;
static int unit_current_failures;
static const char *unit_current_name = "?";

void unit_register(UnitTest *t) {
  t->next = unit_head;
  unit_head = t;
  unit_nregistered++;
}

void unit_fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stdout, "FAIL %s: %s:%d: ", unit_current_name, file, line);
  va_start(ap, fmt);
  vfprintf(stdout, fmt, ap);
  va_end(ap);
  fputc('\n', stdout);
  fflush(stdout);
  unit_current_failures++;
}

/* Prints s as a C string literal (escapes), or (null). */
static void unit_quote(FILE *f, const char *s) {
  if (!s) {
    fputs("(null)", f);
    return;
  }
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\n') fputs("\\n", f);
    else if (*p == '\t') fputs("\\t", f);
    else if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7f) fprintf(f, "\\x%02x", *p);
    else fputc(*p, f);
  }
  fputc('"', f);
}

void unit_check_str(const char *file, int line, const char *ea, const char *eb, const char *a, const char *b) {
  if (a == b || (a && b && strcmp(a, b) == 0)) return;
  fprintf(stdout, "FAIL %s: %s:%d: CHECK_STR(%s, %s)\n    got:      ", unit_current_name, file, line, ea, eb);
  unit_quote(stdout, a);
  fputs("\n    expected: ", stdout);
  unit_quote(stdout, b);
  fputc('\n', stdout);
  fflush(stdout);
  unit_current_failures++;
}

void unit_check_int(const char *file, int line, const char *ea, const char *eb, long long a, long long b) {
  if (a == b) return;
  fprintf(stdout, "FAIL %s: %s:%d: CHECK_INT(%s, %s): got %lld, expected %lld\n", unit_current_name, file, line, ea,
          eb, a, b);
  fflush(stdout);
  unit_current_failures++;
}

static int unit_cmp(const void *pa, const void *pb) {
  const UnitTest *a = *(UnitTest *const *)pa, *b = *(UnitTest *const *)pb;
  int c = strcmp(a->file, b->file);
  if (c) return c;
  return (a->line > b->line) - (a->line < b->line);
}

/* Runs one test in this process; returns true when it passed. */
static bool unit_run_here(UnitTest *t) {
  unit_current_name = t->name;
  unit_current_failures = 0;
  t->fn();
  fflush(stdout);
  return unit_current_failures == 0;
}

int main(int argc, char **argv) {
  const char *filter = argc > 1 ? argv[1] : NULL;
  bool nofork = getenv("UNIT_NOFORK") && strcmp(getenv("UNIT_NOFORK"), "0") != 0;
  bool verbose = getenv("UNIT_VERBOSE") && strcmp(getenv("UNIT_VERBOSE"), "0") != 0;
  UnitTest **all = calloc((size_t)unit_nregistered + 1, sizeof *all);
  if (!all) return 2;
  int n = 0;
  for (UnitTest *t = unit_head; t; t = t->next) all[n++] = t;
  qsort(all, (size_t)n, sizeof *all, unit_cmp);

  int passed = 0, failed = 0, ran = 0;
  for (int i = 0; i < n; i++) {
    UnitTest *t = all[i];
    if (filter && !strstr(t->name, filter)) continue;
    ran++;
    bool ok;
    fflush(stdout);
    fflush(stderr);
    if (nofork) {
      ok = unit_run_here(t);
    } else {
      pid_t pid = fork();
      if (pid < 0) {
        perror("unit: fork");
        return 2;
      }
      if (pid == 0) {
        bool r = unit_run_here(t);
        free(all);
        exit(r ? 0 : 1); /* exit, not _exit: LeakSanitizer checks at exit */
      }
      int st = 0;
      while (waitpid(pid, &st, 0) < 0) {
      }
      ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
      if (WIFSIGNALED(st)) {
        printf("FAIL %s: killed by signal %d (%s)\n", t->name, WTERMSIG(st), strsignal(WTERMSIG(st)));
      } else if (WIFEXITED(st) && WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 1) {
        printf("FAIL %s: exit status %d (a sanitizer report or leak above?)\n", t->name, WEXITSTATUS(st));
      } else if (WIFEXITED(st) && WEXITSTATUS(st) == 1) {
        /* failing CHECKs were printed by the child; a leak report may also
         * exit 1 when the test itself passed: say so. */
        printf("FAIL %s: failed (see above)\n", t->name);
      }
    }
    if (ok) {
      passed++;
      if (verbose) printf("ok   %s\n", t->name);
    } else {
      failed++;
    }
  }
  if (ran == 0) {
    printf("FAIL unit: no test matched%s%s\n", filter ? " " : "", filter ? filter : "");
    failed++;
  }
  free(all);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
