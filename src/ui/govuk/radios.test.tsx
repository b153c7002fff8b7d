import { Radios } from './radios';
import { describeFixtures } from './fixtures';

describeFixtures('radios', Radios);
