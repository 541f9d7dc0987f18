/*
 * Key files (outboard/key.h): load with permission checks, generate, and a
 * public key id. The file is opened first and checked with fstat on the
 * open descriptor, so what is checked is what is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "ipc_impl.h"
#include "outboard/key.h"

#define OBI_KEY_LOG "key"

/* A key file is one line of 64 hex digits; anything much longer is not
 * one, and is not read further. */
#define OBI_KEY_FILE_MAX 256

static const char key_id_label[] = "outboard key id v1";

int obi_sodium_init(void)
{
	if (sodium_init() < 0) {
		OB_ERROR(OBI_KEY_LOG, "libsodium failed to initialise");
		return -EIO;
	}
	return 0;
}

/* Refuse files others could read or that someone else controls. */
static int check_file(const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode)) {
		OB_ERROR(OBI_KEY_LOG, "key file %s is not a regular file", path);
		return -EINVAL;
	}
	if (st->st_mode & (S_IRWXG | S_IRWXO)) {
		OB_ERROR(OBI_KEY_LOG, "key file %s is accessible by group or others (mode %04o): "
			 "anyone who can read it can talk to this endpoint; "
			 "run 'chmod 600 %s' (and consider making a new key)",
			 path, (unsigned)(st->st_mode & 07777), path);
		return -EPERM;
	}
	if (st->st_uid != geteuid() && st->st_uid != 0) {
		OB_ERROR(OBI_KEY_LOG, "key file %s belongs to user %u, not to this user (%u) or "
			 "root: whoever owns it can change it", path, (unsigned)st->st_uid,
			 (unsigned)geteuid());
		return -EPERM;
	}
	return 0;
}

/* Read up to size - 1 bytes and NUL-terminate. Returns the length, or a
 * negated errno; -EINVAL when the file is larger. */
static ssize_t read_small(int fd, char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		ssize_t n = read(fd, buf + len, size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == size)
			return -EINVAL;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

/* Exactly 2 * OB_KEY_BYTES hex digits between optional whitespace. */
static int parse_key(const char *text, uint8_t key[OB_KEY_BYTES])
{
	const char *start = text, *end;
	size_t bin_len = 0;

	while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
			       end[-1] == '\r'))
		end--;
	if (end - start != 2 * OB_KEY_BYTES)
		return -EINVAL;
	if (sodium_hex2bin(key, OB_KEY_BYTES, start, (size_t)(end - start), NULL, &bin_len,
			   NULL) != 0 || bin_len != OB_KEY_BYTES)
		return -EINVAL;
	return 0;
}

int ob_key_load(const char *path, uint8_t key[OB_KEY_BYTES])
{
	char text[OBI_KEY_FILE_MAX];
	uint8_t tmp[OB_KEY_BYTES];
	struct stat st;
	ssize_t len;
	int fd = -1, rc;

	if (!path || !key)
		return -EINVAL;
	rc = obi_sodium_init();
	if (rc < 0)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		rc = -errno;
		OB_ERROR(OBI_KEY_LOG, "cannot open key file %s: %s", path, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		OB_ERROR(OBI_KEY_LOG, "cannot stat key file %s: %s", path, strerror(-rc));
		goto out;
	}
	rc = check_file(path, &st);
	if (rc < 0)
		goto out;
	len = read_small(fd, text, sizeof(text));
	if (len < 0) {
		rc = (int)len;
		if (rc == -EINVAL)
			OB_ERROR(OBI_KEY_LOG, "key file %s is too large to be a key file", path);
		else
			OB_ERROR(OBI_KEY_LOG, "cannot read key file %s: %s", path, strerror(-rc));
		goto out;
	}
	rc = parse_key(text, tmp);
	if (rc < 0) {
		OB_ERROR(OBI_KEY_LOG, "key file %s does not hold a key (one line of %u hex "
			 "digits, as 'outboard-keygen FILE' writes)", path, 2 * OB_KEY_BYTES);
		goto out;
	}
	memcpy(key, tmp, OB_KEY_BYTES);
out:
	sodium_memzero(text, sizeof(text));
	sodium_memzero(tmp, sizeof(tmp));
	close(fd);
	return rc;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int ob_key_generate(const char *path, uint8_t key_out[OB_KEY_BYTES])
{
	uint8_t key[OB_KEY_BYTES];
	char text[2 * OB_KEY_BYTES + 2];
	int fd, rc;

	if (!path)
		return -EINVAL;
	rc = obi_sodium_init();
	if (rc < 0)
		return rc;
	/* 0600 at creation, so the key is never readable by others, not even
	 * for a moment; O_EXCL so an existing key is never lost. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = -errno;
		OB_ERROR(OBI_KEY_LOG, "cannot create key file %s: %s%s", path, strerror(-rc),
			 rc == -EEXIST ? " (an existing key is never overwritten; remove it "
			 "first if you mean to replace it)" : "");
		return rc;
	}
	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(text, sizeof(text), key, sizeof(key));
	text[2 * OB_KEY_BYTES] = '\n';
	rc = write_all(fd, text, 2 * OB_KEY_BYTES + 1);
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc < 0) {
		OB_ERROR(OBI_KEY_LOG, "cannot write key file %s: %s", path, strerror(-rc));
		unlink(path);
	} else if (key_out) {
		memcpy(key_out, key, sizeof(key));
	}
	sodium_memzero(key, sizeof(key));
	sodium_memzero(text, sizeof(text));
	return rc;
}

void ob_key_id(const uint8_t key[OB_KEY_BYTES], char id[OB_KEY_ID_LEN])
{
	uint8_t hash[crypto_generichash_BYTES_MIN];

	/* A keyed hash of a fixed label: reveals nothing about the key, and
	 * is unrelated to any value the handshake uses. BLAKE2b's shortest
	 * output is 16 bytes; the id shows the first 8. */
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)key_id_label,
			   sizeof(key_id_label) - 1, key, OB_KEY_BYTES);
	sodium_bin2hex(id, OB_KEY_ID_LEN, hash, (OB_KEY_ID_LEN - 1) / 2);
}
