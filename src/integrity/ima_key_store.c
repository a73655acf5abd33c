// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: a container's appraisal keys on disk, one certificate file per key id, reloaded whole.
 */
#include "integrity/ima_key_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_FILE_SUFFIX ".crt"
/* "0123abcd.crt" */
#define KEY_FILE_NAME_LEN (8 + sizeof(KEY_FILE_SUFFIX) - 1)

/* The key id a store file's name gives, or -EINVAL for a name that is not KEYID.crt. */
static int keyid_of_name(const char *name, uint32_t *ret_keyid)
{
	uint32_t keyid = 0;

	if (strlen(name) != KEY_FILE_NAME_LEN || strcmp(name + 8, KEY_FILE_SUFFIX) != 0)
		return -EINVAL;
	for (int i = 0; i < 8; i++) {
		char c = name[i];

		if (c >= '0' && c <= '9')
			keyid = keyid << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			keyid = keyid << 4 | (uint32_t)(c - 'a' + 10);
		else
			return -EINVAL;
	}
	*ret_keyid = keyid;
	return 0;
}

static size_t stored_keys(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *entry;
	size_t count = 0;
	uint32_t keyid;

	if (!d)
		return 0;
	while ((entry = readdir(d)))
		count += keyid_of_name(entry->d_name, &keyid) == 0;
	closedir(d);
	return count;
}

static int write_all(int fd, const uint8_t *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int canister_ima_key_store_add(const char *dir, const uint8_t *cert, size_t len, const char *source,
			       uint32_t *ret_keyid, char *why, size_t why_len)
{
	struct canister_ima_key key;
	char path[4096], temp[4096];
	uint32_t keyid;
	int fd, r;

	r = canister_ima_key_parse(cert, len, source, &key, why, why_len);
	if (r < 0)
		return r;
	keyid = key.keyid;
	canister_ima_key_clear(&key);
	snprintf(path, sizeof(path), "%s/%08x" KEY_FILE_SUFFIX, dir, keyid);
	snprintf(temp, sizeof(temp), "%s/.%08x" KEY_FILE_SUFFIX ".new", dir, keyid);
	if (access(path, F_OK) == 0) {
		snprintf(why, why_len, "%s: a key with id %08x is already there", dir, keyid);
		return -EEXIST;
	}
	if (stored_keys(dir) >= CANISTER_IMA_KEYRING_MAX) {
		snprintf(why, why_len, "%s: already %d keys", dir, CANISTER_IMA_KEYRING_MAX);
		return -ENOSPC;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		r = -errno;
		snprintf(why, why_len, "%s: cannot create: %s", dir, strerror(-r));
		return r;
	}
	/* A leftover of a write that never finished is replaced, never followed. */
	unlink(temp);
	fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = -errno;
		snprintf(why, why_len, "%s: cannot create: %s", temp, strerror(-r));
		return r;
	}
	r = write_all(fd, cert, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	/* link() rather than rename(): a key stored meanwhile under the same id is not replaced. */
	if (r == 0 && link(temp, path) < 0)
		r = -errno;
	unlink(temp);
	if (r < 0) {
		snprintf(why, why_len, "%s: cannot write: %s", path, strerror(-r));
		return r;
	}
	*ret_keyid = keyid;
	return 0;
}

int canister_ima_key_store_remove(const char *dir, uint32_t keyid)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%08x" KEY_FILE_SUFFIX, dir, keyid);
	return unlink(path) < 0 ? -errno : 0;
}

int canister_ima_key_store_load(const char *dir, struct canister_ima_keyring *ret_ring, char *why,
				size_t why_len)
{
	struct canister_ima_keyring ring = { 0 };
	struct dirent *entry;
	DIR *d = opendir(dir);
	int r = 0;

	if (!d && errno == ENOENT) {
		*ret_ring = ring;
		return 0;
	}
	if (!d) {
		r = -errno;
		snprintf(why, why_len, "%s: cannot read: %s", dir, strerror(-r));
		return r;
	}
	while (r == 0 && (entry = readdir(d))) {
		struct canister_ima_key key;
		char path[4096];
		uint32_t named;

		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
		if (keyid_of_name(entry->d_name, &named) < 0) {
			snprintf(why, why_len, "%s: not a key file (KEYID.crt)", path);
			r = -EINVAL;
			break;
		}
		r = canister_ima_key_load(path, &key, why, why_len);
		if (r < 0)
			break;
		/* A file renamed by hand would make the listing lie about the ring. */
		if (key.keyid != named) {
			snprintf(why, why_len, "%s: holds the key with id %08x", path, key.keyid);
			r = -EINVAL;
		} else if ((r = canister_ima_keyring_add(&ring, &key)) < 0) {
			snprintf(why, why_len, "%s: %s", path,
				 r == -ENOSPC ? "more keys than a keyring holds" : strerror(-r));
		}
		canister_ima_key_clear(&key);
	}
	closedir(d);
	if (r < 0) {
		canister_ima_keyring_free(&ring);
		return r;
	}
	*ret_ring = ring;
	return 0;
}
