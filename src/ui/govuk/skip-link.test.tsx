import { SkipLink } from './skip-link';
import { describeFixtures } from './fixtures';

describeFixtures('skip-link', SkipLink);
