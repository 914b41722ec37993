// The lint rules that keep execution contexts apart (STYLE.md) really refuse what they should.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('context boundaries', () => {
  it.each([
    ['src/ui/popup/x.ts', "import { db } from '../../background/db';\nexport const x = db;\n"],
    ['src/content/x.ts', "import { route } from '../background/router';\nexport const x = route;\n"],
  ])('%s may not import the background', async (file, code) => {
    expect(await ruleIds(code, file)).toContain('no-restricted-imports');
  });

  it('src/core may not use an extension API', async () => {
    const ids = await ruleIds(
      "import browser from 'webextension-polyfill';\nexport const a = browser;\nexport const b = chrome.runtime;\n",
      'src/core/x.ts',
    );
    expect(ids).toEqual(expect.arrayContaining(['no-restricted-imports', 'no-restricted-globals']));
  });

  it('the background may import core and the contract', async () => {
    const ids = await ruleIds(
      "import { aliasesFor } from '../core/episode/identity';\nimport { toBackground } from '../messages-background';\nexport const x = [aliasesFor, toBackground];\n",
      'src/background/x.ts',
    );
    expect(ids).toEqual([]);
  });

  it('refuses HTML built from strings', async () => {
    const ids = await ruleIds(
      'export function f(el: Element, s: string) {\n  el.innerHTML = s;\n}\n',
      'src/content/x.ts',
    );
    expect(ids).toContain('no-restricted-syntax');
  });
});
