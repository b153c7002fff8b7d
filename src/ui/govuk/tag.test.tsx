import { Tag } from './tag';
import { describeFixtures } from './fixtures';

describeFixtures('tag', Tag);
