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
}
