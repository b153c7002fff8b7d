import { Checkboxes } from './checkboxes';
import { describeFixtures } from './fixtures';

describeFixtures('checkboxes', Checkboxes);
