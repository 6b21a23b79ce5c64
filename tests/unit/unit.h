/*
 * unit.h — a tiny unit-test harness for currantc's C.
 *
 *   #include "unit.h"
 *   TEST(str_append_grows) {
 *     StrBuf b = {0};
 *     str_puts(&b, "ab");
 *     CHECK_INT(b.len, 2);
 *     CHECK_STR(b.data, "ab");
 *     str_free(&b);
 *   }
 *
 * TEST registers itself (a constructor); tests/unit/main.c runs them in file
 * and line order, each in a child process (a crash, sanitizer report or leak
 * fails that test only), and ends with "N passed, N failed".  A failed CHECK
 * reports and the test goes on.  `unit-tests SUBSTRING` runs only the tests
 * whose name contains it; UNIT_NOFORK=1 runs them in-process (debuggers).
 */
#ifndef CURRANT_UNIT_H
#define CURRANT_UNIT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct UnitTest {
  const char *name;
  void (*fn)(void);
  const char *file;
  int line;
  struct UnitTest *next;
} UnitTest;

void unit_register(UnitTest *t);
void unit_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void unit_check_str(const char *file, int line, const char *ea, const char *eb, const char *a, const char *b);
void unit_check_int(const char *file, int line, const char *ea, const char *eb, long long a, long long b);

#define TEST(name)                                                                    \
  static void unit_test_##name(void);                                                 \
  static UnitTest unit_rec_##name = {#name, unit_test_##name, __FILE__, __LINE__, 0}; \
  __attribute__((constructor)) static void unit_reg_##name(void) { unit_register(&unit_rec_##name); } \
  static void unit_test_##name(void)

#define CHECK(cond)                                               \
  do {                                                            \
    if (!(cond)) unit_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
  } while (0)

#define CHECK_STR(a, b) unit_check_str(__FILE__, __LINE__, #a, #b, (a), (b))
#define CHECK_INT(a, b) unit_check_int(__FILE__, __LINE__, #a, #b, (long long)(a), (long long)(b))

#endif
