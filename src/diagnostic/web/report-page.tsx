import { formatDate } from '../../platform/clock';
import { SummaryList, Table } from '../../ui/govuk';
import type { DiagnosticService } from '../diagnostic.service';
import type { StatementScore } from '../domain/report';
import { BarChart, RadarChart } from './charts';

type ReportData = Awaited<ReturnType<DiagnosticService['report']>>;
const score = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toFixed(1));
const signed = (n: number | null) => (n === null ? '–' : `${n > 0 ? '+' : ''}${n.toFixed(1)}`);

function StatementList({ items, empty, label }: { items: StatementScore[]; empty: string; label: string }) {
  if (!items.length) return <p class="govuk-body">{empty}</p>;
  return (
    <Table
      label={label}
        head={[{ text: 'Statement' }, { text: 'Behaviour' }, { text: 'You', format: 'numeric' }, { text: 'Colleagues', format: 'numeric' }]}
        rows={items.map((s) => [{ text: s.text }, { text: s.behaviourName }, { text: score(s.self), format: 'numeric' }, { text: score(s.others), format: 'numeric' }])}
      />
  );
}

/**
 * Whose report it is, for the page and the PDF alike: the participant's name, the NPQ, the round and
 * the day it was produced (so a printed copy says what it is).
 */
export function ReportHeading({ data, npq, round, level = 'page' }: { data: ReportData; npq: string; round: string; level?: 'page' | 'pdf' }) {
  return (
    <header class="app-report-heading">
      <span class="govuk-caption-l">360° leadership report</span>
      <h1 class="govuk-heading-xl">{level === 'pdf' ? `${data.participant}: ${round}` : round}</h1>
      <SummaryList
        classes="govuk-summary-list--no-border"
        rows={[
          { key: { text: 'Participant' }, value: { text: data.participant } },
          { key: { text: 'NPQ' }, value: { text: npq } },
          { key: { text: 'Round' }, value: { text: `${round}, ${formatDate(data.round.opensOn)} to ${formatDate(data.round.closesOn)}` } },
          { key: { text: 'Produced on' }, value: { text: formatDate(data.producedOn) } },
        ]}
      />
    </header>
  );
}

/** The report's body: the same for the page, its print and the PDF. Everything here comes through the anonymity rule. */
export function ReportBody({ data }: { data: ReportData }) {
  const { report, visible, instrument } = data;
  const max = Math.max(...instrument.scale.points.map((p) => p.value));
  const names = report.behaviours.map((b) => b.name);
  const self = report.behaviours.map((b) => b.self);
  const others = report.behaviours.map((b) => b.others);
  return (
    <>
      <p class="govuk-body-l">
        {report.respondents ? `${report.respondents} colleagues’ answers are shown${visible.withheld ? `; ${visible.withheld} more are held back because too few people in their groups gave a rating` : ''}.` : 'Too few colleagues answered for their scores to be shown without identifying them.'}
      </p>
      <p class="govuk-body">Scores are averages on a scale of 1 ({instrument.scale.points[0]?.label}) to {max} ({instrument.scale.points.at(-1)?.label}). “Not able to say” answers are left out, and a score is shown only where enough colleagues gave a rating; “–” marks the others.</p>
      <ul class="app-key" aria-hidden="true">
        <li>
          <span class="app-key__swatch app-series--self" />
          You
        </li>
        <li>
          <span class="app-key__swatch app-series--others" />
          Colleagues
        </li>
      </ul>
      <h2 class="govuk-heading-l">The seven behaviours</h2>
      <RadarChart title="Radar chart: your ratings of yourself and your colleagues’ ratings of you, per behaviour. The table below gives the figures." axes={names} max={max} series={[{ label: 'You', className: 'app-series--self', values: self }, { label: 'Colleagues', className: 'app-series--others', values: others }]} />
      <Table
        label="Per behaviour: you, your colleagues, and each group shown"
          caption="Per behaviour: you, your colleagues, and each group shown"
          captionClasses="govuk-table__caption--m"
          head={[{ text: 'Behaviour' }, { text: 'You', format: 'numeric' }, { text: 'Colleagues', format: 'numeric' }, ...visible.groups.map((g) => ({ text: `${g.label}${g.named ? ' (named)' : ''} (${g.count})`, format: 'numeric' as const }))]}
          rows={report.behaviours.map((b) => [{ text: b.name }, { text: score(b.self), format: 'numeric' }, { text: score(b.others), format: 'numeric' }, ...b.byGroup.map((g) => ({ text: score(g.score), format: 'numeric' as const }))])}
        />
      <BarChart title="Bar chart: your ratings and your colleagues’ ratings per behaviour, the same figures as the table above." rows={names} max={max} series={[{ label: 'You', className: 'app-series--self', values: self }, { label: 'Colleagues', className: 'app-series--others', values: others }]} />
      {data.growth ? (
        <>
          <h2 class="govuk-heading-l">How far you have grown</h2>
          <Table
            label="Start of the programme against the end"
              caption="Start of the programme against the end"
              captionClasses="govuk-table__caption--m"
              head={[{ text: 'Behaviour' }, { text: 'Colleagues at the start', format: 'numeric' }, { text: 'Colleagues at the end', format: 'numeric' }, { text: 'Change', format: 'numeric' }, { text: 'You: change', format: 'numeric' }]}
              rows={data.growth.map((g) => [{ text: g.name }, { text: score(g.othersStart), format: 'numeric' }, { text: score(g.othersEnd), format: 'numeric' }, { text: signed(g.othersChange), format: 'numeric' }, { text: signed(g.selfChange), format: 'numeric' }])}
            />
        </>
      ) : null}
      <h2 class="govuk-heading-l">Highest and lowest rated</h2>
      <h3 class="govuk-heading-m">Highest</h3>
      <StatementList items={report.highest} empty="Not enough answers to show." label="Highest rated statements" />
      <h3 class="govuk-heading-m">Lowest</h3>
      <StatementList items={report.lowest} empty="Not enough answers to show." label="Lowest rated statements" />
      <h2 class="govuk-heading-l">Where you and your colleagues disagree</h2>
      <h3 class="govuk-heading-m">Blind spots: you rate yourself higher</h3>
      <StatementList items={report.blindSpots} empty="None: where you rated yourself, colleagues broadly agree." label="Blind spots" />
      <h3 class="govuk-heading-m">Hidden strengths: colleagues rate you higher</h3>
      <StatementList items={report.hiddenStrengths} empty="None: colleagues do not rate you much higher than you rate yourself anywhere." label="Hidden strengths" />
      <h2 class="govuk-heading-l">What colleagues said</h2>
      {instrument.openQuestions.map((q) => (
        <>
          <h3 class="govuk-heading-s">{q.prompt}</h3>
          {visible.comments[q.id]?.length ? (
            <ul class="govuk-list govuk-list--bullet">
              {visible.comments[q.id]!.map((c) => (
                <li class="app-prewrap">{c}</li>
              ))}
            </ul>
          ) : (
            <p class="govuk-body">No comments to show. Comments are shown only when enough colleagues answered that no one’s can be told apart.</p>
          )}
          {visible.namedComments
            .filter((c) => c.questionId === q.id)
            .map((c) => (
              <p class="govuk-body app-prewrap">
                <strong>{c.group}:</strong> {c.text}
              </p>
            ))}
        </>
      ))}
    </>
  );
}
