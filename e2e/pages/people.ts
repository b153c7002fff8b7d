import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/demo/demo-data';

export { DEMO_PASSWORD };

/** The demo's people, by who they are in a journey: one account of every role (src/demo/demo-data.ts). */
export const DEMO_PEOPLE = {
  'provider admin': 'admin@demo.npq.test',
  'Midlands delivery partner lead': 'lead.midlands@demo.npq.test',
  'North delivery partner lead': 'lead.north@demo.npq.test',
  facilitator: 'facilitator@demo.npq.test',
  coach: 'coach@demo.npq.test',
  assessor: 'assessor@demo.npq.test',
  moderator: 'moderator@demo.npq.test',
  participant: 'participant@demo.npq.test',
  'school approver': 'approver@demo.npq.test',
  finance: 'finance@demo.npq.test',
} as const;
export type DemoPerson = keyof typeof DEMO_PEOPLE;

/** A demo person's account: their address, their name, and whether they are staff (and give a second factor). */
export function demoAccount(who: DemoPerson) {
  const account = DEMO_ACCOUNTS.find((a) => a.email === DEMO_PEOPLE[who])!;
  return { email: account.email, name: account.name, staff: !['participant', 'school_approver'].includes(account.role) };
}

/** The provider admin's browser state, signed in once by auth.setup.ts: two-factor codes are single-use. */
export const ADMIN_STATE = 'test-results/.auth/admin.json';
