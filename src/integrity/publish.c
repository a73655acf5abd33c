// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a container's measurement files under integrity_dir, never seen half written. */
#include "integrity/publish.h"

#include "integrity/ended_lists.h"
#include "lib/whole_file.h"
#include "lib/mkdir.h"

#include <canister/abi.h>
#include "lib/trusted_file.h"

#include <dirent.h>

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum file_kind {
	FILE_LIST,
	FILE_COUNT,
	FILE_POLICY,
	FILE_PCRS,
};

static const struct {
	const char *name;
	enum file_kind kind;
	enum canister_ima_bank bank;	/* FILE_PCRS */
	enum list_bytes_file list_file; /* FILE_LIST */
} files[] = {
	{ "binary_runtime_measurements", FILE_LIST, 0, LIST_BYTES_BINARY_SHA1 },
	{ "binary_runtime_measurements_sha256", FILE_LIST, 0, LIST_BYTES_BINARY_SHA256 },
	{ "ascii_runtime_measurements", FILE_LIST, 0, LIST_BYTES_ASCII_SHA1 },
	{ "ascii_runtime_measurements_sha256", FILE_LIST, 0, LIST_BYTES_ASCII_SHA256 },
	{ "pcrs-sha1", FILE_PCRS, CANISTER_IMA_BANK_SHA1, 0 },
	{ "pcrs-sha256", FILE_PCRS, CANISTER_IMA_BANK_SHA256, 0 },
	{ "policy", FILE_POLICY, 0, 0 },
	/* Last: a reader that polls the count finds the lists already there. */
	{ "runtime_measurements_count", FILE_COUNT, 0, 0 },
};

static void container_dir(const char *dir, uint64_t contid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%" PRIu64, dir, contid);
}

static void write_policy(const struct canister_ima_policy *policy, FILE *out)
{
	size_t len;
	char *text;

	if (!policy)
		return;
	len = canister_ima_policy_print(policy, NULL, 0);
	text = malloc(len + 1);
	if (!text) {
		/* A short file fails the stream: the caller sees the write fail. */
		fputc(0, out);
		return;
	}
	canister_ima_policy_print(policy, text, len + 1);
	fwrite(text, 1, len, out);
	free(text);
}

static int write_one(int dir_fd, size_t i, const struct canister_ima_list *list,
		     const struct list_bytes *bytes, const struct canister_ima_policy *policy)
{
	char tmp[128];
	FILE *out;
	int fd, r = 0;

	snprintf(tmp, sizeof(tmp), ".%s.new", files[i].name);
	fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	out = fdopen(fd, "w");
	if (!out) {
		r = -errno;
		close(fd);
		unlinkat(dir_fd, tmp, 0);
		return r;
	}
	switch (files[i].kind) {
	case FILE_LIST:
		fwrite(bytes->file[files[i].list_file].data, 1, bytes->file[files[i].list_file].len,
		       out);
		break;
	case FILE_COUNT:
		canister_ima_list_write_count(list, out);
		break;
	case FILE_POLICY:
		write_policy(policy, out);
		break;
	case FILE_PCRS:
		canister_ima_pcrs_write(&list->pcrs, files[i].bank, out);
		break;
	}
	if (ferror(out))
		r = -EIO;
	if (fclose(out) != 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dir_fd, tmp, dir_fd, files[i].name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dir_fd, tmp, 0);
	return r;
}

int publish_lists(const char *dir, uint64_t contid, const struct canister_ima_list *list,
		  struct list_bytes *bytes, const struct canister_ima_policy *policy)
{
	char path[4096];
	int dir_fd, r;

	r = list_bytes_update(bytes, list);
	if (r < 0)
		return r;
	container_dir(dir, contid, path, sizeof(path));
	r = canister_mkdir_p(path, 0700);
	if (r < 0)
		return r;
	dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dir_fd < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		r = write_one(dir_fd, i, list, bytes, policy);
		if (r < 0)
			break;
	}
	close(dir_fd);
	return r;
}

bool publish_dir_contid(const char *name, uint64_t *ret_contid)
{
	uint64_t contid;
	char *end;

	if (name[0] < '0' || name[0] > '9')
		return false;
	errno = 0;
	contid = strtoull(name, &end, 10);
	if (errno || *end || contid == CANISTER_CONTID_UNSET)
		return false;
	*ret_contid = contid;
	return true;
}

int publish_read_list(const char *dir, uint64_t contid, struct canister_ima_list *ret_list,
		      char *why, size_t why_len)
{
	char path[4096];
	uint8_t *data = NULL;
	size_t len = 0, cap = 0;
	FILE *in;
	int r;

	container_dir(dir, contid, path, sizeof(path));
	strncat(path, "/binary_runtime_measurements", sizeof(path) - strlen(path) - 1);
	in = fopen(path, "rbe");
	if (!in)
		return -errno;
	for (;;) {
		size_t n;

		if (len == cap) {
			uint8_t *bigger = realloc(data, cap ? cap * 2 : 65536);

			if (!bigger) {
				free(data);
				fclose(in);
				return -ENOMEM;
			}
			data = bigger;
			cap = cap ? cap * 2 : 65536;
		}
		n = fread(data + len, 1, cap - len, in);
		len += n;
		if (n == 0)
			break;
	}
	r = ferror(in) ? -EIO : 0;
	fclose(in);
	if (r == 0)
		r = canister_ima_list_read_binary(data, len, CANISTER_IMA_BANK_SHA1, ret_list, why,
						  why_len);
	free(data);
	return r;
}

