import { isProviderAdmin } from '../../platform/auth/actor';
import type { MenuEntry } from '../../platform/navigation';
import { marksScripts, moderatesScripts, submissionScope } from '../domain/assessment.policy';

/**
 * Assessment's entries in the service navigation: the written accounts, for partner leads; the
 * scripts to mark, for assessors; the scripts to moderate, for moderators. The admin's
 * bar is full (two rows at 1280 px); they reach it from Delivery, as Engagement and Feedback.
 */
export const assessmentMenu: MenuEntry[] = [
  {
    href: '/assessment/submissions',
    text: 'Assessment',
    order: 89.5,
    show: (actor) => {
      const scope = submissionScope(actor);
      return !isProviderAdmin(actor) && !('all' in scope) && scope.partners.length > 0;
    },
  },
  { href: '/marking', text: 'Marking', order: 89.6, show: marksScripts },
  { href: '/moderation', text: 'Moderation', order: 89.7, show: moderatesScripts },
];
