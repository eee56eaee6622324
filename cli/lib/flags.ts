/** Flags shared by several commands. */
import * as Flags from '@oclif/core/flags';

/** A dimension filter: repeatable or comma-separated. */
export const dimensionFilter = (dimension: string) =>
  Flags.string({ description: `only cells with this ${dimension} (repeat or comma-separate for several)`, multiple: true, delimiter: ',' });
