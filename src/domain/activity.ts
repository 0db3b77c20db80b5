// Rules of a volunteer activity (SPEC §5) shared by dbd activity and the import.

/** The most hours one activity can have on its one date: more is refused by `dbd activity` and
 * warned about by an import (a slip: minutes, or a total). */
export const MAX_ACTIVITY_HOURS = 24;
