import { buttonFormHtml, Csrf } from '../../platform/csrf';
import { FormPage } from '../../platform/form-page';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import type { FieldErrors } from '../../platform/errors';
import { formatDateTime } from '../../platform/clock';
import { Button, Details, Input, InsetText, NotificationBanner, Panel, Table, WarningText } from '../../ui/govuk';
import { raw } from '../../ui/govuk/core';
import { Flash } from '../../platform/flash';

export function SignInPage({ ctx, errors, email, next, notice }: { ctx: PageContext; errors?: FieldErrors; email?: string; next?: string; notice?: string }) {
  return (
    <FormPage ctx={ctx} title="Sign in" errors={errors} intro={<>{notice ? <NotificationBanner text={notice} /> : null}<Flash ctx={ctx} /></>}>
      <form method="post" action="/sign-in" novalidate>
        <Csrf ctx={ctx} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          spellcheck={false}
          label={{ text: 'Email address' }}
          value={email}
          errorMessage={errors?.email ? { text: errors.email } : undefined}
        />
        <Input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          label={{ text: 'Password' }}
          errorMessage={errors?.password ? { text: errors.password } : undefined}
        />
        <Button text="Sign in" preventDoubleClick />
      </form>
      <p class="govuk-body">
        <a class="govuk-link" href="/password-reset">Forgotten your password?</a>
      </p>
      <h2 class="govuk-heading-m">New to {ctx.branding.name}?</h2>
      <p class="govuk-body">
        <a class="govuk-link" href="/account/create">Create an account to apply for an NPQ</a>
      </p>
    </FormPage>
  );
}

export function CreateAccountPage({ ctx, errors, values, sentTo }: { ctx: PageContext; errors?: FieldErrors; values?: Record<string, string | undefined>; sentTo?: string }) {
  if (sentTo) {
    return (
      <FormPage ctx={ctx} title="Check your email">
        <p class="govuk-body">We have sent an email to <strong>{sentTo}</strong>. Follow the link in it to choose your password, then sign in to start your application.</p>
        <p class="govuk-body">The link works for 7 days. If nothing arrives within a few minutes, check your spam folder.</p>
      </FormPage>
    );
  }
  return (
    <FormPage ctx={ctx} title="Create an account" back="/sign-in" errors={errors}>
      <p class="govuk-body">You need an account to apply for an NPQ. Your answers are saved as you go, so you can stop and come back.</p>
      <form method="post" action="/account/create" novalidate>
        <Csrf ctx={ctx} />
        <Input id="name" name="name" autocomplete="name" label={{ text: 'Full name' }} value={values?.name} errorMessage={errors?.name ? { text: errors.name } : undefined} />
        <Input id="email" name="email" type="email" autocomplete="email" spellcheck={false} label={{ text: 'Email address' }} hint={{ text: 'Use an address you will keep if you change school' }} value={values?.email} errorMessage={errors?.email ? { text: errors.email } : undefined} />
        <Button text="Create account" preventDoubleClick />
      </form>
    </FormPage>
  );
}

export function TwoFactorPage({ ctx, errors }: { ctx: PageContext; errors?: FieldErrors }) {
  return (
    <FormPage ctx={ctx} title="Enter your security code" errors={errors}>
      <form method="post" action="/sign-in/two-factor" novalidate>
        <Csrf ctx={ctx} />
        <Input
          id="code"
          name="code"
          classes="govuk-input--width-10"
          autocomplete="one-time-code"
          inputmode="numeric"
          spellcheck={false}
          label={{ text: 'Security code', classes: 'govuk-label--s' }}
          hint={{ text: 'The 6-digit code from your authenticator app. If you have lost your phone, enter one of your recovery codes instead.' }}
          errorMessage={errors?.code ? { text: errors.code } : undefined}
        />
        <Button text="Continue" preventDoubleClick />
      </form>
      <form method="post" action="/sign-out">
        <Csrf ctx={ctx} />
        <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
          Cancel and sign out
        </button>
      </form>
    </FormPage>
  );
}

