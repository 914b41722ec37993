// Where a playing episode's playhead is now, from the last reading of its player. A module of its
// own (no schema library) so the popup can use it without loading the message schemas.
export type PlaybackReading = {
  position: number;
  paused: boolean;
  rate: number;
  at: number;
  duration?: number;
};

/** Where a playing episode is now, extrapolated from the last reading. */
export function positionAt(p: PlaybackReading, now: number): number {
  if (p.paused) return p.position;
  const t = p.position + (Math.max(0, now - p.at) / 1000) * p.rate;
  return p.duration !== undefined ? Math.min(t, p.duration) : t;
}
