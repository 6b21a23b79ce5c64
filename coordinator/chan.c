/*
 * chan.c — framing of the private channel between coordinator and child.
 *
 * A message is a 4-byte big-endian length and that many bytes of UTF-8
 * JSON, an object.  The child is untrusted input: a length over
 * CH_MAX_MESSAGE, a truncated frame or bytes that are not a JSON object are
 * reported as bad input (the caller kills the child), never trusted and
 * never allowed to make us allocate without bound.
 */
#include "coord.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Reads exactly n bytes: n on success, 0 on EOF before any byte, -1 else. */
static ssize_t read_full(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    /* a peer that died with our reply unread resets the connection: at a
     * message boundary that is an ordinary end, not bad input */
    if (r <= 0) return got == 0 && (r == 0 || errno == ECONNRESET) ? 0 : -1;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

int ch_recv(int fd, json_t **msg, char *err, size_t errlen) {
  unsigned char hdr[4];
  *msg = NULL;
  ssize_t r = read_full(fd, hdr, 4);
  if (r == 0) return 1;
  if (r < 0) {
    snprintf(err, errlen, "truncated message header");
    return -1;
  }
  uint32_t n = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
  if (n > CH_MAX_MESSAGE) {
    snprintf(err, errlen, "oversized message (%u bytes, limit %u)", n, CH_MAX_MESSAGE);
    return -1;
  }
  char *buf = malloc(n ? n : 1);
  if (!buf) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  if (n && read_full(fd, buf, n) != (ssize_t)n) {
    free(buf);
    snprintf(err, errlen, "truncated message (%u bytes announced)", n);
    return -1;
  }
  json_error_t je;
  json_t *j = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
  free(buf);
  if (!j || !json_is_object(j)) {
    snprintf(err, errlen, "malformed message: %s", j ? "not a JSON object" : je.text);
    json_decref(j);
    return -1;
  }
  *msg = j;
  return 0;
}

int ch_send_raw(int fd, const char *json, size_t n) {
  unsigned char hdr[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};
  if (n > CH_MAX_MESSAGE) return -1;
  /* one writev: a reply is one wake-up of the child, not two */
  struct iovec iov[2] = {{hdr, 4}, {(void *)json, n}};
  size_t left = 4 + n;
  while (left) {
    ssize_t w = writev(fd, iov, 2);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    left -= (size_t)w;
    for (int i = 0; i < 2 && w > 0; i++) {
      size_t take = (size_t)w < iov[i].iov_len ? (size_t)w : iov[i].iov_len;
      iov[i].iov_base = (char *)iov[i].iov_base + take;
      iov[i].iov_len -= take;
      w -= (ssize_t)take;
    }
  }
  return 0;
}

int ch_send(int fd, json_t *msg) {
  char *s = json_dumps(msg, JSON_COMPACT);
  if (!s) return -1;
  int rc = ch_send_raw(fd, s, strlen(s));
  free(s);
  return rc;
}
