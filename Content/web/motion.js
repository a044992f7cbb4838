// Motion preferences: people who asked their system for less motion (prefers-reduced-motion) get instant changes.
const query = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;

/** Whether animations should be skipped: read each time, so a change of the setting applies to the next one. */
export function reducedMotion() {
  return !!query?.matches;
}
