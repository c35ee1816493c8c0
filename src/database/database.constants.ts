/** The module's own mongoose connection, so it never shares or reconfigures the host's default one. */
export const COURSE_FUNNEL_CONNECTION = 'course-funnel';
