import { Input } from './input';
import { describeFixtures } from './fixtures';

describeFixtures('input', Input);
