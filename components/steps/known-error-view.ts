// Fills an element with the explanation of a known error (cause, fix, source) in the
// page's language; for the step component to call when a step message carries a hint.
// Returns false for an id this page has no text for, so the caller can keep its fallback.
// Usage: if (!showKnownError(box, message.hint, document.documentElement.lang)) { ...show the id... }
import { knownErrorLabels, knownErrorText } from './known-error-text.ts';

export function showKnownError(container: HTMLElement, id: string | undefined, lang: string): boolean {
  const text = knownErrorText(id, lang);
  if (!text) return false;
  const labels = knownErrorLabels(lang);
  const paragraph = (label: string, body: Node | string, className: string) => {
    const p = document.createElement('p');
    p.className = className;
    const strong = document.createElement('strong');
    strong.textContent = `${label}: `;
    p.append(strong, body);
    return p;
  };
  const heading = document.createElement('p');
  heading.className = 'known-error__heading';
  const headingText = document.createElement('strong');
  headingText.textContent = labels.heading;
  heading.append(headingText);
  const link = document.createElement('a');
  link.href = text.source;
  link.textContent = text.source;
  link.rel = 'noopener noreferrer';
  link.target = '_blank';
  container.replaceChildren(
    heading,
    paragraph(labels.cause, text.cause, 'known-error__cause'),
    paragraph(labels.fix, text.fix, 'known-error__fix'),
    paragraph(labels.source, link, 'known-error__source'),
  );
  container.dataset.knownError = id;
  container.hidden = false;
  return true;
}
