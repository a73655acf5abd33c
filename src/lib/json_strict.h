/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: strict readers of JSON documents (exact types, ranges, no unknown members). */
#ifndef CANISTER_LIB_JSON_STRICT_H
#define CANISTER_LIB_JSON_STRICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/*
 * A decoding in progress: where it is (for the reason, "sinks[2].log") and
 * the reason of the first refusal.  Every reader below returns 0, or -EPROTO
 * after writing "WHERE.MEMBER: what is wrong" to @err.
 */
struct canister_json_reader {
	char *err;
	size_t err_len;
	char where[64]; /* "" at the top of the document */
};

/*
 * canister_json_parse() - one JSON value in @len bytes, and nothing after it
 * but whitespace, nested at most @depth deep, strict (no comments, no
 * trailing commas).  Returns 0 and the value in *ret_value (the caller puts
 * it), or -EPROTO, or -ENOMEM.
 */
int canister_json_parse(struct canister_json_reader *reader, const char *buf, size_t len, int depth,
			struct json_object **ret_value);

/* canister_json_refuse() - record a refusal of @member (NULL: the object itself). */
int canister_json_refuse(struct canister_json_reader *reader, const char *member, const char *fmt,
			 ...) __attribute__((format(printf, 3, 4)));

/* canister_json_enter() - name the place being read, for the reasons ("sinks[2]"). */
void canister_json_enter(struct canister_json_reader *reader, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * canister_json_members() - @object must be a JSON object whose members are
 * all in the NULL-terminated @allowed; a member the reader does not know
 * is refused, never skipped, so a misspelt or misplaced one cannot pass
 * for an absent one.
 */
int canister_json_members(struct canister_json_reader *reader, struct json_object *object,
			  const char *const *allowed);

/* canister_json_object() - member @key, which must be an object; *ret_object is borrowed. */
int canister_json_object(struct canister_json_reader *reader, struct json_object *object,
			 const char *key, struct json_object **ret_object);

/* canister_json_array() - member @key, an array of at most @max elements (borrowed). */
int canister_json_array(struct canister_json_reader *reader, struct json_object *object,
			const char *key, size_t max, struct json_object **ret_array,
			size_t *ret_length);

/*
 * canister_json_string() - member @key, a string of at most @size - 1 bytes
 * without NUL (a "\u0000" would hide the rest from C), copied to @buf.
 * @required false: an absent member leaves "" in @buf.
 */
int canister_json_string(struct canister_json_reader *reader, struct json_object *object,
			 const char *key, bool required, char *buf, size_t size);

/* canister_json_string_value() - as canister_json_string(), of a value (an array element). */
int canister_json_string_value(struct canister_json_reader *reader, struct json_object *value,
			       const char *what, char *buf, size_t size);

/* canister_json_bool() - member @key, true or false. */
int canister_json_bool(struct canister_json_reader *reader, struct json_object *object,
		       const char *key, bool *ret_value);

/* canister_json_int() - member @key, an integer (not 1.0, not "1") in @min..@max. */
int canister_json_int(struct canister_json_reader *reader, struct json_object *object,
		      const char *key, int64_t min, int64_t max, int64_t *ret_value);

/* canister_json_u64() - member @key, an integer in 0..UINT64_MAX (counters). */
int canister_json_u64(struct canister_json_reader *reader, struct json_object *object,
		      const char *key, uint64_t *ret_value);

/*
 * canister_json_contid() - a contid, which travels as a decimal string
 * (JSON readers disagree above 2^53): 0..2^64-2, or "unset" where @unset_ok
 * (then CANISTER_CONTID_UNSET).  _value reads an array element.
 */
int canister_json_contid(struct canister_json_reader *reader, struct json_object *object,
			 const char *key, bool unset_ok, uint64_t *ret_contid);
int canister_json_contid_value(struct canister_json_reader *reader, struct json_object *value,
			       const char *what, bool unset_ok, uint64_t *ret_contid);

/* canister_json_new_contid() - a contid as it travels: "4", or "unset". */
struct json_object *canister_json_new_contid(uint64_t contid);

/*
 * canister_json_put(), canister_json_append() - add @value (which may be NULL
 * after a failed allocation) to @object or @array; false, and @value put,
 * when it could not be added.
 */
bool canister_json_put(struct json_object *object, const char *key, struct json_object *value);
bool canister_json_append(struct json_object *array, struct json_object *value);

/* canister_string_bounded() - whether @text ends within the @size bytes of its array. */
bool canister_string_bounded(const char *text, size_t size);

#endif
