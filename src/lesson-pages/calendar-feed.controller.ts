import { Get, Header, Param } from '@nestjs/common';
import { CurrentStudent, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { ObjectIdParam } from '../common/object-id.param';
import { formatLocal } from '../schedule/schedule.rules';
import { StudentLessons } from '../enrollments/student-lessons.service';
import { isFreeLesson } from '../funnels/funnel-content';
import { calendarIcs } from '../messages/student-calendar';
import { StudentMessages } from '../messages/student-messages';
import { PageController } from '../pages/page-controller.decorator';

/**
 * The calendar feed a student subscribes to from their welcome mail: their classes at their
 * current times, so a reschedule moves the events in their calendar app by itself.
 */
@PageController('')
export class CalendarFeedController {
  constructor(
    private readonly lessons: StudentLessons,
    private readonly messages: StudentMessages,
  ) {}

  @Get('cal/:id/schedule.ics')
  @StudentLink('calendar')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  // Calendar apps poll; a quarter of an hour is as fresh as they ever look.
  @Header('Cache-Control', 'private, max-age=900')
  async feed(@Param() { id }: ObjectIdParam, @CurrentStudent() me: StudentPrincipal): Promise<string> {
    const course = await this.lessons.ownCourse(id, me.studentId);
    const zone = course.enrollment.timezone ?? course.cohort.timezone;
    // Not (or no longer) in the classes: an empty calendar, so a subscribed app drops the events.
    const attending = course.enrollment.status === 'confirmed' && course.cohort.status !== 'cancelled';
    const lessons = attending ? course.lessons.filter((l) => isFreeLesson(l.spec)) : [];
    return calendarIcs(
      this.messages.calendarOf(course.enrollment, course.cohort, {
        zone,
        lessons: lessons.map((l) => ({
          key: l.spec.key,
          title: l.spec.title,
          local: formatLocal(l.startsAt, zone),
          startsAt: l.startsAt,
        })),
        homework: false,
      }),
    );
  }
}
