import { Textarea } from './textarea';
import { describeFixtures } from './fixtures';

describeFixtures('textarea', Textarea);