export function TwoFactorSetupPage({ ctx, secret, qrSvg, errors }: { ctx: PageContext; secret: string; qrSvg: string; errors?: FieldErrors }) {
  return (
    <FormPage ctx={ctx} title="Set up two-factor authentication" errors={errors}>
      <p class="govuk-body">Staff accounts need a second step when signing in. Use an authenticator app on your phone.</p>
      <ol class="govuk-list govuk-list--number">
        <li>Open your authenticator app and add an account.</li>
        <li>Scan this QR code, or type in the key below.</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <div class="app-qr">{raw(qrSvg)}</div>
      <p class="govuk-body">
        Key: <code class="app-code">{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
      <form method="post" action="/two-factor/set-up" novalidate>
        <Csrf ctx={ctx} />
        <Input
          id="code"
          name="code"
          classes="govuk-input--width-10"
          autocomplete="one-time-code"
          inputmode="numeric"
          spellcheck={false}
          label={{ text: 'Code from your app', classes: 'govuk-label--s' }}
          errorMessage={errors?.code ? { text: errors.code } : undefined}
        />
        <Button text="Turn on two-factor authentication" preventDoubleClick />
      </form>
    </FormPage>
  );
}

export function RecoveryCodesPage({ ctx, codes }: { ctx: PageContext; codes: string[] }) {
  return (
    <Layout ctx={ctx} title="Save your recovery codes">
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Panel titleText="Two-factor authentication is on" />
          <h2 class="govuk-heading-m">Save your recovery codes</h2>
          <WarningText text="This is the only time you will see these codes. Keep them somewhere safe: each one signs you in once if you lose your phone." />
          <ul class="govuk-list app-code" data-recovery-codes>
            {codes.map((c) => (
              <li>{c}</li>
            ))}
          </ul>
          <Button href="/home" text="I have saved my codes" />
        </div>
      </div>
    </Layout>
  );
}

/** The new password and its confirmation, as every form that chooses a password asks them. */
function NewPasswordFields({ errors }: { errors?: FieldErrors | undefined }) {
  return (
    <>
      <Input
        id="password"
        name="password"
        type="password"
        autocomplete="new-password"
        label={{ text: 'New password' }}
        hint={{ text: 'Use 12 characters or more, and not a common password. A few unrelated words work well.' }}
        errorMessage={errors?.password ? { text: errors.password } : undefined}
      />
      <Input
        id="confirmation"
        name="confirmation"
        type="password"
        autocomplete="new-password"
        label={{ text: 'Confirm new password' }}
        errorMessage={errors?.confirmation ? { text: errors.confirmation } : undefined}
      />
    </>
  );
}

export function SetPasswordPage({
  ctx,
  action,
  heading,
  intro,
  errors,
}: {
  ctx: PageContext;
  action: string;
  heading: string;
  intro: string;
  errors?: FieldErrors;
}) {
  return (
    <FormPage ctx={ctx} title={heading} errors={errors}>
      <p class="govuk-body">{intro}</p>
      <form method="post" action={action} novalidate>
        <Csrf ctx={ctx} />
        <NewPasswordFields errors={errors} />
        <Button text="Save password" preventDoubleClick />
      </form>
    </FormPage>
  );
}

export function ChangePasswordPage({ ctx, errors }: { ctx: PageContext; errors?: FieldErrors }) {
  return (
    <FormPage ctx={ctx} title="Change your password" back="/account/sessions" errors={errors}>
      <p class="govuk-body">Changing your password signs you out on every other device, and any password reset or invitation link we have emailed you stops working.</p>
      <form method="post" action="/account/password" novalidate>
        <Csrf ctx={ctx} />
        <Input
          id="currentPassword"
          name="currentPassword"
          type="password"
          autocomplete="current-password"
          label={{ text: 'Current password' }}
          errorMessage={errors?.currentPassword ? { text: errors.currentPassword } : undefined}
        />
        <NewPasswordFields errors={errors} />
        <Button text="Change password" preventDoubleClick />
      </form>
    </FormPage>
  );
}

export function RequestResetPage({ ctx, errors, email, sent }: { ctx: PageContext; errors?: FieldErrors; email?: string; sent?: boolean }) {
  return (
    <Layout ctx={ctx} title={sent ? 'Check your email' : 'Reset your password'} errors={errors}>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          {sent ? (
            <>
              <h1 class="govuk-heading-xl">Check your email</h1>
              <p class="govuk-body">If {email} has an account, we have sent it a link to reset the password. The link works once, within 60 minutes.</p>
              <InsetText text="No email after a few minutes? Check your spam folder, or ask your provider admin." />
            </>
          ) : (
            <>
              <h1 class="govuk-heading-xl">Reset your password</h1>
              <form method="post" action="/password-reset" novalidate>
                <Csrf ctx={ctx} />
                <Input
                  id="email"
                  name="email"
                  type="email"
                  autocomplete="email"
                  spellcheck={false}
                  label={{ text: 'Email address' }}
                  value={email}
                  errorMessage={errors?.email ? { text: errors.email } : undefined}
                />
                <Button text="Send reset link" preventDoubleClick />
              </form>
            </>
          )}
        </div>
      </div>
    </Layout>
  );
}

export function LinkExpiredPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="This link has expired">
      <h1 class="govuk-heading-xl">This link has expired</h1>
      <p class="govuk-body">The link has expired or has already been used.</p>
      <p class="govuk-body">
        You can <a class="govuk-link" href="/password-reset">ask for a new password reset link</a>, or ask your administrator to send a new invitation.
      </p>
    </Layout>
  );
}

export function SessionsPage({ ctx, sessions, currentId }: { ctx: PageContext; sessions: { id: string; createdAt: Date; lastSeenAt: Date; userAgent: string | null }[]; currentId: string }) {
  return (
    <Layout ctx={ctx} title="Where you are signed in">
      <Flash ctx={ctx} />
      <h1 class="govuk-heading-xl">Where you are signed in</h1>
      <Table
        head={[{ text: 'Device' }, { text: 'Signed in' }, { text: 'Last active' }, { html: '<span class="govuk-visually-hidden">Action</span>' }]}
        rows={sessions.map((s) => [
          { text: `${(s.userAgent ?? 'Unknown device').slice(0, 80)}${s.id === currentId ? ' (this device)' : ''}` },
          { text: formatDateTime(s.createdAt) },
          { text: formatDateTime(s.lastSeenAt) },
          {
            html: buttonFormHtml({ ctx, action: `/account/sessions/${s.id}/revoke`, text: 'Sign out', hiddenText: 'of this session', classes: 'govuk-button--secondary' }),
          },
        ])}
      />
      <Details summaryText="Don't recognise a device?" text="Sign it out here, then change your password: a new password signs out everywhere else." />
      <p class="govuk-body">
        <a class="govuk-link" href="/account/password">
          Change your password
        </a>
      </p>
    </Layout>
  );
}
