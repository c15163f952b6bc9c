/*
 * Files on the front desk's own disk that must survive a crash or a power
 * cut: the offline journal and the roster. Directories made here are
 * private (0700): the journal holds check-in tokens.
 */
#ifndef JF_DURABLE_H
#define JF_DURABLE_H

#include <stddef.h>

/* Creates the missing directories above the file path, mode 0700. */
int durable_mkdirs(const char *path, char **cause);

/*
 * Flushes the directory holding path, so that a file created or renamed
 * there is still there after a power cut.
 */
int durable_sync_dir(const char *path, char **cause);

/*
 * The whole file, NUL-terminated (the NUL not counted in *len), freed by
 * the caller. NULL with *cause on failure; errno is left as the failing
 * call set it, so a caller can tell a missing file (ENOENT).
 */
char *durable_read_new(const char *path, size_t *len, char **cause);

/*
 * Replaces path with data[0..len) atomically, mode 0600: written to a
 * temporary file beside it, flushed, renamed over path, directory
 * flushed. A crash at any point leaves either the old or the new file
 * (and at worst a stray temporary file, which nothing reads).
 */
int durable_replace(const char *path, const char *data, size_t len,
		    char **cause);

#endif
