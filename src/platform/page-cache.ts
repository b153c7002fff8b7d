/**
 * Rendered pages that are the same for every anonymous visitor (the public catalogue), kept until the
 * data behind them changes. Bounded, so arbitrary query strings cannot grow it without limit.
 */
export class PageCache {
  private readonly entries = new Map<string, { version: string; html: Buffer }>();

  constructor(private readonly maxEntries = 300) {}

  get(key: string, version: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.version !== version) return undefined;
    // Refresh recency: Map keeps insertion order, so the oldest entry is first.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.html;
  }

  set(key: string, version: string, html: Buffer): void {
    this.entries.delete(key);
    this.entries.set(key, { version, html });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
