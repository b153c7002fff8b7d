import { Csrf } from '../../platform/csrf';
import type { FieldErrors } from '../../platform/errors';
import { one } from '../../platform/forms';
import type { PageContext } from '../../platform/page-context';
import { Button, Input, Table, Textarea } from '../../ui/govuk';
import { bandOf, MARK_COMMENT_MAX, type MarkScheme, type Marks, outOf } from '../domain/mark-scheme';
import type { BlindScript, Marking } from '../marking/scripts';
import type { AccountBlock } from '../domain/word-count';

type Body = Record<string, unknown>;

/** "Not started", "Draft: 26 so far", "Submitted: pass (28 of 40)". */
export function markingText(s: Pick<BlindScript, 'marking' | 'task'>): string {
  const m = s.marking;
  const out = outOf(s.task.markScheme);
  if (!m) return 'Not started';
  if (m.status === 'draft') return `Draft: ${m.total} of ${out} so far`;
  return `Submitted: ${m.result === 'pass' ? 'pass' : 'fail'} (${m.total} of ${out})`;
}

/** The marks as typed (after a refusal) or as saved, as form values by field name. */
export function formValues(scheme: MarkScheme, marks: Marks | undefined, overall: string | undefined): Body {
  const v: Body = { overall: overall ?? '' };
  for (const c of scheme.criteria) {
    v[`mark-${c.key}`] = String(marks?.[c.key]?.mark ?? '');
    v[`comment-${c.key}`] = marks?.[c.key]?.comment ?? '';
  }
  return v;
}


/**
 * The mark form (issue 12 items 4 and 5): each criterion with what markers look for, its grade
 * descriptors, a mark and a comment; an overall comment; saved as a draft or submitted. The same for
 * an assessor, a moderator's second marking and a third marker's.
 */
export function MarkForm(p: { ctx: PageContext; scheme: MarkScheme; action: string; values: Body; errors: FieldErrors | undefined }) {
  const scheme = p.scheme;
  return (
    <form method="post" action={p.action} novalidate>
      <Csrf ctx={p.ctx} />
      {p.errors ? <p class="govuk-body">Everything else you typed is saved as a draft: put right what is shown, then save or submit again.</p> : null}
      {scheme.criteria.map((c) => (
        <fieldset class="govuk-fieldset app-criterion">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{c.title}</legend>
          <p class="govuk-body">{c.looksFor}</p>
          <Table
            caption={`Grade descriptors: ${c.title}`}
            captionClasses="govuk-table__caption--s"
            head={[{ text: 'Marks' }, { text: 'Band' }, { text: 'The account shows' }]}
            rows={c.descriptors.map((d) => [{ text: d.from === d.to ? String(d.from) : `${d.from} to ${d.to}` }, { text: d.band }, { text: d.descriptor }])}
          />
          <Input id={`mark-${c.key}`} name={`mark-${c.key}`} inputmode="numeric" classes="govuk-input--width-3" label={{ text: `Mark for ${c.title}, out of ${c.maxMarks}`, classes: 'govuk-label--s' }} hint={{ text: (() => {
            const given = Number(one(p.values[`mark-${c.key}`]));
            const band = one(p.values[`mark-${c.key}`]) !== '' && Number.isInteger(given) ? bandOf(c, given) : undefined;
            return band ? `${given} is ${band.band}. At least ${c.passFrom} to pass.` : `At least ${c.passFrom} to pass.`;
          })() }} value={String(p.values[`mark-${c.key}`] ?? '')} errorMessage={p.errors?.[`mark-${c.key}`] ? { text: p.errors![`mark-${c.key}`]! } : undefined} />
          <Textarea id={`comment-${c.key}`} name={`comment-${c.key}`} rows={4} label={{ text: `Comment on ${c.title}`, classes: 'govuk-label--s' }} hint={{ text: `Why it earns this mark. Up to ${MARK_COMMENT_MAX.toLocaleString('en-GB')} characters.` }} value={one(p.values[`comment-${c.key}`])} errorMessage={p.errors?.[`comment-${c.key}`] ? { text: p.errors![`comment-${c.key}`]! } : undefined} />
        </fieldset>
      ))}
      <Textarea id="overall" name="overall" rows={5} label={{ text: 'Overall comment', classes: 'govuk-label--m' }} hint={{ text: 'What the candidate did well, and what would have improved the account. The result, pass or fail, follows from the marks.' }} value={one(p.values.overall)} errorMessage={p.errors?.overall ? { text: p.errors!.overall! } : undefined} />
      <p class="govuk-body">Submitted marks cannot be changed. Save as a draft to come back to them.</p>
      <div class="govuk-button-group">
        <Button text="Save as a draft" classes="govuk-button--secondary" attributes={{ name: 'action', value: 'save' }} />
        <Button text="Submit the marks" attributes={{ name: 'action', value: 'submit' }} preventDoubleClick />
      </div>
    </form>
  );
}

/** Submitted marks, criterion by criterion with their comments, and the total with the overall comment. */
export function MarksTable(p: { scheme: MarkScheme; marking: Marking; caption: string }) {
  return (
    <Table
      caption={p.caption}
      captionClasses="govuk-table__caption--s"
      head={[{ text: 'Criterion' }, { text: 'Mark', format: 'numeric' }, { text: 'Comment' }]}
      rows={[
        ...p.scheme.criteria.map((c) => {
          const m = p.marking.marks[c.key];
          return [{ text: c.title }, { text: `${m?.mark ?? '–'} of ${c.maxMarks}`, format: 'numeric' as const }, { text: m?.comment ?? '' }];
        }),
        [{ text: 'Overall' }, { text: `${p.marking.total} of ${outOf(p.scheme)}: ${p.marking.result === 'pass' ? 'pass' : 'fail'}`, format: 'numeric' as const }, { text: p.marking.overallComment }],
      ]}
    />
  );
}

/**
 * The script's text, to read beside the mark form (issue 12 items 4 and 5): its headings and
 * paragraphs as the platform read them from the file, in a panel that opens and closes (a details
 * element: no JavaScript needed). The file itself is there to download for tables and layout.
 */
export function ScriptText(p: { blocks: readonly AccountBlock[] | null }) {
  if (!p.blocks) return <p class="govuk-body">The script’s text cannot be shown here: download it to read it.</p>;
  return (
    <details class="govuk-details" open>
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">The script’s text</span>
      </summary>
      <div class="govuk-details__text app-script-text">
        <p class="govuk-body-s">As read from the file, for reading beside your marks: tables, images and layout are in the file itself.</p>
        {p.blocks.map((b) => (b.kind === 'heading' ? <p class="govuk-body govuk-!-font-weight-bold">{b.text}</p> : <p class={b.kind === 'paragraph' ? 'govuk-body' : 'govuk-body-s'}>{b.text}</p>))}
      </div>
    </details>
  );
}

/** The summary rows every marker's page opens with: the script to download (by its candidate number) and its words against the limit. */
export const scriptRows = (s: Pick<BlindScript, 'candidateNumber' | 'fileType' | 'wordsCounted' | 'wordLimit' | 'overLimit'>, base: '/marking' | '/moderation') => [
  { key: { text: 'Script' }, value: { html: `<a class="govuk-link" href="${base}/${s.candidateNumber}/script" download>Download the script (${s.fileType === 'pdf' ? 'PDF' : 'Word document'})</a>` } },
  { key: { text: 'Words' }, value: { text: `${s.wordsCounted.toLocaleString('en-GB')} counted of the ${s.wordLimit.toLocaleString('en-GB')} allowed${s.overLimit ? ': over the limit' : ''}` } },
];
