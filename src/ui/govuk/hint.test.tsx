import { Hint } from './hint';
import { describeFixtures } from './fixtures';

describeFixtures('hint', Hint);
