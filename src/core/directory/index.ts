// Podcast directories: Apple's iTunes Search and Lookup APIs.
export {
  appleIds,
  bestShowMatch,
  DirectoryError,
  foldName,
  lookupUrl,
  parseLookup,
  parseSearch,
  searchUrl,
  type AppleIds,
  type DirectoryEpisode,
  type DirectoryShow,
  type Lookup,
} from './itunes';
