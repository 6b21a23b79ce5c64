/*
 * commit.c — the hot `commit` request read without jansson.
 *
 * Every live checkpoint sends one commit; parsing it into a jansson tree
 * (allocation per member, hashing, UTF-8 checks) and serialising the value
 * back was a third of the coordinator's instructions per checkpoint.  The
 * runtimes write it compactly (JSON.stringify, Python's separators), so
 * ck_parse_commit reads that form in place: strings without escapes, plain
 * integers and numbers, a scalar value.  Anything else (whitespace, an
 * escape, a non-ASCII byte, an unknown or repeated member, an object or a
 * real as the value, a field out of its bounds) is declined, and the caller
 * parses the message with jansson exactly as before: the fast path only
 * ever accepts messages whose outcome it reproduces, byte for byte (the
 * value it stores is what json_dumps would have written).
 */
#include "coord.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The members a commit may have, as bits of Cursor.seen. */
enum { F_OP, F_KEY, F_FILE, F_SITE, F_KIND, F_ATTEMPT, F_STATUS, F_VALUE, F_T0, F_T1, F_H, F_COUNT };
static const char *const NAMES[F_COUNT] = {"op",     "key",   "file", "site", "kind", "attempt",
                                           "status", "value", "t0",   "t1",   "h"};
/* Longest accepted string per member (on_commit's bounds; "op" is "commit"). */
static const size_t MAXLEN[F_COUNT] = {6, 4096, PATH_MAX, 0, 64, 0, 16, 0, 0, 0, 64};
#define REQUIRED                                                                                             \
  ((1u << F_OP) | (1u << F_KEY) | (1u << F_FILE) | (1u << F_SITE) | (1u << F_KIND) | (1u << F_ATTEMPT) |     \
   (1u << F_STATUS) | (1u << F_T0) | (1u << F_T1))
/* json_int_t holds any integer of up to 18 digits: past that, jansson decides. */
#define MAX_DIGITS 18

typedef struct Cursor {
  char *p, *end;
  unsigned seen;
  char *cut[F_COUNT]; /* where each string or value ends: a NUL goes there */
} Cursor;

/* A string without escapes or bytes outside printable ASCII; *s, *n its
 * contents.  0 ok, -1 declined. */
static int scan_string(Cursor *c, char **s, size_t *n) {
  if (c->p >= c->end || *c->p != '"') return -1;
  char *q = ++c->p;
  while (q < c->end && *q != '"') {
    unsigned char b = (unsigned char)*q;
    if (b < 0x20 || b > 0x7f || b == '\\') return -1;
    q++;
  }
  if (q >= c->end) return -1;
  *s = c->p;
  *n = (size_t)(q - c->p);
  c->p = q + 1;
  return 0;
}

/* A JSON number: 0 integer, 1 real, -1 declined (not a number, or an
 * integer too long to be sure jansson reads it the same). */
static int scan_number(Cursor *c) {
  char *q = c->p, *digits;
  if (q < c->end && *q == '-') q++;
  digits = q;
  if (q < c->end && *q == '0')
    q++;
  else
    while (q < c->end && *q >= '0' && *q <= '9') q++;
  if (q == digits) return -1;
  int real = 0;
  if (q - digits > MAX_DIGITS || (q - c->p == 2 && c->p[0] == '-' && c->p[1] == '0')) real = -1;
  if (q < c->end && *q == '.') {
    char *f = ++q;
    while (q < c->end && *q >= '0' && *q <= '9') q++;
    if (q == f) return -1;
    real = real ? real : 1;
  }
  if (q < c->end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < c->end && (*q == '+' || *q == '-')) q++;
    char *e = q;
    while (q < c->end && *q >= '0' && *q <= '9') q++;
    if (q == e) return -1;
    real = real ? real : 1;
  }
  c->p = q;
  return real;
}

/* An integer member (site, attempt): json_integer_value's reading. */
static int member_int(Cursor *c, int *out) {
  char *start = c->p;
  if (scan_number(c) != 0) return -1;
  *out = (int)strtoll(start, NULL, 10);
  return 0;
}

/* The significant bits of q: 64 to 128. */
static int bit_length(unsigned __int128 q) {
  uint64_t hi = (uint64_t)(q >> 64);
  return hi ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll((uint64_t)q);
}

/*
 * A real of at most 19 digits and no exponent (s..end, checked by
 * scan_number) read as strtod reads it: the nearest double, ties to even.
 * 0 ok, -1 another form (left to strtod).  Commits' times are such reals
 * and strtod's general algorithm was a third of reading a commit.  The
 * value is W / 10^k (W the digits, k the fraction digits, both < 2^64):
 * W shifted to fill 64 bits, times 2^64, divided by 10^k gives a quotient
 * of at least 64 bits and a remainder, so rounding to 53 bits is exact.
 */
