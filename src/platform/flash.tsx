import { NotificationBanner } from '../ui/govuk';
import type { PageContext } from './page-context';

/**
 * The flash message a page shows at its top, if any: GOV.UK's success banner for what was done, its
 * important banner ("Important", not "Success") for a refusal or something to attend to first.
 */
export function Flash({ ctx }: { ctx: PageContext }) {
  if (!ctx.flash) return null;
  return ctx.flashKind === 'important' ? <NotificationBanner text={ctx.flash} /> : <NotificationBanner type="success" text={ctx.flash} />;
}
