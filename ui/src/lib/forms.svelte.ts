// What is typed into a form that adds something (a glossary term, an action item, an agenda
// topic, a rating of lead quality) is kept, per workbook and form, while the form is not
// shown: on another screen or another tab of the meeting. Before the window closes a complete
// one is added, as if its Add button had been pressed; an incomplete one cannot be added and
// is lost with the window.
import { untrack } from "svelte";
import { holdTyping } from "./typing";

/** How one form is kept and added. */
export interface FormSpec<T, R> {
  /** The path of the workbook the form adds to. */
  path: () => string;
  /** Which of the workbook's forms of this kind (e.g. the meeting it adds to). */
  id: () => string | number;
  /** The form as it is shown when nothing was typed into it. */
  empty: () => T;
  /** Whether the fields can be added (the form's Add button is enabled). */
  complete: (fields: T) => boolean;
  /** What Add does with the fields of form `id`: the command that stores them. */
  add: (fields: T, id: string | number) => Promise<R>;
}

interface Kept {
  path: string;
  fields: unknown;
  complete: () => boolean;
  add: () => Promise<unknown>;
}

/** Forms with something typed in, by key (the kind of form, its workbook and its id). */
const kept = new Map<string, Kept>();
/** Forms whose Add is under way: not added again on closing. */
const adding = new Set<string>();
/** Empties the form shown for a key, once its fields were added on closing. */
const shown = new Map<string, () => void>();
let openWorkbook: string | null = null;

/** Tells which workbook is open: only its forms are added when the window closes. */
export function workbookShown(path: string): void {
  openWorkbook = path;
}

/** Adds every complete form of the open workbook; the window is about to close. */
export async function addKeptForms(): Promise<void> {
  const added = [...kept.entries()]
    .filter(([key, k]) => k.path === openWorkbook && !adding.has(key) && k.complete())
    .map(async ([key, k]) => {
      await k.add();
      kept.delete(key);
      shown.get(key)?.();
    });
  await Promise.allSettled(added);
}

holdTyping(addKeptForms);

/**
 * The fields of a form of kind `kind`, kept while the form is not shown. Call while a
 * component is set up; its Add button calls `add`, which stores the fields and empties the form.
 */
export function keptForm<T extends object, R = void>(
  kind: string,
  spec: FormSpec<T, R>,
): {
  fields: T;
  readonly complete: boolean;
  /** Stores the fields (see [`FormSpec.add`]) and empties the form; resolves to what the command returned. */
  add: () => Promise<R>;
} {
  const key = $derived(`${kind}\n${spec.path()}\n${spec.id()}`);
  let fields = $state(spec.empty());

  // the form of another workbook or meeting: what was typed into it before, if anything
  $effect.pre(() => {
    const k = key;
    untrack(() => {
      const before = kept.get(k);
      fields = before ? (structuredClone(before.fields) as T) : spec.empty();
    });
  });
  $effect(() => {
    const json = JSON.stringify(fields);
    const path = spec.path();
    const id = spec.id();
    if (json === JSON.stringify(spec.empty())) {
      kept.delete(key);
      return;
    }
    const copy = JSON.parse(json) as T;
    kept.set(key, { path, fields: copy, complete: () => spec.complete(copy), add: () => spec.add(copy, id) });
  });
  $effect(() => {
    const k = key;
    shown.set(k, () => (fields = spec.empty()));
    return () => shown.delete(k);
  });

  return {
    get fields() {
      return fields;
    },
    set fields(value: T) {
      fields = value;
    },
    get complete() {
      return spec.complete(fields);
    },
    async add() {
      const k = key;
      adding.add(k);
      try {
        const result = await spec.add($state.snapshot(fields) as T, spec.id());
        fields = spec.empty();
        return result;
      } finally {
        adding.delete(k);
      }
    },
  };
}
