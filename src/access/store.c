// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the access policies' files under access_dir: written, removed, read back at start. */
#include "access/store.h"

#include "lib/mkdir.h"
#include "lib/trusted_file.h"
#include "lib/whole_file.h"

#include <canister/abi.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* access_dir (CANISTER_CONFIG_PATH_MAX), a contid and a suffix. */
#define STORE_PATH_MAX 512

static void path_of(char *buf, const char *dir, uint64_t contid, const char *suffix)
{
	snprintf(buf, STORE_PATH_MAX, "%s/%" PRIu64 "%s", dir, contid, suffix);
}

int access_store_save(const char *dir, uint64_t contid,
		      const struct access_stored_settings *settings, const char *policy, size_t len,
		      char *why, size_t why_len)
{
	char path[STORE_PATH_MAX], temp[STORE_PATH_MAX];
	size_t text_len;
	char *text;
	int r;

	/* Only root reads it: a policy says where a container may not go. */
	r = canister_mkdir_p(dir, 0700);
	if (r < 0) {
		snprintf(why, why_len, "%s: cannot create: %s", dir, strerror(-r));
		return r;
	}
	r = access_stored_format(settings, policy, len, &text, &text_len);
	if (r < 0) {
		snprintf(why, why_len, "out of memory");
		return r;
	}
	path_of(path, dir, contid, ACCESS_STORE_SUFFIX);
	path_of(temp, dir, contid, ACCESS_STORE_SUFFIX ".tmp");
	r = canister_write_whole_file(path, temp, text, text_len, 0600, true, why, why_len);
	free(text);
	return r;
}

int access_store_remove(const char *dir, uint64_t contid)
{
	char path[STORE_PATH_MAX];
	int r = 0;

	path_of(path, dir, contid, ACCESS_STORE_SUFFIX);
	if (unlink(path) < 0 && errno != ENOENT)
		r = -errno;
	path_of(path, dir, contid, ACCESS_STORE_REFUSED_SUFFIX);
	if (unlink(path) < 0 && errno != ENOENT && r == 0)
		r = -errno;
	return r;
}

int access_store_set_aside(const char *dir, uint64_t contid)
{
	char path[STORE_PATH_MAX], aside[STORE_PATH_MAX];

	path_of(path, dir, contid, ACCESS_STORE_SUFFIX);
	path_of(aside, dir, contid, ACCESS_STORE_REFUSED_SUFFIX);
	return rename(path, aside) < 0 ? -errno : 0;
}

bool access_store_name_contid(const char *name, uint64_t *ret_contid)
{
	size_t len = strlen(name), digits = len - (sizeof(ACCESS_STORE_SUFFIX) - 1);
	uint64_t contid = 0;

	if (len <= sizeof(ACCESS_STORE_SUFFIX) - 1 || strcmp(name + digits, ACCESS_STORE_SUFFIX))
		return false;
	/* Decimal as canisterd writes it: no sign, no leading zero, no overflow. */
	if (digits > 20 || (name[0] == '0' && digits > 1))
		return false;
	for (size_t i = 0; i < digits; i++) {
		unsigned int digit = (unsigned int)(name[i] - '0');

		if (name[i] < '0' || name[i] > '9' || contid > (UINT64_MAX - digit) / 10)
			return false;
		contid = contid * 10 + digit;
	}
	if (contid == CANISTER_CONTID_UNSET)
		return false;
	*ret_contid = contid;
	return true;
}

int access_store_each(const char *dir,
		      void (*found)(uint64_t contid, const char *text, size_t len,
				    const char *read_error, void *ctx),
		      void *ctx)
{
	struct dirent *entry;
	DIR *top = opendir(dir);

	if (!top)
		return errno == ENOENT ? 0 : -errno;
	while ((entry = readdir(top))) {
		char path[STORE_PATH_MAX], why[512];
		uint64_t contid;
		char *text = NULL;
		size_t len = 0;

		if (!access_store_name_contid(entry->d_name, &contid))
			continue;
		path_of(path, dir, contid, ACCESS_STORE_SUFFIX);
		/* canisterd's own file: root's, and nobody else may have written it. */
		if (canister_read_trusted_file(path, ACCESS_STORED_FILE_MAX, &text, &len, why,
					       sizeof(why)) < 0) {
			found(contid, NULL, 0, why, ctx);
			continue;
		}
		found(contid, text, len, NULL, ctx);
		free(text);
	}
	closedir(top);
	return 0;
}
