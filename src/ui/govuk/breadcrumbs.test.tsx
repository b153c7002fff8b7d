import { Breadcrumbs } from './breadcrumbs';
import { describeFixtures } from './fixtures';

describeFixtures('breadcrumbs', Breadcrumbs);
