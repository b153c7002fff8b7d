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

/** Minutes as people read hours: 0 → "0 hours", 90 → "1 hour 30 minutes", 480 → "8 hours". */
export function hoursAndMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = `${h} ${h === 1 ? 'hour' : 'hours'}`;
  if (!m) return hours;
  return h ? `${hours} ${m} ${m === 1 ? 'minute' : 'minutes'}` : `${m} ${m === 1 ? 'minute' : 'minutes'}`;
}
