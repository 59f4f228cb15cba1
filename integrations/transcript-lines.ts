// What a terminal transcript is made of: prompt lines (a command the reader types) and
// output lines (what the shell printed). A code block marked `transcript` in the content
// shows both, but its copy button copies only the commands (integrations/transcript-plugin.ts).

/**
 * A prompt at the start of a line: `$ ` (bash, zsh), `PS> ` or `PS C:\path> `
 * (PowerShell), or `> ` (the continuation prompt of a command begun on the line above).
 */
export const PROMPT = /^(?:\$ |PS(?: [^>\n]*)?> |> )/;

export interface TranscriptLine {
  /** The prompt at the line's start ('' on an output line). */
  prompt: string;
  /** The command after the prompt, or the whole line of output. */
  text: string;
  kind: 'command' | 'output';
}

export function transcriptLines(code: string): TranscriptLine[] {
  return code.split('\n').map((line) => {
    const prompt = PROMPT.exec(line)?.[0];
    return prompt ? { prompt, text: line.slice(prompt.length), kind: 'command' } : { prompt: '', text: line, kind: 'output' };
  });
}

/**
 * What the copy button copies: the commands without their prompts, one a line, with no
 * newline at the end (that would run the last one on paste). '' when there is no command.
 */
export function commandsToCopy(code: string): string {
  return transcriptLines(code)
    .filter((line) => line.kind === 'command')
    .map((line) => line.text.trimEnd())
    .join('\n')
    .trim();
}
