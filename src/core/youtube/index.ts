// YouTube: caption tracks and playability from watch pages and player responses.
export {
  captionsFromPlayerResponse,
  captionsFromWatchPage,
  captionUrl,
  extractPlayerResponse,
  needsPoToken,
  parseCaptions,
  YouTubeError,
  type CaptionFormat,
  type Captions,
  type CaptionStatus,
  type CaptionTrack,
} from './player-response';
