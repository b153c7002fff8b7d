import type { ComponentChildren } from 'preact';
import { FormPage } from '../../platform/form-page';
import type { FieldErrors } from '../../platform/errors';
import type { PageContext } from '../../platform/page-context';
import { Csrf } from '../../platform/csrf';
import { Button, InsetText, Panel, SummaryList, WarningText } from '../../ui/govuk';
import type { FundingAnswer } from '../funding.service';
import type { QuestionView } from './eligibility-questions';

export interface StepPageProps {
  ctx: PageContext;
  action: string;
  caption: string;
  title: string;
  back: string;
  errors?: FieldErrors | undefined;
  errorTargets?: Record<string, string> | undefined;
  children: ComponentChildren;
  submit?: string;
}

/** One question, its answer kept, a way back: every step of the checker and the application looks like this. */
export function StepPage(p: StepPageProps) {
  return (
    <FormPage ctx={p.ctx} title={p.title} back={p.back} errors={p.errors} errorTargets={p.errorTargets} intro={<span class="govuk-caption-l">{p.caption}</span>}>
      <form method="post" action={p.action} novalidate>
        <Csrf ctx={p.ctx} />
        {p.children}
        <Button text={p.submit ?? 'Continue'} preventDoubleClick />
      </form>
    </FormPage>
  );
}

/**
 * A question as a page: its fields inside the step's own form, or, for a question that needs more
 * than one form (the school search), the question's whole content under the same heading.
 */
export function QuestionPage(p: Omit<StepPageProps, 'title' | 'children' | 'errorTargets'> & { view: QuestionView; intro?: ComponentChildren }) {
  const { view } = p;
  if (view.whole) {
    return (
      <FormPage ctx={p.ctx} title={view.title} back={p.back} errors={p.errors} errorTargets={view.errorTargets} intro={<span class="govuk-caption-l">{p.caption}</span>}>
        {view.whole(p.ctx)}
      </FormPage>
    );
  }
  return (
    <StepPage ctx={p.ctx} action={p.action} caption={p.caption} title={view.title} back={p.back} errors={p.errors} errorTargets={view.errorTargets} submit={p.submit}>
      {p.intro}
      {view.fields}
    </StepPage>
  );
}

export function FundingStartPage({ ctx }: { ctx: PageContext }) {
  return (
    <FormPage ctx={ctx} title="Check if DfE will fund your NPQ">
      <p class="govuk-body">The Department for Education (DfE) pays for many teachers and leaders to take an NPQ. Whether it pays for you depends on where you work, which NPQ, and when you start.</p>
      <p class="govuk-body">Answer a few questions: it takes about 2 minutes. You do not need an account, we do not ask who you are, and nothing is kept after you close your browser.</p>
      <InsetText text="This uses DfE's own rules and lists. The final decision is DfE's when you register." />
      <Button href="/funding/start-date" text="Start now" isStartButton />
    </FormPage>
  );
}

export function CheckAnswersPage({ ctx, rows, errors, back }: { ctx: PageContext; rows: { key: string; value: string; href: string }[]; errors?: FieldErrors | undefined; back: string }) {
  return (
    <FormPage ctx={ctx} title="Check your answers" back={back} errors={errors} errorTargets={Object.fromEntries(Object.keys(errors ?? {}).map((k) => [k, 'answers']))}>
      <div id="answers">
        <SummaryList
          rows={rows.map((r) => ({
            key: { text: r.key },
            value: { text: r.value },
            actions: { items: [{ href: r.href, text: 'Change', visuallyHiddenText: r.key.toLowerCase() }] },
          }))}
        />
      </div>
      <form method="post" action="/funding/check" novalidate>
        <Csrf ctx={ctx} />
        <Button text="See the result" preventDoubleClick />
      </form>
    </FormPage>
  );
}

export function ResultPage({ ctx, answer, courseName, courseHref }: { ctx: PageContext; answer: FundingAnswer; courseName: string; courseHref: string }) {
  const heading = answer.funded ? 'DfE will fund your NPQ' : answer.subject_to_review ? 'DfE will review whether to fund you' : 'DfE will not fund this NPQ for you';
  return (
    <FormPage ctx={ctx} title={heading} back="/funding/check">
      {answer.funded ? <Panel titleText={courseName} text="Funded by DfE" headingLevel={2} /> : null}
      <p class="govuk-body-l" data-funding-status={answer.status_code}>
        {answer.message}
      </p>
      {!answer.funded && !answer.subject_to_review ? (
        <>
          <h2 class="govuk-heading-m">What you can do</h2>
          <ul class="govuk-list govuk-list--bullet">
            <li>Ask your school or trust whether it will pay: many do for leadership NPQs.</li>
            <li>Pay yourself, or ask your employer to.</li>
            <li>Look at other NPQs: DfE may fund a different one for you.</li>
          </ul>
        </>
      ) : null}
      <p class="govuk-body">DfE funds each NPQ once for each person: if DfE has funded you for this NPQ before, including if you withdrew or did not pass, it will not fund it again. We check this when you apply.</p>
      <WarningText text="DfE confirms funding when you register with it. This checker uses the same rules and lists." />
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href={courseHref}>
            Read about the {courseName}, its start dates and how to apply
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/funding/change">
            Change your answers
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/funding/restart">
            Start again
          </a>
        </li>
      </ul>
    </FormPage>
  );
}
