import { randomUUID } from 'node:crypto';
import { seedDfe } from '../src/dfe/stand-in/stand-in-seed';
import { createDfeStandIn } from '../src/dfe/stand-in/stand-in-server';

/*
 * `npm run dfe-stand-in`: DfE's Lead Provider API stand-in on its own (issue 13 item 1), for trying a
 * client by hand. It holds the demo provider (token DFE_API_TOKEN, default `dfe-stand-in-token`), a
 * second provider, two delivery partners, three cohorts' statements, and DFE_STAND_IN_APPLICATIONS
 * (default 25) applications registered for the demo provider, pending. Listens on 127.0.0.1, port
 * DFE_STAND_IN_PORT (default 3900). Every request and response is checked against DfE's OpenAPI
 * document; each mismatch is printed as it happens and listed at /__stand-in/violations.
 */
const port = Number(process.env.DFE_STAND_IN_PORT ?? 3900);
const token = process.env.DFE_API_TOKEN ?? 'dfe-stand-in-token';
const count = Number(process.env.DFE_STAND_IN_APPLICATIONS ?? 25);
const standIn = createDfeStandIn();
const now = new Date();
const { provider, partners } = seedDfe(standIn.state, now, { providerName: process.env.PROVIDER_NAME ?? 'Northern Lights Leadership', token });
const courses = ['npq-headship', 'npq-senior-leadership', 'npq-leading-literacy', 'npq-senco', 'npq-early-headship-coaching-offer'];
for (let i = 0; i < count; i++) {
  const person = standIn.state.addPerson({ fullName: `Registered Teacher ${i + 1}`, trn: String(5100000 + i), email: `registered.teacher.${i + 1}@school.test`, id: randomUUID() }, now);
  standIn.state.addApplication({ personId: person.id, leadProviderId: provider.id, course: courses[i % courses.length]!, cohort: '2026b', schoolUrn: String(140000 + (i % 10)) }, now);
}
let reported = 0;
setInterval(() => {
  for (const v of standIn.violations.slice(reported)) console.error(`contract violation: ${v.direction} ${v.method} ${v.path}${v.status ? ` ${v.status}` : ''}: ${v.problem}`);
  reported = standIn.violations.length;
}, 1000).unref();
const url = await standIn.listen(port);
console.log(`DfE Lead Provider API stand-in at ${url}/api/v3 (token ${token}; ${count} applications pending; delivery partners ${partners.map((p) => `${p.name} ${p.id}`).join(', ')})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void standIn.close().then(() => process.exit(0)));