int publish_read_policy(const char *dir, uint64_t contid, struct canister_ima_policy **ret_policy,
			char *why, size_t why_len)
{
	char path[4096];

	container_dir(dir, contid, path, sizeof(path));
	strncat(path, "/policy", sizeof(path) - strlen(path) - 1);
	return canister_ima_policy_load(path, ret_policy, why, why_len);
}

int publish_write_tpm(const char *dir, uint64_t contid, enum canister_tpm_choice choice)
{
	char path[4096], tmp[4096 + 8], text[CANISTER_TPM_CHOICE_FILE_MAX + 1], unused[256];
	int len, r;

	container_dir(dir, contid, path, sizeof(path));
	r = canister_mkdir_p(path, 0700);
	if (r < 0)
		return r;
	strncat(path, "/" PUBLISH_TPM_FILE, sizeof(path) - strlen(path) - 1);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	len = snprintf(text, sizeof(text), "%s\n", canister_tpm_choice_name(choice));
	return canister_write_whole_file(path, tmp, text, (size_t)len, 0600, true, unused,
					 sizeof(unused));
}

int publish_read_tpm(const char *dir, uint64_t contid, enum canister_tpm_choice *ret_choice,
		     char *why, size_t why_len)
{
	char path[4096], *text = NULL, reason[128];
	size_t len = 0;
	int r;

	container_dir(dir, contid, path, sizeof(path));
	strncat(path, "/" PUBLISH_TPM_FILE, sizeof(path) - strlen(path) - 1);
	r = canister_read_trusted_file(path, CANISTER_TPM_CHOICE_FILE_MAX, &text, &len, why,
				       why_len);
	if (r < 0)
		return r;
	r = canister_tpm_choice_parse_file(text, len, ret_choice, reason, sizeof(reason));
	if (r < 0)
		snprintf(why, why_len, "%s: %s", path, reason);
	free(text);
	return r;
}

int publish_set_aside(const char *dir, uint64_t contid, int64_t when, char *aside, size_t aside_len)
{
	char path[4096];

	container_dir(dir, contid, path, sizeof(path));
	snprintf(aside, aside_len, "%s.refused-%" PRId64, path, when);
	if (rename(path, aside) < 0)
		return -errno;
	return 0;
}

int publish_end(const char *dir, uint64_t contid, int64_t when, char *ended, size_t ended_len)
{
	char path[4096], name[64];

	container_dir(dir, contid, path, sizeof(path));
	/* The same contid ended twice in one second: the later one takes the next free second. */
	for (int64_t at = when; at < when + 16 && at < INT64_MAX; at++) {
		ended_list_name(contid, at, name, sizeof(name));
		snprintf(ended, ended_len, "%s/%s", dir, name);
		if (renameat2(AT_FDCWD, path, AT_FDCWD, ended, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int publish_find_ended(const char *dir, uint64_t contid, char *ret_name, size_t name_len)
{
	struct ended_list list, newest = { .when = -1 };
	struct dirent *entry;
	DIR *top = opendir(dir);

	if (!top)
		return -errno;
	while ((entry = readdir(top)))
		if (ended_list_parse(entry->d_name, &list) && list.contid == contid &&
		    list.when > newest.when)
			newest = list;
	closedir(top);
	if (newest.when < 0)
		return -ENOENT;
	snprintf(ret_name, name_len, "%s", newest.name);
	return 0;
}

/*
 * @name under @dir_fd and everything beneath it, without following a
 * symlink: integrity_dir holds only what canisterd wrote (the lists, a
 * swtpm's state directory), so a few levels are all there is.
 */
static int remove_tree(int dir_fd, const char *name, unsigned int depth)
{
	struct dirent *entry;
	DIR *sub;
	int fd, r = 0;

	if (unlinkat(dir_fd, name, 0) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	if (depth == 0)
		return -ELOOP;
	fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	sub = fdopendir(fd);
	if (!sub) {
		r = -errno;
		close(fd);
		return r;
	}
	while ((entry = readdir(sub)))
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0 && r == 0)
			r = remove_tree(fd, entry->d_name, depth - 1);
	closedir(sub);
	if (r == 0 && unlinkat(dir_fd, name, AT_REMOVEDIR) < 0)
		r = -errno;
	return r;
}

int publish_prune_ended(const char *dir, size_t keep, size_t *ret_removed)
{
	struct ended_list *lists = NULL, *bigger;
	size_t count = 0, cap = 0, remove;
	struct dirent *entry;
	DIR *top;
	int r = 0;

	*ret_removed = 0;
	top = opendir(dir);
	if (!top)
		return -errno;
	while ((entry = readdir(top))) {
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			bigger = realloc(lists, cap * sizeof(*lists));
			if (!bigger) {
				r = -ENOMEM;
				break;
			}
			lists = bigger;
		}
		count += ended_list_parse(entry->d_name, &lists[count]);
	}
	remove = r == 0 ? ended_lists_to_remove(lists, count, keep) : 0;
	for (size_t i = 0; i < remove; i++) {
		int e = remove_tree(dirfd(top), lists[i].name, 4);

		if (e < 0 && r == 0)
			r = e;
		*ret_removed += e == 0;
	}
	closedir(top);
	free(lists);
	return r;
}
