/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small strict JSON parser (RFC 8259) for the guest tests: the busybox
 * initramfs has no jq or python.  It rejects what a strict parser rejects
 * (trailing commas, control characters and bad escapes in strings, invalid
 * UTF-8, leading zeros, trailing garbage) and builds a tree the tests can
 * query.  Trees are small and short-lived: nothing is ever freed.
 * Its UTF-8 check is its own on purpose: the tests judge vrangectl's
 * output with a reading that shares no code with it.
 */
#ifndef VRANGE_JSON_H
#define VRANGE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
		 JSON_OBJECT };

struct json {
	enum json_type type;
	bool boolean;
	char *text;		/* number as written, or the decoded string */
	size_t len;		/* of text */
	size_t n;		/* array elements or object members */
	struct json **kids;
	char **keys;		/* object member names, NUL-terminated */
};

struct json_parser {
	const char *p, *end;
	const char *error;
	int depth;
};

static struct json *json_value(struct json_parser *jp);

static inline void *json_alloc(size_t size)
{
	void *p = calloc(1, size);

	if (!p)
		abort();
	return p;
}

static inline void json_ws(struct json_parser *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' ||
				   *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

static inline struct json *json_fail(struct json_parser *jp, const char *why)
{
	if (!jp->error)
		jp->error = why;
	return NULL;
}

static inline int json_hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static inline char *json_put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		*o++ = cp;
	} else if (cp < 0x800) {
		*o++ = 0xc0 | cp >> 6;
		*o++ = 0x80 | (cp & 0x3f);
	} else if (cp < 0x10000) {
		*o++ = 0xe0 | cp >> 12;
		*o++ = 0x80 | ((cp >> 6) & 0x3f);
		*o++ = 0x80 | (cp & 0x3f);
	} else {
		*o++ = 0xf0 | cp >> 18;
		*o++ = 0x80 | ((cp >> 12) & 0x3f);
		*o++ = 0x80 | ((cp >> 6) & 0x3f);
		*o++ = 0x80 | (cp & 0x3f);
	}
	return o;
}

/* Length of a valid UTF-8 sequence at @s (before @end), or 0. */
static inline size_t json_utf8(const unsigned char *s, const unsigned char *end)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if ((size_t)(end - s) < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* A string at jp->p (the opening quote); decoded into a new buffer. */
static inline char *json_string(struct json_parser *jp, size_t *lenp)
{
	char *out = json_alloc(jp->end - jp->p + 1), *o = out;
	uint32_t cp, lo;
	size_t len;

	jp->p++;
	for (;;) {
		unsigned char c;

		if (jp->p >= jp->end)
			return json_fail(jp, "unterminated string"), NULL;
		c = *jp->p;
		if (c == '"')
			break;
		if (c < 0x20)
			return json_fail(jp, "control character in a string"), NULL;
		if (c >= 0x80) {
			len = json_utf8((const unsigned char *)jp->p,
					(const unsigned char *)jp->end);
			if (!len)
				return json_fail(jp, "invalid UTF-8"), NULL;
			memcpy(o, jp->p, len);
			o += len;
			jp->p += len;
			continue;
		}
		jp->p++;
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		if (jp->p >= jp->end)
			return json_fail(jp, "unterminated escape"), NULL;
		c = *jp->p++;
		switch (c) {
		case '"': case '\\': case '/':
			*o++ = c;
			break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (jp->end - jp->p < 4 || json_hex4(jp->p, &cp))
				return json_fail(jp, "bad \\u escape"), NULL;
			jp->p += 4;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return json_fail(jp, "lone low surrogate"), NULL;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (jp->end - jp->p < 6 || jp->p[0] != '\\' ||
				    jp->p[1] != 'u' || json_hex4(jp->p + 2, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff)
					return json_fail(jp, "lone high surrogate"), NULL;
				jp->p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			o = json_put_utf8(o, cp);
			break;
		default:
			return json_fail(jp, "bad escape"), NULL;
		}
	}
	jp->p++;
	*o = '\0';
	*lenp = o - out;
	return out;
}

/* Skip digits at *@p; false if there were none. */
static inline bool json_digits(struct json_parser *jp, const char **p)
{
	const char *start = *p;

	while (*p < jp->end && **p >= '0' && **p <= '9')
		(*p)++;
	return *p > start;
}

static inline struct json *json_number(struct json_parser *jp)
{
	const char *s = jp->p, *p = s;
	struct json *v;

	if (p < jp->end && *p == '-')
		p++;
	if (p < jp->end && *p == '0')
		p++;
	else if (!json_digits(jp, &p))
		return json_fail(jp, "bad number");
	if (p < jp->end && *p == '.') {
		p++;
		if (!json_digits(jp, &p))
			return json_fail(jp, "bad fraction");
	}
	if (p < jp->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < jp->end && (*p == '+' || *p == '-'))
			p++;
		if (!json_digits(jp, &p))
			return json_fail(jp, "bad exponent");
	}
	v = json_alloc(sizeof(*v));
	v->type = JSON_NUMBER;
	v->len = p - s;
	v->text = strndup(s, v->len);
	jp->p = p;
	return v;
}

static inline void json_push(struct json *v, struct json *kid, char *key)
{
	v->kids = realloc(v->kids, (v->n + 1) * sizeof(*v->kids));
	v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
	if (!v->kids || !v->keys)
		abort();
	v->kids[v->n] = kid;
	v->keys[v->n++] = key;
}

/* Array or object: jp->p is at the opening bracket. */
static inline struct json *json_container(struct json_parser *jp, bool obj)
{
	struct json *v = json_alloc(sizeof(*v)), *kid;
	char close = obj ? '}' : ']', *key = NULL;
	size_t klen;

	v->type = obj ? JSON_OBJECT : JSON_ARRAY;
	if (++jp->depth > 64)
		return json_fail(jp, "nested too deep");
	jp->p++;
	json_ws(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		jp->depth--;
		return v;
	}
	for (;;) {
		json_ws(jp);
		if (obj) {
			if (jp->p >= jp->end || *jp->p != '"')
				return json_fail(jp, "member name expected");
			key = json_string(jp, &klen);
			if (!key)
				return NULL;
			json_ws(jp);
			if (jp->p >= jp->end || *jp->p != ':')
				return json_fail(jp, "':' expected");
			jp->p++;
		}
		kid = json_value(jp);
		if (!kid)
			return NULL;
		json_push(v, kid, key);
		json_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == close) {
			jp->p++;
			jp->depth--;
			return v;
		}
		return json_fail(jp, obj ? "',' or '}' expected" :
					   "',' or ']' expected");
	}
}

