// Public surface of the package: what a host application imports.
export { CourseFunnelModule } from './course-funnel.module';
export type { CourseFunnelOptions, CourseFunnelAsyncOptions } from './config/course-funnel.options';
export { COURSE_FUNNEL_OPTIONS } from './config/course-funnel.options';
export { COURSE_FUNNEL_CONNECTION } from './database/database.constants';
export { Clock, SystemClock } from './common/clock';
export { MailTransport } from './mail/mail-transport';
export type { OutgoingMail, SentMail } from './mail/mail-transport';
export { ApiTokensService } from './auth/api-tokens.service';
export { SignedLinksService } from './auth/signed-links.service';
export { StudentsService } from './students/students.service';
export { STAFF_ROLES } from './auth/access.decorators';
export type { StaffRole } from './auth/access.decorators';
export { configureHttpApp, setupOpenApi } from './http/http-app.setup';
export { DomainError } from './common/domain-error';
// Whose data a read may return: every service read a partner can reach takes one.
export { CurrentTenancy, tenancyOf } from './auth/organization-scope';
export { ALL_ORGANIZATIONS } from './common/tenancy';
export type { Tenancy } from './common/tenancy';
export { FunnelsService } from './funnels/funnels.service';
export { CohortsService } from './cohorts/cohorts.service';
export { EnrollmentsService } from './enrollments/enrollments.service';
export { AttendanceService } from './attendance/attendance.service';
export { AttendanceReports } from './attendance/attendance-reports.service';
export { HomeworkService } from './homework/homework.service';
export { ReferralsService } from './referrals/referrals.service';
export { OrdersService } from './orders/orders.service';
