import { randomUUID } from 'node:crypto';
import { defaultScheduleIdentifier, scheduleToName } from '../src/dfe/domain/dfe-reference-data';
import { seedDfe } from '../src/dfe/stand-in/stand-in-seed';
import { createDfeStandIn } from '../src/dfe/stand-in/stand-in-server';

/*
 * `npm run dfe-stand-in`: DfE's Lead Provider API stand-in on its own (issue 13 item 1), for trying a
 * client by hand. It holds the demo provider (token DFE_API_TOKEN, default `dfe-stand-in-token`), a
 * second provider, two delivery partners, three cohorts' statements, and DFE_STAND_IN_APPLICATIONS
 * (default 25) applications registered for the demo provider — pending, or accepted when
 * DFE_STAND_IN_ACCEPTED=true — in cohort DFE_STAND_IN_COHORT (default 2026b), of the NPQs in
 * DFE_STAND_IN_COURSES (comma-separated; default five of them). Listens on 127.0.0.1, port
 * DFE_STAND_IN_PORT (default 3900). Every request and response is checked against DfE's OpenAPI
 * document; each mismatch is printed as it happens and listed at /__stand-in/violations.
 */
const port = Number(process.env.DFE_STAND_IN_PORT ?? 3900);
const token = process.env.DFE_API_TOKEN ?? 'dfe-stand-in-token';
const count = Number(process.env.DFE_STAND_IN_APPLICATIONS ?? 25);
const standIn = createDfeStandIn();
const now = new Date();
const { provider, partners } = seedDfe(standIn.state, now, { providerName: process.env.PROVIDER_NAME ?? 'Northern Lights Leadership', token });
const courses = process.env.DFE_STAND_IN_COURSES?.split(',') ?? ['npq-headship', 'npq-senior-leadership', 'npq-leading-literacy', 'npq-senco', 'npq-early-headship-coaching-offer'];
const cohort = process.env.DFE_STAND_IN_COHORT ?? '2026b';
const accepted = process.env.DFE_STAND_IN_ACCEPTED === 'true';
for (let i = 0; i < count; i++) {
  const person = standIn.state.addPerson({ fullName: `Registered Teacher ${i + 1}`, trn: String(5100000 + i), email: `registered.teacher.${i + 1}@school.test`, id: randomUUID() }, now);
  const course = courses[i % courses.length]!;
  // Accepted as DfE holds a participant: the cohort's default schedule, active, a funded place where the cohort asks.
  const decided = accepted ? { status: 'accepted' as const, schedule: scheduleToName(course, cohort, now.toISOString().slice(0, 10)) ?? defaultScheduleIdentifier(course, standIn.state.cohort(cohort)!, now.toISOString().slice(0, 10)), trainingStatus: 'active' as const, fundedPlace: standIn.state.cohort(cohort)?.funding === 'capped' ? true : null, acceptedAt: now } : {};
  standIn.state.addApplication({ personId: person.id, leadProviderId: provider.id, course, cohort, schoolUrn: String(140000 + (i % 10)), ...decided }, now);
}
let reported = 0;
setInterval(() => {
  for (const v of standIn.violations.slice(reported)) console.error(`contract violation: ${v.direction} ${v.method} ${v.path}${v.status ? ` ${v.status}` : ''}: ${v.problem}`);
  reported = standIn.violations.length;
}, 1000).unref();
const url = await standIn.listen(port);
console.log(`DfE Lead Provider API stand-in at ${url}/api/v3 (token ${token}; ${count} applications ${accepted ? 'accepted' : 'pending'} in ${cohort}; delivery partners ${partners.map((p) => `${p.name} ${p.id}`).join(', ')})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void standIn.close().then(() => process.exit(0)));
