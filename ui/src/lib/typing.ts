// Text typed but not yet stored. A screen holding some registers how to store it; the app
// stores it all before the window closes, waiting at most a few seconds so that a hung
// store never keeps the window open.

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
