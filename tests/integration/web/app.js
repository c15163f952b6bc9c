// A fixture module: the real pages live in server/web/.
export const fixture = "jobfair";
