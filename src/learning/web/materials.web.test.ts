import { readdirSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { aPdf, aZip } from '../../testing/documents';
import { factoriesFor, setUp } from '../../testing/factories';
import { aDeliveryIntake, dateFields as day, type Placed, setPlanEntry as set } from '../../testing/plan-form';
import { type Client, useTestApp } from '../../testing/test-app';
import { programmeToOutline } from '../domain/outline';
import { programmeMaterials } from '../learning.schema';

/**
 * Issue 10 item 4: course materials uploaded by the admin to a programme, checked for kind and size,
 * kept on disk under the data folder, named from the outline's "File" lines, and given only to the
 * participants whose released module holds them and to their intake's staff.
 */
const t = useTestApp();
const f = factoriesFor(t);
const NPQ = 'npq-leading-teaching';
const FILES = `/admin/programmes/${NPQ}/files`;

let intakeId: string;
let partnerId: string;
let ann: Placed;
let bea: Placed;
let admin: Client;
let lead: Client;
const slides = () => aZip({ '[Content_Types].xml': '<Types><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>', 'ppt/presentation.xml': '<presentation/>' });
const kept = () => readdirSync(path.join(t.dataDir, 'uploads', 'materials'));

beforeAll(async () => {
  const setup = await aDeliveryIntake(t, f, { participants: 1, remoteAddress: '10.81.0.1' });
  ({ intakeId, partnerId, lead } = setup);
  [ann] = setup.placed as [Placed];
  admin = await (await f.aStaffMember()).signIn('10.81.0.2');
  // An intake planned before the handbook: it keeps the version it has, with its second module released.
  const older = await f.anIntake({ course: NPQ, schedule: 'npq-specialist-spring', deliveryPartnerId: partnerId });
  await t.services.learning.savePlanEntry(setUp, older.id, 'c1m2', { releasesOn: '2026-11-01' });
  const a = await f.anAcceptedApplication({ course: NPQ, intakeId: older.id });
  bea = { person: a.participant, enrolmentId: a.application.id };
});

describe('course materials', () => {
  it('refuses a file that is missing, empty, too large, of another kind by its bytes, or named as one already there, saying so next to the field', async () => {
    const page = await admin.get(FILES);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No files are uploaded for this programme yet.');
    const cases: [Parameters<Client['upload']>[2], string][] = [
      [undefined, 'Choose a file to upload'],
      [{ name: 'empty.pdf', content: '' }, 'The file you chose is empty'],
      [{ name: 'handbook.pdf', content: 'MZ this is a program', type: 'application/pdf' }, '“handbook.pdf” is not a PDF, Word, PowerPoint, Excel, PNG image or JPEG image file: what is inside it is of another kind, whatever its name ends with'],
      [{ name: 'page.pdf', content: '<html><script>alert(1)</script></html>' }, '“page.pdf” is not a PDF, Word, PowerPoint, Excel, PNG image or JPEG image file: what is inside it is of another kind, whatever its name ends with'],
      [{ name: 'big.pdf', content: Buffer.concat([aPdf(), Buffer.alloc(25 * 1024 * 1024)]) }, 'The file must be 25 MB or smaller'],
    ];
    for (const [file, message] of cases) {
      const res = await admin.upload(FILES, {}, file);
      expect(res.statusCode, message).toBe(422);
      expect(res.body).toContain('govuk-error-summary');
      expect(res.body).toContain(`<p id="file-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${message}</p>`);
    }
    expect(await t.database.db.select().from(programmeMaterials)).toHaveLength(0);
  });

  it('keeps an uploaded file under one word the outline names; a second of the same name is refused; one never used can be removed', async () => {
    const up = await admin.upload(FILES, {}, { name: 'C:\\fakepath\\Leading Teaching handbook.pdf', content: aPdf('The handbook') });
    expect(up.statusCode).toBe(303);
    const page = await admin.get(FILES);
    expect(page.body).toContain('Uploaded “Leading-Teaching-handbook.pdf”. Name it at the end of a “File:” line in the outline, then save the programme.');
    expect(page.body).toMatch(/href="\/admin\/programmes\/npq-leading-teaching\/files\/[0-9a-f-]{36}" download>Leading-Teaching-handbook\.pdf<\/a> \(PDF, 1 KB\)/);
    expect(page.body).toContain('Not used yet');
    const again = await admin.upload(FILES, {}, { name: 'leading-teaching-HANDBOOK.pdf', content: aPdf('Another') });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('A file named “leading-teaching-HANDBOOK.pdf” is already uploaded for this programme.');

    // Two uploads of one name at once: one is kept, the other told plainly.
    const both = await Promise.all([admin.upload(FILES, {}, { name: 'slides.pptx', content: slides() }), admin.upload(FILES, {}, { name: 'Slides.pptx', content: slides() })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([303, 422]);
    expect(both.find((r) => r.statusCode === 422)!.body).toContain('is already uploaded for this programme');
    const deck = (await t.database.db.select().from(programmeMaterials)).find((m) => m.name.toLowerCase() === 'slides.pptx');
    expect(kept()).toHaveLength(2);
    expect((await admin.post(`${FILES}/${deck!.id}/remove`, {})).statusCode).toBe(303);
    expect((await admin.get(FILES)).body).toContain(`Removed “${deck!.name}”.`);
    expect(kept()).toHaveLength(1);
    const audited = await t.database.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityType, 'qualification'));
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['programme.material_uploaded', 'programme.material_removed']));
  });

  it('is named from a "File" line: an unknown name is refused with the outline kept; once a version uses a file it cannot be removed', async () => {
    const current = (await t.services.learning.programmeVersionsOf(setUp, NPQ)).versions[0]!;
    const base = programmeToOutline(current.content).replace(/(\n {2}Module: [^\n]*\{c1m2\}[^\n]*)/, '$1\n    File: The handbook for module two HANDBOOK-2027.pdf');
    const wrong = await admin.post(`/admin/programmes/${NPQ}`, { outline: base, note: 'Handbook' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toMatch(/Line \d+: no file named “HANDBOOK-2027\.pdf” is uploaded for this programme\. Upload it on the programme’s files page first, or check the name\. Files uploaded: Leading-Teaching-handbook\.pdf\./);
    expect(wrong.body).toContain('File: The handbook for module two HANDBOOK-2027.pdf');
    const saved = await admin.post(`/admin/programmes/${NPQ}`, { outline: base.replace('HANDBOOK-2027.pdf', 'leading-teaching-handbook.pdf'), note: 'Handbook' });
    expect(saved.statusCode).toBe(303);
    const editor = await admin.get(`/admin/programmes/${NPQ}`);
    expect(editor.body).toMatch(/File: The handbook for module two \{c1m2a\d+\} Leading-Teaching-handbook\.pdf/);
    const files = await admin.get(FILES);
    expect(files.body).toMatch(/Version \d+<\/td><td class="govuk-table__cell">Kept: versions use it/);
    const [handbook] = await t.database.db.select().from(programmeMaterials);
    const refused = await admin.post(`${FILES}/${handbook!.id}/remove`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('“Leading-Teaching-handbook.pdf” is part of version');
    // Said beside the file's row, which the error summary links to; the upload field is not in error.
    expect(refused.body).toContain(`<a href="#file-${handbook!.id}">`);
    expect(refused.body).toMatch(new RegExp(`<span id="file-${handbook!.id}"><span class="govuk-error-message">`));
    expect(refused.body).not.toContain('id="file-error"');
    expect(kept()).toHaveLength(1);
  });

  it('is given to the participant once their module is released, and to their intake’s staff; to nobody else', async () => {
    const key = (await t.services.learning.programmeVersionsOf(setUp, NPQ)).versions[0]!.content.courses[0]!.modules[1]!.activities.find((a) => a.kind === 'file')!.key;
    const me = await ann.person.signIn('10.81.0.3');
    const own = `/programme/${ann.enrolmentId}/files/${key}`;
    // Not released yet: as if there were no such file.
    expect((await me.get(own)).statusCode).toBe(404);
    expect((await set(lead, intakeId, 'c1m2', day('releasesOn', '2026-11-01'))).statusCode).toBe(303);
    const module = await me.get(`/programme/${ann.enrolmentId}/modules/c1m2`);
    expect(module.body).toContain(`Download: <a class="govuk-link" href="${own}" download>Leading-Teaching-handbook.pdf</a> (PDF, 1 KB)`);
    const download = await me.get(own);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('attachment; filename="Leading-Teaching-handbook.pdf"');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.rawPayload.equals(aPdf('The handbook'))).toBe(true);

    // The intake's staff, from its plan.
    const plan = await lead.get(`/delivery/intakes/${intakeId}`);
    expect(plan.body).toContain(`href="/delivery/intakes/${intakeId}/files/${key}" download>Leading-Teaching-handbook.pdf</a>`);
    expect((await lead.get(`/delivery/intakes/${intakeId}/files/${key}`)).rawPayload.equals(aPdf('The handbook'))).toBe(true);

    // Nobody else: another NPQ's participant through their own place, another partner's facilitator, a participant at the staff address, anyone signed out.
    const other = await f.anAcceptedApplication({ course: 'npq-senior-leadership' });
    const them = await other.participant.signIn('10.81.0.4');
    expect((await them.get(own)).statusCode).toBe(404);
    expect((await them.get(`/programme/${other.application.id}/files/${key}`)).statusCode).toBe(404);
    expect([403, 404]).toContain((await me.get(`/delivery/intakes/${intakeId}/files/${key}`)).statusCode);
    expect([403, 404]).toContain((await me.get(`${FILES}`)).statusCode);
    const elsewhere = (await t.services.catalogue.partnersAndVenues(setUp)).partners.find((p) => p.id !== partnerId)!.id;
    const stranger = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: elsewhere } })).signIn('10.81.0.5');
    expect((await stranger.get(`/delivery/intakes/${intakeId}/files/${key}`)).statusCode).toBe(404);
    expect([403, 404]).toContain((await stranger.get(FILES)).statusCode);
    const anonymous = await t.app.inject({ method: 'GET', url: own, headers: { accept: 'text/html' } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.body).not.toContain('The handbook');
  });

  it('stays with the version that named it: a participant of an intake on an older version has no such file', async () => {
    const key = (await t.services.learning.programmeVersionsOf(setUp, NPQ)).versions[0]!.content.courses[0]!.modules[1]!.activities.find((a) => a.kind === 'file')!.key;
    const me = await bea.person.signIn('10.81.0.6');
    const module = await me.get(`/programme/${bea.enrolmentId}/modules/c1m2`);
    expect(module.statusCode).toBe(200);
    expect(module.body).not.toContain('Leading-Teaching-handbook.pdf');
    expect((await me.get(`/programme/${bea.enrolmentId}/files/${key}`)).statusCode).toBe(404);
  });
});
