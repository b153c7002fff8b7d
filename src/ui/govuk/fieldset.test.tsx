import { Fieldset } from './fieldset';
import { describeFixtures } from './fixtures';

describeFixtures('fieldset', Fieldset);
