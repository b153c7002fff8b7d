import type { UserActor } from './auth/actor';

/**
 * A page rendered for one person, cut where each request's own form token goes: `parts` are the HTML
 * before, between and after the tokens (one part when the page has no form). The token is minted per
 * request from the browser's own CSRF secret, so one person's page serves each of their sessions.
 */
export interface RenderedPage {
  parts: Buffer[];
}

/**
 * Pages rendered for signed-in people, one per person and page, kept while neither the data behind the page
 * (`version`, which the page's owner moves on every change it hears of, in any process: docs/adr/0037)
 * nor the person as the session knows them (name, email, roles) has changed. Bounded: the oldest
 * person's page goes first, so the memory held is at most `maxEntries` pages (a home page is ~5 KB).
 */
export class PersonalPages {
  private readonly entries = new Map<string, { version: string; actor: UserActor; who: string; page: RenderedPage }>();

  constructor(private readonly maxEntries = 2_000) {}

  /** The person's page (`page`: which of their pages, when there are many, like its address) for this version of the data, or undefined. */
  get(actor: UserActor, version: string, page = ''): RenderedPage | undefined {
    const hit = this.entries.get(`${actor.userId} ${page}`);
    if (!hit || hit.version !== version) return undefined;
    // The session cache hands out the same actor until it reads the session again; then compare what the page shows of them.
    if (hit.actor !== actor) {
      if (hit.who !== whoIs(actor)) return undefined;
      hit.actor = actor;
    }
    return hit.page;
  }

  set(actor: UserActor, version: string, rendered: RenderedPage, page = ''): void {
    const key = `${actor.userId} ${page}`;
    this.entries.delete(key);
    this.entries.set(key, { version, actor, who: whoIs(actor), page: rendered });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Everything of the person a page can show or decide by: a change to any of it is a different page. */
const whoIs = (actor: UserActor): string => JSON.stringify([actor.name, actor.email, actor.fullySignedIn, actor.roles]);
