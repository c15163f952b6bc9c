/*
 * The front desk's commands on event day (cmd_checkin.c, cmd_roster.c,
 * cmd_sync.c, cmd_qr.c, cmd_desk.c, cmd_queue.c), declared apart from cmd.h's
 * organizer commands.
 */
#ifndef JF_CMD_DESK_H
#define JF_CMD_DESK_H

struct cli;

int cmd_checkin(struct cli *, int, char **);
int cmd_roster_pull(struct cli *, int, char **);
int cmd_sync(struct cli *, int, char **);
int cmd_qr(struct cli *, int, char **);
int cmd_lookup(struct cli *, int, char **);
int cmd_walkin(struct cli *, int, char **);
int cmd_undo(struct cli *, int, char **);
int cmd_stats(struct cli *, int, char **);
int cmd_queue_show(struct cli *, int, char **);
int cmd_queue_next(struct cli *, int, char **);

#endif
