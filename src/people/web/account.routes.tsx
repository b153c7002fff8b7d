import { isFullySignedIn, isSignedIn } from '../../platform/auth/actor';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { parseForm } from '../../platform/forms';
import { afterResponse, requireSignIn } from '../../platform/web';
import { passwordSchema } from '../domain/credentials';
import { TRUSTED_DEVICE_DAYS } from '../domain/throttle';
import { type PeopleService, SecondFactorLockedError } from '../people.service';
import {
  ChangePasswordPage,
  CreateAccountPage,
  LinkExpiredPage,
  RecoveryCodesPage,
  RequestResetPage,
  SessionsPage,
  SetPasswordPage,
  SignInPage,
  TwoFactorPage,
  TwoFactorSetupPage,
} from './account-pages';
import { whenMissing } from '../../platform/zod-messages';

const signInForm = z.object({
  email: z.string({ error: whenMissing('Enter your email address') }).trim().min(1, 'Enter your email address').max(254).email('Enter an email address in the correct format, like name@example.com'),
  password: z.string({ error: whenMissing('Enter your password') }).min(1, 'Enter your password').max(200, 'Enter your password'),
  next: z.string().optional(),
});
const codeForm = z.object({ code: z.string({ error: whenMissing('Enter the code') }).trim().min(1, 'Enter the code').max(20, 'Enter the 6-digit code or a recovery code') });
const passwordForm = z
  .object({ password: passwordSchema, confirmation: z.string({ error: whenMissing('Confirm your password') }) })
  .refine((f) => f.password === f.confirmation, { path: ['confirmation'], message: 'The passwords do not match' });
const createAccountForm = z.object({
  name: z.string({ error: whenMissing('Enter your full name') }).trim().min(1, 'Enter your full name').max(200, 'Name must be 200 characters or fewer'),
  email: z.string({ error: whenMissing('Enter your email address') }).trim().min(1, 'Enter your email address').max(254).email('Enter an email address in the correct format, like name@school.org.uk'),
});
const changePasswordForm = z
  .object({ currentPassword: z.string({ error: whenMissing('Enter your current password') }).min(1, 'Enter your current password').max(200, 'Enter your current password'), password: passwordSchema, confirmation: z.string({ error: whenMissing('Confirm your new password') }) })
  .refine((f) => f.password === f.confirmation, { path: ['confirmation'], message: 'The passwords do not match' });
const emailForm = z.object({ email: z.string({ error: whenMissing('Enter your email address') }).trim().email('Enter an email address in the correct format, like name@example.com') });

/** Only ever redirect within this site after sign-in. */
const safeNext = (next: string | undefined) => (next && /^\/(?!\/)[\w\-/?=&%.]*$/.test(next) ? next : '/home');

