/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a container's appraisal settings (mode, host keys), their file, and a chain's mode. */
#ifndef CANISTERD_INTEGRITY_APPRAISE_SETTINGS_H
#define CANISTERD_INTEGRITY_APPRAISE_SETTINGS_H

#include "lib/protocol.h"

#include <stdbool.h>
#include <stddef.h>

/* The settings file under integrity_dir/<contid>/, replaced whole on every change. */
#define APPRAISE_SETTINGS_FILE "appraise"
/* "mode = enforce\nhost_keys = yes\n" and room to spare. */
#define APPRAISE_SETTINGS_TEXT_MAX 64

/*
 * A container's own appraisal settings.  The default (no file) is mode off
 * and the host's keys not counted: a container trusts what its orchestrator
 * gave it, and the host's administrator opts it into the host's keys
 * (docs/integrity.md, "Appraisal keys").
 */
struct appraise_settings {
	enum canister_appraise_mode mode;
	bool host_keys;
};

/*
 * appraise_settings_parse() - the @len bytes of @text, as
 * appraise_settings_format() writes them: `mode = off|log|enforce` and
 * `host_keys = yes|no`, each exactly once, in any order; blank and '#' lines
 * are skipped.  Returns 0 with *ret_settings, or -EINVAL with
 * "SOURCE:LINE: reason" in @why (an unknown key, a value that is not one of
 * its words, a key given twice, a key missing) and *ret_settings untouched.
 */
int appraise_settings_parse(const char *text, size_t len, const char *source,
			    struct appraise_settings *ret_settings, char *why, size_t why_len);

/* appraise_settings_format() - the file's text (NUL-terminated) in @buf; returns its length. */
size_t appraise_settings_format(const struct appraise_settings *settings,
				char buf[APPRAISE_SETTINGS_TEXT_MAX]);

/*
 * appraise_effective_mode() - the mode that binds a container whose chain
 * (itself first, then each container it nests in) has the own modes in
 * @modes[0..@depth): the strictest of them, since an ancestor in enforce (or
 * log) binds every container nested in it.  CANISTER_APPRAISE_OFF for depth 0.
 */
enum canister_appraise_mode appraise_effective_mode(const enum canister_appraise_mode *modes,
						    unsigned int depth);

#endif
