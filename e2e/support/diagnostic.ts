import { SEED_INSTRUMENT, statementsOf } from '../../src/diagnostic/domain/instrument';

export { DEMO_PASSWORD } from '../../src/demo/demo-data';
export const SEED_STATEMENTS = statementsOf(SEED_INSTRUMENT).map((s) => s.text);
