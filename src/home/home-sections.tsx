import { STATUS_LABELS, type ApplicationStatus } from '../enrolment/domain/application';
import type { Actor } from '../platform/auth/actor';
import { abilitiesFor } from './domain/home.policy';
import { formatDate } from '../platform/clock';
import { LinkList } from '../platform/link-list';
import { Table } from '../ui/govuk';
import type { Home } from './home.service';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const ROUND_NAMES = { start: 'Start round', end: 'End round' } as const;

/** The sections of someone's home page that apply to them, in the order homeSectionsFor gives. */
export function HomeSections({ home }: { home: Home }) {
  const courseName = (id: string) => home.courseNames.get(id) ?? id;
  return (
    <>
      {home.sections.map((section) => {
        switch (section) {
          case 'inbox':
          case 'partner_applications':
            return (
              <section data-home-section={section}>
                <h2 class="govuk-heading-m">{section === 'inbox' ? 'Applications' : 'Your delivery partner’s applications'}</h2>
                <ul class="govuk-list">
                  <li>
                    <a class="govuk-link" href="/admin/applications?status=pending">
                      {plural(home.inbox!.pending, 'application')} waiting for a decision
                    </a>
                  </li>
                  <li>
                    <a class="govuk-link" href="/admin/applications?status=pending&amp;approval=pending">
                      {plural(home.inbox!.awaitingSchool, 'application')} waiting for the school’s approval
                    </a>
                  </li>
                  <li>
                    <a class="govuk-link" href="/admin/applications?status=accepted">
                      {plural(home.inbox!.participants, 'participant')}
                    </a>
                  </li>
                </ul>
              </section>
            );
          case 'gateway':
            return (
              <section data-home-section={section}>
                <h2 class="govuk-heading-m">NPQH gateway assessments</h2>
                <p class="govuk-body">
                  <a class="govuk-link" href="/admin/gateway">
                    {plural(home.gatewayWaiting!, 'assessment')} waiting for review
                  </a>
                </p>
              </section>
            );
          case 'approvals':
            return (
              <section data-home-section={section}>
                <h2 class="govuk-heading-m">Approvals waiting for you</h2>
                {home.approvals!.length ? (
                  <>
                    <p class="govuk-body">You are named as these teachers’ line manager. Approve or decline each through the link we emailed you.</p>
                    <Table
                      caption="Applications waiting for your approval"
                      captionClasses="govuk-visually-hidden"
                      head={[{ text: 'Applicant' }, { text: 'NPQ' }, { text: 'Asked on' }]}
                      rows={home.approvals!.map((a) => [{ text: a.fullName }, { text: courseName(a.courseIdentifier) }, { text: a.approvalRequestedAt ? formatDate(a.approvalRequestedAt) : '' }])}
                    />
                  </>
                ) : (
                  <p class="govuk-body">
                    No applications are waiting for your approval. When a teacher names you as their line manager, we email you a link to approve their application, and it is listed here too.
                  </p>
                )}
              </section>
            );
          case 'cohorts_360':
            return (
              <section data-home-section={section}>
                <h2 class="govuk-heading-m">360° leadership diagnostic by cohort</h2>
                {home.cohorts!.length ? (
                  <Table
                    caption="Progress of open 360° rounds by cohort"
                    captionClasses="govuk-visually-hidden"
                    head={[{ text: 'Cohort' }, { text: 'Participants', format: 'numeric' }, { text: 'Sent their own ratings', format: 'numeric' }, { text: 'Colleagues answered', format: 'numeric' }]}
                    rows={home.cohorts!.map((c) => [
                      { html: `<a class="govuk-link" href="/admin/diagnostic/cohorts/${encodeURIComponent(c.cohort)}">Cohort ${c.cohort}</a>` },
                      { text: c.participants, format: 'numeric' },
                      { text: `${c.selfSent} of ${c.openRounds} open`, format: 'numeric' },
                      { text: `${c.colleaguesAnswered} of ${c.colleaguesAsked}`, format: 'numeric' },
                    ])}
                  />
                ) : (
                  <p class="govuk-body">No cohort has 360° dates yet.</p>
                )}
              </section>
            );
          case 'users':
            return (
              <section data-home-section={section}>
                <h2 class="govuk-heading-m">People</h2>
                <p class="govuk-body">
                  <a class="govuk-link" href="/admin/users">
                    {plural(home.users!, 'account')} you manage
                  </a>
                </p>
              </section>
            );
          case 'own_applications':
            return (
              <section data-home-section={section}>
                <h2 class="govuk-heading-m">Your NPQ applications</h2>
                {home.ownApplications!.length ? (
                  <ul class="govuk-list govuk-list--bullet">
                    {home.ownApplications!.map((a) => (
                      <li>
                        {courseName(a.courseIdentifier)}: {STATUS_LABELS[a.status as ApplicationStatus]}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p class="govuk-body">
                    You have not applied for an NPQ yet. <a class="govuk-link" href="/qualifications">Find an NPQ</a> and apply from its page.
                  </p>
                )}
                <p class="govuk-body">
                  <a class="govuk-link" href="/applications">
                    See your NPQ applications
                  </a>
                </p>
              </section>
            );
          case 'own_360':
            return (
              <section data-home-section={section}>
                <h2 class="govuk-heading-m">Your programme</h2>
                <p class="govuk-body">
                  Your timetable of events, briefings and online modules, what to do before each, and your progress.{' '}
                  <a class="govuk-link" href="/programme">
                    Open your programme
                  </a>
                </p>
                <h2 class="govuk-heading-m">Your 360° leadership diagnostic</h2>
                {home.ownRounds!.length ? (
                  <ul class="govuk-list govuk-list--bullet">
                    {home.ownRounds!.map((r) => (
                      <li>
                        {ROUND_NAMES[r.round.kind as keyof typeof ROUND_NAMES] ?? r.round.kind}, {courseName(r.courseIdentifier)}:{' '}
                        {r.state === 'open' ? `open until ${formatDate(r.round.closesOn)}` : r.state === 'closed' ? 'closed' : `opens on ${formatDate(r.round.opensOn)}`}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p class="govuk-body">Your 360° opens when your cohort’s dates are set: we will email you.</p>
                )}
                <p class="govuk-body">
                  <a class="govuk-link" href="/diagnostic">
                    Open your 360° leadership diagnostic
                  </a>
                </p>
              </section>
            );
          case 'coaching':
            return (
              <section data-home-section={section}>
                <h2 class="govuk-heading-m">Your coaching</h2>
                <p class="govuk-body">The participants you coach or tutor, their hours, your sessions to come and those to record.</p>
                <ul class="govuk-list">
                  <li>
                    <a class="govuk-link" href="/coaching">
                      Open your coaching
                    </a>
                  </li>
                  <li>
                    <a class="govuk-link" href="/coaching/slots">
                      Publish and manage your free times
                    </a>
                  </li>
                </ul>
              </section>
            );
          case 'marking':
            return (
              <section data-home-section={section}>
                <h2 class="govuk-heading-m">Your marking</h2>
                <p class="govuk-body">The scripts given to you, each known by its candidate number, and your marks on them.</p>
                <ul class="govuk-list">
                  {home.roles.includes('assessor') ? (
                    <li>
                      <a class="govuk-link" href="/marking">
                        Open your scripts to mark
                      </a>
                    </li>
                  ) : null}
                  {home.roles.includes('moderator') ? (
                    <li>
                      <a class="govuk-link" href="/moderation">
                        Open your scripts to moderate
                      </a>
                    </li>
                  ) : null}
                </ul>
              </section>
            );
          default:
            return null;
        }
      })}
    </>
  );
}

/** Links to the tools someone's permissions open, and the account pages everyone has. */
export function Tools({ actor }: { actor: Actor }) {
  const may = abilitiesFor(actor);
  const tools: [string, string, boolean][] = [
    ['/admin/diagnostic', 'Run the 360° diagnostic', may.runDiagnostic],
    ['/assessment/submissions', 'Assessment: written accounts and their dates', may.manageAssessment],
    ['/assessment/allocation', 'Allocate scripts for marking', may.manageAssessment],
    ['/assessment/moderation', 'Moderation: the sample and agreement', may.manageAssessment],
    ['/assessment/results', 'Results, their release and reviews of marking', may.manageAssessment],
    ['/admin/catalogue', 'Manage the catalogue', may.manageCatalogue],
    ['/admin/cohorts', 'Cohorts', may.manageCohorts],
    ['/admin/reference', 'Schools and eligibility lists', may.manageReferenceData],
    ['/admin/audit', 'Read the audit log', may.readAudit],
    ['/admin/api-tokens', 'API tokens', may.manageApiTokens],
    ['/admin/outbox', 'Sent email', may.readOutbox],
    ['/admin/dfe/declarations', 'Declarations to DfE', may.readDeclarations],
    ['/admin/dfe/finance', 'Finance: DfE’s statements, expected against paid', may.readFinance],
    ['/admin/dfe', 'DfE’s API: pulls and calls', may.readDfe],
    ['/account/sessions', 'Where you are signed in', true],
    ['/qualifications', 'Browse qualifications', true],
  ];
  return (
    <>
      <h2 class="govuk-heading-m">Your account and tools</h2>
      <LinkList links={tools.filter(([, , allowed]) => allowed).map(([href, text]) => [href, text] as const)} />
    </>
  );
}
