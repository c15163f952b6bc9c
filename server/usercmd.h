/* `jobfaird user add|list|revoke`: managing API users from the shell. */
#ifndef JF_USERCMD_H
#define JF_USERCMD_H

/* argv starts after "user"; returns the process exit status. */
int usercmd_run(const char *conninfo, const char *role, int argc, char **argv);

#endif
