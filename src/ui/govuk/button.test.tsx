import { Button } from './button';
import { describeFixtures } from './fixtures';

describeFixtures('button', Button);
