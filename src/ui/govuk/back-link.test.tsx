import { BackLink } from './back-link';
import { describeFixtures } from './fixtures';

describeFixtures('back-link', BackLink);
