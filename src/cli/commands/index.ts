// The commands, in the order --help lists them.
import { captions } from './captions';
import type { Command } from './command';
import { feed } from './feed';
import { insights } from './insights';
import { transcript } from './transcript';

export const commands: readonly Command[] = [transcript, feed, captions, insights];
