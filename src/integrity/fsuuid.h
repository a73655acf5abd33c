/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a file's superblock UUID (IMA's fsuuid=), where the kernel tells it. */
#ifndef CANISTERD_INTEGRITY_FSUUID_H
#define CANISTERD_INTEGRITY_FSUUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * fsuuid_probe() - whether the running kernel answers FS_IOC_GETFSUUID
 * (Linux 6.8), from its BTF: the ioctl came with struct fsuuid2.  Asked once,
 * before any fsuuid_read(); @detail says why, for the log and the status.
 * A kernel without it is never sent the ioctl: there a filesystem's own
 * ioctl handler would get the number (FUSE's goes to its server).
 */
bool fsuuid_probe(char *detail, size_t detail_len);

/* fsuuid_available() - what fsuuid_probe() found; its detail into @detail. */
bool fsuuid_available(char *detail, size_t detail_len);

/*
 * fsuuid_read() - the UUID of the superblock @fd's file is on, as IMA reads
 * sb->s_uuid (fewer than 16 bytes are padded with zeros, as s_uuid is).
 * Returns 0, -EOPNOTSUPP when the kernel cannot tell, -ENODATA when the
 * filesystem has no UUID, or another -errno.  A filesystem (@dev) or a kernel
 * that cannot tell is logged once, saying which rules it affects.
 */
int fsuuid_read(int fd, dev_t dev, uint64_t fsmagic, uint8_t ret_uuid[16]);

#endif
