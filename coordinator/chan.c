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
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* Past this, a buffer emptied by a large message is given back. */
#define IN_KEEP (1u << 20)
#define IN_CHUNK (64u * 1024u)

void ch_in_reset(ChIn *in) {
  free(in->buf);
  *in = (ChIn){.exact = in->exact, .spin_us = in->spin_us};
}

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Polls fd for up to in->spin_us before the caller blocks in read, taking
 * what arrives into in.  Why: a checkpoint is a round trip, and the next
 * one usually comes tens of µs after our reply; a coordinator asleep in
 * read then needs a wake-up, which on a VM (an idle vCPU halted) costs
 * 20-30 µs of each checkpoint.  Any error, EOF or a fd that is not a
 * socket ends the poll: the blocking read that follows reports it. */
static void spin_for_message(int fd, ChIn *in, size_t room) {
  uint64_t until = now_us() + in->spin_us;
  for (;;) {
    ssize_t r = recv(fd, in->buf + in->len, room, MSG_DONTWAIT);
    if (r > 0) {
      in->len += (size_t)r;
      return;
    }
    if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return;
    if (now_us() >= until) return;
    /* the script may be waiting for our CPU: two CPUs, and Node's own
     * threads compile on one while it warms up.  Yielding costs ~1 µs
     * when nothing waits.  With the runtimes' backoff after a poll in
     * vain (channel.js), it ended the runs whose first 50-100 steps took
     * ~600 µs each (README "Polling before sleeping"); alone it did not. */
    sched_yield();
  }
}

/* Has at least want bytes unread in in: 0 yes, 1 EOF (or a reset) with
 * nothing unread, 2 the read timed out (SO_RCVTIMEO) with nothing unread,
 * -1 EOF or error inside a message.  Unless in->exact, reads ahead what
 * the peer has sent: a message's header and body usually come in one
 * read. */
static int fill(int fd, ChIn *in, size_t want) {
  if (in->len - in->off >= want) return 0;
  if (in->off) { /* what is unread goes to the front */
    memmove(in->buf, in->buf + in->off, in->len - in->off);
    in->len -= in->off;
    in->off = 0;
  }
  if (want > in->cap) {
    size_t cap = want > IN_CHUNK ? want : IN_CHUNK;
    char *buf = realloc(in->buf, cap);
    if (!buf) return -1;
    in->buf = buf;
    in->cap = cap;
  }
  if (in->len == 0 && in->spin_us) spin_for_message(fd, in, (in->exact ? want : in->cap));
  while (in->len < want) {
    ssize_t r = read(fd, in->buf + in->len, (in->exact ? want : in->cap) - in->len);
    if (r > 0) {
      in->len += (size_t)r;
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (in->len == 0) return 2;
      continue; /* inside a message: wait on */
    }
    /* a peer that died with our reply unread resets the connection: at a
     * message boundary that is an ordinary end, not bad input */
    return in->len == 0 && (r == 0 || errno == ECONNRESET) ? 1 : -1;
  }
  return 0;
}

/* The next frame's body, left in the buffer (*body, *n): 0 ok, 1 EOF,
 * 2 timeout, -1 bad. */
static int read_frame(int fd, ChIn *in, char **body, uint32_t *n, char *err, size_t errlen) {
  int r = fill(fd, in, 4);
  if (r == 1 || r == 2) return r;
  if (r < 0) {
    snprintf(err, errlen, "truncated message header");
    return -1;
  }
  const unsigned char *hdr = (const unsigned char *)in->buf + in->off;
  *n = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
  if (*n > CH_MAX_MESSAGE) {
    snprintf(err, errlen, "oversized message (%u bytes, limit %u)", *n, CH_MAX_MESSAGE);
    return -1;
  }
  if (fill(fd, in, 4 + (size_t)*n) != 0) {
    snprintf(err, errlen, "truncated message (%u bytes announced)", *n);
    return -1;
  }
  *body = in->buf + in->off + 4;
  in->off += 4 + (size_t)*n;
  return 0;
}

int ch_recv_in(int fd, ChIn *in, json_t **msg, CkRec *ck, char *err, size_t errlen) {
  char *body;
  uint32_t n;
  *msg = NULL;
  if (in->off == in->len && in->cap > IN_KEEP) ch_in_reset(in); /* after a large message */
  int r = read_frame(fd, in, &body, &n, err, errlen);
  if (r != 0) return r;
  if (ck && ck_parse_commit(body, n, ck) == 0) return 0;
  json_error_t je;
  json_t *j = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
  if (!j || !json_is_object(j)) {
    snprintf(err, errlen, "malformed message: %s", j ? "not a JSON object" : je.text);
    json_decref(j);
    return -1;
  }
  *msg = j;
  return 0;
}

int ch_recv(int fd, json_t **msg, char *err, size_t errlen) {
  ChIn in = {.exact = true};
  int rc = ch_recv_in(fd, &in, msg, NULL, err, errlen);
  ch_in_reset(&in);
  return rc;
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
