// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a file's superblock UUID (IMA's fsuuid=), where the kernel tells it. */
#include "integrity/fsuuid.h"

#include "core/log.h"

#include <bpf/btf.h>
#include <errno.h>
#include <linux/types.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>

#ifndef FS_IOC_GETFSUUID
/* include/uapi/linux/fs.h, Linux 6.8; Debian 12's headers are older. */
struct fsuuid2 {
	__u8 len;
	__u8 uuid[16];
};
#define FS_IOC_GETFSUUID _IOR(0x15, 0, struct fsuuid2)
#endif

/* Filesystems whose missing UUID was logged; past it they are no longer named. */
#define REPORTED_MAX 64

static struct {
	pthread_mutex_t lock;
	bool available;
	char detail[256];
	dev_t reported[REPORTED_MAX];
	size_t reported_count;
	bool kernel_reported;
} fsuuid = { .lock = PTHREAD_MUTEX_INITIALIZER };

bool fsuuid_probe(char *detail, size_t detail_len)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int id;

	if (!btf) {
		snprintf(fsuuid.detail, sizeof(fsuuid.detail),
			 "the kernel's BTF does not read (%s): FS_IOC_GETFSUUID is not tried",
			 strerror(errno));
		fsuuid.available = false;
	} else {
		id = btf__find_by_name_kind(btf, "fsuuid2", BTF_KIND_STRUCT);
		fsuuid.available = id > 0;
		btf__free(btf);
		snprintf(fsuuid.detail, sizeof(fsuuid.detail), "%s",
			 fsuuid.available ? "FS_IOC_GETFSUUID"
					  : "this kernel has no FS_IOC_GETFSUUID (Linux 6.8+)");
	}
	fsuuid.reported_count = 0;
	fsuuid.kernel_reported = false;
	snprintf(detail, detail_len, "%s", fsuuid.detail);
	return fsuuid.available;
}

bool fsuuid_available(char *detail, size_t detail_len)
{
	snprintf(detail, detail_len, "%s", fsuuid.detail);
	return fsuuid.available;
}

/* Once per filesystem (and once for the kernel): a rule that matches nothing is a surprise. */
static void report(int err, dev_t dev, uint64_t fsmagic)
{
	bool kernel = err == -EOPNOTSUPP, seen = false;

	pthread_mutex_lock(&fsuuid.lock);
	if (kernel) {
		seen = fsuuid.kernel_reported;
		fsuuid.kernel_reported = true;
	} else {
		for (size_t i = 0; i < fsuuid.reported_count && !seen; i++)
			seen = fsuuid.reported[i] == dev;
		if (!seen && fsuuid.reported_count < REPORTED_MAX)
			fsuuid.reported[fsuuid.reported_count++] = dev;
		else
			seen = true;
	}
	pthread_mutex_unlock(&fsuuid.lock);
	if (seen)
		return;
	if (kernel)
		log_warning("integrity: fsuuid= rules match no file: %s", fsuuid.detail);
	else
		log_warning("integrity: filesystem %u:%u (magic 0x%llx) %s: fsuuid= rules match "
			    "no file on it",
			    major(dev), minor(dev), (unsigned long long)fsmagic,
			    err == -ENODATA ? "has no UUID" : "does not tell its UUID");
}

int fsuuid_read(int fd, dev_t dev, uint64_t fsmagic, uint8_t ret_uuid[16])
{
	struct fsuuid2 uuid = { 0 };
	int r = 0;

	if (!fsuuid.available)
		r = -EOPNOTSUPP;
	else if (ioctl(fd, FS_IOC_GETFSUUID, &uuid) < 0)
		/* The kernel answers it before any filesystem: ENOTTY is a superblock without one.
		 */
		r = errno == ENOTTY ? -ENODATA : -errno;
	else if (uuid.len > sizeof(uuid.uuid))
		r = -EPROTO;
	if (r < 0) {
		report(r, dev, fsmagic);
		return r;
	}
	memset(ret_uuid, 0, 16);
	memcpy(ret_uuid, uuid.uuid, uuid.len);
	return 0;
}
