// Reading and clicking inside Earmark's cards, which live in a *closed* shadow root (pages cannot
// reach into it, and neither can Playwright's selectors). The DevTools protocol can: DOM.getDocument
// with `pierce` walks closed shadow roots, DOM.resolveNode gives a handle to call `click()` on.
import type { CDPSession, Page } from 'playwright-core';

type Node = {
  nodeId: number;
  backendNodeId: number;
  nodeName: string;
  nodeValue?: string;
  attributes?: string[];
  children?: Node[];
  shadowRoots?: Node[];
};

function* walk(node: Node): Generator<Node> {
  yield node;
  for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) yield* walk(child);
}

function classes(node: Node): string[] {
  const attrs = node.attributes ?? [];
  for (let i = 0; i < attrs.length; i += 2) if (attrs[i] === 'class') return attrs[i + 1]!.split(/\s+/);
  return [];
}

function text(node: Node): string {
  let out = '';
  for (const n of walk(node)) if (n.nodeName === '#text') out += n.nodeValue ?? '';
  return out;
}

export type Cards = {
  /** Whether the cards' host element is in the page. */
  mounted(): Promise<boolean>;
  /** The texts of the elements with this class inside the cards (e.g. 'text' for insight texts). */
  texts(className: string): Promise<string[]>;
  /** Clicks the n-th element with this class inside the cards. */
  click(className: string, n?: number): Promise<void>;
  /** The attribute of the n-th element with this class. */
  attribute(className: string, name: string, n?: number): Promise<string | null>;
};

export async function cardsOf(page: Page): Promise<Cards> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  const inCards = async (): Promise<Node[]> => {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: Node };
    const host = [...walk(root)].find((n) => n.nodeName === 'EARMARK-CARDS');
    if (!host) return [];
    return (host.shadowRoots ?? []).flatMap((shadow) => [...walk(shadow)]);
  };
  const withClass = async (className: string) =>
    (await inCards()).filter((n) => classes(n).includes(className));
  return {
    async mounted() {
      const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: Node };
      return [...walk(root)].some((n) => n.nodeName === 'EARMARK-CARDS');
    },
    async texts(className) {
      return (await withClass(className)).map(text);
    },
    async click(className, n = 0) {
      const node = (await withClass(className))[n];
      if (!node) throw new Error(`no .${className} #${n} in the cards`);
      const { object } = (await cdp.send('DOM.resolveNode', { backendNodeId: node.backendNodeId })) as {
        object: { objectId: string };
      };
      await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId,
        functionDeclaration: 'function () { this.click(); }',
      });
    },
    async attribute(className, name, n = 0) {
      const node = (await withClass(className))[n];
      const attrs = node?.attributes ?? [];
      for (let i = 0; i < attrs.length; i += 2) if (attrs[i] === name) return attrs[i + 1]!;
      return null;
    },
  };
}
