/*
 * util.c — the small toolbox every stage uses: checked allocation, growable
 * strings and arrays, whole-file reads, atomic writes and hashing.
 *
 * Allocation failure aborts with a message: the compiler has no sensible way
 * to continue without memory, and checking every call site would bury the
 * passes in error handling.  Writes are atomic (temp file + fsync + rename)
 * so an interrupted build never leaves a half-written output file.
 */
#include "currant.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

static void out_of_memory(size_t n) {
  fprintf(stderr, "currantc: fatal: out of memory allocating %zu bytes\n", n);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) out_of_memory(n);
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) out_of_memory(n * size);
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) out_of_memory(n);
  return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *xdotjoin(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  char *p = xmalloc(na + nb + 2);
  memcpy(p, a, na);
  p[na] = '.';
  memcpy(p + na + 1, b, nb + 1);
  return p;
}

bool settle_strings(const char **cur, const char *const *next, const bool *bad, int n) {
  bool changed = false;
  for (int k = 0; k < n; k++) {
    const char *now = bad[k] ? NULL : next[k];
    changed |= now != cur[k];
    cur[k] = now;
  }
  return changed;
}

char *xpathjoin(const char *a, const char *b) { return !*a ? xstrdup(b) : !*b ? xstrdup(a) : xdotjoin(a, b); }

char *xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = NULL;
  if (vasprintf(&p, fmt, ap) < 0) out_of_memory(strlen(fmt));
  va_end(ap);
  return p;
}

void str_reserve(StrBuf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void str_append(StrBuf *b, const char *s, size_t n) {
  str_reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void str_puts(StrBuf *b, const char *s) { str_append(b, s, strlen(s)); }

void str_printf(StrBuf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n > 0) {
    str_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

void str_free(StrBuf *b) {
  free(b->data);
  *b = (StrBuf){0};
}

char *str_take(StrBuf *b) {
  if (!b->data) str_reserve(b, 0), b->data[0] = '\0';
  char *p = b->data;
  *b = (StrBuf){0};
  return p;
}

void vec_push(Vec *v, void *item) {
  if (v->len == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->items = xrealloc(v->items, (size_t)v->cap * sizeof *v->items);
  }
  v->items[v->len++] = item;
}

void vec_free(Vec *v) {
  free(v->items);
  *v = (Vec){0};
}

bool vec_has_str(const Vec *v, const char *s) {
  for (int i = 0; i < v->len; i++)
    if (strcmp(v->items[i], s) == 0) return true;
  return false;
}

/* Opens path for reading if it is a regular file (O_NONBLOCK: a FIFO is
 * refused, not waited on); -1 with errno set otherwise. */
static int open_regular(const char *path, struct stat *st) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return -1;
  int e = fstat(fd, st) < 0 ? errno : S_ISDIR(st->st_mode) ? EISDIR : S_ISREG(st->st_mode) ? 0 : EINVAL;
  if (e) {
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

char *read_file(const char *path, size_t *len) {
  struct stat st;
  int fd = open_regular(path, &st);
  if (fd < 0) return NULL;
  /* Room for the NUL and one byte more, so that the read meeting EOF
   * needs no growth: a file that does not change while read is held in
   * its own size (every source stays in memory for the whole build). */
  size_t cap = (size_t)st.st_size + 2, n = 0;
  char *buf = xmalloc(cap);
  for (;;) {
    if (n + 1 >= cap) buf = xrealloc(buf, cap *= 2);
    ssize_t r = read(fd, buf + n, cap - n - 1);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int e = errno;
      free(buf);
      close(fd);
      errno = e;
      return NULL;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* n bytes of md as lower-case hex into out (2n digits and a NUL). */
static void to_hex(const unsigned char *md, size_t n, char *out) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hex[md[i] >> 4];
    out[2 * i + 1] = hex[md[i] & 15];
  }
  out[2 * n] = '\0';
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX + 1]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
  to_hex(md, 32, out);
}

static void digest_to_hex(XXH128_hash_t h, char out[DIGEST_HEX + 1]) {
  XXH128_canonical_t c;
  XXH128_canonicalFromHash(&c, h);
  to_hex(c.digest, sizeof c.digest, out);
}

void digest_hex(const void *data, size_t len, char out[DIGEST_HEX + 1]) {
  digest_to_hex(XXH3_128bits(data, len), out);
}

/* A streaming digest (outfile, digest_file); digest_end frees it. */
static XXH3_state_t *digest_begin(void) {
  XXH3_state_t *st = XXH3_createState();
  if (!st) out_of_memory(0);
  XXH3_128bits_reset(st);
  return st;
}

static void digest_end(XXH3_state_t *st, char out[DIGEST_HEX + 1]) {
  if (out) digest_to_hex(XXH3_128bits_digest(st), out);
  XXH3_freeState(st);
}

static int write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, data, len);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    data += w;
    len -= (size_t)w;
  }
  return 0;
}

