// Text typed but not yet stored. A screen holding some registers how to store it; the app
// stores it all before the window closes, waiting at most a few seconds so that a hung
// store never keeps the window open. What must not be stored unasked registers a question
// instead, asked before the window closes.

const stores = new Set<() => Promise<void>>();

/** Registers how to store what a screen holds typed; returns the function that unregisters. */
export function holdTyping(store: () => Promise<void>): () => void {
  stores.add(store);
  return () => stores.delete(store);
}

/** Stores everything typed; resolves when all stores are done or after `limitMs`. */
export async function storeTyping(limitMs = 3000): Promise<void> {
  const all = Promise.allSettled([...stores].map((store) => store()));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
  await Promise.race([all, limit]);
  clearTimeout(timer);
}

/** How long typing must pause before what was typed is stored. */
export const TYPING_PAUSE_MS = 800;

const questions = new Set<() => Promise<boolean>>();

/**
 * Registers a question to ask before the window closes, for typed work that must not be
 * stored unasked (saving a definition clears both sides' agreement); it resolves to whether
 * the window may close. Returns the function that unregisters it.
 */
export function askBeforeClosing(ask: () => Promise<boolean>): () => void {
  questions.add(ask);
  return () => questions.delete(ask);
}

/** Asks the registered questions one by one; false as soon as one keeps the window open. */
export async function mayClose(): Promise<boolean> {
  for (const ask of [...questions]) {
    if (!(await ask())) return false;
  }
  return true;
}
