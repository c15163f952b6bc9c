/* jobfair: the command-line client (commands arrive with their issues). */
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "usage: jobfair COMMAND\n");
	return 1;
}
