// Countdowns for team windows and auctions: seconds left until an RFC 3339 time, written as h:mm:ss or m:ss.

/** Whole seconds from now until `iso`, never below 0. */
export function secondsLeft(iso) {
  return Math.max(0, Math.ceil((Date.parse(iso) - Date.now()) / 1000));
}

/** "1:02:05" from an hour on, else "2:05". */
export function clockText(seconds) {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = String(seconds % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

/** Calls `tick` now and every second; returns what stops it. */
export function everySecond(tick) {
  tick();
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
}
