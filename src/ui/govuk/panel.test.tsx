import { Panel } from './panel';
import { describeFixtures } from './fixtures';

describeFixtures('panel', Panel);
