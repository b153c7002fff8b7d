import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chosenFilters, EmptyList, type FilterChoice, FilterSelect } from '../../platform/list-filters';
import { escapeHtml } from '../../ui/govuk/core';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { csvBatches, pageNumber, pagesAfter, paginationFor, requireAbility, sendCsv } from '../../platform/admin';
import { formatDateTime } from '../../platform/clock';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { parseForm } from '../../platform/forms';
import { FormPage } from '../../platform/form-page';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { BackLink, Button, Input, Pagination, Radios, Select, SummaryList, Table } from '../../ui/govuk';
import { peopleAbilities, roleChoices } from '../domain/people.policy';
import { isRole, ROLE_LABELS, ROLE_SCOPES, ROLES, type Role, type RoleAssignment, type ScopeType } from '../domain/roles';
import { deliveryPartnerNames } from '../../catalogue/catalogue.queries';
import { cohortIdentifiers } from '../../enrolment/enrolment.queries';
import type { PeopleService, UserListKey } from '../people.service';
import { buttonFormHtml, Csrf } from '../../platform/csrf';
import { whenMissing } from '../../platform/zod-messages';
import { Flash } from '../../platform/flash';

const PER_PAGE = 25;

const roleForm = z
  .object({
    role: z.enum(ROLES, { error: 'Select a role' }),
    partner: z.string().optional(),
  })
  .transform(({ role, partner }) => {
    const scopes = ROLE_SCOPES[role];
    const scopeType: ScopeType = partner && scopes.includes('delivery_partner') ? 'delivery_partner' : scopes.includes('provider') ? 'provider' : 'delivery_partner';
    return { role, scopeType, scopeId: scopeType === 'delivery_partner' ? partner || null : null };
  });
const inviteForm = z.intersection(
  z.object({
    name: z.string({ error: whenMissing('Enter their full name') }).trim().min(1, 'Enter their full name').max(200, 'Name must be 200 characters or fewer'),
    email: z.string({ error: whenMissing('Enter their email address') }).trim().email('Enter an email address in the correct format, like name@example.com').max(254),
  }),
  roleForm,
);

interface ScopeNames {
  partners: Map<string, string>;
  cohorts: Map<string, string>;
}
/** Where a role is held, as people read it: "whole provider", the partner's name, "cohort 2026a". */
const describeScope = (r: RoleAssignment, names: ScopeNames) =>
  r.scopeType === 'provider'
    ? 'whole provider'
    : r.scopeType === 'delivery_partner'
      ? (names.partners.get(r.scopeId ?? '') ?? 'a delivery partner')
      : `cohort ${names.cohorts.get(r.scopeId ?? '') ?? 'not found'}`;
/** "Facilitator (Midlands Teaching School Hub)" for the list; "facilitator:Midlands Teaching School Hub" for the CSV. */
const describeRoles = (roles: RoleAssignment[], names: ScopeNames, form: 'page' | 'csv'): string =>
  roles.map((r) => (form === 'page' ? `${ROLE_LABELS[r.role]} (${describeScope(r, names)})` : `${r.role}:${describeScope(r, names)}`)).join(form === 'page' ? ', ' : '; ');

