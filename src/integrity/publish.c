// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a container's measurement files under integrity_dir, never seen half written. */
#include "integrity/publish.h"

#include "lib/mkdir.h"
#include "lib/trusted_file.h"

#include <errno.h>
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
	char path[4096], tmp[4096 + 8], text[CANISTER_TPM_CHOICE_FILE_MAX + 1];
	int fd, len, r = 0;

	container_dir(dir, contid, path, sizeof(path));
	r = canister_mkdir_p(path, 0700);
	if (r < 0)
		return r;
	strncat(path, "/" PUBLISH_TPM_FILE, sizeof(path) - strlen(path) - 1);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	len = snprintf(text, sizeof(text), "%s\n", canister_tpm_choice_name(choice));
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, text, (size_t)len) != len)
		r = errno ? -errno : -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
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
