/**
 * Issue 11 item 4: "on the demo's generated history, say how many weeks before withdrawal the flag
 * first appears". Replays a generated NPQH cohort week by week through the platform's own rules
 * (src/demo/cohort-history.ts) and prints the lead times. Usage: npm run measure:early-warning -- [members] [weeks]
 */
import { measureLeadTime } from '../src/demo/cohort-history';

const members = Number(process.argv[2] ?? 200);
const weeks = Number(process.argv[3] ?? 52);
const began = performance.now();
const r = measureLeadTime(members, weeks);
const warned = r.leadWeeks.filter((w): w is number => w !== null && w > 0).sort((a, b) => a - b);
const at = (q: number) => warned[Math.min(warned.length - 1, Math.floor(q * warned.length))];
console.log(`Generated cohort: ${r.members} members over ${weeks} weeks (the two the demo loads as at risk left out); ${r.withdrawn} withdrew within them.`);
console.log(`Flagged before withdrawing: ${warned.length} of ${r.withdrawn} (${Math.round((100 * warned.length) / Math.max(1, r.withdrawn))}%).`);
console.log(`Weeks between the first flag and the withdrawal: median ${at(0.5)}, lower quartile ${at(0.25)}, upper quartile ${at(0.75)}, least ${warned[0]}, most ${warned.at(-1)}.`);
console.log(`Never flagged before withdrawing: ${r.leadWeeks.filter((w) => w === null || w <= 0).length}.`);
console.log(`Flagged at some point though they never withdrew: ${r.flaggedNeverWithdrew} of the ${r.stayed} who stayed (${Math.round((100 * r.flaggedNeverWithdrew) / Math.max(1, r.stayed))}%); flagged in ${r.falseAlarmWeeks} of ${r.memberWeeks} member-weeks (${((100 * r.falseAlarmWeeks) / r.memberWeeks).toFixed(1)}%).`);
console.log(`(${Math.round(performance.now() - began)} ms)`);
