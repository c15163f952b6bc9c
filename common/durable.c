/*
 * Crash-safe file helpers for the front desk. Every step that makes data
 * durable is checked: an fsync that fails means the data may be gone, and
 * the caller must not acknowledge it.
 */
#include "durable.h"

#include "xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Sets *cause to "path: error" and leaves errno as it was. */
static void
durable_cause(char **cause, const char *path, const char *what)
{
	int saved = errno;

	xasprintf(cause, "%s: %s: %s", path, what, strerror(saved));
	errno = saved;
}

int
durable_mkdirs(const char *path, char **cause)
{
	char *copy = xstrdup(path), *p = copy;
	int ret = -1;

	while (*p == '/')
		p++;
	while ((p = strchr(p, '/')) != NULL) {
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			durable_cause(cause, copy, "mkdir");
			goto out;
		}
		*p = '/';
		while (*p == '/')
			p++;
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

int
durable_sync_dir(const char *path, char **cause)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, ret = -1;

	if (slash == NULL)
		dir = xstrdup(".");
	else
		dir =
		    xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1) {
		durable_cause(cause, dir, "open");
		goto out;
	}
	if (fsync(fd) != 0) {
		durable_cause(cause, dir, "fsync");
		close(fd);
		goto out;
	}
	close(fd);
	ret = 0;
out:
	free(dir);
	return ret;
}

char *
durable_read_new(const char *path, size_t *len, char **cause)
{
	size_t used = 0, cap = 4096;
	char *data;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		durable_cause(cause, path, "open");
		return NULL;
	}
	data = xmalloc(cap);
	for (;;) {
		if (cap - used < 2)
			data = xrealloc(data, cap *= 2);
		n = read(fd, data + used, cap - used - 1);
		if (n == 0)
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			durable_cause(cause, path, "read");
			free(data);
			close(fd);
			return NULL;
		}
		used += (size_t)n;
	}
	close(fd);
	data[used] = '\0';
	*len = used;
	return data;
}

/* Writes all of data[0..len) to fd. */
static int
durable_write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int
durable_replace(const char *path, const char *data, size_t len, char **cause)
{
	char *tmp;
	int fd, ret = -1;

	if (durable_mkdirs(path, cause) != 0)
		return -1;
	/* A unique name, so two pulls at once never write one file. */
	xasprintf(&tmp, "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC); /* mode 0600 */
	if (fd == -1) {
		durable_cause(cause, tmp, "create");
		free(tmp);
		return -1;
	}
	if (durable_write_all(fd, data, len) != 0) {
		durable_cause(cause, tmp, "write");
		goto out;
	}
	if (fsync(fd) != 0) {
		durable_cause(cause, tmp, "fsync");
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		durable_cause(cause, tmp, "close");
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		durable_cause(cause, path, "rename");
		goto out;
	}
	ret = durable_sync_dir(path, cause);
out:
	if (fd != -1)
		close(fd);
	if (ret != 0)
		unlink(tmp);
	free(tmp);
	return ret;
}
