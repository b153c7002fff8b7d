import { formatDateTime } from '../../platform/clock';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { Table } from '../../ui/govuk';
import type { ApplicationRow } from '../applications.service';
import { TRAINING_STATUS_LABELS, type TrainingStatus, trainingReasonText } from '../domain/application';

/** One line of the history as the page reads it (participant_status_changes). */
export interface StatusChangeLine {
  fromStatus: TrainingStatus | null;
  toStatus: TrainingStatus;
  reason: string | null;
  changedAt: Date;
  changedBy: string;
}

const statusText = (s: TrainingStatus | null) => (s ? (TRAINING_STATUS_LABELS[s] ?? 'Unknown') : 'None');

/**
 * The staff page of a participant's training-status history on one enrolment (ADR 0036): when, from →
 * to, DfE's reason (its label and its code, as DfE's API names it) and who made the change, oldest first.
 * The first line is the acceptance (from none); for a participant accepted before the history was kept
 * it is the status found then, made by the migration.
 */
export function StatusHistoryPage({ ctx, app, courseName, history }: { ctx: PageContext; app: ApplicationRow; courseName: string; history: readonly StatusChangeLine[] }) {
  const title = `Status history: ${app.fullName}`;
  return (
    <Layout ctx={ctx} title={title}>
      <a href={`/admin/applications/${app.id}`} class="govuk-back-link">
        Back to the application
      </a>
      <span class="govuk-caption-l">{courseName}</span>
      <h1 class="govuk-heading-xl">{title}</h1>
      <p class="govuk-body">
        Training status now: <strong class="govuk-tag">{statusText(app.trainingStatus)}</strong>
        {app.trainingStatusReason ? ` ${trainingReasonText(app.trainingStatusReason)}` : ''}
      </p>
      {history.length ? (
        <Table
          caption="Changes to the training status, oldest first"
          captionClasses="govuk-table__caption--m"
          head={[{ text: 'Date' }, { text: 'Change' }, { text: 'DfE reason' }, { text: 'Made by' }]}
          rows={history.map((h) => [
            { text: formatDateTime(h.changedAt) },
            { text: `${statusText(h.fromStatus)} → ${statusText(h.toStatus)}` },
            { text: h.reason ? `${trainingReasonText(h.reason)} (${h.reason})` : '' },
            { text: h.changedBy },
          ])}
        />
      ) : (
        <p class="govuk-body">No changes recorded.</p>
      )}
    </Layout>
  );
}
