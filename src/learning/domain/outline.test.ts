import { describe, expect, it } from 'vitest';
import { NPQH_PROGRAMME, NPQLT_PROGRAMME } from '../seed-programmes';
import { programmeFromOutline, programmeToOutline } from './outline';

describe('a programme as an outline an admin edits', () => {
  it('reads back exactly what it wrote, for both seeded programmes', () => {
    for (const p of [NPQH_PROGRAMME, NPQLT_PROGRAMME]) expect(programmeFromOutline(programmeToOutline(p), p)).toEqual({ ok: true, content: p });
  });

  it('builds a short programme from nothing, giving new pieces keys', () => {
    const r = programmeFromOutline(
      [
        'Course: Leading well',
        '  Module: Starting out (120 minutes)',
        '    Reading: The evidence',
        '      | ## Read this',
        '      |',
        '      | - first',
        '    Video: A talk https://video.example.org/1',
        '    Core task: Your plan',
        'Event: Day one (360 minutes)',
        '  Agenda: Welcome',
        '  Pre-work: Before day one',
        '    | Bring a lesson plan.',
        '  Catch-up: If you missed day one',
        '    | Watch the recording, then write what you would change.',
        'Briefing: How it runs (60 minutes)',
      ].join('\n'),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.content.courses[0]).toMatchObject({ key: 'c1', modules: [{ key: 'c1m1', minutes: 120, activities: [{ key: 'c1m1a1', kind: 'page', body: '## Read this\n\n- first' }, { key: 'c1m1a2', kind: 'video', url: 'https://video.example.org/1' }, { key: 'c1m1a3', kind: 'core_task' }] }] });
    expect(r.content.events[0]).toEqual({ key: 'e1', title: 'Day one', minutes: 360, agenda: ['Welcome'], preWork: { title: 'Before day one', body: 'Bring a lesson plan.' }, catchUp: { title: 'If you missed day one', body: 'Watch the recording, then write what you would change.' } });
    expect(programmeFromOutline(programmeToOutline(r.content), r.content)).toEqual(r);
    expect(r.content.briefings[0]).toEqual({ key: 'b1', title: 'How it runs', minutes: 60, description: '' });
  });

  it('keeps keys it is given, and never gives a new piece the key of a removed one', () => {
    const edited = programmeFromOutline('Event: New day (60 minutes)\nEvent: Event 2 {e2} (360 minutes)', NPQLT_PROGRAMME);
    expect(edited.ok && edited.content.events.map((e) => e.key)).toEqual(['e3', 'e2']);
  });

  it('names a file uploaded for the programme by its name, keeping which file and what it is, and writes the name back', () => {
    const materials = [{ id: '6f1c0e5e-5d1a-4a52-9b3e-1a2b3c4d5e6f', name: 'NPQH-handbook.pdf', type: 'pdf', size: 120_000 }];
    const r = programmeFromOutline('Course: A\n  Module: B (60 minutes)\n    File: The handbook npqh-handbook.pdf\n    File: Slides elsewhere {c1m1a9} https://files.example.org/slides.pptx', undefined, materials);
    expect(r.ok && r.content.courses[0]!.modules[0]!.activities).toEqual([
      { key: 'c1m1a1', kind: 'file', title: 'The handbook', body: '', material: materials[0] },
      { key: 'c1m1a9', kind: 'file', title: 'Slides elsewhere', body: '', url: 'https://files.example.org/slides.pptx' },
    ]);
    if (!r.ok) return;
    expect(programmeToOutline(r.content)).toContain('    File: The handbook {c1m1a1} NPQH-handbook.pdf');
    expect(programmeFromOutline(programmeToOutline(r.content), r.content, materials)).toEqual(r);
    expect(programmeFromOutline('Course: A\nModule: B (60 minutes)\nFile: The handbook handbook-2027.pdf', undefined, materials)).toEqual({ ok: false, message: 'Line 3: no file named “handbook-2027.pdf” is uploaded for this programme. Upload it on the programme’s files page first, or check the name. Files uploaded: NPQH-handbook.pdf.' });
    expect(programmeFromOutline('Course: A\nModule: B (60 minutes)\nFile: The handbook', undefined, materials)).toEqual({ ok: false, message: 'Line 3: end the line with the name of a file uploaded on the programme’s files page, like “handbook.pdf”, or with the file’s address, starting https://' });
    expect(programmeFromOutline('Course: A\nModule: B (60 minutes)\nFile: Mirror https://example.org/mirror NPQH-handbook.pdf', undefined, materials)).toEqual({ ok: false, message: 'Line 3: end the line with the name of an uploaded file or with an address, not both' });
  });

  it('says which line is wrong and what to write', () => {
    const cases: [string, string][] = [
      ['Catch-up: Orphan', 'Line 1: a catch-up task belongs to an event: write an “Event:” line above it'],
      ['Module: Orphan (60 minutes)', 'Line 1: a module belongs to a course: write a “Course:” line above it'],
      ['Course: A\nModule: No minutes', 'Line 2: say how much guided learning the module is worth, like “(300 minutes)” at the end of the line'],
      ['Course: A\nModule: B (60 minutes)\nVideo: No link', 'Line 3: end the line with the video’s address, starting https://'],
      ['Course: A\nModule: B (60 minutes)\nLink: Bad javascript:alert(1)', 'Line 3: end the line with the link’s address, starting https://'],
      ['| text first', 'Line 1: a “|” line is text for the activity, pre-work, catch-up or briefing above it, and there is none'],
      ['Lesson: what', 'Line 1: start the line with what it is: Course, Module, Reading, Video, Link, File, Reflection, Core task, Event, Agenda, Pre-work, Catch-up or Briefing, then a colon; or “|” for text'],
      ['Event: A {e1} (60 minutes)\nEvent: B {e1} (60 minutes)', 'The key “e1” is used twice: each piece of a programme needs its own'],
      ['Course:  {c1}', 'Line 1: give the course a title, like “Course: Strategy & Improvement”'],
      ['', 'Write at least one course, event or briefing'],
    ];
    for (const [outline, message] of cases) expect(programmeFromOutline(outline)).toEqual({ ok: false, message });
  });
});