export async function adminPeopleRoutes(app: FastifyInstance, opts: { people: PeopleService; db: Db }) {
  const { people, db } = opts;
  const guard = { preHandler: requireAbility((actor) => peopleAbilities(actor).manageUsers) };

  /** The roles and partners this person may hand out. */
  async function choices(req: FastifyRequest) {
    const [partners, cohorts] = await Promise.all([deliveryPartnerNames(db), cohortIdentifiers(db)]);
    const offer = roleChoices(req.actor);
    return {
      partners,
      names: { partners, cohorts },
      roles: offer.roles,
      partnerOptions: [...partners].filter(([id]) => offer.partnerOffered(id)).map(([id, name]) => ({ value: id, text: name })),
      admin: offer.providerWide,
    };
  }

  const RoleFields = ({ c, errors, values }: { c: Awaited<ReturnType<typeof choices>>; errors?: FieldErrors; values?: Record<string, unknown> }) => (
    <>
      <Radios
        idPrefix="role"
        name="role"
        fieldset={{ legend: { text: 'Role', classes: 'govuk-fieldset__legend--s' } }}
        errorMessage={errors?.role ? { text: errors.role } : undefined}
        value={values?.role as string}
        items={c.roles.map((r) => ({ value: r, text: ROLE_LABELS[r] }))}
      />
      <Select
        id="partner"
        name="partner"
        label={{ text: 'Delivery partner', classes: 'govuk-label--s' }}
        hint={{ text: c.admin ? 'For delivery partner leads and facilitators. Leave as "Whole provider" for provider-wide roles.' : 'People you invite work within your delivery partner.' }}
        errorMessage={errors?.scopeId || errors?.scopeType ? { text: errors.scopeId ?? errors.scopeType! } : undefined}
        value={values?.partner as string}
        items={[...(c.admin ? [{ value: '', text: 'Whole provider' }] : []), ...c.partnerOptions]}
      />
    </>
  );

  app.get('/admin/users', guard, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const page = pageNumber(q.page);
    const { role, status, errors } = userFilters(q);
    const filter = { query: q.q?.trim().slice(0, 100) || undefined, role, status };
    const [{ rows, total }, c] = await Promise.all([people.listUsers(req.actor, filter, page, PER_PAGE), choices(req)]);
    const pagination = paginationFor(page, Math.ceil(total / PER_PAGE), '/admin/users', { q: q.q, role, status });
    const exportHref = `/admin/users.csv?${new URLSearchParams(Object.entries({ q: q.q ?? '', role: role ?? '', status: status ?? '' })).toString()}`;
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="Users" errors={errors}>
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Users</h1>
        <Button href="/admin/users/new" text="Invite someone" />
        <form method="get" action="/admin/users" class="app-filter">
          <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-third">
              <Input id="q" name="q" type="search" label={{ text: 'Name or email' }} value={q.q} />
            </div>
            <div class="govuk-grid-column-one-third">
              <FilterSelect choice={USER_FILTERS[0]} value={role} errors={errors} />
            </div>
            <div class="govuk-grid-column-one-third">
              <FilterSelect choice={USER_FILTERS[1]} value={status} errors={errors} />
            </div>
          </div>
          <Button text="Filter" classes="govuk-button--secondary" />
        </form>
        <p class="govuk-body">
          {total === 1 ? '1 person' : `${total} people`} · <a class="govuk-link" href={exportHref}>Download as CSV</a>
        </p>
        {rows.length ? (
          <Table
            head={[{ text: 'Name' }, { text: 'Email' }, { text: 'Roles' }, { text: 'Status' }]}
            rows={rows.map((u) => [
              { html: `<a class="govuk-link" href="/admin/users/${u.id}">${escapeHtml(u.name)}</a>` },
              { text: u.email },
              { text: describeRoles(u.roles, c.names, 'page') },
              { html: statusTag(u) },
            ])}
          />
        ) : (
          <EmptyList things="people" filtered={page > 1 || Boolean(filter.query || role || status)} clearHref="/admin/users" />
        )}
        {pagination ? <Pagination {...pagination} /> : null}
      </Layout>
    ));
  });

  app.get('/admin/users.csv', guard, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const { role, status } = userFilters(q);
    const names = { partners: await deliveryPartnerNames(db), cohorts: await cohortIdentifiers(db) };
    // Walked by key: an account added or renamed during the download never shifts another into the next page.
    const everyone = await pagesAfter((after: UserListKey | undefined, perPage) => people.listUsersAfter(req.actor, { query: q.q?.trim() || undefined, role, status }, after, perPage), 500);
    const rows = csvBatches(['name', 'email', 'roles', 'status', 'two_factor'], everyone, (u) => [
      u.name,
      u.email,
      describeRoles(u.roles, names, 'csv'),
      u.deactivatedAt ? 'deactivated' : u.invited ? 'invited' : 'active',
      u.twoFactor ? 'yes' : 'no',
    ]);
    return sendCsv(reply, 'users', rows);
  });

  const invitePage = (reply: FastifyReply, c: Awaited<ReturnType<typeof choices>>, errors?: FieldErrors, values?: Record<string, unknown>) =>
    reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title="Invite someone" back="/admin/users" errors={errors} errorTargets={{ role: 'role', scopeId: 'partner', scopeType: 'partner' }}>
          <p class="govuk-body">They will get an email with a link to choose their password. Staff set up two-factor authentication when they first sign in.</p>
          <form method="post" action="/admin/users/new" novalidate>
            <Csrf ctx={ctx} />
            <Input id="name" name="name" label={{ text: 'Full name' }} autocomplete="off" value={values?.name as string} errorMessage={errors?.name ? { text: errors.name } : undefined} />
            <Input id="email" name="email" type="email" spellcheck={false} autocomplete="off" label={{ text: 'Email address' }} value={values?.email as string} errorMessage={errors?.email ? { text: errors.email } : undefined} />
            <RoleFields c={c} errors={errors} values={values} />
            <Button text="Send invitation" preventDoubleClick />
          </form>
        </FormPage>
      ),
      errors ? 422 : 200,
    );

  app.get('/admin/users/new', guard, async (req, reply) => invitePage(reply, await choices(req)));

  app.post('/admin/users/new', guard, async (req, reply) => {
    const c = await choices(req);
    const form = parseForm(inviteForm, req.body);
    if (!form.ok) return invitePage(reply, c, form.errors, form.values);
    try {
      // The same answer whether the address was new or (unseen by this person) already had an account.
      await people.inviteStaff(req.actor, form.data);
      reply.flash(`Invitation sent to ${form.data.email}.`);
      return reply.redirect('/admin/users', 303);
    } catch (err) {
      if (err instanceof ValidationError) return invitePage(reply, c, err.fieldErrors, req.body as Record<string, unknown>);
      throw err;
    }
  });

  const detailPage = async (req: FastifyRequest, reply: FastifyReply, userId: string, errors?: FieldErrors, values?: Record<string, unknown>) => {
    const [u, c] = await Promise.all([people.userDetails(req.actor, userId), choices(req)]);
    return reply.page(
      (ctx) => (
        <Layout ctx={ctx} title={u.name} errors={errors} errorTargets={{ role: 'role', scopeId: 'partner', scopeType: 'partner' }} beforeContent={<BackLink href="/admin/users" text="Back to users" />}>
          <Flash ctx={ctx} />
          <h1 class="govuk-heading-xl">{u.name}</h1>
          <SummaryList
            rows={[
              { key: { text: 'Email' }, value: { text: u.email } },
              { key: { text: 'Status' }, value: { html: statusTag(u) } },
              { key: { text: 'Two-factor authentication' }, value: { text: u.twoFactor ? 'On' : 'Not set up' } },
            ]}
          />
          <h2 class="govuk-heading-m">Roles</h2>
          <Table
            head={[{ text: 'Role' }, { text: 'Where' }, { html: '<span class="govuk-visually-hidden">Action</span>' }]}
            rows={u.roles.map((r) => [
              { text: ROLE_LABELS[r.role] },
              { text: describeScope(r, c.names) },
              {
                html: u.may.removeRole(r) ? buttonFormHtml({ ctx, action: `/admin/users/${u.id}/roles/${r.id}/remove`, text: 'Remove', hiddenText: ROLE_LABELS[r.role], classes: 'govuk-button--secondary' }) : '',
              },
            ])}
          />
          <h3 class="govuk-heading-s">Give another role</h3>
          <form method="post" action={`/admin/users/${u.id}/roles`} novalidate>
            <Csrf ctx={ctx} />
            <RoleFields c={c} errors={errors} values={values} />
            <Button text="Give role" classes="govuk-button--secondary" preventDoubleClick />
          </form>
          <h2 class="govuk-heading-m">Sessions</h2>
          {u.sessions.length === 0 ? <p class="govuk-body">Not signed in anywhere.</p> : null}
          {u.sessions.map((s) => (
            <form method="post" action={`/admin/users/${u.id}/sessions/${s.id}/revoke`}>
              <Csrf ctx={ctx} />
              <p class="govuk-body">
                Signed in {formatDateTime(s.createdAt)}, last active {formatDateTime(s.lastSeenAt)} ({(s.userAgent ?? 'unknown device').slice(0, 60)})
              </p>
              <Button text="Sign out this session" classes="govuk-button--secondary" />
            </form>
          ))}
          <h2 class="govuk-heading-m">Account</h2>
          <div class="govuk-button-group">
            {u.may.resendInvitation ? (
              <form method="post" action={`/admin/users/${u.id}/resend-invitation`}>
                <Csrf ctx={ctx} />
                <Button text="Send the invitation again" classes="govuk-button--secondary" />
              </form>
            ) : null}
            {u.may.deactivate ? (
              <form method="post" action={`/admin/users/${u.id}/${u.deactivatedAt ? 'reactivate' : 'deactivate'}`}>
                <Csrf ctx={ctx} />
                <Button text={u.deactivatedAt ? 'Reactivate account' : 'Deactivate account'} classes={u.deactivatedAt ? 'govuk-button--secondary' : 'govuk-button--warning'} />
              </form>
            ) : null}
          </div>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  const userParams = z.object({ id: z.uuid() });
  const parseId = (params: unknown) => {
    const p = userParams.safeParse(params);
    return p.success ? p.data.id : undefined;
  };

  app.get('/admin/users/:id', guard, async (req, reply) => {
    const id = parseId(req.params);
    if (!id) return reply.callNotFound();
    return detailPage(req, reply, id);
  });

  app.post('/admin/users/:id/roles', guard, async (req, reply) => {
    const id = parseId(req.params);
    if (!id) return reply.callNotFound();
    const form = parseForm(roleForm, req.body);
    if (!form.ok) return detailPage(req, reply, id, form.errors, form.values);
    try {
      await people.assignRole(req.actor, id, form.data as { role: Role; scopeType: ScopeType; scopeId: string | null });
    } catch (err) {
      if (err instanceof ValidationError) return detailPage(req, reply, id, err.fieldErrors, req.body as Record<string, unknown>);
      throw err;
    }
    reply.flash(`${ROLE_LABELS[form.data.role]} role given.`);
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  app.post<{ Params: { id: string; roleId: string } }>('/admin/users/:id/roles/:roleId/remove', guard, async (req, reply) => {
    const id = parseId(req.params);
    if (!id || !z.uuid().safeParse(req.params.roleId).success) return reply.callNotFound();
    try {
      await people.removeRole(req.actor, id, req.params.roleId);
    } catch (err) {
      if (err instanceof ValidationError) return detailPage(req, reply, id, err.fieldErrors);
      throw err;
    }
    reply.flash('Role removed.');
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  app.post<{ Params: { id: string; sessionId: string } }>('/admin/users/:id/sessions/:sessionId/revoke', guard, async (req, reply) => {
    const id = parseId(req.params);
    if (!id || !z.uuid().safeParse(req.params.sessionId).success) return reply.callNotFound();
    await people.revokeSession(req.actor, req.params.sessionId);
    reply.flash('Session signed out.');
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  app.post('/admin/users/:id/resend-invitation', guard, async (req, reply) => {
    const id = parseId(req.params);
    if (!id) return reply.callNotFound();
    await people.resendInvitation(req.actor, id);
    reply.flash('A new invitation has been sent. The old link no longer works.');
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  for (const action of ['deactivate', 'reactivate'] as const) {
    app.post(`/admin/users/:id/${action}`, guard, async (req, reply) => {
      const id = parseId(req.params);
      if (!id) return reply.callNotFound();
      try {
        await people.setDeactivated(req.actor, id, action === 'deactivate');
      } catch (err) {
        if (err instanceof ValidationError) return detailPage(req, reply, id, err.fieldErrors);
        throw err;
      }
      reply.flash(action === 'deactivate' ? 'Account deactivated and signed out everywhere. You can reactivate it at any time.' : 'Account reactivated.');
      return reply.redirect(`/admin/users/${id}`, 303);
    });
  }
}

const STATUSES = ['active', 'invited', 'deactivated'] as const;
const STATUS_LABELS: Record<(typeof STATUSES)[number], string> = { active: 'Active', invited: 'Invited', deactivated: 'Deactivated' };
const statusOf = (v: string | undefined) => STATUSES.find((s) => s === v);

/** The users list's filters as selects, with what each offers. */
const USER_FILTERS = [
  { id: 'role-filter', name: 'role', label: 'Role', items: [{ value: '', text: 'Any role' }, ...ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r] }))] },
  { id: 'status', name: 'status', label: 'Status', items: [{ value: '', text: 'Any status' }, ...STATUSES.map((s) => ({ value: s, text: STATUS_LABELS[s] }))] },
] as const satisfies FilterChoice[];

/** The role and status a users list asks for, each one its select offers, and an error for each that is not. */
function userFilters(q: Record<string, string | undefined>) {
  const { values, errors } = chosenFilters(q, USER_FILTERS);
  return { role: isRole(values.role) ? values.role : undefined, status: statusOf(values.status), errors };
}

const STATUS_TAG_COLOURS: Record<(typeof STATUSES)[number], string> = { active: 'green', invited: 'yellow', deactivated: 'grey' };

function statusTag(u: { deactivatedAt: Date | null; invited: boolean }) {
  const status = u.deactivatedAt ? 'deactivated' : u.invited ? 'invited' : 'active';
  return `<strong class="govuk-tag govuk-tag--${STATUS_TAG_COLOURS[status]}">${STATUS_LABELS[status]}</strong>`;
}


