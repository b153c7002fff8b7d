import { WarningText } from './warning-text';
import { describeFixtures } from './fixtures';

describeFixtures('warning-text', WarningText);
