import type { Actor } from './auth/actor';

export interface Branding {
  name: string;
  colour: string;
  logoUrl: string;
}

/** What every page needs from the request: who is looking, the form token, where they are. */
export interface PageContext {
  branding: Branding;
  actor: Actor;
  csrfToken: string;
  path: string;
  flash?: string | undefined;
  /** What the flash message is: news of something done (success, the default), or a refusal to read before going on (important). */
  flashKind?: FlashKind | undefined;
}

/** A flash message's kind: GOV.UK's success banner for what was done; its important banner for what was refused or needs attention. */
export type FlashKind = 'success' | 'important';
