// Fills {name} placeholders in a translated text. The texts come from
// content/i18n/*.json through data-* attributes; unknown names stay visible so a
// missing value shows up in review instead of vanishing.
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
