// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: the model file, line by line, refused whole at its first fault with
 * the file, the line and the reason; and the printer whose text it reads back.
 */
#include "model/model_file.h"

#include "lib/hex.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define HEX_LEN (2 * CANISTER_MODEL_DIGEST_SIZE)

/*
 * The directives after the header and the digest line, in the order a file
 * must give them: a directive may not come after one of a later rank.
 */
enum rank {
	RANK_START,
	RANK_AGGREGATE,
	RANK_BASE,
	RANK_PSEUDONYM,
	RANK_COEFFICIENT,
	RANK_STATE,
	RANK_END,
};

static const char *const rank_names[] = {
	[RANK_START] = "start",
	[RANK_AGGREGATE] = "aggregate",
	[RANK_BASE] = "base",
	[RANK_PSEUDONYM] = "pseudonym",
	[RANK_COEFFICIENT] = "coefficient",
	[RANK_STATE] = "state",
	[RANK_END] = "end",
};

struct parser {
	const char *source;
	unsigned long line; /* a size_t of input can hold more lines than an unsigned int counts */
	char *why;
	size_t why_len;
	enum rank rank;
	bool seen_digest;
	bool seen[RANK_END + 1];
	uint8_t aggregate[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t base[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t last[CANISTER_MODEL_DIGEST_SIZE]; /* the previous pseudonym or coefficient */
	struct canister_model *model;		  /* made at the first pseudonym or later */
};

__attribute__((format(printf, 3, 4))) static int refuse(struct parser *p, int err, const char *fmt,
							...)
{
	int n = snprintf(p->why, p->why_len, "%s:%lu: ", p->source, p->line);
	va_list ap;

	if (n >= 0 && (size_t)n < p->why_len) {
		va_start(ap, fmt);
		vsnprintf(p->why + n, p->why_len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* Whether @word (@len bytes) can be quoted in a message: short printable ASCII. */
static bool quotable(const char *word, size_t len)
{
	if (len == 0 || len > 32)
		return false;
	for (size_t i = 0; i < len; i++)
		if (word[i] < '!' || word[i] > '~' || word[i] == '"')
			return false;
	return true;
}

/* The value of a "@what HEX" line: 64 lower-case hex digits. */
static int parse_hex(struct parser *p, const char *what, const char *value, size_t len,
		     uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	for (size_t i = 0; i < len; i++)
		if (!((value[i] >= '0' && value[i] <= '9') || (value[i] >= 'a' && value[i] <= 'f')))
			return refuse(p, -EINVAL,
				      "%s: not lower-case hex (character %zu of the value)", what,
				      i + 1);
	if (len != HEX_LEN)
		return refuse(p, -EINVAL, "%s: %zu hex digits, a SHA-256 digest has %d", what, len,
			      HEX_LEN);
	if (canister_hex_decode(value, len, ret) < 0)
		return refuse(p, -EINVAL, "%s: not lower-case hex", what);
	return 0;
}

static int make_model(struct parser *p)
{
	if (p->model)
		return 0;
	p->model = canister_model_new(p->aggregate, p->base);
	return p->model ? 0 : refuse(p, -ENOMEM, "out of memory");
}

/* A pseudonym or coefficient: ascending and unique, as the printer writes them. */
static int in_order(struct parser *p, const char *what, const uint8_t value[])
{
	int cmp = memcmp(value, p->last, CANISTER_MODEL_DIGEST_SIZE);

	if (p->seen[p->rank] && cmp == 0)
		return refuse(p, -EINVAL, "duplicate %s", what);
	if (p->seen[p->rank] && cmp < 0)
		return refuse(p, -EINVAL, "%s out of order: each must sort after the one before",
			      what);
	memcpy(p->last, value, CANISTER_MODEL_DIGEST_SIZE);
	return 0;
}

static int check_state(struct parser *p, const uint8_t expected[CANISTER_MODEL_DIGEST_SIZE])
{
	uint8_t state[CANISTER_MODEL_DIGEST_SIZE];
	char said[HEX_LEN + 1], got[HEX_LEN + 1];

	if (canister_model_state(p->model, true, state) < 0)
		return refuse(p, -ENOMEM, "out of memory");
	if (memcmp(state, expected, sizeof(state)) == 0)
		return 0;
	canister_hex_encode(expected, CANISTER_MODEL_DIGEST_SIZE, said);
	canister_hex_encode(state, CANISTER_MODEL_DIGEST_SIZE, got);
	return refuse(p, -EINVAL, "state mismatch: the file says %s, its coefficients give %s",
		      said, got);
}

/* One directive line after the header and digest lines. */
static int parse_directive(struct parser *p, const char *line, size_t len)
{
	static const enum rank ranks[] = { RANK_AGGREGATE,   RANK_BASE,	 RANK_PSEUDONYM,
					   RANK_COEFFICIENT, RANK_STATE, RANK_END };
	const char *space = memchr(line, ' ', len);
	size_t word_len = space ? (size_t)(space - line) : len;
	const char *value = space ? space + 1 : line + len;
	size_t value_len = space ? len - word_len - 1 : 0;
	enum rank rank = RANK_START;
	uint8_t digest[CANISTER_MODEL_DIGEST_SIZE];
	int r;

	for (size_t i = 0; i < sizeof(ranks) / sizeof(ranks[0]); i++)
		if (strlen(rank_names[ranks[i]]) == word_len &&
		    memcmp(rank_names[ranks[i]], line, word_len) == 0)
			rank = ranks[i];
	if (rank == RANK_START)
		return quotable(line, word_len) ? refuse(p, -EINVAL, "unknown directive \"%.*s\"",
							 (int)word_len, line)
						: refuse(p, -EINVAL, "unknown directive");
	if (p->rank == RANK_END)
		return refuse(p, -EINVAL, "%s after end", rank_names[rank]);
	if (rank < p->rank)
		return refuse(p, -EINVAL,
			      "%s after %s: the order is aggregate, base, pseudonym, "
			      "coefficient, state, end",
			      rank_names[rank], rank_names[p->rank]);
	if (p->seen[rank] && rank != RANK_PSEUDONYM && rank != RANK_COEFFICIENT)
		return refuse(p, -EINVAL, "second %s line", rank_names[rank]);
	if (rank == RANK_END) {
		if (space)
			return refuse(p, -EINVAL, "end takes no value");
	} else {
		if (!space)
			return refuse(p, -EINVAL, "%s without a value", rank_names[rank]);
		r = parse_hex(p, rank_names[rank], value, value_len, digest);
		if (r < 0)
			return r;
	}
	p->rank = rank;
	switch (rank) {
	case RANK_AGGREGATE:
		memcpy(p->aggregate, digest, sizeof(digest));
		break;
	case RANK_BASE:
		memcpy(p->base, digest, sizeof(digest));
		break;
	case RANK_PSEUDONYM:
	case RANK_COEFFICIENT:
		r = in_order(p, rank_names[rank], digest);
		if (r == 0)
			r = make_model(p);
		if (r < 0)
			return r;
		r = rank == RANK_PSEUDONYM ? canister_model_add_pseudonym(p->model, digest)
					   : canister_model_load(p->model, digest);
		if (r == -E2BIG)
			return rank == RANK_PSEUDONYM ? refuse(p, r, "more than %d pseudonyms",
							       CANISTER_MODEL_PSEUDONYMS_MAX)
						      : refuse(p, r, "more than %d coefficients",
							       CANISTER_MODEL_COEFFICIENTS_MAX);
		if (r < 0)
			return refuse(p, r, "out of memory");
		break;
	case RANK_STATE:
		r = make_model(p);
		if (r == 0)
			r = check_state(p, digest);
		if (r < 0)
			return r;
		break;
	default:
		break;
	}
	p->seen[rank] = true;
	return 0;
}

static int parse_line(struct parser *p, const char *line, size_t len)
{
	static const char digest_line[] = "digest sha256";

	if (memchr(line, '\0', len))
		return refuse(p, -EINVAL, "NUL byte");
	if (p->line == 1) {
		if (len == strlen(CANISTER_MODEL_FILE_HEADER) &&
		    memcmp(line, CANISTER_MODEL_FILE_HEADER, len) == 0)
			return 0;
		if (len > 15 && memcmp(line, "canister-model ", 15) == 0)
			return quotable(line + 15, len - 15)
				       ? refuse(p, -EINVAL,
						"format version \"%.*s\" not supported (this "
						"canister "
						"reads version 1)",
						(int)(len - 15), line + 15)
				       : refuse(p, -EINVAL,
						"format version not supported (this "
						"canister reads version 1)");
		return refuse(p, -EINVAL,
			      "not a canister model file (the first line must be \"%s\")",
			      CANISTER_MODEL_FILE_HEADER);
	}
	if (len == 0 || line[0] == '#')
		return 0;
	if (!p->seen_digest) {
		if (len == strlen(digest_line) && memcmp(line, digest_line, len) == 0) {
			p->seen_digest = true;
			return 0;
		}
		if (len > 7 && memcmp(line, "digest ", 7) == 0)
			return refuse(p, -EINVAL, "only sha256 models are supported");
		return refuse(p, -EINVAL, "expected \"%s\" after the first line", digest_line);
	}
	return parse_directive(p, line, len);
}

int canister_model_file_parse(const char *text, size_t len, const char *source,
			      struct canister_model **ret_model, char *why, size_t why_len)
{
	struct parser p = { .source = source, .why = why, .why_len = why_len };
	size_t at = 0;
	int r = 0;

	if (len == 0) {
		p.line = 1;
		return refuse(&p, -EINVAL, "empty file");
	}
	while (at < len) {
		const char *line = text + at;
		const char *nl = memchr(line, '\n', len - at);
		size_t line_len = nl ? (size_t)(nl - line) : len - at;

		p.line++;
		r = parse_line(&p, line, line_len);
		if (r < 0)
			goto out;
		at += line_len + (nl ? 1 : 0);
	}
	if (p.rank != RANK_END) {
		r = refuse(&p, -EINVAL, "no end line: the file is incomplete");
		goto out;
	}
	r = make_model(&p);
	if (r < 0)
		goto out;
	canister_model_seal(p.model);
	*ret_model = p.model;
	return 0;
out:
	canister_model_free(p.model);
	return r;
}

/* Text appended snprintf-like: what does not fit is counted. */
struct printer {
	char *buf;
	size_t size;
	size_t len;
};

static void print_hex_line(struct printer *out, const char *word, const uint8_t digest[])
{
	char line[16 + HEX_LEN + 2];
	int n;

	n = snprintf(line, sizeof(line), "%s ", word);
	canister_hex_encode(digest, CANISTER_MODEL_DIGEST_SIZE, line + n);
	line[n + HEX_LEN] = '\n';
	line[n + HEX_LEN + 1] = '\0';
	n += HEX_LEN + 1;
	if (out->len < out->size)
		snprintf(out->buf + out->len, out->size - out->len, "%s", line);
	out->len += (size_t)n;
}

static void print_text(struct printer *out, const char *text)
{
	if (out->len < out->size)
		snprintf(out->buf + out->len, out->size - out->len, "%s", text);
	out->len += strlen(text);
}

static int print_point(const struct canister_model_point *point, void *data)
{
	if (point->source != CANISTER_MODEL_FORENSIC)
		print_hex_line(data, "coefficient", point->coefficient);
	return 0;
}

static bool is_zero(const uint8_t digest[CANISTER_MODEL_DIGEST_SIZE])
{
	for (size_t i = 0; i < CANISTER_MODEL_DIGEST_SIZE; i++)
		if (digest[i])
			return false;
	return true;
}

long canister_model_file_print(const struct canister_model *model, char *buf, size_t size)
{
	struct printer out = { .buf = buf, .size = buf ? size : 0 };
	uint8_t digest[CANISTER_MODEL_DIGEST_SIZE], state[CANISTER_MODEL_DIGEST_SIZE];

	if (out.size)
		buf[0] = '\0';
	if (canister_model_state(model, true, state) < 0)
		return -ENOMEM;
	print_text(&out, CANISTER_MODEL_FILE_HEADER "\ndigest sha256\n");
	canister_model_aggregate(model, digest);
	if (!is_zero(digest))
		print_hex_line(&out, "aggregate", digest);
	canister_model_base(model, digest);
	if (!is_zero(digest))
		print_hex_line(&out, "base", digest);
	for (size_t i = 0; i < canister_model_pseudonyms(model); i++)
		print_hex_line(&out, "pseudonym", canister_model_pseudonym(model, i));
	canister_model_for_each_sorted(model, print_point, &out);
	print_hex_line(&out, "state", state);
	print_text(&out, "end\n");
	return (long)out.len;
}