static int decimal_fast(const char *s, const char *end, double *out) {
  bool neg = *s == '-';
  uint64_t w = 0, d = 1;
  int digits = 0, k = -1; /* fraction digits, -1 before the point */
  for (s += neg; s < end; s++) {
    if (*s == '.') {
      k = 0;
      continue;
    }
    if (*s < '0' || *s > '9' || ++digits > 19) return -1;
    w = w * 10 + (uint64_t)(*s - '0');
    if (k >= 0) k++, d *= 10;
  }
  if (k < 1) return -1;
  if (w == 0) {
    *out = neg ? -0.0 : 0.0;
    return 0;
  }
  int lz = __builtin_clzll(w);
  unsigned __int128 n = (unsigned __int128)(w << lz) << 64, q = n / d;
  bool inexact = n - q * d != 0;
  int shift = bit_length(q) - 53; /* >= 11 */
  uint64_t m = (uint64_t)(q >> shift);
  unsigned __int128 rest = q & (((unsigned __int128)1 << shift) - 1),
                    half = (unsigned __int128)1 << (shift - 1);
  if (rest > half || (rest == half && (inexact || (m & 1)))) m++;
  *out = ldexp(neg ? -(double)m : (double)m, shift - 64 - lz);
  return 0;
}

/* A number member (t0, t1): json_number_value's reading, integer or real. */
static int member_number(Cursor *c, double *out) {
  char *start = c->p;
  int kind = scan_number(c);
  if (kind < 0) return -1;
  if (kind == 0) {
    *out = (double)strtoll(start, NULL, 10);
    return 0;
  }
  if (decimal_fast(start, c->p, out) == 0) return 0;
  errno = 0;
  *out = strtod(start, NULL);
  return isinf(*out) && errno == ERANGE ? -1 : 0; /* jansson rejects the overflow */
}

/* The value member: a scalar whose text json_dumps writes unchanged. */
static int member_value(Cursor *c, const char **out) {
  char *start = c->p, *s;
  size_t n;
  if (c->p < c->end && *c->p == '"') {
    if (scan_string(c, &s, &n) < 0) return -1;
  } else if (c->p < c->end && (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))) {
    if (scan_number(c) != 0) return -1;
  } else {
    static const char *const words[] = {"true", "false", "null"};
    size_t k = 0;
    while (k < 3 &&
           !((size_t)(c->end - c->p) >= strlen(words[k]) && !memcmp(c->p, words[k], strlen(words[k]))))
      k++;
    if (k == 3) return -1;
    c->p += strlen(words[k]);
  }
  *out = start;
  return 0;
}

/* Which member a name is, or -1.  The runtimes write the members in
 * NAMES' order, so the search starts at the one after the last (from). */
static int member_of(const char *s, size_t n, int from) {
  for (int i = 0; i < F_COUNT; i++) {
    int f = (from + i) % F_COUNT;
    if (strlen(NAMES[f]) == n && !memcmp(NAMES[f], s, n)) return f;
  }
  return -1;
}

/* One string member: bounded, non-empty key, op "commit". */
static int member_string(Cursor *c, int f, const char **out) {
  char *s;
  size_t n;
  if (scan_string(c, &s, &n) < 0 || n > MAXLEN[f]) return -1;
  if ((f == F_KEY && n == 0) || (f == F_OP && (n != 6 || memcmp(s, "commit", 6)))) return -1;
  c->cut[f] = s + n;
  *out = s;
  return 0;
}

/* Reads member f into ck: 0 ok, -1 declined. */
static int member(Cursor *c, int f, CkRec *ck) {
  const char *op; /* checked, not kept */
  switch (f) {
  case F_OP: return member_string(c, f, &op);
  case F_KEY: return member_string(c, f, &ck->key);
  case F_FILE: return member_string(c, f, &ck->file);
  case F_KIND: return member_string(c, f, &ck->kind);
  case F_STATUS: return member_string(c, f, &ck->status);
  case F_H: return member_string(c, f, &ck->arghash);
  case F_SITE: return member_int(c, &ck->site);
  case F_ATTEMPT: return member_int(c, &ck->attempt);
  case F_T0: return member_number(c, &ck->t0);
  case F_T1: return member_number(c, &ck->t1);
  default:
    if (member_value(c, &ck->value) < 0) return -1;
    c->cut[f] = c->p;
    return 0;
  }
}

int ck_parse_commit(char *buf, size_t n, CkRec *ck) {
  Cursor c = {.p = buf, .end = buf + n};
  *ck = (CkRec){.value = "null"};
  if (n < 2 || buf[0] != '{' || buf[n - 1] != '}') return -1;
  c.p++;
  for (int f = -1;;) {
    char *name;
    size_t len;
    if (scan_string(&c, &name, &len) < 0 || c.p >= c.end || *c.p++ != ':') return -1;
    f = member_of(name, len, f + 1);
    if (f < 0 || (c.seen & 1u << f) || member(&c, f, ck) < 0) return -1;
    c.seen |= 1u << f;
    if (c.p >= c.end) return -1;
    if (*c.p == '}') break;
    if (*c.p++ != ',') return -1;
  }
  if (c.p != c.end - 1 || (c.seen & REQUIRED) != REQUIRED) return -1;
  /* accepted: end each string and the value in place */
  for (int f = 0; f < F_COUNT; f++)
    if (c.cut[f]) *c.cut[f] = 0;
  if (ck->attempt < 1) ck->attempt = 1;
  return 0;
}
