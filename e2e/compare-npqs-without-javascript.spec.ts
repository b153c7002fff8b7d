import { expect, test } from '@playwright/test';
import { ComparePage } from './pages/catalogue.page';

test.use({ javaScriptEnabled: false });

test('given no JavaScript, when a teacher compares three NPQs, then the comparison still works', async ({ page }) => {
  // Given the compare page
  const compare = await new ComparePage(page).open();

  // When they choose three
  await compare.compare(/Headship \(NPQH\)/, /Executive Leadership \(NPQEL\)/, /Senior Leadership \(NPQSL\)/);

  // Then each has a column, after the row headings'
  await expect(compare.table('Your chosen NPQs compared').getByRole('columnheader')).toHaveCount(4);
});
