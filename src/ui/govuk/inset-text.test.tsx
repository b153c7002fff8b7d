import { InsetText } from './inset-text';
import { describeFixtures } from './fixtures';

describeFixtures('inset-text', InsetText);
