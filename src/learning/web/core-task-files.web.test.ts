import { beforeAll, describe, expect, it } from 'vitest';
import { aPdf, aWordDocument, aZip } from '../../testing/documents';
import { factoriesFor, setUp } from '../../testing/factories';
import { aDeliveryIntake, dateFields as day, type Placed, setPlanEntry as set } from '../../testing/plan-form';
import { type Client, useTestApp } from '../../testing/test-app';
import { coreTaskAttempts } from '../learning.schema';

/**
 * Issue 10 item 4: a core task sent as a file (PDF or Word), checked by its bytes and size, kept on
 * disk, and given only to the participant whose it is and to those who may review it.
 */
const t = useTestApp();
const f = factoriesFor(t);

let intakeId: string;
let partnerId: string;
let ann: Placed;
let ben: Placed;
let lead: Client;
// NPQLT's first course's core task (seed-programmes.ts): the last activity of its last module.
const TASK = 'c1m3a4';
const taskUrl = (who: Placed) => `/programme/${who.enrolmentId}/core-tasks/${TASK}`;

beforeAll(async () => {
  const setup = await aDeliveryIntake(t, f, { participants: 2, remoteAddress: '10.80.0.1' });
  ({ intakeId, partnerId, lead } = setup);
  [ann, ben] = setup.placed as [Placed, Placed];
  expect((await set(lead, intakeId, 'c1m3', day('releasesOn', '2026-11-01'))).statusCode).toBe(303);
});

describe('a core task sent as a file', () => {
  it('refuses a file that is not a PDF or Word document by its bytes, or is too large, saying so and keeping what was typed', async () => {
    const me = await ann.person.signIn('10.80.0.2');
    await me.get(`/programme/${ann.enrolmentId}/modules/c1m3`);
    const renamed = await me.upload(taskUrl(ann), { text: 'My notes so far' }, { name: 'task.pdf', content: 'MZ this is a program', type: 'application/pdf' });
    expect(renamed.statusCode).toBe(422);
    expect(renamed.body).toContain('“task.pdf” is not a PDF or Word file: what is inside it is of another kind, whatever its name ends with');
    expect(renamed.body).toContain('My notes so far');
    const spreadsheet = await me.upload(taskUrl(ann), {}, { name: 'task.docx', content: aZip({ '[Content_Types].xml': '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>', 'xl/workbook.xml': '<workbook/>' }) });
    expect(spreadsheet.body).toContain('“task.docx” is not a PDF or Word file');
    const huge = await me.upload(taskUrl(ann), { text: 'Kept' }, { name: 'big.pdf', content: Buffer.concat([aPdf(), Buffer.alloc(10 * 1024 * 1024)]) });
    expect(huge.statusCode).toBe(422);
    expect(huge.body).toContain('The file must be 10 MB or smaller');
    expect(huge.body).toContain('Kept');
    const nothing = await me.upload(taskUrl(ann), { text: '\u200b' });
    expect(nothing.body).toContain('Enter your core task, or choose a file of it');
    expect(await t.database.db.select().from(coreTaskAttempts)).toHaveLength(0);
  });

  it('takes a Word document, keeps it, and gives it back to the participant and their reviewer only', async () => {
    const me = await ann.person.signIn('10.80.0.3');
    await me.get(`/programme/${ann.enrolmentId}/modules/c1m3`);
    const sent = await me.upload(taskUrl(ann), {}, { name: 'C:\\Users\\ann\\My "core" task.docx', content: aWordDocument('How we will improve feedback') });
    expect(sent.statusCode).toBe(303);
    const page = await me.get(`/programme/${ann.enrolmentId}/modules/c1m3`);
    const link = /href="(\/programme\/[0-9a-f-]{36}\/core-task-files\/([0-9a-f-]{36}))" download>My -core- task.docx<\/a> \(Word, \d+ KB\)/.exec(page.body);
    expect(link).not.toBeNull();
    const [, own, attemptId] = link!;
    const mine = await me.get(own!);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(mine.headers['content-disposition']).toContain('attachment; filename="My -core- task.docx"');
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    expect(mine.rawPayload.equals(aWordDocument('How we will improve feedback'))).toBe(true);

    // The facilitator reviewing it downloads the same bytes from the review page.
    const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.80.0.4');
    const review = await facilitator.get(`/delivery/core-tasks/${attemptId}`);
    expect(review.body).toContain(`href="/delivery/core-tasks/${attemptId}/file" download>My -core- task.docx</a>`);
    expect(review.body).toContain('Nothing: they sent it as a file (above).');
    expect((await facilitator.get(`/delivery/core-tasks/${attemptId}/file`)).rawPayload.equals(aWordDocument('How we will improve feedback'))).toBe(true);

    // Nobody else: another participant (through their own place or the staff address), another partner's facilitator, anyone signed out.
    const him = await ben.person.signIn('10.80.0.5');
    expect((await him.get(`/programme/${ben.enrolmentId}/core-task-files/${attemptId}`)).statusCode).toBe(404);
    expect([403, 404]).toContain((await him.get(`/delivery/core-tasks/${attemptId}/file`)).statusCode);
    const elsewhere = (await t.services.catalogue.partnersAndVenues(setUp)).partners.find((p) => p.id !== partnerId)!.id;
    const stranger = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: elsewhere } })).signIn('10.80.0.6');
    expect((await stranger.get(`/delivery/core-tasks/${attemptId}/file`)).statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'GET', url: own!, headers: { accept: 'text/html' } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.body).not.toContain('How we will improve feedback');
  });

  it('takes a PDF with text, sent again after it was sent back', async () => {
    const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.80.0.7');
    const [first] = await t.database.db.select().from(coreTaskAttempts);
    expect((await facilitator.post(`/delivery/core-tasks/${first!.id}`, { decision: 'needs_more_work', feedback: 'Say how you will measure it.' })).statusCode).toBe(303);
    const me = await ann.person.signIn('10.80.0.8');
    await me.get(`/programme/${ann.enrolmentId}/modules/c1m3`);
    expect((await me.upload(taskUrl(ann), { text: 'Now with measures.' }, { name: 'task.pdf', content: aPdf('with measures') })).statusCode).toBe(303);
    const page = await me.get(`/programme/${ann.enrolmentId}/modules/c1m3`);
    expect(page.body).toMatch(/>task\.pdf<\/a> \(PDF, \d+ KB\)/);
    expect(page.body).toMatch(/>My -core- task\.docx<\/a>/);
    // What they wrote in each attempt stays readable to them, as they laid it out.
    expect(page.body).toContain('What you sent in attempt 2</span></summary><div class="govuk-details__text app-preserve-lines">Now with measures.</div>');
  });
});
