// How the Actuals screen words what the import reports: findings by their kind, fields,
// presets and the detected file conventions, all from the catalogue.
import type { FileLayout } from "../../bindings/FileLayout";
import type { FindingKind } from "../../bindings/FindingKind";
import type { TargetField } from "../../bindings/TargetField";
import { t } from "../../lib/i18n.svelte";

/** A finding's reason, worded from its kind; `minAttempts` is the SLA's minimum. */
export function findingText(kind: FindingKind, minAttempts: number): string {
  return t(`actuals.finding.${kind}`, { min: minAttempts });
}

export function fieldLabel(field: TargetField): string {
  return t(`actuals.field.${field}`);
}

/** A source named by id only, or leads without any source. */
export function sourceLabel(id: number | null, name: string | null): string {
  if (id === null) return t("actuals.no_source");
  return name ?? t("actuals.unknown_source", { id });
}

const DELIMITERS: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

/** The detected conventions of a file as label–value pairs. */
export function layoutFacts(layout: FileLayout): { key: string; label: string; value: string }[] {
  const facts = [{ key: "format", label: t("actuals.layout.format"), value: t(`actuals.format.${layout.format}`) }];
  if (layout.encoding) {
    facts.push({ key: "encoding", label: t("actuals.layout.encoding"), value: t(`actuals.encoding.${layout.encoding}`) });
  }
  if (layout.delimiter) {
    const name = DELIMITERS[layout.delimiter];
    const value = name ? t(`actuals.delimiter.${name}`) : layout.delimiter;
    facts.push({ key: "delimiter", label: t("actuals.layout.delimiter"), value });
  }
  if (layout.sheet) facts.push({ key: "sheet", label: t("actuals.layout.sheet"), value: layout.sheet });
  facts.push(
    { key: "decimal", label: t("actuals.layout.decimal"), value: t(`actuals.decimal.${layout.decimal}`) },
    { key: "date_order", label: t("actuals.layout.date_order"), value: t(`actuals.date_order.${layout.date_order}`) },
  );
  return facts;
}
