import type { EnrolmentContext } from '../enrolment-context';
import type { ApplicationRow } from './applications.repository';

export type Workplace = { name: string; urn: string | null; town: string | null; kind: 'school' | 'childcare' | 'employer' };

/**
 * The school or setting the applicant named, as the line manager and the provider need to see it:
 * a school from GIAS by its URN, or a childcare provider by its Ofsted URN, or their employer.
 */
export async function workplaceOf(ctx: EnrolmentContext, app: ApplicationRow): Promise<Workplace | null> {
  if (app.schoolUrn) {
    const school = await ctx.deps.reference.school(Number(app.schoolUrn));
    return { name: school?.name ?? app.employerName ?? 'A school', urn: app.schoolUrn, town: school?.town ?? null, kind: 'school' };
  }
  if (app.privateChildcareProviderUrn) return { name: app.employerName ?? 'A childcare provider registered with Ofsted', urn: app.privateChildcareProviderUrn, town: null, kind: 'childcare' };
  if (app.employerName) return { name: app.employerName, urn: null, town: null, kind: 'employer' };
  return null;
}
