import { ServiceNavigation } from './service-navigation';
import { describeFixtures } from './fixtures';

describeFixtures('service-navigation', ServiceNavigation);
