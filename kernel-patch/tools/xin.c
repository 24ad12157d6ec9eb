// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "xin.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/pipe_mmap.h>	/* the series' uapi header (kernel-patch/uapi-header.sh) */

const char *xin_prog = "xin";
int xin_force_read;
size_t xin_claim = 256UL << 20;
static int warned;

#define READ_CHUNK (256 * 1024)
#define FILE_CHUNK (1UL << 30)
#define PAGE 4096UL

int xin_options(int argc, char **argv)
{
	int i = 1;

	while (i < argc) {
		if (!strcmp(argv[i], "--read")) {
			xin_force_read = 1;
			i++;
		} else if (!strcmp(argv[i], "--claim") && i + 1 < argc) {
			xin_claim = strcmp(argv[i + 1], "avail") ? xin_size(argv[i + 1]) : 0;
			if (strcmp(argv[i + 1], "avail") && (!xin_claim || xin_claim % PAGE)) {
				fprintf(stderr, "%s: --claim %s: give a positive multiple of %lu bytes (64k, 256M, 1G) or avail\n",
					xin_prog, argv[i + 1], PAGE);
				return -1;
			}
			i += 2;
		} else {
			break;
		}
	}
	return i;
}

static void fallback_note(int err)
{
	if (warned++)
		return;
	fprintf(stderr, "%s: this kernel cannot mmap() a pipe (%s); falling back to read()\n",
		xin_prog, strerror(err));
}

int xin_open(struct xin *in, const char *name)
{
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->name = name;
	if (!strcmp(name, "-")) {
		in->fd = 0;
	} else {
		in->fd = open(name, O_RDONLY);
		if (in->fd < 0) {
			fprintf(stderr, "%s: %s: %s\n", xin_prog, name, strerror(errno));
			return -1;
		}
	}
	in->mode = XIN_READ;
	if (!xin_force_read && !fstat(in->fd, &st)) {
		if (S_ISREG(st.st_mode) && st.st_size > 0)
			in->mode = XIN_FILE;
		else if (S_ISFIFO(st.st_mode))
			in->mode = XIN_PIPE;
	}
	if (in->mode == XIN_PIPE)	/* a bigger ring: fewer wake-ups of the writer */
		fcntl(in->fd, F_SETPIPE_SZ, 1 << 20);
	return 0;
}

static void unmap(struct xin *in)
{
	if (in->map) {
		munmap(in->map + in->unmapped, in->map_len - in->unmapped);
		in->map = NULL;
		in->unmapped = 0;
	}
}

static int next_read(struct xin *in, const unsigned char **p, size_t *n)
{
	ssize_t r;

	if (!in->buf) {
		in->buf_size = READ_CHUNK;
		in->buf = malloc(in->buf_size);
		if (!in->buf) {
			perror(xin_prog);
			return -1;
		}
	}
	do
		r = read(in->fd, in->buf, in->buf_size);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		fprintf(stderr, "%s: %s: %s\n", xin_prog, in->name, strerror(errno));
		return -1;
	}
	if (r == 0)
		return 0;
	in->bytes += r;
	*p = in->buf;
	*n = r;
	return 1;
}

static int next_file(struct xin *in, const unsigned char **p, size_t *n)
{
	struct stat st;
	off_t off = in->bytes;
	size_t len;

	unmap(in);
	if (fstat(in->fd, &st) || off >= st.st_size)
		return 0;
	len = st.st_size - off;
	if (len > FILE_CHUNK)
		len = FILE_CHUNK;
	in->map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, in->fd, off);
	if (in->map == MAP_FAILED) {
		in->map = NULL;
		if (lseek(in->fd, off, SEEK_SET) < 0)
			return -1;
		in->mode = XIN_READ;
		return next_read(in, p, n);
	}
	madvise(in->map, len, MADV_SEQUENTIAL);
	in->map_len = len;
	in->bytes += len;
	*p = in->map;
	*n = len;
	return 1;
}

/* Where the stream ends in the current claim: 0, or -1 with a message. */
static int claim_end(struct xin *in, size_t *bytes, int *final)
{
	struct pipe_claim_end q = { .addr = (unsigned long)(in->map + in->pos) };

	if (ioctl(in->fd, PIPE_IOC_CLAIM_END, &q) < 0) {
		fprintf(stderr, "%s: %s: ioctl(PIPE_IOC_CLAIM_END): %s%s\n", xin_prog, in->name, strerror(errno),
			errno == ENOTTY ? " (this kernel maps pipes but lacks the end query: apply the current series)" : "");
		return -1;
	}
	*bytes = q.bytes;
	*final = !!(q.flags & PIPE_CLAIM_FINAL);
	return 0;
}

