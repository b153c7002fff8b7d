import type { ServiceNavigationItem } from '../ui/govuk';
import type { Actor } from '../people/domain/actor';
import { can, ledPartners } from '../people/domain/policy';

/** The service navigation a person sees: what their roles let them reach, nothing more. */
export function navigationFor(actor: Actor, path: string): ServiceNavigationItem[] {
  const items: { href: string; text: string; show: boolean }[] = [
    { href: '/qualifications', text: 'Qualifications', show: true },
    { href: '/qualifications/compare', text: 'Compare', show: true },
    { href: '/home', text: 'Your account', show: actor.kind === 'user' },
    { href: '/admin/users', text: 'Users', show: can(actor, 'users:manage') },
    { href: '/admin/catalogue', text: 'Catalogue', show: can(actor, 'catalogue:manage') },
    { href: '/admin/applications', text: 'Applications', show: can(actor, 'applications:manage') || ledPartners(actor).length > 0 },
    { href: '/admin/gateway', text: 'Gateway', show: can(actor, 'gateway:review') },
    { href: '/admin/interest', text: 'Interest', show: can(actor, 'applications:manage') },
    { href: '/admin/diagnostic', text: '360°', show: can(actor, 'diagnostic:manage') },
    { href: '/admin/diagnostic/cohorts', text: '360° cohorts', show: !can(actor, 'diagnostic:manage') && can(actor, 'diagnostic:cohort_view') },
    { href: '/admin/cohorts', text: 'Cohorts', show: can(actor, 'cohorts:manage') },
    { href: '/admin/reference', text: 'Reference data', show: can(actor, 'reference:manage') },
    { href: '/admin/audit', text: 'Audit log', show: can(actor, 'audit:read') },
    { href: '/sign-in', text: 'Sign in', show: actor.kind !== 'user' },
  ];
  return items
    .filter((i) => i.show)
    .map((i) => ({
      href: i.href,
      text: i.text,
      active: i.href === path || (i.href !== '/qualifications' && path.startsWith(`${i.href}/`)) || (i.href === '/qualifications' && path.startsWith('/qualifications/') && !path.startsWith('/qualifications/compare')),
    }));
}
