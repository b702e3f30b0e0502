/* The guest's small libc: memory and string helpers and printf-style formatting. */
#ifndef HUMPY_LIBC_H
#define HUMPY_LIBC_H

#include <humpy/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/*
 * Formats into buf (always NUL-terminated when n > 0) and returns the length the full output
 * would have had. Conversions: %d %i %u %x %X %p %s %c %%, with the l/ll/z length modifiers,
 * a width and the '0' and '-' flags.
 */
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Parses an unsigned decimal or 0x-prefixed hexadecimal number; false on junk or overflow. */
bool parse_u64(const char *s, size_t len, u64 *out);

/* Glob match with '*' and '?' over the whole of str. */
bool glob_match(const char *pat, size_t pat_len, const char *str);

#endif
