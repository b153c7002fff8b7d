import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { ErrorSummary, Footer, GenericHeader, ServiceNavigation } from '../ui/govuk';
import { escapeHtml, raw } from '../ui/govuk/core';
import type { FieldErrors } from './errors';
import type { Branding, PageContext } from './page-context';
import { navigationFor } from './navigation';

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  errors?: FieldErrors | undefined;
  /** Field name → element id, where the input's id is not the field name (date inputs, radios). */
  errorTargets?: Record<string, string>;
  beforeContent?: ComponentChildren;
  scripts?: string[];
  /** More of the document's head: a page that moves on to another site (a meeting's join link) puts its meta refresh here. */
  head?: ComponentChildren;
  children: ComponentChildren;
}

/** The service's name, shown in the header beside the provider's. */
const SERVICE_NAME = 'NPQ Platform';

/** The parts of every page that depend only on the provider's branding, rendered once. */
const chromeCache = new WeakMap<Branding, { header: VNode; footer: VNode }>();
function chromeFor(branding: Branding) {
  let chrome = chromeCache.get(branding);
  if (!chrome) {
    chrome = {
      header: raw(
        renderToString(
          <GenericHeader
            url="/"
            // One link home: the provider's logo and name, and the service's name beside them (the
            // service navigation below carries no second link to "/", and no row of its own).
            logoHtml={`<span class="app-header-logo"><img src="${escapeHtml(branding.logoUrl)}" alt=""><span>${escapeHtml(branding.name)}</span><span class="app-header-service">${SERVICE_NAME}</span></span>`}
          />,
        ),
      ),
      footer: raw(
        renderToString(
          <footer class="govuk-template__footer">
            <Footer
              meta={{
                items: [
                  { href: '/qualifications', text: 'Qualifications' },
                  { href: '/api/docs', text: 'API documentation' },
                  { href: '/accessibility', text: 'Accessibility' },
                ],
              }}
              copyright={{ text: `© ${branding.name}` }}
            />
          </footer>,
        ),
      ),
    };
    chromeCache.set(branding, chrome);
  }
  return chrome;
}

/**
 * The error summary's entries in the order their fields stand on the page (GOV.UK: the summary lists
 * errors in the page's order), whatever order the checks found them in. `html` is the page's content as
 * rendered; an entry's place is where the element its link goes to (`#id`) starts. Entries whose
 * target is not on the page (about the whole form) come first, in the order given.
 */
export function errorsInPageOrder(errors: FieldErrors, targets: Record<string, string> | undefined, html: string): { text: string; href: string }[] {
  const entries = Object.entries(errors).map(([field, message], given) => {
    const id = targets?.[field] ?? field;
    return { text: message, href: `#${id}`, at: html.indexOf(` id="${escapeHtml(id)}"`), given };
  });
  entries.sort((a, b) => a.at - b.at || a.given - b.given);
  return entries.map(({ text, href }) => ({ text, href }));
}

export function Layout(p: LayoutProps) {
  const { branding } = p.ctx;
  const chrome = chromeFor(branding);
  const hasErrors = p.errors && Object.keys(p.errors).length > 0;
  // With errors, the content is rendered first, so the summary above it can follow its fields' order.
  const contentHtml = hasErrors ? renderToString(p.children as VNode) : '';
  const content = hasErrors ? raw(contentHtml) : p.children;
  const nav = navigationFor(p.ctx.actor, p.ctx.path);
  return (
    <html lang="en" class="govuk-template govuk-template--rebranded">
      <head>
        <meta charset="utf-8" />
        <title>{`${hasErrors ? 'Error: ' : ''}${p.title} – ${branding.name}`}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content={branding.colour} />
        <link rel="icon" href={branding.logoUrl} />
        <link rel="stylesheet" href="/assets/app.css" />
        {p.head}
      </head>
      <body class="govuk-template__body">
        <script src="/assets/js-enabled.js" />
        <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">
          Skip to main content
        </a>
        <header class="govuk-template__header">
          {chrome.header}
          <ServiceNavigation navigation={nav} navigationLabel="Main" classes="app-service-navigation" />
        </header>
        <div class="govuk-width-container">
          {p.beforeContent}
          <main class="govuk-main-wrapper" id="main-content">
            {hasErrors ? (
              <ErrorSummary
                titleText="There is a problem"
                errorList={errorsInPageOrder(p.errors!, p.errorTargets, contentHtml)}
              />
            ) : null}
            {content}
          </main>
        </div>
        {chrome.footer}
        <script type="module" src="/assets/init.js" />
        {(p.scripts ?? []).map((src) => (
          <script type="module" src={src} />
        ))}
      </body>
    </html>
  );
}


export function renderPage(vnode: ComponentChildren): string {
  return `<!DOCTYPE html>${renderToString(vnode as never)}`;
}
