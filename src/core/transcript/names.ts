// What each transcript format is called where people read it.
import type { Transcript } from '../types';

const NAMES: Record<Transcript['format'], string> = {
  vtt: 'WebVTT',
  srt: 'SRT',
  json: 'JSON',
  html: 'HTML',
  text: 'plain text',
  youtube: 'YouTube captions',
};

export function formatName(format: string): string {
  return NAMES[format as Transcript['format']] ?? format;
}
