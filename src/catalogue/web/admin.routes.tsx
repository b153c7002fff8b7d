import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireAbility } from '../../platform/admin';
import { catalogueAbilities } from '../domain/catalogue.policy';
import { readDateFields } from '../../platform/date-input';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { type FormResult, type FormValues, parseForm } from '../../platform/forms';
import type { CatalogueService } from '../catalogue.service';
import { intakeInputSchema, partnerInputSchema, venueInputSchema } from '../catalogue.service';
import { componentInputSchema, qualificationInputSchema } from '../domain/qualification';
import {
  CatalogueIndexPage,
  ComponentFormPage,
  EditQualificationPage,
  IntakeFormPage,
  NewQualificationPage,
  PartnerFormPage,
  PartnersPage,
  VenueFormPage,
} from './admin-pages';

type Values = Record<string, unknown>;
const uuid = z.uuid();

/** Params that must be ids; anything else is a page that does not exist. */
function ids(req: FastifyRequest, ...names: string[]): string[] | undefined {
  const params = req.params as Record<string, string>;
  const out = names.map((n) => params[n] ?? '');
  return out.every((v) => uuid.safeParse(v).success) ? out : undefined;
}

/**
 * Runs a save: a form that does not validate, or a rule the service enforces (ValidationError), shows
 * the same page again with the messages and everything that was typed.
 */
async function save<T>(
  reply: FastifyReply,
  form: FormResult<T>,
  run: (data: T) => Promise<string>,
  again: (errors: FieldErrors, values: Values) => Promise<unknown> | unknown,
  flash: string,
) {
  if (!form.ok) return again(form.errors, form.values);
  try {
    const target = await run(form.data);
    reply.flash(flash);
    return reply.redirect(target, 303);
  } catch (err) {
    if (err instanceof ValidationError) return again(err.fieldErrors, (reply.request.body ?? {}) as Values);
    throw err;
  }
}

/** The qualification form's checkbox fields: the only ones it accepts more than once. */
const QUALIFICATION_CHECKBOXES = ['audiences', 'deliveryModes'];

