// Expressive Code plugin for terminal transcripts: a fenced block with `transcript` in
// its meta (```text title="…" transcript) shows prompts and output dimmed and not
// selectable, and its copy button (the Frames plugin's own) copies only the commands;
// a transcript with no command has no copy button. Registered in astro.config.mjs.
import { definePlugin, ExpressiveCodeAnnotation, type AnnotationRenderOptions, type ExpressiveCodeBlock } from '@astrojs/starlight/expressive-code';
import { addClassName, getClassNames, h, select, type Parents } from '@astrojs/starlight/expressive-code/hast';
import { commandsToCopy, transcriptLines } from './transcript-lines.ts';

/** The meta word that marks a block as a transcript. */
export const TRANSCRIPT_META = 'transcript';

const isTranscript = (codeBlock: ExpressiveCodeBlock): boolean => codeBlock.metaOptions.getBoolean(TRANSCRIPT_META) === true;

/** Wraps a line's prompt in a span that is dimmed and left out of selections. */
class PromptAnnotation extends ExpressiveCodeAnnotation {
  render({ nodesToTransform }: AnnotationRenderOptions): Parents[] {
    return nodesToTransform.map((node) => h('span.transcript-prompt', [node]));
  }
}

export function pluginTranscript() {
  return definePlugin({
    name: 'Workshop transcript',
    baseStyles: `
      .transcript-prompt, .ec-line.transcript-output {
        opacity: 0.7;
        user-select: none;
        -webkit-user-select: none;
      }
    `,
    hooks: {
      annotateCode: ({ codeBlock }) => {
        if (!isTranscript(codeBlock)) return;
        transcriptLines(codeBlock.code).forEach((line, index) => {
          if (line.kind !== 'command') return;
          codeBlock.getLine(index)?.addAnnotation(new PromptAnnotation({ inlineRange: { columnStart: 0, columnEnd: line.prompt.length } }));
        });
      },
      postprocessRenderedLine: ({ codeBlock, line, renderData }) => {
        if (!isTranscript(codeBlock)) return;
        const index = codeBlock.getLines().indexOf(line);
        if (transcriptLines(codeBlock.code)[index]?.kind === 'output') addClassName(renderData.lineAst, 'transcript-output');
      },
      // Runs after the Frames plugin has added its copy button (plugins run in order).
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        if (!isTranscript(codeBlock)) return;
        const button = select('.copy button[data-code]', renderData.blockAst);
        if (!button) return;
        const commands = commandsToCopy(codeBlock.code);
        // The Frames plugin stores line breaks as U+007F; its script turns them back.
        if (commands) button.properties.dataCode = commands.replace(/\n/g, '\x7F');
        else {
          const figure = renderData.blockAst;
          figure.children = figure.children.filter((child) => child.type !== 'element' || !getClassNames(child).includes('copy'));
        }
      },
    },
  });
}
