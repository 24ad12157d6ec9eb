// SPDX-License-Identifier: GPL-2.0
/* mcat [--read] [--claim SIZE] [FILE...]: cat that maps its input (file or pipe). */
#include "xin.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int write_all(const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(1, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "mcat: write: %s\n", strerror(errno));
			return -1;
		}
		p += w;
		n -= w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const unsigned char *p;
	struct xin in;
	int i = 1, rc = 0, r, nfiles;
	size_t n;

	xin_prog = "mcat";
	i = xin_options(argc, argv);
	if (i < 0)
		return 2;
	nfiles = argc - i;
	for (; i < argc || nfiles == 0; i++) {
		const char *name = nfiles ? argv[i] : "-";

		if (xin_open(&in, name)) {
			rc = 1;
		} else {
			while ((r = xin_next(&in, &p, &n)) > 0)
				if (write_all(p, n))
					return 1;
			if (r < 0)
				rc = 1;
			xin_close(&in);
		}
		if (!nfiles)
			break;
	}
	return rc;
}
