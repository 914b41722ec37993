// "1 minute", "2 minutes": the count with its noun, for messages in English.

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
