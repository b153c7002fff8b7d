import type { MenuEntry } from '../../platform/navigation';
import { submissionScope } from '../domain/assessment.policy';

/** Assessment's entry in the service navigation: the written accounts, for the admin and partner leads. */
export const assessmentMenu: MenuEntry[] = [
  {
    href: '/assessment/submissions',
    text: 'Assessment',
    order: 89.5,
    show: (actor) => {
      const scope = submissionScope(actor);
      return 'all' in scope || scope.partners.length > 0;
    },
  },
];
