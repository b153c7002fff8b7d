import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { describeFixtures } from './fixtures';
import { GovukTable, Table } from './table';

describeFixtures('table', GovukTable);

describe('Table', () => {
  it('sits in a focusable region named by its caption, or its label, that scrolls instead of the page', () => {
    const captioned = renderToString(<Table caption="Start dates" rows={[[{ text: 'a' }]]} />);
    expect(captioned).toMatch(/^<div class="app-table-scroll" role="region" aria-label="Start dates" tabindex="0"><table class="govuk-table">/);
    expect(renderToString(<Table label="Applications" rows={[]} />)).toContain('aria-label="Applications"');
  });
});
