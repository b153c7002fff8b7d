import { type Factories, type Person, setUp } from './factories';
import type { Client, TestApp } from './test-app';

/** A date as the GOV.UK date fields called `prefix` send it: day, month and year without leading zeros. */
export function dateFields(prefix: string, date: string): Record<string, string> {
  const [y, m, d] = date.split('-');
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! };
}

/** Sends the delivery plan's form for one piece of an intake, as its page does (learning/web/delivery.routes.tsx). */
export const setPlanEntry = (c: Client, intakeId: string, itemKey: string, form: Record<string, string>) => c.post(`/delivery/intakes/${intakeId}/plan/${itemKey}`, form);

/** A participant as the delivery tests hold them: the person and their place (the application's id). */
export interface Placed {
  person: Person;
  enrolmentId: string;
}

/**
 * A face-to-face NPQLT intake of the first demo partner at its first venue, `participants` people
 * accepted into it, and the partner's lead signed in (from `remoteAddress`, for the sign-in limit):
 * what each delivery test starts from.
 */
export async function aDeliveryIntake(t: TestApp, f: Factories, opts: { participants: number; remoteAddress: string }) {
  const { partners, venues } = await t.services.catalogue.partnersAndVenues(setUp);
  const partnerId = partners[0]!.id;
  const venueId = venues.find((v) => v.deliveryPartnerId === partnerId)!.id;
  const intakeId = (await f.anIntake({ course: 'npq-leading-teaching', deliveryMode: 'face_to_face', venueId, timeZone: null, deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring' })).id;
  const placed: Placed[] = [];
  for (let i = 0; i < opts.participants; i++) {
    const a = await f.anAcceptedApplication({ course: 'npq-leading-teaching', intakeId });
    placed.push({ person: a.participant, enrolmentId: a.application.id });
  }
  const lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(opts.remoteAddress);
  return { partnerId, venueId, intakeId, placed, lead };
}
