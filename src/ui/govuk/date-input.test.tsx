import { DateInput } from './date-input';
import { describeFixtures } from './fixtures';

describeFixtures('date-input', DateInput);