/*
 * Claims the next @len bytes of the stream: 0, or -1 with the mode switched
 * to read() (the kernel cannot map pipes: said once) or a message printed.
 */
static int claim(struct xin *in, size_t len)
{
	in->map = mmap(NULL, len, PROT_READ, MAP_SHARED, in->fd, 0);
	if (in->map == MAP_FAILED) {
		in->map = NULL;
		if (in->nmaps == 0) {
			fallback_note(errno);
			in->mode = XIN_READ;
		} else {
			fprintf(stderr, "%s: %s: mmap: %s\n", xin_prog, in->name, strerror(errno));
		}
		return -1;
	}
	in->nmaps++;
	in->map_len = len;
	in->pos = 0;
	in->unmapped = 0;
	return 0;
}

/*
 * --claim avail: claim exactly what FIONREAD says is buffered, waiting in
 * poll() when nothing is; so a claim never reaches past the end of the
 * stream. What the programs did before the end query; kept to measure it.
 */
static int next_pipe_avail(struct xin *in, const unsigned char **p, size_t *n)
{
	struct pollfd pfd = { .fd = in->fd, .events = POLLIN };
	int avail = 0;

	unmap(in);
	for (;;) {
		if (ioctl(in->fd, FIONREAD, &avail) < 0)
			avail = 0;
		if (avail > 0)
			break;
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (ioctl(in->fd, FIONREAD, &avail) < 0)
			avail = 0;
		if (avail > 0)
			break;
		if (pfd.revents & (POLLHUP | POLLERR))
			return 0;	/* no writer left and nothing buffered */
	}
	if (claim(in, avail))
		return in->mode == XIN_READ ? next_read(in, p, n) : -1;
	in->bytes += avail;
	*p = in->map;
	*n = avail;
	return 1;
}

static sigjmp_buf touch_env;

static void touch_bus(int sig)
{
	siglongjmp(touch_env, 1);
}

/*
 * Wait until the page at @addr is complete or the stream ended: a load
 * blocks until then. If the stream ended before the page (EOF at a page
 * boundary, after the last query), the load raises SIGBUS, which is that
 * answer too.
 */
static void touch(const unsigned char *addr)
{
	struct sigaction sa = { .sa_handler = touch_bus }, old;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (!sigsetjmp(touch_env, 1))
		(void)*(volatile const unsigned char *)addr;
	sigaction(SIGBUS, &old, NULL);
}

/*
 * A pipe is mapped like a file of unknown size: one large claim (xin_claim
 * bytes of address space), read through as far as the end query says the
 * stream goes. Whole pages are handed out as they fill; the page at the
 * current position is touched to wait for more (a load blocks until its page
 * is complete or EOF). Pages already handed out are unmapped on the next
 * call, so memory stays at about one chunk.
 */
static int next_pipe(struct xin *in, const unsigned char **p, size_t *n)
{
	size_t bytes, give, done = in->pos & ~(PAGE - 1);
	int final;

	if (!xin_claim)
		return next_pipe_avail(in, p, n);
	if (in->map && done > in->unmapped) {
		munmap(in->map + in->unmapped, done - in->unmapped);
		in->unmapped = done;
	}
	for (;;) {
		if (in->map && in->pos == in->map_len)
			unmap(in);	/* all of it handed out: the next claim */
		if (!in->map && claim(in, xin_claim))
			return in->mode == XIN_READ ? next_read(in, p, n) : -1;
		if (claim_end(in, &bytes, &final))
			return -1;
		/* whole pages, unless the count is final: a partial page would wait */
		give = final ? bytes : bytes & ~(PAGE - 1);
		if (give > in->pos)
			break;
		if (final && bytes < in->map_len)
			return 0;	/* EOF inside this claim */
		if (final) {	/* the claim is used up: the next one */
			unmap(in);
			continue;
		}
		touch(in->map + in->pos);
		in->waits++;
	}
	*p = in->map + in->pos;
	*n = give - in->pos;
	in->bytes += *n;
	in->pos = give;
	return 1;
}

int xin_next(struct xin *in, const unsigned char **p, size_t *n)
{
	switch (in->mode) {
	case XIN_FILE:
		return next_file(in, p, n);
	case XIN_PIPE:
		return next_pipe(in, p, n);
	default:
		return next_read(in, p, n);
	}
}

void xin_close(struct xin *in)
{
	unmap(in);
	free(in->buf);
	if (in->fd > 0)
		close(in->fd);
}

unsigned long long xin_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; break;
	case 'm': case 'M': v <<= 20; break;
	case 'g': case 'G': v <<= 30; break;
	}
	return v;
}
