import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { dateFields } from '../../testing/plan-form';
import { Client, FROZEN_NOW, outboxTo, useTestApp } from '../../testing/test-app';
import { boardPresentations, placementConfirmations, placementPeriods, projectLogEntries } from '../assessment.schema';

/**
 * Issue 12 items 1 and 2, through the pages: an NPQH participant (started 1 June 2026) sees
 * their two tasks and when they must pass by; logs project time (refused, keeping what was typed;
 * corrected; removed and put back); records a placement in another school, nine working days over
 * two periods (one spanning the August bank holiday), which the host confirms by an emailed link
 * with no account; and a board presentation whose feedback the clerk gives by link. Another
 * participant, a facilitator, another partner's lead and an anonymous visitor see none of it; the
 * partner's lead and the admin read it and change nothing.
 */
const t = useTestApp();
const f = factoriesFor(t);

let eid: string;
let participant: Person;
let other: { person: Person; eid: string };
let partnerId: string;
let ip = 0;
const nextIp = () => `10.120.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, ' ');
const linkIn = (body: string, path: string) => new RegExp(`https?://[^\\s]+(${path}/[A-Za-z0-9_-]+)`).exec(body)?.[1];

beforeAll(async () => {
  const { partners } = await t.services.catalogue.partnersAndVenues(setUp);
  partnerId = partners[0]!.id;
  // Applied and accepted in the summer, before the intake's deadline; the tests run on the frozen clock's today.
  t.clock.set('2026-05-01T10:00:00Z');
  const intake = await f.anIntake({ course: 'npq-headship', startDate: '2026-06-01', applicationDeadline: '2026-05-15', deliveryPartnerId: partnerId });
  const a = await f.anAcceptedApplication({ course: 'npq-headship', intakeId: intake.id });
  ({ participant } = { participant: a.participant });
  eid = a.application.id;
  const b = await f.anAcceptedApplication({ course: 'npq-headship', intakeId: intake.id });
  other = { person: b.participant, eid: b.application.id };
  t.clock.set(FROZEN_NOW);
});

