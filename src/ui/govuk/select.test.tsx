import { Select } from './select';
import { describeFixtures } from './fixtures';

describeFixtures('select', Select);
