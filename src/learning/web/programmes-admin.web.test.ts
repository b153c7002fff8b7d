import { describe, expect, it } from 'vitest';
import { programmeToOutline } from '../domain/outline';
import { factoriesFor, setUp } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';

/** Issue 10 item 1: an admin builds and edits programmes in the browser; an edit is a new version that planned intakes take only when moved on. */
const t = useTestApp();
const f = factoriesFor(t);

describe('building and editing programmes', () => {
  it('builds a programme for an NPQ without one, saying which line is wrong and keeping what was typed', async () => {
    const admin = await (await f.aStaffMember()).signIn();
    const list = await admin.get('/admin/programmes');
    expect(list.statusCode).toBe(200);
    expect(list.body).toMatch(/National Professional Qualification for Headship \(NPQH\)<\/a><\/td><td class="govuk-table__cell">Version 1/);
    expect(list.body).toMatch(/Senior Leadership \(NPQSL\)<\/a><\/td><td class="govuk-table__cell">Not built yet/);
    const editor = await admin.get('/admin/programmes/npq-senior-leadership');
    expect(editor.body).toContain('Build the programme');
    const wrong = 'Course: Leading a school\n  Module: Vision (300)\n';
    const refused = await admin.post('/admin/programmes/npq-senior-leadership', { outline: wrong, note: 'First go' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Line 2: say how much guided learning the module is worth, like “(300 minutes)” at the end of the line');
    expect(refused.body).toContain('Module: Vision (300)');
    expect(refused.body).toContain('value="First go"');
    const saved = await admin.post('/admin/programmes/npq-senior-leadership', { outline: 'Course: Leading a school\n  Module: Vision (300 minutes)\n    Reading: Read this\n      | Some *text*\nEvent: Day one (360 minutes)\n  Agenda: Welcome', note: 'First go' });
    expect(saved.statusCode).toBe(303);
    const after = await admin.get('/admin/programmes/npq-senior-leadership');
    expect(after.body).toContain('Programme, version 1');
    expect(after.body).toContain('1 online courses of 1 modules (5 hours), 1 events (6 hours) and 0 briefings (0 hours)');
    expect(after.body).toContain('Module: Vision {c1m1} (300 minutes)');
    // A change note too long is said beside the note, with the outline kept and not marked wrong.
    const long = await admin.post('/admin/programmes/npq-senior-leadership', { outline: 'Event: Day two (60 minutes)', note: 'n'.repeat(501) });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('id="note-error"');
    expect(long.body).toContain('What you changed must be 500 characters or fewer: it is 501');
    expect(long.body).not.toContain('id="outline-error"');
    expect(long.body).toContain('Event: Day two (60 minutes)');
  });

  it('keeps a planned intake on its version until the admin moves it on', async () => {
    const intake = (await f.anIntake({ course: 'npq-leading-teaching', schedule: 'npq-specialist-spring' })).id;
    await t.services.learning.savePlanEntry(setUp, intake, 'c1m1', { releasesOn: '2026-11-01' });
    const { application, participant } = await f.anAcceptedApplication({ course: 'npq-leading-teaching', intakeId: intake });
    const admin = await (await f.aStaffMember()).signIn();
    const current = (await t.services.learning.programmeVersionsOf(setUp, 'npq-leading-teaching')).versions[0]!;
    const edited = `${programmeToOutline(current.content)}\nBriefing: A new briefing (45 minutes)`;
    expect((await admin.post('/admin/programmes/npq-leading-teaching', { outline: edited, note: 'Added a briefing' })).statusCode).toBe(303);
    const pat = await participant.signIn();
    expect((await pat.get('/programme')).body).not.toContain('A new briefing');
    const plan = await admin.get(`/delivery/intakes/${intake}`);
    expect(plan.body).toContain(`href="/delivery/intakes/${intake}/versions/2">See what changes in version 2`);
    // What changes is read before the move.
    const preview = await admin.get(`/delivery/intakes/${intake}/versions/2`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Move this intake on to version 2?');
    expect(preview.body).toContain('<li>Briefing “A new briefing”</li>');
    expect((await admin.post(`/delivery/intakes/${intake}/versions/2`)).statusCode).toBe(303);
    expect((await admin.get(`/delivery/intakes/${intake}`)).body).toContain('This intake now follows version 2 of the programme. To undo, move it back to version 1');
    expect((await pat.get('/programme')).body).toContain('A new briefing');
    // The module's date set under version 1 still holds: its key is kept.
    expect((await pat.get(`/programme/${application.id}/modules/c1m1`)).statusCode).toBe(200);
    // Undone by moving back, and on again.
    expect((await admin.get(`/delivery/intakes/${intake}/versions/1`)).body).toContain('<li>Briefing “A new briefing”</li>');
    expect((await admin.post(`/delivery/intakes/${intake}/versions/1`)).statusCode).toBe(303);
    expect((await pat.get('/programme')).body).not.toContain('A new briefing');
    expect((await admin.post(`/delivery/intakes/${intake}/versions/2`)).statusCode).toBe(303);
    // A version it follows already, or one that does not exist.
    expect((await admin.get(`/delivery/intakes/${intake}/versions/2`)).headers.location).toBe(`/delivery/intakes/${intake}`);
    expect((await admin.get(`/delivery/intakes/${intake}`)).body).toContain('This intake follows version 2 already');
    expect((await admin.get(`/delivery/intakes/${intake}/versions/99`)).statusCode).toBe(404);

    // A module that gains an activity: those who finished it are told of before the move.
    for (const a of current.content.courses[0]!.modules[0]!.activities) {
      if (a.kind === 'reflection') await t.services.learning.writeReflection(participant.actor, application.id, a.key, 'What I will do differently.');
      else if (a.kind !== 'core_task') await t.services.learning.markDone(participant.actor, application.id, a.key, true);
    }
    const v2 = (await t.services.learning.programmeVersionsOf(setUp, 'npq-leading-teaching')).versions[0]!;
    const withReading = programmeToOutline(v2.content).replace(/(\n {2}Module: [^\n]*\{c1m1\}[^\n]*)/, '$1\n    Reading: A new reading');
    expect((await admin.post('/admin/programmes/npq-leading-teaching', { outline: withReading, note: 'A reading' })).statusCode).toBe(303);
    const reopening = await admin.get(`/delivery/intakes/${intake}/versions/3`);
    expect(reopening.body).toContain('1 participant has finished a module that gains activities');
  });

  it('is the provider admin’s alone', async () => {
    const partner = (await t.services.catalogue.partnersAndVenues(setUp)).partners[0]!.id;
    for (const role of ['delivery_partner_lead', 'facilitator'] as const) {
      const c = await (await f.aStaffMember({ role, scope: { scopeType: 'delivery_partner', scopeId: partner } })).signIn();
      expect((await c.get('/admin/programmes')).statusCode).toBe(403);
      expect((await c.post('/admin/programmes/npq-headship', { outline: 'Event: X (1 minutes)' }, { follow: false })).statusCode).toBe(403);
    }
    const pat = await (await f.aParticipantUser()).signIn();
    expect((await pat.get('/admin/programmes/npq-headship')).statusCode).toBe(403);
    const other = (await f.anIntake()).id;
    expect((await pat.post(`/delivery/intakes/${other}/versions/1`, {}, { follow: false })).statusCode).toBe(403);
    expect((await pat.get(`/delivery/intakes/${other}/versions/1`)).statusCode).toBe(403);
    const lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partner } })).signIn();
    expect((await lead.get(`/delivery/intakes/${other}/versions/1`)).statusCode).toBe(403);
  });
});
