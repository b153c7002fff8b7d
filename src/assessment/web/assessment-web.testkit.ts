import { readFileSync } from 'node:fs';
import { contactsOfAccounts } from '../../people/people.queries';
import { participantOutcomes, releasedResults, resultReleases, submissions } from '../assessment.schema';
import { newCertificateCode, outcomeOutAt } from '../domain/outcome';
import { type Factories, type Person, setUp } from '../../testing/factories';
import { Client, FROZEN_NOW, type TestApp } from '../../testing/test-app';
import { fodt, h, libreOffice, p } from '../submissions/libreoffice.testkit';

/** A short account as a Word document, written by LibreOffice: what the assessment tests send. */
export function aWordAccount(): Buffer {
  const lo = libreOffice();
  const files = lo.write({ account: fodt([h(1, 'Leading reading'), p('We changed how reading is taught in every class, and measured fluency each half term.')]) });
  return readFileSync(lo.convert([files.account!], 'docx')[0]!);
}

/**
 * `n` participants accepted into an NPQH intake of the first delivery partner that started on 7
 * September 2026, made in July and the clock left at FROZEN_NOW (25 November 2026).
 */
export async function headshipPlaces(t: TestApp, f: Factories, n: number): Promise<{ partner: { id: string; name: string }; intakeId: string; places: { person: Person; eid: string }[] }> {
  const partner = (await t.services.catalogue.partnersAndVenues(setUp)).partners[0]!;
  t.clock.set('2026-07-20T10:00:00Z');
  const intakeId = (await f.anIntake({ course: 'npq-headship', startDate: '2026-09-07', applicationDeadline: '2026-08-01', deliveryPartnerId: partner.id })).id;
  const places: { person: Person; eid: string }[] = [];
  for (let i = 0; i < n; i++) {
    const a = await f.anAcceptedApplication({ course: 'npq-headship', intakeId });
    places.push({ person: a.participant, eid: a.application.id });
  }
  t.clock.set(FROZEN_NOW);
  return { partner: { id: partner.id, name: partner.name }, intakeId, places };
}

/** Whoever a draw gave a script to (the demo's moderator among them), signed in from `ip`. */
export async function signedInAs(t: TestApp, userId: string | null | undefined, ip: string): Promise<Client> {
  const contact = (await contactsOfAccounts(t.database.db, [userId!])).get(userId!);
  const c = new Client(t, ip);
  await c.signIn(contact!.email);
  return c;
}

/** A place's account for a task, sent now (the file itself is not stored: for lists and marking, not for reading). */
export async function aSentScript(t: TestApp, eid: string, taskKey = 'task-1'): Promise<typeof submissions.$inferSelect> {
  const [sent] = await t.database.db
    .insert(submissions)
    .values({ enrolmentId: eid, taskKey, status: 'submitted', fileName: 'account.docx', fileType: 'docx', fileSize: 1, fileKey: 'accounts/test', wordLimit: 4000, wordsTotal: 100, wordsCounted: 100, wordsExcluded: {}, overLimit: false, uploadedAt: t.clock.now(), submittedAt: t.clock.now() })
    .returning();
  return sent!;
}

/**
 * Results released for a place without marking them (for tests of what follows a release: the
 * library): a sent account per task, a release of the intake on `releasesOn`, each task's result, and
 * the outcome they give, as releaseResults would leave them. The marking chain itself is tried in
 * outcomes.web.test.ts and the release journey.
 */
export async function givenReleasedResults(t: TestApp, p: { eid: string; intakeId: string; results: Record<string, 'pass' | 'fail'>; releasesOn: string }): Promise<void> {
  const { db } = t.database;
  const [release] = await db.insert(resultReleases).values({ intakeId: p.intakeId, releasesOn: p.releasesOn, reviewDays: 0 }).returning();
  for (const [taskKey, result] of Object.entries(p.results)) {
    const sent = await aSentScript(t, p.eid, taskKey);
    await db.insert(releasedResults).values({ submissionId: sent.id, releaseId: release!.id, enrolmentId: p.eid, taskKey, attempt: 1, total: result === 'pass' ? 30 : 10, result, feedbackRound: 'first' });
  }
  const state = Object.values(p.results).every((r) => r === 'pass') ? 'passed' : 'failed';
  await db.insert(participantOutcomes).values({ enrolmentId: p.eid, releaseId: release!.id, state, completionDate: p.releasesOn, certificateCode: state === 'passed' ? newCertificateCode() : null, createdAt: t.clock.now(), outAt: outcomeOutAt(t.clock.now(), { resultsOutOn: p.releasesOn, previousOutAt: null }) });
}
