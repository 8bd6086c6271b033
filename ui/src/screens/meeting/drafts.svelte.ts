// What is being typed about the agenda items (title, notes, decision), shared by the agenda
// and presentation mode so that both show the same text. Stored on leaving a field and when
// typing pauses.
import type { AgendaItem } from "../../bindings/AgendaItem";
import type { UpdateAgendaItemInput } from "../../bindings/UpdateAgendaItemInput";
import { type ItemTexts, itemTexts, mergeTexts } from "../../lib/meeting";

export class AgendaDrafts {
  texts = $state<Record<number, ItemTexts>>({});
  #stored = new Map<number, ItemTexts>();
  /** What was last sent to be stored, per item. */
  #sent = new Map<number, ItemTexts>();

  /**
   * After the stored agenda changed: fields not typed in take the stored text. For `saved`
   * (the item just stored) that is every field still as it was sent; what was typed while
   * it was being stored stays.
   */
  sync(items: AgendaItem[], saved: number | null = null): void {
    const next: Record<number, ItemTexts> = {};
    for (const item of items) {
      const stored = itemTexts(item);
      const known = item.id === saved ? this.#sent.get(item.id) : this.#stored.get(item.id);
      next[item.id] = mergeTexts(this.texts[item.id], known, stored);
      this.#stored.set(item.id, stored);
    }
    if (saved !== null) this.#sent.delete(saved);
    this.texts = next;
  }

  /** What to send for item `id`, or `null` when nothing changed since it was stored. */
  update(meetingId: number, id: number): UpdateAgendaItemInput | null {
    const draft = this.texts[id];
    const stored = this.#stored.get(id);
    if (!draft || !stored) return null;
    if (draft.title === stored.title && draft.notes === stored.notes && draft.decision === stored.decision) return null;
    this.#sent.set(id, { ...draft });
    return { meeting_id: meetingId, item_id: id, ...draft };
  }

  /** Puts back the stored text of one field (Escape). */
  revert(id: number, field: keyof ItemTexts): void {
    const stored = this.#stored.get(id);
    if (stored && this.texts[id]) this.texts[id][field] = stored[field];
  }
}