static struct json *json_value(struct json_parser *jp)
{
	static const char *const words[] = { "null", "false", "true" };
	struct json *v;
	size_t i, wl;

	json_ws(jp);
	if (jp->p >= jp->end)
		return json_fail(jp, "value expected");
	switch (*jp->p) {
	case '{':
		return json_container(jp, true);
	case '[':
		return json_container(jp, false);
	case '"':
		v = json_alloc(sizeof(*v));
		v->type = JSON_STRING;
		v->text = json_string(jp, &v->len);
		return v->text ? v : NULL;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return json_number(jp);
	}
	for (i = 0; i < 3; i++) {
		wl = strlen(words[i]);
		if ((size_t)(jp->end - jp->p) >= wl &&
		    !memcmp(jp->p, words[i], wl)) {
			jp->p += wl;
			v = json_alloc(sizeof(*v));
			v->type = i ? JSON_BOOL : JSON_NULL;
			v->boolean = i == 2;
			return v;
		}
	}
	return json_fail(jp, "unexpected character");
}

/* Parse exactly one JSON text of @len bytes; NULL and *@error if invalid. */
static inline struct json *json_parse(const char *s, size_t len,
				      const char **error)
{
	struct json_parser jp = { .p = s, .end = s + len };
	struct json *v = json_value(&jp);

	if (v) {
		json_ws(&jp);
		if (jp.p != jp.end)
			v = json_fail(&jp, "trailing characters");
	}
	if (!v && error)
		*error = jp.error ? jp.error : "invalid";
	return v;
}

/* Member @key of object @v, or NULL. */
static inline struct json *json_get(const struct json *v, const char *key)
{
	size_t i;

	if (!v || v->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return v->kids[i];
	return NULL;
}

/* Member @key as a non-negative integer, or -1. */
static inline long long json_int(const struct json *v, const char *key)
{
	struct json *m = json_get(v, key);
	char *end;
	long long n;

	if (!m || m->type != JSON_NUMBER || m->text[0] == '-')
		return -1;
	n = strtoll(m->text, &end, 10);
	return *end ? -1 : n;
}

/* Member @key as a number (fractions too), or -1. */
static inline double json_num(const struct json *v, const char *key)
{
	struct json *m = json_get(v, key);

	return m && m->type == JSON_NUMBER ? strtod(m->text, NULL) : -1;
}

#endif /* VRANGE_JSON_H */
