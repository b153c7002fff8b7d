import { Choices, type ChoicesOptions } from './choices';

export type CheckboxesOptions = ChoicesOptions;
export const Checkboxes = (p: CheckboxesOptions) => <Choices kind="checkboxes" {...p} />;
