/*
 * Allocation wrappers that abort on exhaustion: a server that cannot
 * allocate a few bytes cannot answer anyway, and callers stay free of
 * NULL checks that would never be exercised.
 */
#ifndef JF_XMALLOC_H
#define JF_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
int xasprintf(char **ret, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