describe('the participant’s assessment', () => {
  it('shows NPQH’s two tasks, their evidence, and the date to pass by: 18 months from the start', async () => {
    const me = await participant.signIn(nextIp());
    expect(text((await me.get('/programme')).body)).toContain('Your assessment: the tasks');
    const page = text((await me.get(`/programme/${eid}/assessment`)).body);
    expect(page).toContain('Pass your final assessment by 1 December 2027: 18 months from the start of your NPQ on 1 June 2026.');
    expect(page).toContain('Task 1: a whole-school change programme');
    expect(page).toContain('Up to 4,000 words');
    expect(page).toContain('Task 2: a placement in a contrasting school');
    expect(page).toContain('Not recorded yet: at least 9 working days');
    expect(page).toContain('0 hours logged; 50 hours expected by now (2 hours a week)');
  });

  it('logs project time, refusing a bad entry with what was typed kept, and lets it be changed, removed and put back', async () => {
    const me = await participant.signIn(nextIp());
    const refused = await me.upload(`/programme/${eid}/assessment/project-log`, { ...dateFields('workedOn', '2026-12-01'), hours: '30', minutes: '', reflection: 'Planned the reading intervention with the English lead.' });
    expect(refused.statusCode).toBe(422);
    const said = text(refused.body);
    expect(said).toContain('The date you worked on it must be the same as or before today');
    expect(said).toContain('One entry can be at most 12 hours: log each day separately');
    expect(refused.body).toContain('Planned the reading intervention with the English lead.</textarea>');
    const logged = await me.upload(`/programme/${eid}/assessment/project-log`, { ...dateFields('workedOn', '2026-11-24'), hours: '2', minutes: '30', reflection: 'Planned the reading intervention with the English lead.' }, { name: 'plan.pdf', content: '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n' });
    expect(logged.statusCode).toBe(303);
    let page = text((await me.get(`/programme/${eid}/assessment/project-log`)).body);
    expect(page).toContain('Your time is logged.');
    expect(page).toContain('You have logged 2 hours 30 minutes on your in-school project. By now we expect 50 hours: 2 hours a week since 1 June 2026.');
    const [entry] = await t.database.db.select().from(projectLogEntries).where(eq(projectLogEntries.enrolmentId, eid));
    const file = await me.get(`/programme/${eid}/assessment/project-log/${entry!.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('plan.pdf');
    const changed = await me.post(`/programme/${eid}/assessment/project-log/${entry!.id}`, { ...dateFields('workedOn', '2026-11-24'), hours: '3', minutes: '0', reflection: 'Planned the intervention; agreed measures.' });
    expect(text((await me.get(changed.headers.location as string)).body)).toContain('You have logged 3 hours on your in-school project.');
    await me.post(`/programme/${eid}/assessment/project-log/${entry!.id}`, { action: 'remove' });
    page = text((await me.get(`/programme/${eid}/assessment/project-log`)).body);
    expect(page).toContain('You have logged 0 hours');
    expect(page).toContain('Put back');
    await me.post(`/programme/${eid}/assessment/project-log/${entry!.id}/restore`, {});
    expect(text((await me.get(`/programme/${eid}/assessment/project-log`)).body)).toContain('You have logged 3 hours on your in-school project.');
    const actions = (await t.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, eid))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['project_log.entry_added', 'project_log.entry_changed', 'project_log.entry_removed', 'project_log.entry_restored']));
  });

  it('records a placement in another school, nine working days over two periods, and the host confirms them by link', async () => {
    const me = await participant.signIn(nextIp());
    const here = `/programme/${eid}/assessment/placement/task-2`;
    const search = text((await me.get(`${here}?q=Oakfield`)).body);
    expect(search).toContain('Oakfield Primary School');
    // Their own school is refused, what was typed kept.
    const own = await me.post(here, { hostUrn: '140002', contrasts: 'geography', hostContactName: 'Hana Host', hostContactEmail: 'hana@oakfield.test' });
    expect(own.statusCode).toBe(422);
    expect(text(own.body)).toContain('Choose a school other than your own');
    expect(own.body).toContain('value="hana@oakfield.test"');
    const saved = await me.post(here, { hostUrn: '140001', contrasts: ['geography', 'pupil_profile'], contrastNote: 'Urban primary, high disadvantage.', hostContactName: 'Hana Host', hostContactEmail: 'hana@oakfield.test' });
    expect(saved.statusCode).toBe(303);
    // Thursday 27 August to Friday 4 September 2026, across the weekend and the bank holiday: six working days.
    const first = await me.post(`${here}/periods`, { ...dateFields('from', '2026-08-27'), ...dateFields('to', '2026-09-04'), note: 'Shadowing the head' });
    expect(text((await me.get(first.headers.location as string)).body)).toContain('6 working days recorded.');
    const weekend = await me.post(`${here}/periods`, { ...dateFields('from', '2026-11-21'), ...dateFields('to', '2026-11-22') });
    expect(weekend.statusCode).toBe(422);
    expect(text(weekend.body)).toContain('Those days are all weekends or bank holidays');
    const future = await me.post(`${here}/periods`, { ...dateFields('from', '2026-11-30') });
    expect(text(future.body)).toContain('The first day must be the same as or before today');
    await me.post(`${here}/periods`, { ...dateFields('from', '2026-11-16'), ...dateFields('to', '2026-11-18') });
    let page = text((await me.get(here)).body);
    expect(page).toContain('9 working days recorded; 0 confirmed by your host. At least 9 must be confirmed.');
    const asked = await me.post(`${here}/confirm`, {});
    expect(text((await me.get(asked.headers.location as string)).body)).toContain('We have emailed your host to confirm 9 working days.');
    const [mail] = await outboxTo(t, 'hana@oakfield.test');
    expect(mail!.body).toContain('Monday 31 August 2026'.replace('Monday 31 August 2026', '1 September 2026'));
    expect(mail!.body).not.toContain('31 August 2026');
    const link = linkIn(mail!.body, '/placement-days')!;
    // The days put to the host are fixed until they answer.
    page = (await me.get(here)).body;
    expect(page).not.toContain('/remove"');
    const host = new Client(t);
    const form = text((await host.get(link)).body);
    expect(form).toContain(`Confirm ${participant.name}’s placement days`);
    expect(form).toContain('27 August 2026');
    const noName = await host.post(link, { answer: 'confirmed', name: '' });
    expect(text(noName.body)).toContain('Enter your name');
    const done = await host.post(link, { answer: 'confirmed', name: 'Hana Host' });
    expect(text(done.body)).toContain('You have confirmed the placement days.');
    expect(text((await host.get(link)).body)).toContain('Hana Host has already answered for these days.');
    expect(text((await me.get(`/programme/${eid}/assessment`)).body)).toContain('Oakfield Primary School: 9 of 9 working days confirmed by the host (9 recorded)');
    const [told] = await outboxTo(t, participant.email);
    expect(told?.subject).toBe('Your placement days are confirmed');
  });

  it('frees days the host disputes, so the participant can correct them and ask again', async () => {
    const me = await participant.signIn(nextIp());
    const here = `/programme/${eid}/assessment/placement/task-2`;
    await me.post(`${here}/periods`, { ...dateFields('from', '2026-11-23') });
    // Asked a moment ago: a second email within ten minutes is refused, in an "Important" banner, not a "Success" one.
    const soon = await me.post(`${here}/confirm`, {});
    const told = (await me.get(soon.headers.location as string)).body;
    expect(text(told)).toContain('We emailed your host in the last 10 minutes.');
    expect(told).toContain('govuk-notification-banner__title" id="govuk-notification-banner-title">Important');
    t.clock.set('2026-11-25T10:20:00Z');
    await me.post(`${here}/confirm`, {});
    const mails = await outboxTo(t, 'hana@oakfield.test');
    const link = linkIn(mails.at(-1)!.body, '/placement-days')!;
    const host = new Client(t);
    await host.get(link);
    const noComment = await host.post(link, { answer: 'disputed', name: 'Hana Host' });
    expect(text(noComment.body)).toContain('Say which days are wrong');
    await host.post(link, { answer: 'disputed', name: 'Hana Host', comment: 'They were with us on the 24th, not the 23rd.' });
    const page = text((await me.get(here)).body);
    expect(page).toContain('Not confirmed');
    expect(page).toContain('They were with us on the 24th, not the 23rd.');
    expect(page).toContain('Ask Hana Host to confirm your days');
    const [disputed] = await t.database.db.select().from(placementConfirmations).where(eq(placementConfirmations.answer, 'disputed'));
    expect(disputed!.days).toEqual(['2026-11-23']);
    // Corrected: the wrong day removed, the right one recorded and put to the host, who confirms it; the dispute is no longer shown.
    const [wrong] = await t.database.db.select().from(placementPeriods).where(eq(placementPeriods.fromDate, '2026-11-23'));
    await me.post(`${here}/periods/${wrong!.id}/remove`, {});
    await me.post(`${here}/periods`, { ...dateFields('from', '2026-11-24') });
    t.clock.set('2026-11-25T10:40:00Z');
    await me.post(`${here}/confirm`, {});
    const again = linkIn((await outboxTo(t, 'hana@oakfield.test')).at(-1)!.body, '/placement-days')!;
    await host.get(again);
    await host.post(again, { answer: 'confirmed', name: 'Hana Host' });
    const fixed = text((await me.get(here)).body);
    expect(fixed).not.toContain('They were with us on the 24th, not the 23rd.');
    expect(fixed).toContain('10 working days recorded; 10 confirmed by your host.');
    t.clock.set(FROZEN_NOW);
  });

  it('keeps confirmed days with their school, refuses a day twice, and sends a new link to a corrected address', async () => {
    const me = await participant.signIn(nextIp());
    const here = `/programme/${eid}/assessment/placement/task-2`;
    const moved = await me.post(here, { hostUrn: '140003', contrasts: 'geography', hostContactName: 'Hana Host', hostContactEmail: 'hana@oakfield.test' });
    expect(moved.statusCode).toBe(422);
    expect(text(moved.body)).toContain('Your host has confirmed days, or has days to confirm, at the school recorded');
    const twice = await me.post(`${here}/periods`, { ...dateFields('from', '2026-11-16'), ...dateFields('to', '2026-11-20') });
    expect(twice.statusCode).toBe(422);
    expect(text(twice.body)).toContain('You have already recorded 3 of these days, from 16 November 2026');
    const tooLong = await me.post(`${here}/periods`, { ...dateFields('from', '2026-09-07'), ...dateFields('to', '2026-10-30') });
    expect(text(tooLong.body)).toContain('Record at most 31 days at a time');
    const tooEarly = await me.post(`${here}/periods`, { ...dateFields('from', '1900-01-02') });
    expect(text(tooEarly.body)).toContain('The first day must be the same as or after the start of your NPQ (1 June 2026)');
    // A day put to the host, then the contact's address corrected: the old link stops working, and the day can be asked of the new one.
    t.clock.set('2026-11-25T11:00:00Z');
    try {
      await me.post(`${here}/periods`, { ...dateFields('from', '2026-11-25') });
      await me.post(`${here}/confirm`, {});
      const oldLink = linkIn((await outboxTo(t, 'hana@oakfield.test')).at(-1)!.body, '/placement-days')!;
      await me.post(here, { hostUrn: '140001', contrasts: ['geography', 'pupil_profile'], hostContactName: 'Hana Host', hostContactEmail: 'hana.host@oakfield.test' });
      expect(text((await new Client(t).get(oldLink)).body)).toContain('This link has expired');
      t.clock.set('2026-11-25T11:20:00Z');
      await me.post(`${here}/confirm`, {});
      const [mail] = await outboxTo(t, 'hana.host@oakfield.test');
      expect(mail!.body).toContain('25 November 2026');
    } finally {
      t.clock.set(FROZEN_NOW);
    }
  });

  it('records a board presentation whose clerk gives the feedback by link, once', async () => {
    const me = await participant.signIn(nextIp());
    const refused = await me.upload(`/programme/${eid}/assessment/board`, { taskKey: 'task-1', ...dateFields('presentedOn', '2026-11-10'), boardName: 'Governing board of Riverside Academy', school: 'own', how: 'link', contactName: 'Colin Clerk', contactEmail: 'not an email' });
    expect(refused.statusCode).toBe(422);
    expect(text(refused.body)).toContain('Enter an email address in the correct format');
    expect(text(refused.body)).toContain('Select whether they are the chair or the clerk');
    expect(refused.body).toContain('value="Governing board of Riverside Academy"');
    const sent = await me.upload(`/programme/${eid}/assessment/board`, { taskKey: 'task-1', ...dateFields('presentedOn', '2026-11-10'), boardName: 'Governing board of Riverside Academy', school: 'own', how: 'link', contactName: 'Colin Clerk', contactEmail: 'clerk@riverside.test', contactRole: 'clerk' });
    expect(sent.statusCode).toBe(303);
    const [mail] = await outboxTo(t, 'clerk@riverside.test');
    const link = linkIn(mail!.body, '/board-feedback')!;
    const clerk = new Client(t);
    expect(text((await clerk.get(link)).body)).toContain(`The board’s feedback on ${participant.name}’s plan`);
    const given = await clerk.post(link, { name: 'Colin Clerk', feedback: 'The board supports the plan; report back in the summer term.' });
    expect(text(given.body)).toContain('The board’s feedback is sent.');
    const again = await clerk.post(link, { name: 'Someone else', feedback: 'Changed our minds.' });
    expect(text(again.body)).toContain('The board’s feedback has been given.');
    const page = text((await me.get(`/programme/${eid}/assessment/board`)).body);
    expect(page).toContain('The board supports the plan; report back in the summer term.');
    const [row] = await t.database.db.select().from(boardPresentations);
    expect(row!.feedbackBy).toBe('Colin Clerk');
    // Kept as evidence once given: it cannot be removed.
    await me.post(`/programme/${eid}/assessment/board/${row!.id}/remove`, {});
    expect(await t.database.db.select().from(boardPresentations)).toHaveLength(1);
    // Minutes instead of a link: a Word or PDF file, nothing else.
    const notMinutes = await me.upload(`/programme/${eid}/assessment/board`, { taskKey: 'task-2', ...dateFields('presentedOn', '2026-11-19'), boardName: 'Oakfield governors', school: 'placement', how: 'minutes' }, { name: 'minutes.pdf', content: 'not really a pdf' });
    expect(text(notMinutes.body)).toContain('is not a PDF or Word file');
  });

  it('starts the board form on the task whose link was followed, and keeps the task chosen over it when the form is refused', async () => {
    const me = await participant.signIn(nextIp());
    const board = `/programme/${eid}/assessment/board`;
    const checkedTask = (html: string) => [...html.matchAll(/<input[^>]*name="taskKey"[^>]*>/g)].filter((m) => /\schecked/.test(m[0])).map((m) => /value="([^"]*)"/.exec(m[0])![1]);
    const overview = (await me.get(`/programme/${eid}/assessment`)).body;
    for (const task of ['task-1', 'task-2']) expect(overview).toContain(`href="${board}?task=${task}"`);
    expect(checkedTask((await me.get(`${board}?task=task-2`)).body)).toEqual(['task-2']);
    expect(checkedTask((await me.get(`${board}?task=task-1`)).body)).toEqual(['task-1']);
    // Followed from the link, the form posts back to it: a refusal keeps the link's task, or the one chosen instead of it.
    expect((await me.get(`${board}?task=task-2`)).body).toContain(`action="${board}?task=task-2"`);
    expect(checkedTask((await me.upload(`${board}?task=task-2`, { ...dateFields('presentedOn', '2026-11-19'), boardName: '', how: 'minutes' })).body)).toEqual(['task-2']);
    const changed = await me.upload(`${board}?task=task-2`, { taskKey: 'task-1', ...dateFields('presentedOn', '2026-11-19'), boardName: '', how: 'minutes' });
    expect(changed.statusCode).toBe(422);
    expect(text(changed.body)).toContain('Enter the governing board’s name');
    expect(checkedTask(changed.body)).toEqual(['task-1']);
    // No link, or a task that needs no board: nothing chosen for them.
    expect(checkedTask((await me.get(board)).body)).toEqual([]);
    expect(checkedTask((await me.get(`${board}?task=not-a-task`)).body)).toEqual([]);
    // Staff who read the evidence follow a link with no task: they have no form.
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
    expect((await admin.get(`/programme/${eid}/assessment`)).body).not.toContain(`${board}?task=`);
  });
});

describe('correcting mistakes', () => {
  it('corrects a board contact’s address with a new link, refuses sending again within ten minutes, and asks before removing a presentation', async () => {
    const me = await participant.signIn(nextIp());
    const board = `/programme/${eid}/assessment/board`;
    // Every fault at once, the file's included: no second round after the others are put right.
    const both = await me.upload(board, { taskKey: 'task-2', ...dateFields('presentedOn', '2026-11-19'), boardName: '', how: 'minutes' }, { name: 'minutes.pdf', content: 'not really a pdf' });
    expect(text(both.body)).toContain('Enter the governing board’s name');
    expect(text(both.body)).toContain('is not a PDF or Word file');
    await me.upload(board, { taskKey: 'task-2', ...dateFields('presentedOn', '2026-11-19'), boardName: 'Oakfield governors', how: 'link', contactName: 'Carla Chair', contactEmail: 'carla@wrong.test', contactRole: 'chair' });
    const [row] = await t.database.db.select().from(boardPresentations).where(eq(boardPresentations.boardName, 'Oakfield governors'));
    const soon = await me.post(`${board}/${row!.id}/ask-again`, {});
    expect(text((await me.get(soon.headers.location as string)).body)).toContain('We emailed Carla Chair in the last 10 minutes.');
    const changePage = text((await me.get(`${board}/${row!.id}`)).body);
    expect(changePage).toContain('Change a presentation');
    await me.post(`${board}/${row!.id}`, { ...dateFields('presentedOn', '2026-11-19'), boardName: 'Oakfield governors', contactName: 'Carla Chair', contactEmail: 'carla@oakfield.test', contactRole: 'chair' });
    const oldLink = linkIn((await outboxTo(t, 'carla@wrong.test'))[0]!.body, '/board-feedback')!;
    expect((await new Client(t).get(oldLink)).statusCode).toBe(404);
    expect(await outboxTo(t, 'carla@oakfield.test')).toHaveLength(1);
    // Removing asks first; a second press is told, not "not found".
    expect(text((await me.get(`${board}/${row!.id}/remove`)).body)).toContain('Remove this presentation?');
    await me.post(`${board}/${row!.id}/remove`, {});
    const twice = await me.post(`${board}/${row!.id}/remove`, {});
    expect(text((await me.get(twice.headers.location as string)).body)).toContain('That presentation was already removed.');
  });

  it('drops a file sent by mistake from a log entry, and deletes entries removed more than seven days ago with their files', async () => {
    const me = await participant.signIn(nextIp());
    const log = `/programme/${eid}/assessment/project-log`;
    await me.upload(log, { ...dateFields('workedOn', '2026-11-23'), hours: '1', minutes: '', reflection: 'Photo of the display.' }, { name: 'photo.pdf', content: '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n' });
    const [entry] = await t.database.db.select().from(projectLogEntries).where(eq(projectLogEntries.reflection, 'Photo of the display.'));
    const minutes = await me.post(`${log}/${entry!.id}`, { ...dateFields('workedOn', '2026-11-23'), hours: '1', minutes: '75', reflection: 'Photo of the display.' });
    expect(minutes.body).toContain('href="#minutes"');
    await me.post(`${log}/${entry!.id}`, { ...dateFields('workedOn', '2026-11-23'), hours: '1', minutes: '0', reflection: 'Display of pupils’ work.', removeFile: 'yes' });
    const [changed] = await t.database.db.select().from(projectLogEntries).where(eq(projectLogEntries.id, entry!.id));
    expect(changed).toMatchObject({ fileKey: null, fileName: null, reflection: 'Display of pupils’ work.' });
    expect(await t.services.assessment.projectEntryFile(setUp, eid, entry!.id).catch((e: Error) => e.message)).toBe('The file could not be found');
    await me.post(`${log}/${entry!.id}`, { action: 'remove' });
    const twice = await me.post(`${log}/${entry!.id}`, { action: 'remove' });
    expect(text((await me.get(twice.headers.location as string)).body)).toContain('That entry was already removed.');
    t.clock.set('2026-12-03T10:00:00Z');
    try {
      expect(await t.services.assessment.purgeRemovedProjectEntries()).toBe(1);
    } finally {
      t.clock.set(FROZEN_NOW);
    }
    expect(await t.database.db.select().from(projectLogEntries).where(eq(projectLogEntries.id, entry!.id))).toHaveLength(0);
  });
});

describe('who sees a participant’s evidence', () => {
  const pages = () => [`/programme/${eid}/assessment`, `/programme/${eid}/assessment/project-log`, `/programme/${eid}/assessment/placement/task-2`, `/programme/${eid}/assessment/board`];

  it('refuses another participant, a facilitator and another partner’s lead every page, file and change, as not found', async () => {
    const [entry] = await t.database.db.select().from(projectLogEntries).where(eq(projectLogEntries.enrolmentId, eid));
    const otherPartner = (await t.services.catalogue.partnersAndVenues(setUp)).partners.find((p) => p.id !== partnerId)!.id;
    const strangers: Client[] = [
      await other.person.signIn(nextIp()),
      await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(nextIp()),
      await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: otherPartner } })).signIn(nextIp()),
    ];
    for (const c of strangers) {
      for (const page of [...pages(), `/programme/${eid}/assessment/project-log/${entry!.id}/file`]) expect((await c.get(page)).statusCode, page).toBe(404);
      const posted = await c.post(`/programme/${eid}/assessment/project-log`, { ...dateFields('workedOn', '2026-11-20'), hours: '1', reflection: 'Not mine' }, { follow: false });
      expect(posted.statusCode).toBe(404);
    }
    for (const page of pages()) expect((await new Client(t).get(page)).statusCode).toBe(303);
    expect(await t.database.db.select().from(projectLogEntries).where(eq(projectLogEntries.reflection, 'Not mine'))).toHaveLength(0);
  });

  it('lets the partner’s lead and the admin read it, and neither record anything', async () => {
    const lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(nextIp());
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
    for (const c of [lead, admin]) {
      for (const page of pages()) expect((await c.get(page)).statusCode, page).toBe(200);
      const log = (await c.get(`/programme/${eid}/assessment/project-log`)).body;
      expect(log).toContain('Planned the intervention; agreed measures.');
      expect(log).not.toContain('Log this time');
      const posted = await c.post(`/programme/${eid}/assessment/project-log`, { ...dateFields('workedOn', '2026-11-20'), hours: '1', reflection: 'Staff entry' }, { follow: false });
      expect(posted.statusCode).toBe(404);
    }
  });

  it('refuses nonsense addresses and links as not found, never an error', async () => {
    const me = await participant.signIn(nextIp());
    for (const page of [`/programme/not-a-uuid/assessment`, `/programme/${eid}/assessment/placement/task-1`, `/programme/${eid}/assessment/project-log/${eid}`]) {
      expect((await me.get(page)).statusCode, page).toBe(404);
    }
    for (const link of ['/placement-days/short', `/placement-days/${'x'.repeat(43)}`, `/board-feedback/${'y'.repeat(43)}`]) expect((await new Client(t).get(link)).statusCode, link).toBe(404);
    const visitor = new Client(t);
    await visitor.get('/sign-in');
    expect((await visitor.post(`/board-feedback/${'y'.repeat(43)}`, { name: 'x', feedback: 'y' })).statusCode).toBe(404);
  });
});
