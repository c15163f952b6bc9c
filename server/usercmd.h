/* `jobfaird user add|passwd|list|revoke`: managing users from the shell. */
#ifndef JF_USERCMD_H
#define JF_USERCMD_H

#include <stdbool.h>

/*
 * argv starts after "user"; pw_stdin reads a password from standard input
 * (--password-stdin). Returns the process exit status.
 */
int usercmd_run(const char *conninfo, const char *role, bool pw_stdin, int argc,
		char **argv);

#endif