int outfile_open(OutFile *f, const char *path, bool hash) {
  *f = (OutFile){.path = xstrdup(path), .tmp = xasprintf("%s.tmp.%ld", path, (long)getpid())};
  /* O_EXCL|O_NOFOLLOW: a planted symlink at the temp name is refused, not followed. */
  f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (f->fd < 0 && errno == EEXIST) {
    unlink(f->tmp);
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  }
  if (f->fd < 0) {
    int e = errno;
    free(f->path), free(f->tmp);
    errno = e;
    return -1;
  }
  if (hash) f->digest = digest_begin();
  return 0;
}

void outfile_write(OutFile *f, const void *data, size_t len) {
  if (f->digest) XXH3_128bits_update(f->digest, data, len);
  if (!f->err && write_all(f->fd, data, len) < 0) f->err = errno;
}

/* No fsync: an interrupted build leaves either the old file or the new one
 * under the real name (rename is atomic), and outputs can be rebuilt;
 * syncing each of thousands of files made builds 50x slower. */
int outfile_close(OutFile *f, char digest[DIGEST_HEX + 1]) {
  int e = f->err;
  if (close(f->fd) < 0 && !e) e = errno;
  if (!e && rename(f->tmp, f->path) < 0) e = errno;
  if (e) unlink(f->tmp);
  if (f->digest) digest_end(f->digest, digest);
  free(f->path), free(f->tmp);
  errno = e;
  return e ? -1 : 0;
}

int symlink_atomic(const char *target, const char *path) {
  char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
  unlink(tmp); /* a leftover of a killed build */
  int rc = symlink(target, tmp) < 0 ? -1 : rename(tmp, path);
  int e = errno;
  if (rc < 0) unlink(tmp);
  free(tmp);
  errno = e;
  return rc;
}

int write_file_atomic(const char *path, const char *data, size_t len) {
  OutFile f;
  if (outfile_open(&f, path, false) < 0) return -1;
  outfile_write(&f, data, len);
  return outfile_close(&f, NULL);
}

bool path_is_plain(const char *rel) {
  if (*rel == '/') return false;
  for (;;) {
    size_t n = strcspn(rel, "/");
    if (n == 0 || (n == 1 && rel[0] == '.') || (n == 2 && rel[0] == '.' && rel[1] == '.')) return false;
    if (!rel[n]) return true;
    rel += n + 1;
  }
}

/* Up from path's directory to the first one that exists or can be made,
 * then down making the rest: usually one mkdir.  Making every ancestor
 * from the root cost a build one failing syscall per level for each new
 * directory of OUT. */
int make_parent_dirs(const char *path) {
  char *p = xstrdup(path);
  char *last = strrchr(p, '/'), *s = last;
  int rc = 0;
  if (s && s > p) {
    *s = '\0';
    while (rc == 0 && mkdir(p, 0755) < 0 && errno != EEXIST) {
      char *up = errno == ENOENT ? strrchr(p, '/') : NULL;
      if (up && up > p)
        s = up, *s = '\0';
      else
        rc = -1;
    }
    while (rc == 0 && s != last) {
      *s = '/';
      s += strlen(s);
      if (mkdir(p, 0755) < 0 && errno != EEXIST) rc = -1;
    }
  }
  int e = errno;
  free(p);
  errno = e;
  return rc;
}

/* Bytes read at a time by the streaming helpers below. */
#define FILE_CHUNK (1 << 20)

/* Reads fd to its end in chunks, handing each to eat; 0, or -1 (errno). */
static int each_chunk(int fd, void (*eat)(void *, const char *, size_t), void *ctx) {
  char *buf = xmalloc(FILE_CHUNK);
  ssize_t r;
  while ((r = read(fd, buf, FILE_CHUNK)) != 0) {
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    eat(ctx, buf, (size_t)r);
  }
  int e = errno;
  free(buf);
  errno = e;
  return r < 0 ? -1 : 0;
}

static void digest_chunk(void *ctx, const char *data, size_t len) { XXH3_128bits_update(ctx, data, len); }

int digest_file(const char *path, char out[DIGEST_HEX + 1]) {
  struct stat st;
  int fd = open_regular(path, &st);
  if (fd < 0) return -1;
  XXH3_state_t *md = digest_begin();
  int rc = each_chunk(fd, digest_chunk, md);
  int e = errno;
  close(fd);
  digest_end(md, rc == 0 ? out : NULL);
  errno = e;
  return rc;
}

static void write_chunk(void *ctx, const char *data, size_t len) { outfile_write(ctx, data, len); }

int copy_file_atomic(const char *src, const char *dst) {
  struct stat st;
  int fd = open_regular(src, &st);
  if (fd < 0) return -1;
  OutFile f;
  if (outfile_open(&f, dst, false) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  /* the permission bits go along: a copied script stays executable */
  if (fchmod(f.fd, st.st_mode & 0777) < 0) f.err = errno;
  if (each_chunk(fd, write_chunk, &f) < 0 && !f.err) f.err = errno;
  close(fd);
  return outfile_close(&f, NULL);
}

void offset_to_line_col(const char *text, size_t off, uint32_t *line, uint32_t *col) {
  uint32_t l = 1;
  size_t bol = 0;
  for (size_t i = 0; i < off; i++)
    if (text[i] == '\n') l++, bol = i + 1;
  *line = l;
  *col = (uint32_t)(off - bol + 1);
}
