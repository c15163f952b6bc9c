/*
 * jobfair print …: the printed documents as PDF files (cmd_print.c).
 */
#ifndef JF_CMD_PRINT_H
#define JF_CMD_PRINT_H

struct cli;

int cmd_print_slips(struct cli *, int, char **);
int cmd_print_badges(struct cli *, int, char **);
int cmd_print_booths(struct cli *, int, char **);
int cmd_print_companies(struct cli *, int, char **);

#endif
