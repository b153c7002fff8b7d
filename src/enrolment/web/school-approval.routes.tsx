import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DELIVERY_MODE_LABELS, type DeliveryMode } from '../../catalogue/domain/qualification';
import { formatDate } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { FormPage } from '../../platform/form-page';
import type { PageContext } from '../../platform/page-context';
import { Button, CharacterCount, Details, Input, Panel, Radios, SummaryList } from '../../ui/govuk';
import { TEXT_LIMITS } from '../domain/text-limits';
import { type EnrolmentWebDeps, workplaceText } from './application.routes';

type Body = Record<string, string | undefined>;

/** The line manager's page, reached from the emailed link: no account, one form, answered once. */
export async function schoolApprovalRoutes(app: FastifyInstance, opts: EnrolmentWebDeps) {
  const { applications } = opts;

  const gone = (reply: FastifyReply) =>
    reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title="This link has expired">
          <p class="govuk-body">The link to approve this application has expired or is not valid. The applicant can send you a new one from their application page.</p>
        </FormPage>
      ),
      410,
    );

  /** The applicant, signed in, opening their own line manager's link: they may not answer it. */
  const ownApplication = (reply: FastifyReply) =>
    reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title="You cannot approve your own application">
          <p class="govuk-body">This link is for your line manager. They must approve your application for your school themself.</p>
          <p class="govuk-body">
            If you gave your own email address by mistake, <a class="govuk-link" href="/applications">go to your applications</a> and ask your line manager instead.
          </p>
        </FormPage>
      ),
      403,
    );

  const page = async (req: FastifyRequest, reply: FastifyReply, token: string, errors?: FieldErrors, typed?: Body) => {
    const found = await applications.approvalByToken(token);
    if (!found || found.expired) return gone(reply);
    const { app: a, course, intake, workplace } = found;
    if (applications.isApplicant(req.actor, a)) return ownApplication(reply);
    if (a.approvalStatus === 'pending' && a.status !== 'pending') {
      return reply.page((ctx: PageContext) => (
        <FormPage ctx={ctx} title="There is nothing to approve">
          <p class="govuk-body">{a.status === 'withdrawn' ? `${a.fullName} has withdrawn this application.` : 'This application has been decided.'} You do not need to do anything.</p>
        </FormPage>
      ));
    }
    if (a.approvalStatus !== 'pending') {
      return reply.page((ctx: PageContext) => (
        <FormPage ctx={ctx} title="Thank you: your answer is recorded">
          <Panel titleText={a.approvalStatus === 'approved' ? 'Application approved' : 'Application declined'} text={`${a.fullName}, ${course?.shortName ?? ''}`} headingLevel={2} />
          <p class="govuk-body">We have told {a.fullName}. You do not need to do anything else.</p>
        </FormPage>
      ));
    }
    const err = (k: string) => (errors?.[k] ? { text: errors[k]! } : undefined);
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title={`Approve ${a.fullName}’s NPQ application`} errors={errors} errorTargets={{ decision: 'decision' }}>
          <p class="govuk-body">{`You are named as ${a.fullName}’s line manager.`} The course needs your school’s support: time to study and attend sessions, and a project in school.</p>
          <SummaryList
            rows={[
              { key: { text: 'Applicant' }, value: { text: a.fullName } },
              { key: { text: 'Their role' }, value: { text: a.employmentRole ?? 'Not given' } },
              { key: { text: 'School or setting they named' }, value: { text: workplace ? workplaceText(workplace) : 'Not given' } },
              { key: { text: 'NPQ' }, value: { text: course?.name ?? a.courseIdentifier } },
              { key: { text: 'Intake' }, value: { text: intake ? `${intake.name}, ${DELIVERY_MODE_LABELS[intake.deliveryMode as DeliveryMode] ?? intake.deliveryMode}, starts ${formatDate(intake.startDate)}` : 'Not chosen yet: the provider places them' } },
              { key: { text: 'Time it takes' }, value: { text: course ? `${course.durationMonthsMin}${course.durationMonthsMax !== course.durationMonthsMin ? ` to ${course.durationMonthsMax}` : ''} months${course.weeklyStudyHoursMin ? `, about ${course.weeklyStudyHoursMin}${course.weeklyStudyHoursMax && course.weeklyStudyHoursMax !== course.weeklyStudyHoursMin ? ` to ${course.weeklyStudyHoursMax}` : ''} hours a week` : ''}` : '' } },
              { key: { text: 'Funding' }, value: { text: a.eligibleForFunding ? 'Eligible for DfE funding' : `Not eligible for DfE funding${a.fundingChoice === 'school' || a.fundingChoice === 'trust' ? `: the applicant says the ${a.fundingChoice} will pay` : ''}` } },
            ]}
          />
          <Details summaryText="How we use your answer" text="We record your name, your decision and your comment with the application. The applicant sees your decision and comment. We do not create an account for you." />
          <form method="post" action={`/school-approval/${encodeURIComponent(token)}`} novalidate>
            <Csrf ctx={ctx} />
            <Radios
              idPrefix="decision"
              name="decision"
              fieldset={{ legend: { text: 'Do you approve this application?', classes: 'govuk-fieldset__legend--m' } }}
              errorMessage={err('decision')}
              value={typed?.decision}
              items={[
                { value: 'approve', text: 'Yes, I approve it for my school' },
                { value: 'decline', text: 'No, I decline it' },
              ]}
            />
            <CharacterCount id="comment" name="comment" maxlength={TEXT_LIMITS.comment} label={{ text: 'Comment for the applicant', classes: 'govuk-label--s' }} hint={{ text: 'Needed if you decline. Optional if you approve.' }} value={typed?.comment} errorMessage={err('comment')} />
            <Input id="approverName" name="approverName" autocomplete="name" label={{ text: 'Your name', classes: 'govuk-label--s' }} value={typed?.approverName ?? a.lineManagerName ?? ''} errorMessage={err('approverName')} />
            <Button text="Send your answer" preventDoubleClick />
          </form>
        </FormPage>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { token: string } }>('/school-approval/:token', async (req, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    return page(req, reply, req.params.token);
  });

  app.post<{ Params: { token: string } }>('/school-approval/:token', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      await applications.decideApproval(req.params.token, body, req.actor);
      return reply.redirect(`/school-approval/${encodeURIComponent(req.params.token)}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return page(req, reply, req.params.token, err.fieldErrors, body);
      if (err instanceof AppError && err.code === 'link_expired') return gone(reply);
      if (err instanceof AppError && err.code === 'own_application') return ownApplication(reply);
      if (err instanceof AppError && (err.code === 'already_decided' || err.code === 'application_closed')) return page(req, reply, req.params.token);
      throw err;
    }
  });
}
