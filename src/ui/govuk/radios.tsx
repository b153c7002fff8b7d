import { Choices, type ChoicesOptions } from './choices';

export type RadiosOptions = ChoicesOptions;
export const Radios = (p: RadiosOptions) => <Choices kind="radios" {...p} />;
