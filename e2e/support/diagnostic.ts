import { asSelf, SEED_INSTRUMENT, statementsOf } from '../../src/diagnostic/domain/instrument';

export { DEMO_PASSWORD } from '../../src/demo/demo-data';
/** The statements as raters read them. */
export const SEED_STATEMENTS = statementsOf(SEED_INSTRUMENT).map((s) => s.text);
/** The same statements as the participant's own form says them, to "you". */
export const SELF_STATEMENTS = statementsOf(asSelf(SEED_INSTRUMENT)).map((s) => s.text);