export async function accountRoutes(app: FastifyInstance, opts: { people: PeopleService; secureCookies: boolean; signInLimitPerMinute: number }) {
  const { people } = opts;
  // The device cookie of OWASP's scheme (docs/adr/0019): a random id, signed, naming this browser to the
  // sign-in counters so that the owner's browser is not held back by guessing from elsewhere.
  const DEVICE_COOKIE = 'npq_device';
  const deviceIdOf = (req: FastifyRequest) => {
    const raw = req.cookies[DEVICE_COOKIE];
    const unsigned = raw ? req.unsignCookie(raw) : undefined;
    return unsigned?.valid && unsigned.value && /^[\w-]{20,64}$/.test(unsigned.value) ? unsigned.value : undefined;
  };

  app.get('/sign-in', async (req, reply) => {
    if (isSignedIn(req.actor)) return reply.redirect('/home', 303);
    const next = (req.query as { next?: string }).next;
    return reply.page((ctx) => <SignInPage ctx={ctx} next={next} />);
  });

  app.post('/sign-in', { config: { rateLimit: { max: opts.signInLimitPerMinute, timeWindow: '1 minute' } } }, async (req, reply) => {
    const form = parseForm(signInForm, req.body);
    if (!form.ok) {
      const email = String(form.values.email ?? '');
      return reply.page((ctx) => <SignInPage ctx={ctx} errors={form.errors} email={email} next={String(form.values.next ?? '')} />, 422);
    }
    const result = await people.signIn({ email: form.data.email, password: form.data.password, userAgent: req.headers['user-agent'], ip: req.ip, deviceId: deviceIdOf(req) });
    if (!('sessionToken' in result)) {
      const message =
        result.outcome === 'locked'
          ? `Too many failed attempts to sign in with this email address. Wait ${result.retryAfterMinutes === 1 ? '1 minute' : `${result.retryAfterMinutes} minutes`}, then try again, or reset your password`
          : 'Enter a correct email address and password';
      if (result.outcome === 'locked') reply.header('retry-after', String(result.retryAfterMinutes * 60));
      return reply.page((ctx) => <SignInPage ctx={ctx} errors={{ email: message }} email={form.data.email} next={form.data.next} />, result.outcome === 'locked' ? 429 : 401);
    }
    reply.beginSession(result.sessionToken);
    reply.setCookie(DEVICE_COOKIE, result.deviceId, { signed: true, path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, maxAge: TRUSTED_DEVICE_DAYS * 86_400 });
    const target = result.outcome === 'second_factor' ? '/sign-in/two-factor' : result.outcome === 'set_up_second_factor' ? '/two-factor/set-up' : safeNext(form.data.next);
    return reply.redirect(target, 303);
  });

  app.get('/sign-in/two-factor', { preHandler: requireSignIn }, async (req, reply) => {
    if (isFullySignedIn(req.actor)) return reply.redirect('/home', 303);
    return reply.page((ctx) => <TwoFactorPage ctx={ctx} />);
  });

  app.post('/sign-in/two-factor', { preHandler: requireSignIn, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (req, reply) => {
    const form = parseForm(codeForm, req.body);
    if (!form.ok) return reply.page((ctx) => <TwoFactorPage ctx={ctx} errors={form.errors} />, 422);
    try {
      const result = await people.completeSecondFactor(req.actor, form.data.code);
      reply.beginSession(result.sessionToken);
      if (result.usedRecoveryCode) reply.flash(`You used a recovery code. You have ${result.recoveryCodesLeft} left.`);
      return reply.redirect('/home', 303);
    } catch (err) {
      if (err instanceof ValidationError) return reply.page((ctx) => <TwoFactorPage ctx={ctx} errors={err.fieldErrors} />, 422);
      if (err instanceof SecondFactorLockedError) {
        reply.endSession();
        reply.header('retry-after', String(err.retryAfterMinutes * 60));
        return reply.page((ctx) => <SignInPage ctx={{ ...ctx, actor: { kind: 'anonymous' } }} notice={err.message} />, 429);
      }
      throw err;
    }
  });

  const setupPage = async (reply: FastifyReply, actor: Parameters<PeopleService['beginTwoFactorSetup']>[0], errors?: Record<string, string>) => {
    const { secret, uri } = await people.beginTwoFactorSetup(actor);
    const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    const accessibleQr = qrSvg.replace('<svg ', '<svg role="img" aria-label="QR code for your authenticator app" ');
    return reply.page((ctx) => <TwoFactorSetupPage ctx={ctx} secret={secret} qrSvg={accessibleQr} errors={errors} />, errors ? 422 : 200);
  };

  app.get('/two-factor/set-up', { preHandler: requireSignIn }, async (req, reply) => {
    if (await people.hasTwoFactor((req.actor as { userId: string }).userId)) return reply.redirect('/home', 303);
    return setupPage(reply, req.actor);
  });

  app.post('/two-factor/set-up', { preHandler: requireSignIn, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (req, reply) => {
    const form = parseForm(codeForm, req.body);
    if (!form.ok) return setupPage(reply, req.actor, form.errors);
    try {
      const { codes, sessionToken } = await people.confirmTwoFactorSetup(req.actor, form.data.code);
      reply.beginSession(sessionToken);
      return reply.page((ctx) => <RecoveryCodesPage ctx={{ ...ctx, actor: { ...(req.actor as object), fullySignedIn: true } as typeof ctx.actor }} codes={codes} />);
    } catch (err) {
      if (err instanceof ValidationError) return setupPage(reply, req.actor, err.fieldErrors);
      throw err;
    }
  });

  app.post('/sign-out', async (req, reply) => {
    await people.signOut(req.actor);
    reply.endSession();
    reply.flash('You have signed out.');
    return reply.redirect('/sign-in', 303);
  });

  app.get('/account/sessions', { preHandler: requireSignIn }, async (req, reply) => {
    const sessions = await people.sessionsOf(req.actor);
    const currentId = isSignedIn(req.actor) ? req.actor.sessionId : '';
    return reply.page((ctx) => <SessionsPage ctx={ctx} sessions={sessions} currentId={currentId} />);
  });

  app.post<{ Params: { id: string } }>('/account/sessions/:id/revoke', { preHandler: requireSignIn }, async (req, reply) => {
    if (!z.uuid().safeParse(req.params.id).success) throw new AppError('not_found', 'The session could not be found', 404);
    await people.revokeSession(req.actor, req.params.id);
    reply.flash('That session has been signed out.');
    return reply.redirect('/account/sessions', 303);
  });

  // Invitations: a staff member chooses their own password.
  app.get<{ Params: { token: string } }>('/invitations/:token', async (req, reply) => {
    const invitation = await people.invitationFor(req.params.token);
    if (!invitation) return reply.page((ctx) => <LinkExpiredPage ctx={ctx} />, 410);
    return reply.page((ctx) => (
      <SetPasswordPage ctx={ctx} action={`/invitations/${encodeURIComponent(req.params.token)}`} heading="Create your password" intro={`Welcome, ${invitation.name}. Choose a password for ${invitation.email}.`} />
    ));
  });

  app.post<{ Params: { token: string } }>('/invitations/:token', async (req, reply) => {
    const invitation = await people.invitationFor(req.params.token);
    if (!invitation) return reply.page((ctx) => <LinkExpiredPage ctx={ctx} />, 410);
    const form = parseForm(passwordForm, req.body);
    if (!form.ok) {
      return reply.page(
        (ctx) => <SetPasswordPage ctx={ctx} action={`/invitations/${encodeURIComponent(req.params.token)}`} heading="Create your password" intro={`Welcome, ${invitation.name}. Choose a password for ${invitation.email}.`} errors={form.errors} />,
        422,
      );
    }
    try {
      await people.acceptInvitation(req.params.token, form.data.password);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.page(
        (ctx) => <SetPasswordPage ctx={ctx} action={`/invitations/${encodeURIComponent(req.params.token)}`} heading="Create your password" intro={`Welcome, ${invitation.name}. Choose a password for ${invitation.email}.`} errors={err.fieldErrors} />,
        422,
      );
    }
    reply.flash('Your password is saved. Sign in to continue.');
    return reply.redirect('/sign-in', 303);
  });

  // Applicants create their own account: the emailed link proves the address, then they choose a password.
  app.get('/account/create', async (req, reply) => {
    if (isSignedIn(req.actor)) return reply.redirect('/applications', 303);
    return reply.page((ctx) => <CreateAccountPage ctx={ctx} />);
  });
  app.post('/account/create', { config: { rateLimit: { max: 5, timeWindow: '1 minute' } } }, async (req, reply) => {
    const form = parseForm(createAccountForm, req.body);
    if (!form.ok) return reply.page((ctx) => <CreateAccountPage ctx={ctx} errors={form.errors} values={form.values as Record<string, string>} />, 422);
    // After the response, as a reset request: a new address and a known one take the same time to answer.
    afterResponse(reply, () => people.requestApplicantAccount(form.data));
    return reply.page((ctx) => <CreateAccountPage ctx={ctx} sentTo={form.data.email} />);
  });

  app.get('/password-reset', async (_req, reply) => reply.page((ctx) => <RequestResetPage ctx={ctx} />));

  app.post('/password-reset', { config: { rateLimit: { max: 5, timeWindow: '1 minute' } } }, async (req, reply) => {
    const form = parseForm(emailForm, req.body);
    if (!form.ok) return reply.page((ctx) => <RequestResetPage ctx={ctx} errors={form.errors} email={String(form.values.email ?? '')} />, 422);
    // The answer goes first and the same for every address; the lookup and the email happen after it.
    afterResponse(reply, () => people.requestPasswordReset(form.data.email));
    return reply.page((ctx) => <RequestResetPage ctx={ctx} email={form.data.email} sent />);
  });

  app.get<{ Params: { token: string } }>('/password-reset/:token', async (req, reply) => {
    if (!(await people.passwordResetValid(req.params.token))) return reply.page((ctx) => <LinkExpiredPage ctx={ctx} />, 410);
    return reply.page((ctx) => <SetPasswordPage ctx={ctx} action={`/password-reset/${encodeURIComponent(req.params.token)}`} heading="Choose a new password" intro="Your new password signs you out everywhere else." />);
  });

  app.post<{ Params: { token: string } }>('/password-reset/:token', async (req, reply) => {
    if (!(await people.passwordResetValid(req.params.token))) return reply.page((ctx) => <LinkExpiredPage ctx={ctx} />, 410);
    const form = parseForm(passwordForm, req.body);
    if (!form.ok) {
      return reply.page(
        (ctx) => <SetPasswordPage ctx={ctx} action={`/password-reset/${encodeURIComponent(req.params.token)}`} heading="Choose a new password" intro="Your new password signs you out everywhere else." errors={form.errors} />,
        422,
      );
    }
    try {
      await people.resetPassword(req.params.token, form.data.password);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.page(
        (ctx) => <SetPasswordPage ctx={ctx} action={`/password-reset/${encodeURIComponent(req.params.token)}`} heading="Choose a new password" intro="Your new password signs you out everywhere else." errors={err.fieldErrors} />,
        422,
      );
    }
    reply.flash('Your password has been changed. Sign in with your new password.');
    return reply.redirect('/sign-in', 303);
  });

  // A signed-in person changes their own password: it ends their other sessions and any emailed links.
  const changePage = (reply: FastifyReply, errors?: FieldErrors) => reply.page((ctx) => <ChangePasswordPage ctx={ctx} errors={errors} />, errors ? 422 : 200);
  app.get('/account/password', { preHandler: requireSignIn }, async (_req, reply) => changePage(reply));
  app.post('/account/password', { preHandler: requireSignIn, config: { rateLimit: { max: 5, timeWindow: '1 minute' } } }, async (req, reply) => {
    const form = parseForm(changePasswordForm, req.body);
    if (!form.ok) return changePage(reply, form.errors);
    try {
      await people.changePassword(req.actor, form.data.currentPassword, form.data.password);
    } catch (err) {
      if (err instanceof ValidationError) return changePage(reply, err.fieldErrors);
      throw err;
    }
    reply.flash('Your password has been changed. You have been signed out everywhere else.');
    return reply.redirect('/account/sessions', 303);
  });
}
