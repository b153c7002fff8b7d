import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageNumber, paginationFor, requireAbility } from '../../platform/admin';
import { Csrf } from '../../platform/csrf';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { FormPage } from '../../platform/form-page';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { Button, Input, InsetText, Pagination, Select, Table } from '../../ui/govuk';
import { FacilitatorSelect } from './facilitator-select';
import { escapeHtml } from '../../ui/govuk/core';
import { deliversProgrammes } from '../domain/learning.policy';
import type { LearningService } from '../learning.service';
import { GROUP_NAME_MAX } from '../plans/groups';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
const uuid = z.uuid();
const PER_PAGE = 50;

/**
 * An intake's groups (issue 10 item 2): the list with each group's facilitator and size, adding,
 * changing and removing a group, and putting participants into groups, a page of 50 at a time with a
 * search. The admin and the partner's lead change them; its facilitators read them.
 */
export async function groupsRoutes(app: FastifyInstance, opts: { learning: LearningService }) {
  const { learning } = opts;
  const guard = { preHandler: requireAbility(deliversProgrammes) };

  const listPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const g = await learning.intakeGroupsOf(req.actor, req.params.id);
    const query = (req.query ?? {}) as Body;
    const q = (typed?.q ?? one(query.q)).trim().slice(0, 100);
    const found = q ? g.participants.filter((p) => `${p.fullName} ${p.email}`.toLowerCase().includes(q.toLowerCase())) : g.participants;
    const totalPages = Math.max(1, Math.ceil(found.length / PER_PAGE));
    const page = Math.min(pageNumber(typed?.page ?? query.page), totalPages);
    const shown = found.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    const base = `/delivery/intakes/${g.intake.id}/groups`;
    const pagination = paginationFor(page, totalPages, base, { q });
    const size = (id: string) => [...g.members.values()].filter((x) => x === id).length;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Groups: ${g.intake.name}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={`/delivery/intakes/${g.intake.id}`}>
            Delivery plan
          </a>
          <span class="govuk-caption-l">{g.intake.name}</span>
          <h1 class="govuk-heading-xl">Groups</h1>
          <p class="govuk-body">Each group has its own facilitator, register and module discussions. A participant is in one group at most.</p>
          {g.groups.length ? (
            <Table
              caption="Groups"
              captionClasses="govuk-visually-hidden"
              head={[{ text: 'Group' }, { text: 'Facilitator' }, { text: 'Participants', format: 'numeric' }, { text: '', html: '<span class="govuk-visually-hidden">Actions</span>' }]}
              rows={g.groups.map((x) => [
                { text: x.name },
                { text: x.facilitatorName ?? 'Not chosen yet' },
                { text: String(size(x.id)), format: 'numeric' },
                { html: g.may.plan ? `<a class="govuk-link" href="${base}/${x.id}">Change<span class="govuk-visually-hidden"> ${escapeHtml(x.name)}</span></a>` : '' },
              ])}
            />
          ) : (
            <InsetText text="This intake has no groups: everyone is taught together." />
          )}
          {g.may.plan ? (
            <form method="post" action={base} novalidate>
              <Csrf ctx={ctx} />
              <h2 class="govuk-heading-m">Add a group</h2>
              <Input id="name" name="name" label={{ text: 'Name', classes: 'govuk-label--s' }} hint={{ text: 'Like Group A — Birmingham' }} value={typed?.form === 'add' ? typed.name : ''} errorMessage={errors?.name ? { text: errors.name } : undefined} maxlength={GROUP_NAME_MAX} />
              <FacilitatorSelect label="Facilitator" value={typed?.form === 'add' ? typed.facilitatorUserId : ''} error={errors?.facilitatorUserId} people={g.facilitators} />
              <Button text="Add the group" classes="govuk-button--secondary" preventDoubleClick />
            </form>
          ) : null}
          <h2 class="govuk-heading-m">Who is in which group</h2>
          <form method="get" action={base} novalidate>
            <Input id="q" name="q" label={{ text: 'Search by name or email address', classes: 'govuk-label--s' }} value={q} classes="govuk-!-width-one-half" maxlength={100} />
            <Button text="Search" classes="govuk-button--secondary" />
          </form>
          {shown.length ? (
            g.may.plan && g.groups.length ? (
              <form method="post" action={`${base}/members`} novalidate>
                <Csrf ctx={ctx} />
                <input type="hidden" name="q" value={q} />
                <input type="hidden" name="page" value={String(page)} />
                {shown.map((p) => (
                  <Select
                    id={`group-${p.enrolmentId}`}
                    name={`group-${p.enrolmentId}`}
                    label={{ text: p.fullName, classes: 'govuk-label--s' }}
                    value={typed?.[`group-${p.enrolmentId}`] ?? g.members.get(p.enrolmentId) ?? ''}
                    errorMessage={errors?.[`group-${p.enrolmentId}`] ? { text: errors[`group-${p.enrolmentId}`]! } : undefined}
                    items={[{ value: '', text: 'No group' }, ...g.groups.map((x) => ({ value: x.id, text: x.name }))]}
                  />
                ))}
                <Button text="Save the groups" preventDoubleClick />
              </form>
            ) : (
              <Table
                caption="Participants and their groups"
                captionClasses="govuk-visually-hidden"
                head={[{ text: 'Participant' }, { text: 'Group' }]}
                rows={shown.map((p) => [{ text: p.fullName }, { text: g.groups.find((x) => x.id === g.members.get(p.enrolmentId))?.name ?? 'No group' }])}
              />
            )
          ) : (
            <InsetText text={q ? 'No participants match your search.' : 'No participants are placed in this intake yet.'} />
          )}
          {pagination ? <Pagination {...pagination} /> : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  const validIntake = (req: FastifyRequest<{ Params: { id: string } }>) => uuid.safeParse(req.params.id).success;

  app.get<{ Params: { id: string } }>('/delivery/intakes/:id/groups', guard, async (req, reply) => (validIntake(req) ? listPage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { id: string } }>('/delivery/intakes/:id/groups', guard, async (req, reply) => {
    if (!validIntake(req)) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    try {
      await learning.saveGroup(req.actor, req.params.id, null, { name: one(b.name), facilitatorUserId: one(b.facilitatorUserId) });
    } catch (err) {
      if (err instanceof ValidationError) return listPage(req, reply, err.fieldErrors, { ...b, form: 'add' });
      throw err;
    }
    reply.flash(`The group ${one(b.name).trim()} is added. Put participants in it below.`);
    return reply.redirect(`/delivery/intakes/${req.params.id}/groups`, 303);
  });

  app.post<{ Params: { id: string } }>('/delivery/intakes/:id/groups/members', guard, async (req, reply) => {
    if (!validIntake(req)) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    const assignments: Record<string, string> = {};
    for (const [field, value] of Object.entries(b)) {
      const id = /^group-([0-9a-f-]{36})$/.exec(field)?.[1];
      if (id) assignments[id] = one(value);
    }
    let n: number;
    try {
      n = await learning.assignGroups(req.actor, req.params.id, assignments);
    } catch (err) {
      if (err instanceof ValidationError) return listPage(req, reply, err.fieldErrors, b);
      throw err;
    }
    reply.flash(n ? `Groups saved: ${n} ${n === 1 ? 'participant' : 'participants'} moved.` : 'Nothing had changed.');
    const back = new URLSearchParams(Object.entries({ q: one(b.q), page: one(b.page) }).filter(([, v]) => v && v !== '1'));
    return reply.redirect(`/delivery/intakes/${req.params.id}/groups${back.size ? `?${back}` : ''}`, 303);
  });

  const editPage = async (req: FastifyRequest<{ Params: { id: string; group: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const g = await learning.intakeGroupsOf(req.actor, req.params.id);
    const group = g.groups.find((x) => x.id === req.params.group);
    if (!group || !g.may.plan) return reply.callNotFound();
    const base = `/delivery/intakes/${g.intake.id}/groups`;
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title={`Change ${group.name}`} back={base} errors={errors} intro={<span class="govuk-caption-l">{g.intake.name}</span>}>
          <form method="post" action={`${base}/${group.id}`} novalidate>
            <Csrf ctx={ctx} />
            <Input id="name" name="name" label={{ text: 'Name', classes: 'govuk-label--s' }} value={typed?.name ?? group.name} errorMessage={errors?.name ? { text: errors.name } : undefined} maxlength={GROUP_NAME_MAX} />
            <FacilitatorSelect label="Facilitator" value={typed?.facilitatorUserId ?? group.facilitatorUserId ?? ''} error={errors?.facilitatorUserId} people={g.facilitators} />
            <Button text="Save" preventDoubleClick />
          </form>
          <form method="post" action={`${base}/${group.id}/remove`} novalidate>
            <Csrf ctx={ctx} />
            <p class="govuk-body">Removing the group leaves its participants in no group. Its discussion posts are kept for staff.</p>
            <Button text="Remove this group" classes="govuk-button--warning" preventDoubleClick />
          </form>
        </FormPage>
      ),
      errors ? 422 : 200,
    );
  };

  const validGroup = (req: FastifyRequest<{ Params: { id: string; group: string } }>) => uuid.safeParse(req.params.id).success && uuid.safeParse(req.params.group).success;

  app.get<{ Params: { id: string; group: string } }>('/delivery/intakes/:id/groups/:group', guard, async (req, reply) => (validGroup(req) ? editPage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { id: string; group: string } }>('/delivery/intakes/:id/groups/:group', guard, async (req, reply) => {
    if (!validGroup(req)) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    try {
      await learning.saveGroup(req.actor, req.params.id, req.params.group, { name: one(b.name), facilitatorUserId: one(b.facilitatorUserId) });
    } catch (err) {
      if (err instanceof ValidationError) return editPage(req, reply, err.fieldErrors, b);
      throw err;
    }
    reply.flash('The group is saved.');
    return reply.redirect(`/delivery/intakes/${req.params.id}/groups`, 303);
  });

  app.post<{ Params: { id: string; group: string } }>('/delivery/intakes/:id/groups/:group/remove', guard, async (req, reply) => {
    if (!validGroup(req)) return reply.callNotFound();
    await learning.removeGroup(req.actor, req.params.id, req.params.group);
    reply.flash('The group is removed. Its participants are in no group now.');
    return reply.redirect(`/delivery/intakes/${req.params.id}/groups`, 303);
  });
}
