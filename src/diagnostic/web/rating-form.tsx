import type { ComponentChildren } from 'preact';
import { Csrf } from '../../platform/csrf';
import type { FieldErrors } from '../../platform/errors';
import type { PageContext } from '../../platform/page-context';
import { CharacterCount, Radios } from '../../ui/govuk';
import type { Answers, Instrument } from '../domain/instrument';

const NOT_ABLE = 'na';
type Body = Record<string, string | undefined>;

/** The form's fields back as answers: `r:<statement>` is a scale value or "na"; `c:<question>` free text. */
export function answersFromForm(instrument: Instrument, body: Body): Answers {
  const ratings: Answers['ratings'] = {};
  for (const b of instrument.behaviours) {
    for (const s of b.statements) {
      const v = body[`r:${s.id}`];
      if (v === NOT_ABLE) ratings[s.id] = null;
      else if (v !== undefined && v !== '') ratings[s.id] = Number(v);
    }
  }
  const comments: Answers['comments'] = {};
  for (const q of instrument.openQuestions) {
    const text = (body[`c:${q.id}`] ?? '').trim();
    if (text) comments[q.id] = text;
  }
  return { ratings, comments };
}

/** Field errors keyed by statement id, turned into the form's field names for the error summary. */
export const formErrors = (errors: FieldErrors | undefined) => (errors ? Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.includes('-') ? `r:${k}` : `c:${k}`, v])) : undefined);

/** Every statement, grouped by behaviour, rated on the scale or "not able to say"; then the open questions. */
export function RatingForm(p: { ctx: PageContext; instrument: Instrument; answers: Answers; errors?: FieldErrors | undefined; action: string; children: ComponentChildren }) {
  const v = (id: string) => (p.answers.ratings[id] === null ? NOT_ABLE : p.answers.ratings[id] === undefined ? undefined : String(p.answers.ratings[id]));
  return (
    <form method="post" action={p.action} novalidate>
      <Csrf ctx={p.ctx} />
      {p.instrument.behaviours.map((b) => (
        <section class="app-behaviour" aria-labelledby={`behaviour-${b.id}`}>
          <h2 class="govuk-heading-m" id={`behaviour-${b.id}`}>
            {b.name}
          </h2>
          <p class="govuk-body">{b.description}</p>
          {b.statements.map((s) => (
            <Radios
              idPrefix={`r:${s.id}`}
              name={`r:${s.id}`}
              classes="govuk-radios--small govuk-radios--inline"
              fieldset={{ legend: { text: s.text, classes: 'govuk-fieldset__legend--s' } }}
              errorMessage={p.errors?.[s.id] ? { text: p.errors[s.id]! } : undefined}
              value={v(s.id)}
              items={[...p.instrument.scale.points.map((pt) => ({ value: String(pt.value), text: pt.label })), { value: NOT_ABLE, text: p.instrument.scale.notAbleToSay }]}
            />
          ))}
        </section>
      ))}
      {p.instrument.openQuestions.map((q) => (
        <CharacterCount id={`c:${q.id}`} name={`c:${q.id}`} maxlength={2000} rows={4} label={{ text: `${q.prompt} (optional)`, classes: 'govuk-label--s' }} value={p.answers.comments[q.id] ?? ''} errorMessage={p.errors?.[q.id] ? { text: p.errors[q.id]! } : undefined} />
      ))}
      {p.children}
    </form>
  );
}
