// SPDX-License-Identifier: GPL-2.0
/*
 * mgrep [--read] [--claim SIZE] PATTERN [FILE...]: grep -F for one fixed string that maps
 * its input; prints the matching lines (prefixed with "FILE:" when given
 * more than one file). Exit status 0 if a line matched, 1 if none, 2 on
 * error, as grep.
 */
#define _GNU_SOURCE
#include "xin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *pat;
static size_t patlen;
static int matched;
static const char *prefix;

static void line(const unsigned char *s, size_t n)
{
	if (patlen && !memmem(s, n, pat, patlen))
		return;
	matched = 1;
	if (prefix)
		fputs(prefix, stdout);
	fwrite(s, 1, n, stdout);
	putchar('\n');
}

int main(int argc, char **argv)
{
	unsigned char *carry = NULL;
	size_t carry_len = 0, carry_size = 0, n;
	const unsigned char *p;
	struct xin in;
	int i = 1, nfiles, rc = 0, r, k;
	char *pfx = NULL;

	xin_prog = "mgrep";
	i = xin_options(argc, argv);
	if (i < 0)
		return 2;
	if (i >= argc) {
		fprintf(stderr, "usage: mgrep [--read] [--claim SIZE] PATTERN [FILE...]\n");
		return 2;
	}
	pat = argv[i++];
	patlen = strlen(pat);
	nfiles = argc - i;
	for (k = 0; k < (nfiles ? nfiles : 1); k++) {
		const char *name = nfiles ? argv[i + k] : "-";

		if (nfiles > 1) {
			free(pfx);
			if (asprintf(&pfx, "%s:", name) < 0)
				return 2;
			prefix = pfx;
		}
		if (xin_open(&in, name)) {
			rc = 2;
			continue;
		}
		carry_len = 0;
		while ((r = xin_next(&in, &p, &n)) > 0) {
			const unsigned char *end = p + n, *nl;

			while ((nl = memchr(p, '\n', end - p))) {
				if (carry_len) {
					size_t need = carry_len + (nl - p);

					if (need > carry_size) {
						carry_size = need * 2;
						carry = realloc(carry, carry_size);
					}
					memcpy(carry + carry_len, p, nl - p);
					line(carry, need);
					carry_len = 0;
				} else {
					line(p, nl - p);
				}
				p = nl + 1;
			}
			if (p < end) {	/* partial line: keep it */
				size_t need = carry_len + (end - p);

				if (need > carry_size) {
					carry_size = need * 2;
					carry = realloc(carry, carry_size);
				}
				memcpy(carry + carry_len, p, end - p);
				carry_len = need;
			}
		}
		if (carry_len)
			line(carry, carry_len);
		if (r < 0)
			rc = 2;
		xin_close(&in);
	}
	fflush(stdout);
	if (rc)
		return rc;
	return matched ? 0 : 1;
}
