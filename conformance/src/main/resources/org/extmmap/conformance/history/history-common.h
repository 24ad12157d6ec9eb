/*
 * What the concurrent workload (src/main/c/extmmap-workload.c, which includes this file) and the
 * C reproducers of its histories (history-replay.c, into which HistoryReproducer copies this
 * file) must spell and compute alike: the data pattern, the record of bytes, errno names. One
 * copy, so that a reproducer compares what the workload recorded. Needs <errno.h>, <inttypes.h>,
 * <stdio.h>, <stdint.h>.
 */

/* SplitMix64's finalizer */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* histories.md: 1 + mix(key ^ (j << 32)) mod 255, never zero */
static unsigned char pattern(uint64_t key, uint64_t j)
{
	return 1 + mix(key ^ (j << 32)) % 255;
}

/* FNV-1a 64 */
static uint64_t digest(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * The bytes of a read or a load as a history records them: their digest, or (hex, which the
 * workload chooses with --small for at most 8 bytes, since TLC's trace check needs the bytes)
 * "x" and the bytes in hex. @out holds 2 * n + 2 bytes, at least 17.
 */
static const char *bytes_word(char *out, const unsigned char *p, size_t n, int hex)
{
	if (hex) {
		out[0] = 'x';
		for (size_t j = 0; j < n; j++)
			sprintf(out + 1 + 2 * j, "%02x", p[j]);
		out[1 + 2 * n] = 0;
	} else {
		sprintf(out, "%016" PRIx64, digest(p, n));
	}
	return out;
}

static const char *errname(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" },
		{ EPIPE, "EPIPE" }, { EDEADLK, "EDEADLK" }, { ENOSYS, "ENOSYS" },
		{ EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
	};
	static char other[16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(other, sizeof(other), "E%d", e);
	return other;
}
