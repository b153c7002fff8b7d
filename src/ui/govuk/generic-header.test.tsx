import { GenericHeader } from './generic-header';
import { describeFixtures } from './fixtures';

describeFixtures('generic-header', GenericHeader);
