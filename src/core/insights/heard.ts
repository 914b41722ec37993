// Which insight the listener is hearing: the latest one the playhead has reached (with a second
// of slack, so pressing the shortcut as a card appears saves that card's insight).
export function heardInsight<T extends { start: number }>(
  insights: readonly T[],
  position: number,
): T | undefined {
  let heard: T | undefined;
  for (const insight of insights)
    if (insight.start <= position + 1 && (!heard || insight.start >= heard.start)) heard = insight;
  return heard;
}
