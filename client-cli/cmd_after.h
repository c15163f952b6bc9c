/*
 * The commands for after the event: interviews at the booths, their
 * outcomes, the plan's metrics, the reports and the retention purge
 * (cmd_interview.c, cmd_outcomes.c, cmd_metrics.c, cmd_report.c,
 * cmd_seekers.c).
 */
#ifndef JF_CMD_AFTER_H
#define JF_CMD_AFTER_H

struct cli;

int cmd_interview(struct cli *, int, char **);
int cmd_outcomes_import(struct cli *, int, char **);
int cmd_metrics_list(struct cli *, int, char **);
int cmd_metrics_show(struct cli *, int, char **);
int cmd_metrics_set(struct cli *, int, char **);
int cmd_metrics_target(struct cli *, int, char **);
int cmd_report_event(struct cli *, int, char **);
int cmd_report_fy(struct cli *, int, char **);
int cmd_seekers_purge(struct cli *, int, char **);

#endif
