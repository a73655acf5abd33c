// SPDX-License-Identifier: GPL-2.0-only
/*
 * canisterd: a directory of appraisal certificates named by canister.conf: the
 * host's keys (integrity_keys), the keys of containers with none of their own
 * (integrity_container_keys).
 */
#include "integrity/appraise_host_keys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int check_dir(const char *what, const char *dir, char *why, size_t why_len)
{
	struct stat st;

	if (lstat(dir, &st) < 0) {
		int r = -errno;

		snprintf(why, why_len, "%s %s: %s", what, dir, strerror(-r));
		return r;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "%s %s: not a directory", what, dir);
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, why_len,
			 "%s %s: refused: must be owned by uid %u and not writable by group or "
			 "others",
			 what, dir, (unsigned int)geteuid());
		return -EPERM;
	}
	return 0;
}

/* The key from @path joins @keys, with its path beside it. */
static int add_key(struct appraise_host_keys *keys, const char *path, char *why, size_t why_len)
{
	struct canister_ima_key key;
	size_t index = keys->ring.count;
	void *paths;
	int r;

	if (strlen(path) > APPRAISE_HOST_KEY_PATH_MAX) {
		snprintf(why, why_len, "%s: a path longer than %d bytes", path,
			 APPRAISE_HOST_KEY_PATH_MAX);
		return -ENAMETOOLONG;
	}
	r = canister_ima_key_load(path, &key, why, why_len);
	if (r < 0)
		return r;
	paths = realloc(keys->paths, (index + 1) * sizeof(*keys->paths));
	if (!paths) {
		canister_ima_key_clear(&key);
		return -ENOMEM;
	}
	keys->paths = paths;
	r = canister_ima_keyring_add(&keys->ring, &key);
	if (r == -EEXIST)
		snprintf(why, why_len, "%s: another file holds a key with id %08x", path,
			 key.keyid);
	else if (r == -ENOSPC)
		snprintf(why, why_len, "%s: more than %d keys", path, CANISTER_IMA_KEYRING_MAX);
	else if (r < 0)
		snprintf(why, why_len, "%s: %s", path, strerror(-r));
	canister_ima_key_clear(&key);
	if (r == 0)
		snprintf(keys->paths[index], sizeof(keys->paths[index]), "%s", path);
	return r;
}

int appraise_host_keys_load(const char *what, const char *dir, struct appraise_host_keys *ret_keys,
			    char *why, size_t why_len)
{
	struct appraise_host_keys keys = { 0 };
	struct dirent **names;
	int count, r = check_dir(what, dir, why, why_len);

	if (r < 0)
		return r;
	/* Sorted: the listing's order does not depend on the directory's. */
	count = scandir(dir, &names, NULL, alphasort);
	if (count < 0) {
		r = -errno;
		snprintf(why, why_len, "%s %s: %s", what, dir, strerror(-r));
		return r;
	}
	for (int i = 0; i < count; i++) {
		char path[4096];

		if (r == 0 && names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			r = add_key(&keys, path, why, why_len);
		}
		free(names[i]);
	}
	free(names);
	if (r < 0) {
		appraise_host_keys_free(&keys);
		return r;
	}
	*ret_keys = keys;
	return 0;
}

void appraise_host_keys_free(struct appraise_host_keys *keys)
{
	canister_ima_keyring_free(&keys->ring);
	free(keys->paths);
	keys->paths = NULL;
}
