import type { ComponentProgress, AttendanceStatus } from '../domain/timeline';

export const COMPONENT_LABELS: Record<ComponentProgress['component'], string> = {
  events: 'Events',
  online_courses: 'Online course modules',
  briefings: 'Online briefings',
};

export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  present: 'Present',
  late: 'Late',
  left_early: 'Left early',
  absent: 'Absent',
  excused: 'Excused',
};

export { hoursAndMinutes } from '../../platform/text';
