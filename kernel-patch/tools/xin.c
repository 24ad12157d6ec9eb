// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "xin.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

const char *xin_prog = "xin";
int xin_force_read;
static int warned;

#define READ_CHUNK (256 * 1024)
#define FILE_CHUNK (1UL << 30)

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
	if (in->mode == XIN_PIPE)	/* bigger claims: fewer mmap calls */
		fcntl(in->fd, F_SETPIPE_SZ, 1 << 20);
	return 0;
}

static void unmap(struct xin *in)
{
	if (in->map) {
		munmap(in->map, in->map_len);
		in->map = NULL;
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

static int next_pipe(struct xin *in, const unsigned char **p, size_t *n)
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
	in->map = mmap(NULL, avail, PROT_READ, MAP_SHARED, in->fd, 0);
	if (in->map == MAP_FAILED) {
		in->map = NULL;
		if (in->nmaps == 0) {
			fallback_note(errno);
			in->mode = XIN_READ;
			return next_read(in, p, n);
		}
		fprintf(stderr, "%s: %s: mmap: %s\n", xin_prog, in->name, strerror(errno));
		return -1;
	}
	in->nmaps++;
	in->map_len = avail;
	in->bytes += avail;
	*p = in->map;
	*n = avail;
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
