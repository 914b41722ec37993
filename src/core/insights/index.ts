// The insight engines' shared parts (issue 4): grounding, the compact transcript, windows,
// near-duplicates, stable ids, and the local engine. The Claude engine lives beside them.
export {
  createGrounder,
  foldForMatch,
  groundQuote,
  satisfiesGrounding,
  GROUNDING_SPAN_SECONDS,
  type Grounder,
  type GroundResult,
  type NearWindow,
} from './grounding';
export {
  compactTranscript,
  estimateTokens,
  renderCompact,
  renderParagraph,
  type CompactOptions,
  type Paragraph,
} from './compact';
export { planWindows, paragraphTokens, type Window, type WindowOptions } from './windows';
export { isNearDuplicate, jaccard, mergeInsights } from './dedupe';
export { insightId } from './ids';
export { cleanSentence, createLocalEngine, localEngine, type LocalEngineOptions } from './local';
export * from './types';
