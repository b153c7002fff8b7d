import { PhaseBanner } from './phase-banner';
import { describeFixtures } from './fixtures';

describeFixtures('phase-banner', PhaseBanner);