export async function adminCatalogueRoutes(app: FastifyInstance, opts: { catalogue: CatalogueService }) {
  const { catalogue } = opts;
  const guard = { preHandler: requireAbility((actor) => catalogueAbilities(actor).manage) };

  app.get('/admin/catalogue', guard, async (req, reply) => {
    const qualifications = await catalogue.adminList(req.actor);
    return reply.page((ctx) => <CatalogueIndexPage ctx={ctx} qualifications={qualifications} />);
  });

  app.get('/admin/qualifications/new', guard, async (_req, reply) => reply.page((ctx) => <NewQualificationPage ctx={ctx} />));
  app.post('/admin/qualifications/new', { ...guard, config: { repeatable: QUALIFICATION_CHECKBOXES } }, async (req, reply) =>
    save(
      reply,
      parseForm(qualificationInputSchema, req.body),
      async (data) => `/admin/qualifications/${await catalogue.createQualification(req.actor, data)}`,
      (errors, values) => reply.page((ctx) => <NewQualificationPage ctx={ctx} values={values} errors={errors} />, 422),
      'Qualification added. It is on the public pages now.',
    ),
  );

  const editPage = async (req: FastifyRequest, reply: FastifyReply, id: string, errors?: FieldErrors, values?: Values) => {
    const data = await catalogue.adminGet(req.actor, id);
    return reply.page((ctx) => <EditQualificationPage ctx={ctx} {...data} values={values} errors={errors} />, errors ? 422 : 200);
  };

  app.get('/admin/qualifications/:id', guard, async (req, reply) => {
    const [id] = ids(req, 'id') ?? [];
    if (!id) return reply.callNotFound();
    return editPage(req, reply, id);
  });

  app.post('/admin/qualifications/:id', { ...guard, config: { repeatable: QUALIFICATION_CHECKBOXES } }, async (req, reply) => {
    const [id] = ids(req, 'id') ?? [];
    if (!id) return reply.callNotFound();
    return save(
      reply,
      parseForm(qualificationInputSchema, req.body),
      async (data) => {
        await catalogue.updateQualification(req.actor, id, data);
        return `/admin/qualifications/${id}`;
      },
      (errors, values) => editPage(req, reply, id, errors, values),
      'Changes saved. The public page shows them now.',
    );
  });

  for (const [action, retired] of [['retire', true], ['restore', false]] as const) {
    app.post(`/admin/qualifications/:id/${action}`, guard, async (req, reply) => {
      const [id] = ids(req, 'id') ?? [];
      if (!id) return reply.callNotFound();
      await catalogue.setQualificationRetired(req.actor, id, retired);
      reply.flash(retired ? 'Qualification retired: it is no longer on the public pages.' : 'Qualification is on offer again.');
      return reply.redirect(`/admin/qualifications/${id}`, 303);
    });
  }

  // Components
  const componentPage = async (req: FastifyRequest, reply: FastifyReply, qid: string, cid: string | null, errors?: FieldErrors, values?: Values) => {
    const { qualification, components } = await catalogue.adminGet(req.actor, qid);
    const component = cid ? components.find((c) => c.id === cid) : undefined;
    if (cid && !component) return reply.callNotFound();
    return reply.page((ctx) => <ComponentFormPage ctx={ctx} q={qualification} component={component} values={values} errors={errors} />, errors ? 422 : 200);
  };
  app.get('/admin/qualifications/:id/components/new', guard, async (req, reply) => {
    const [id] = ids(req, 'id') ?? [];
    return id ? componentPage(req, reply, id, null) : reply.callNotFound();
  });
  app.get('/admin/qualifications/:id/components/:cid', guard, async (req, reply) => {
    const [id, cid] = ids(req, 'id', 'cid') ?? [];
    return id && cid ? componentPage(req, reply, id, cid) : reply.callNotFound();
  });
  const saveComponent = (req: FastifyRequest, reply: FastifyReply, id: string, cid: string | null) =>
    save(
      reply,
      parseForm(componentInputSchema, req.body),
      async (data) => {
        await catalogue.saveComponent(req.actor, id, cid, data);
        return `/admin/qualifications/${id}`;
      },
      (errors, values) => componentPage(req, reply, id, cid, errors, values),
      cid ? 'Component saved.' : 'Component added.',
    );
  app.post('/admin/qualifications/:id/components/new', guard, async (req, reply) => {
    const [id] = ids(req, 'id') ?? [];
    return id ? saveComponent(req, reply, id, null) : reply.callNotFound();
  });
  app.post('/admin/qualifications/:id/components/:cid', guard, async (req, reply) => {
    const [id, cid] = ids(req, 'id', 'cid') ?? [];
    return id && cid ? saveComponent(req, reply, id, cid) : reply.callNotFound();
  });
  app.post('/admin/qualifications/:id/components/:cid/remove', guard, async (req, reply) => {
    const [id, cid] = ids(req, 'id', 'cid') ?? [];
    if (!id || !cid) return reply.callNotFound();
    await catalogue.removeComponent(req.actor, id, cid);
    reply.flash('Component removed. The audit log keeps what it said.');
    return reply.redirect(`/admin/qualifications/${id}`, 303);
  });

  // Intakes
  const intakePage = async (req: FastifyRequest, reply: FastifyReply, qid: string, iid: string | null, errors?: FieldErrors, values?: Values) => {
    const data = await catalogue.adminGet(req.actor, qid);
    const intake = iid ? await catalogue.intakeForEdit(req.actor, qid, iid) : undefined;
    const cohorts = await catalogue.cohortChoices();
    return reply.page((ctx) => <IntakeFormPage ctx={ctx} q={data.qualification} intake={intake} partners={data.partners} venues={data.venues} cohorts={cohorts} values={values} errors={errors} />, errors ? 422 : 200);
  };
  const saveIntake = (req: FastifyRequest, reply: FastifyReply, id: string, iid: string | null) => {
    // Dates arrive as GOV.UK day, month and year fields; a refused date's own message wins over the form's.
    const typed = readDateFields(req.body, { startDate: { label: 'the start date' }, applicationDeadline: { label: 'the application deadline' } });
    const form = parseForm(intakeInputSchema, { ...(req.body as object), ...typed.dates });
    const withDates: typeof form = Object.keys(typed.errors).length ? { ok: false, errors: { ...(form.ok ? {} : form.errors), ...typed.errors }, values: (req.body ?? {}) as FormValues } : form;
    return save(
      reply,
      withDates,
      async (data) => {
        await catalogue.saveIntake(req.actor, id, iid, data);
        return `/admin/qualifications/${id}`;
      },
      (errors, values) => intakePage(req, reply, id, iid, errors, values),
      iid ? 'Intake saved.' : 'Intake added.',
    );
  };
  app.get('/admin/qualifications/:id/intakes/new', guard, async (req, reply) => {
    const [id] = ids(req, 'id') ?? [];
    return id ? intakePage(req, reply, id, null) : reply.callNotFound();
  });
  app.post('/admin/qualifications/:id/intakes/new', guard, async (req, reply) => {
    const [id] = ids(req, 'id') ?? [];
    return id ? saveIntake(req, reply, id, null) : reply.callNotFound();
  });
  app.get('/admin/qualifications/:id/intakes/:iid', guard, async (req, reply) => {
    const [id, iid] = ids(req, 'id', 'iid') ?? [];
    return id && iid ? intakePage(req, reply, id, iid) : reply.callNotFound();
  });
  app.post('/admin/qualifications/:id/intakes/:iid', guard, async (req, reply) => {
    const [id, iid] = ids(req, 'id', 'iid') ?? [];
    return id && iid ? saveIntake(req, reply, id, iid) : reply.callNotFound();
  });
  for (const [action, retired] of [['retire', true], ['restore', false]] as const) {
    app.post(`/admin/qualifications/:id/intakes/:iid/${action}`, guard, async (req, reply) => {
      const [id, iid] = ids(req, 'id', 'iid') ?? [];
      if (!id || !iid) return reply.callNotFound();
      await catalogue.setIntakeRetired(req.actor, id, iid, retired);
      reply.flash(retired ? 'Intake withdrawn from the public pages.' : 'Intake open again.');
      return reply.redirect(`/admin/qualifications/${id}`, 303);
    });
  }

  // Delivery partners and venues
  app.get('/admin/delivery-partners', guard, async (req, reply) => {
    const { partners, venues } = await catalogue.partnersAndVenues(req.actor);
    return reply.page((ctx) => <PartnersPage ctx={ctx} partners={partners} venues={venues} />);
  });
  const partnerPage = async (req: FastifyRequest, reply: FastifyReply, id: string | null, errors?: FieldErrors, values?: Values) => {
    const { partners } = await catalogue.partnersAndVenues(req.actor);
    const partner = id ? partners.find((x) => x.id === id) : undefined;
    if (id && !partner) return reply.callNotFound();
    return reply.page((ctx) => <PartnerFormPage ctx={ctx} partner={partner} values={values} errors={errors} />, errors ? 422 : 200);
  };
  const savePartner = (req: FastifyRequest, reply: FastifyReply, id: string | null) =>
    save(
      reply,
      parseForm(partnerInputSchema, req.body),
      async (data) => {
        await catalogue.savePartner(req.actor, id, data);
        return '/admin/delivery-partners';
      },
      (errors, values) => partnerPage(req, reply, id, errors, values),
      'Delivery partner saved.',
    );
  app.get('/admin/delivery-partners/new', guard, async (req, reply) => partnerPage(req, reply, null));
  app.post('/admin/delivery-partners/new', guard, async (req, reply) => savePartner(req, reply, null));
  app.get('/admin/delivery-partners/:id', guard, async (req, reply) => {
    const [id] = ids(req, 'id') ?? [];
    return id ? partnerPage(req, reply, id) : reply.callNotFound();
  });
  app.post('/admin/delivery-partners/:id', guard, async (req, reply) => {
    const [id] = ids(req, 'id') ?? [];
    return id ? savePartner(req, reply, id) : reply.callNotFound();
  });

  const venuePage = async (req: FastifyRequest, reply: FastifyReply, id: string | null, errors?: FieldErrors, values?: Values) => {
    const { partners, venues } = await catalogue.partnersAndVenues(req.actor);
    const venue = id ? venues.find((x) => x.id === id) : undefined;
    if (id && !venue) return reply.callNotFound();
    return reply.page((ctx) => <VenueFormPage ctx={ctx} venue={venue} partners={partners} values={values} errors={errors} />, errors ? 422 : 200);
  };
  const saveVenue = (req: FastifyRequest, reply: FastifyReply, id: string | null) =>
    save(
      reply,
      parseForm(venueInputSchema, req.body),
      async (data) => {
        await catalogue.saveVenue(req.actor, id, data);
        return '/admin/delivery-partners';
      },
      (errors, values) => venuePage(req, reply, id, errors, values),
      'Venue saved.',
    );
  for (const [kind, path] of [['partner', 'delivery-partners'], ['venue', 'venues']] as const) {
    for (const [action, retired] of [['retire', true], ['restore', false]] as const) {
      app.post(`/admin/${path}/:id/${action}`, guard, async (req, reply) => {
        const [id] = ids(req, 'id') ?? [];
        if (!id) return reply.callNotFound();
        if (kind === 'partner') await catalogue.setPartnerRetired(req.actor, id, retired);
        else await catalogue.setVenueRetired(req.actor, id, retired);
        reply.flash(`${kind === 'partner' ? 'Delivery partner' : 'Venue'} ${retired ? 'retired' : 'restored'}.`);
        return reply.redirect('/admin/delivery-partners', 303);
      });
    }
  }

  app.get('/admin/venues/new', guard, async (req, reply) => venuePage(req, reply, null));
  app.post('/admin/venues/new', guard, async (req, reply) => saveVenue(req, reply, null));
  app.get('/admin/venues/:id', guard, async (req, reply) => {
    const [id] = ids(req, 'id') ?? [];
    return id ? venuePage(req, reply, id) : reply.callNotFound();
  });
  app.post('/admin/venues/:id', guard, async (req, reply) => {
    const [id] = ids(req, 'id') ?? [];
    return id ? saveVenue(req, reply, id) : reply.callNotFound();
  });
}
